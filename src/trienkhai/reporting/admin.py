"""Repair tools for superusers (the admin is closed to everyone else, see trienkhai/urls.py)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trienkhai.reporting.models import (
    Disaggregation,
    DisaggregationOption,
    Form,
    FormAssignment,
    FormIndicator,
    FormSection,
    Indicator,
    Submission,
    ValidationRule,
)


class OptionInline(admin.TabularInline):
    model = DisaggregationOption
    extra = 0


@admin.register(Disaggregation)
class DisaggregationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    inlines = [OptionInline]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "value_type", "aggregation", "disaggregation", "formula"]
    search_fields = ["code", "name"]


class SectionInline(admin.TabularInline):
    model = FormSection
    extra = 0


class ItemInline(admin.TabularInline):
    model = FormIndicator
    extra = 0
    raw_id_fields = ["indicator"]


class AssignmentInline(admin.TabularInline):
    model = FormAssignment
    extra = 0
    raw_id_fields = ["unit"]


class RuleInline(admin.TabularInline):
    model = ValidationRule
    extra = 0


@admin.register(Form)
class FormAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "owner", "period_type", "calendar", "deadline_days"]
    raw_id_fields = ["owner"]
    inlines = [SectionInline, ItemInline, AssignmentInline, RuleInline]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["form", "unit", "period", "status", "first_submitted"]
    list_filter = ["status"]
    raw_id_fields = ["unit", "submitted_by", "decided_by"]

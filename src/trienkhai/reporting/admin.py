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
    list_display = [
        "code",
        "name",
        "value_type",
        "aggregation",
        "disaggregation",
        "formula",
        "allow_negative",
    ]
    search_fields = ["code", "name"]


class SectionInline(admin.TabularInline):
    model = FormSection
    extra = 0


class _ReadOnlyInline(admin.TabularInline):
    """Shown, never written here: a form's dated indicators and units change through
    the services (/bao-cao/quan-tri/), which keep past periods' versions and check the
    owner; an edit in place would rewrite what past periods expected."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ItemInline(_ReadOnlyInline):
    model = FormIndicator
    fields = readonly_fields = ("indicator", "section", "order", "valid_from", "valid_to")


class AssignmentInline(_ReadOnlyInline):
    model = FormAssignment
    fields = readonly_fields = ("unit", "kind", "level", "valid_from", "valid_to")


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

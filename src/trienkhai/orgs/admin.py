"""The Django admin is for superusers only (see web/apps.py): a repair tool, audited by history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trienkhai.orgs.models import (
    LineageEvent,
    LineageLink,
    OfficialCode,
    Unit,
    UnitKind,
    UnitVersion,
)


class VersionInline(admin.TabularInline):
    model = UnitVersion
    fk_name = "unit"
    extra = 0
    raw_id_fields = ["parent"]
    exclude = ["search_key"]


class OfficialCodeInline(admin.TabularInline):
    model = OfficialCode
    extra = 0


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "valid_from", "valid_to"]
    search_fields = ["code", "versions__search_key"]
    inlines = [VersionInline, OfficialCodeInline]


@admin.register(UnitKind)
class UnitKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "profile", "sort_order"]


class LinkInline(admin.TabularInline):
    model = LineageLink
    extra = 0
    raw_id_fields = ["predecessor", "successor"]


@admin.register(LineageEvent)
class LineageEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "date", "unit"]
    list_filter = ["kind"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [LinkInline]

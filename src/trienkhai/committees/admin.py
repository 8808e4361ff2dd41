"""Steering committees in the Django admin: read-only (superusers only, see
trienkhai/urls.py). Seats, meetings and erasures change only through the services,
which keep the dated history, lock the committee and write "—" for an erased name;
an edit here would bypass all three. Each row is shown only to whom the permission
policy lets view the committee's unit (fail closed)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trienkhai.accounts import policy
from trienkhai.committees.models import (
    Attendance,
    Committee,
    Conclusion,
    Meeting,
    Membership,
    Person,
)


class ReadOnly(admin.ModelAdmin):
    """Shown, never written; a row only if the policy lets the user view its unit."""

    def unit_of(self, obj):
        return obj.committee.unit

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        unit = None if obj is None else self.unit_of(obj)
        return policy.can(request.user, policy.Action.VIEW, unit)


@admin.register(Committee)
class CommitteeAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "unit", "valid_from", "valid_to"]
    search_fields = ["name"]

    def unit_of(self, obj):
        return obj.unit


@admin.register(Person)
class PersonAdmin(ReadOnly):
    list_display = ["name", "committee", "unit", "erased"]
    exclude = ["name_key"]


@admin.register(Membership)
class MembershipAdmin(ReadOnly):
    list_display = ["person", "role", "position", "valid_from", "valid_to"]
    list_filter = ["role"]

    def unit_of(self, obj):
        return obj.person.committee.unit


@admin.register(Meeting)
class MeetingAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "committee", "date", "kind"]
    list_filter = ["kind"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnly):
    list_display = ["meeting", "person", "is_invited", "is_chair"]

    def unit_of(self, obj):
        return obj.meeting.committee.unit


@admin.register(Conclusion)
class ConclusionAdmin(ReadOnly):
    list_display = ["meeting", "assignment", "created"]

    def unit_of(self, obj):
        return obj.meeting.committee.unit

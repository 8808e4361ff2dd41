from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from trienkhai.accounts.models import ApiToken, RoleAssignment, TwoFactorEvent, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class TrienkhaiUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("trienkhai", {"fields": ["full_name"]}))
    inlines = [RoleInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created", "last_used"]
    readonly_fields = ["key_hash", "prefix"]


@admin.register(TwoFactorEvent)
class TwoFactorEventAdmin(admin.ModelAdmin):
    """The audit of second-factor events: read only."""

    list_display = ["created", "user", "kind", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["user__username"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

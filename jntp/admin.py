"""The admin is JNTP staff's back office: every active staff user may use all of it.

Django's admin checks per-model permissions; our roles replace those, so the mixins below answer
them from the role. Company users and center managers never reach the admin (is_staff is refused
for them by a database constraint)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


def _is_jntp_staff(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or getattr(user, "role", None) == "staff")


class StaffPermissionsMixin:
    def has_module_permission(self, request):
        return _is_jntp_staff(request)

    def has_view_permission(self, request, obj=None):
        return _is_jntp_staff(request)

    def has_add_permission(self, request, *args):
        return _is_jntp_staff(request)

    def has_change_permission(self, request, obj=None):
        return _is_jntp_staff(request)

    def has_delete_permission(self, request, obj=None):
        return _is_jntp_staff(request)


class StaffAdmin(StaffPermissionsMixin, SimpleHistoryAdmin):
    """A model with audit history."""


class StaffPlainAdmin(StaffPermissionsMixin, admin.ModelAdmin):
    """A model that is itself a log (status changes, deliveries, notifications)."""


class StaffTabularInline(StaffPermissionsMixin, admin.TabularInline):
    pass

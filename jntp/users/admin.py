from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from jntp.admin import StaffPermissionsMixin
from jntp.users.models import User


@admin.register(User)
class UserAdmin(StaffPermissionsMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = (
        "username",
        "get_full_name",
        "email",
        "role",
        "company",
        "center",
        "language",
        "is_active",
    )
    list_filter = ("role", "is_active", "language", "center")
    search_fields = ("username", "first_name", "last_name", "email", "company__name_ko", "center__code")
    list_select_related = ("company", "center")
    autocomplete_fields = ("company", "center")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "language", "time_zone")}),
        (_("Role"), {"fields": ("role", "company", "center")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "role", "company", "center", "password1", "password2"),
            },
        ),
    )

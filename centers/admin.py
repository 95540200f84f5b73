from django.contrib import admin

from centers.models import Buyer, BuyerInterest, BuyerStatusChange, Center
from jntp.admin import StaffAdmin, StaffPlainAdmin, StaffTabularInline


@admin.register(Center)
class CenterAdmin(StaffAdmin):
    list_display = ("code", "name_ko", "name_en", "country", "city", "time_zone", "currency", "is_active")
    list_filter = ("is_active", "country")
    search_fields = ("code", "name_ko", "name_en", "city", "operating_partner")


class BuyerInterestInline(StaffTabularInline):
    model = BuyerInterest
    extra = 1


class BuyerStatusChangeInline(StaffTabularInline):
    model = BuyerStatusChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "from_status", "to_status", "note", "changed_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # status moves go through the pipeline service, which keeps them


@admin.register(Buyer)
class BuyerAdmin(StaffAdmin):
    list_display = ("name", "center", "country", "business_type", "status", "status_changed_at")
    list_filter = ("center", "status", "business_type", "country")
    search_fields = ("name", "contact_name", "email", "city", "interests__hs_code")
    list_select_related = ("center",)
    readonly_fields = ("status", "status_changed_at")
    inlines = (BuyerInterestInline, BuyerStatusChangeInline)
    date_hierarchy = "status_changed_at"


@admin.register(BuyerStatusChange)
class BuyerStatusChangeAdmin(StaffPlainAdmin):
    list_display = ("buyer", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status", "buyer__center")
    search_fields = ("buyer__name", "note")
    list_select_related = ("buyer", "changed_by")

    def has_change_permission(self, request, obj=None):
        return False

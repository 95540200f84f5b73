from django.contrib import admin

from jntp.admin import StaffAdmin, StaffPlainAdmin, StaffTabularInline
from matching.models import (
    BuyerHeadingHistory,
    BuyerSignal,
    Company,
    CompanyTargetCountry,
    Consultation,
    ExchangeRate,
    ExportEvent,
    FollowUp,
    Match,
    MatchProposal,
    Notification,
    Outcome,
    Product,
    RecommendationDismissal,
    ReminderDelivery,
    SampleShipment,
    ShipmentDocument,
    ShipmentItem,
    ShipmentStatusChange,
    TaskHeartbeat,
)


class ProductInline(StaffTabularInline):
    model = Product
    extra = 1
    fields = ("name_ko", "name_en", "hs_code", "unit_price_usd")


class TargetCountryInline(StaffTabularInline):
    model = CompanyTargetCountry
    extra = 1


class MatchInline(StaffTabularInline):
    model = Match
    extra = 0
    fields = ("buyer", "stage", "source", "contact_shared")
    autocomplete_fields = ("buyer",)
    show_change_link = True


@admin.register(Company)
class CompanyAdmin(StaffAdmin):
    list_display = (
        "name_ko",
        "name_en",
        "business_registration_number",
        "city_county",
        "industry",
        "export_experience",
    )
    list_filter = ("city_county", "industry", "export_experience")
    search_fields = ("name_ko", "name_en", "business_registration_number", "products__hs_code")
    inlines = (ProductInline, TargetCountryInline, MatchInline)


@admin.register(Product)
class ProductAdmin(StaffAdmin):
    list_display = ("name_ko", "name_en", "hs_code", "company")
    search_fields = ("name_ko", "name_en", "hs_code", "company__name_ko")
    list_select_related = ("company",)


class ConsultationInline(StaffTabularInline):
    model = Consultation
    extra = 0
    fields = ("starts_at", "mode", "status", "consulted_amount_usd", "interest_level")
    show_change_link = True


class OutcomeInline(StaffTabularInline):
    model = Outcome
    extra = 0
    fields = ("kind", "signed_on", "amount", "currency", "amount_usd")
    readonly_fields = ("amount_usd",)
    show_change_link = True


@admin.register(Match)
class MatchAdmin(StaffAdmin):
    list_display = ("company", "buyer", "center", "stage", "source", "contact_shared", "created_at")
    list_filter = ("stage", "source", "center", "contact_shared")
    search_fields = ("company__name_ko", "company__name_en", "buyer__name")
    list_select_related = ("company", "buyer__center")
    autocomplete_fields = ("company", "buyer")
    inlines = (ConsultationInline, OutcomeInline)

    @admin.display(ordering="buyer__center__code", description="center")
    def center(self, obj):
        return obj.buyer.center


@admin.register(ExportEvent)
class ExportEventAdmin(StaffAdmin):
    list_display = ("code", "name_ko", "kind", "starts_on", "ends_on", "city", "country")
    list_filter = ("kind",)
    search_fields = ("code", "name_ko", "name_en")


@admin.register(Consultation)
class ConsultationAdmin(StaffAdmin):
    list_display = (
        "match",
        "starts_at",
        "mode",
        "event",
        "status",
        "consulted_amount_usd",
        "expected_contract_usd",
        "interest_level",
    )
    list_filter = ("status", "mode", "event", "interest_level", "center")
    search_fields = ("match__company__name_ko", "match__buyer__name", "summary")
    list_select_related = ("match__company", "match__buyer", "event")
    autocomplete_fields = ("match",)
    date_hierarchy = "starts_at"


class ShipmentItemInline(StaffTabularInline):
    model = ShipmentItem
    extra = 0
    autocomplete_fields = ("product",)


class ShipmentDocumentInline(StaffTabularInline):
    model = ShipmentDocument
    extra = 0
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields


class ShipmentStatusChangeInline(StaffTabularInline):
    model = ShipmentStatusChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "from_status", "to_status", "changed_by", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # steps go through the workflow services


@admin.register(SampleShipment)
class SampleShipmentAdmin(StaffAdmin):
    list_display = (
        "id",
        "company",
        "center",
        "status",
        "courier",
        "tracking_number",
        "shipped_at",
        "cost_support_krw",
    )
    list_filter = ("status", "courier", "center")
    search_fields = ("company__name_ko", "tracking_number", "match__buyer__name")
    list_select_related = ("company", "center")
    readonly_fields = ("status", "approved_at", "shipped_at", "delivered_at", "feedback_at")
    autocomplete_fields = ("company", "match", "consultation")
    inlines = (ShipmentItemInline, ShipmentDocumentInline, ShipmentStatusChangeInline)
    date_hierarchy = "created_at"


@admin.register(ExchangeRate)
class ExchangeRateAdmin(StaffAdmin):
    list_display = ("currency", "month", "units_per_usd", "source")
    list_filter = ("currency",)
    search_fields = ("currency",)
    date_hierarchy = "month"


@admin.register(Outcome)
class OutcomeAdmin(StaffAdmin):
    list_display = ("kind", "match", "signed_on", "amount", "currency", "amount_usd", "event")
    list_filter = ("kind", "event", "currency", "center")
    search_fields = ("match__company__name_ko", "match__buyer__name", "title")
    list_select_related = ("match__company", "match__buyer", "event")
    readonly_fields = ("usd_rate", "amount_usd")
    autocomplete_fields = ("match", "consultation")
    date_hierarchy = "signed_on"


@admin.register(FollowUp)
class FollowUpAdmin(StaffAdmin):
    list_display = ("title", "rule", "state", "due_at", "assignee")
    list_filter = ("state", "rule")
    search_fields = ("title", "notes", "assignee__username")
    list_select_related = ("assignee",)
    raw_id_fields = ("match", "consultation", "shipment", "buyer", "outcome")
    date_hierarchy = "due_at"


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(StaffPlainAdmin):
    list_display = (
        "follow_up",
        "recipient",
        "round",
        "stage",
        "channel",
        "status",
        "attempts",
        "reclaims",
        "sent_at",
    )
    list_filter = ("status", "stage", "channel")
    search_fields = ("recipient__username", "follow_up__title", "last_error")
    list_select_related = ("follow_up", "recipient")
    raw_id_fields = ("follow_up",)


@admin.register(Notification)
class NotificationAdmin(StaffPlainAdmin):
    list_display = ("title", "recipient", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)
    raw_id_fields = ("follow_up", "delivery")


@admin.register(TaskHeartbeat)
class TaskHeartbeatAdmin(StaffPlainAdmin):
    list_display = ("name", "last_started_at", "last_finished_at", "runs")
    search_fields = ("name",)
    readonly_fields = ("name", "last_started_at", "last_finished_at", "runs", "last_summary")


@admin.register(RecommendationDismissal)
class RecommendationDismissalAdmin(StaffAdmin):
    list_display = ("company", "buyer", "reason", "dismissed_by", "dismissed_at")
    list_filter = ("reason", "buyer__center")
    search_fields = ("company__name_ko", "company__name_en", "buyer__name", "note")
    list_select_related = ("company", "buyer", "dismissed_by")
    autocomplete_fields = ("company", "buyer")
    date_hierarchy = "dismissed_at"


@admin.register(MatchProposal)
class MatchProposalAdmin(StaffAdmin):
    list_display = ("company", "buyer", "status", "proposed_by", "proposed_at", "decided_by")
    list_filter = ("status", "buyer__center")
    search_fields = ("company__name_ko", "company__name_en", "buyer__name", "note")
    list_select_related = ("company", "buyer", "proposed_by", "decided_by")
    autocomplete_fields = ("company", "buyer")
    raw_id_fields = ("match",)
    # Decisions go through the services, which create the match or the dismissal with them.
    readonly_fields = ("status", "decided_by", "decided_at", "match")
    date_hierarchy = "proposed_at"


class DerivedDataAdmin(StaffPlainAdmin):
    """Counts the database keeps for the recommendation engine: shown to staff, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BuyerSignal)
class BuyerSignalAdmin(DerivedDataAdmin):
    list_display = ("buyer", "open_matches", "last_consulted_at")
    search_fields = ("buyer__name",)
    list_select_related = ("buyer",)


@admin.register(BuyerHeadingHistory)
class BuyerHeadingHistoryAdmin(DerivedDataAdmin):
    list_display = ("buyer", "hs4", "rated", "rating_sum", "deals", "mous", "lost")
    search_fields = ("buyer__name", "hs4")
    list_select_related = ("buyer",)

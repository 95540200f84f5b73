from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jntp.codes import country_name
from jntp.db import BilingualNameMixin, SubqueryCount, SubqueryList, TimeStampedModel, WebsiteField
from jntp.tenancy import TenantQuerySet
from jntp.validators import (
    format_hs_code,
    validate_business_registration_number,
    validate_country_code,
    validate_hs_code,
)


class CompanyQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(pk=company_id)

    def for_center(self, center_id, *, user=None):
        from matching.models import Match, SampleShipment

        # The companies matched to the center's buyers, and those that send it samples. Two IN
        # sub-selects, each run once and hashed: OR-ed EXISTS ran per company (50x slower at scale).
        return self.filter(
            Q(pk__in=Match.objects.filter(center_id=center_id).values("company_id"))
            | Q(pk__in=SampleShipment.objects.filter(center_id=center_id).values("company_id"))
        )

    def with_relations(self):
        return self.prefetch_related(
            Prefetch("products", queryset=Product.objects.order_by("name_ko", "pk")),
            Prefetch("target_countries", queryset=CompanyTargetCountry.objects.order_by("country")),
        )

    def with_profile(self, user):
        """What the company's page shows of it: its products, and as lists on the row, its target
        countries (`target_country_codes`) and the names of the active accounts the user may see
        (`account_names`), so that the page needs no query for either."""
        from jntp.users.models import User, display_name

        return self.prefetch_related(
            Prefetch("products", queryset=Product.objects.order_by("name_ko", "pk"))
        ).annotate(
            target_country_codes=SubqueryList(
                CompanyTargetCountry.objects.filter(company=OuterRef("pk")), "country"
            ),
            account_names=SubqueryList(
                User.objects.visible_to(user).filter(company=OuterRef("pk"), is_active=True),
                display_name(),
            ),
        )

    def most_matched(self, matches, *, limit: int) -> list:
        """The `limit` companies with the most of `matches`, most first, each with its `match_count`:
        the top ids by one GROUP BY over the matches, then those companies with their counts.

        `matches` carries the user's scope (e.g. a center's matches the user may see): a company
        matched with a buyer the user sees is one the user may see, so the companies take no scope
        of their own (a center manager's would hash every company of the center again)."""
        top = (
            matches.values("company")
            .annotate(n=Count("pk"))
            .order_by("-n", "company__name_ko", "company")
            .values("company")
        )
        companies = self.filter(pk__in=top[:limit]).annotate(
            match_count=SubqueryCount(matches.filter(company=OuterRef("pk")))
        )
        return sorted(companies, key=lambda company: (-company.match_count, company.name_ko, company.pk))

    def with_counts(self, user):
        """How many of the company's matches, consultations and outcomes the user may see."""
        from matching.models import Consultation, Match, Outcome

        return self.annotate(
            match_count=SubqueryCount(Match.objects.visible_to(user).filter(company=OuterRef("pk"))),
            consultation_count=SubqueryCount(
                Consultation.objects.visible_to(user)
                .filter(match__company=OuterRef("pk"))
                .exclude(status=Consultation.Status.CANCELLED)
            ),
            outcome_count=SubqueryCount(
                Outcome.objects.visible_to(user).filter(match__company=OuterRef("pk"))
            ),
        )

    def with_record_totals(self, user):
        """How many of the company's matches, consultations (cancelled ones too), sample shipments,
        outcomes and follow-ups the user may see: the totals behind the rows that its page shows."""
        from matching.models import Consultation, FollowUp, Match, Outcome, SampleShipment

        return self.annotate(
            follow_up_total=SubqueryCount(
                FollowUp.objects.visible_to(user).filter(match__company=OuterRef("pk"))
            ),
            match_total=SubqueryCount(Match.objects.visible_to(user).filter(company=OuterRef("pk"))),
            consultation_total=SubqueryCount(
                Consultation.objects.visible_to(user).filter(match__company=OuterRef("pk"))
            ),
            shipment_total=SubqueryCount(
                SampleShipment.objects.visible_to(user).filter(company=OuterRef("pk"))
            ),
            outcome_total=SubqueryCount(
                Outcome.objects.visible_to(user).filter(match__company=OuterRef("pk"))
            ),
        )


class Company(BilingualNameMixin, TimeStampedModel):
    """A Jeonnam SME that JNTP helps to export."""

    class CityCounty(models.TextChoices):
        # Jeollanam-do's 5 cities and 17 counties.
        MOKPO = "mokpo", _("Mokpo")
        YEOSU = "yeosu", _("Yeosu")
        SUNCHEON = "suncheon", _("Suncheon")
        NAJU = "naju", _("Naju")
        GWANGYANG = "gwangyang", _("Gwangyang")
        DAMYANG = "damyang", _("Damyang")
        GOKSEONG = "gokseong", _("Gokseong")
        GURYE = "gurye", _("Gurye")
        GOHEUNG = "goheung", _("Goheung")
        BOSEONG = "boseong", _("Boseong")
        HWASUN = "hwasun", _("Hwasun")
        JANGHEUNG = "jangheung", _("Jangheung")
        GANGJIN = "gangjin", _("Gangjin")
        HAENAM = "haenam", _("Haenam")
        YEONGAM = "yeongam", _("Yeongam")
        MUAN = "muan", _("Muan")
        HAMPYEONG = "hampyeong", _("Hampyeong")
        YEONGGWANG = "yeonggwang", _("Yeonggwang")
        JANGSEONG = "jangseong", _("Jangseong")
        WANDO = "wando", _("Wando")
        JINDO = "jindo", _("Jindo")
        SINAN = "sinan", _("Sinan")

    class Industry(models.TextChoices):
        AGRI_FOOD = "agri_food", _("Agri-food")
        SEAFOOD = "seafood", _("Seafood")
        BIO_HEALTH = "bio_health", _("Bio and health")
        COSMETICS = "cosmetics", _("Cosmetics")
        ENERGY = "energy", _("Energy")
        CHEMICALS = "chemicals", _("Petrochemicals and materials")
        METALS = "metals", _("Steel and metals")
        MACHINERY = "machinery", _("Machinery and parts")
        SHIPBUILDING = "shipbuilding", _("Shipbuilding and offshore")
        CERAMICS = "ceramics", _("Ceramics")
        ICT = "ict", _("ICT")
        OTHER = "other", _("Other")

    class ExportExperience(models.TextChoices):
        NONE = "none", _("Not yet exporting")
        OCCASIONAL = "occasional", _("Occasional exports")
        REGULAR = "regular", _("Regular exporter")

    name_ko = models.CharField(_("name (Korean)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    business_registration_number = models.CharField(
        _("business registration number"),
        max_length=10,
        unique=True,
        validators=[validate_business_registration_number],
        help_text=_("10 digits; hyphens are removed."),
    )
    city_county = models.CharField(_("city or county"), max_length=20, choices=CityCounty.choices)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    export_experience = models.CharField(
        _("export experience"), max_length=20, choices=ExportExperience.choices, default=ExportExperience.NONE
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue_krw = models.DecimalField(
        _("yearly revenue (KRW)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    website = WebsiteField(_("website"), blank=True)
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CompanyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name_ko"]
        # Lists and selects read companies in name order, a page at a time.
        indexes = [models.Index(fields=["name_ko", "id"], name="matching_company_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(business_registration_number__regex=r"^[0-9]{10}$"),
                name="matching_company_brn_ten_digits",
                violation_error_message=_("A business registration number has 10 digits."),
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue_krw__isnull=True) | Q(annual_revenue_krw__gte=0),
                name="matching_company_revenue_not_negative",
                violation_error_message=_("Revenue cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("matching:company_detail", args=[self.pk])

    @property
    def formatted_registration_number(self) -> str:
        n = self.business_registration_number
        return f"{n[:3]}-{n[3:5]}-{n[5:]}" if len(n) == 10 else n


class CompanyScopedQuerySet(TenantQuerySet):
    """Rows that belong to one company (products, target countries)."""

    def for_company(self, company_id, *, user=None):
        return self.filter(company_id=company_id)

    def for_center(self, center_id, *, user=None):
        return self.filter(company__in=Company.objects.for_center(center_id))


class CompanyTargetCountry(models.Model):
    """A market the company wants to sell in."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="target_countries")
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])

    objects = CompanyScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target country")
        verbose_name_plural = _("target countries")
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "country"],
                name="matching_companytargetcountry_unique",
                violation_error_message=_("This country is already a target market of the company."),
            ),
        ]

    def __str__(self):
        return country_name(self.country)


class Product(BilingualNameMixin, TimeStampedModel):
    """Something the company makes, classified by its 6-digit HS subheading."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="products"
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=6, validators=[validate_hs_code], db_index=True)
    # Heading and chapter, kept by the database for the recommendation engine's indexes.
    hs4 = models.GeneratedField(
        expression=Substr("hs_code", 1, 4), output_field=models.CharField(max_length=4), db_persist=True
    )
    hs2 = models.GeneratedField(
        expression=Substr("hs_code", 1, 2), output_field=models.CharField(max_length=2), db_persist=True
    )
    description = models.TextField(_("description"), blank=True)
    unit_price_usd = models.DecimalField(
        _("unit price (USD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CompanyScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "hs4", "hs2"])

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["company", "name_ko"]
        indexes = [
            # Covering indexes for the engine: a chapter's products, and a heading's companies.
            models.Index(fields=["hs2", "company", "hs4", "hs_code"], name="matching_product_chapter"),
            models.Index(fields=["hs4", "company"], name="matching_product_heading"),
            models.Index(fields=["hs_code", "company"], name="matching_product_code"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hs_code__regex=r"^[0-9]{6}$"),
                name="matching_product_hs_code_six_digits",
                violation_error_message=_("An HS code has 6 digits."),
            ),
            models.CheckConstraint(
                condition=Q(unit_price_usd__isnull=True) | Q(unit_price_usd__gte=0),
                name="matching_product_price_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.hs_code_display})"

    @property
    def hs_code_display(self) -> str:
        return format_hs_code(self.hs_code)

"""Import companies with their products from a spreadsheet (one row per product)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jntp import codes
from jntp.imports import (
    ImportColumn,
    Importer,
    ImportPreview,
    ParsedRow,
    RowError,
    parse_choice,
    parse_decimal,
    parse_list,
)
from jntp.validators import normalize_business_registration_number, normalize_hs_code
from matching.models import Company, CompanyTargetCountry, Product

COMPANY_FIELDS = (
    "name_ko",
    "name_en",
    "city_county",
    "industry",
    "export_experience",
    "employees",
    "annual_revenue_krw",
    "website",
    "email",
    "phone",
    "representative",
    "target_countries",
)


class CompanyImporter(Importer):
    label = gettext_lazy("Companies with products")
    columns = [
        ImportColumn("brn", ("사업자등록번호", "Business registration number", "brn"), required=True),
        ImportColumn("name_ko", ("기업명", "Company name (Korean)", "name_ko"), required=True),
        ImportColumn("name_en", ("영문 기업명", "Company name (English)", "name_en")),
        ImportColumn("city_county", ("시군", "City or county", "city_county"), required=True),
        ImportColumn("industry", ("업종", "Industry"), required=True),
        ImportColumn("export_experience", ("수출 경험", "Export experience")),
        ImportColumn("employees", ("종업원 수", "Employees")),
        ImportColumn("annual_revenue_krw", ("매출액(원)", "Yearly revenue (KRW)")),
        ImportColumn("representative", ("대표자", "Representative")),
        ImportColumn("email", ("이메일", "E-mail")),
        ImportColumn("phone", ("전화", "Phone")),
        ImportColumn("website", ("홈페이지", "Website")),
        ImportColumn("target_countries", ("목표 국가", "Target countries")),
        ImportColumn("product_name_ko", ("제품명", "Product (Korean)")),
        ImportColumn("product_name_en", ("영문 제품명", "Product (English)")),
        ImportColumn("hs_code", ("HS 코드", "HS code")),
    ]
    field_to_column = {"business_registration_number": "brn", "hs_code": "hs_code"}

    def validate(self, preview: ImportPreview) -> None:
        existing = dict(Company.objects.values_list("business_registration_number", "name_ko"))
        groups: dict[str, tuple[ParsedRow, Company, list[str]]] = {}
        for row in preview.rows:
            brn = normalize_business_registration_number(row.values.get("brn", ""))
            if brn in existing:
                row.errors.append(
                    RowError(
                        row.number,
                        self.column_label("brn"),
                        _("Already registered as %(name)s.") % {"name": existing[brn]},
                    )
                )
                continue
            if brn in groups:
                first, company, _countries = groups[brn]
                self._check_same_company(row, first)
            else:
                company, countries = self._company(row, brn)
                groups[brn] = (row, company, countries)
                if company is not None:
                    preview.objects.append(("company", company, countries))
            if groups[brn][1] is not None:
                product = self._product(row, groups[brn][1])
                if product is not None:
                    preview.objects.append(("product", product, None))

    def _company(self, row: ParsedRow, brn: str):
        v = row.values
        errors_before = len(row.errors)
        data = {
            "business_registration_number": brn,
            "name_ko": v.get("name_ko", ""),
            "name_en": v.get("name_en", ""),
            "website": v.get("website", ""),
            "email": v.get("email", ""),
            "phone": v.get("phone", ""),
            "representative": v.get("representative", ""),
        }
        choices = (
            ("city_county", Company.CityCounty.choices, True),
            ("industry", Company.Industry.choices, True),
            ("export_experience", Company.ExportExperience.choices, False),
        )
        for key, options, required in choices:
            if not v.get(key):
                if required:
                    row.errors.append(
                        RowError(row.number, self.column_label(key), _("This column is required."))
                    )
                continue
            try:
                data[key] = parse_choice(
                    v[key],
                    options,
                    message=_("“%(value)s” is not one of the listed values.") % {"value": v[key]},
                )
            except ValidationError as error:
                row.errors.append(RowError(row.number, self.column_label(key), error.messages[0]))
        for key in ("employees", "annual_revenue_krw"):
            try:
                data[key] = parse_decimal(v.get(key, ""))
            except ValidationError as error:
                row.errors.append(RowError(row.number, self.column_label(key), error.messages[0]))
        if data.get("employees") is not None:
            data["employees"] = int(data["employees"])
        countries = []
        for name in parse_list(v.get("target_countries", "")):
            code = codes.country_code_from(name)
            if code is None:
                row.errors.append(
                    RowError(
                        row.number,
                        self.column_label("target_countries"),
                        _("“%(value)s” is not a country.") % {"value": name},
                    )
                )
            else:
                countries.append(code)
        company = Company(**{k: val for k, val in data.items() if val is not None})
        try:
            company.full_clean(
                validate_unique=False, exclude=[k for k in ("city_county", "industry") if k not in data]
            )
        except ValidationError as error:
            self.add_validation_error(row, error, self.field_to_column)
        return (company, sorted(set(countries))) if len(row.errors) == errors_before else (None, [])

    def _check_same_company(self, row: ParsedRow, first: ParsedRow) -> None:
        for key in COMPANY_FIELDS:
            value = row.values.get(key, "")
            if value and value != first.values.get(key, ""):
                row.errors.append(
                    RowError(
                        row.number,
                        self.column_label(key),
                        _("Differs from row %(row)d for the same business registration number.")
                        % {"row": first.number},
                    )
                )

    def _product(self, row: ParsedRow, company: Company) -> Product | None:
        v = row.values
        if not (v.get("product_name_ko") or v.get("hs_code") or v.get("product_name_en")):
            return None
        product = Product(
            company=company,
            name_ko=v.get("product_name_ko", ""),
            name_en=v.get("product_name_en", ""),
            hs_code=normalize_hs_code(v.get("hs_code", "")),
        )
        try:
            product.full_clean(exclude=["company"])
        except ValidationError as error:
            self.add_validation_error(
                row, error, {"name_ko": "product_name_ko", "name_en": "product_name_en"}
            )
            return None
        return product

    @transaction.atomic
    def save(self, preview: ImportPreview, *, by) -> int:
        created = 0
        for kind, obj, countries in preview.objects:
            obj._history_user = by
            if kind == "product":
                obj.company = obj.company  # re-bind to the now-saved company
            obj.save()
            if kind == "company":
                created += 1
                CompanyTargetCountry.objects.bulk_create(
                    CompanyTargetCountry(company=obj, country=country) for country in countries
                )
        return created

"""Import buyers from a spreadsheet: one row per buyer, its HS interests in one cell."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centers.models import Buyer, BuyerInterest, Center
from jntp import codes
from jntp.imports import (
    ImportColumn,
    Importer,
    ImportPreview,
    RowError,
    parse_choice,
    parse_decimal,
    parse_list,
)
from jntp.validators import normalize_hs_code, validate_hs_code


class BuyerImporter(Importer):
    label = gettext_lazy("Buyers")
    columns = [
        ImportColumn("center", ("센터", "Center"), required=True),
        ImportColumn("name", ("바이어명", "Buyer", "Company name"), required=True),
        ImportColumn("country", ("국가", "Country"), required=True),
        ImportColumn("city", ("도시", "City")),
        ImportColumn("business_type", ("업태", "Business type"), required=True),
        ImportColumn("contact_name", ("담당자", "Contact person")),
        ImportColumn("email", ("이메일", "E-mail")),
        ImportColumn("phone", ("전화", "Phone")),
        ImportColumn("website", ("홈페이지", "Website")),
        ImportColumn("annual_import_usd", ("연간 수입액(USD)", "Yearly import volume (USD)")),
        ImportColumn("hs_interests", ("관심 HS 코드", "HS interests")),
        ImportColumn("notes", ("메모", "Notes")),
    ]

    def validate(self, preview: ImportPreview) -> None:
        centers = {}
        for center in Center.objects.all():
            for key in (center.code, center.name_ko, center.name_en, center.city):
                centers["".join(key.lower().split())] = center
        existing = {
            (name.lower(), country, center_id)
            for name, country, center_id in Buyer.objects.values_list("name", "country", "center_id")
        }
        seen: dict[tuple, int] = {}
        for row in preview.rows:
            v = row.values
            before = len(row.errors)
            center = centers.get("".join(v.get("center", "").lower().split()))
            if center is None:
                row.errors.append(
                    RowError(
                        row.number,
                        self.column_label("center"),
                        _("No center “%(value)s”. Use a center code such as OSA.")
                        % {"value": v.get("center", "")},
                    )
                )
            country = codes.country_code_from(v.get("country", ""))
            if country is None:
                row.errors.append(
                    RowError(
                        row.number,
                        self.column_label("country"),
                        _("“%(value)s” is not a country.") % {"value": v.get("country", "")},
                    )
                )
            data = {
                "name": v.get("name", ""),
                "city": v.get("city", ""),
                "contact_name": v.get("contact_name", ""),
                "email": v.get("email", ""),
                "phone": v.get("phone", ""),
                "website": v.get("website", ""),
                "notes": v.get("notes", ""),
            }
            try:
                data["business_type"] = parse_choice(
                    v.get("business_type", ""),
                    Buyer.BusinessType.choices,
                    message=_("“%(value)s” is not one of the listed values.")
                    % {"value": v.get("business_type", "")},
                )
            except ValidationError as error:
                row.errors.append(RowError(row.number, self.column_label("business_type"), error.messages[0]))
            try:
                data["annual_import_usd"] = parse_decimal(v.get("annual_import_usd", ""))
            except ValidationError as error:
                row.errors.append(
                    RowError(row.number, self.column_label("annual_import_usd"), error.messages[0])
                )
            interests = []
            for raw in parse_list(v.get("hs_interests", "")):
                try:
                    validate_hs_code(raw)
                    interests.append(normalize_hs_code(raw))
                except ValidationError as error:
                    row.errors.append(
                        RowError(row.number, self.column_label("hs_interests"), error.messages[0])
                    )
            buyer = Buyer(center=center, country=country or "", **data)
            try:
                buyer.full_clean(
                    validate_unique=False, validate_constraints=False, exclude=["center", "country"]
                )
            except ValidationError as error:
                self.add_validation_error(row, error, {})
            if center and country and data["name"]:
                key = (data["name"].lower(), country, center.pk)
                if key in existing:
                    row.errors.append(
                        RowError(
                            row.number,
                            self.column_label("name"),
                            _("%(center)s already has this buyer.") % {"center": center.code},
                        )
                    )
                elif key in seen:
                    row.errors.append(
                        RowError(
                            row.number,
                            self.column_label("name"),
                            _("The same buyer is on row %(row)d.") % {"row": seen[key]},
                        )
                    )
                seen.setdefault(key, row.number)
            if len(row.errors) == before:
                preview.objects.append((buyer, sorted(set(interests))))

    @transaction.atomic
    def save(self, preview: ImportPreview, *, by) -> int:
        for buyer, interests in preview.objects:
            buyer._history_user = by
            buyer.save()
            BuyerInterest.objects.bulk_create(BuyerInterest(buyer=buyer, hs_code=code) for code in interests)
        return len(preview.objects)

import json
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.utils import translation

from matching.selectors import FIGURES, annual_figures

LABELS = {
    "companies_linked": "Companies linked",
    "centers_active": "Centers active",
    "buyers": "Buyers",
    "consultations": "Consultations",
    "consulted_usd": "Consulted (USD)",
    "expected_contract_usd": "Expected contracts (USD)",
    "samples_shipped": "Samples shipped",
    "agreements_usd": "Export agreements (USD)",
    "contracts_usd": "Export contracts (USD)",
    "purchase_orders_usd": "Purchase orders (USD)",
    "mous": "MOUs",
}


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _cell(value) -> str:
    return f"{value:,.0f}" if isinstance(value, Decimal) else f"{value:,}"


class Command(BaseCommand):
    help = "Print the year's figures as JNTP reports them, in total and per center, computed from the data."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, year, format, **options):
        with translation.override("en"):
            report = annual_figures(year)
        if format == "json":
            data = {key: _json_value(value) for key, value in report.items() if key != "by_center"}
            data["by_center"] = [
                {key: _json_value(value) for key, value in row.items() if key != "center_id"}
                for row in report["by_center"]
            ]
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return

        self.stdout.write(f"JNTP export support, {year}\n")
        width = max(len(label) for label in LABELS.values())
        for name in FIGURES:
            self.stdout.write(f"  {LABELS[name]:<{width}}  {_cell(report[name]):>14}")
        if not report["by_center"]:
            return
        self.stdout.write("\nBy center")
        columns = [
            "companies_linked",
            "buyers",
            "consultations",
            "consulted_usd",
            "samples_shipped",
            "agreements_usd",
            "contracts_usd",
            "mous",
        ]
        headers = [
            "Center",
            "Companies",
            "Buyers",
            "Meetings",
            "Consulted $",
            "Samples",
            "Agreements $",
            "Contracts $",
            "MOUs",
        ]
        rows = [[row["center"]] + [_cell(row[c]) for c in columns] for row in report["by_center"]]
        widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
        self.stdout.write("  " + "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
        for r in rows:
            self.stdout.write("  " + "  ".join(str(c).rjust(w) for c, w in zip(r, widths, strict=True)))

"""CSV and XLSX in and out: exports of exactly the filtered rows, and the files staff import.

Cells that begin with = + - @ (or a tab or carriage return) are prefixed with an apostrophe on
export, so a spreadsheet program shows them as text instead of running them as formulas (OWASP
"CSV injection", ASVS 1.2.10)."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def safe_cell(value):
    """Plain values for a spreadsheet: text that looks like a formula is escaped, times are local."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal | date):
        return value
    return safe_cell(str(value))


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, columns: list[Column], rows: Iterable) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a BOM, so Excel opens Korean text as UTF-8
        yield writer.writerow([str(c.header) for c in columns])
        for row in rows:
            yield writer.writerow([_csv_text(safe_cell(c.value(row))) for c in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def xlsx_response(
    filename: str, columns: list[Column], rows: Iterable, title: str = "Export"
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(c.value(row)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# --- Reading uploaded files ----------------------------------------------------------------------
class UnreadableFile(Exception):
    pass


def read_table(uploaded) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of an uploaded XLSX or CSV (UTF-8 or CP949, comma, semicolon or tab)."""
    name = (uploaded.name or "").lower()
    data = uploaded.read()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")) or not name:
        return _read_csv(data)
    raise UnreadableFile("type")


def _read_xlsx(data: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile("xlsx") from error
    sheet = workbook.worksheets[0]
    rows = [["" if v is None else _text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _split(rows)


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    return str(value).strip()


def _read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    if b"\x00" in data:
        raise UnreadableFile("binary")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("encoding")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    return _split(rows)


def _split(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise UnreadableFile("empty")
    return [h.strip() for h in rows[0]], rows[1:]

"""Importing a spreadsheet of records: read every row, report every problem by row and column, and
write nothing unless the whole file is good.

A concrete importer lists its columns (with the Korean and English headers it accepts), turns each
row into unsaved model instances, and saves them all in one transaction."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jntp.spreadsheets import UnreadableFile, read_table

MAX_ROWS = 5000  # a year of JNTP's records is a few hundred rows; more is a wrong file


@dataclass(frozen=True)
class ImportColumn:
    key: str
    headers: tuple[str, ...]  # accepted header names, compared case- and space-insensitively
    required: bool = False
    help: str = ""

    @property
    def label(self) -> str:
        return self.headers[0]


@dataclass
class RowError:
    row: int  # the row number as the spreadsheet shows it (header = 1)
    column: str
    message: str


@dataclass
class ParsedRow:
    number: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportPreview:
    columns: list[ImportColumn]
    rows: list[ParsedRow]
    file_errors: list[str]
    objects: list = field(default_factory=list)  # what would be saved, in order

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def table(self) -> list[tuple[ParsedRow, list[str]]]:
        """Each row with its values in column order, for the preview table."""
        return [(row, [row.values.get(c.key, "") for c in self.columns]) for row in self.rows]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors and bool(self.rows)


def _norm(header: str) -> str:
    return "".join(header.lower().split())


class Importer:
    columns: list[ImportColumn] = []
    label = ""

    def read(self, uploaded) -> ImportPreview:
        try:
            headers, raw_rows = read_table(uploaded)
        except UnreadableFile as error:
            return ImportPreview(self.columns, [], [self.unreadable_message(str(error))])
        index, file_errors = self._map_headers(headers)
        if len(raw_rows) > MAX_ROWS:
            file_errors.append(
                _("The file has %(count)d rows; at most %(max)d can be imported at once.")
                % {"count": len(raw_rows), "max": MAX_ROWS}
            )
        if file_errors:
            return ImportPreview(self.columns, [], file_errors)
        rows = []
        for offset, raw in enumerate(raw_rows):
            values = {
                key: (raw[i].strip() if i < len(raw) and raw[i] is not None else "")
                for key, i in index.items()
            }
            rows.append(ParsedRow(number=offset + 2, values=values))
        preview = ImportPreview(self.columns, rows, [])
        if not rows:
            preview.file_errors.append(_("The file has a header row but no records."))
            return preview
        self.validate(preview)
        return preview

    def unreadable_message(self, reason: str) -> str:
        return {
            "type": _("Upload an .xlsx or .csv file."),
            "encoding": _("The CSV file is neither UTF-8 nor CP949 (Korean Excel). Save it as CSV UTF-8."),
            "binary": _("This does not look like a CSV file."),
            "xlsx": _("The Excel file could not be read. Open it in Excel and save it again as .xlsx."),
            "empty": _("The file is empty."),
        }.get(reason, _("The file could not be read."))

    def _map_headers(self, headers: list[str]) -> tuple[dict[str, int], list[str]]:
        wanted = {_norm(h): column.key for column in self.columns for h in column.headers}
        index, unknown = {}, []
        for i, header in enumerate(headers):
            key = wanted.get(_norm(header))
            if key and key not in index:
                index[key] = i
            elif header:
                unknown.append(header)
        errors = []
        missing = [c.label for c in self.columns if c.required and c.key not in index]
        if missing:
            errors.append(
                _("Missing columns: %(columns)s. The first row must name the columns.")
                % {"columns": ", ".join(missing)}
            )
        if unknown:
            errors.append(
                _("Unknown columns: %(columns)s. Use the column names of the template.")
                % {"columns": ", ".join(unknown)}
            )
        return index, errors

    def column_label(self, key: str) -> str:
        return next((c.label for c in self.columns if c.key == key), key)

    def add_validation_error(
        self, row: ParsedRow, error: ValidationError, field_to_column: dict[str, str]
    ) -> None:
        """Name the column of each model-field error; errors of the whole row go to its first column."""
        if hasattr(error, "error_dict"):
            for field_name, errors in error.error_dict.items():
                key = field_to_column.get(field_name, field_name)
                for message in ValidationError(errors).messages:
                    row.errors.append(RowError(row.number, self.column_label(key), message))
        else:
            for message in error.messages:
                row.errors.append(RowError(row.number, "", message))

    def validate(self, preview: ImportPreview) -> None:
        raise NotImplementedError

    def save(self, preview: ImportPreview, *, by) -> int:
        raise NotImplementedError


def parse_choice(value: str, choices, *, message: str) -> str:
    """A TextChoices value given as its code or its Korean or English label."""
    from django.utils import translation

    wanted = _norm(value)
    for code, label in choices:
        names = {_norm(code), _norm(str(label))}
        for language in ("ko", "en"):
            with translation.override(language):
                names.add(_norm(str(label)))
        if wanted in names:
            return code
    raise ValidationError(message)


def parse_decimal(value: str) -> Decimal | None:
    cleaned = value.replace(",", "").replace("$", "").replace("₩", "").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from error


def parse_list(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


Parser = Callable[[str], object]

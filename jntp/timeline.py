"""Everything that happened to a record, newest first, for the timeline on its detail page."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Entry:
    when: datetime
    icon: str  # a Bootstrap Icons name
    title: str
    body: str = ""
    actor: object = None
    url: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    date_only: bool = False  # `when` stands for a day (e.g. the day a contract was signed)


def history_entries(
    instance, *, skip=("updated_at", "version", "status_changed_at", "stage_changed_at")
) -> list[Entry]:
    """Created / edited entries from the audit history (django-simple-history), naming changed fields."""
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        if record.history_type == "+":
            entries.append(Entry(record.history_date, "plus-circle", _("Created"), actor=record.history_user))
        elif record.history_type == "-":
            entries.append(Entry(record.history_date, "trash", _("Deleted"), actor=record.history_user))
        elif previous is not None:
            delta = record.diff_against(previous, excluded_fields=list(skip))
            names = [str(instance._meta.get_field(change.field).verbose_name) for change in delta.changes]
            if names:
                entries.append(
                    Entry(
                        record.history_date,
                        "pencil",
                        _("Edited"),
                        body=", ".join(names),
                        actor=record.history_user,
                    )
                )
        previous = record
    return entries


def field_change_entries(instance, field: str, *, icon: str, title: str) -> list[Entry]:
    """One entry per change of a choice field in the audit history, e.g. a match's stage:
    "<title>: Proposed → Active". `title` is a translated label."""
    records = instance.history.select_related("history_user").order_by("history_date", "history_id")
    choices = dict(instance._meta.get_field(field).flatchoices)
    entries = []
    previous = None
    for record in records:
        value = getattr(record, field)
        if previous is not None and value != previous:
            entries.append(
                Entry(
                    record.history_date,
                    icon,
                    f"{title}: {choices.get(previous, previous)} → {choices.get(value, value)}",
                    actor=record.history_user,
                )
            )
        previous = value
    return entries


def on_day(day: date) -> datetime:
    """A day as a moment for the timeline: the start of that day in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def newest_first(*groups: list[Entry]) -> list[Entry]:
    return sorted((entry for group in groups for entry in group), key=lambda entry: entry.when, reverse=True)

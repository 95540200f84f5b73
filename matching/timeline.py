"""Timeline entries for the matching records that show up on many detail pages.

Each function takes rows already fetched (with their relations) and makes entries without touching
the database, so a detail page's query count does not grow with its timeline."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jntp.templatetags.jntp import usd
from jntp.timeline import Entry, on_day


def match_entries(matches, *, name_of=lambda m: f"{m.company} ↔ {m.buyer}") -> list[Entry]:
    return [
        Entry(
            m.created_at,
            "link-45deg",
            _("Matched: %(pair)s") % {"pair": name_of(m)},
            body=m.get_source_display(),
            url=m.get_absolute_url(),
        )
        for m in matches
    ]


def consultation_entries(consultations, *, with_pair: bool = True) -> list[Entry]:
    entries = []
    for c in consultations:
        parts = [c.get_mode_display(), c.get_status_display()]
        if c.consulted_amount_usd:
            parts.append(_("consulted %(amount)s") % {"amount": usd(c.consulted_amount_usd)})
        title = _("Consultation")
        if with_pair:
            title = _("Consultation: %(pair)s") % {"pair": f"{c.match.company} ↔ {c.match.buyer}"}
        entries.append(
            Entry(c.starts_at, "chat-square-text", title, body=" · ".join(parts), url=c.get_absolute_url())
        )
    return entries


def shipment_entries(shipments) -> list[Entry]:
    return [
        Entry(
            s.created_at,
            "box-seam",
            _("Sample request: %(status)s") % {"status": s.get_status_display()},
            body=f"{s.company} → {s.center.code}",
            url=s.get_absolute_url(),
        )
        for s in shipments
    ]


def outcome_entries(outcomes) -> list[Entry]:
    entries = []
    for o in outcomes:
        body = " · ".join(
            part for part in (o.title, usd(o.amount_usd) if o.amount_usd is not None else "") if part
        )
        entries.append(
            Entry(
                on_day(o.signed_on),
                "award",
                _("Signed: %(kind)s") % {"kind": o.get_kind_display()},
                body=body,
                url=o.get_absolute_url(),
                date_only=True,
            )
        )
    return entries


def follow_up_entries(follow_ups) -> list[Entry]:
    return [
        Entry(
            f.created_at,
            "bell",
            _("Follow-up: %(title)s") % {"title": f.title},
            body=_("%(state)s · due %(due)s")
            % {"state": f.get_state_display(), "due": date_format(timezone.localtime(f.due_at), "Y-m-d")},
            actor=f.assignee,
        )
        for f in follow_ups
    ]


def status_change_entries(changes, *, title: str) -> list[Entry]:
    """Steps of a workflow or a pipeline (buyer status, shipment status), with who took them."""
    return [
        Entry(
            change.changed_at,
            "signpost-split",
            (
                f"{title}: {change.get_from_status_display()} → {change.get_to_status_display()}"
                if change.from_status
                else f"{title}: {change.get_to_status_display()}"
            ),
            body=change.note,
            actor=change.changed_by,
        )
        for change in changes
    ]

"""Reminder e-mails and notifications, written in the recipient's language and time zone.

Templates: templates/emails/<name>-subject.txt, <name>-body.txt and <name>-body.html, for
"reminder" (one follow-up: due, overdue, escalated) and "digest" (the weekly list). Each message
carries a deterministic Message-ID and an X-Reminder-Key header, so a server (or a test) can tell
a message sent twice from two messages.
"""

from datetime import timedelta
from email.utils import formataddr
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matching.links import absolute, follow_up_path, follow_up_url
from matching.models import Consultation, FollowUp, ReminderDelivery
from matching.services.followups import ACTIVE_STATES, zone_of

Stage = ReminderDelivery.Stage
DIGEST_LIMIT = 100  # a digest lists at most this many follow-ups, the most urgent first


def mail_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "jntp-export-match.invalid"


def message_id(delivery: ReminderDelivery) -> str:
    return f"<reminder-{delivery.pk}.{delivery.stage}.{delivery.channel}@{mail_domain()}>"


class recipient_locale:  # lower case: used like the two overrides it combines
    """The recipient's language and time zone, for everything rendered inside."""

    def __init__(self, user):
        self.language = translation.override(user.language)
        self.zone = timezone.override(zone_of(user))

    def __enter__(self):
        self.language.__enter__()
        self.zone.__enter__()
        return self

    def __exit__(self, *exc):
        self.zone.__exit__(*exc)
        self.language.__exit__(*exc)


def upcoming_consultation(follow_up: FollowUp | None) -> Consultation | None:
    if follow_up is None or not follow_up.consultation_id:
        return None
    consultation = follow_up.consultation
    if consultation.status == Consultation.Status.SCHEDULED and consultation.starts_at > timezone.now():
        return consultation
    return None


def _reminder_context(delivery: ReminderDelivery) -> dict:
    follow_up = delivery.follow_up
    now = timezone.now()
    return {
        "recipient": delivery.recipient,
        "delivery": delivery,
        "stage": delivery.stage,
        "follow_up": follow_up,
        "assignee": follow_up.assignee,
        "rule": follow_up.get_rule_display(),
        "record_url": follow_up_url(follow_up),
        "follow_up_url": absolute(follow_up_path(follow_up)),
        "due_at": follow_up.due_at,
        "days_overdue": max((now - follow_up.due_at).days, 0),
        "consultation": upcoming_consultation(follow_up),
        "site_url": settings.SITE_URL,
    }


def _digest_context(delivery: ReminderDelivery) -> dict:
    now = timezone.now()
    follow_ups = list(
        FollowUp.objects.filter(assignee=delivery.recipient, state__in=ACTIVE_STATES)
        .select_related("consultation", "shipment", "buyer", "outcome", "match")
        .order_by("due_at", "pk")[:DIGEST_LIMIT]
    )
    rows = [
        {
            "follow_up": f,
            "url": follow_up_url(f),
            "overdue": f.due_at < now and f.state == FollowUp.State.OPEN,
        }
        for f in follow_ups
    ]
    return {
        "recipient": delivery.recipient,
        "delivery": delivery,
        "rows": rows,
        "overdue_count": sum(1 for row in rows if row["overdue"]),
        "week": delivery.digest_week,
        "list_url": absolute("/follow-ups/"),
        "site_url": settings.SITE_URL,
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


def reminder_message(delivery: ReminderDelivery) -> EmailMultiAlternatives:
    """The e-mail of one delivery (a reminder or a digest), ready to send."""
    recipient = delivery.recipient
    name = "digest" if delivery.stage == Stage.DIGEST else "reminder"
    with recipient_locale(recipient):
        context = _digest_context(delivery) if name == "digest" else _reminder_context(delivery)
        subject = _one_line(render_to_string(f"emails/{name}-subject.txt", context))
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
        consultation = context.get("consultation")
        invitation = consultation_ics(consultation, delivery) if consultation else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((str(recipient), recipient.email))],
        headers={
            "Message-ID": message_id(delivery),
            "X-Reminder-Key": delivery.key,
            "Content-Language": recipient.language,
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    if invitation:
        message.attach("consultation.ics", invitation, "text/calendar; method=PUBLISH; charset=utf-8")
    return message


def consultation_ics(consultation: Consultation, delivery: ReminderDelivery) -> bytes:
    """An iCalendar event for the consultation. The UID is the consultation's own, so a second
    invitation (or a rescheduled one, with a higher SEQUENCE) updates the entry, never adds one."""
    match = consultation.match
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Jeonnam Technopark//JNTP Export Match//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"consultation-{consultation.pk}@{mail_domain()}")
    event.add("sequence", consultation.version)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", consultation.starts_at)
    event.add("dtend", consultation.starts_at + timedelta(minutes=consultation.duration_minutes))
    event.add(
        "summary",
        _("Consultation: %(company)s with %(buyer)s")
        % {"company": match.company.name, "buyer": match.buyer.name},
    )
    event.add(
        "description", f"{consultation.get_mode_display()}\n{absolute(f'/consultations/{consultation.pk}/')}"
    )
    event.add("url", absolute(f"/consultations/{consultation.pk}/"))
    event.add("location", consultation.get_mode_display())
    calendar.add_component(event)
    return calendar.to_ical()


def notification_text(delivery: ReminderDelivery) -> tuple[str, str, str]:
    """Title, message and link of the bell's notification, in the recipient's language."""
    follow_up = delivery.follow_up
    with recipient_locale(delivery.recipient):
        context = _reminder_context(delivery)
        title = _one_line(render_to_string("emails/reminder-subject.txt", context))
        body = _one_line(render_to_string("emails/notification-body.txt", context))
    return title, body, follow_up_path(follow_up)

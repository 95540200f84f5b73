"""Follow-ups: the rules that create them when the data calls for it, and what their owners do.

A rule looks for records in a given state past a threshold (REMINDER_* settings), and creates one
follow-up per record and assignee. Each follow-up carries a `dedupe_key` under a unique
constraint, so running a rule twice, or in two sweeps at once, creates nothing twice. A rule's
follow-up is due at REMINDER_DUE_HOUR (9:00) in the assignee's own time zone, on the day the
threshold falls, so "due tomorrow at 9" is 9 where the assignee lives, across daylight saving.
A follow-up whose reason went away (the result was logged, the buyer moved) is closed by the rule.

States: open → done | cancelled; open → snoozed (until a date) → open. Snoozing or handing a
follow-up on starts a new reminder round (see ReminderDelivery).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centers.models import Buyer
from jntp.users.models import User
from matching.links import follow_up_path
from matching.models import (
    Consultation,
    FollowUp,
    Match,
    Notification,
    Outcome,
    ReminderDelivery,
    SampleShipment,
)

logger = logging.getLogger(__name__)

Rule = FollowUp.Rule
State = FollowUp.State
ACTIVE_STATES = (State.OPEN, State.SNOOZED)
TARGETS = ("match", "consultation", "shipment", "buyer", "outcome")


# --- Time --------------------------------------------------------------------------------------
def zone_of(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime, user) -> date:
    return timezone.localtime(moment, zone_of(user)).date()


def at_due_hour(day: date, user) -> datetime:
    """REMINDER_DUE_HOUR o'clock of `day` in the user's zone (zoneinfo applies that day's offset)."""
    return datetime.combine(day, time(settings.REMINDER_DUE_HOUR), tzinfo=zone_of(user))


def add_working_days(day: date, count: int) -> date:
    """`count` working days after `day`, Monday to Friday (public holidays are not known here)."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


# --- Who is assigned -------------------------------------------------------------------------
class Assignees:
    """Finds the person a rule assigns, with one query per center, company or staff lookup."""

    def __init__(self):
        self._managers: dict[int, User | None] = {}
        self._company_users: dict[int, User | None] = {}
        self._default_staff: User | None = None
        self._default_staff_loaded = False

    def center_manager(self, center_id: int) -> User | None:
        if center_id not in self._managers:
            self._managers[center_id] = (
                User.objects.filter(role=User.Role.CENTER, center_id=center_id, is_active=True)
                .order_by("pk")
                .first()
            )
        return self._managers[center_id] or self.default_staff()

    def company_user(self, company_id: int) -> User | None:
        if company_id not in self._company_users:
            self._company_users[company_id] = (
                User.objects.filter(role=User.Role.COMPANY, company_id=company_id, is_active=True)
                .order_by("pk")
                .first()
            )
        return self._company_users[company_id]

    def default_staff(self) -> User | None:
        if not self._default_staff_loaded:
            self._default_staff = default_staff()
            self._default_staff_loaded = True
        return self._default_staff

    def staff_owner(self, *candidates) -> User | None:
        """The first of the record's creators who is active staff, else the office's default."""
        for user in candidates:
            if user is not None and user.is_active and user.role == User.Role.STAFF:
                return user
        return self.default_staff()


def default_staff() -> User | None:
    """Staff who get what has no staff owner: REMINDER_DEFAULT_STAFF_USERNAME, else the first."""
    staff = User.objects.staff()
    if settings.REMINDER_DEFAULT_STAFF_USERNAME:
        named = staff.filter(username=settings.REMINDER_DEFAULT_STAFF_USERNAME).first()
        if named is not None:
            return named
    return staff.order_by("pk").first()


def escalation_recipient(follow_up: FollowUp, assignees: Assignees | None = None) -> User | None:
    """Staff who hear that a follow-up is long overdue: its staff creator, its match's, else the
    default; never the assignee themselves."""
    assignees = assignees or Assignees()
    candidates = [follow_up.created_by, follow_up.match.created_by if follow_up.match_id else None]
    for user in candidates:
        if (
            user is not None
            and user.is_active
            and user.role == User.Role.STAFF
            and user.pk != follow_up.assignee_id
        ):
            return user
    fallback = assignees.default_staff()
    if fallback is not None and fallback.pk != follow_up.assignee_id:
        return fallback
    return User.objects.staff().exclude(pk=follow_up.assignee_id).order_by("pk").first() or fallback


# --- The rules -------------------------------------------------------------------------------
@dataclass
class Proposal:
    """A follow-up a rule wants to exist."""

    rule: str
    dedupe_key: str
    assignee: User
    due_at: datetime
    title: str
    targets: dict = field(default_factory=dict)


def _title(assignee: User, text, **values) -> str:
    """The title is written in the assignee's language, like a notification (`text` is lazy)."""
    with translation.override(assignee.language):
        # Companies and centers have a Korean and an English name: pick inside the override.
        values = {key: str(getattr(value, "name", value)) for key, value in values.items()}
        return (str(text) % values)[:200]


def _days(n: float) -> timedelta:
    return timedelta(days=n)


def _window(now: datetime, days: int):
    """Events whose threshold of `days` falls within about a day from now (the follow-up is created
    the day before it is due, so it is listed as "due tomorrow") and not before the lookback."""
    return now - _days(days + settings.REMINDER_RULE_LOOKBACK_DAYS), now - _days(days - 1)


def _consultation_result(now, assignees, limit) -> Iterable[Proposal]:
    days = settings.REMINDER_CONSULTATION_RESULT_DAYS
    oldest, newest = _window(now, days)
    consultations = (
        Consultation.objects.filter(
            status=Consultation.Status.SCHEDULED, starts_at__gte=oldest, starts_at__lte=min(newest, now)
        )
        .filter(~Exists(FollowUp.objects.filter(rule=Rule.CONSULTATION_RESULT, consultation=OuterRef("pk"))))
        .select_related("match__buyer", "match__company")
        .order_by("starts_at")[:limit]
    )
    for consultation in consultations:
        assignee = assignees.center_manager(consultation.match.buyer.center_id)
        if assignee is None:
            continue
        ended = consultation.starts_at + timedelta(minutes=consultation.duration_minutes)
        yield Proposal(
            rule=Rule.CONSULTATION_RESULT,
            dedupe_key=f"consultation_result:{consultation.pk}",
            assignee=assignee,
            due_at=at_due_hour(local_date(ended, assignee) + _days(days), assignee),
            title=_title(
                assignee,
                gettext_lazy("Log the result of the consultation of %(company)s with %(buyer)s"),
                company=consultation.match.company,
                buyer=consultation.match.buyer,
            ),
            targets={"consultation": consultation, "match": consultation.match},
        )


def _follow_up_date_prefix():
    return Concat(
        Value("consultation_follow_up:"),
        Cast("pk", CharField()),
        Value(":"),
        Cast("follow_up_on", CharField()),
        Value(":"),
        output_field=CharField(),
    )


def _consultation_follow_up(now, assignees, limit) -> Iterable[Proposal]:
    """The follow-up date set on a consultation: one for the company, one for staff, due that day.
    Created as soon as the date is set, so both see it coming."""
    today = timezone.localdate(now)
    consultations = (
        Consultation.objects.exclude(status=Consultation.Status.CANCELLED)
        .filter(
            follow_up_on__isnull=False,
            follow_up_on__gte=today - _days(settings.REMINDER_RULE_LOOKBACK_DAYS),
        )
        .annotate(key_prefix=_follow_up_date_prefix())
        .filter(
            ~Exists(
                FollowUp.objects.filter(
                    rule=Rule.CONSULTATION_FOLLOW_UP,
                    consultation=OuterRef("pk"),
                    dedupe_key__startswith=OuterRef("key_prefix"),
                )
            )
        )
        .select_related("match__buyer", "match__company", "match__created_by", "created_by")
        .order_by("follow_up_on", "pk")[:limit]
    )
    for consultation in consultations:
        company = consultation.match.company
        buyer = consultation.match.buyer
        people = [
            ("company", assignees.company_user(company.pk)),
            ("staff", assignees.staff_owner(consultation.created_by, consultation.match.created_by)),
        ]
        for who, assignee in people:
            if assignee is None:
                continue
            next_step = consultation.next_step or _title(
                assignee, gettext_lazy("Follow up with %(buyer)s"), buyer=buyer
            )
            yield Proposal(
                rule=Rule.CONSULTATION_FOLLOW_UP,
                dedupe_key=f"{consultation.key_prefix}{who}",
                assignee=assignee,
                due_at=at_due_hour(consultation.follow_up_on, assignee),
                title=_title(
                    assignee,
                    gettext_lazy("%(company)s and %(buyer)s: %(next_step)s"),
                    company=company,
                    buyer=buyer,
                    next_step=next_step,
                ),
                targets={"consultation": consultation, "match": consultation.match},
            )


def _sample_feedback(now, assignees, limit) -> Iterable[Proposal]:
    days = settings.REMINDER_SAMPLE_FEEDBACK_DAYS
    oldest, newest = _window(now, days)
    shipments = (
        SampleShipment.objects.filter(
            status=SampleShipment.Status.DELIVERED, delivered_at__gte=oldest, delivered_at__lte=newest
        )
        .filter(~Exists(FollowUp.objects.filter(rule=Rule.SAMPLE_FEEDBACK, shipment=OuterRef("pk"))))
        .select_related("company", "match__buyer")
        .order_by("delivered_at")[:limit]
    )
    for shipment in shipments:
        assignee = assignees.center_manager(shipment.center_id)
        if assignee is None:
            continue
        yield Proposal(
            rule=Rule.SAMPLE_FEEDBACK,
            dedupe_key=f"sample_feedback:{shipment.pk}",
            assignee=assignee,
            due_at=at_due_hour(local_date(shipment.delivered_at, assignee) + _days(days), assignee),
            title=_title(
                assignee,
                gettext_lazy("Record the buyer's feedback on the samples of %(company)s"),
                company=shipment.company,
            ),
            targets={"shipment": shipment, "match": shipment.match},
        )


def _sample_approval(now, assignees, limit) -> Iterable[Proposal]:
    """Waiting for more than N working days: a request of Monday (N = 3) is due on Friday at 9."""
    days = settings.REMINDER_SAMPLE_APPROVAL_WORKING_DAYS
    oldest, newest = _window(now, days)
    shipments = (
        SampleShipment.objects.filter(
            status=SampleShipment.Status.REQUESTED, created_at__gte=oldest, created_at__lte=newest
        )
        .filter(~Exists(FollowUp.objects.filter(rule=Rule.SAMPLE_APPROVAL, shipment=OuterRef("pk"))))
        .select_related("company", "center", "match__created_by")
        .order_by("created_at")[:limit]
    )
    for shipment in shipments:
        assignee = assignees.staff_owner(shipment.match.created_by if shipment.match_id else None)
        if assignee is None:
            continue
        due_day = add_working_days(local_date(shipment.created_at, assignee), days + 1)
        yield Proposal(
            rule=Rule.SAMPLE_APPROVAL,
            dedupe_key=f"sample_approval:{shipment.pk}",
            assignee=assignee,
            due_at=at_due_hour(due_day, assignee),
            title=_title(
                assignee,
                gettext_lazy("Approve or reject the sample request of %(company)s to %(center)s"),
                company=shipment.company,
                center=shipment.center,
            ),
            targets={"shipment": shipment, "match": shipment.match},
        )


def _buyer_stale(now, assignees, limit) -> Iterable[Proposal]:
    days = settings.REMINDER_BUYER_STALE_DAYS
    oldest, newest = _window(now, days)
    buyers = (
        Buyer.objects.exclude(status__in=Buyer.Status.closed_values())
        .filter(status_changed_at__gte=oldest, status_changed_at__lte=newest)
        .filter(
            ~Exists(
                FollowUp.objects.filter(
                    rule=Rule.BUYER_STALE,
                    buyer=OuterRef("pk"),
                    created_at__gte=OuterRef("status_changed_at"),
                )
            )
        )
        .order_by("status_changed_at")[:limit]
    )
    for buyer in buyers:
        assignee = assignees.center_manager(buyer.center_id)
        if assignee is None:
            continue
        yield Proposal(
            rule=Rule.BUYER_STALE,
            dedupe_key=f"buyer_stale:{buyer.pk}:{int(buyer.status_changed_at.timestamp())}",
            assignee=assignee,
            due_at=at_due_hour(local_date(buyer.status_changed_at, assignee) + _days(days), assignee),
            title=_title(
                assignee,
                gettext_lazy("Update %(buyer)s: its status “%(status)s” has not moved for %(days)s days"),
                buyer=buyer,
                status=Buyer.Status(buyer.status).label,
                days=days,
            ),
            targets={"buyer": buyer},
        )


CONTRACT_KINDS = (Outcome.Kind.CONTRACT, Outcome.Kind.PURCHASE_ORDER)


def _contract_after_mou():
    return Outcome.objects.filter(
        match=OuterRef("match"), kind__in=CONTRACT_KINDS, signed_on__gte=OuterRef("signed_on")
    )


def _mou_no_contract(now, assignees, limit) -> Iterable[Proposal]:
    days = settings.REMINDER_MOU_CONTRACT_DAYS
    oldest, newest = _window(now, days)
    mous = (
        Outcome.objects.filter(
            kind=Outcome.Kind.MOU, signed_on__gte=oldest.date(), signed_on__lte=newest.date()
        )
        .filter(~Exists(_contract_after_mou()))
        .filter(~Exists(FollowUp.objects.filter(rule=Rule.MOU_NO_CONTRACT, outcome=OuterRef("pk"))))
        .select_related("match__company", "match__buyer", "match__created_by", "created_by")
        .order_by("signed_on", "pk")[:limit]
    )
    for mou in mous:
        assignee = assignees.staff_owner(mou.created_by, mou.match.created_by)
        if assignee is None:
            continue
        yield Proposal(
            rule=Rule.MOU_NO_CONTRACT,
            dedupe_key=f"mou_no_contract:{mou.pk}",
            assignee=assignee,
            due_at=at_due_hour(mou.signed_on + _days(days), assignee),
            title=_title(
                assignee,
                gettext_lazy("%(company)s and %(buyer)s signed an MOU %(days)s days ago and no contract yet"),
                company=mou.match.company,
                buyer=mou.match.buyer,
                days=days,
            ),
            targets={"outcome": mou, "match": mou.match},
        )


def _consultation_upcoming(now, assignees, limit) -> Iterable[Proposal]:
    """A scheduled consultation: the company hears of it the day before at 9 (with an invitation).
    The follow-up is created about a day before that notice."""
    days = settings.REMINDER_CONSULTATION_NOTICE_DAYS
    consultations = (
        Consultation.objects.filter(
            status=Consultation.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + _days(days + 1)
        )
        .filter(
            ~Exists(FollowUp.objects.filter(rule=Rule.CONSULTATION_UPCOMING, consultation=OuterRef("pk")))
        )
        .select_related("match__buyer", "match__company")
        .order_by("starts_at")[:limit]
    )
    for consultation in consultations:
        assignee = assignees.company_user(consultation.match.company_id)
        if assignee is None:
            continue
        notice = at_due_hour(local_date(consultation.starts_at, assignee) - _days(days), assignee)
        yield Proposal(
            rule=Rule.CONSULTATION_UPCOMING,
            dedupe_key=f"consultation_upcoming:{consultation.pk}",
            assignee=assignee,
            due_at=max(notice, now) if notice < consultation.starts_at else now,
            title=_title(
                assignee,
                gettext_lazy("Prepare for your consultation with %(buyer)s"),
                buyer=consultation.match.buyer,
            ),
            targets={"consultation": consultation, "match": consultation.match},
        )


RULES = {
    Rule.CONSULTATION_RESULT: _consultation_result,
    Rule.CONSULTATION_FOLLOW_UP: _consultation_follow_up,
    Rule.SAMPLE_FEEDBACK: _sample_feedback,
    Rule.SAMPLE_APPROVAL: _sample_approval,
    Rule.BUYER_STALE: _buyer_stale,
    Rule.MOU_NO_CONTRACT: _mou_no_contract,
    Rule.CONSULTATION_UPCOMING: _consultation_upcoming,
}


def _resolved(now) -> dict[str, Q]:
    """For each rule, the open follow-ups whose reason has gone away."""
    return {
        Rule.CONSULTATION_RESULT: ~Q(consultation__status=Consultation.Status.SCHEDULED),
        Rule.CONSULTATION_FOLLOW_UP: Q(consultation__status=Consultation.Status.CANCELLED)
        | Q(consultation__follow_up_on__isnull=True)
        | ~Q(dedupe_key__startswith=F("expected_prefix")),
        Rule.SAMPLE_FEEDBACK: ~Q(shipment__status=SampleShipment.Status.DELIVERED),
        Rule.SAMPLE_APPROVAL: ~Q(shipment__status=SampleShipment.Status.REQUESTED),
        Rule.BUYER_STALE: Q(buyer__status__in=Buyer.Status.closed_values())
        | Q(buyer__status_changed_at__gt=F("created_at")),
        Rule.MOU_NO_CONTRACT: Q(
            Exists(
                Outcome.objects.filter(
                    match=OuterRef("outcome__match"),
                    kind__in=CONTRACT_KINDS,
                    signed_on__gte=OuterRef("outcome__signed_on"),
                )
            )
        ),
        Rule.CONSULTATION_UPCOMING: ~Q(consultation__status=Consultation.Status.SCHEDULED)
        | Q(consultation__starts_at__lte=now),
    }


def follow_up_create_for_rule(proposal: Proposal) -> FollowUp | None:
    """Create what a rule proposes, unless it exists: the unique dedupe key decides, even when two
    sweeps race (the loser's insert fails inside its savepoint and is ignored)."""
    follow_up = FollowUp(
        rule=proposal.rule,
        dedupe_key=proposal.dedupe_key,
        assignee=proposal.assignee,
        due_at=proposal.due_at,
        title=proposal.title,
        **proposal.targets,
    )
    # The database checks the unique key; asking it first would only race with another sweep.
    follow_up.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            follow_up.save()
    except IntegrityError:
        return None
    return follow_up


def follow_ups_apply_rules(*, now: datetime | None = None, limit: int | None = None) -> dict:
    """Run every rule once: create the follow-ups the data calls for, close those whose reason went
    away. At most `limit` records per rule and step, so a run stays short."""
    now = now or timezone.now()
    limit = limit or settings.REMINDER_SWEEP_BATCH_SIZE
    assignees = Assignees()
    created = 0
    for find in RULES.values():
        for proposal in list(find(now, assignees, limit)):
            if follow_up_create_for_rule(proposal) is not None:
                created += 1
    return {"follow_ups_created": created, "follow_ups_resolved": follow_ups_resolve(now=now, limit=limit)}


def follow_ups_resolve(*, now: datetime, limit: int) -> int:
    resolved = 0
    prefix = Concat(
        Value("consultation_follow_up:"),
        Cast("consultation_id", CharField()),
        Value(":"),
        Cast("consultation__follow_up_on", CharField()),
        Value(":"),
        output_field=CharField(),
    )
    for rule, condition in _resolved(now).items():
        with transaction.atomic():
            stale = (
                FollowUp.objects.filter(rule=rule, state__in=ACTIVE_STATES)
                .annotate(expected_prefix=prefix)
                .filter(condition)
                .order_by("pk")
                .values_list("pk", flat=True)[:limit]
            )
            pks = list(stale)
            if not pks:
                continue
            new_state = State.CANCELLED if rule == Rule.CONSULTATION_FOLLOW_UP else State.DONE
            for follow_up in FollowUp.objects.select_for_update().filter(pk__in=pks, state__in=ACTIVE_STATES):
                follow_up.state = new_state
                follow_up.snoozed_until = None
                if new_state == State.DONE:
                    follow_up.completed_at = now
                follow_up.save(update_fields=["state", "snoozed_until", "completed_at", "updated_at"])
                resolved += 1
            _skip_pending(pks)
    return resolved


def follow_ups_wake(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Snoozed follow-ups whose date came are open again (and due: their new round reminds)."""
    now = now or timezone.now()
    pks = list(
        FollowUp.objects.filter(state=State.SNOOZED, snoozed_until__lte=now)
        .order_by("snoozed_until")
        .values_list("pk", flat=True)[: limit or settings.REMINDER_SWEEP_BATCH_SIZE]
    )
    return FollowUp.objects.filter(pk__in=pks, state=State.SNOOZED).update(
        state=State.OPEN, snoozed_until=None, updated_at=now
    )


def _skip_pending(follow_up_ids) -> None:
    """Reminders not yet sent of follow-ups that changed are not needed any more."""
    ReminderDelivery.objects.filter(
        follow_up_id__in=follow_up_ids, status=ReminderDelivery.Status.PENDING
    ).update(status=ReminderDelivery.Status.SKIPPED, last_error="")


# --- What owners do --------------------------------------------------------------------------
def _can_see_targets(user, targets: dict) -> bool:
    for obj in targets.values():
        if obj is not None and not type(obj).objects.visible_to(user).filter(pk=obj.pk).exists():
            return False
    return True


def _check_owner(follow_up: FollowUp, by) -> None:
    if not FollowUp.objects.visible_to(by).filter(pk=follow_up.pk).exists():
        raise PermissionDenied(_("This follow-up is not yours."))


def _after_change(follow_up: FollowUp, by) -> FollowUp:
    follow_up.refresh_from_db()
    follow_up._history_user = by
    follow_up.save(update_fields=["updated_at"])  # one audit-history row per change
    return follow_up


def _refuse_stale(follow_up: FollowUp) -> None:
    follow_up.refresh_from_db()
    raise ValidationError(
        _("This follow-up is “%(state)s” now; nothing was changed.")
        % {"state": follow_up.get_state_display()},
        code="stale",
    )


@transaction.atomic
def follow_up_create(
    *,
    title: str,
    due_at: datetime,
    assignee,
    created_by,
    notes: str = "",
    match=None,
    consultation=None,
    shipment=None,
    buyer=None,
    outcome=None,
) -> FollowUp:
    """A follow-up by hand. Staff create them, for anyone who can see what it is about."""
    if not getattr(created_by, "is_jntp_staff", False):
        raise PermissionDenied(_("Only JNTP staff create follow-ups by hand."))
    targets = {
        "match": match,
        "consultation": consultation,
        "shipment": shipment,
        "buyer": buyer,
        "outcome": outcome,
    }
    if not assignee.is_active:
        raise ValidationError({"assignee": _("This user can no longer sign in.")})
    if not _can_see_targets(assignee, targets):
        raise ValidationError({"assignee": _("This user cannot see the record this follow-up is about.")})
    follow_up = FollowUp(
        title=title, notes=notes, due_at=due_at, assignee=assignee, created_by=created_by, **targets
    )
    follow_up.full_clean()
    follow_up._history_user = created_by
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, by, at: datetime | None = None) -> FollowUp:
    _check_owner(follow_up, by)
    at = at or timezone.now()
    updated = FollowUp.objects.filter(pk=follow_up.pk, state__in=ACTIVE_STATES).update(
        state=State.DONE, completed_at=at, completed_by=by, snoozed_until=None, updated_at=at
    )
    if updated != 1:
        _refuse_stale(follow_up)
    _skip_pending([follow_up.pk])
    return _after_change(follow_up, by)


SNOOZE_LONGEST = timedelta(days=366)


@transaction.atomic
def follow_up_snooze(*, follow_up: FollowUp, by, until: datetime, at: datetime | None = None) -> FollowUp:
    """Put it off until a date: it is due again then, and reminded again (a new round)."""
    _check_owner(follow_up, by)
    at = at or timezone.now()
    if until <= at:
        raise ValidationError({"until": _("Choose a time in the future.")})
    if until > at + SNOOZE_LONGEST:
        raise ValidationError({"until": _("Snooze for a year at most.")})
    updated = FollowUp.objects.filter(pk=follow_up.pk, state__in=ACTIVE_STATES).update(
        state=State.SNOOZED, snoozed_until=until, due_at=until, round=F("round") + 1, updated_at=at
    )
    if updated != 1:
        _refuse_stale(follow_up)
    _skip_pending([follow_up.pk])
    return _after_change(follow_up, by)


def hand_on_candidates(by, follow_up: FollowUp | None = None):
    """Whom a user may hand a follow-up to: people of their own company or center, and staff.

    Given the follow-up, the ones worth offering: staff, the user's own colleagues, the colleagues
    of its assignee, and whoever can see its record (the users of the record's company and center,
    and for a buyer the companies matched with it). follow_up_hand_on still checks that the new
    owner can see the record. Offering every user was 10,000 options at national scale."""
    candidates = User.objects.filter(is_active=True).filter(
        Q(pk__in=User.objects.visible_to(by).values("pk")) | Q(role=User.Role.STAFF)
    )
    if follow_up is None:
        return candidates
    worth = _can_see_record(follow_up)
    if by.role != User.Role.STAFF:
        worth |= Q(pk__in=User.objects.visible_to(by).values("pk"))
    assignee = follow_up.assignee
    if assignee.company_id:
        worth |= Q(company_id=assignee.company_id)
    if assignee.center_id:
        worth |= Q(center_id=assignee.center_id)
    return candidates.filter(worth)


def _can_see_record(follow_up: FollowUp) -> Q:
    """Users who may see the record a follow-up is about (besides staff), as a condition on User."""
    companies, centers, buyers = set(), set(), set()
    for match in (
        follow_up.match,
        follow_up.consultation.match if follow_up.consultation_id else None,
        follow_up.outcome.match if follow_up.outcome_id else None,
    ):
        if match is not None:
            companies.add(match.company_id)
            centers.add(match.buyer.center_id)
    if follow_up.shipment_id:
        companies.add(follow_up.shipment.company_id)
        centers.add(follow_up.shipment.center_id)
    if follow_up.buyer_id:
        centers.add(follow_up.buyer.center_id)
        buyers.add(follow_up.buyer_id)
    return (
        Q(role=User.Role.STAFF)
        | Q(company_id__in=companies)
        | Q(center_id__in=centers)
        | Q(company_id__in=Match.objects.filter(buyer_id__in=buyers).values("company_id"))
    )


@transaction.atomic
def follow_up_hand_on(*, follow_up: FollowUp, by, to, note: str = "", at: datetime | None = None) -> FollowUp:
    """Give it to someone else; they are reminded from now on (a new round), and told at once."""
    _check_owner(follow_up, by)
    at = at or timezone.now()
    if to.pk == follow_up.assignee_id:
        raise ValidationError({"to": _("This follow-up is already theirs.")})
    if not hand_on_candidates(by).filter(pk=to.pk).exists():
        raise ValidationError({"to": _("You can hand a follow-up on to your colleagues or to JNTP staff.")})
    targets = {name: getattr(follow_up, name) for name in TARGETS if getattr(follow_up, f"{name}_id")}
    if not _can_see_targets(to, targets):
        raise ValidationError({"to": _("This user cannot see the record this follow-up is about.")})
    notes = follow_up.notes
    if note.strip():
        notes = f"{notes}\n\n{by}: {note.strip()}".strip()
    updated = FollowUp.objects.filter(
        pk=follow_up.pk, state__in=ACTIVE_STATES, assignee_id=follow_up.assignee_id
    ).update(assignee=to, notes=notes, round=F("round") + 1, updated_at=at)
    if updated != 1:
        _refuse_stale(follow_up)
    _skip_pending([follow_up.pk])
    follow_up = _after_change(follow_up, by)
    with translation.override(to.language):
        Notification.objects.create(
            recipient=to,
            follow_up=follow_up,
            title=_("%(name)s handed you a follow-up") % {"name": by},
            body=follow_up.title,
            url=follow_up_path(follow_up),
        )
    return follow_up

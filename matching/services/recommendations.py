"""Acting on a recommendation: staff accept it (a match) or dismiss it (never offered again); a center
manager proposes a match to staff, who accept or decline the proposal.

Who may do what: staff accept, dismiss, restore and decide on proposals; a center manager proposes
matches for the center's own buyers. Company users do none of it (they never see recommendations).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Match, MatchProposal, RecommendationDismissal

from .matches import match_create


def _require_staff(user, action: str) -> None:
    if getattr(user, "role", None) != "staff" or not user.is_active:
        raise PermissionDenied(_("Only JNTP staff may %(action)s.") % {"action": action})


def _refuse_matched(company, buyer) -> None:
    if Match.objects.filter(company=company, buyer=buyer).exists():
        raise ValidationError(_("This company is already matched with this buyer."), code="matched")


def _refuse_dismissed(company, buyer) -> None:
    if RecommendationDismissal.objects.filter(company=company, buyer=buyer).exists():
        raise ValidationError(
            _("This pair was dismissed; restore it before matching or proposing it."), code="dismissed"
        )


def _decide(
    proposal: MatchProposal, *, to: str, by, at: datetime, note: str = "", match=None
) -> MatchProposal:
    """pending → accepted | declined, checked in the UPDATE itself: of two staff deciding at once,
    the second is told instead of deciding again."""
    updated = MatchProposal.objects.filter(pk=proposal.pk, status=MatchProposal.Status.PENDING).update(
        status=to, decided_by=by, decided_at=at, decision_note=note, match=match
    )
    if updated != 1:
        proposal.refresh_from_db()
        raise ValidationError(
            _("This proposal was already decided (%(status)s); nothing was changed.")
            % {"status": proposal.get_status_display()},
            code="stale",
        )
    proposal.refresh_from_db()
    proposal._history_user = by
    proposal.save(update_fields=["decision_note"])  # one audit-history row for the decision
    return proposal


@transaction.atomic
def recommendation_accept(*, company, buyer, by, notes: str = "", at: datetime | None = None) -> Match:
    """Turn a recommendation into a match. If a center manager had proposed the pair, the proposal is
    accepted with it and the match says it came from the center."""
    _require_staff(by, _("accept a recommendation"))
    _refuse_dismissed(company, buyer)
    pending = MatchProposal.objects.pending().filter(company=company, buyer=buyer).first()
    if pending is not None:
        return match_proposal_accept(proposal=pending, by=by, notes=notes, at=at)
    return match_create(
        company=company,
        buyer=buyer,
        source=Match.Source.ENGINE,
        stage=Match.Stage.ACTIVE,
        created_by=by,
        notes=notes,
        at=at,
    )


@transaction.atomic
def recommendation_dismiss(
    *, company, buyer, reason: str, by, note: str = "", at: datetime | None = None
) -> RecommendationDismissal:
    """Never recommend this pair again (until restored). A pending center proposal of the pair is
    declined with the same reason."""
    _require_staff(by, _("dismiss a recommendation"))
    _refuse_matched(company, buyer)
    at = at or timezone.now()
    dismissal = RecommendationDismissal(
        company=company, buyer=buyer, reason=reason, note=note, dismissed_by=by, dismissed_at=at
    )
    dismissal.full_clean()
    try:
        # The unique constraint decides when two people dismiss the same pair at once.
        with transaction.atomic():
            dismissal._history_user = by
            dismissal.save()
    except IntegrityError as error:
        raise ValidationError(_("This recommendation was already dismissed."), code="duplicate") from error
    for proposal in MatchProposal.objects.pending().filter(company=company, buyer=buyer):
        _decide(
            proposal,
            to=MatchProposal.Status.DECLINED,
            by=by,
            at=at,
            note=note or dismissal.get_reason_display(),
        )
    return dismissal


@transaction.atomic
def recommendation_restore(*, dismissal: RecommendationDismissal, by) -> None:
    """Undo a dismissal: the pair can be recommended again. The audit history keeps both steps."""
    _require_staff(by, _("restore a dismissed recommendation"))
    dismissal._history_user = by
    dismissal.delete()


@transaction.atomic
def match_proposal_create(*, company, buyer, by, note: str = "", at: datetime | None = None) -> MatchProposal:
    """A center manager asks staff to match a buyer of the center with a company."""
    if getattr(by, "role", None) != "center" or not by.is_active or by.center_id != buyer.center_id:
        raise PermissionDenied(_("Only the manager of this buyer's center may propose a match for it."))
    _refuse_matched(company, buyer)
    _refuse_dismissed(company, buyer)
    proposal = MatchProposal(
        company=company, buyer=buyer, note=note, proposed_by=by, proposed_at=at or timezone.now()
    )
    proposal.full_clean()
    try:
        with transaction.atomic():
            proposal._history_user = by
            proposal.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This match has already been proposed to staff."), code="duplicate"
        ) from error
    return proposal


@transaction.atomic
def match_proposal_accept(
    *, proposal: MatchProposal, by, notes: str = "", at: datetime | None = None
) -> Match:
    """Staff accept a center's proposal: the match is created (source: the center) and linked."""
    _require_staff(by, _("decide on a match proposal"))
    at = at or timezone.now()
    match = match_create(
        company=proposal.company,
        buyer=proposal.buyer,
        source=Match.Source.CENTER,
        stage=Match.Stage.ACTIVE,
        created_by=by,
        notes=notes or proposal.note,
        at=at,
    )
    _decide(proposal, to=MatchProposal.Status.ACCEPTED, by=by, at=at, note=notes, match=match)
    return match


@transaction.atomic
def match_proposal_decline(
    *, proposal: MatchProposal, by, reason: str, note: str = "", at: datetime | None = None
) -> MatchProposal:
    """Staff decline a center's proposal. The pair is dismissed with the reason, so that the engine
    does not offer it again either."""
    _require_staff(by, _("decide on a match proposal"))
    at = at or timezone.now()
    proposal = _decide(proposal, to=MatchProposal.Status.DECLINED, by=by, at=at, note=note)
    if not RecommendationDismissal.objects.filter(company=proposal.company, buyer=proposal.buyer).exists():
        recommendation_dismiss(
            company=proposal.company, buyer=proposal.buyer, reason=reason, note=note, by=by, at=at
        )
    return proposal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from matching.models import Match


def match_create(
    *,
    company,
    buyer,
    source: str = Match.Source.STAFF,
    created_by=None,
    notes: str = "",
    stage: str = Match.Stage.PROPOSED,
    contact_shared: bool = False,
    at=None,
) -> Match:
    match = Match(
        company=company,
        buyer=buyer,
        source=source,
        created_by=created_by,
        notes=notes,
        stage=stage,
        contact_shared=contact_shared,
    )
    if at is not None:
        match.created_at = match.stage_changed_at = at
    match.full_clean()
    try:
        # The unique constraint decides when two people match the same pair at once.
        with transaction.atomic():
            match._history_user = created_by
            match.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This company is already matched with this buyer."), code="duplicate"
        ) from error
    return match


MATCH_EDITABLE = frozenset({"stage", "notes", "contact_shared"})


@transaction.atomic
def match_update(*, match: Match, data: dict, expected_version: int, by) -> Match:
    """Save a match's stage, notes and contact sharing. The stage moves forward only (or to won, lost
    or closed from an open stage); a move stamps when it happened."""
    from django.utils import timezone

    from jntp.services import model_update

    unknown = set(data) - MATCH_EDITABLE
    if unknown:
        raise ValueError(f"match fields a form may not write: {sorted(unknown)}")
    stage = data.get("stage", match.stage)
    if stage != match.stage:
        if not match.can_move_to(stage):
            raise ValidationError(
                {
                    "stage": _("A match cannot move from “%(from)s” to “%(to)s”.")
                    % {"from": match.get_stage_display(), "to": Match.Stage(stage).label}
                },
                code="invalid_transition",
            )
        data = {**data, "stage_changed_at": timezone.now()}
    return model_update(match, data=data, expected_version=expected_version, by=by)

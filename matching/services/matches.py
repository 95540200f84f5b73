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
            match.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This company is already matched with this buyer."), code="duplicate"
        ) from error
    return match

"""Every write to the matching domain. Views, forms and tasks call these; none of them writes itself."""

from .companies import company_create, company_update
from .consultations import (
    consultation_cancel,
    consultation_create,
    consultation_log_result,
    consultation_update,
)
from .events import event_create, event_update
from .matches import match_create, match_update
from .outcomes import exchange_rate_for, outcome_create, outcome_update
from .recommendations import (
    match_proposal_accept,
    match_proposal_create,
    match_proposal_decline,
    recommendation_accept,
    recommendation_dismiss,
    recommendation_restore,
)
from .shipments import (
    shipment_add_documents,
    shipment_approve,
    shipment_cancel,
    shipment_deliver,
    shipment_record_feedback,
    shipment_reject,
    shipment_request,
    shipment_ship,
    support_left_krw,
)

__all__ = [
    "consultation_cancel",
    "consultation_create",
    "consultation_log_result",
    "consultation_update",
    "company_create",
    "company_update",
    "event_create",
    "event_update",
    "exchange_rate_for",
    "match_create",
    "match_update",
    "outcome_create",
    "shipment_add_documents",
    "outcome_update",
    "match_proposal_accept",
    "match_proposal_create",
    "match_proposal_decline",
    "recommendation_accept",
    "recommendation_dismiss",
    "recommendation_restore",
    "shipment_approve",
    "shipment_cancel",
    "shipment_deliver",
    "shipment_record_feedback",
    "shipment_reject",
    "shipment_request",
    "shipment_ship",
    "support_left_krw",
]

"""Every write to the matching domain. Views, forms and tasks call these; none of them writes itself."""

from .consultations import consultation_cancel, consultation_create, consultation_log_result
from .matches import match_create
from .outcomes import exchange_rate_for, outcome_create
from .recommendations import (
    match_proposal_accept,
    match_proposal_create,
    match_proposal_decline,
    recommendation_accept,
    recommendation_dismiss,
    recommendation_restore,
)
from .shipments import (
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
    "exchange_rate_for",
    "match_create",
    "match_proposal_accept",
    "match_proposal_create",
    "match_proposal_decline",
    "outcome_create",
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

"""Every write to the matching domain. Views, forms and tasks call these; none of them writes itself."""

from .consultations import (
    consultation_cancel,
    consultation_create,
    consultation_log_result,
    consultation_update,
)
from .matches import match_create
from .outcomes import exchange_rate_for, outcome_create
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
    "exchange_rate_for",
    "match_create",
    "outcome_create",
    "shipment_add_documents",
    "shipment_approve",
    "shipment_cancel",
    "shipment_deliver",
    "shipment_record_feedback",
    "shipment_reject",
    "shipment_request",
    "shipment_ship",
    "support_left_krw",
]

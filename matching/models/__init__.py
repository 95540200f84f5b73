from .companies import Company, CompanyTargetCountry, Product
from .followups import FollowUp, Notification, ReminderDelivery, TaskHeartbeat
from .matches import Consultation, ExchangeRate, ExportEvent, Match, Outcome
from .recommendations import BuyerHeadingHistory, BuyerSignal, MatchProposal, RecommendationDismissal
from .shipments import SampleShipment, ShipmentDocument, ShipmentItem, ShipmentStatusChange

__all__ = [
    "BuyerHeadingHistory",
    "BuyerSignal",
    "Company",
    "CompanyTargetCountry",
    "Consultation",
    "ExchangeRate",
    "ExportEvent",
    "FollowUp",
    "Match",
    "MatchProposal",
    "Notification",
    "Outcome",
    "Product",
    "RecommendationDismissal",
    "ReminderDelivery",
    "SampleShipment",
    "ShipmentDocument",
    "ShipmentItem",
    "ShipmentStatusChange",
    "TaskHeartbeat",
]

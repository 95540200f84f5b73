from .companies import Company, CompanyTargetCountry, Product
from .followups import FollowUp, Notification, ReminderDelivery, TaskHeartbeat
from .matches import Consultation, ExchangeRate, ExportEvent, Match, Outcome
from .shipments import SampleShipment, ShipmentDocument, ShipmentItem, ShipmentStatusChange

__all__ = [
    "Company",
    "CompanyTargetCountry",
    "Consultation",
    "ExchangeRate",
    "ExportEvent",
    "FollowUp",
    "Match",
    "Notification",
    "Outcome",
    "Product",
    "ReminderDelivery",
    "SampleShipment",
    "ShipmentDocument",
    "ShipmentItem",
    "ShipmentStatusChange",
    "TaskHeartbeat",
]

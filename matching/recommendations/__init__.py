"""The matching engine: explainable recommendations of buyers for a company and companies for a buyer.

weights.py   every weight of the score, documented (the one place to tune the ranking)
scoring.py   the score as database expressions
engine.py    recommended_buyers(), recommended_companies(): the ranking with its reasons
reasons.py   the reasons, in the active language
"""

from .engine import (
    DEFAULT_LIMIT,
    Recommendation,
    may_see_recommendations,
    recommended_buyers,
    recommended_companies,
)
from .reasons import Reason

__all__ = [
    "DEFAULT_LIMIT",
    "Reason",
    "Recommendation",
    "may_see_recommendations",
    "recommended_buyers",
    "recommended_companies",
]

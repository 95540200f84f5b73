"""Every weight of the recommendation score, in one place.

A recommendation pairs one company with one buyer. Its score is the sum of these parts, all in
points (a strong pair scores about 80–100; a dormant or dropped buyer can go below zero):

    score = hs + more + market + fit + pipeline + activity + load + history

hs        the best pair of a company product and a buyer interest (research/domain.md §2: longest
          common prefix of the 6-digit codes): HS_EXACT for the same subheading, HS_HEADING for the
          same 4-digit heading, HS_CHAPTER for the same 2-digit chapter. A pair with no common
          chapter is never recommended.
more      HS_MORE_HEADINGS for each further 4-digit heading both sides share, up to
          HS_MORE_HEADINGS_MAX headings.
market    MARKET_TARGET when the buyer's country is one of the company's target countries.
fit       FIT[company industry][buyer business type]: GOOD, FAIR or nothing.
pipeline  PIPELINE[buyer status]: a buyer moving along the pipeline rises, a dormant or dropped one sinks.
activity  ACTIVE when the buyer's status moved or a consultation with it took place within
          ACTIVE_DAYS; STALE when neither happened within STALE_DAYS.
load      OPEN_MATCH for each open match the buyer carries beyond OPEN_MATCHES_FREE, down to
          OPEN_MATCHES_MAX matches: a buyer everyone already courts has little time for one more.
history   what this buyer did with companies selling in the company's HS headings, heading by
          heading (a sample or deal counts once in each of those headings it involves):
          feedback  FEEDBACK_PER_STAR × (its average rating of samples of such products −
                    FEEDBACK_NEUTRAL);
          deals     DEAL if it signed a contract, export agreement or purchase order with such a
                    company, MOU if only MOUs;
          lost      LOST for each lost match with such a company, down to LOST_MAX matches.

The same formula ranks buyers for a company and companies for a buyer, so a pair has one score
whichever page shows it. To change the ranking, change the numbers here (and the tests that pin
the order in tests/matching/test_recommendations.py); the engine reads nothing else.
"""

from centers.models import Buyer
from matching.models import Company, Outcome

# --- HS-code overlap ----------------------------------------------------------------------------------
HS_EXACT = 40
HS_HEADING = 25
HS_CHAPTER = 10
HS_MORE_HEADINGS = 3
HS_MORE_HEADINGS_MAX = 2

# --- Market and fit -----------------------------------------------------------------------------------
MARKET_TARGET = 15

GOOD = 8
FAIR = 4
_B = Buyer.BusinessType
_I = Company.Industry
_FOOD = {
    _B.IMPORTER: GOOD,
    _B.DISTRIBUTOR: GOOD,
    _B.RETAILER: GOOD,
    _B.FOOD_SERVICE: GOOD,
    _B.ONLINE_RETAILER: FAIR,
    _B.TRADING: FAIR,
    _B.MANUFACTURER: FAIR,  # food processors buy ingredients
}
_CONSUMER = {
    _B.IMPORTER: GOOD,
    _B.DISTRIBUTOR: GOOD,
    _B.RETAILER: GOOD,
    _B.ONLINE_RETAILER: GOOD,
    _B.TRADING: FAIR,
}
_INDUSTRIAL = {
    _B.MANUFACTURER: GOOD,
    _B.TRADING: GOOD,
    _B.EPC: FAIR,
    _B.IMPORTER: FAIR,
    _B.DISTRIBUTOR: FAIR,
}
# Which kinds of buyer buy what each industry makes. Pairs not listed score nothing.
FIT: dict[str, dict[str, int]] = {
    _I.AGRI_FOOD: _FOOD,
    _I.SEAFOOD: _FOOD,
    _I.BIO_HEALTH: {**_CONSUMER, _B.RETAILER: FAIR, _B.MANUFACTURER: FAIR},
    _I.COSMETICS: _CONSUMER,
    _I.ENERGY: {
        _B.EPC: GOOD,
        _B.DISTRIBUTOR: GOOD,
        _B.MANUFACTURER: FAIR,
        _B.IMPORTER: FAIR,
        _B.TRADING: FAIR,
    },
    _I.CHEMICALS: _INDUSTRIAL,
    _I.METALS: {**_INDUSTRIAL, _B.EPC: GOOD},
    _I.MACHINERY: {**_INDUSTRIAL, _B.DISTRIBUTOR: GOOD},
    _I.SHIPBUILDING: {_B.EPC: GOOD, _B.OTHER: FAIR, _B.TRADING: FAIR, _B.MANUFACTURER: FAIR},
    _I.CERAMICS: {**_CONSUMER, _B.FOOD_SERVICE: FAIR, _B.ONLINE_RETAILER: FAIR},
    _I.ICT: {_B.DISTRIBUTOR: GOOD, _B.MANUFACTURER: FAIR, _B.EPC: FAIR, _B.IMPORTER: FAIR},
    _I.OTHER: {_B.IMPORTER: FAIR, _B.DISTRIBUTOR: FAIR, _B.TRADING: FAIR},
}

# --- The buyer's pipeline and activity ----------------------------------------------------------------
_S = Buyer.Status
PIPELINE: dict[str, int] = {
    _S.PROSPECT: 0,
    _S.CONTACTED: 2,
    _S.INTERESTED: 6,
    _S.SAMPLE_REQUESTED: 6,
    _S.NEGOTIATING: 4,
    _S.CONTRACTED: 4,  # already buys through JNTP: room for another supplier, less for a first one
    _S.DORMANT: -20,
    _S.DROPPED: -40,
}
ACTIVE = 5
ACTIVE_DAYS = 90
STALE = -8
STALE_DAYS = 365

# --- History with companies of the same HS headings ---------------------------------------------------
FEEDBACK_PER_STAR = 4
FEEDBACK_NEUTRAL = 3  # a 3/5 rating neither helps nor hurts
DEAL = 10
# The database triggers count deals with these kinds (upkeep.py): a change here needs a migration
# that reinstalls them and rebuilds the counts (upkeep.install, upkeep.refresh_all).
DEAL_KINDS = (Outcome.Kind.CONTRACT, Outcome.Kind.EXPORT_AGREEMENT, Outcome.Kind.PURCHASE_ORDER)
MOU = 5
LOST = -4
LOST_MAX = 2

# --- Load: open matches the buyer already carries -----------------------------------------------------
OPEN_MATCH = -3
OPEN_MATCHES_FREE = 3
OPEN_MATCHES_MAX = 5

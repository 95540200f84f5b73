"""What happened in JNTP's 2021 (seed/jntp-article-2022-01-27.txt): the events, the outcomes that
make the year's figures, and the monthly exchange rates they are converted at.

Outcomes are written in USD and signed in the buyer's currency at the month's rate, so the report's
conversion back to USD lands on the article's figures: USD 2,730,000 of export agreements through
the centers, a USD 3,000,000 contract at KOREA-UAE Energy Week 2021, and 17 MOUs."""

from datetime import date

FESTIVAL = "online-export-festival-2021"
ENERGY_WEEK = "korea-uae-energy-week-2021"

EVENTS = [
    # code, Korean name, English name, kind, starts, ends, city, country
    (
        FESTIVAL,
        "2021 전남TP 해외비즈니스센터 온라인 수출 페스티벌",
        "2021 JNTP Online Export Festival",
        "export_festival",
        date(2021, 11, 30),
        date(2021, 12, 2),
        "Yeosu",
        "KR",
    ),
    (
        ENERGY_WEEK,
        "KOREA-UAE 에너지위크 2021",
        "KOREA-UAE Energy Week 2021",
        "energy_week",
        date(2021, 10, 3),
        date(2021, 10, 7),
        "Dubai",
        "AE",
    ),
]

# Pairs the story needs; the rest of the matches come from HS-code overlap (builder.py).
# (company English name, buyer name)
PINNED_MATCHES = [
    ("Wando Sea Laver Fishery Corp.", "Kansai Korean Foods Co."),
    ("Wando Sea Laver Fishery Corp.", "Dalian Ocean Seafood Co."),
    ("Naju Energy Solutions Co.", "Gulf Power Contracting LLC"),
    ("Naju Energy Solutions Co.", "Tashkent Power Engineering"),
]

# Export agreements through the centers: (company, buyer, USD, currency, signed, event)
AGREEMENTS = [
    ("Wando Sea Laver Fishery Corp.", "Kansai Korean Foods Co.", 480_000, "JPY", date(2021, 12, 1), FESTIVAL),
    ("Wando Abalone Land Fishery Corp.", "Naniwa Kaisan Shoji", 420_000, "JPY", date(2021, 7, 15), None),
    ("Goheung Yuja Aroma Co.", "Shanghai Gourmet Retail Co.", 350_000, "CNY", date(2021, 6, 10), None),
    ("Haenam Sunlight Laver Co.", "Pacific Rim Foods Inc.", 320_000, "USD", date(2021, 9, 8), None),
    ("Naju Pear Farming Corp.", "Taipei Fresh Fruit Import", 300_000, "USD", date(2021, 11, 30), FESTIVAL),
    ("Yeosu Surfactant Chemical Co.", "Bangkok Chemical Trading", 260_000, "USD", date(2021, 10, 20), None),
    ("Hwasun Vaccine Bio", "Vietnam Pharma Distribution JSC", 250_000, "USD", date(2021, 12, 2), FESTIVAL),
    ("Boseong Green Tea Garden", "Rhein Tee Handel GmbH", 200_000, "EUR", date(2021, 5, 18), None),
    ("Suncheon Fermented Foods", "Hudson Asian Grocery Inc.", 150_000, "USD", date(2021, 8, 25), None),
]

CONTRACTS = [
    (
        "Naju Energy Solutions Co.",
        "Gulf Power Contracting LLC",
        3_000_000,
        "AED",
        date(2021, 10, 5),
        ENERGY_WEEK,
    ),
]

MOUS = [
    ("Naju PV Module", "Emirates Solar Trading", date(2021, 10, 5), ENERGY_WEEK),
    ("Naju ESS Systems", "Al Noor Green Hydrogen", date(2021, 10, 6), ENERGY_WEEK),
    ("Yeosu Hydrogen Tech", "Al Noor Green Hydrogen", date(2021, 10, 6), ENERGY_WEEK),
    ("Gwangyang Steel Parts", "Dubai Steel Structures FZE", date(2021, 10, 5), ENERGY_WEEK),
    ("Naju Smart Grid", "Steppe Energy LLC", date(2021, 11, 30), FESTIVAL),
    ("Jangseong Nano Cosmetics", "Pudong Beauty Supply Co.", date(2021, 12, 1), FESTIVAL),
    ("Naju Natural Cosmetics", "Bangkok Beauty Hub", date(2021, 12, 1), FESTIVAL),
    ("Sinan Sun-dried Salt Farming Corp.", "Harbour Salt & Spice Pty Ltd", date(2021, 12, 2), FESTIVAL),
    ("Hampyeong Butterfly Rice", "Ulaanbaatar Trade House", date(2021, 12, 2), FESTIVAL),
    ("Jindo Turmeric Co.", "Primorye Food Import", date(2021, 4, 22), None),
    ("Gurye Cornus Co.", "Taiwan Health Mart", date(2021, 6, 3), None),
    ("Yeonggwang Wind Tech", "Southern Cross Renewables Pty Ltd", date(2021, 9, 14), None),
    ("Haenam Duck Down", "Formosa Down Co.", date(2021, 3, 25), None),
    ("Yeosu Fertilizer", "Sumatra Agro Supply", date(2021, 8, 11), None),
    ("Jangheung Shiitake Farming Corp.", "Pacific Mushroom Trading Ltd.", date(2021, 7, 7), None),
    ("Naju Solar Thermal", "Uzbek Solar Energy LLC", date(2021, 11, 9), None),
    ("Gangjin Celadon Works", "Manhattan Tea & Gift Co.", date(2021, 5, 27), None),
]

# Approximate 2021 monthly averages, units per USD (demo data, not an official series).
RATES_2021 = {
    "KRW": [1097.5, 1111.6, 1131.0, 1118.4, 1121.2, 1120.6, 1143.9, 1160.3, 1169.7, 1183.4, 1182.9, 1183.0],
    "JPY": [103.8, 105.4, 108.7, 109.1, 109.1, 110.1, 110.2, 109.8, 110.1, 113.1, 114.0, 113.9],
    "CNY": [6.47, 6.46, 6.51, 6.54, 6.43, 6.41, 6.48, 6.48, 6.46, 6.42, 6.39, 6.37],
    "EUR": [0.823, 0.826, 0.839, 0.833, 0.822, 0.828, 0.846, 0.85, 0.852, 0.864, 0.877, 0.885],
    "TWD": [28.0, 27.9, 28.4, 28.2, 27.7, 27.7, 28.0, 27.9, 27.8, 27.9, 27.8, 27.7],
    "VND": [23060, 23030, 23080, 23070, 23050, 23020, 23000, 22830, 22750, 22760, 22690, 22900],
    "THB": [30.0, 30.0, 30.6, 31.3, 31.3, 31.6, 32.8, 33.1, 33.3, 33.5, 33.1, 33.6],
    "IDR": [14050, 14050, 14400, 14500, 14300, 14350, 14500, 14370, 14260, 14150, 14250, 14330],
    "MNT": [2850] * 12,
    "RUB": [74.2, 74.4, 74.4, 76.1, 74.3, 72.6, 73.6, 73.4, 72.9, 71.4, 72.6, 73.7],
    "UZS": [10480, 10490, 10500, 10520, 10560, 10600, 10620, 10660, 10680, 10720, 10760, 10810],
    "AED": [3.6725] * 12,
    "CAD": [1.27, 1.27, 1.26, 1.25, 1.21, 1.22, 1.25, 1.26, 1.27, 1.25, 1.26, 1.28],
    "AUD": [1.30, 1.29, 1.30, 1.30, 1.29, 1.32, 1.35, 1.37, 1.37, 1.34, 1.37, 1.40],
}
RATES_SOURCE = "Demo: approximate 2021 monthly averages"

REJECTION_REASONS = [
    "동물용 백신은 수입국 허가서가 필요합니다. 허가서를 받은 뒤 다시 신청해 주세요.",
    "올해 견본품 지원 예산이 이 품목에 배정되지 않았습니다.",
]

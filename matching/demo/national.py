"""A deterministic national dataset for benchmarks: JNTP's work as if every province used it.

10,000 companies with products and target markets, 200 centers, 50,000 buyers with HS interests,
their matches, 200,000 consultations, 100,000 sample shipments with items, outcomes, 500,000
follow-ups and the users they belong to (one per company, one manager per center, staff).

Rows go in with bulk_create in batches, not through the services: a benchmark needs the volume,
not one audited step per row. The data still obeys every database constraint. One seeded random
generator and a fixed date make two runs on empty databases identical; no audit history is written.
HS codes come from the chapters Jeonnam exports in (research/domain.md §2.2), so a buyer of
seasoned laver meets thousands of laver companies, as it would nationally.
"""

import itertools
import random
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection

from centers.models import Buyer, BuyerInterest, Center
from jntp.users.models import User
from jntp.validators import BRN_WEIGHTS
from matching.couriers import s10_check_digit
from matching.models import (
    Company,
    CompanyTargetCountry,
    Consultation,
    ExportEvent,
    FollowUp,
    Match,
    Outcome,
    Product,
    SampleShipment,
    ShipmentItem,
)

SEED = 6_000_000
KST = ZoneInfo("Asia/Seoul")
# Every date is relative to this day, not to today: two runs give the same rows.
ANCHOR = datetime(2026, 10, 31, 18, 0, tzinfo=KST)
BATCH = 5_000

SIZES = {
    "centers": 200,
    "companies": 10_000,
    "buyers": 50_000,
    "matches": 120_000,
    "consultations": 200_000,
    "shipments": 100_000,
    "outcomes": 15_000,
    "follow_ups": 500_000,
    "staff": 20,
}
CENTER_PREFIX = "N"  # codes N001…N200; the marker that the dataset is loaded

IND = Company.Industry
# (HS code, Korean name, English name) by industry: research/domain.md §2.2 and the demo's companies.
CATALOGUE: dict[str, list[tuple[str, str, str]]] = {
    IND.SEAFOOD: [
        ("121221", "마른김", "Dried laver"),
        ("200899", "조미김", "Seasoned laver"),
        ("030781", "활전복", "Live abalone"),
        ("030783", "냉동전복", "Frozen abalone"),
        ("030787", "건전복", "Dried abalone"),
        ("160557", "전복 통조림", "Canned abalone"),
        ("160556", "꼬막 통조림", "Canned cockles"),
        ("030389", "냉동 조기", "Frozen yellow croaker"),
        ("030559", "굴비", "Dried yellow croaker"),
        ("030695", "새우젓", "Salted shrimp"),
        ("160529", "새우 가공품", "Prepared shrimp"),
        ("121229", "톳", "Hijiki"),
    ],
    IND.AGRI_FOOD: [
        ("100630", "쌀", "Rice"),
        ("080830", "배", "Pears"),
        ("070960", "파프리카", "Paprika"),
        ("071239", "건표고버섯", "Dried shiitake"),
        ("210690", "유자차", "Yuja tea"),
        ("200799", "과일잼", "Fruit jam"),
        ("090210", "녹차", "Green tea"),
        ("250100", "천일염", "Sun-dried sea salt"),
        ("200599", "김치", "Kimchi"),
        ("160232", "삼계탕", "Samgyetang"),
        ("190219", "해초국수", "Seaweed noodles"),
        ("190590", "떡", "Rice cakes"),
        ("091030", "울금", "Turmeric"),
        ("220890", "전통주", "Traditional liquor"),
        ("200990", "과일주스", "Fruit juice"),
        ("210390", "고추장", "Gochujang"),
    ],
    IND.BIO_HEALTH: [
        ("210690", "건강기능식품", "Health supplement"),
        ("130219", "천연추출물", "Plant extract"),
        ("300241", "백신", "Vaccine"),
        ("300490", "의약품", "Medicament"),
        ("121190", "약용작물", "Medicinal herbs"),
        ("330499", "더마 화장품", "Dermo-cosmetics"),
    ],
    IND.COSMETICS: [
        ("330499", "기초화장품", "Skin care"),
        ("330510", "샴푸", "Shampoo"),
        ("330590", "헤어케어", "Hair care"),
        ("340111", "천연비누", "Natural soap"),
        ("330410", "립 제품", "Lip make-up"),
        ("330300", "향수", "Perfume"),
    ],
    IND.ENERGY: [
        ("854143", "태양광 모듈", "PV modules"),
        ("850440", "인버터", "Inverters"),
        ("850423", "변압기", "Transformers"),
        ("853710", "배전반", "Switchboards"),
        ("854449", "전력 케이블", "Power cables"),
        ("850760", "리튬이온 배터리", "Li-ion batteries"),
        ("854330", "수전해 장치", "Electrolysers"),
        ("850231", "풍력 발전기", "Wind turbines"),
        ("841912", "태양열 집열기", "Solar collectors"),
        ("850161", "연료전지 발전기", "Fuel-cell generators"),
        ("280410", "수소", "Hydrogen"),
    ],
    IND.CHEMICALS: [
        ("390120", "폴리에틸렌", "Polyethylene"),
        ("390210", "폴리프로필렌", "Polypropylene"),
        ("390330", "ABS 수지", "ABS resin"),
        ("290220", "벤젠", "Benzene"),
        ("290243", "파라자일렌", "p-Xylene"),
        ("291736", "고순도 테레프탈산", "PTA"),
        ("340242", "비이온 계면활성제", "Non-ionic surfactant"),
        ("310520", "복합비료", "Compound fertiliser"),
        ("271012", "나프타", "Naphtha"),
    ],
    IND.METALS: [
        ("720839", "열연강판", "Hot-rolled steel"),
        ("721049", "도금강판", "Coated steel"),
        ("720917", "냉연강판", "Cold-rolled steel"),
        ("730890", "강구조물", "Steel structures"),
        ("732690", "철강 가공품", "Steel articles"),
        ("760612", "알루미늄 판", "Aluminium plates"),
    ],
    IND.MACHINERY: [
        ("843149", "건설기계 부품", "Construction machinery parts"),
        ("848180", "산업용 밸브", "Industrial valves"),
        ("841370", "펌프", "Pumps"),
        ("880623", "드론", "Drones"),
        ("847989", "자동화 설비", "Automation machines"),
    ],
    IND.SHIPBUILDING: [
        ("890120", "유조선", "Tankers"),
        ("890190", "화물선", "Cargo ships"),
        ("890400", "예인선", "Tugs"),
        ("890790", "해상 부유구조물", "Floating structures"),
        ("730890", "해양 강구조물", "Offshore steel structures"),
    ],
    IND.CERAMICS: [
        ("691110", "청자 식기", "Celadon tableware"),
        ("691200", "옹기", "Stoneware"),
        ("691390", "도자 장식품", "Ceramic ornaments"),
        ("690919", "세라믹 부품", "Technical ceramics"),
    ],
    IND.ICT: [
        ("851762", "통신 장비", "Network equipment"),
        ("854231", "반도체", "Processors"),
        ("852589", "산업용 카메라", "Industrial cameras"),
        ("847130", "산업용 컴퓨터", "Industrial computers"),
    ],
    IND.OTHER: [
        ("940690", "조립식 건축물", "Prefabricated buildings"),
        ("950300", "완구", "Toys"),
        ("392690", "플라스틱 제품", "Plastic articles"),
        ("481910", "골판지 상자", "Cartons"),
    ],
}
# Every real HS 2022 subheading of the headings each industry sells in (heading, Korean and English
# name, the subheadings' last two digits). Companies and buyers draw from these, the CATALOGUE's
# specialities SPECIALITY_WEIGHT times as often as the rest: a few codes are popular (laver, abalone,
# PV modules), most are not, as in real trade.
# fmt: off
HEADINGS: dict[str, list[tuple[str, str, str, str]]] = {
    IND.SEAFOOD: [
        ("0302", "생선", "Fresh fish",
            "11 13 14 19 21 22 23 24 29 31 32 33 34 35 36 39 41 42 43 44 45 46 47 49 89"
        ),
        ("0303", "냉동 생선", "Frozen fish",
            "11 12 13 14 19 23 24 25 26 29 31 32 33 34 39 41 42 43 44 45 46 49 51 53 54 "
            "55 56 57 59 63 64 65 66 67 68 69 81 82 83 84 89"
        ),
        ("0304", "생선 필레", "Fish fillets",
            "31 32 33 39 41 42 43 44 45 46 47 48 49 51 52 53 54 55 56 57 59 61 62 63 69 "
            "71 72 73 74 75 79 81 82 83 84 85 86 87 88 89 91 92 93 94 95 96 97 99"
        ),
        ("0305", "건어물", "Dried or salted fish",
            "20 31 32 39 41 42 43 44 49 51 52 53 54 59 61 62 63 64 69 71 72 79"
        ),
        ("0306", "갑각류", "Crustaceans",
            "11 12 14 15 16 17 19 31 32 33 34 35 36 39 91 92 93 94 95 99"
        ),
        ("0307", "연체동물", "Molluscs",
            "11 12 19 21 22 29 31 32 39 42 43 49 51 52 59 60 71 72 79 81 82 83 84 87 88 "
            "91 92 99"
        ),
        ("0308", "해삼·성게", "Sea cucumbers and urchins", "11 12 19 21 22 29 30 90"),
        ("1212", "해조류", "Seaweeds", "21 29"),
        ("1604", "어류 조제품", "Prepared fish", "11 12 13 14 15 16 17 18 19 20 31 32"),
        ("1605", "패류 조제품", "Prepared shellfish",
            "10 21 29 30 40 51 52 53 54 55 56 57 58 59 61 62 63 69"
        ),
    ],
    IND.AGRI_FOOD: [
        ("0703", "양파·마늘", "Onions and garlic", "10 20 90"),
        ("0704", "배추류", "Cabbages", "10 20 90"),
        ("0709", "채소", "Vegetables", "20 30 40 51 52 53 54 55 56 59 60 70 91 92 93 99"),
        ("0710", "냉동 채소", "Frozen vegetables", "10 21 22 29 30 40 80 90"),
        ("0712", "건조 채소", "Dried vegetables", "20 31 32 33 34 39 90"),
        ("0714", "고구마·근채류", "Sweet potatoes and roots", "10 20 30 40 50 90"),
        ("0805", "감귤류", "Citrus fruit", "10 21 22 29 40 50 90"),
        ("0808", "사과·배", "Apples and pears", "10 30 40"),
        ("0810", "과일", "Fruit", "10 20 30 40 50 60 70 90"),
        ("0813", "건과일", "Dried fruit", "10 20 30 40 50"),
        ("0902", "차", "Tea", "10 20 30 40"),
        ("0910", "향신료", "Spices", "11 12 20 30 91 99"),
        ("1006", "쌀", "Rice", "10 20 30 40"),
        ("1104", "곡물 가공품", "Worked grains", "12 19 22 23 29 30"),
        ("1602", "육류 조제품", "Prepared meat", "10 20 31 32 39 41 42 49 50 90"),
        ("1901", "곡물 조제품", "Cereal preparations", "10 20 90"),
        ("1902", "면류", "Noodles", "11 19 20 30 40"),
        ("1904", "곡물 가공식품", "Cereal foods", "10 20 30 90"),
        ("1905", "빵·과자", "Bakery products", "10 20 31 32 40 90"),
        ("2005", "채소 조제품", "Prepared vegetables", "10 20 40 51 59 60 70 80 91 99"),
        ("2007", "잼", "Jams", "10 91 99"),
        ("2008", "과실·견과 조제품", "Prepared fruit and nuts",
            "11 19 20 30 40 50 60 70 80 91 93 97 99"
        ),
        ("2009", "주스", "Juices", "11 12 19 21 29 31 39 41 49 50 61 69 71 79 81 89 90"),
        ("2103", "소스", "Sauces", "10 20 30 90"),
        ("2106", "식품 조제품", "Food preparations", "10 90"),
        ("2202", "음료", "Beverages", "10 91 99"),
        ("2208", "증류주", "Spirits", "20 30 40 50 60 70 90"),
        ("2501", "소금", "Salt", "00"),
    ],
    IND.BIO_HEALTH: [
        ("1211", "약용 식물", "Medicinal plants", "20 30 40 50 60 90"),
        ("1302", "식물 추출물", "Plant extracts", "11 12 13 14 19 20 31 32 39"),
        ("2106", "건강기능식품", "Health supplements", "10 90"),
        ("2936", "비타민", "Vitamins", "21 22 23 24 25 26 27 28 29 90"),
        ("3002", "백신·혈액제제", "Vaccines and blood products", "12 13 14 15 41 42 49 51 59 90"),
        ("3004", "의약품", "Medicaments", "10 20 31 32 39 41 42 43 49 50 60 90"),
        ("3006", "의료 소모품", "Medical supplies", "30 60 70"),
    ],
    IND.COSMETICS: [
        ("3303", "향수", "Perfumes", "00"),
        ("3304", "화장품", "Cosmetics", "10 20 30 91 99"),
        ("3305", "헤어 제품", "Hair products", "10 20 30 90"),
        ("3306", "구강 제품", "Oral care", "10 20 90"),
        ("3307", "바디 제품", "Body care", "10 20 30 41 49 90"),
        ("3401", "비누", "Soap", "11 19 20 30"),
    ],
    IND.ENERGY: [
        ("2804", "수소·가스", "Hydrogen and gases", "10 21 29 30 40"),
        ("8419", "열교환·집열 장치", "Heat exchangers and collectors",
            "11 12 19 20 31 32 33 34 35 39 40 50 60 81 89 90"
        ),
        ("8501", "전동기·발전기", "Motors and generators",
            "10 20 31 32 33 34 40 51 52 53 61 62 63 64 71 72 80"
        ),
        ("8502", "발전 세트", "Generating sets", "11 12 13 20 31 39 40"),
        ("8503", "발전기 부품", "Generator parts", "00"),
        ("8504", "변압기·인버터", "Transformers and inverters", "10 21 22 23 31 32 33 34 40 50 90"),
        ("8507", "축전지", "Batteries", "10 20 30 50 60 80 90"),
        ("8535", "고압 개폐기", "High-voltage switchgear", "10 21 29 30 40 90"),
        ("8536", "저압 개폐기", "Low-voltage switchgear", "10 20 30 41 49 50 61 69 70 90"),
        ("8537", "배전반", "Switchboards", "10 20"),
        ("8541", "태양전지·반도체 소자", "Solar cells and semiconductors",
            "10 21 29 30 41 42 43 49 51 59 60 90"
        ),
        ("8543", "전기 장치", "Electrical machines", "10 20 30 40 70 90"),
        ("8544", "전선·케이블", "Cables", "11 19 20 30 42 49 60 70"),
    ],
    IND.CHEMICALS: [
        ("2710", "석유 제품", "Petroleum products", "12 19 20 91 99"),
        ("2901", "올레핀", "Olefins", "10 21 22 23 24 29"),
        ("2902", "방향족", "Aromatics", "11 19 20 30 41 42 43 44 50 60 70 90"),
        ("2917", "카르복실산", "Carboxylic acids", "11 12 13 14 19 20 32 33 34 35 36 37 39"),
        ("3105", "비료", "Fertilisers", "10 20 30 40 51 59 60 90"),
        ("3402", "계면활성제", "Surfactants", "31 39 41 42 49 50 90"),
        ("3901", "폴리에틸렌", "Polyethylene", "10 20 30 40 90"),
        ("3902", "폴리프로필렌", "Polypropylene", "10 20 30 90"),
        ("3903", "폴리스티렌", "Polystyrene", "11 19 20 30 90"),
        ("3907", "폴리에스테르", "Polyesters", "10 20 30 40 50 61 69 70 91 99"),
    ],
    IND.METALS: [
        ("7208", "열연강판", "Hot-rolled steel", "10 25 26 27 36 37 38 39 40 51 52 53 54 90"),
        ("7209", "냉연강판", "Cold-rolled steel", "15 16 17 18 25 26 27 28 90"),
        ("7210", "도금강판", "Coated steel", "11 12 20 30 41 49 50 61 69 70 90"),
        ("7308", "강구조물", "Steel structures", "10 20 30 40 90"),
        ("7326", "철강 제품", "Steel articles", "11 19 20 90"),
        ("7606", "알루미늄 판", "Aluminium plates", "11 12 91 92"),
    ],
    IND.MACHINERY: [
        ("8413", "펌프", "Pumps", "11 19 20 30 40 50 60 70 81 82 91 92"),
        ("8431", "기계 부품", "Machinery parts", "10 20 31 39 41 42 43 49"),
        ("8479", "기계류", "Machines", "10 20 30 40 50 60 71 79 81 82 83 89 90"),
        ("8481", "밸브", "Valves", "10 20 30 40 80 90"),
        ("8806", "무인기", "Unmanned aircraft", "10 21 22 23 24 29 91 92 93 94 99"),
    ],
    IND.SHIPBUILDING: [
        ("8901", "선박", "Ships", "10 20 30 90"),
        ("8902", "어선", "Fishing vessels", "00"),
        ("8904", "예인선", "Tugs", "00"),
        ("8905", "특수선", "Special vessels", "10 20 90"),
        ("8906", "기타 선박", "Other vessels", "10 90"),
        ("8907", "부유 구조물", "Floating structures", "10 90"),
        ("7308", "해양 강구조물", "Offshore steel structures", "40 90"),
    ],
    IND.CERAMICS: [
        ("6907", "타일", "Tiles", "21 22 23 30 40"),
        ("6909", "공업용 세라믹", "Technical ceramics", "11 12 19 90"),
        ("6911", "자기 식기", "Porcelain tableware", "10 90"),
        ("6912", "도기 식기", "Stoneware", "00"),
        ("6913", "도자 장식품", "Ceramic ornaments", "10 90"),
        ("6914", "기타 도자기", "Other ceramics", "10 90"),
    ],
    IND.ICT: [
        ("8471", "컴퓨터", "Computers", "30 41 49 50 60 70 80 90"),
        ("8517", "통신 장비", "Network equipment", "11 13 14 18 61 62 69 71 79"),
        ("8525", "카메라·송신기", "Cameras and transmitters", "50 60 81 82 83 89"),
        ("8542", "집적회로", "Integrated circuits", "31 32 33 39 90"),
    ],
    IND.OTHER: [
        ("3926", "플라스틱 제품", "Plastic articles", "10 20 30 40 90"),
        ("4819", "포장 용기", "Packaging", "10 20 30 40 50 60"),
        ("9406", "조립식 건축물", "Prefabricated buildings", "10 20 90"),
        ("9503", "완구", "Toys", "00"),
    ],
}
# fmt: on
SPECIALITY_WEIGHT = 10

INDUSTRY_SHARE = {
    IND.AGRI_FOOD: 25,
    IND.SEAFOOD: 20,
    IND.ENERGY: 12,
    IND.BIO_HEALTH: 8,
    IND.COSMETICS: 7,
    IND.CHEMICALS: 6,
    IND.METALS: 6,
    IND.MACHINERY: 6,
    IND.SHIPBUILDING: 3,
    IND.ICT: 3,
    IND.CERAMICS: 2,
    IND.OTHER: 2,
}
SECTOR_EN = {
    IND.AGRI_FOOD: "Agrifood",
    IND.SEAFOOD: "Seafood",
    IND.ENERGY: "Energy",
    IND.BIO_HEALTH: "Bio",
    IND.COSMETICS: "Cosmetics",
    IND.CHEMICALS: "Chemical",
    IND.METALS: "Metals",
    IND.MACHINERY: "Machinery",
    IND.SHIPBUILDING: "Marine",
    IND.ICT: "ICT",
    IND.CERAMICS: "Ceramics",
    IND.OTHER: "Industries",
}
CITY_KO = {
    "mokpo": "목포",
    "yeosu": "여수",
    "suncheon": "순천",
    "naju": "나주",
    "gwangyang": "광양",
    "damyang": "담양",
    "gokseong": "곡성",
    "gurye": "구례",
    "goheung": "고흥",
    "boseong": "보성",
    "hwasun": "화순",
    "jangheung": "장흥",
    "gangjin": "강진",
    "haenam": "해남",
    "yeongam": "영암",
    "muan": "무안",
    "hampyeong": "함평",
    "yeonggwang": "영광",
    "jangseong": "장성",
    "wando": "완도",
    "jindo": "진도",
    "sinan": "신안",
}
SECTOR_KO = {
    IND.AGRI_FOOD: "농식품",
    IND.SEAFOOD: "수산",
    IND.ENERGY: "에너지",
    IND.BIO_HEALTH: "바이오",
    IND.COSMETICS: "코스메틱",
    IND.CHEMICALS: "케미칼",
    IND.METALS: "금속",
    IND.MACHINERY: "기계",
    IND.SHIPBUILDING: "조선",
    IND.ICT: "정보통신",
    IND.CERAMICS: "도예",
    IND.OTHER: "산업",
}
B = Buyer.BusinessType
BUYER_TYPES = {
    "consumer": [(B.IMPORTER, 30), (B.DISTRIBUTOR, 25), (B.RETAILER, 15), (B.ONLINE_RETAILER, 10),
                 (B.FOOD_SERVICE, 8), (B.TRADING, 8), (B.MANUFACTURER, 4)],
    "industrial": [(B.MANUFACTURER, 30), (B.TRADING, 20), (B.EPC, 20), (B.DISTRIBUTOR, 15),
                   (B.IMPORTER, 10), (B.OTHER, 5)],
}  # fmt: skip
CONSUMER = {IND.AGRI_FOOD, IND.SEAFOOD, IND.BIO_HEALTH, IND.COSMETICS, IND.CERAMICS}

# (country, city, IANA zone, currency, weight): where JNTP-like centers sit (research/domain.md §1).
PLACES = [
    ("JP", "Tokyo", "Asia/Tokyo", "JPY", 8), ("JP", "Osaka", "Asia/Tokyo", "JPY", 6),
    ("CN", "Shanghai", "Asia/Shanghai", "CNY", 7), ("CN", "Beijing", "Asia/Shanghai", "CNY", 4),
    ("CN", "Guangzhou", "Asia/Shanghai", "CNY", 4), ("CN", "Dalian", "Asia/Shanghai", "CNY", 3),
    ("US", "Los Angeles", "America/Los_Angeles", "USD", 6), ("US", "New York", "America/New_York", "USD", 5),
    ("US", "Chicago", "America/Chicago", "USD", 2), ("CA", "Vancouver", "America/Vancouver", "CAD", 3),
    ("CA", "Toronto", "America/Toronto", "CAD", 2), ("VN", "Ho Chi Minh City", "Asia/Ho_Chi_Minh", "VND", 5),
    ("VN", "Hanoi", "Asia/Bangkok", "VND", 3), ("TH", "Bangkok", "Asia/Bangkok", "THB", 4),
    ("TW", "Taipei", "Asia/Taipei", "TWD", 4), ("HK", "Hong Kong", "Asia/Hong_Kong", "HKD", 3),
    ("SG", "Singapore", "Asia/Singapore", "SGD", 3), ("MY", "Kuala Lumpur", "Asia/Kuala_Lumpur", "MYR", 2),
    ("ID", "Jakarta", "Asia/Jakarta", "IDR", 3), ("PH", "Manila", "Asia/Manila", "PHP", 2),
    ("KH", "Phnom Penh", "Asia/Phnom_Penh", "USD", 1), ("MN", "Ulaanbaatar", "Asia/Ulaanbaatar", "MNT", 1),
    ("RU", "Vladivostok", "Asia/Vladivostok", "RUB", 2), ("RU", "Moscow", "Europe/Moscow", "RUB", 1),
    ("KZ", "Almaty", "Asia/Almaty", "KZT", 1), ("UZ", "Tashkent", "Asia/Tashkent", "UZS", 2),
    ("AE", "Dubai", "Asia/Dubai", "AED", 4), ("SA", "Riyadh", "Asia/Riyadh", "SAR", 1),
    ("IN", "Mumbai", "Asia/Kolkata", "INR", 2), ("IN", "Chennai", "Asia/Kolkata", "INR", 1),
    ("DE", "Frankfurt", "Europe/Berlin", "EUR", 3), ("FR", "Paris", "Europe/Paris", "EUR", 2),
    ("GB", "London", "Europe/London", "GBP", 2), ("NL", "Rotterdam", "Europe/Amsterdam", "EUR", 1),
    ("AT", "Vienna", "Europe/Vienna", "EUR", 1), ("PL", "Warsaw", "Europe/Warsaw", "PLN", 1),
    ("AU", "Sydney", "Australia/Sydney", "AUD", 3), ("NZ", "Auckland", "Pacific/Auckland", "NZD", 1),
    ("MX", "Mexico City", "America/Mexico_City", "MXN", 1),
    ("BR", "São Paulo", "America/Sao_Paulo", "BRL", 1),
    ("CL", "Santiago", "America/Santiago", "CLP", 1), ("EG", "Cairo", "Africa/Cairo", "EGP", 1),
    ("ZA", "Johannesburg", "Africa/Johannesburg", "ZAR", 1), ("LA", "Vientiane", "Asia/Vientiane", "LAK", 1),
]  # fmt: skip
TARGET_MARKETS = [(p[0], p[4]) for p in PLACES]

S = Buyer.Status
BUYER_STATUS = [(S.PROSPECT, 30), (S.CONTACTED, 20), (S.INTERESTED, 14), (S.SAMPLE_REQUESTED, 8),
                (S.NEGOTIATING, 7), (S.CONTRACTED, 9), (S.DORMANT, 8), (S.DROPPED, 4)]  # fmt: skip
M = Match.Stage
MATCH_STAGE = [(M.PROPOSED, 5), (M.ACTIVE, 24), (M.CONSULTATION, 20), (M.SAMPLE, 12), (M.NEGOTIATION, 8),
               (M.WON, 10), (M.LOST, 13), (M.CLOSED, 8)]  # fmt: skip
MATCH_SOURCE = [(Match.Source.STAFF, 60), (Match.Source.FAIR, 20), (Match.Source.CENTER, 12),
                (Match.Source.ENGINE, 8)]  # fmt: skip
St = SampleShipment.Status
SHIPMENT_STATUS = [(St.REQUESTED, 8), (St.APPROVED, 7), (St.REJECTED, 4), (St.SHIPPED, 8), (St.DELIVERED, 13),
                   (St.FEEDBACK_RECEIVED, 55), (St.CANCELLED, 5)]  # fmt: skip
RATINGS = [(1, 5), (2, 10), (3, 25), (4, 35), (5, 25)]
OUTCOME_KIND = [(Outcome.Kind.MOU, 40), (Outcome.Kind.EXPORT_AGREEMENT, 25), (Outcome.Kind.CONTRACT, 25),
                (Outcome.Kind.PURCHASE_ORDER, 10)]  # fmt: skip
FS = FollowUp.State
FOLLOW_UP_STATE = [(FS.OPEN, 30), (FS.DONE, 55), (FS.CANCELLED, 10), (FS.SNOOZED, 5)]
FOLLOW_UP_RULE = [(rule, 1) for rule in FollowUp.Rule.values]


def code_pool(industry: str) -> tuple[list[tuple[str, str, str]], list[int]]:
    """The industry's codes with their names, and their weights: specialities first and heavier."""
    special = {code: (code, ko, en) for code, ko, en in CATALOGUE[industry]}
    rest = [
        (heading + suffix, ko, en)
        for heading, ko, en, suffixes in HEADINGS[industry]
        for suffix in suffixes.split()
        if heading + suffix not in special
    ]
    pool = list(special.values()) + rest
    return pool, [SPECIALITY_WEIGHT] * len(special) + [1] * len(rest)


def brn(index: int) -> str:
    """A valid, made-up business registration number; tax offices 901+ are used by nothing else."""
    head = f"{901 + index // 10_000:03d}81{index % 10_000:04d}"
    digits = [int(d) for d in head]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True)) + digits[8] * 5 // 10
    return head + str((10 - total % 10) % 10)


class Picker:
    """Weighted choices from one seeded generator, fast (cumulative weights computed once)."""

    def __init__(self, rng: random.Random, pairs):
        self.rng = rng
        self.values = [value for value, _weight in pairs]
        self.cum = []
        total = 0
        for _value, weight in pairs:
            total += weight
            self.cum.append(total)

    def __call__(self):
        return self.rng.choices(self.values, cum_weights=self.cum)[0]


def is_loaded() -> bool:
    return Center.objects.filter(code=f"{CENTER_PREFIX}001").exists()


class NationalBuilder:
    def __init__(self, *, scale: float = 1.0, password: str | None = None, stdout=None):
        self.rng = random.Random(SEED)
        self.sizes = {key: max(1, round(value * scale)) for key, value in SIZES.items()}
        self.password_hash = make_password(password)  # one hash for every user; None → unusable
        self.stdout = stdout
        self.counts: dict[str, int] = {}
        self.pools = {}
        for industry in CATALOGUE:
            pool, weights = code_pool(industry)
            self.pools[industry] = (pool, list(itertools.accumulate(weights)))

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def pick(self, pairs) -> Picker:
        return Picker(self.rng, pairs)

    def draw(self, industry: str, k: int) -> list[tuple[str, str, str]]:
        """k distinct products of the industry, popular ones more often."""
        pool, cum = self.pools[industry]
        chosen: dict[str, tuple[str, str, str]] = {}
        while len(chosen) < min(k, len(pool)):
            item = self.rng.choices(pool, cum_weights=cum)[0]
            chosen.setdefault(item[0], item)
        return list(chosen.values())

    def moment(self, *, days_back: int, days_forward: int = 0) -> datetime:
        seconds = self.rng.randrange(-days_back * 86_400, days_forward * 86_400 + 1)
        return ANCHOR + timedelta(seconds=seconds)

    def insert(self, label: str, model, rows, *, fields=None) -> list:
        """bulk_create in batches; returns the created objects (with their keys)."""
        started = time.perf_counter()
        created = []
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                created.extend(model.objects.bulk_create(batch, batch_size=BATCH))
                batch = []
        if batch:
            created.extend(model.objects.bulk_create(batch, batch_size=BATCH))
        self.counts[label] = len(created)
        if connection.vendor == "postgresql":
            # Fresh statistics for what was just loaded: the triggers that keep the engine's counts
            # (matching/recommendations/upkeep.py) plan their queries on them, in this same transaction.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.say(f"  {label:<20} {len(created):>9,}  {time.perf_counter() - started:6.1f} s")
        return created

    # -----------------------------------------------------------------------------------------------
    def build(self) -> dict[str, int]:
        self.reference()
        self.network()
        self.companies()
        self.people()
        self.matchmaking()
        self.consultations()
        self.shipments()
        self.outcomes()
        self.follow_ups()
        return self.counts

    def reference(self) -> None:
        self.events = self.insert(
            "export events",
            ExportEvent,
            (
                ExportEvent(
                    code=f"national-{year}-{kind}",
                    name_ko=f"{year} 전국 {label_ko}",
                    name_en=f"{year} national {kind.replace('_', ' ')}",
                    kind=kind,
                    starts_on=date(year, month, 3),
                    ends_on=date(year, month, 6),
                    city="Seoul",
                    country="KR",
                )
                for year in (2024, 2025, 2026)
                for kind, label_ko, month in (
                    (ExportEvent.Kind.EXPORT_FESTIVAL, "수출 페스티벌", 11),
                    (ExportEvent.Kind.TRADE_FAIR, "무역 박람회", 5),
                    (ExportEvent.Kind.ENERGY_WEEK, "에너지 위크", 10),
                )
            ),
        )

    def network(self) -> None:
        rng = self.rng
        place = self.pick([(p, p[4]) for p in PLACES])
        centers = []
        for n in range(1, self.sizes["centers"] + 1):
            country, city, zone, currency, _w = place()
            centers.append(
                Center(
                    code=f"{CENTER_PREFIX}{n:03d}",
                    name_ko=f"{city} 센터 {n}",
                    name_en=f"{city} Center {n}",
                    country=country,
                    city=city,
                    time_zone=zone,
                    currency=currency,
                    operating_partner=f"Partner {n}",
                    email=f"n{n:03d}@centers.national.example",
                )
            )
        self.centers = self.insert("centers", Center, centers)

        industry = self.pick(INDUSTRY_SHARE.items())
        status = self.pick(BUYER_STATUS)
        kinds = {key: self.pick(pairs) for key, pairs in BUYER_TYPES.items()}
        country_pool = [p[0] for p in PLACES]
        buyers, self.buyer_codes = [], []
        for n in range(self.sizes["buyers"]):
            center = self.centers[n % len(self.centers)]
            sector = industry()
            codes = {code for code, _ko, _en in self.draw(sector, rng.randint(2, 4))}
            if rng.random() < 0.2:  # many buyers also import from a second sector
                codes.add(self.draw(industry(), 1)[0][0])
            buyers.append(
                Buyer(
                    center=center,
                    name=f"{center.city} {SECTOR_EN[sector]} Trading {n:05d}",
                    country=center.country if rng.random() < 0.9 else rng.choice(country_pool),
                    city=center.city,
                    business_type=kinds["consumer" if sector in CONSUMER else "industrial"](),
                    contact_name=f"Contact {n}",
                    email=f"buyer{n:05d}@buyers.national.example",
                    annual_import_usd=Decimal(rng.randrange(5, 2_000) * 10_000),
                    status=status(),
                    status_changed_at=self.moment(days_back=3 * 365),
                )
            )
            self.buyer_codes.append(sorted(codes))
        self.buyers = self.insert("buyers", Buyer, buyers)
        self.insert(
            "buyer interests",
            BuyerInterest,
            (
                BuyerInterest(buyer_id=buyer.pk, hs_code=code)
                for buyer, codes in zip(self.buyers, self.buyer_codes, strict=True)
                for code in codes
            ),
        )

    def companies(self) -> None:
        rng = self.rng
        industry = self.pick(INDUSTRY_SHARE.items())
        market = self.pick(TARGET_MARKETS)
        cities = Company.CityCounty.values
        companies, self.company_products = [], []
        for n in range(self.sizes["companies"]):
            sector = industry()
            count = rng.choices((1, 2, 3, 4), weights=(25, 40, 25, 10))[0]
            products = self.draw(sector, count)
            if rng.random() < 0.1:
                extra = self.draw(industry(), 1)[0]
                if extra[0] not in {code for code, _ko, _en in products}:
                    products.append(extra)
            city = rng.choice(cities)
            companies.append(
                Company(
                    name_ko=f"{CITY_KO[city]}{SECTOR_KO[sector]} {n:05d}",
                    name_en=f"{city.title()} {SECTOR_EN[sector]} {n:05d}",
                    business_registration_number=brn(n),
                    city_county=city,
                    industry=sector,
                    export_experience=rng.choice(Company.ExportExperience.values),
                    employees=rng.randrange(3, 400),
                    email=f"export{n:05d}@companies.national.example",
                )
            )
            self.company_products.append(products)
        self.companies_ = self.insert("companies", Company, companies)
        self.products = self.insert(
            "products",
            Product,
            (
                Product(
                    company_id=company.pk,
                    name_ko=name_ko,
                    name_en=name_en,
                    hs_code=code,
                    unit_price_usd=Decimal(rng.randrange(2, 500)),
                )
                for company, products in zip(self.companies_, self.company_products, strict=True)
                for code, name_ko, name_en in products
            ),
        )
        self.products_of: dict[int, list[Product]] = defaultdict(list)
        for product in self.products:
            self.products_of[product.company_id].append(product)
        targets = []
        for company in self.companies_:
            for country in {market() for _ in range(rng.randint(1, 4))}:
                targets.append(CompanyTargetCountry(company_id=company.pk, country=country))
        self.insert("target countries", CompanyTargetCountry, targets)

    def people(self) -> None:
        users = [
            User(
                username=f"scale-staff-{n:02d}",
                role=User.Role.STAFF,
                is_staff=True,
                first_name=f"Staff {n}",
                email=f"staff{n:02d}@national.example",
                password=self.password_hash,
            )
            for n in range(1, self.sizes["staff"] + 1)
        ]
        users += [
            User(
                username=f"scale-company-{n:05d}",
                role=User.Role.COMPANY,
                company_id=company.pk,
                email=f"user{n:05d}@companies.national.example",
                password=self.password_hash,
            )
            for n, company in enumerate(self.companies_)
        ]
        users += [
            User(
                username=f"scale-center-{center.code.lower()}",
                role=User.Role.CENTER,
                center_id=center.pk,
                email=f"manager-{center.code.lower()}@centers.national.example",
                time_zone=center.time_zone,
                language="en",
                password=self.password_hash,
            )
            for center in self.centers
        ]
        self.users = self.insert("users", User, users)
        self.staff = [u for u in self.users if u.role == User.Role.STAFF]
        self.company_user = {u.company_id: u for u in self.users if u.role == User.Role.COMPANY}
        self.center_user = {u.center_id: u for u in self.users if u.role == User.Role.CENTER}

    def matchmaking(self) -> None:
        """Pairs that share an HS chapter, as staff would pick them."""
        rng = self.rng
        by_chapter: dict[str, list[int]] = defaultdict(list)
        for index, products in enumerate(self.company_products):
            for chapter in {code[:2] for code, _ko, _en in products}:
                by_chapter[chapter].append(index)
        stage, source = self.pick(MATCH_STAGE), self.pick(MATCH_SOURCE)
        seen: set[tuple[int, int]] = set()
        matches = []
        target = self.sizes["matches"]
        while len(matches) < target:
            b = rng.randrange(len(self.buyers))
            pool = by_chapter.get(rng.choice(self.buyer_codes[b])[:2])
            if not pool:
                continue
            c = rng.choice(pool)
            if (c, b) in seen:
                continue
            seen.add((c, b))
            created = self.moment(days_back=3 * 365, days_forward=0)
            matches.append(
                Match(
                    company_id=self.companies_[c].pk,
                    buyer_id=self.buyers[b].pk,
                    source=source(),
                    stage=stage(),
                    stage_changed_at=created + timedelta(days=rng.randrange(0, 120)),
                    contact_shared=rng.random() < 0.6,
                    created_by_id=rng.choice(self.staff).pk,
                    created_at=created,
                )
            )
        self.matches = self.insert("matches", Match, matches)
        self.match_center = {m.pk: self.buyers_by_pk[m.buyer_id].center_id for m in self.matches}

    @property
    def buyers_by_pk(self) -> dict[int, Buyer]:
        if not hasattr(self, "_buyers_by_pk"):
            self._buyers_by_pk = {b.pk: b for b in self.buyers}
        return self._buyers_by_pk

    def consultations(self) -> None:
        rng = self.rng
        held = [m for m in self.matches if m.stage != Match.Stage.PROPOSED]
        C = Consultation
        status = self.pick([(C.Status.HELD, 80), (C.Status.SCHEDULED, 15), (C.Status.CANCELLED, 5)])
        mode = self.pick(
            [(C.Mode.ONLINE_VIDEO, 55), (C.Mode.IN_PERSON, 20), (C.Mode.PHONE, 10), (C.Mode.EXPORT_FAIR, 15)]
        )
        interest = self.pick([(C.Interest.A, 15), (C.Interest.B, 35), (C.Interest.C, 35), (C.Interest.D, 15)])

        def rows():
            for _ in range(self.sizes["consultations"]):
                match = rng.choice(held)
                state = status()
                starts = max(match.created_at, self.moment(days_back=3 * 365, days_forward=30))
                consulted = Decimal(rng.randrange(1, 500) * 1_000)
                logged = state == C.Status.HELD
                yield C(
                    match_id=match.pk,
                    starts_at=starts,
                    duration_minutes=rng.choice((30, 45, 60, 90)),
                    mode=mode(),
                    event_id=rng.choice(self.events).pk if rng.random() < 0.15 else None,
                    interpreter="Interpreter" if rng.random() < 0.4 else "",
                    status=state,
                    consulted_amount_usd=consulted if logged else None,
                    expected_contract_usd=(consulted * rng.randrange(5, 40) / 100).quantize(Decimal("1"))
                    if logged
                    else None,
                    interest_level=interest() if logged else "",
                    summary="Price, lead time and certificates discussed." if logged else "",
                    next_step="Send samples and the price list." if logged else "",
                    result_logged_at=starts + timedelta(hours=rng.randrange(1, 72)) if logged else None,
                    result_logged_by_id=rng.choice(self.staff).pk if logged else None,
                    created_by_id=rng.choice(self.staff).pk,
                    created_at=starts - timedelta(days=rng.randrange(1, 20)),
                )

        self.insert("consultations", Consultation, rows())

    def shipments(self) -> None:
        rng = self.rng
        status = self.pick(SHIPMENT_STATUS)
        rating = self.pick(RATINGS)
        interest = self.pick(
            [
                (SampleShipment.OrderInterest.YES, 30),
                (SampleShipment.OrderInterest.MAYBE, 45),
                (SampleShipment.OrderInterest.NO, 25),
            ]
        )
        candidates = [m for m in self.matches if m.stage not in (Match.Stage.PROPOSED, Match.Stage.ACTIVE)]
        after = {
            St.REQUESTED: 0, St.APPROVED: 1, St.REJECTED: 1, St.CANCELLED: 1,
            St.SHIPPED: 2, St.DELIVERED: 3, St.FEEDBACK_RECEIVED: 4,
        }  # fmt: skip
        shipments, items_for = [], []
        for _ in range(self.sizes["shipments"]):
            match = rng.choice(candidates)
            state = status()
            step = after[state]
            requested = self.moment(days_back=3 * 365)
            approved = (
                requested + timedelta(days=rng.randrange(1, 5))
                if step >= 1 and state not in (St.REJECTED, St.CANCELLED)
                else None
            )
            shipped = requested + timedelta(days=rng.randrange(5, 12)) if step >= 2 else None
            delivered = shipped + timedelta(days=rng.randrange(3, 10)) if step >= 3 else None
            feedback = delivered + timedelta(days=rng.randrange(2, 20)) if step >= 4 else None
            serial = f"{rng.randrange(10**8):08d}"
            shipments.append(
                SampleShipment(
                    company_id=match.company_id,
                    center_id=self.match_center[match.pk],
                    match_id=match.pk,
                    purpose="Samples for the buyer's tasting and quality check.",
                    status=state,
                    requested_by_id=self.company_user[match.company_id].pk,
                    idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    cost_support_krw=Decimal(rng.randrange(0, 40) * 5_000) if approved else Decimal(0),
                    rejection_reason="Outside the programme's product scope." if state == St.REJECTED else "",
                    courier="ems" if shipped else "",
                    tracking_number=f"E{rng.choice('BEMS')}{serial}{s10_check_digit(serial)}KR"
                    if shipped
                    else "",
                    approved_at=approved,
                    shipped_at=shipped,
                    delivered_at=delivered,
                    feedback_at=feedback,
                    feedback_rating=rating() if feedback else None,
                    feedback_comment="Good taste and packaging; price a little high." if feedback else "",
                    feedback_order_interest=interest() if feedback else "",
                    created_at=requested,
                )
            )
            products = self.products_of[match.company_id]
            items_for.append(rng.sample(products, k=min(len(products), rng.choice((1, 1, 1, 2)))))
        self.shipments_ = self.insert("sample shipments", SampleShipment, shipments)
        self.insert(
            "shipment items",
            ShipmentItem,
            (
                ShipmentItem(
                    shipment_id=shipment.pk,
                    product_id=product.pk,
                    quantity=rng.randrange(1, 20),
                    declared_value_usd=Decimal(rng.randrange(10, 300)),
                )
                for shipment, products in zip(self.shipments_, items_for, strict=True)
                for product in products
            ),
        )

    def outcomes(self) -> None:
        rng = self.rng
        kind = self.pick(OUTCOME_KIND)
        likely = [
            m
            for m in self.matches
            if m.stage in (Match.Stage.WON, Match.Stage.NEGOTIATION, Match.Stage.CLOSED)
        ]

        def rows():
            for _ in range(self.sizes["outcomes"]):
                match = rng.choice(likely)
                k = kind()
                amount = (
                    None
                    if k == Outcome.Kind.MOU and rng.random() < 0.5
                    else Decimal(rng.randrange(5, 2_000) * 1_000)
                )
                yield Outcome(
                    match_id=match.pk,
                    kind=k,
                    signed_on=(match.created_at + timedelta(days=rng.randrange(30, 400))).date(),
                    amount=amount,
                    currency="USD",
                    usd_rate=Decimal(1) if amount is not None else None,
                    amount_usd=amount,
                    event_id=rng.choice(self.events).pk if rng.random() < 0.2 else None,
                    title=f"{k.replace('_', ' ').capitalize()} #{rng.randrange(10**6)}",
                    created_by_id=rng.choice(self.staff).pk,
                )

        self.insert("outcomes", Outcome, rows())

    def follow_ups(self) -> None:
        rng = self.rng
        state = self.pick(FOLLOW_UP_STATE)
        rule = self.pick(FOLLOW_UP_RULE)
        assignees = [u.pk for u in self.users]
        match_ids = [m.pk for m in self.matches]
        buyer_ids = [b.pk for b in self.buyers]

        def rows():
            for _ in range(self.sizes["follow_ups"]):
                s = state()
                due = self.moment(days_back=2 * 365, days_forward=60)
                about_match = rng.random() < 0.7
                yield FollowUp(
                    title=rng.choice(
                        (
                            "Send the price list",
                            "Call about the samples",
                            "Confirm the MOU draft",
                            "Log the consultation result",
                            "Check the buyer's status",
                        )
                    ),  # fmt: skip
                    rule=rule(),
                    state=s,
                    due_at=due,
                    snoozed_until=due + timedelta(days=7) if s == FS.SNOOZED else None,
                    assignee_id=rng.choice(assignees),
                    completed_at=due - timedelta(hours=rng.randrange(1, 96)) if s == FS.DONE else None,
                    match_id=rng.choice(match_ids) if about_match else None,
                    buyer_id=None if about_match else rng.choice(buyer_ids),
                    created_at=due - timedelta(days=rng.randrange(1, 30)),
                )

        self.insert("follow-ups", FollowUp, rows())

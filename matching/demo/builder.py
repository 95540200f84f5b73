"""Builds the 2021 demo year through the same services the app uses, so it obeys every rule.

Deterministic: one seeded random generator, fixed data, fixed dates. The article's figures are not
written here; they come out of the data (see story.py)."""

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from centers.models import Buyer, BuyerInterest, Center
from centers.services import buyer_change_status
from jntp.users.models import User
from jntp.validators import BRN_WEIGHTS
from matching import services
from matching.couriers import Courier, s10_check_digit
from matching.demo import centers as center_data
from matching.demo import companies as company_data
from matching.demo import story
from matching.models import (
    Company,
    CompanyTargetCountry,
    Consultation,
    ExchangeRate,
    ExportEvent,
    Match,
    Outcome,
    Product,
    SampleShipment,
)

KST = ZoneInfo("Asia/Seoul")
SEED = 2021
NAMESPACE = uuid.UUID("6f1c2a52-1c8e-4c34-9a0e-2a1b7f2021aa")  # for deterministic idempotency keys

CONSULTATIONS_PER_YEAR = 76  # what the centers arranged in 2021 (the article)
EXTRA_CANCELLED = 2
UNLOGGED_RESULTS = 4
SHIPMENT_STATES = (
    # state reached, how many
    (SampleShipment.Status.FEEDBACK_RECEIVED, 12),
    (SampleShipment.Status.DELIVERED, 4),
    (SampleShipment.Status.SHIPPED, 4),
    (SampleShipment.Status.APPROVED, 3),
    (SampleShipment.Status.REQUESTED, 3),
    (SampleShipment.Status.REJECTED, 2),
    (SampleShipment.Status.CANCELLED, 2),
)

DEMO_USERS = (
    # username, role, tenant key, first name, last name, language, time zone
    ("demo-staff", User.Role.STAFF, None, "지원", "김", "ko", "Asia/Seoul"),
    ("demo-company", User.Role.COMPANY, "Wando Sea Laver Fishery Corp.", "바다", "이", "ko", "Asia/Seoul"),
    ("demo-company2", User.Role.COMPANY, "Naju Energy Solutions Co.", "에너지", "박", "ko", "Asia/Seoul"),
    ("demo-center", User.Role.CENTER, "OSA", "Minji", "Kim", "ko", "Asia/Tokyo"),
    ("demo-center2", User.Role.CENTER, "DXB", "Omar", "Haddad", "en", "Asia/Dubai"),
)


def business_registration_number(index: int) -> str:
    """A made-up but valid number: tax-office code, 81 (a corporation), serial, check digit."""
    head = f"{411 + index % 9:03d}81{(3571 + index * 137) % 10000:04d}"
    digits = [int(d) for d in head]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True)) + digits[8] * 5 // 10
    return head + str((10 - total % 10) % 10)


def ems_number(rng: random.Random) -> str:
    serial = f"{rng.randrange(10**8):08d}"
    return f"E{rng.choice('BEMS')}{serial}{s10_check_digit(serial)}KR"


def dhl_number(rng: random.Random) -> str:
    body = rng.randrange(10**8, 10**9)
    return f"{body}{body % 7}"


def hs_score(product_codes: list[str], interests: list[str]) -> int:
    best = 0
    for code in product_codes:
        for interest in interests:
            if code == interest:
                best = max(best, 3)
            elif code[:4] == interest[:4]:
                best = max(best, 2)
            elif code[:2] == interest[:2]:
                best = max(best, 1)
    return best


def kst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=KST)


class DemoBuilder:
    def __init__(self, *, password: str, stdout=None):
        self.rng = random.Random(SEED)
        self.password = password
        self.stdout = stdout
        self.centers: dict[str, Center] = {}
        self.buyers: dict[str, Buyer] = {}
        self.buyer_interests: dict[int, list[str]] = {}
        self.companies: dict[str, Company] = {}
        self.products: dict[int, list[Product]] = defaultdict(list)
        self.events: dict[str, ExportEvent] = {}
        self.users: dict[str, User] = {}
        self.matches: dict[tuple[str, str], Match] = {}
        self.first_consultation: dict[int, Consultation] = {}

    # -- reference data -------------------------------------------------------------------------
    def build(self) -> None:
        self.reference_data()
        self.network()
        self.people()
        self.matchmaking()
        self.consultations()
        self.shipments()
        self.outcomes()
        self.pipeline()
        self.open_follow_ups()

    def reference_data(self) -> None:
        for code, name_ko, name_en, kind, starts, ends, city, country in story.EVENTS:
            self.events[code] = ExportEvent.objects.create(
                code=code,
                name_ko=name_ko,
                name_en=name_en,
                kind=kind,
                starts_on=starts,
                ends_on=ends,
                city=city,
                country=country,
            )
        ExchangeRate.objects.bulk_create(
            ExchangeRate(
                currency=currency,
                month=date(2021, month, 1),
                units_per_usd=Decimal(str(rate)),
                source=story.RATES_SOURCE,
            )
            for currency, rates in story.RATES_2021.items()
            for month, rate in enumerate(rates, start=1)
        )

    def network(self) -> None:
        for code, name_ko, name_en, country, city, zone, currency, partner in center_data.CENTERS:
            center = Center(
                code=code,
                name_ko=name_ko,
                name_en=name_en,
                country=country,
                city=city,
                time_zone=zone,
                currency=currency,
                operating_partner=partner,
                email=f"{code.lower()}@centers.jntp.example",
            )
            center.full_clean()
            center.save()
            self.centers[code] = center
            contacts = center_data.CONTACT_NAMES[country]
            for i, (name, b_country, b_city, kind, interests) in enumerate(center_data.BUYERS[code]):
                domain = "".join(ch for ch in name.lower() if ch.isalnum())[:24]
                buyer = Buyer(
                    center=center,
                    name=name,
                    country=b_country,
                    city=b_city,
                    business_type=kind,
                    contact_name=contacts[i % len(contacts)],
                    email=f"trade@{domain}.example",
                    phone=self._phone(),
                    website=f"https://www.{domain}.example",
                    annual_import_usd=Decimal(self.rng.randrange(5, 400) * 10_000),
                    status_changed_at=kst(date(2021, 1, 4), 9),
                )
                buyer.full_clean()
                buyer.save()
                BuyerInterest.objects.bulk_create(BuyerInterest(buyer=buyer, hs_code=hs) for hs in interests)
                self.buyers[name] = buyer
                self.buyer_interests[buyer.pk] = interests

        for index, row in enumerate(company_data.COMPANIES):
            name_ko, name_en, city, industry, experience, employees, products, targets = row
            company = Company(
                name_ko=name_ko,
                name_en=name_en,
                business_registration_number=business_registration_number(index),
                city_county=city,
                industry=industry,
                export_experience=experience,
                employees=employees,
                annual_revenue_krw=Decimal(employees * self.rng.randrange(80, 260) * 1_000_000),
                email=f"export{index + 1:02d}@jeonnam-sme.example",
            )
            company.full_clean()
            company.save()
            self.companies[name_en] = company
            for p_ko, p_en, hs in products:
                product = Product(
                    company=company,
                    name_ko=p_ko,
                    name_en=p_en,
                    hs_code=hs,
                    unit_price_usd=Decimal(self.rng.randrange(3, 90)),
                )
                product.full_clean()
                product.save()
                self.products[company.pk].append(product)
            CompanyTargetCountry.objects.bulk_create(
                CompanyTargetCountry(company=company, country=country) for country in targets
            )

    def _phone(self) -> str:
        rng = self.rng
        return f"+{rng.randrange(10, 99)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"

    def people(self) -> None:
        for username, role, tenant, first, last, language, zone in DEMO_USERS:
            user = User(
                username=username,
                role=role,
                first_name=first,
                last_name=last,
                language=language,
                time_zone=zone,
                email=f"{username}@jntp.example",
                is_staff=role == User.Role.STAFF,
                company=self.companies[tenant] if role == User.Role.COMPANY else None,
                center=self.centers[tenant] if role == User.Role.CENTER else None,
            )
            user.set_password(self.password)
            user.full_clean()
            user.save()
            self.users[username] = user

    @property
    def staff(self) -> User:
        return self.users["demo-staff"]

    def _company_user(self, company: Company) -> User:
        return next((u for u in self.users.values() if u.company_id == company.pk), self.staff)

    def _center_user(self, center_id: int) -> User:
        return next((u for u in self.users.values() if u.center_id == center_id), self.staff)

    # -- who meets whom -------------------------------------------------------------------------
    def _match(self, company_name: str, buyer_name: str, *, created: date) -> Match:
        key = (company_name, buyer_name)
        if key not in self.matches:
            self.matches[key] = services.match_create(
                company=self.companies[company_name],
                buyer=self.buyers[buyer_name],
                source=Match.Source.STAFF,
                created_by=self.staff,
                stage=Match.Stage.ACTIVE,
                at=kst(created, 10),
                contact_shared=self.rng.random() < 0.6,
            )
        return self.matches[key]

    def _best_buyers(self, company: Company, targets: list[str]) -> list[Buyer]:
        codes = [p.hs_code for p in self.products[company.pk]]
        scored = []
        for buyer in self.buyers.values():
            score = hs_score(codes, self.buyer_interests[buyer.pk])
            if score:
                score += buyer.country in targets
                scored.append((-score, self.rng.random(), buyer.name))
        return [self.buyers[name] for _s, _r, name in sorted(scored)]

    def matchmaking(self) -> None:
        start = date(2021, 1, 11)
        story_pairs = story.PINNED_MATCHES + [
            (c, b) for c, b, *_ in story.AGREEMENTS + story.CONTRACTS + story.MOUS
        ]
        for company_name, buyer_name in story_pairs:
            self._match(company_name, buyer_name, created=start + timedelta(days=self.rng.randrange(0, 60)))

        targets = {row[1]: row[7] for row in company_data.COMPANIES}
        for company_name, company in self.companies.items():
            ranked = self._best_buyers(company, targets[company_name])
            if not any(key[0] == company_name for key in self.matches):
                self._match(
                    company_name, ranked[0].name, created=start + timedelta(days=self.rng.randrange(0, 90))
                )
            if self.rng.random() < 0.3:
                taken = {b for c, b in self.matches if c == company_name}
                centers_taken = {self.buyers[b].center_id for b in taken}
                spare = [b for b in ranked[1:] if b.name not in taken and b.center_id not in centers_taken]
                if spare:
                    self._match(
                        company_name,
                        spare[0].name,
                        created=start + timedelta(days=self.rng.randrange(30, 200)),
                    )

        # Every center takes part: a center nobody was matched with gets its best company.
        for center in self.centers.values():
            if not any(m.buyer.center_id == center.pk for m in self.matches.values()):
                buyer = next(b for b in self.buyers.values() if b.center_id == center.pk)
                company = max(
                    self.companies.values(),
                    key=lambda c: hs_score(
                        [p.hs_code for p in self.products[c.pk]], self.buyer_interests[buyer.pk]
                    ),
                )
                self._match(company.name_en, buyer.name, created=date(2021, 3, 2))

    # -- consultations --------------------------------------------------------------------------
    def _outcome_dates(self) -> dict[tuple[str, str], tuple[date, str | None]]:
        dates = {}
        for company, buyer, *_rest, signed, event in story.AGREEMENTS + story.CONTRACTS:
            dates[(company, buyer)] = (signed, event)
        for company, buyer, signed, event in story.MOUS:
            dates.setdefault((company, buyer), (signed, event))
        return dates

    def _weekday_slot(self, earliest: date, latest: date) -> datetime:
        span = max((latest - earliest).days, 0)
        day = earliest + timedelta(days=self.rng.randrange(0, span + 1))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return kst(day, self.rng.randrange(9, 17), self.rng.choice((0, 30)))

    def _event_slot(self, event_code: str, on: date | None = None) -> datetime:
        event = self.events[event_code]
        day = on or event.starts_on + timedelta(
            days=self.rng.randrange(0, (event.ends_on - event.starts_on).days + 1)
        )
        return kst(day, self.rng.randrange(10, 17), self.rng.choice((0, 30)))

    def consultations(self) -> None:
        outcome_dates = self._outcome_dates()
        story_matches = {self.matches[pair].pk for pair in outcome_dates}
        primary_of: dict[str, Match] = {}
        for (company_name, buyer_name), match in self.matches.items():
            if (company_name, buyer_name) in outcome_dates:
                primary_of[company_name] = match  # the story's match is the company's main one
            else:
                primary_of.setdefault(company_name, match)

        # 1. A first meeting for every company, on its main match.
        planned: list[tuple[Match, datetime, str | None]] = []
        closing: list[tuple[Match, date, str | None]] = []
        for match in primary_of.values():
            signed_event = outcome_dates.get((match.company.name_en, match.buyer.name))
            if signed_event:
                signed, event = signed_event
                earliest = max(signed - timedelta(days=120), date(2021, 1, 11))
                planned.append((match, self._weekday_slot(earliest, signed - timedelta(days=21)), None))
                closing.append((match, signed, event))
            else:
                event = story.FESTIVAL if self.rng.random() < 0.12 else None
                when = (
                    self._event_slot(event)
                    if event
                    else self._weekday_slot(date(2021, 2, 1), date(2021, 11, 26))
                )
                planned.append((match, when, event))

        # 2. Every center took part: a center with no meeting yet gets one on one of its matches.
        met = {match.buyer.center_id for match, _w, _e in planned}
        for match in sorted(self.matches.values(), key=lambda m: m.pk):
            if match.buyer.center_id not in met:
                planned.append((match, self._weekday_slot(date(2021, 3, 1), date(2021, 11, 26)), None))
                met.add(match.buyer.center_id)

        # 3. The rest are the meetings where deals were closed: agreements first, at their event or
        #    shortly before signing.
        agreements = {(c, b) for c, b, *_ in story.AGREEMENTS + story.CONTRACTS}
        closing.sort(
            key=lambda item: ((item[0].company.name_en, item[0].buyer.name) not in agreements, item[1])
        )
        for match, signed, event in closing[: CONSULTATIONS_PER_YEAR - len(planned)]:
            when = (
                self._event_slot(event, on=signed)
                if event
                else self._weekday_slot(signed - timedelta(days=20), signed - timedelta(days=3))
            )
            planned.append((match, when, event))
        assert len(planned) == CONSULTATIONS_PER_YEAR, len(planned)

        planned.sort(key=lambda item: item[1])
        late = [
            i
            for i, (m, when, event) in enumerate(planned)
            if event is None and when.date() >= date(2021, 10, 15) and m.pk not in story_matches
        ]
        unlogged = set(self.rng.sample(late, min(UNLOGGED_RESULTS, len(late))))
        for index, (match, when, event_code) in enumerate(planned):
            event = self.events[event_code] if event_code else None
            mode = {
                story.FESTIVAL: Consultation.Mode.EXPORT_FAIR,
                story.ENERGY_WEEK: Consultation.Mode.IN_PERSON,
            }.get(event_code, Consultation.Mode.ONLINE_VIDEO)
            consultation = services.consultation_create(
                match=match,
                starts_at=when,
                mode=mode,
                event=event,
                created_by=self.staff,
                interpreter=self.rng.choice(["", "", "센터 통역", "현지 통역사"]),
                duration_minutes=self.rng.choice((30, 45, 60, 90)),
            )
            self.first_consultation.setdefault(match.pk, consultation)
            if index in unlogged:
                continue
            consulted = Decimal(self.rng.randrange(20, 400) * 1000)
            services.consultation_log_result(
                consultation=consultation,
                by=self._center_user(match.buyer.center_id),
                consulted_amount_usd=consulted,
                expected_contract_usd=(consulted * Decimal(self.rng.randrange(10, 45)) / 100).quantize(
                    Decimal(1)
                ),
                interest_level=self.rng.choice("AABBBCCD"),
                summary=self.rng.choice(
                    [
                        "제품 품질과 포장에 관심이 높음. 가격 조건 재협의 예정.",
                        "현지 유통망 확대 계획과 맞아 견본품 요청.",
                        "인증서(HACCP, 할랄) 확인 후 재상담 희망.",
                        "초도 물량 1컨테이너 검토 중. 단가 인하 요청.",
                        "카탈로그와 견적서 송부 요청.",
                    ]
                ),
                next_step=self.rng.choice(["견본품 발송", "견적서 송부", "화상 재상담", "인증서 제출"]),
                follow_up_on=(when + timedelta(days=self.rng.randrange(7, 21))).date(),
                at=when + timedelta(hours=3),
            )

        for match in self.rng.sample(sorted(self.matches.values(), key=lambda m: m.pk), EXTRA_CANCELLED):
            consultation = services.consultation_create(
                match=match,
                starts_at=self._weekday_slot(date(2021, 3, 1), date(2021, 10, 29)),
                mode=Consultation.Mode.ONLINE_VIDEO,
                created_by=self.staff,
            )
            services.consultation_cancel(consultation=consultation, by=self.staff)

    # -- samples --------------------------------------------------------------------------------
    def shipments(self) -> None:
        candidates = sorted(
            (m for m in self.matches.values() if m.pk in self.first_consultation),
            key=lambda m: self.first_consultation[m.pk].starts_at,
        )
        agreement_pairs = {(c, b) for c, b, *_ in story.AGREEMENTS}
        # Deals were closed after samples: those matches ship first, the rest are drawn at random.
        chosen = [m for m in candidates if (m.company.name_en, m.buyer.name) in agreement_pairs]
        others = [m for m in candidates if m not in chosen]
        total = sum(n for _s, n in SHIPMENT_STATES)
        chosen += self.rng.sample(others, total - len(chosen))

        plan = [state for state, n in SHIPMENT_STATES for _ in range(n)]
        for match, target in zip(chosen, plan, strict=True):
            self._ship(match, target)

    def _ship(self, match: Match, target: str) -> None:
        Status = SampleShipment.Status
        company = match.company
        requester = self._company_user(company)
        center_user = self._center_user(match.buyer.center_id)
        consultation = self.first_consultation[match.pk]
        if target == Status.REQUESTED:
            requested = kst(date(2021, 12, self.rng.randrange(13, 22)), 10)
        else:
            requested = consultation.starts_at + timedelta(days=self.rng.randrange(3, 12))
        products = self.products[company.pk]
        items = [
            {
                "product": product,
                "quantity": self.rng.randrange(2, 20),
                "declared_value_usd": Decimal(self.rng.randrange(20, 300)),
            }
            for product in products[: self.rng.randrange(1, len(products) + 1)]
        ]
        shipment = services.shipment_request(
            company=company,
            center=match.buyer.center,
            match=match,
            consultation=consultation,
            purpose=self.rng.choice(
                [
                    "바이어 요청에 따른 시식용 견본품",
                    "상담 후속: 포장 규격 확인용 견본",
                    "현지 유통 테스트용 견본품",
                    "인증 심사용 견본",
                ]
            ),
            items=items,
            requested_by=requester,
            idempotency_key=uuid.uuid5(NAMESPACE, f"shipment:{match.pk}"),
            at=requested,
        )
        if target == Status.REQUESTED:
            return
        if target == Status.REJECTED:
            services.shipment_reject(
                shipment=shipment,
                by=self.staff,
                reason=self.rng.choice(story.REJECTION_REASONS),
                at=requested + timedelta(days=2),
            )
            return
        if target == Status.CANCELLED and self.rng.random() < 0.5:
            services.shipment_cancel(
                shipment=shipment,
                by=requester,
                reason="바이어 일정 변경으로 취소",
                at=requested + timedelta(days=1),
            )
            return
        approved = requested + timedelta(days=2)
        support = Decimal(self.rng.randrange(12, 60) * 1000)
        services.shipment_approve(shipment=shipment, by=self.staff, cost_support_krw=support, at=approved)
        if target == Status.CANCELLED:
            services.shipment_cancel(
                shipment=shipment,
                by=requester,
                reason="견본 재고 부족으로 취소",
                at=approved + timedelta(days=1),
            )
            return
        if target == Status.APPROVED:
            return
        shipped = approved + timedelta(days=self.rng.randrange(1, 4))
        courier = self.rng.choice([Courier.EMS] * 4 + [Courier.DHL])
        number = ems_number(self.rng) if courier == Courier.EMS else dhl_number(self.rng)
        services.shipment_ship(
            shipment=shipment, by=requester, courier=courier, tracking_number=number, at=shipped
        )
        if target == Status.SHIPPED:
            return
        delivered = shipped + timedelta(days=self.rng.randrange(4, 10))
        services.shipment_deliver(shipment=shipment, by=center_user, at=delivered)
        if target == Status.DELIVERED:
            return
        services.shipment_record_feedback(
            shipment=shipment,
            by=center_user,
            rating=self.rng.choice((3, 4, 4, 5, 5)),
            comment=self.rng.choice(
                [
                    "맛과 포장 모두 현지 소비자 반응이 좋음.",
                    "품질은 우수하나 가격이 다소 높다는 의견.",
                    "현지 규격에 맞는 라벨 수정 필요.",
                    "Samples well received by the buying team.",
                ]
            ),
            order_interest=self.rng.choice(["yes", "yes", "maybe", "no"]),
            next_step=self.rng.choice(["견적 재송부", "초도 주문 협의", "라벨 수정 후 재발송"]),
            at=delivered + timedelta(days=self.rng.randrange(3, 14)),
        )

    # -- what came of it ------------------------------------------------------------------------
    def outcomes(self) -> None:
        for kind, rows in (
            (Outcome.Kind.EXPORT_AGREEMENT, story.AGREEMENTS),
            (Outcome.Kind.CONTRACT, story.CONTRACTS),
        ):
            for company_name, buyer_name, usd, currency, signed, event in rows:
                rate = services.exchange_rate_for(currency, signed)
                services.outcome_create(
                    match=self.matches[(company_name, buyer_name)],
                    kind=kind,
                    signed_on=signed,
                    amount=(Decimal(usd) * rate).quantize(Decimal("0.01")),
                    currency=currency,
                    event=self.events[event] if event else None,
                    created_by=self.staff,
                    title=f"{company_name} – {buyer_name}",
                )
        for company_name, buyer_name, signed, event in story.MOUS:
            services.outcome_create(
                match=self.matches[(company_name, buyer_name)],
                kind=Outcome.Kind.MOU,
                signed_on=signed,
                event=self.events[event] if event else None,
                created_by=self.staff,
                title=f"MOU {company_name} – {buyer_name}",
            )

    def open_follow_ups(self) -> None:
        """A few follow-ups open today, so that a laptop demo shows reminders going out (the rules look
        back a year only, and the demo's records are from 2021). Everything else stays in 2021."""
        from django.utils import timezone

        from matching.services.followups import follow_up_create

        today = timezone.localtime(timezone.now(), KST).date()
        kansai = self.matches[("Wando Sea Laver Fishery Corp.", "Kansai Korean Foods Co.")]
        gulf = self.matches[("Naju Energy Solutions Co.", "Gulf Power Contracting LLC")]
        plan = [
            ("demo-company", kansai, 2, "Kansai Korean Foods에 2022년 단가표 보내기"),
            ("demo-center", kansai, 1, "Kansai Korean Foods 재주문 의향 확인"),
            ("demo-center2", gulf, 3, "Confirm the delivery schedule of the second transformer lot"),
            ("demo-staff", gulf, -2, "에너지위크 계약 이행 현황 보고서 정리"),
        ]
        for username, match, days, title in plan:
            follow_up_create(
                title=title,
                assignee=self.users[username],
                created_by=self.staff,
                match=match,
                due_at=kst(today + timedelta(days=days), 9),
            )

    def pipeline(self) -> None:
        """Move buyers and matches to where the year left them, keeping every step in their history."""
        Stage, Status = Match.Stage, Buyer.Status
        for match in self.matches.values():
            outcomes = {o.kind for o in match.outcomes.all()}
            shipped = match.shipments.exclude(status__in=["requested", "rejected", "cancelled"]).exists()
            if outcomes & {Outcome.Kind.EXPORT_AGREEMENT, Outcome.Kind.CONTRACT}:
                stage = Stage.WON
            elif Outcome.Kind.MOU in outcomes:
                stage = Stage.NEGOTIATION
            elif shipped:
                stage = Stage.SAMPLE
            elif match.consultations.exists():
                stage = Stage.CONSULTATION
            else:
                stage = Stage.ACTIVE
            Match.objects.filter(pk=match.pk).update(stage=stage)

        path = Status.pipeline()
        for buyer in self.buyers.values():
            matches = list(buyer.matches.all())
            kinds = {o.kind for m in matches for o in m.outcomes.all()}
            if kinds & {Outcome.Kind.EXPORT_AGREEMENT, Outcome.Kind.CONTRACT}:
                target = Status.CONTRACTED
            elif Outcome.Kind.MOU in kinds:
                target = Status.NEGOTIATING
            elif any(m.shipments.exists() for m in matches):
                target = Status.SAMPLE_REQUESTED
            elif any(
                c.interest_level in "AB" and c.interest_level for m in matches for c in m.consultations.all()
            ):
                target = Status.INTERESTED
            elif matches:
                target = Status.CONTACTED
            else:
                target = Status.DORMANT if self.rng.random() < 0.25 else None
            if target is None:
                continue
            steps = [Status.DORMANT] if target == Status.DORMANT else path[1 : path.index(target) + 1]
            when = kst(date(2021, 2, 1), 10) + timedelta(days=self.rng.randrange(0, 30))
            manager = self._center_user(buyer.center_id)
            for step in steps:
                buyer = buyer_change_status(
                    buyer_id=buyer.pk,
                    to_status=step,
                    expected_status=buyer.status,
                    by=manager,
                    at=when,
                    note="" if step != Status.DORMANT else "연락 두절, 내년 재접촉 예정",
                )
                when += timedelta(days=self.rng.randrange(10, 40))

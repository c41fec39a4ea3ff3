"""The CRM's share of the demo: three salespeople, scoring rules, ~60 leads
from every source (some looking like known customers), a won and lost
history the model learns from, ~40 opportunities over the stages, and
activities, some of them overdue.

Everything goes through the same services as the CLI and the pages, and
is deterministic for a given day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Company, Membership, Party, User
from core.users import create_user, grant
from plugins.sales.activities import complete, schedule
from plugins.sales.leads import convert, create_lead, disqualify, qualify
from plugins.sales.opportunities import create_opportunity, mark_lost, mark_won, move
from plugins.sales.pipeline import lost_reasons_of, stages_of
from plugins.sales.scoring import add_rule, train_model

__all__ = ["crm_demo_data", "SALESPEOPLE", "DEMO_PASSWORD"]

SALESPEOPLE = (("minsu", "Kim Minsu"), ("jiyoung", "Lee Jiyoung"), ("seojun", "Park Seojun"))
DEMO_PASSWORD = "jangbu-demo"
_FIRST = [
    "Minji",
    "Seoyeon",
    "Jiho",
    "Hyunwoo",
    "Yuna",
    "Dohyun",
    "Sumin",
    "Jiwoo",
    "Eunji",
    "Taeyang",
    "Haneul",
    "Seojin",
    "Yejin",
    "Junho",
    "Ara",
]
_LAST = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh"]
_ORGS = [
    "Mapo Books",
    "Gangnam Dental",
    "Suwon Logistics",
    "Jeonju Foods",
    "Ulsan Shipyards",
    "Pohang Steel Parts",
    "Sejong Schools",
    "Ilsan Clinic",
    "Bundang Software",
    "Changwon Motors",
    "Gimhae Farms",
    "Yeosu Marine",
    "Andong Crafts",
    "Cheongju Print",
    "Mokpo Fisheries",
    "Wonju Hospital",
    "Jinju Textiles",
    "Gumi Electronics",
    "Chuncheon Cafe",
    "Sokcho Hotel",
    "Gyeongju Tours",
    "Paju Publishing",
    "Hwaseong Auto",
    "Asan Semicon",
    "Seogwipo Resort",
    "Gimpo Air Cargo",
    "Namyangju Build",
    "Yongin Campus",
    "Anyang Pharma",
    "Bucheon Plastics",
]
_INDUSTRIES = ["retail", "education", "healthcare", "logistics", "manufacturing", "hospitality"]
_REGIONS = ["Seoul", "Busan", "Daegu", "Incheon", "Gwangju", "Daejeon", "Gyeonggi"]
_SOURCES = ["web"] * 4 + ["referral"] * 2 + ["event"] * 2 + ["import", "manual"]
_FREE = ["gmail.com", "naver.com", "daum.net"]


def _salespeople(session: Session, company: Company) -> list[str]:
    names = []
    for username, full_name in SALESPEOPLE:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(session, username, DEMO_PASSWORD, full_name=full_name,
                               email=f"{username}@demo.example")
        if session.scalar(select(Membership.id).where(Membership.user_id == user.id,
                                                      Membership.company_id == company.id)) is None:
            grant(session, user, company, "salesperson")
        names.append(username)
    return names


def _chance(source: str, free: bool, employees: int) -> float:
    """How likely a demo lead is won: referrals and events do well, free mail and tiny firms less so."""
    chance = {"referral": 0.9, "event": 0.6, "web": 0.35, "import": 0.25, "manual": 0.45}[source]
    chance *= 0.4 if free else 1.0
    return min(0.95, chance * (1.2 if employees >= 250 else 1.0))


def crm_demo_data(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    rng = random.Random(2026)
    today = dt.date.today()
    now = dt.datetime.combine(today, dt.time(9, 0))
    progress("sales: salespeople, scoring rules")
    owners = _salespeople(session, company)
    add_rule(
        session, company, "source", "equals", "referral", 20, "Referred by a customer", rescore_leads=False
    )
    add_rule(session, company, "employees", "at_least", "250", 10, "250 people or more", rescore_leads=False)
    add_rule(session, company, "budget", "at_least", "10000000", 10, "Budget of 10 million or more",
             rescore_leads=False)
    stages = [s.name for s in stages_of(session, company)]
    reasons = [r.name for r in lost_reasons_of(session, company)]
    customers = list(
        session.scalars(
            select(Party).where(Party.company_id == company.id, Party.code.like("C-%")).order_by(Party.code)
        )
    )

    progress("sales: leads and their history")
    opportunities, open_leads = [], []
    for i in range(60):
        source, free = rng.choice(_SOURCES), rng.random() < 0.35
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        organisation = _ORGS[i % len(_ORGS)] + ("" if i < len(_ORGS) else " Branch")
        domain = rng.choice(_FREE) if free else organisation.split()[0].lower() + ".example.kr"
        email = f"{first.lower()}.{last.lower()}{i}@{domain}"
        if i % 15 == 7 and customers:  # now and then someone from a known customer writes in
            email = customers[i % len(customers)].email or email
        employees = rng.choice([3, 8, 25, 60, 120, 300, 800])
        created = now - dt.timedelta(days=rng.randint(2, 200), hours=rng.randint(0, 8))
        lead = create_lead(session, company, f"{first} {last}", organisation=organisation, email=email,
                           phone=f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                           region=rng.choice(_REGIONS), country="KR", industry=rng.choice(_INDUSTRIES),
                           employees=employees, budget=str(rng.randint(1, 40) * 500000), source=source,
                           owner=rng.choice(owners), created_at=created,
                           source_address=f"203.0.113.{i}" if source == "web" else None)
        age = (now - created).days
        if age > 90 and i % 5 != 4:  # an older lead has an outcome: converted and closed
            code = "C-" + "".join(ch for ch in organisation.upper() if ch.isalnum())[:12] + f"{i:02d}"
            _party, deal = convert(session, company, lead.number, new_party=code, stage=rng.choice(stages),
                                   expected_close=(created + dt.timedelta(days=40)).date().isoformat())
            deal.created_at = created + dt.timedelta(days=3)
            closed = min(
                today - dt.timedelta(days=1), (created + dt.timedelta(days=rng.randint(15, 45))).date()
            )
            if rng.random() < _chance(source, free, employees):
                mark_won(session, company, deal.number, date=closed)
            else:
                mark_lost(session, company, deal.number, rng.choice(reasons), date=closed)
        elif age > 90:
            disqualify(session, company, lead.number, rng.choice(["No budget this year", "A student project",
                                                                  "Outside our area"]))
        elif i % 3 == 0:  # a younger lead being worked: an open opportunity
            _party, deal = convert(session, company, lead.number, stage=stages[0],
                                   expected_close=(today + dt.timedelta(days=rng.randint(5, 90))).isoformat())
            target = rng.choice(stages)
            if target != stages[0]:
                move(session, company, deal.number, target)
            opportunities.append(deal)
        else:
            if i % 2 == 0:
                qualify(session, company, lead.number)
            open_leads.append(lead)

    progress("sales: opportunities with known customers")
    for n, party in enumerate(customers):
        what = rng.choice(["renewal", "new site", "bulk order", "upgrade"])
        deal = create_opportunity(
            session,
            company,
            f"{party.name}: {what}",
            party=party.code,
            stage=stages[n % len(stages)],
            owner=owners[n % len(owners)],
            expected_revenue=str(rng.randint(2, 60) * 500000),
            expected_close=(today + dt.timedelta(days=rng.randint(-10, 120))).isoformat(),
        )
        opportunities.append(deal)

    progress("sales: activities")
    kinds = ["call", "meeting", "email", "task"]
    subjects = {"call": "Follow-up call", "meeting": "Product demo", "email": "Send the price list",
                "task": "Prepare a quotation"}
    for n, deal in enumerate(opportunities):
        kind = kinds[n % 4]
        due = today + dt.timedelta(days=rng.randint(-12, 20))
        made = schedule(session, company, kind, subjects[kind], due, owner=deal.owner.username if deal.owner
                        else owners[n % len(owners)], opportunity=deal.number)
        if due < today and n % 3 == 0:
            complete(
                session,
                company,
                made.id,
                rng.choice(["Went well", "Asked for a discount", "Call back later"]),
            )
    for n, lead in enumerate(open_leads):
        due = today + dt.timedelta(days=rng.randint(-6, 10))
        schedule(
            session,
            company,
            "call",
            "First call",
            due,
            owner=lead.owner.username if lead.owner else None,
            lead=lead.number,
        )
    for n, party in enumerate(customers):
        schedule(session, company, "meeting", "Quarterly review", today + dt.timedelta(days=7 * (n + 1) - 10),
                 owner=owners[n % len(owners)], party=party.code)

    progress("sales: learning from the won and lost leads")
    train_model(session, company)

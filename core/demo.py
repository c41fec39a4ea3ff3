"""The demo database: a company with every available plugin and plausible data.

``build_demo`` refuses to touch a database that holds anything but an
earlier demo; an earlier demo is wiped and built again from scratch.
Each plugin adds its share through the ``demo_data`` hook; core's share
(below) is a small chart of accounts, parties, products and a year of
activity in money and stock.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.catalog import create_party, create_product, get_product
from core.companies import create_company
from core.errors import Conflict
from core.ledger import Draft, Leg, create_account, post_many
from core.ledger.immutability import drop_triggers
from core.ledger.models import Account
from core.migrate import upgrade
from core.models import Company, Party, PartyKind
from core.plugins import Plugins
from core.users import create_user, grant

__all__ = [
    "DEMO_COMPANY",
    "DEMO_USER",
    "DEMO_PASSWORD",
    "DEMO_PARTIES",
    "DEMO_PRODUCTS",
    "DemoSummary",
    "build_demo",
    "core_demo_data",
]

DEMO_COMPANY = "DEMO"
DEMO_USER = "demo"
DEMO_PASSWORD = "jangbu-demo"


@attrs.frozen
class DemoSummary:
    database: str
    company: str
    plugins: tuple[str, ...]
    username: str
    password: str


def _wipe(engine: Engine) -> None:
    """Empty a database that holds only an earlier demo; refuse anything else."""
    tables = set(inspect(engine).get_table_names())
    if not tables:
        return
    if "core_company" not in tables:
        raise Conflict(
            f"{engine.url.render_as_string(hide_password=True)} holds tables that are not Jangbu's; "
            "refusing to build the demo there"
        )
    with engine.connect() as connection:
        codes = set(connection.scalars(text("SELECT code FROM core_company")))
    others = sorted(codes - {DEMO_COMPANY})
    if others:
        raise Conflict(f"the database holds companies other than the demo ({', '.join(others)}); "
                       "refusing to rebuild it: point --database at another file")
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)
        return
    with engine.begin() as connection:
        drop_triggers(connection)
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)


def build_demo(engine: Engine, plugins: Plugins, factory: Callable[[], Session],
               progress: Callable[[str], None]) -> DemoSummary:
    """Wipe an earlier demo, migrate, and fill company DEMO through the hooks."""
    _wipe(engine)
    upgrade(engine, plugins)
    names = [n for n in plugins.names() if n != "core"]
    with factory() as session, session.begin():
        company = create_company(session, DEMO_COMPANY, "Jangbu Demo Co.", "KRW", country="KR",
                                 timezone="Asia/Seoul", plugins=names)
        user = create_user(
            session, DEMO_USER, DEMO_PASSWORD, full_name="Demo Admin", email="demo@example.com"
        )
        grant(session, user, company, "admin")
        for name in ["core", *plugins.installed(session, company)]:
            progress(f"{name}: demo data")
            plugins.only(name).demo_data(session=session, company=company, progress=progress)
        for name in ["core", *plugins.installed(session, company)]:
            plugins.only(name).demo_finished(session=session, company=company, progress=progress)
        installed = tuple(plugins.installed(session, company))
    return DemoSummary(engine.url.render_as_string(hide_password=True), DEMO_COMPANY, installed,
                       DEMO_USER, DEMO_PASSWORD)


# -- core's share ------------------------------------------------------------

_CHART = [
    ("1000", "Cash", "asset", True), ("1100", "Bank", "asset", False),
    ("1200", "Accounts receivable", "asset", False), ("1400", "Inventory", "asset", False),
    ("2000", "Accounts payable", "liability", False), ("2100", "VAT payable", "liability", False),
    ("3000", "Share capital", "equity", False), ("4000", "Sales", "income", False),
    ("5000", "Cost of goods sold", "expense", False), ("6000", "Rent", "expense", False),
    ("6100", "Salaries", "expense", False), ("6200", "Utilities", "expense", False),
    ("WH", "Main warehouse", "stock", True), ("SUPPLIERS", "Suppliers (virtual)", "stock", False),
    ("CUSTOMERS", "Customers (virtual)", "stock", False),
]
DEMO_PARTIES = [
    ("C-HANBIT", "Hanbit Retail Co.", "customer"), ("C-SEOUL", "Seoul Office Supply", "customer"),
    ("C-BUSAN", "Busan Marine Trading", "customer"), ("C-DAEJEON", "Daejeon Tech Park", "customer"),
    ("C-JEJU", "Jeju Green Farms", "customer"), ("C-INCHEON", "Incheon Logistics", "customer"),
    ("S-NAMSAN", "Namsan Paper Mill", "supplier"), ("S-GWANGJU", "Gwangju Plastics", "supplier"),
    ("S-ULSAN", "Ulsan Steelworks", "supplier"),
]
# sku, name, unit, cost, price
DEMO_PRODUCTS = [
    ("A4-BOX", "A4 paper, box of 2,500 sheets", "box", 18000, 26000),
    ("PEN-BLK", "Gel pen, black", "pcs", 450, 900),
    ("NOTE-A5", "Notebook A5, 80 pages", "pcs", 1200, 2500),
    ("BIN-40L", "Recycling bin 40 l", "pcs", 9500, 16000),
    ("TAPE-48", "Packing tape 48 mm", "pcs", 800, 1500),
    ("CLIP-KG", "Paper clips, loose", "kg", 4200, 7800),
]


def core_demo_data(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    """Parties and products; and, when no plugin has set up the company's
    books already (finance installs a chart of its own), a small chart and a
    year of trading (deterministic)."""
    known = set(session.scalars(select(Party.code).where(Party.company_id == company.id)))
    for code, name, _role in DEMO_PARTIES:
        if code not in known:
            create_party(session, company, code, name, kind=PartyKind.ORGANISATION,
                         email=f"hello@{code.split('-')[1].lower()}.example.kr")
    for sku, name, unit, _cost, _price in DEMO_PRODUCTS:
        try:
            get_product(session, company, sku)
        except Exception:
            create_product(session, company, sku, name, unit=unit, category="Office supplies")
    existing = set(session.scalars(select(Account.code).where(Account.company_id == company.id)))
    if existing - {code for code, *_ in _CHART}:
        return  # a plugin keeps these books: its own demo data fills them
    for code, name, kind, no_negative in _CHART:
        if code not in existing:
            create_account(session, company, code, name, kind, no_negative=no_negative)
    progress("core: a year of trading")
    post_many(session, company, _year_of_trading(dt.date.today()))


def _year_of_trading(today: dt.date) -> list[Draft]:
    rng = random.Random(2026)
    start = today.replace(day=1) - dt.timedelta(days=330)
    start = start.replace(day=1)
    drafts = [Draft(start, [Leg("1100", 150_000_000), Leg("3000", -150_000_000)], "Share capital paid in",
                    "demo:capital")]
    stock = {sku: Decimal(0) for sku, *_ in DEMO_PRODUCTS}
    day, n = start, 0
    while day <= today:
        n += 1
        key = f"demo:{day.isoformat()}"
        if day.day == 1:
            drafts.append(
                Draft(day, [Leg("6000", 1_800_000), Leg("1100", -1_800_000)], "Office rent", key + ":rent")
            )
        if day.day == 25:
            drafts.append(
                Draft(day, [Leg("6100", 9_500_000), Leg("1100", -9_500_000)], "Salaries", key + ":pay")
            )
            bill = rng.randrange(380_000, 620_000, 10)
            drafts.append(
                Draft(day, [Leg("6200", bill), Leg("1100", -bill)], "Electricity and water", key + ":util")
            )
        if day.weekday() == 0:  # restock on Mondays
            for sku, _name, unit, cost, _price in DEMO_PRODUCTS:
                if stock[sku] < 400:
                    qty = (
                        Decimal(rng.randrange(500, 900))
                        if unit != "kg"
                        else Decimal(rng.randrange(200000, 400000)) / 1000
                    )
                    value = int(qty * cost)
                    stock[sku] += qty
                    drafts.append(Draft(day, [
                        Leg("WH", qty, sku), Leg("SUPPLIERS", -qty, sku),
                        Leg("1400", value), Leg("2000", -value)], f"Purchase of {sku}", f"{key}:buy:{sku}"))
            owed = sum(
                d.legs[2].amount
                for d in drafts[-len(DEMO_PRODUCTS) :]
                if d.legs and d.legs[0].account == "WH"
            )
            if owed:
                drafts.append(Draft(day + dt.timedelta(days=1), [Leg("2000", owed), Leg("1100", -owed)],
                                    "Supplier payments", key + ":paysup"))
        if day.weekday() < 5:
            for _ in range(rng.randrange(3, 9)):
                sku, _name, unit, cost, price = rng.choice(DEMO_PRODUCTS)
                qty = (
                    Decimal(rng.randrange(5, 60))
                    if unit != "kg"
                    else Decimal(rng.randrange(2000, 30000)) / 1000
                )
                if qty > stock[sku]:
                    continue
                stock[sku] -= qty
                net, cogs = int(qty * price), int(qty * cost)
                vat = net // 10
                paid_cash = rng.random() < 0.3
                money = "1000" if paid_cash else "1200"
                drafts.append(
                    Draft(
                        day,
                        [
                            Leg("CUSTOMERS", qty, sku),
                            Leg("WH", -qty, sku),
                            Leg(money, net + vat),
                            Leg("4000", -net),
                            Leg("2100", -vat),
                            Leg("5000", cogs),
                            Leg("1400", -cogs),
                        ],
                        f"Sale of {qty} {sku}",
                        f"{key}:sale:{len(drafts)}",
                    )
                )
                if not paid_cash:
                    drafts.append(Draft(min(day + dt.timedelta(days=14), today), [
                        Leg("1100", net + vat), Leg("1200", -(net + vat))], f"Customer payment for {sku}",
                        f"{key}:collect:{len(drafts)}"))
        day += dt.timedelta(days=1)
    drafts.sort(key=lambda d: d.date)
    return drafts

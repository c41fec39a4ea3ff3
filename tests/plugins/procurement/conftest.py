"""Fixtures for procurement: a database whose plugin manager has finance, wms
and procurement, and companies that installed procurement alone, with
finance, with wms, or with both (the four combinations the plugin must work
in).

``make_buying_company(pdb, code, plugins=("procurement",))`` gives:

- suppliers S1 Namsan Paper Mill, S2 Busan Office Supply, S3 Daegu Ink Works,
  and a customer C1 Hanbit Retail;
- products PEN (pcs), PAPER (box), INK (pcs, sold by S3 only: single source)
  and TAPE (pcs, in nobody's catalogue);
- the catalogue (``CATALOGUE``): S1 PEN 300 (5 days, min 10, preferred),
  S1 PAPER 18,000 (7 days); S2 PEN 320 (3 days), S2 PAPER 17,500 (10 days,
  min 5); S3 INK 5,000 (14 days);
- with wms, the warehouses MAIN and EAST (no stock).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.wms as wms
from core.catalog import create_party, create_product
from core.companies import create_company
from core.ledger import balance, trial_balance, verify
from core.plugins import plugins_of
from tests.conftest import templated

COMBINATIONS = {"alone": ("procurement",), "finance": ("finance", "procurement"),
                "wms": ("wms", "procurement"), "both": ("finance", "wms", "procurement")}
SUPPLIERS = [("S1", "Namsan Paper Mill"), ("S2", "Busan Office Supply"), ("S3", "Daegu Ink Works")]
PRODUCTS = [("PEN", "Ballpoint pen", "pcs", "stationery"), ("PAPER", "A4 paper box", "box", "stationery"),
            ("INK", "Ink cartridge", "pcs", "stationery"), ("TAPE", "Packing tape", "pcs", "stationery")]
# supplier, sku, price, lead time days, minimum quantity, preferred
CATALOGUE = [("S1", "PEN", "300", 5, "10", True), ("S1", "PAPER", "18000", 7, "0", False),
             ("S2", "PEN", "320", 3, "0", False), ("S2", "PAPER", "17500", 10, "5", False),
             ("S3", "INK", "5000", 14, "0", True)]


@pytest.fixture
def pdb(db):
    """The ``db`` fixture with finance, wms and procurement registered."""
    db.use_plugins(finance, wms, procurement)
    return db


@pytest.fixture
def prun(pdb):
    """``prun(*args, input=None, company="ACME")``: the CLI (finance, wms, procurement) against the test
    database."""
    from click.testing import CliRunner

    from cli import create_cli

    cli = create_cli(pdb.plugins)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, company: str | None = "ACME"):
        prefix = ["--database", pdb.url] + (["--company", company] if company else [])
        return runner.invoke(cli, [*prefix, *args], input=input, catch_exceptions=False)

    return invoke


@templated
def make_buying_company(pdb, code="ACME", *, plugins=("procurement",), currency="KRW", country="KR",
                        catalogue=True):
    """A company with ``plugins``, three suppliers, a customer, four products, the catalogue and, with wms,
    the warehouses MAIN and EAST."""
    from plugins.procurement.catalogue import set_supplier_product

    with pdb.session() as s:
        company = create_company(s, code, f"{code} Co", currency, country=country, plugins=list(plugins))
        for party_code, name in SUPPLIERS:
            create_party(s, company, party_code, name)
        create_party(s, company, "C1", "Hanbit Retail")
        for sku, name, unit, category in PRODUCTS:
            create_product(s, company, sku, name, unit=unit, category=category)
        if "wms" in plugins:
            from plugins.wms.places import create_warehouse

            create_warehouse(s, company, "MAIN", "Main warehouse")
            create_warehouse(s, company, "EAST", "East depot")
        if catalogue:
            for supplier, sku, price, lead, minimum, preferred in CATALOGUE:
                set_supplier_product(s, company, supplier, sku, price=price, currency=currency,
                                     lead_time_days=lead, min_quantity=minimum, preferred=preferred)
    return company


@pytest.fixture(params=list(COMBINATIONS))
def combo(pdb, request):
    """(db, company, plugins): ACME with each combination of procurement and its optional partners."""
    plugins = COMBINATIONS[request.param]
    return pdb, make_buying_company(pdb, plugins=plugins), plugins


def has(session, company, name) -> bool:
    return plugins_of(session).is_installed(session, company, name)


def assert_books_sound(session, company):
    """What every step must keep: the ledger verifies and balances per commodity (money and each
    product's units) and, with wms, its stock rows agree with the ledger."""
    report = verify(session, company)
    assert report.ok, report.problems
    rows = trial_balance(session, company)
    for commodity in {r.commodity for r in rows}:
        mine = [r for r in rows if r.commodity == commodity]
        assert sum(r.debit for r in mine) == sum(r.credit for r in mine), commodity
    if has(session, company, "wms"):
        from plugins.wms.queries import check_stock

        assert check_stock(session, company) == []


def grni(session, company) -> Decimal:
    """The balance of "goods received not invoiced" (credit positive), or 0 when stock is not valued."""
    if not (has(session, company, "wms") and has(session, company, "finance")):
        return Decimal(0)
    from plugins.wms import api as wms_api

    code = wms_api.received_account(session, company)
    return -balance(session, company, code) if code else Decimal(0)


def payable(session, company) -> Decimal:
    """What the company owes its suppliers (credit positive) in the payable account, 0 without finance."""
    if not has(session, company, "finance"):
        return Decimal(0)
    from plugins.finance.company_setup import settings_of

    settings = settings_of(session, company)
    from core.ledger.models import Account

    code = session.scalar(select(Account.code).where(Account.id == settings.payable_id))
    return -balance(session, company, code)


def on_hand(session, company, sku, warehouse=None) -> Decimal:
    """Units of ``sku`` on hand and free in ``warehouse`` (or all), through wms's api."""
    from plugins.wms import api as wms_api

    return wms_api.available(session, company, sku, warehouse=warehouse)


def ledger_transactions(session, company) -> int:
    """How many ledger transactions the company has (a held bill must add none)."""
    from sqlalchemy import func

    from core.ledger.models import Transaction

    return session.scalar(
        select(func.count()).select_from(Transaction).where(Transaction.company_id == company.id)
    )


def make_users(pdb, company, *, buyer="kim", manager="lee"):
    """A buyer and a purchasing manager of ``company`` (usernames ``kim`` and ``lee`` by default)."""
    from core.users import create_user, grant

    with pdb.session() as s:
        from core.companies import get_company

        co = get_company(s, company.code)
        for name, role in ((buyer, "buyer"), (manager, "purchasing_manager")):
            from sqlalchemy import select as _select

            from core.models import User

            user = s.scalar(_select(User).where(User.username == name)) or create_user(s, name, "password123")
            grant(s, user, co, role)
    return buyer, manager

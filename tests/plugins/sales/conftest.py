"""Fixtures for sales: a database whose plugin manager has finance, wms and
sales, and companies that installed sales alone, with finance, with wms, or
with both (the four combinations the plugin must work in), each with
customers, salespeople and products.

``make_sales_company(sdb, code, plugins=("sales",))``: C1 Hanbit Retail
(region Seoul), C2 Busan Foods (region Busan), C3 Daegu Office (region Daegu);
products PEN, PAPER (box) and, with wms, the warehouse MAIN with stock
received of each (100 units at cost 300 and 20 boxes at cost 18,000).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import plugins.finance as finance
import plugins.sales as sales
import plugins.wms as wms
from core.catalog import create_party, create_product
from core.companies import create_company
from core.ledger import trial_balance, verify
from core.models import PartyAddress
from tests.conftest import templated

COMBINATIONS = {"alone": ("sales",), "finance": ("finance", "sales"), "wms": ("wms", "sales"),
                "both": ("finance", "wms", "sales")}
CUSTOMERS = [
    ("C1", "Hanbit Retail", "Seoul"),
    ("C2", "Busan Foods", "Busan"),
    ("C3", "Daegu Office", "Daegu"),
]
PRODUCTS = [("PEN", "Ballpoint pen", "pcs", "stationery"), ("PAPER", "A4 paper box", "box", "stationery")]
STOCK = {"PEN": (Decimal(100), Decimal(300)), "PAPER": (Decimal(20), Decimal(18000))}


@pytest.fixture
def sdb(db):
    """The ``db`` fixture with finance, wms and sales registered."""
    db.use_plugins(finance, wms, sales)
    return db


@templated
def make_sales_company(sdb, code="ACME", *, plugins=("sales",), currency="KRW", country="KR", stock=True):
    """A company with ``plugins``, three customers in three regions, two products and, with wms, stock."""
    with sdb.session() as s:
        company = create_company(s, code, f"{code} Co", currency, country=country, plugins=list(plugins))
        for party_code, name, region in CUSTOMERS:
            party = create_party(s, company, party_code, name)
            s.add(PartyAddress(company_id=company.id, party_id=party.id, purpose="main", line1="1 Main St",
                               city=region, region=region, country=country))
        create_party(s, company, "S1", "Namsan Paper Mill")
        for sku, name, unit, category in PRODUCTS:
            create_product(s, company, sku, name, unit=unit, category=category)
        if "wms" in plugins and stock:
            from plugins.wms import api as wms_api
            from plugins.wms.places import create_warehouse

            create_warehouse(s, company, "MAIN", "Main warehouse")
            receipt = wms_api.create_receipt(s, company, "S1", [wms_api.LineInput(sku, qty, cost)
                                                                for sku, (qty, cost) in STOCK.items()],
                                             warehouse="MAIN")
            wms_api.validate_operation(s, company, receipt.number)
    return company


@pytest.fixture(params=list(COMBINATIONS))
def combo(sdb, request):
    """(db, company, plugins): ACME with each combination of sales and its optional partners."""
    plugins = COMBINATIONS[request.param]
    return sdb, make_sales_company(sdb, plugins=plugins), plugins


def assert_books_sound(session, company):
    """The ledger verifies and balances per commodity (money and each product's units)."""
    report = verify(session, company)
    assert report.ok, report.problems
    rows = trial_balance(session, company)
    for commodity in {r.commodity for r in rows}:
        mine = [r for r in rows if r.commodity == commodity]
        assert sum(r.debit for r in mine) == sum(r.credit for r in mine), commodity

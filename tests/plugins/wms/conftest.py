"""Fixtures for wms: a database whose plugin manager has finance and wms, and
companies that installed wms with or without finance (valued or not), each
with a warehouse MAIN (zone A, aisle A/01, bins A/01/B1 and A/01/B2), a
second warehouse EAST, suppliers, customers and products."""

from __future__ import annotations

import pytest

import plugins.finance as finance
import plugins.wms as wms
from core.catalog import create_party, create_product
from core.companies import create_company
from core.ledger import trial_balance, verify
from plugins.wms.places import add_location, create_warehouse
from plugins.wms.products import set_rules
from plugins.wms.queries import check_stock
from tests.conftest import templated

PARTIES = [
    ("S1", "Namsan Paper Mill"),
    ("S2", "Busan Dairy"),
    ("C1", "Hanbit Retail"),
    ("C2", "Seoul Office"),
]
# sku, name, unit, category
PRODUCTS = [("PEN", "Ballpoint pen", "pcs", "stationery"), ("PAPER", "A4 paper box", "box", "stationery"),
            ("MILK", "Milk", "l", "dairy"), ("PHONE", "Phone", "pcs", "electronics")]


@pytest.fixture
def wdb(db):
    """The ``db`` fixture with finance and wms registered."""
    db.use_plugins(finance, wms)
    return db


@templated
def make_stock_company(wdb, code="ACME", *, valued=True, currency="KRW", country="KR", allow_negative=False):
    """A company with wms (and finance when ``valued``), two warehouses, parties and products.

    MILK is tracked by lot and leaves first-expiring-first; PHONE by serial number.
    """
    with wdb.session() as s:
        company = create_company(s, code, f"{code} Co", currency, country=country,
                                 plugins=["finance", "wms"] if valued else ["wms"])
        for party, name in PARTIES:
            create_party(s, company, party, name)
        for sku, name, unit, category in PRODUCTS:
            create_product(s, company, sku, name, unit=unit, category=category)
        set_rules(s, company, "MILK", tracking="lot", removal="fefo")
        set_rules(s, company, "PHONE", tracking="serial")
        create_warehouse(s, company, "MAIN", "Main warehouse")
        add_location(s, company, "MAIN", "A", "Zone A")
        add_location(s, company, "MAIN/A", "01", "Aisle A/01")
        add_location(s, company, "MAIN/A/01", "B1", "Bin B1", barcode="LOC-B1")
        add_location(s, company, "MAIN/A/01", "B2", "Bin B2", barcode="LOC-B2")
        create_warehouse(s, company, "EAST", "East depot")
        if allow_negative:
            from plugins.wms.setup import update_settings

            update_settings(s, company, allow_negative=True)
    return company


@pytest.fixture
def valued(wdb):
    """(db, company): ACME with finance and wms (stock valued)."""
    return wdb, make_stock_company(wdb)


@pytest.fixture
def plain(wdb):
    """(db, company): ACME with wms alone (quantities only)."""
    return wdb, make_stock_company(wdb, valued=False)


def assert_stock_sound(session, company):
    """What every step must keep: the ledger verifies and balances per commodity,
    and wms's rows, reservations and values agree with it."""
    report = verify(session, company)
    assert report.ok, report.problems
    rows = trial_balance(session, company)
    for commodity in {r.commodity for r in rows}:
        mine = [r for r in rows if r.commodity == commodity]
        assert sum(r.debit for r in mine) == sum(r.credit for r in mine), commodity
    assert check_stock(session, company) == []

"""Fixtures for finance: a database whose plugin manager has finance, and a
Korean company (KRW, the Korean chart) with finance installed and a few parties."""

from __future__ import annotations

import pytest

import plugins.finance as finance
from core.catalog import create_party, create_product
from core.companies import create_company
from core.ledger import trial_balance, verify

PARTIES = [("C1", "Hanbit Retail"), ("C2", "Seoul Office Supply"), ("S1", "Namsan Paper Mill")]


@pytest.fixture
def fdb(db):
    """The ``db`` fixture with finance registered."""
    db.use_plugins(finance)
    return db


def make_books(fdb, code="ACME", *, currency="KRW", country="KR"):
    with fdb.session() as s:
        company = create_company(s, code, f"{code} Co", currency, country=country, plugins=["finance"])
        for party, name in PARTIES:
            create_party(s, company, party, name)
        create_product(s, company, "PAPER", "A4 paper box", unit="box")
    return company


@pytest.fixture
def books(fdb):
    """(db, company): company ACME with finance installed (Korean chart)."""
    return fdb, make_books(fdb)


def assert_books_sound(session, company):
    """The invariants every step must keep: verify clean, every commodity balanced."""
    report = verify(session, company)
    assert report.ok, report.problems
    rows = trial_balance(session, company)
    for commodity in {r.commodity for r in rows}:
        mine = [r for r in rows if r.commodity == commodity]
        assert sum(r.debit for r in mine) == sum(r.credit for r in mine)

"""Fixtures for finance: a database whose plugin manager has finance, and a
Korean company (KRW, the Korean chart) with finance installed and a few parties."""

from __future__ import annotations

import pytest

import plugins.finance as finance
from core.catalog import create_party, create_product
from core.companies import create_company
from core.ledger import trial_balance, verify
from tests.conftest import templated
from tests.plugins.finance.report_helpers import year_of_business
from tests.web.conftest import add_user, make_app
from tests.web.pages import signed_in

PARTIES = [("C1", "Hanbit Retail"), ("C2", "Seoul Office Supply"), ("S1", "Namsan Paper Mill")]


@pytest.fixture
def fdb(db):
    """The ``db`` fixture with finance registered."""
    db.use_plugins(finance)
    return db


@templated
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


# -- the web pages: companies, users and a signed-in client (the test_pages*.py files) --

@pytest.fixture
def fin(fdb):
    """ACME and OTHER keep books with finance; PLAIN has not installed it.

    ann: admin of ACME and PLAIN; viv: viewer; abe: accountant (ledger, no finance);
    bob: bookkeeper (documents and payments, no closing); oli: admin of OTHER only.
    """
    companies_and_users(fdb)
    return fdb


@templated
def companies_and_users(fdb):
    make_books(fdb, "ACME")
    make_books(fdb, "OTHER")
    fdb.company("PLAIN")
    add_user(fdb, "ann", {"ACME": "admin", "PLAIN": "admin"})
    add_user(fdb, "viv", {"ACME": "viewer"})
    add_user(fdb, "abe", {"ACME": "accountant"})
    add_user(fdb, "bob", {"ACME": "bookkeeper"})
    add_user(fdb, "oli", {"OTHER": "admin"})


@pytest.fixture
def app(fin):
    """CSRF off: the tests that prove CSRF turn it back on."""
    return make_app(fin, WTF_CSRF_ENABLED=False)


@pytest.fixture
def ann(app):
    return signed_in(app, "ann")


# -- a year of business (test_reports.py and test_report_commands.py) ----------------

@pytest.fixture
def business(fdb):
    """(db, company): ACME after a year of business (``year_of_business``)."""
    return fdb, a_year_of_business(fdb)


@templated
def a_year_of_business(fdb):
    company = make_books(fdb)
    with fdb.session() as s:
        year_of_business(s, s.merge(company))
    return company

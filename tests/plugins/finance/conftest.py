"""Fixtures for finance: a database whose plugin manager has finance, and a
Korean company (KRW, the Korean chart) with finance installed and a few parties."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import plugins.finance as finance
from core import make_engine
from core.migrate import upgrade
from tests.conftest import PG_URL, _truncate, make_plugins
from core.catalog import create_party, create_product
from core.companies import create_company
from core.ledger import trial_balance, verify

PARTIES = [("C1", "Hanbit Retail"), ("C2", "Seoul Office Supply"), ("S1", "Namsan Paper Mill")]


@pytest.fixture(scope="session")
def finance_postgres():
    """Finance's tests keep a PostgreSQL database of their own.

    A plugin manager without finance cannot migrate a database that holds
    finance's branch, so tests with finance and tests without it never share one.
    """
    url = make_url(make_engine(PG_URL).url)
    name = f"{url.database}_finance"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    upgrade(engine, make_plugins(finance), "core@head")
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fdb(db, request):
    """The ``db`` fixture with finance registered (on PostgreSQL, in finance's own database)."""
    if db.dialect == "postgresql":
        db.engine = request.getfixturevalue("finance_postgres")
        _truncate(db.engine)
        db.url = db.engine.url.render_as_string(hide_password=False)
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

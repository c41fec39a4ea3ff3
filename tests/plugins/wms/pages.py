"""What the wms page tests share: the companies and users behind the pages,
operations made through the services, and the form fields of the operation
forms.

``site`` (import it into a test module): ACME values its stock (finance and
wms, the warehouses of ``make_stock_company``); ann is its admin.
``everyone`` adds OTHER (wms and nothing else) and PLAIN (no wms) with amy,
admin of PLAIN; viv, viewer of ACME; sam, storekeeper of ACME (operates,
sets nothing up); oli, admin of OTHER only.
"""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.exc import SAWarning

from core.companies import get_company
from plugins.wms.operations import LineInput, confirm, create_operation
from plugins.wms.validation import LotInput, validate
from tests.plugins.wms.conftest import assert_stock_sound, make_stock_company
from tests.web.conftest import add_user, make_app
from tests.web.pages import signed_in

__all__ = ["site", "everyone", "app", "ann", "receive", "deliver", "sound", "lines", "snapshot", "W"]

W = "/c/ACME/wms"


@pytest.fixture
def site(wdb):
    make_stock_company(wdb, "ACME")
    add_user(wdb, "ann", {"ACME": "admin"})
    return wdb


@pytest.fixture
def everyone(site):
    """``site`` with the other companies and users (each user costs a password hash: only where needed)."""
    site.company("OTHER", plugins=["wms"])
    site.company("PLAIN")
    add_user(site, "amy", {"PLAIN": "admin"})
    add_user(site, "viv", {"ACME": "viewer"})
    add_user(site, "sam", {"ACME": "storekeeper"})
    add_user(site, "oli", {"OTHER": "admin"})
    return site


@pytest.fixture
def app(site):
    """CSRF off: the tests that prove CSRF turn it back on."""
    return make_app(site, WTF_CSRF_ENABLED=False)


@pytest.fixture
def ann(app):
    return signed_in(app, "ann")


def receive(db, *lines, lots=(), done=None, code="ACME", validated=True, **options):
    """A receipt from S1 made through the services (validated unless told): its number."""
    with db.session() as s:
        company = get_company(s, code)
        op = create_operation(
            s, company, "receipt", [LineInput(*line) for line in lines], party="S1", **options
        )
        if validated:
            validate(s, company, op, done, lots=[LotInput(*lot) for lot in lots])
        return op.number


def deliver(db, *lines, ready=True, code="ACME", **options):
    """A delivery to C1 (confirmed, so reserved, unless told): its number."""
    with db.session() as s:
        company = get_company(s, code)
        op = create_operation(
            s, company, "delivery", [LineInput(*line) for line in lines], party="C1", **options
        )
        if ready:
            confirm(s, company, op)
        return op.number


def sound(db, code="ACME") -> None:
    with db.session() as s:
        assert_stock_sound(s, get_company(s, code))


def lines(*rows, prefix="lines") -> dict:
    """Rows of a FieldList: each a dict of the row form's fields."""
    data = {}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def snapshot(db) -> dict[str, list]:
    """Every row of every table wms and the ledger write ("nothing written" means this does not change).

    Like tests.web.pages.snapshot, with the tables reflected once per database:
    the page tests take many snapshots. Reflection cannot read the expression
    index of wms_stock and says so, which does not matter for the rows.
    """
    tables = _TABLES.get(db.url)
    if tables is None:
        metadata = MetaData()
        with warnings.catch_warnings(), db.engine.connect() as connection:
            warnings.simplefilter("ignore", SAWarning)
            metadata.reflect(connection)
        tables = _TABLES[db.url] = [t for name, t in sorted(metadata.tables.items())
                                    if name.startswith(("wms_", "ledger_", "core_"))
                                    and name not in ("core_audit", "core_user")]
    with db.engine.connect() as connection:
        return {table.name: sorted(map(repr, connection.execute(select(table)).all())) for table in tables}


_TABLES: dict[str, list] = {}

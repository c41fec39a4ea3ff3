"""What the procurement page tests share: the companies and users behind the
pages, documents made through the services, and a snapshot of every row
procurement, finance, wms and the ledger write.

``site``: ACME buys with finance and wms (``make_buying_company``); ann is its
admin. ``everyone`` adds OTHER (procurement alone) and PLAIN (no procurement),
amy admin of PLAIN, oli admin of OTHER only, and in ACME viv (viewer), bob
(buyer) and max (purchasing manager).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.exc import SAWarning

from core.companies import get_company
from plugins.procurement.billing import BillLineInput, enter_bill
from plugins.procurement.orders import OrderLineInput, confirm_order, create_order
from plugins.procurement.receiving import receive
from plugins.procurement.requisitions import RequisitionLineInput, create_requisition
from plugins.procurement.rfqs import create_rfq, record_quote
from tests.plugins.procurement.conftest import assert_books_sound, make_buying_company
from tests.web.conftest import add_user, make_app
from tests.web.pages import signed_in

__all__ = ["site", "everyone", "app", "ann", "sample", "snapshot", "sound", "lines", "token", "P", "BOTH"]

P = "/c/ACME/procurement"
BOTH = ("finance", "wms", "procurement")


@pytest.fixture
def site(pdb):
    make_buying_company(pdb, "ACME", plugins=BOTH)
    add_user(pdb, "ann", {"ACME": "admin"})
    return pdb


@pytest.fixture
def everyone(site):
    """``site`` with the other companies and users (each user costs a password hash: only where needed)."""
    make_buying_company(site, "OTHER")
    site.company("PLAIN")
    add_user(site, "amy", {"PLAIN": "admin"})
    add_user(site, "oli", {"OTHER": "admin"})
    add_user(site, "viv", {"ACME": "viewer"})
    add_user(site, "bob", {"ACME": "buyer"})
    add_user(site, "max", {"ACME": "purchasing_manager"})
    return site


@pytest.fixture
def app(site):
    """CSRF off: the tests that prove CSRF turn it back on."""
    return make_app(site, WTF_CSRF_ENABLED=False)


@pytest.fixture
def ann(app):
    return signed_in(app, "ann")


def make_sample(db, code="ACME") -> dict[str, str]:
    """A draft requisition, an open RFQ (S1 answered), a draft order, a confirmed order half received
    with a posted and a held bill: something behind every URL."""
    today = dt.date.today()
    with db.session() as s:
        company = get_company(s, code)
        req = create_requisition(
            s, company, [RequisitionLineInput("PEN", "100"), RequisitionLineInput("PAPER", "5")]
        )
        asked = create_requisition(s, company, [RequisitionLineInput("PEN", "50")])
        rfq = create_rfq(s, company, asked.number, ["S1", "S2"])
        record_quote(s, company, rfq.number, "S1", {"PEN": "290"}, lead_time_days=4)
        draft = create_order(s, company, "S2", [OrderLineInput("PEN", "20")])
        po = create_order(s, company, "S1", [OrderLineInput("PEN", "100"), OrderLineInput("PAPER", "10")])
        confirm_order(s, company, po.number, date=today)
    with db.session() as s:
        company = get_company(s, code)
        receive(s, company, po.number, {"PEN": "60", "PAPER": "10"}, date=today)
    with db.session() as s:
        company = get_company(s, code)
        posted = enter_bill(s, company, po.number, "S1-INV-1", [BillLineInput("PAPER", "10")], date=today)
        held = enter_bill(s, company, po.number, "S1-INV-2", [BillLineInput("PEN", "60", "400")], date=today)
    return {"requisition": req.number, "rfq": rfq.number, "draft": draft.number, "order": po.number,
            "posted": posted.number, "held": held.number, "supplier": "S1", "sku": "PEN"}


@pytest.fixture
def sample(everyone):
    return make_sample(everyone)


def snapshot(db) -> dict[str, list]:
    """Every row procurement, finance, wms, the ledger and core write (not the audit trail, not users)."""
    tables = _TABLES.get(db.url)
    if tables is None:
        metadata = MetaData()
        with warnings.catch_warnings(), db.engine.connect() as connection:
            warnings.simplefilter("ignore", SAWarning)
            metadata.reflect(connection)
        tables = _TABLES[db.url] = [
            t
            for name, t in sorted(metadata.tables.items())
            if name.startswith(("procurement_", "finance_", "wms_", "ledger_", "core_"))
            and name not in ("core_audit", "core_user")
        ]
    with db.engine.connect() as connection:
        return {table.name: sorted(map(repr, connection.execute(select(table)).all())) for table in tables}


_TABLES: dict[str, list] = {}


def sound(db, code="ACME") -> None:
    with db.session() as s:
        assert_books_sound(s, get_company(s, code))


def lines(*rows, prefix="lines") -> dict:
    """Rows of a FieldList: each a dict of the row form's fields."""
    data = {}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def token(client, url=f"{P}/requisitions/-/new") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(True))[1]

"""What the CRM page tests share.

``site``: ACME with sales alone (the CRM needs nothing else); ann its
admin. ``everyone`` adds sam (salesperson), viv (viewer), max (sales
manager) of ACME, OTHER (sales) with its admin oli and PLAIN (no sales) with
its admin amy. ``sample`` puts something behind every CRM URL.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.exc import SAWarning

from core.companies import get_company
from plugins.sales.activities import schedule
from plugins.sales.leads import create_lead
from plugins.sales.models import LostReason, Stage
from plugins.sales.opportunities import create_opportunity
from plugins.sales.scoring import add_rule
from tests.plugins.sales.conftest import make_sales_company
from tests.web.conftest import add_user, make_app
from tests.web.pages import signed_in

__all__ = ["site", "everyone", "app", "ann", "sample", "snapshot", "token", "S"]

S = "/c/ACME/sales"


@pytest.fixture
def site(sdb):
    make_sales_company(sdb, "ACME")
    add_user(sdb, "ann", {"ACME": "admin"})
    return sdb


@pytest.fixture
def everyone(site):
    make_sales_company(site, "OTHER")
    site.company("PLAIN")
    add_user(site, "sam", {"ACME": "salesperson"})
    add_user(site, "viv", {"ACME": "viewer"})
    add_user(site, "max", {"ACME": "sales_manager"})
    add_user(site, "oli", {"OTHER": "admin"})
    add_user(site, "amy", {"PLAIN": "admin"})
    return site


@pytest.fixture
def app(site):
    """CSRF off: the tests that prove CSRF turn it back on."""
    return make_app(site, WTF_CSRF_ENABLED=False)


@pytest.fixture
def ann(app):
    return signed_in(app, "ann")


@pytest.fixture
def sample(site):
    """A lead, an opportunity, an activity, a rule: the values of every CRM URL."""
    with site.session() as s:
        company = get_company(s, "ACME")
        lead = create_lead(
            s, company, "Minji Park", organisation="Jeonju Paper", email="minji@jeonju.example"
        )
        deal = create_opportunity(s, company, "Paper for a year", party="C1", expected_revenue="1000000",
                                  owner="ann", expected_close="2026-09-30")
        activity = schedule(s, company, "call", "Call Minji", dt.date.today() - dt.timedelta(days=1),
                            owner="ann", lead=lead.number)
        rule = add_rule(s, company, "source", "equals", "referral", 20, "a referral")
        stage = s.scalar(select(Stage.id).where(Stage.company_id == company.id).order_by(Stage.id))
        reason = s.scalar(
            select(LostReason.id).where(LostReason.company_id == company.id).order_by(LostReason.id)
        )
        return {
            "number": lead.number,
            "deal": deal.number,
            "activity_id": str(activity.id),
            "rule_id": str(rule.id),
            "stage_id": str(stage),
            "reason_id": str(reason),
        }


def token(client, url=f"{S}/leads/-/new") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(True))[1]


def snapshot(db) -> dict[str, list]:
    """Every row of the tables sales, the ledger and core write (but the audit trail and users)."""
    tables = _TABLES.get(db.url)
    if tables is None:
        metadata = MetaData()
        with warnings.catch_warnings(), db.engine.connect() as connection:
            warnings.simplefilter("ignore", SAWarning)
            metadata.reflect(connection)
        tables = _TABLES[db.url] = [t for name, t in sorted(metadata.tables.items())
                                    if name.startswith(("sales_", "ledger_", "core_"))
                                    and name not in ("core_audit", "core_user")]
    with db.engine.connect() as connection:
        return {table.name: sorted(map(repr, connection.execute(select(table)).all())) for table in tables}


_TABLES: dict[str, list] = {}

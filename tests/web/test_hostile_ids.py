"""Hostile ids and numbers in URLs: every rule answers 404 or 400, never 500, and writes nothing.

An id is ASCII digits without a sign or a leading zero, within 1..2**63-1
(``core.values.as_id``; the ``int`` converter of every rule reads it so).
Anything else is simply not found, on both engines.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.sales as sales
import plugins.wms as wms
from core.ledger import Draft, Leg
from tests.web.conftest import add_user, make_app
from tests.web.pages import seed, signed_in, snapshot
from web.access import PUBLIC, permission
from web.context import db_session

HOSTILE = ["99999999999999999999", "9223372036854775808", "-1", "١٢٣", "１２", "abc"]
EVERY_PLUGIN = ["memo", "finance", "wms", "sales", "procurement"]


@pytest.fixture
def everything(db):
    """ACME with all four plugins installed, and its admin ann."""
    db.use_plugins(finance, wms, sales, procurement)
    db.company("ACME", plugins=EVERY_PLUGIN, accounts=False)
    add_user(db, "ann", {"ACME": "admin"})
    return db


def calls(app):
    """(rule, argument, method, url): each argument of each rule given each hostile value, the others "1"."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for argument in sorted(rule.arguments):
            for value in HOSTILE:
                def fill(match, argument=argument, value=value):
                    return value if match[1] == argument else "ACME" if match[1] == "company" else "1"
                url = re.sub(r"<(?:[^<>:]+:)?(\w+)>", fill, rule.rule)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    yield rule, argument, method, url


def test_every_rule_answers_hostile_values_with_404_or_400_and_writes_nothing(everything):
    # Server errors answer as they would in production (a 500 page), so that every one is counted.
    app = make_app(everything, WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=False)
    ann = signed_in(app, "ann")
    before = snapshot(everything)
    wrong, ids, seen = [], set(), 0
    for rule, argument, method, url in calls(app):
        if rule._converters[argument].__class__.__name__ == "IdConverter":
            ids.add(rule.rule)
        status = ann.open(url, method=method).status_code
        seen += 1
        if status not in (400, 404):
            wrong.append((status, method, url))
    assert wrong == []
    assert snapshot(everything) == before
    # The walk reaches every plugin's id rules (17 today), and many more rules beside them.
    assert len(ids) >= 17 and seen > 1000, (len(ids), seen)


def test_every_int_rule_reads_ids_strictly(everything):
    app = make_app(everything)
    converters = {type(c).__name__ for rule in app.url_map.iter_rules() for c in rule._converters.values()}
    assert "IntegerConverter" not in converters and "IdConverter" in converters


@pytest.fixture
def posted(ann, acme):
    (first,) = seed(acme, "ACME", [Draft("2024-01-05", [Leg("1000", 7000), Leg("4000", -7000)])])
    return first.id


def test_an_id_has_one_spelling_only(ann, posted):
    assert ann.get(f"/c/ACME/ledger/transactions/{posted}").status_code == 200
    arabic, wide = (
        "".join(chr(0x660 + int(d)) for d in str(posted)),
        "".join(chr(0xFF10 + int(d)) for d in str(posted)),
    )
    for alias in (arabic, wide, f"0{posted}", f"+{posted}", f"{posted}.0", f" {posted}"):
        assert ann.get(f"/c/ACME/ledger/transactions/{alias}").status_code == 404, alias
    assert ann.get("/c/ACME/ledger/transactions/0").status_code == 404
    assert ann.get(f"/c/ACME/ledger/transactions/{2**63 - 1}").status_code == 404  # in range: simply none
    assert (
        ann.post(f"/c/ACME/ledger/transactions/{2**63}/reverse", data={"date": "2024-02-01"}).status_code
        == 404
    )


def test_the_error_page_after_a_failed_statement_is_a_full_page(app, acme):
    """On PostgreSQL a failed statement aborts the transaction: the error page, which reads the
    company's menu, runs on a fresh one."""
    @permission("ledger.view")
    def broken(company):
        db_session().execute(text("SELECT * FROM no_such_table"))

    app.add_url_rule("/c/<company>/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    ann = signed_in(app, "ann")
    response = ann.get("/c/ACME/broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "<h1>500</h1>" in page and "/c/ACME/ledger" in page  # the layout with the company's menu
    assert ann.get("/c/ACME/ledger/accounts").status_code == 200  # and the next request is served


def test_public_rules_are_walked_too(everything):
    """The walk above signs in; a public rule (the sales enquiry form) is reached the same way."""
    app = make_app(everything, WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=False)
    from web.access import needs

    public = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and needs(app.view_functions[rule.endpoint]) == PUBLIC and rule.arguments
    ]
    client = app.test_client()
    for rule in public:
        for value in HOSTILE:
            url = re.sub(r"<(?:[^<>:]+:)?(\w+)>", value, rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                assert client.open(url, method=method).status_code in (400, 404), (method, url)

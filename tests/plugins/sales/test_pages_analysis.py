"""The analysis pages through the web: the sales dashboard, the table by
every dimension (HTML, JSON, CSV), targets (list, set, remove) and the
forecast; who may see and do what, 404 for another company, CSRF on every
POST, bad query parameters answer 400, and the company dashboard's widgets."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from core.catalog import create_party
from core.companies import get_company
from plugins.sales.targets import list_targets
from tests.plugins.sales.analysis_rows import Sale, add_opportunity, add_sales, add_salespeople
from tests.plugins.sales.conftest import make_sales_company
from tests.web.conftest import PASSWORD, add_user, make_app
from tests.web.pages import JSON, get_json, read_csv, signed_in, snapshot

S = "/c/ACME/sales"
TODAY = dt.date.today()
THIS_MONTH = TODAY.replace(day=1)
LAST_MONTH = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
GETS = [f"{S}/analysis", f"{S}/analysis/table", f"{S}/targets", f"{S}/forecast"]
POSTS = [f"{S}/targets", f"{S}/targets/remove"]


def key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


@pytest.fixture
def site(sdb):
    """ACME (sales alone) with sales this month and last, a pipeline; OTHER (sales) and PLAIN (no sales)
    beside it.

    ann: admin of ACME; sue: salesperson; max: sales manager; abe: accountant (no sales); oli: admin of OTHER.
    """
    make_sales_company(sdb, "ACME")
    make_sales_company(sdb, "OTHER")
    sdb.company("PLAIN")
    with sdb.session() as s:
        create_party(s, get_company(s, "ACME"), "C4", "Nowhere Trading")
    add_user(sdb, "ann", {"ACME": "admin"})
    add_user(sdb, "max", {"ACME": "sales_manager"})
    add_user(sdb, "abe", {"ACME": "accountant"})
    add_user(sdb, "oli", {"OTHER": "admin"})
    add_salespeople(sdb, "ACME", "sue")
    add_sales(sdb, "ACME", [
        Sale("SO1", "C1", LAST_MONTH, (("PEN", 10, 10_000, 3_000, 10), ("PAPER", 2, 50_000, 36_000, 2)),
             salesperson="sue"),
        Sale("SO2", "C2", THIS_MONTH, (("PAPER", 4, 100_000, 18_000, 1),), salesperson="sue"),
        Sale("SO3", "C4", THIS_MONTH, (("PEN", 1, 7_000, None, 1),), state="done"),
        Sale("SO4", "C3", THIS_MONTH, (("PEN", 1, 999, None, 0),), state="draft"),
        Sale("SO5", "C1", THIS_MONTH, (("PEN", 1, 1_250, None, 0),), currency="USD"),
    ])
    add_sales(sdb, "OTHER", [Sale("SO1", "C1", THIS_MONTH, (("PEN", 1, 424_242, 1, 1),))])
    add_opportunity(sdb, "ACME", "OP1", 1_000_000, TODAY + dt.timedelta(days=40), "Proposal", owner="sue")
    add_opportunity(sdb, "ACME", "OP2", 200_000, TODAY - dt.timedelta(days=40), "New", 30)
    add_opportunity(sdb, "OTHER", "OP1", 9_999_999, TODAY, "Proposal")
    return sdb


@pytest.fixture
def app(site):
    return make_app(site, WTF_CSRF_ENABLED=False)


def targets_of(db, code="ACME"):
    with db.session() as s:
        return [(t.user, t.month, t.amount) for t in list_targets(s, get_company(s, code))]


PERMISSIONS = {
    "sales.analysis": "sales.view",
    "sales.analysis_table": "sales.view",
    "sales.targets": "sales.view",
    "sales.set_target": "sales.manage",
    "sales.remove_target": "sales.manage",
    "sales.forecast": "sales.view",
}


def test_every_analysis_route_declares_the_permission_it_needs(app):
    from web.access import needs

    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("sales.")
             and app.view_functions[rule.endpoint].__module__.startswith("plugins.sales.routes.analysis")]
    assert {rule.endpoint: needs(app.view_functions[rule.endpoint]) for rule in rules} == PERMISSIONS
    assert all(rule.rule.startswith("/c/<company>/sales/") for rule in rules)
    assert len(GETS) + len(POSTS) == len(rules)


def test_who_may_see_and_do_what(app, site):
    anonymous, abe, sue, mx, ann, oli = (app.test_client(), *(signed_in(app, u) for u in
                                                               ("abe", "sue", "max", "ann", "oli")))
    before = snapshot(site)
    for method, url in [("GET", u) for u in GETS] + [("POST", u) for u in POSTS]:
        answer = anonymous.open(url, method=method)
        assert answer.status_code == 302 and "/login?next=" in answer.headers["Location"], url
        assert anonymous.open(url, method=method, headers=JSON).status_code == 401, url
        assert abe.open(url, method=method).status_code == 403, url
        assert oli.open(url, method=method).status_code == 404, url
        assert ann.open(url.replace("/c/ACME/", "/c/PLAIN/"), method=method).status_code == 404, url
    for url in GETS:
        assert sue.get(url).status_code == 200, url
        assert mx.get(url).status_code == 200, url
    for url in POSTS:
        assert sue.post(url, data={"user": "sue", "month": key(THIS_MONTH), "amount": "1"}).status_code == 403
    assert targets_of(site) == []
    assert {k: v for k, v in snapshot(site).items() if k != "core_audit"} == {
        k: v for k, v in before.items() if k != "core_audit"}
    assert "Set a target" not in sue.get(f"{S}/targets").get_data(True)
    assert "Set a target" in mx.get(f"{S}/targets").get_data(True)
    assert sue.get(f"{S}/").headers["Location"].endswith(f"{S}/analysis")


def test_the_sales_dashboard(app, site):
    sue = signed_in(app, "sue")
    page = sue.get(f"{S}/analysis").get_data(True)
    assert page.count("<svg") == 5 and "Top products" in page and "Weighted pipeline forecast" in page
    assert "Orders in USD are not included" in page
    record = get_json(sue, f"{S}/analysis")
    total = record["total"]
    assert (total["revenue"], total["costed_revenue"], total["cost"], total["margin"], total["orders"]) == (
        "167000", "60000", "39000", "21000", 3)
    assert record["other_currencies"] == ["USD"]
    # OP1 at 50 % and OP2 (overdue, its own 30 %) counted this month; OTHER's deal is not ACME's.
    assert record["forecast"]["weighted"] == "560000.00" and record["forecast"]["opportunities"] == 2
    assert [(t["user"], t["actual"]) for t in record["targets"]] == [("sue", "100000")]
    narrow = get_json(sue, f"{S}/analysis?from={THIS_MONTH.isoformat()}&to={TODAY.isoformat()}")
    assert narrow["total"]["revenue"] == "107000"


def test_the_table_by_every_dimension_as_html_json_and_csv(app, site):
    sue = signed_in(app, "sue")
    expected = {"product": [("PAPER", "150000"), ("PEN", "17000")],
                "customer": [("C2", "100000"), ("C1", "60000"), ("C4", "7000")],
                "region": [("Busan", "100000"), ("Seoul", "60000"), (None, "7000")],
                "salesperson": [("sue", "160000"), (None, "7000")],
                "period": sorted([(key(LAST_MONTH), "60000"), (key(THIS_MONTH), "107000")])}
    for by, rows in expected.items():
        record = get_json(sue, f"{S}/analysis/table?by={by}")
        assert [(r["key"], r["revenue"]) for r in record["rows"]] == rows, by
        assert record["total"]["revenue"] == "167000" and record["total"]["margin"] == "21000"
        page = sue.get(f"{S}/analysis/table?by={by}").get_data(True)
        assert "<tfoot>" in page and "₩167,000" in page and "2 of 4 lines" in page, by
        table = read_csv(sue.get(f"{S}/analysis/table?by={by}&format=csv"))
        named = by in ("product", "customer", "salesperson")
        assert table[0][: 5 if named else 4] == [
            by.capitalize(),
            *(["Name"] if named else []),
            "Orders",
            "Lines",
            "Revenue",
        ]
        revenue = table[0].index("Revenue")
        assert [row[revenue] for row in table[1:]] == [r for _k, r in rows] + ["167000"]
        assert [row[0] for row in table[1:-1]] == [k or "(none)" for k, _r in rows]
        assert table[-1][0] == "Total"
    products = sue.get(f"{S}/analysis/table?by=product").get_data(True)
    assert 'href="/c/ACME/products/PAPER"' in products
    assert 'href="/c/ACME/parties/C2"' in sue.get(f"{S}/analysis/table?by=customer").get_data(True)
    quarters = get_json(sue, f"{S}/analysis/table?by=period&period=year")
    assert [r["key"] for r in quarters["rows"]] == sorted({str(LAST_MONTH.year), str(THIS_MONTH.year)})
    usd = get_json(sue, f"{S}/analysis/table?by=customer&currency=usd")
    assert [(r["key"], r["revenue"]) for r in usd["rows"]] == [("C1", "12.50")] and usd["currency"] == "USD"
    this_month = get_json(sue, f"{S}/analysis/table?by=customer&from={THIS_MONTH.isoformat()}")
    assert this_month["total"]["revenue"] == "107000"


@pytest.mark.parametrize("query, message", [
    ("by=colour", "by must be one of"), ("by=period&period=week", "period must be one of"),
    ("from=2026-02-30", "from is not a date"), ("to=yesterday", "to is not a date"),
    ("from=2026-03-01&to=2026-02-01", "after it ends"), ("format=xml", "format must be csv"),
    ("currency=XYZ", "unknown currency"), ("currency=" + "X" * 101, "at most 100 characters"),
])
def test_bad_table_parameters_answer_400(app, site, query, message):
    response = signed_in(app, "sue").get(f"{S}/analysis/table?{query}")
    assert response.status_code == 400 and message in response.get_data(True), response.get_data(True)[-500:]


@pytest.mark.parametrize(
    "url, message",
    [
        (f"{S}/analysis?from=nope", "from is not a date"),
        (f"{S}/analysis?from=2026-03-01&to=2026-01-01", "after it"),
        (f"{S}/targets?from=2026-13", "malformed month"),
        (f"{S}/targets?from=2026-05&to=2026-01", "first is after"),
        (f"{S}/targets?user=zed", "unknown salesperson"),
        (f"{S}/targets?format=pdf", "format must be csv"),
        (f"{S}/forecast?owner=zed", "unknown salesperson"),
        (f"{S}/forecast?format=xlsx", "format must be csv"),
    ],
)
def test_bad_page_parameters_answer_400(app, site, url, message):
    response = signed_in(app, "sue").get(url)
    assert response.status_code == 400 and message in response.get_data(True), (
        url,
        response.get_data(True)[-500:],
    )


def test_a_sales_manager_sets_and_removes_targets(app, site):
    mx = signed_in(app, "max")
    done = mx.post(f"{S}/targets", data={"user": "sue", "month": key(THIS_MONTH), "amount": "200,000"})
    assert done.status_code == 302, done.get_data(True)[-800:]
    page = mx.get(done.headers["Location"]).get_data(True)
    assert f"The target of Sue for {key(THIS_MONTH)} is ₩200,000." in page
    assert targets_of(site) == [("sue", THIS_MONTH, Decimal(200_000))]
    record = get_json(mx, f"{S}/targets?from={key(LAST_MONTH)}&to={key(THIS_MONTH)}")
    assert [(r["user"], r["month"], r["target"], r["actual"], r["attainment"]) for r in record["rows"]] == [
        ("sue", LAST_MONTH.isoformat(), None, "60000", None),
        ("sue", THIS_MONTH.isoformat(), "200000", "100000", "50.0")]
    table = read_csv(mx.get(f"{S}/targets?from={key(LAST_MONTH)}&to={key(THIS_MONTH)}&format=csv"))
    assert table[0] == ["Month", "Salesperson", "Name", "Target", "Actual", "Attainment %"]
    assert table[-1] == [key(THIS_MONTH), "sue", "Sue", "200000", "100000", "50.0"]
    assert ">50.0%<" in mx.get(f"{S}/targets?from={key(LAST_MONTH)}&to={key(THIS_MONTH)}").get_data(True)
    removed = mx.post(f"{S}/targets/remove", data={"user": "sue", "month": key(THIS_MONTH)})
    assert removed.status_code == 302 and targets_of(site) == []
    assert mx.post(f"{S}/targets/remove", data={"user": "sue", "month": key(THIS_MONTH)}).status_code == 404
    assert mx.post(f"{S}/targets/remove", data={"user": "sue"}).status_code == 400


@pytest.mark.parametrize("data, message", [
    ({"user": "zed", "month": "2026-03", "amount": "1"}, "Not a valid choice"),
    ({"user": "sue", "month": "2026-13", "amount": "1"}, "malformed month"),
    ({"user": "sue", "month": "", "amount": "1"}, "This field is required."),
    ({"user": "sue", "month": "2026-03", "amount": "-1"}, "must not be negative"),
    ({"user": "sue", "month": "2026-03", "amount": "1.5"}, "more than 0 decimal places"),
    ({"user": "sue", "month": "2026-03", "amount": "a lot"}, "malformed amount"),
])
def test_a_bad_target_is_refused_and_writes_nothing(app, site, data, message):
    mx = signed_in(app, "max")
    before = {k: v for k, v in snapshot(site).items() if k != "core_audit"}
    refused = mx.post(f"{S}/targets", data=data)
    assert refused.status_code == 400 and message in refused.get_data(True), refused.get_data(True)[-800:]
    assert {k: v for k, v in snapshot(site).items() if k != "core_audit"} == before


def test_every_target_post_needs_the_csrf_token(site):
    app = make_app(site)  # CSRF on
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(True))[1]
    client.post("/login", data={"username": "max", "password": PASSWORD, "csrf_token": token})
    data = {"user": "sue", "month": key(THIS_MONTH), "amount": "5000"}
    for forged in ({}, {"csrf_token": "not-a-token"}):
        refused = client.post(f"{S}/targets", data={**data, **forged})
        assert refused.status_code == 400 and "did not come from this site" in refused.get_data(True)
    assert targets_of(site) == []
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(f"{S}/targets").get_data(True))[1]
    assert client.post(f"{S}/targets", data={**data, "csrf_token": token}).status_code == 302
    assert len(targets_of(site)) == 1
    for forged in ({}, {"csrf_token": "not-a-token"}):
        refused = client.post(f"{S}/targets/remove", data={"user": "sue", "month": key(THIS_MONTH), **forged})
        assert refused.status_code == 400
    assert len(targets_of(site)) == 1
    page = client.get(f"{S}/targets").get_data(True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    assert client.post(f"{S}/targets/remove", data={"user": "sue", "month": key(THIS_MONTH),
                                                    "csrf_token": token}).status_code == 302
    assert targets_of(site) == []


def test_the_forecast_page(app, site):
    sue = signed_in(app, "sue")
    record = get_json(sue, f"{S}/forecast")
    close = (TODAY + dt.timedelta(days=40)).replace(day=1)
    assert [(m["month"], m["opportunities"], m["weighted"], m["overdue"]) for m in record["months"]] == [
        (THIS_MONTH.isoformat(), 1, "60000.00", 1), (close.isoformat(), 1, "500000.00", 0)]
    assert record["weighted"] == "560000.00"
    assert [m["weighted"] for m in get_json(sue, f"{S}/forecast?owner=sue")["months"]] == ["500000.00"]
    page = sue.get(f"{S}/forecast").get_data(True)
    assert "<svg" in page and "₩560,000" in page and "<tfoot>" in page
    table = read_csv(sue.get(f"{S}/forecast?format=csv"))
    assert table[0] == ["Month", "Opportunities", "Expected revenue", "Weighted revenue", "Of them overdue"]
    assert table[1] == [key(THIS_MONTH), "1", "200000", "60000.00", "1"]


def test_the_company_dashboard_shows_the_sales_widgets_to_whoever_may_see_sales(app, site):
    page = signed_in(app, "sue").get("/c/ACME/").get_data(True)
    assert "Sales by month" in page and "Weighted pipeline" in page and f'href="{S}/forecast"' in page
    page = signed_in(app, "abe").get("/c/ACME/").get_data(True)
    assert "Sales by month" not in page and "Weighted pipeline" not in page


def test_the_analysis_widgets(app, site):
    from flask import g

    from plugins.sales.analysis_widgets import analysis_widgets

    with app.test_request_context("/"), site.session() as s:
        g.company = get_company(s, "ACME")
        widgets = analysis_widgets(s, g.company, None)
        assert [(w.title, w.permission, w.width) for w in widgets] == [
            ("Sales by month", "sales.view", 2), ("Weighted pipeline", "sales.view", 2)]
        revenue, pipeline = (str(w.html) for w in widgets)
        assert revenue.count("<svg") == 1 and "Revenue and margin by month (KRW)" in revenue
        assert f"{LAST_MONTH:%y-%m} · Revenue: ₩60,000" in revenue
        assert f"{THIS_MONTH:%y-%m} · Revenue: ₩107,000" in revenue
        assert "Margin over 2 of 4 lines whose cost is known" in revenue and f'href="{S}/analysis"' in revenue
        assert "2 open opportunities, ₩560,000 weighted" in pipeline and f'href="{S}/forecast"' in pipeline
        other = analysis_widgets(s, get_company(s, "OTHER"), None)
        assert "₩424,242" in str(other[0].html) and "₩560,000" not in str(other[1].html)

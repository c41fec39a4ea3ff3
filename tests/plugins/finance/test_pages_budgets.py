"""Budgets through the web: the list, a new budget, its grid of amounts per
account and period, planning one period or spreading a year; who may do
what, CSRF, bad input (400, nothing written), isolation."""

from __future__ import annotations

import re

import pytest

from core.companies import get_company
from plugins.finance.budgets import budget_amounts, create_budget
from tests.plugins.finance.pages import sound
from tests.web.conftest import PASSWORD, make_app
from tests.web.pages import JSON, get_json, signed_in, snapshot


def budget(db, name="Plan 2026", year="2026", code="ACME") -> int:
    with db.session() as s:
        return create_budget(s, get_company(s, code), name, year).id


def amounts(db, name="Plan 2026") -> list[tuple]:
    with db.session() as s:
        return [(a.account, a.period, a.amount) for a in budget_amounts(s, get_company(s, "ACME"), name)]


def books_of(db) -> dict:
    return {table: rows for table, rows in snapshot(db).items() if table != "core_audit"}


def test_budget_pages_need_sign_in_finance_and_the_right_permission(app, fin):
    plan = budget(fin)
    gets = ["/c/ACME/finance/budgets", "/c/ACME/finance/budgets/-/new", f"/c/ACME/finance/budgets/{plan}"]
    posts = ["/c/ACME/finance/budgets/-/new", f"/c/ACME/finance/budgets/{plan}/amounts"]
    anonymous, abe, viv, bob = (app.test_client(), signed_in(app, "abe"), signed_in(app, "viv"),
                                signed_in(app, "bob"))
    ann, oli = signed_in(app, "ann"), signed_in(app, "oli")
    before = books_of(fin)
    for method, url in [("GET", u) for u in gets] + [("POST", u) for u in posts]:
        answer = anonymous.open(url, method=method)
        assert answer.status_code == 302 and "/login?next=" in answer.headers["Location"], url
        assert anonymous.open(url, method=method, headers=JSON).status_code == 401, url
        assert ann.open(url.replace("/c/ACME/", "/c/PLAIN/"), method=method).status_code == 404, url
        assert oli.open(url, method=method).status_code == 404, url
        assert abe.open(url, method=method).status_code == 403, url
    for client in (viv, bob):  # neither may close the books, so neither plans budgets
        assert client.get("/c/ACME/finance/budgets").status_code == 200
        assert client.get(f"/c/ACME/finance/budgets/{plan}").status_code == 200
        assert client.get("/c/ACME/finance/budgets/-/new").status_code == 403
        for url in posts:
            assert client.post(url, data={"name": "X", "year": "2026", "account": "401", "period": "",
                                          "amount": "1"}).status_code == 403, url
        page = client.get(f"/c/ACME/finance/budgets/{plan}").get_data(True)
        assert (
            "Plan an amount" not in page and 'href="/c/ACME/finance/reports/budget?budget=Plan+2026"' in page
        )
        assert "New budget" not in client.get("/c/ACME/finance/budgets").get_data(True)
    assert books_of(fin) == before


def test_every_budget_post_needs_the_csrf_token(fin):
    app = make_app(fin)  # CSRF on
    plan = budget(fin)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(True))[1]
    client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token})
    for url, data in (("/c/ACME/finance/budgets/-/new", {"name": "Stretch", "year": "2026"}),
                      (f"/c/ACME/finance/budgets/{plan}/amounts", {"account": "401", "period": "2026-02",
                                                                   "amount": "500"})):
        before = snapshot(fin)
        for forged in ({}, {"csrf_token": "not-a-token"}):
            refused = client.post(url, data={**data, **forged})
            assert refused.status_code == 400 and "did not come from this site" in refused.get_data(True), url
        assert snapshot(fin) == before, url
        page = client.get(f"/c/ACME/finance/budgets/{plan}").get_data(True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        done = client.post(url, data={**data, "csrf_token": token})
        assert done.status_code == 302, (url, done.get_data(True)[-600:])
        assert snapshot(fin) != before, url


def test_a_new_budget_then_amounts_for_a_period_and_spread_over_the_year(app, fin, ann):
    form = ann.get("/c/ACME/finance/budgets/-/new").get_data(True)
    assert 'name="name"' in form and 'name="year"' in form
    created = ann.post("/c/ACME/finance/budgets/-/new", data={"name": "Plan 2026", "year": "2026"})
    assert created.status_code == 302, created.get_data(True)[-800:]
    url = created.headers["Location"]
    assert re.fullmatch(r"/c/ACME/finance/budgets/\d+", url)
    page = ann.get(url).get_data(True)
    assert "Budget Plan 2026 for fiscal year 2026 is created" in page and "Nothing planned yet." in page
    assert '<option value="2026-03">2026-03</option>' in page and 'list="accounts"' in page
    record = get_json(ann, url)
    assert record["name"] == "Plan 2026" and record["year"] == "2026" and len(record["periods"]) == 12
    assert record["amounts"] == []
    one = ann.post(url + "/amounts", data={"account": "401", "period": "2026-03", "amount": "1,000,000"})
    assert one.status_code == 302 and one.headers["Location"] == url
    assert "₩1,000,000 is planned for account 401 in 2026-03." in ann.get(url).get_data(True)
    spread = ann.post(url + "/amounts", data={"account": "830", "period": "", "amount": "100,000"})
    assert spread.status_code == 302
    assert amounts(fin) == [("401", "2026-03", 1_000_000)] + [
        ("830", f"2026-{m:02d}", 8_333) for m in range(1, 12)] + [("830", "2026-12", 8_337)]
    page = ann.get(url).get_data(True)
    assert "is spread over the year" in page
    row = re.search(r'<tr data-account="830">.*?</tr>', page, re.S)[0]
    assert '<td class="amount" data-label="2026-12" data-period="2026-12">₩8,337</td>' in row
    assert "₩100,000" in row  # the year's total
    replaced = ann.post(url + "/amounts", data={"account": "401", "period": "2026-03", "amount": "900000"})
    assert replaced.status_code == 302 and ("401", "2026-03", 900_000) in amounts(fin)
    assert [(a["account"], a["period"], a["amount"]) for a in get_json(ann, url)["amounts"]][0] == (
        "401", "2026-03", "900000")
    items = get_json(ann, "/c/ACME/finance/budgets")["items"]
    assert [(i["name"], i["year"], i["url"]) for i in items] == [("Plan 2026", "2026", url)]
    report = get_json(ann, "/c/ACME/finance/reports/budget?budget=Plan%202026&total=1")
    assert {r["account"]: r["budget"] for r in report["rows"]} == {"401": "900000", "830": "100000"}
    sound(fin)


@pytest.mark.parametrize("data, message", [
    ({"name": "Plan 2026", "year": "2026"}, "has a budget called 'Plan 2026' already"),
    ({"name": "", "year": "2026"}, "This field is required."),
    ({"name": "x" * 101, "year": "2026"}, "Field cannot be longer than 100 characters."),
    ({"name": "Other", "year": "20x6"}, "malformed fiscal year"),
    ({"name": "Other", "year": "1800"}, "out of range"),
])
def test_a_refused_budget_answers_400_and_writes_nothing(app, fin, ann, data, message):
    budget(fin)
    before = snapshot(fin)
    answer = ann.post("/c/ACME/finance/budgets/-/new", data=data)
    assert answer.status_code == 400
    assert message in answer.get_data(True).replace("&#39;", "'")
    assert snapshot(fin) == before


@pytest.mark.parametrize("data, message", [
    ({"account": "9999", "period": "2026-01", "amount": "5"}, "unknown account"),
    ({"account": "401", "period": "2025-01", "amount": "5"}, "Not a valid choice"),
    ({"account": "401", "period": "2026-01", "amount": "12abc"}, "malformed amount"),
    ({"account": "401", "period": "2026-01", "amount": "1.5"}, "decimal places"),
    ({"account": "401", "period": "2026-01", "amount": ""}, "This field is required."),
    ({"account": "", "period": "", "amount": "5"}, "This field is required."),
])
def test_a_refused_amount_answers_400_on_the_budget_page_and_writes_nothing(app, fin, ann, data, message):
    plan = budget(fin)
    before = snapshot(fin)
    answer = ann.post(f"/c/ACME/finance/budgets/{plan}/amounts", data=data)
    assert answer.status_code == 400
    text = answer.get_data(True)
    assert message in text and "Plan an amount" in text and "Budget Plan 2026" in text
    assert snapshot(fin) == before


def test_another_companys_budget_is_404(app, fin, ann):
    other = budget(fin, "Theirs", code="OTHER")
    budget(fin)
    before = snapshot(fin)
    assert ann.get(f"/c/ACME/finance/budgets/{other}").status_code == 404
    assert ann.get(f"/c/ACME/finance/budgets/{other + 100}").status_code == 404
    assert ann.post(f"/c/ACME/finance/budgets/{other}/amounts",
                    data={"account": "401", "period": "2026-01", "amount": "5"}).status_code == 404
    assert ann.get("/c/ACME/finance/reports/budget?budget=Theirs").status_code == 400  # no such name in ACME
    assert snapshot(fin) == before
    assert get_json(signed_in(app, "oli"), f"/c/OTHER/finance/budgets/{other}")["name"] == "Theirs"

"""Finance's web pages through the test client: who may open what (every route
declares its permission; signed out, another company, each role) and CSRF on
every POST.

The fixtures are in conftest.py and the helpers in pages.py, shared with the other
``test_pages_*.py`` files.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core.companies import get_company
from plugins.finance.bank import import_statement
from plugins.finance.budgets import create_budget
from plugins.finance.invoices import LineInput
from plugins.finance.rates import set_rate
from tests.plugins.finance.pages import document, new_document, pay, sound
from tests.web.conftest import PASSWORD, make_app
from tests.web.pages import JSON, signed_in, snapshot
from web.access import needs

# -- every route declares its permission; who gets what ---------------------------------------

PERMISSIONS = {
    "finance.home": "finance.view",
    "finance.invoices": "finance.view",
    "finance.bills": "finance.view",
    "finance.document": "finance.view",
    "finance.document_print": "finance.view",
    "finance.document_pdf": "finance.view",
    "finance.payments": "finance.view",
    "finance.payment": "finance.view",
    "finance.journals": "finance.view",
    "finance.entries": "finance.view",
    "finance.periods": "finance.view",
    "finance.rates": "finance.view",
    "finance.taxes": "finance.view",
    "finance.terms": "finance.view",
    "finance.new_invoice": "finance.invoice",
    "finance.new_bill": "finance.invoice",
    "finance.edit_document": "finance.invoice",
    "finance.post_document": "finance.invoice",
    "finance.delete_document": "finance.invoice",
    "finance.credit_document": "finance.invoice",
    "finance.new_payment": "finance.payment",
    "finance.allocate_payment": "finance.payment",
    "finance.new_rate": "finance.close",
    "finance.revaluation": "finance.close",
    "finance.close_period": "finance.close",
    "finance.close_year": "finance.close",
    "finance.reports": "finance.view",
    "finance.report_trial_balance": "finance.view",
    "finance.report_general_ledger": "finance.view",
    "finance.report_pnl": "finance.view",
    "finance.report_balance_sheet": "finance.view",
    "finance.report_cash_flow": "finance.view",
    "finance.report_aged": "finance.view",
    "finance.report_budget": "finance.view",
    "finance.bank_statements": "finance.view",
    "finance.bank_statement": "finance.view",
    "finance.bank_line": "finance.view",
    "finance.bank_import": "finance.payment",
    "finance.bank_match": "finance.payment",
    "finance.bank_auto_match": "finance.payment",
    "finance.budgets": "finance.view",
    "finance.budget": "finance.view",
    "finance.new_budget": "finance.close",
    "finance.budget_amount": "finance.close",
}


def finance_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("finance.")]


def url_of(rule, company="ACME", **values) -> str:
    samples = {"ref": "1", "number": "BANK/2026/00001", "name": "2026-01", **values}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: company if m[1] == "company" else samples[m[1]], rule.rule)


def test_every_finance_route_declares_the_permission_it_needs(app):
    declared = {rule.endpoint: needs(app.view_functions[rule.endpoint]) for rule in finance_rules(app)}
    assert declared == PERMISSIONS
    assert all(rule.rule.startswith("/c/<company>/finance/") for rule in finance_rules(app))


@pytest.fixture
def sample(fin):
    """One posted invoice, one payment, a draft, a bank statement, a budget: something behind every URL."""
    _id, number = document(fin)
    draft, _none = document(fin, date="2026-02-03", post=False)
    paid = pay(fin, amount="50000")
    with fin.session() as s:
        company = get_company(s, "ACME")
        statement = import_statement(
            s, company, "BANK", "date,amount,reference,counterparty\n2026-03-05,300850,x,y\n", name="march"
        ).statement
        ids = {"statement_id": str(statement.id), "line_id": str(statement.lines[0].id),
               "budget_id": str(create_budget(s, company, "Plan", "2026").id)}
    return {"ref": number, "draft": str(draft), "number": paid, "name": "2026-01", **ids}


def _calls(app, sample):
    for rule in finance_rules(app):
        values = {
            "ref": sample["draft"]
            if "edit" in rule.endpoint or "post_document" in rule.endpoint or "delete" in rule.endpoint
            else sample["ref"],
            "number": sample["number"],
            "name": sample["name"],
            **{key: sample[key] for key in ("statement_id", "line_id", "budget_id")},
        }
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, url_of(rule, **values)


def test_signed_out_visitors_are_sent_to_sign_in(app, sample):
    client = app.test_client()
    for rule, method, url in _calls(app, sample):
        page = client.open(url, method=method)
        assert page.status_code == 302 and "/login?next=" in page.headers["Location"], (method, url)
        assert client.open(url, method=method, headers=JSON).status_code == 401, (method, url)


def test_a_company_without_finance_or_not_ones_own_is_404(app, fin, sample):
    ann, oli = signed_in(app, "ann"), signed_in(app, "oli")
    before = snapshot(fin)
    for rule, method, url in _calls(app, sample):
        assert ann.open(url.replace("/c/ACME/", "/c/PLAIN/"), method=method).status_code == 404, (method, url)
        assert oli.open(url, method=method).status_code == 404, (method, url)
        assert ann.open(url.replace("/c/ACME/", "/c/NOPE/"), method=method).status_code == 404, (method, url)
    assert snapshot(fin) == before


@pytest.mark.parametrize("user, allowed", [
    ("abe", set()),  # an accountant keeps the ledger, not finance
    ("viv", {"finance.view"}),
    ("bob", {"finance.view", "finance.invoice", "finance.payment"}),
])
def test_each_role_opens_what_its_permissions_allow(app, sample, user, allowed):
    client = signed_in(app, user)
    for rule, method, url in _calls(app, sample):
        if PERMISSIONS[rule.endpoint] in allowed:
            if method == "GET":
                answer = client.get(url)
                assert answer.status_code in (200, 302, 501), (user, url, answer.status_code)
        else:
            assert client.open(url, method=method).status_code == 403, (user, method, url)
    menu = client.get("/c/ACME/").get_data(True)
    assert ('href="/c/ACME/finance/invoices"' in menu) == ("finance.view" in allowed)


# -- CSRF on every POST route --------------------------------------------------------------------------

def _token(client, url="/c/ACME/finance/invoices/-/new") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(True))[1]


def test_every_finance_post_without_a_csrf_token_is_400_and_writes_nothing(fin):
    app = make_app(fin)  # CSRF on
    document(fin, date="2025-06-10", lines=[LineInput("Last year", "100000")])
    _p, posted = document(fin)
    drafts = [document(fin, date=f"2026-02-0{day}", post=False)[0] for day in (3, 4, 5)]
    unallocated = pay(fin, party="C2", amount="5000", date="2026-01-12")
    c2_invoice, _n = document(fin, party="C2", date="2026-01-15", lines=[LineInput("Desk", "4000")])
    with fin.session() as s:
        set_rate(s, get_company(s, "ACME"), "USD", dt.date(2026, 1, 1), "1300")
    document(fin, currency="USD", date="2026-01-20", lines=[LineInput("Export", "100", taxes=())])
    with fin.session() as s:
        set_rate(s, get_company(s, "ACME"), "USD", dt.date(2026, 2, 1), "1400")
    accepted = [  # (endpoint, url, data): each goes through with its token, in this order
        ("finance.new_invoice", "/c/ACME/finance/invoices/-/new", new_document()),
        (
            "finance.new_bill",
            "/c/ACME/finance/bills/-/new",
            new_document("bill", "S1", "2026-02-02", "KRW", {"description": "Stock", "unit_price": "5000"}),
        ),
        (
            "finance.edit_document",
            f"/c/ACME/finance/invoices/{drafts[0]}/edit",
            new_document(
                "invoice", "C1", "2026-02-03", "KRW", {"description": "Edited", "unit_price": "7000"}
            ),
        ),
        ("finance.post_document", f"/c/ACME/finance/invoices/{drafts[1]}/post", {}),
        ("finance.delete_document", f"/c/ACME/finance/invoices/{drafts[2]}/delete", {}),
        (
            "finance.credit_document",
            f"/c/ACME/finance/invoices/{posted}/credit",
            {"date": "2026-02-10", "reason": "Returned"},
        ),
        (
            "finance.new_payment",
            "/c/ACME/finance/payments/-/new",
            {
                "party": "C1",
                "direction": "inbound",
                "amount": "1000",
                "date": "2026-02-15",
                "journal": "BANK",
                "currency": "KRW",
            },
        ),
        (
            "finance.allocate_payment",
            f"/c/ACME/finance/payments/{unallocated}/allocate",
            {"invoice": str(c2_invoice)},
        ),
        (
            "finance.new_rate",
            "/c/ACME/finance/rates/-/new",
            {"currency": "EUR", "date": "2026-03-01", "rate": "1500"},
        ),
        ("finance.revaluation", "/c/ACME/finance/revaluation", {"date": "2026-02-28"}),
        ("finance.close_year", "/c/ACME/finance/years/2025/close", {}),
        ("finance.close_period", "/c/ACME/finance/periods/2026-01/close", {}),
    ]
    posts = {rule.endpoint for rule in finance_rules(app) if "POST" in rule.methods}
    # The bank and budget forms prove theirs in test_pages_bank.py and test_pages_budgets.py.
    elsewhere = {"finance.bank_import", "finance.bank_match", "finance.bank_auto_match", "finance.new_budget",
                 "finance.budget_amount"}
    assert posts - elsewhere == {endpoint for endpoint, _url, _data in accepted}
    client = app.test_client()
    client.post(
        "/login", data={"username": "ann", "password": PASSWORD, "csrf_token": _token(client, "/login")}
    )
    for endpoint, url, data in accepted:
        before = snapshot(fin)
        for forged in ({}, {"csrf_token": "not-a-token"}):
            refused = client.post(url, data={**data, **forged})
            assert refused.status_code == 400, (endpoint, refused.status_code)
            assert "did not come from this site" in refused.get_data(True)
        assert snapshot(fin) == before, endpoint
        done = client.post(url, data={**data, "csrf_token": _token(client)})
        assert done.status_code == 302, (endpoint, done.status_code, done.get_data(True)[-800:])
        assert snapshot(fin) != before, endpoint
    sound(fin)

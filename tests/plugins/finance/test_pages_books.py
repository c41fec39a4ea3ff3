"""The books pages: journals and their numbered entries, exchange rates,
periods and year-end close, revaluation, taxes and payment terms; and the
finance widgets on the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import select

from core import ledger
from core.companies import get_company
from core.ledger import Leg
from plugins.finance.company_setup import journal_of_kind
from plugins.finance.invoices import LineInput
from plugins.finance.journals import post_entry
from plugins.finance.models import EntryKind, FiscalYear, JournalKind, Period, PeriodState
from plugins.finance.rates import set_rate
from plugins.finance.widgets import cash_position, finance_widgets, open_items, revenue_and_expenses
from tests.plugins.finance.pages import document, pay, sound
from tests.web.pages import get_json, read_csv, signed_in, snapshot


def test_journals_and_their_numbered_entries(app, fin, ann):
    document(fin)
    number = pay(fin, amount="1000")
    journals = get_json(ann, "/c/ACME/finance/journals")["items"]
    assert [(j["code"], j["kind"], j["account"]) for j in journals] == [
        ("BANK", "bank", "103"), ("BILL", "purchases", None), ("CASH", "cash", "101"), ("INV", "sales", None),
        ("MISC", "general", None)]
    assert journals[0]["url"] == "/c/ACME/finance/entries?journal=BANK"
    entries = get_json(ann, "/c/ACME/finance/entries?sort=name")["items"]
    assert [(e["name"], e["journal"], e["kind"]) for e in entries] == [(number, "BANK", "payment"),
                                                                        ("INV/2026/00001", "INV", "document")]
    assert entries[1]["url"] == f"/c/ACME/ledger/transactions/{entries[1]['transaction_id']}"
    assert [e["name"] for e in get_json(ann, "/c/ACME/finance/entries?journal=inv")["items"]] == [
        "INV/2026/00001"
    ]
    assert [e["name"] for e in get_json(ann, "/c/ACME/finance/entries?kind=payment")["items"]] == [number]
    assert ann.get("/c/ACME/finance/entries?journal=NOPE").status_code == 404
    assert ann.get("/c/ACME/finance/entries?kind=nope").status_code == 400
    header, *rows = read_csv(ann.get("/c/ACME/finance/entries?format=csv&sort=name"))
    assert header[:3] == ["Entry", "Date", "Journal"] and [r[0] for r in rows] == [number, "INV/2026/00001"]
    page = ann.get("/c/ACME/finance/entries").get_data(True)
    assert 'aria-label="Books"' in page and 'href="/c/ACME/finance/periods"' in page


def test_taxes_and_payment_terms_are_listed(app, fin, ann):
    taxes = {t["code"]: t for t in get_json(ann, "/c/ACME/finance/taxes")["items"]}
    assert taxes["VAT10-S"]["rate"] == "10" and taxes["VAT10-S"]["account"] == "255"
    assert taxes["VAT10-SI"]["included"] == "yes" and taxes["VAT10-P"]["scope"] == "purchases"
    terms = {t["code"]: t for t in get_json(ann, "/c/ACME/finance/terms")["items"]}
    assert (
        terms["NET30"]["days"] == 30
        and terms["EOM1"]["end_of_month"] == "yes"
        and terms["EOM1"]["months"] == 1
    )


def test_rates_are_set_through_the_form_exactly(app, fin, ann):
    assert ann.get("/c/ACME/finance/rates/-/new?currency=USD").status_code == 200
    response = ann.post("/c/ACME/finance/rates/-/new", data={"currency": "usd", "date": "2026-03-01",
                                                              "rate": "1,350.12345678"})
    assert response.status_code == 302 and response.headers["Location"] == "/c/ACME/finance/rates"
    assert "1 USD = 1350.12345678 KRW from 2026-03-01." in ann.get("/c/ACME/finance/rates").get_data(True)
    assert get_json(ann, "/c/ACME/finance/rates")["items"] == [
        {"currency": "USD", "date": "2026-03-01", "rate": "1350.12345678"}]
    assert ann.post("/c/ACME/finance/rates/-/new", data={"currency": "USD", "date": "2026-03-01",
                                                          "rate": "1400"}).status_code == 302  # corrected
    assert get_json(ann, "/c/ACME/finance/rates?currency=usd")["items"][0]["rate"] == "1400"
    before = snapshot(fin)
    for data, error in (({"rate": "1.123456789"}, "more than 8 decimal places"),
                        ({"rate": "0"}, "Enter a positive amount."),
                        ({"rate": "1e3"}, "Write the number in digits"),
                        ({"currency": "KRW"}, "is the company currency"),
                        ({"currency": "XYZ"}, "unknown currency"),
                        ({"date": "2026-13-01"}, "Not a valid date value.")):
        refused = ann.post("/c/ACME/finance/rates/-/new", data={"currency": "USD", "date": "2026-03-02",
                                                                "rate": "1300", **data})
        assert refused.status_code == 400 and error in refused.get_data(True), data
    assert snapshot(fin) == before


def test_periods_close_in_order_and_the_year_closes_to_retained_earnings(app, fin, ann):
    document(fin, date="2025-06-10", lines=[LineInput("Old sale", "100000")])
    document(fin, date="2026-01-10")
    draft, _none = document(fin, date="2026-02-05", post=False)
    record = get_json(ann, "/c/ACME/finance/periods")
    assert [y["name"] for y in record["years"]] == ["2026", "2025"]
    assert [p["name"] for p in record["years"][1]["periods"]][:2] == ["2025-01", "2025-02"]
    page = ann.get("/c/ACME/finance/periods").get_data(True)
    assert (
        page.count("Close 2025-01</button>") == 1 and "Close 2026-01</button>" not in page
    )  # only the next one
    before = snapshot(fin)
    refused = ann.post("/c/ACME/finance/periods/2026-01/close")
    assert refused.status_code == 400 and "close period 2025-01 first" in refused.get_data(True)
    assert ann.post("/c/ACME/finance/periods/2099-01/close").status_code == 400  # its year made, then undone
    assert ann.post("/c/ACME/finance/periods/nope/close").status_code == 404
    assert ann.post("/c/ACME/finance/years/2026/close").status_code == 400  # 2025 is still open
    assert snapshot(fin) == before

    response = ann.post("/c/ACME/finance/years/2025/close")
    assert response.status_code == 302 and response.headers["Location"] == "/c/ACME/finance/periods"
    with fin.session() as s:
        company = get_company(s, "ACME")
        year = s.scalar(
            select(FiscalYear).where(FiscalYear.company_id == company.id, FiscalYear.name == "2025")
        )
        assert year.state == PeriodState.CLOSED and year.closing_transaction_id is not None
        assert ledger.balance(s, company, "375") == Decimal(-100000)  # the year's profit, retained
        assert get_company(s, "ACME").lock_date == dt.date(2025, 12, 31)
    sound(fin)
    assert "Fiscal year 2025 is closed" in ann.get("/c/ACME/finance/periods").get_data(True)

    assert ann.post("/c/ACME/finance/periods/2026-01/close").status_code == 302
    refused = ann.post("/c/ACME/finance/periods/2026-02/close")  # the draft is dated inside it
    assert refused.status_code == 400 and "draft document" in refused.get_data(True)
    assert ann.post("/c/ACME/finance/periods/2026-01/close").status_code == 400  # closed already
    with fin.session() as s:
        assert s.scalar(select(Period.state).where(Period.name == "2026-01")) == PeriodState.CLOSED
    page = ann.get("/c/ACME/finance/periods").get_data(True)
    assert "Close 2026-02</button>" in page
    bob = signed_in(app, "bob")  # a bookkeeper sees the periods but closes nothing
    page = bob.get("/c/ACME/finance/periods").get_data(True)
    assert "2026-02" in page and "Close 2026-02</button>" not in page
    assert bob.post("/c/ACME/finance/periods/2026-02/close").status_code == 403
    sound(fin)


def test_revaluation_posts_the_difference_and_its_reversal(app, fin, ann):
    with fin.session() as s:
        set_rate(s, get_company(s, "ACME"), "USD", dt.date(2026, 1, 1), "1300")
    document(fin, currency="USD", lines=[LineInput("Export", "1000", taxes=())], date="2026-01-15")
    before = snapshot(fin)
    nothing = ann.post("/c/ACME/finance/revaluation", data={"date": "2026-01-31"})
    assert nothing.status_code == 302
    assert "Nothing to revalue" in ann.get(nothing.headers["Location"]).get_data(True)
    assert snapshot(fin) == before
    with fin.session() as s:
        set_rate(s, get_company(s, "ACME"), "USD", dt.date(2026, 2, 1), "1400")
    assert ann.get("/c/ACME/finance/revaluation").status_code == 200
    response = ann.post("/c/ACME/finance/revaluation", data={"date": "2026-02-28"})
    assert (
        response.status_code == 302
        and response.headers["Location"] == "/c/ACME/finance/entries?kind=revaluation"
    )
    entries = get_json(ann, "/c/ACME/finance/entries?kind=revaluation&sort=date")["items"]
    assert [(e["date"], e["kind"]) for e in entries] == [
        ("2026-02-28", "revaluation"),
        ("2026-03-01", "revaluation"),
    ]
    with fin.session() as s:
        company = get_company(s, "ACME")
        assert ledger.balance(s, company, "907") == 0  # revalued and reversed the next day
    assert ann.post("/c/ACME/finance/revaluation", data={"date": "nope"}).status_code == 400
    sound(fin)


# -- the dashboard ----------------------------------------------------------------------------------

def _months_ago(today: dt.date, months: int, day: int = 10) -> dt.date:
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day)


def test_revenue_expenses_and_cash_by_month_leave_the_closing_entry_out(fin):
    today = dt.date(2026, 3, 15)
    document(fin, date="2025-11-10", lines=[LineInput("Old", "100000", taxes=())])
    document(fin, kind="bill", party="S1", date="2025-12-05", lines=[LineInput("Stock", "30000", taxes=())])
    pay(fin, amount="60000", date="2025-12-20")
    document(fin, date="2026-02-10", lines=[LineInput("New", "50000", taxes=())])
    pay(fin, amount="90000", date="2026-03-01")
    with fin.session() as s:
        company = get_company(s, "ACME")
        post_entry(s, company, journal_of_kind(s, company, JournalKind.GENERAL), dt.date(2025, 12, 31),
                   [Leg("819", "5000"), Leg("103", "-5000")], kind=EntryKind.MANUAL, memo="Rent")
        from plugins.finance.closing import close_year

        close_year(s, company, "2025")  # the closing entry on 2025-12-31 moves 65,000 of result
    with fin.session() as s:
        company = get_company(s, "ACME")
        flows = {m.strftime("%Y-%m"): (r, e) for m, r, e in revenue_and_expenses(s, company, today)}
        assert len(flows) == 12 and list(flows)[0] == "2025-04" and list(flows)[-1] == "2026-03"
        assert flows["2025-11"] == (100000, 0)
        assert flows["2025-12"] == (0, 35000)  # the bill and the rent; not the closing entry
        assert flows["2026-02"] == (50000, 0) and flows["2026-03"] == (0, 0)
        cash = {m.strftime("%Y-%m"): b for m, b in cash_position(s, company, today)}
        assert cash["2025-11"] == 0 and cash["2025-12"] == 60000 - 5000 and cash["2026-02"] == 55000
        assert cash["2026-03"] == 55000 + 90000
        items = open_items(s, company, today)
        assert items["receivable"] == 100000 + 50000 - 60000 - 90000
        assert items["payable"] == 30000
        assert items["overdue_bills"] == (1, Decimal(30000)) and items["overdue_invoices"] == (0, 0)


def test_the_dashboard_draws_the_finance_widgets_as_svg(app, fin, ann):
    today = dt.date.today()
    document(fin, date=_months_ago(today, 2).isoformat(), lines=[LineInput("Sale", "100000", taxes=())])
    document(fin, kind="bill", party="S1", date=_months_ago(today, 1).isoformat(),
             lines=[LineInput("Stock", "40000", taxes=())], term="NOW")
    pay(fin, amount="70000", date=_months_ago(today, 1, 20).isoformat())
    page = ann.get("/c/ACME/").get_data(True)
    for title in ("Revenue and expenses", "Cash position", "Receivables and payables"):
        assert f"<h2>{title}</h2>" in page, title
    assert (
        page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars"') >= 2
    )  # core's and ours
    assert 'class="chart chart-lines"' in page
    assert "Revenue and expenses by month (KRW)" in page and "₩100,000" in page
    assert "1 overdue bill" in page and 'href="/c/ACME/finance/bills?state=overdue"' in page
    assert "₩30,000" in page  # customers still owe 100,000 - 70,000
    abe = signed_in(app, "abe")  # no finance.view: no finance widgets
    assert "Revenue and expenses" not in abe.get("/c/ACME/").get_data(True)
    korean = ann.get("/c/ACME/", headers={"Accept-Language": "ko"}).get_data(True)
    assert "Revenue and expenses" not in korean and re.search(r"<h2>[^<]*매출[^<]*</h2>", korean)


def test_widgets_of_a_company_with_no_postings_say_no_data(app, fin):
    with app.test_request_context("/c/ACME/"):
        from flask import g

        with fin.session() as s:
            g.company = get_company(s, "ACME")
            widgets = finance_widgets(s, g.company, dt.date(2026, 3, 1))
    assert [w.title for w in widgets] == ["Revenue and expenses", "Cash position", "Receivables and payables"]
    assert "No data" in widgets[0].html and "No data" in widgets[1].html
    assert "0 overdue invoices" in widgets[2].html

"""The report pages through the test client: who may open them, the figures
(JSON and CSV equal to the services'), the comparison, the drill-down from
each account's line to its postings, and bad parameters (400, one message)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cli.context import to_json
from core.catalog import create_party
from core.companies import get_company
from plugins.finance import reports
from plugins.finance.budgets import create_budget, set_amount, spread_amount
from tests.plugins.finance.pages import document, sound
from tests.plugins.finance.report_helpers import next_months, year_of_business
from tests.web.pages import JSON, get_json, read_csv, signed_in, snapshot

Y25 = "from=2025-01-01&to=2025-12-31"
# (endpoint's URL with its parameters, the service call that makes the same report)
REPORT_URLS = {
    "pnl": (
        f"/c/ACME/finance/reports/profit-and-loss?{Y25}&compare=previous-year",
        lambda s, c: reports.profit_and_loss(s, c, "2025-01-01", "2025-12-31", compare="previous-year"),
    ),
    "balance_sheet": (
        "/c/ACME/finance/reports/balance-sheet?as_of=2025-12-31&compare=previous-period",
        lambda s, c: reports.balance_sheet(s, c, "2025-12-31", compare="previous-period"),
    ),
    "cash_flow": (
        f"/c/ACME/finance/reports/cash-flow?{Y25}",
        lambda s, c: reports.cash_flow(s, c, "2025-01-01", "2025-12-31"),
    ),
    "trial_balance": (
        "/c/ACME/finance/reports/trial-balance?from=2026-01-01&to=2026-02-28&compare=previous-period",
        lambda s, c: reports.trial_balance(s, c, "2026-01-01", "2026-02-28", compare="previous-period"),
    ),
    "trial_balance_as_of": (
        "/c/ACME/finance/reports/trial-balance?as_of=2025-12-31",
        lambda s, c: reports.trial_balance(s, c, None, "2025-12-31"),
    ),
    "general_ledger": (
        "/c/ACME/finance/reports/general-ledger?from=2026-01-01&to=2026-02-28",
        lambda s, c: reports.general_ledger(s, c, "2026-01-01", "2026-02-28"),
    ),
    "general_ledger_one": (
        "/c/ACME/finance/reports/general-ledger?from=2026-01-01&to=2026-02-28&account=108"
        "&compare=dates&compare_from=2025-01-01&compare_to=2025-02-28",
        lambda s, c: reports.general_ledger(
            s, c, "2026-01-01", "2026-02-28", account="108", compare=("2025-01-01", "2025-02-28")
        ),
    ),
    "aged": (
        "/c/ACME/finance/reports/aged?as_of=2025-12-31&compare=dates&compare_as_of=2025-07-31",
        lambda s, c: reports.aged_balances(s, c, "2025-12-31", compare=dt.date(2025, 7, 31)),
    ),
    "aged_payables": (
        "/c/ACME/finance/reports/aged?as_of=2025-12-31&payables=1",
        lambda s, c: reports.aged_balances(s, c, "2025-12-31", payables=True),
    ),
    "budget": (
        "/c/ACME/finance/reports/budget?budget=Plan%202025",
        lambda s, c: reports.budget_vs_actual(s, c, "Plan 2025"),
    ),
    "budget_totals": (
        "/c/ACME/finance/reports/budget?budget=Plan%202025&from=2025-03-01&to=2025-04-30&total=1",
        lambda s, c: reports.budget_vs_actual(s, c, "Plan 2025", "2025-03-01", "2025-04-30", by_period=False),
    ),
}


@pytest.fixture
def books_with_budget(fin):
    """ACME's 2025 (report_helpers' year of books_with_budget), January and February 2026, and a budget for
    2025."""
    with fin.session() as s:
        company = get_company(s, "ACME")
        year_of_business(s, company)
        next_months(s, company)
        create_budget(s, company, "Plan 2025", "2025")
        spread_amount(s, company, "Plan 2025", "401", "3,600,000")
        set_amount(s, company, "Plan 2025", "830", "2025-11", "200,000")
    return fin


def service(db, build):
    with db.session() as s:
        return build(s, get_company(s, "ACME"))


# -- who may open what ---------------------------------------------------------------------

def test_report_pages_need_sign_in_finance_and_finance_view(app, books_with_budget):
    anonymous, abe, viv = app.test_client(), signed_in(app, "abe"), signed_in(app, "viv")
    ann, oli = signed_in(app, "ann"), signed_in(app, "oli")
    urls = ["/c/ACME/finance/reports"] + [url for url, _build in REPORT_URLS.values()]
    for url in urls:
        answer = anonymous.get(url)
        assert answer.status_code == 302 and "/login?next=" in answer.headers["Location"], url
        assert anonymous.get(url, headers=JSON).status_code == 401, url
        assert ann.get(url.replace("/c/ACME/", "/c/PLAIN/")).status_code == 404, url  # finance not installed
        assert oli.get(url).status_code == 404, url  # not a member of ACME
        assert abe.get(url).status_code == 403, url  # an accountant: the ledger, not finance
        assert viv.get(url).status_code == 200, url
    menu = viv.get("/c/ACME/finance/reports").get_data(True)
    for href in (
        'href="/c/ACME/finance/reports"',
        'href="/c/ACME/finance/bank"',
        'href="/c/ACME/finance/budgets"',
    ):
        assert href in menu
    index = viv.get("/c/ACME/finance/reports").get_data(True)
    for title in ("Profit and loss", "Balance sheet", "Cash flow", "Trial balance", "General ledger",
                  "Aged receivables", "Aged payables", "Budget against actual"):
        assert title in index
    assert 'href="/c/ACME/finance/reports/aged?payables=1"' in index
    assert 'href="/c/ACME/finance/reports/budget?budget=Plan+2025"' in index


# -- the figures: JSON and CSV are the services' ------------------------------------------------

@pytest.mark.parametrize("name", sorted(REPORT_URLS))
def test_json_and_csv_carry_the_services_figures_exactly(app, books_with_budget, ann, name):
    url, build = REPORT_URLS[name]
    report = service(books_with_budget, build)
    assert get_json(ann, url) == to_json(report)
    table = reports.as_table(report, for_csv=True)
    header, *rows = read_csv(ann.get(url + "&format=csv"))
    assert header == list(table.headers)
    assert rows == [["" if cell is None else str(to_json(cell)) for cell in row] for row in table.rows]
    page = ann.get(url)
    assert page.status_code == 200 and page.mimetype == "text/html"


def test_the_profit_and_loss_with_a_comparison_links_each_account_to_its_postings(
    app, books_with_budget, ann
):
    url = "/c/ACME/finance/reports/profit-and-loss?from=2026-01-01&to=2026-02-28&compare=previous-year"
    record = get_json(ann, url)
    assert (record["start"], record["end"], record["compare_start"], record["compare_end"]) == (
        "2026-01-01", "2026-02-28", "2025-01-01", "2025-02-28")
    lines = {line["key"]: line for line in record["lines"]}
    assert lines["revenue"]["amount"] == "3000000" and lines["revenue"]["compare"] == "0"
    assert lines["expenses"]["amount"] == "200000" and lines["expenses"]["compare"] == "200000"
    assert lines["net_income"]["amount"] == "2800000" and lines["net_income"]["difference"] == "3000000"
    page = ann.get(url).get_data(True)
    assert "₩3,000,000" in page and "₩2,800,000" in page and "svg" in page and "chart-bars" in page
    revenue_line = re.search(r'<tr data-line="account:401".*?</tr>', page, re.S)[0]
    assert 'href="/c/ACME/ledger/accounts/401"' in revenue_line  # the account's postings
    assert 'href="/c/ACME/finance/reports/general-ledger?account=401&amp;from=2026-01-01&amp;to=2026-02-28"' \
        in revenue_line  # the postings behind this period's amount
    assert "to=2025-02-28" not in revenue_line  # the comparison's ₩0: no postings behind it, no link
    expenses = re.search(r'<tr data-line="account:818".*?</tr>', page, re.S)[0]
    assert 'href="/c/ACME/finance/reports/general-ledger?account=818&amp;from=2025-01-01&amp;to=2025-02-28"' \
        in expenses  # the postings behind the comparison's amount
    total = re.search(r'<tr data-line="revenue".*?</tr>', page, re.S)[0]
    assert "<a " not in total  # a total is no single account's
    # The drill-down lands on the account's postings.
    postings = ann.get("/c/ACME/ledger/accounts/401").get_data(True)
    assert "₩-3,000,000" in postings or "-₩3,000,000" in postings
    ledger = get_json(ann, "/c/ACME/finance/reports/general-ledger?account=401&from=2026-01-01&to=2026-02-28")
    (part,) = ledger["accounts"]
    assert part["account"] == "401" and part["credit"] == "3000000" and len(part["lines"]) == 1


def test_the_balance_sheet_balances_and_drills_down(app, books_with_budget, ann):
    record = get_json(ann, "/c/ACME/finance/reports/balance-sheet?as_of=2025-12-31&compare=previous-year")
    lines = {line["key"]: line for line in record["lines"]}
    assert lines["total_assets"]["amount"] == lines["total_liabilities_and_equity"]["amount"] == "67200000"
    assert lines["total_assets"]["compare"] == "0" and record["compare_end"] == "2024-12-31"
    page = ann.get("/c/ACME/finance/reports/balance-sheet?as_of=2025-12-31").get_data(True)
    bank = re.search(r'<tr data-line="account:103".*?</tr>', page, re.S)[0]
    assert 'href="/c/ACME/ledger/accounts/103"' in bank
    assert (
        'href="/c/ACME/finance/reports/general-ledger?account=103&amp;from=2025-01-01&amp;to=2025-12-31"'
        in bank
    )
    assert "₩67,200,000" in page


def test_the_cash_flow_and_the_trial_balance_pages(app, books_with_budget, ann):
    cf = get_json(ann, f"/c/ACME/finance/reports/cash-flow?{Y25}")
    amounts = {line["key"]: line["amount"] for line in cf["lines"]}
    assert amounts["net_change"] == "56350000" and amounts["operating"] == "1350000"
    tb_url = "/c/ACME/finance/reports/trial-balance?from=2026-01-01&to=2026-02-28"
    tb = get_json(ann, tb_url)
    assert tb["totals"]["debit"] == tb["totals"]["credit"]
    row = next(r for r in tb["rows"] if r["account"] == "108")
    assert (row["debit"], row["credit"]) == ("3300000", "1200000")
    page = ann.get(tb_url).get_data(True)
    receivable = re.search(r'<tr data-account="108">.*?</tr>', page, re.S)[0]
    assert 'href="/c/ACME/ledger/accounts/108"' in receivable and "₩3,300,000" in receivable
    assert 'href="/c/ACME/finance/reports/trial-balance?as_of=2026-02-28"' in page
    as_of = ann.get("/c/ACME/finance/reports/trial-balance?as_of=2025-12-31").get_data(True)
    assert 'name="as_of" value="2025-12-31"' in as_of and 'name="from"' not in as_of


def test_the_general_ledger_lists_each_posting_with_its_transaction(app, books_with_budget, ann):
    url = "/c/ACME/finance/reports/general-ledger?from=2026-01-01&to=2026-02-28&account=108"
    (part,) = get_json(ann, url)["accounts"]
    assert part["opening"] == "900000" and part["closing"] == "3000000"
    assert [(line["debit"], line["credit"], line["balance"]) for line in part["lines"]] == [
        ("3300000", "0", "4200000"), ("0", "1200000", "3000000")]
    page = ann.get(url).get_data(True)
    for line in part["lines"]:
        assert f'href="/c/ACME/ledger/transactions/{line["transaction_id"]}"' in page
    assert 'href="/c/ACME/ledger/accounts/108"' in page and "INV/2026/00001" in page


def test_aged_balances_link_each_party_to_its_documents(app, books_with_budget, ann):
    page = ann.get("/c/ACME/finance/reports/aged?as_of=2025-12-31").get_data(True)
    c2 = re.search(r'<tr data-party="C2">.*?</tr>', page, re.S)[0]
    assert 'href="/c/ACME/finance/invoices?party=C2&amp;state=open"' in c2 and "₩1,200,000" in c2
    assert 'href="/c/ACME/ledger/accounts/108"' in page
    payables = ann.get("/c/ACME/finance/reports/aged?as_of=2025-12-31&payables=1").get_data(True)
    assert 'href="/c/ACME/finance/bills?party=S1&amp;state=open"' in payables and "₩1,650,000" in payables
    assert get_json(ann, "/c/ACME/finance/reports/aged?as_of=2025-12-31&payables=1")["side"] == "payables"


def test_budget_against_actual_shows_the_variance_and_its_percentage(app, books_with_budget, ann):
    record = get_json(ann, REPORT_URLS["budget"][0])
    rows = {(r["account"], r["period"]): r for r in record["rows"]}
    assert rows["401", None]["budget"] == "3600000" and rows["401", None]["actual"] == "3000000"
    assert rows["401", None]["variance"] == "-600000" and rows["401", None]["variance_percent"] == "-16.7"
    assert rows["401", None]["favourable"] is False
    assert rows["830", "2025-11"]["budget"] == "200000" and rows["830", "2025-11"]["actual"] == "300000"
    page = ann.get(REPORT_URLS["budget"][0]).get_data(True)
    assert "-16.7%" in page and "unfavourable" in page
    november = re.search(r'<tr data-account="830" data-period="2025-11">.*?</tr>', page, re.S)[0]
    assert 'href="/c/ACME/finance/reports/general-ledger?account=830&amp;from=2025-11-01&amp;to=2025-11-30"' \
        in november
    # the newest budget without naming it; none at all in another company
    assert get_json(ann, "/c/ACME/finance/reports/budget")["budget"] == "Plan 2025"
    oli = signed_in(app, "oli")
    assert get_json(oli, "/c/OTHER/finance/reports/budget") == {"budget": None, "rows": []}
    assert "No budget yet." in oli.get("/c/OTHER/finance/reports/budget").get_data(True)


def test_the_reports_speak_korean(app, books_with_budget, ann):
    page = ann.get(f"/c/ACME/finance/reports/profit-and-loss?{Y25}", headers={"Accept-Language": "ko"})
    text = page.get_data(True)
    assert '<html lang="ko">' in text and "손익계산서" in text and "매출총이익" in text and "상품매출" in text
    assert "Gross profit" not in text


@pytest.mark.parametrize("query, message", [
    ("profit-and-loss?from=2026-13-01", "from is not a date"),
    ("profit-and-loss?to=yesterday", "to is not a date"),
    ("profit-and-loss?from=2026-03-01&to=2026-02-01", "after it ends"),
    ("profit-and-loss?compare=last-week", "compare must be one of"),
    ("profit-and-loss?compare=dates&compare_from=2025-01-01", "the last day of the comparison period"),
    ("profit-and-loss?compare=dates&compare_from=2025-03-01&compare_to=2025-01-01", "after it ends"),
    ("profit-and-loss?from=1800-01-01&to=1800-12-31", "cannot start before"),
    ("profit-and-loss?format=xml", "format must be csv"),
    ("cash-flow?from=" + "9" * 200, "at most 100 characters"),
    ("balance-sheet?as_of=2025-02-30", "as_of is not a date"),
    ("balance-sheet?compare=dates", "compare_as_of"),
    ("trial-balance?as_of=2025-12-31&from=2025-01-01", "either as_of or from and to"),
    ("general-ledger?account=9999", "unknown account"),
    ("aged?payables=maybe", "payables must be 1 or 0"),
    ("budget?budget=NOPE", "unknown budget"),
    ("budget?budget=Plan%202025&from=2025-05-01&to=2025-04-01", "after it ends"),
    ("budget?budget=Plan%202025&from=2027-01-01&to=2027-03-31", "has no period between"),
])
def test_bad_parameters_answer_400_with_one_message(app, books_with_budget, ann, query, message):
    before = snapshot(books_with_budget)
    for headers in ({}, JSON):
        answer = ann.get(f"/c/ACME/finance/reports/{query}", headers=headers)
        assert answer.status_code == 400, (query, answer.status_code)
        assert message in answer.get_data(True), (query, answer.get_data(True)[-600:])
    assert snapshot(books_with_budget) == before
    sound(books_with_budget)


def test_the_forms_keep_what_was_asked(app, books_with_budget, ann):
    page = ann.get("/c/ACME/finance/reports/profit-and-loss?from=2026-01-01&to=2026-02-28&compare=dates"
                   "&compare_from=2025-01-01&compare_to=2025-02-28").get_data(True)
    for value in ('name="from" value="2026-01-01"', 'name="to" value="2026-02-28"',
                  '<option value="dates" selected>', 'name="compare_from" value="2025-01-01"',
                  'name="compare_to" value="2025-02-28"'):
        assert value in page
    assert (
        'href="/c/ACME/finance/reports/profit-and-loss?from=2026-01-01&amp;to=2026-02-28&amp;compare=dates'
        '&amp;compare_from=2025-01-01&amp;compare_to=2025-02-28&amp;format=csv"'
    ) in page
    default = get_json(ann, "/c/ACME/finance/reports/profit-and-loss")  # the fiscal year to date
    today = dt.date.today()
    assert (default["start"], default["end"]) == (dt.date(today.year, 1, 1).isoformat(), today.isoformat())


def test_csv_cells_that_look_like_formulas_are_quoted(app, fin, ann):
    with fin.session() as s:
        create_party(s, get_company(s, "ACME"), "EVIL", '=HYPERLINK("http://x")')
    document(fin, party="EVIL", date="2026-01-05")
    header, *rows = read_csv(ann.get("/c/ACME/finance/reports/aged?as_of=2026-01-31&format=csv"))
    assert header[:2] == ["party", "name"]
    assert [row[:2] for row in rows] == [["EVIL", "'=HYPERLINK(\"http://x\")"]]
    assert rows[0][-1] == "300850"  # amounts exact, never quoted


def test_every_label_the_statements_give_is_translated(app, books_with_budget):
    """The pages translate the services' English labels; a label added there must be added to REPORT_WORDS."""
    from plugins.finance.routes.report_forms import REPORT_WORDS

    with books_with_budget.session() as s:
        company = get_company(s, "ACME")
        statements = [reports.profit_and_loss(s, company, "2025-01-01", "2025-12-31"),
                      reports.balance_sheet(s, company, "2025-12-31"),
                      reports.cash_flow(s, company, "2025-01-01", "2025-12-31")]
    labels = {line.label for statement in statements for line in statement.lines if line.account is None}
    labels |= {label for _field, label, *_days in reports.BUCKETS}
    assert labels - set(REPORT_WORDS) == set()

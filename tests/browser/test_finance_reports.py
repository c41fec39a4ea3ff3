"""Finance's reports in a real browser: the profit and loss of a quarter
compared with the same quarter a year earlier, and from one of its lines down
to the account's postings."""

from __future__ import annotations

from playwright.sync_api import expect

from core.companies import get_company
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from tests.browser.test_finance import books_server  # noqa: F401  (the fixture)
from tests.browser.test_shell import sign_in


def sale(db, day: str, price: str) -> str:
    with db.session() as s:
        company = get_company(s, "ACME")
        return post_invoice(s, company, create_invoice(s, company, "invoice", "C1", day,
                                                       [LineInput("A4 paper", price, taxes=())])).number


def test_the_profit_and_loss_compared_with_last_year_drills_down_to_the_postings(
    db, books_server, browser_page, shot
):
    sale(db, "2025-02-10", "800000")
    this_year = sale(db, "2026-02-10", "1200000")
    page = browser_page
    page.goto(books_server.url("/c/ACME/finance/reports"))
    sign_in(page, "ann")
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    page.get_by_role("link", name="Profit and loss").click()

    expect(page.get_by_role("heading", name="Profit and loss")).to_be_visible()
    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    page.get_by_label("Compare with").select_option("previous-year")
    page.get_by_role("button", name="Show").click()

    expect(page.locator("p[data-period]")).to_contain_text("Compared with Jan 1, 2025 to Mar 31, 2025.")
    revenue = page.locator('tr[data-line="account:401"]')
    expect(revenue.locator("td.amount").nth(0)).to_have_text("₩1,200,000")
    expect(revenue.locator("td.amount").nth(1)).to_have_text("₩800,000")
    expect(revenue.locator("td.amount").nth(2)).to_have_text("₩400,000")
    expect(page.locator('tr[data-line="net_income"] td.amount').nth(2)).to_have_text("₩400,000")
    expect(page.locator("svg.chart-bars")).to_be_visible()
    shot(page, "profit-and-loss-compared")
    revenue.get_by_role("link", name="상품매출").click()

    expect(page).to_have_url(books_server.url("/c/ACME/ledger/accounts/401"))
    expect(page.get_by_role("heading", name="401 · 상품매출")).to_be_visible()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)  # this year's sale and last year's
    expect(rows.nth(0)).to_contain_text("Feb 10, 2026")
    expect(rows.nth(0)).to_contain_text("₩1,200,000")
    shot(page, "account-postings")

    page.go_back()
    revenue.locator("td.amount").nth(0).get_by_role(
        "link"
    ).click()  # the postings behind this quarter's amount
    expect(page.get_by_role("heading", name="General ledger")).to_be_visible()
    part = page.locator('section[data-account="401"]')
    expect(part.locator("tbody tr")).to_have_count(3)  # opening, the sale, closing
    expect(part).to_contain_text(this_year)
    shot(page, "general-ledger-of-the-amount")

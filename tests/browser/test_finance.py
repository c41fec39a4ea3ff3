"""Finance in a real browser: write an invoice with two lines, post it, get it
paid, print it; the dashboard's charts; the pages on a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

import plugins.finance as finance
from core.catalog import create_party, create_product
from core.companies import create_company
from tests.browser.test_shell import PHONE, no_horizontal_scroll, sign_in
from tests.web.conftest import add_user, make_app


@pytest.fixture
def books_server(db, serve):
    """ACME keeps books with finance (Korean chart, KRW); ann is its admin. Served with CSRF on."""
    db.use_plugins(finance)
    with db.session() as s:
        company = create_company(s, "ACME", "ACME Co", "KRW", country="KR", plugins=["finance"])
        create_party(s, company, "C1", "Hanbit Retail")
        create_party(s, company, "S1", "Namsan Paper Mill")
        create_product(s, company, "PAPER", "A4 paper box", unit="box")
    add_user(db, "ann", {"ACME": "admin"})
    return serve(make_app(db, WTF_CSRF_ENABLED=True))


def test_write_post_pay_and_print_an_invoice(books_server, browser_page, shot):
    page = browser_page
    page.goto(books_server.url("/c/ACME/finance/invoices/-/new"))
    sign_in(page, "ann")
    expect(page.get_by_role("heading", name="New invoice")).to_be_visible()
    page.locator("#party").fill("C1")
    page.get_by_label("Payment term").select_option("NET30")
    rows = page.locator("table.entry tbody tr")
    rows.nth(0).get_by_label("Product").fill("PAPER")
    rows.nth(0).get_by_label("Quantity").fill("10")
    rows.nth(0).get_by_label("Unit price").fill("26,000")
    rows.nth(1).get_by_label("Description").fill("Delivery")
    rows.nth(1).get_by_label("Unit price").fill("15000")
    rows.nth(1).get_by_label("Discount").fill("10")
    expect(rows.nth(2).get_by_label("Taxes")).to_have_value("VAT10-S")  # the default tax, ready
    shot(page, "new-invoice")
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator("p.flash")).to_contain_text("is saved")
    expect(page.get_by_role("heading", name=re.compile(r"Draft invoice #\d+"))).to_be_visible()
    expect(page.locator("main table.lines tbody tr")).to_have_count(2)
    expect(page.locator("td[data-total]")).to_have_text("₩300,850")
    shot(page, "draft")
    page.get_by_role("button", name="Post", exact=True).click()

    year = dt.date.today().year
    number = f"INV/{year}/00001"
    expect(page.locator("p.flash")).to_have_text(f"Posted as {number}.")
    expect(page.get_by_role("heading", name=f"Invoice {number}")).to_be_visible()
    expect(page.locator("td[data-open]")).to_have_text("₩300,850")
    shot(page, "posted")
    page.get_by_role("link", name="Register a payment").click()

    expect(page.get_by_role("heading", name="Register a payment")).to_be_visible()
    expect(page.locator("#amount")).to_have_value("300850")
    expect(page.get_by_label(f"Settle {number}")).to_be_checked()
    shot(page, "payment-form")
    page.get_by_role("button", name="Register the payment").click()

    expect(page.locator("p.flash")).to_contain_text(f"it settles {number}")
    expect(page.locator("dd[data-unallocated]")).to_have_text("₩0")
    shot(page, "payment")
    page.get_by_role("link", name=number).click()

    expect(page.get_by_role("heading", name=f"Invoice {number}")).to_contain_text("paid")
    expect(page.locator("td[data-open]")).to_have_text("₩0")
    expect(page.get_by_role("link", name=f"BANK/{year}/00001")).to_be_visible()
    shot(page, "paid")
    page.get_by_role("link", name="Print").click()

    expect(page).to_have_url(books_server.url(f"/c/ACME/finance/invoices/{number}/print"))
    expect(page.get_by_role("heading", name=f"Invoice {number}")).to_be_visible()
    expect(page.locator("tr.total")).to_contain_text("₩300,850")
    expect(page.locator("article")).to_contain_text("Hanbit Retail")
    shot(page, "print-view")
    page.emulate_media(media="print")
    expect(page.locator("nav.toolbar")).to_be_hidden()  # the print stylesheet drops the buttons
    shot(page, "print-media")


def test_the_dashboard_and_the_books_pages(books_server, browser_page, new_page, shot):
    from tests.plugins.finance.pages import PAPER

    page = browser_page
    page.goto(books_server.url("/c/ACME/finance/invoices/-/new"))
    sign_in(page, "ann")
    rows = page.locator("table.entry tbody tr")
    page.locator("#party").fill("C1")
    for i, line in enumerate(PAPER):
        rows.nth(i).get_by_label("Description").fill(line.description)
        rows.nth(i).get_by_label("Unit price").fill(str(line.unit_price))
    page.get_by_role("button", name="Save and post").click()
    expect(page.locator("p.flash")).to_contain_text("Posted as")
    page.goto(books_server.url("/c/ACME/finance/payments/-/new?party=C1"))
    page.locator("#amount").fill("100,000")
    page.get_by_role("button", name="Register the payment").click()
    expect(page.locator("p.flash")).to_contain_text("is registered")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    for title in ("Revenue and expenses", "Cash position", "Receivables and payables"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("svg.chart-bars")).to_have_count(2)  # core's ledger activity and ours
    expect(page.locator("svg.chart-lines")).to_have_count(1)
    shot(page, "dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Books").click()
    expect(page.get_by_role("heading", name="Journals")).to_be_visible()
    page.get_by_role("navigation", name="Books").get_by_role("link", name="Periods").click()
    year = dt.date.today().year
    expect(page.locator(f"section[data-year='{year}']")).to_be_visible()
    shot(page, "periods")

    phone = new_page(viewport=PHONE)
    phone.goto(books_server.url("/c/ACME/finance/invoices"))
    sign_in(phone, "ann")
    expect(phone.get_by_role("heading", name="Invoices")).to_be_visible()
    no_horizontal_scroll(phone)
    shot(phone, "phone-invoices")
    phone.get_by_role("link", name=f"INV/{year}/00001").click()
    expect(phone.get_by_role("heading", name=re.compile("Invoice INV"))).to_be_visible()
    no_horizontal_scroll(phone)
    shot(phone, "phone-invoice")
    for path, name in ((f"/c/ACME/finance/invoices/INV/{year}/00001/print", "phone-print-view"),
                       ("/c/ACME/finance/invoices/-/new", "phone-new-invoice"),
                       ("/c/ACME/finance/payments/-/new?party=C1", "phone-payment-form"),
                       ("/c/ACME/finance/periods", "phone-periods")):
        phone.goto(books_server.url(path))
        no_horizontal_scroll(phone)
        shot(phone, name)

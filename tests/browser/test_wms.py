"""WMS in a real browser: a storekeeper receives goods (scanning the
product's barcode), checks the stock, then delivers part of it, through
the pages alone; the dashboard shows the warehouse's charts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

import plugins.finance as finance
import plugins.wms as wms
from core.companies import get_company
from core.models import Product
from tests.browser.test_shell import sign_in
from tests.plugins.wms.conftest import make_stock_company
from tests.web.conftest import add_user, make_app

BARCODE = "8801234567890"


@pytest.fixture
def warehouse_server(db, serve):
    """ACME values its stock (finance and wms); PEN carries a barcode; sam is its storekeeper. CSRF on."""
    db.use_plugins(finance, wms)
    make_stock_company(db, "ACME")
    with db.session() as s:
        s.scalar(select(Product).where(Product.company_id == get_company(s, "ACME").id,
                                       Product.sku == "PEN")).barcode = BARCODE
    add_user(db, "sam", {"ACME": "storekeeper"})
    return serve(make_app(db, WTF_CSRF_ENABLED=True))


def test_receive_and_deliver_goods_through_the_pages(warehouse_server, browser_page, shot):
    page = browser_page
    page.goto(warehouse_server.url("/c/ACME/wms/operations"))
    sign_in(page, "sam")
    expect(page.get_by_role("heading", name="Operations")).to_be_visible()
    page.get_by_role("link", name="New operation").click()

    expect(page.get_by_role("heading", name="New operation")).to_be_visible()
    page.get_by_label("Kind").select_option("receipt")
    page.get_by_label("Party").fill("S1")
    rows = page.locator("table.entry tbody tr")
    rows.nth(0).get_by_label("Product").fill(BARCODE)  # what the scanner typed
    rows.nth(0).get_by_label("Quantity").fill("100")
    rows.nth(0).get_by_label("Unit cost").fill("500")
    page.get_by_label("Confirm at once").check()
    shot(page, "new-receipt")
    page.get_by_role("button", name="Create").click()

    expect(page.locator("p.flash")).to_have_text("MAIN/IN/00001 is created and ready.")
    expect(page.locator("h1", has_text="Receipt MAIN/IN/00001")).to_contain_text("ready")
    page.get_by_role("link", name="Validate…").click()

    expect(page.locator("h1", has_text="Validate MAIN/IN/00001")).to_be_visible()
    done = page.get_by_label("Done of PEN")
    expect(done).to_have_value("100")
    done.fill("80")  # 20 did not come: they wait in a backorder
    shot(page, "validate-receipt")
    page.get_by_role("button", name="Validate", exact=True).click()

    expect(page.locator("p.flash")).to_contain_text("waits in backorder MAIN/IN/00001-1")
    expect(page.locator("h1", has_text="Receipt MAIN/IN/00001")).to_contain_text("done")
    expect(page.locator("tr[data-product='PEN'] td[data-done]")).to_have_text("80")
    expect(page.get_by_role("link", name="MAIN/IN/00001-1")).to_be_visible()
    shot(page, "receipt-done")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stock").click()
    expect(page.get_by_role("heading", name="Stock")).to_be_visible()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody tr td[data-label='Available']")).to_have_text("80")
    shot(page, "stock")

    page.goto(warehouse_server.url("/c/ACME/wms/operations/-/new?kind=delivery"))
    page.get_by_label("Party").fill("C1")
    rows = page.locator("table.entry tbody tr")
    rows.nth(0).get_by_label("Product").fill("PEN")
    rows.nth(0).get_by_label("Quantity").fill("30")
    page.get_by_label("Confirm at once").check()
    page.get_by_role("button", name="Create").click()

    expect(page.locator("h1", has_text="Delivery MAIN/OUT/00001")).to_contain_text("ready")
    expect(page.locator("table.moves tr[data-product='PEN'] td[data-label='Reserved']")).to_have_text("30")
    shot(page, "delivery-reserved")
    page.get_by_role("link", name="Validate…").click()
    expect(page.get_by_label("Done of PEN")).to_have_value("30")  # what is reserved
    page.get_by_role("button", name="Validate", exact=True).click()

    expect(page.locator("p.flash")).to_have_text("MAIN/OUT/00001 is done.")
    expect(page.locator("[data-transaction]")).to_contain_text("#")
    page.get_by_role("link", name="PEN", exact=True).click()

    expect(page.locator("h1", has_text="Stock card of PEN")).to_be_visible()
    expect(page.locator("[data-balance]")).to_have_text("50 pcs")
    expect(page.locator("table.card-moves tbody tr")).to_have_count(2)
    expect(page.locator("[data-turns]")).not_to_have_text("–")
    shot(page, "stock-card")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    for title in ("Stock value by category", "Operations to do", "Inventory turnover"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("svg.chart-hbars")).to_have_count(2)
    shot(page, "dashboard")

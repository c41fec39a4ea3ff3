"""Procurement in a real browser: a buyer writes a requisition, asks two
suppliers for quotes, compares them side by side and chooses the cheaper,
confirms the order, receives it in two deliveries (the rest waits in a wms
backorder) and enters the supplier's bill at a price the order did not
agree: the bill is held, nothing in the books. A purchasing manager
releases it with a note, it is posted in finance, and pays it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.wms as wms
from tests.browser.test_shell import sign_in
from tests.plugins.procurement.conftest import make_buying_company, make_users
from tests.web.conftest import make_app

P = "/c/ACME/procurement"
PASSWORD = "password123"  # make_users's


@pytest.fixture
def procurement_server(db, serve):
    """ACME buys with finance and wms (suppliers S1, S2, S3; PEN and PAPER in their catalogues); kim is
    its buyer, lee its purchasing manager. CSRF on."""
    db.use_plugins(finance, wms, procurement)
    company = make_buying_company(db, "ACME", plugins=("finance", "wms", "procurement"))
    make_users(db, company)
    return serve(make_app(db, WTF_CSRF_ENABLED=True))


def test_procure_to_pay_through_the_pages(procurement_server, new_page, shot):
    # (1) Kim, a buyer, writes a requisition for pens and paper.
    page = new_page()
    page.goto(procurement_server.url(f"{P}/requisitions"))
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page, "kim", PASSWORD)
    expect(page.get_by_role("heading", name="Requisitions")).to_be_visible()
    page.get_by_role("link", name="New requisition").click()

    expect(page.get_by_role("heading", name="New requisition")).to_be_visible()
    page.get_by_label("Note").fill("For the office")
    rows = page.locator("table.entry tbody tr")
    rows.nth(0).get_by_label("Product").fill("PEN")
    rows.nth(0).get_by_label("Quantity").fill("100")
    rows.nth(1).get_by_label("Product").fill("PAPER")
    rows.nth(1).get_by_label("Quantity").fill("5")
    shot(page, "new-requisition")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("p.flash")).to_have_text("Requisition REQ00001 is written.")
    expect(page.locator("h1", has_text="Requisition REQ00001")).to_be_visible()
    expect(page.locator("h1 [data-state]")).to_have_text("draft")
    lines = page.locator("main table tbody tr")
    expect(lines).to_have_count(2)
    expect(lines.nth(0).locator("td[data-label='Product']")).to_have_text("PEN")
    expect(lines.nth(0).locator("td[data-label='Quantity']")).to_have_text("100")
    expect(lines.nth(1).locator("td[data-label='Product']")).to_have_text("PAPER")
    shot(page, "requisition")
    page.get_by_role("link", name="Ask for quotes…").click()

    # ... sends it for quotation to the two suppliers the catalogue suggests ...
    expect(page.get_by_role("heading", name="Ask for quotes: REQ00001")).to_be_visible()
    expect(page.get_by_label("Suppliers")).to_have_value("S1, S2")
    shot(page, "ask-for-quotes")
    page.get_by_role("button", name="Send").click()

    expect(page.locator("p.flash")).to_have_text("RFQ00001 asks 2 suppliers for quotes.")
    expect(page.locator("h1", has_text="Request for quotation RFQ00001")).to_be_visible()
    expect(page.locator("h1 [data-state]")).to_have_text("open")
    totals = page.locator("table.comparison td[data-total]")
    expect(totals).to_have_count(2)
    expect(totals.nth(0)).to_have_text("no answer yet")
    expect(totals.nth(1)).to_have_text("no answer yet")
    expect(page.get_by_role("button", name="Choose")).to_have_count(0)

    # ... records both quotes ...
    actions = page.locator("table.comparison tr", has=page.get_by_role("rowheader", name="Actions")).locator(
        "td"
    )
    for column, supplier, pen, paper, lead in (
        (0, "S1", "300", "18000", "5"),
        (1, "S2", "290", "17500", "3"),
    ):
        actions.nth(column).get_by_role("link", name="Enter the quote…").click()
        expect(page.get_by_role("heading", name=f"Quote of {supplier} for RFQ00001")).to_be_visible()
        prices = page.locator("table.entry tbody tr")
        expect(prices.nth(0)).to_contain_text("PEN")
        prices.nth(0).get_by_label("Unit price").fill(pen)
        expect(prices.nth(1)).to_contain_text("PAPER")
        prices.nth(1).get_by_label("Unit price").fill(paper)
        page.get_by_label("Lead time (days)").fill(lead)
        page.get_by_label("Supplier's quote number").fill(f"{supplier}-Q-1")
        if column == 1:
            shot(page, "quote-S2")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("p.flash")).to_have_text(f"{supplier}'s quote is recorded.")

    # ... sees them side by side, the cheapest marked, and chooses it: a draft purchase order.
    expect(page.locator("table.comparison th[data-supplier]")).to_have_text(
        [re.compile(r"S1\s*Namsan Paper Mill"), re.compile(r"S2\s*Busan Office Supply")])
    expect(totals.nth(0)).to_have_text("₩120,000")
    expect(totals.nth(1)).to_have_text("₩116,500 cheapest")
    lead_times = page.locator("table.comparison td[data-lead-time]")
    expect(lead_times.nth(0)).to_have_text("5 days")
    expect(lead_times.nth(1)).to_have_text("3 days fastest")
    expect(page.locator("tr[data-product='PEN'] td").nth(1)).to_contain_text("★")
    expect(page.locator("tr[data-product='PEN'] td").nth(0)).not_to_contain_text("★")
    shot(page, "quotes-side-by-side")
    expect(actions.nth(0).get_by_role("link", name="Correct…")).to_be_visible()
    actions.nth(1).get_by_role("button", name="Choose").click()

    expect(page.locator("p.flash")).to_have_text("S2's quote is chosen: purchase order PO00001 is a draft.")
    expect(page.locator("h1", has_text="Purchase order PO00001")).to_be_visible()
    expect(page.locator("h1 [data-state]")).to_have_text("draft")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Busan Office Supply")
    expect(page.locator("[data-untaxed]")).to_have_text("₩116,500")
    expect(facts.get_by_role("link", name="REQ00001")).to_be_visible()
    expect(facts.get_by_role("link", name="RFQ00001")).to_be_visible()
    expect(page.locator("tr[data-product='PEN'] td[data-label='Unit price']")).to_have_text("₩290")
    shot(page, "draft-order")

    # (2) Kim confirms the order: wms waits for the goods.
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("p.flash")).to_have_text("PO00001 is confirmed.")
    expect(page.locator("h1 [data-state]")).to_have_text("confirmed")
    expect(page.locator("[data-receipt-state]")).to_have_text("nothing")
    expect(page.locator("[data-receipts]")).to_have_text("MAIN/IN/00001 (ready)")
    shot(page, "confirmed-order")
    page.get_by_role("link", name="Receive goods…").click()

    # ... receives part of it: the rest waits in a backorder ...
    expect(page.get_by_role("heading", name="Receive goods of PO00001")).to_be_visible()
    quantities = page.locator("table.entry tbody tr")
    expect(quantities.nth(0).get_by_label("Quantity")).to_have_value("100")
    expect(quantities.nth(1).get_by_label("Quantity")).to_have_value("5")
    quantities.nth(0).get_by_label("Quantity").fill("60")  # 40 pens did not come
    shot(page, "receive-part")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("p.flash")).to_have_text("Goods of PO00001 are received (partial).")
    expect(page.locator("[data-receipt-state]")).to_have_text("partial")
    expect(page.locator("tr[data-product='PEN'] td[data-received]")).to_have_text("60")
    expect(page.locator("tr[data-product='PAPER'] td[data-received]")).to_have_text("5")
    expect(page.locator("[data-receipts]")).to_have_text("MAIN/IN/00001 (done), MAIN/IN/00001-1 (ready)")
    shot(page, "received-part")
    page.get_by_role("link", name="Receive goods…").click()

    # ... and the other 40 pens when they come: the backorder is done.
    expect(quantities.nth(0).get_by_label("Quantity")).to_have_value("40")
    expect(quantities.nth(0).locator("td[data-label='Received']")).to_have_text("60")
    expect(quantities.nth(1).get_by_label("Quantity")).to_have_value("0")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("p.flash")).to_have_text("Goods of PO00001 are received (full).")
    expect(page.locator("[data-receipt-state]")).to_have_text("full")
    expect(page.locator("tr[data-product='PEN'] td[data-received]")).to_have_text("100")
    expect(page.locator("[data-receipts]")).to_have_text("MAIN/IN/00001 (done), MAIN/IN/00001-1 (done)")
    expect(page.get_by_role("link", name="Receive goods…")).to_have_count(0)
    page.get_by_role("link", name="Enter a bill…").click()

    # ... then enters the supplier's bill: the pens at 310, not the 290 agreed.
    expect(page.get_by_role("heading", name="Supplier bill of PO00001")).to_be_visible()
    bill_lines = page.locator("table.entry tbody tr")
    expect(bill_lines.nth(0).get_by_label("Quantity")).to_have_value("100")
    expect(bill_lines.nth(0).get_by_label("Unit price")).to_have_value("290")
    expect(bill_lines.nth(1).get_by_label("Quantity")).to_have_value("5")
    expect(bill_lines.nth(1).get_by_label("Unit price")).to_have_value("17500")
    page.get_by_label("Supplier's bill number").fill("BOS-2024-77")
    bill_lines.nth(0).get_by_label("Unit price").fill("310")
    shot(page, "enter-bill")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("p.flash.error")).to_have_text(
        "Bill BILL00001 does not match the order and what was received: it is held.")
    expect(page.locator("h1", has_text="Supplier bill BILL00001")).to_be_visible()
    expect(page.locator("h1 [data-state]")).to_have_text("held")
    held = page.locator("section[data-held]")
    expect(held.get_by_role("heading", name="Held: the bill does not match")).to_be_visible()
    expect(held.locator("li")).to_have_text(
        ["PEN: billed at 310 KRW but ordered at 290 KRW, +6.90 % (price tolerance 2 %)"])
    expect(held).to_contain_text(
        "Nothing of this bill is in the books until a purchasing manager releases it."
    )
    expect(held.get_by_role("button", name="Release and post")).to_have_count(0)  # not a buyer's to decide
    expect(page.locator("[data-matched]")).to_have_text("not matched")
    expect(page.locator("[data-document]")).to_have_text("draft")  # finance's draft: not in the ledger
    expect(page.locator("[data-untaxed]")).to_have_text("₩118,500")
    expect(page.locator("tr[data-product='PEN'] td[data-label='Match']")).to_contain_text("billed at 310")
    expect(page.locator("tr[data-product='PAPER'] td[data-label='Match']")).to_have_text("matches")
    shot(page, "bill-held")

    # (3) Lee, the purchasing manager, opens the held bill from the list ...
    manager = new_page()
    manager.goto(procurement_server.url(f"{P}/bills"))
    sign_in(manager, "lee", PASSWORD)
    expect(manager.get_by_role("heading", name="Supplier bills")).to_be_visible()
    row = manager.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td[data-label='State']")).to_have_text("held")
    expect(row.locator("td[data-label='Held because']")).to_contain_text("PEN: billed at 310 KRW")
    shot(manager, "bills")
    row.get_by_role("link", name="BILL00001").click()

    # ... sees the Release and Refuse forms, and releases it with a note: posted in finance.
    held = manager.locator("section[data-held]")
    expect(held.get_by_label("Why release it")).to_be_visible()
    expect(held.get_by_role("button", name="Release and post")).to_be_visible()
    expect(held.get_by_label("Why refuse it")).to_be_visible()
    expect(held.get_by_role("button", name="Refuse the bill")).to_be_visible()
    held.get_by_label("Why release it").fill("Pen prices rose; agreed with Busan by phone")
    shot(manager, "release")
    held.get_by_role("button", name="Release and post").click()

    expect(manager.locator("p.flash")).to_have_text("Bill BILL00001 is released and posted.")
    expect(manager.locator("h1 [data-state]")).to_have_text("posted")
    expect(manager.locator("section[data-held]")).to_have_count(0)
    facts = manager.locator("dl.facts")
    expect(facts).to_contain_text("lee · Pen prices rose; agreed with Busan by phone")
    expect(manager.locator("[data-document]")).to_have_text(re.compile(r"^BILL/\d{4}/00001$"))
    shot(manager, "bill-posted")

    # ... then pays it: the order is paid.
    expect(manager.get_by_label("Date")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    manager.get_by_role("button", name="Pay").click()

    expect(manager.locator("p.flash")).to_have_text("Bill BILL00001 is paid.")
    expect(manager.locator("h1 .badge")).to_have_text(["posted", "paid"])
    expect(manager.get_by_role("button", name="Pay")).to_have_count(0)
    expect(facts).to_contain_text("Paid on")
    manager.locator("dl.facts").get_by_role("link", name="PO00001").click()

    expect(manager.locator("h1", has_text="Purchase order PO00001")).to_be_visible()
    expect(manager.locator("h1 [data-state]")).to_have_text("done")
    expect(manager.locator("[data-bill-state]")).to_have_text("full")
    expect(manager.locator("[data-payment-state] [data-state]")).to_have_text("paid")
    expect(manager.locator("[data-bills]")).to_have_text("BILL00001 (posted, paid)")
    expect(manager.locator("tr[data-product='PEN'] td[data-billed]")).to_have_text("100")
    receipts = manager.locator("section.card", has=manager.get_by_role("heading", name="Receipts"))
    expect(receipts.locator("tbody tr td[data-label='Quantity']")).to_have_text(["60", "5", "40"])
    shot(manager, "order-paid")

"""The CRM in a real browser: a visitor sends the company's public enquiry
form; a salesperson finds the scored lead, converts it into a customer and
an opportunity, moves the deal across the pipeline board and wins it, then
schedules a call that is already overdue and sees it on the dashboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

import plugins.finance as finance
import plugins.sales as sales
import plugins.wms as wms
from core.companies import get_company
from plugins.sales.scoring import add_rule
from tests.browser.test_shell import sign_in
from tests.plugins.sales.conftest import make_sales_company
from tests.web.conftest import add_user, make_app

S = "/c/ACME/sales"


@pytest.fixture
def sales_server(db, serve):
    """ACME sells (finance and sales) and scores leads by two rules; sue is its salesperson. CSRF on."""
    db.use_plugins(finance, wms, sales)
    make_sales_company(db, "ACME", plugins=("finance", "sales"))
    with db.session() as s:
        company = get_company(s, "ACME")
        add_rule(s, company, "employees", "at_least", "50", 20, "50 or more employees")
        add_rule(s, company, "message", "present", None, 10, "Wrote to us")
    add_user(db, "sue", {"ACME": "salesperson"})
    return serve(make_app(db, WTF_CSRF_ENABLED=True))


def test_an_enquiry_becomes_a_won_deal_through_the_pages(sales_server, new_page, shot):
    # (1) A visitor, not signed in, writes to ACME through its public form.
    visitor = new_page()
    visitor.goto(sales_server.url(f"{S}/enquiry"))
    expect(visitor.get_by_role("heading", name="Contact ACME Co")).to_be_visible()
    expect(visitor.get_by_role("button", name="Sign out")).to_have_count(0)
    visitor.get_by_label("Your name").fill("Minji Park")
    visitor.get_by_label("E-mail").fill("minji@jeonju-paper.example")
    visitor.get_by_label("Organisation").fill("Jeonju Paper")
    visitor.get_by_label("Phone").fill("063-555-0101")
    visitor.get_by_label("Industry").fill("Printing")
    visitor.get_by_label("Employees").fill("120")
    visitor.get_by_label("How can we help?").fill("We need 500 boxes of A4 paper a month.")
    shot(visitor, "enquiry-form")
    visitor.get_by_role("button", name="Send").click()

    expect(visitor).to_have_url(sales_server.url(f"{S}/enquiry/sent"))
    expect(visitor.locator("[data-sent]")).to_contain_text("Thank you: your enquiry has reached us")
    shot(visitor, "enquiry-sent")

    # (2) Sue, a salesperson, finds the lead, best score first, and converts it.
    page = new_page()
    page.goto(sales_server.url(f"{S}/leads"))
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page, "sue")
    expect(page).to_have_url(sales_server.url(f"{S}/leads"))
    expect(page.get_by_role("heading", name="Leads")).to_be_visible()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    row = rows.nth(0)
    expect(row.locator("td[data-label='Number']")).to_have_text("LD00001")
    expect(row.locator("td[data-label='Contact']")).to_have_text("Minji Park")
    expect(row.locator("td[data-label='Organisation']")).to_have_text("Jeonju Paper")
    expect(row.locator("td[data-label='Source']")).to_have_text("web form")
    expect(row.locator("td[data-label='State']")).to_have_text("new")
    expect(row.locator("td[data-label='Score']")).to_have_text("30")  # both rules apply
    shot(page, "leads")
    row.get_by_role("link", name="LD00001").click()

    expect(page.locator("h1", has_text="Lead LD00001")).to_contain_text("Minji Park")
    expect(page.locator("h1 [data-state]")).to_have_text("new")
    expect(page.locator("[data-score]")).to_have_text("30")
    factors = page.locator("table.factors tbody tr")
    expect(factors).to_have_count(2)
    expect(page.locator("tr[data-factor='50 or more employees'] td").first).to_have_text("+20")
    expect(page.locator("tr[data-factor='Wrote to us'] td").first).to_have_text("+10")
    expect(page.locator("[data-duplicate]")).to_have_count(0)  # nobody ACME knows
    shot(page, "lead")
    page.get_by_role("link", name="Convert").click()

    expect(page.get_by_role("heading", name="Convert lead LD00001")).to_be_visible()
    expect(page.get_by_label("Opportunity name")).to_have_value("Jeonju Paper")
    expect(page.get_by_label("Open an opportunity")).to_be_checked()
    page.get_by_label("Or a new party code").fill("JEONJU")
    page.get_by_label("Opportunity name").fill("A4 paper for a year")
    page.get_by_label("Expected revenue").fill("6,000,000")
    page.get_by_label("Expected close").fill("2030-06-30")
    page.get_by_label("Stage").select_option("Qualified")
    expect(page.get_by_label("Owner")).to_have_value("sue")
    shot(page, "convert")
    page.get_by_role("button", name="Convert").click()

    expect(page).to_have_url(sales_server.url(f"{S}/opportunities/OP00001"))
    expect(page.locator("p.flash")).to_have_text(
        "Lead LD00001 is now customer JEONJU with opportunity OP00001."
    )
    expect(page.locator("h1", has_text="Opportunity OP00001")).to_contain_text("A4 paper for a year")
    expect(page.locator("h1 [data-state]")).to_have_text("open")
    expect(page.locator("[data-stage]")).to_have_text("Qualified")
    expect(page.locator("dl.facts")).to_contain_text("Jeonju Paper")
    shot(page, "opportunity")
    page.get_by_role("link", name="LD00001").click()

    expect(page.locator("h1 [data-state]")).to_have_text("converted")
    expect(page.locator("dl.facts")).to_contain_text("JEONJU")
    expect(page.get_by_role("link", name="Convert")).to_have_count(0)  # done once
    shot(page, "lead-converted")

    # (3) On the pipeline board the card moves to Proposal, then is won.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("heading", name="Pipeline", exact=True)).to_be_visible()
    qualified = page.locator("section.column[data-stage='Qualified']")
    proposal = page.locator("section.column[data-stage='Proposal']")
    card = qualified.locator("article[data-deal='OP00001']")
    expect(card).to_contain_text("A4 paper for a year")
    expect(card).to_contain_text("Jeonju Paper")
    expect(proposal.locator("article.deal")).to_have_count(0)
    shot(page, "board")
    card.get_by_label("Move to").select_option("Proposal")
    card.get_by_role("button", name="Move").click()

    expect(page).to_have_url(sales_server.url(f"{S}/board"))
    expect(page.locator("p.flash")).to_have_text("OP00001 is in Proposal now.")
    expect(qualified.locator("article.deal")).to_have_count(0)
    card = proposal.locator("article[data-deal='OP00001']")
    expect(card).to_be_visible()
    expect(card).to_contain_text("× 50%")  # the stage's chance of winning
    shot(page, "board-moved")
    card.get_by_role("button", name="Won").click()

    expect(page).to_have_url(sales_server.url(f"{S}/board"))
    expect(page.locator("p.flash")).to_have_text("OP00001 is won.")
    expect(page.locator("article.deal")).to_have_count(0)  # no open card left anywhere
    expect(proposal.locator("p.empty")).to_have_text("No open deals here.")
    shot(page, "board-won")

    page.get_by_role("link", name="All opportunities").click()
    expect(page.get_by_role("heading", name="Opportunities")).to_be_visible()
    deal_row = page.locator("main table tbody tr")
    expect(deal_row).to_have_count(1)
    expect(deal_row.locator("td[data-label='State']")).to_have_text("won")
    expect(deal_row.locator("td[data-label='Customer']")).to_have_text("JEONJU")
    deal_row.get_by_role("link", name="OP00001").click()

    expect(page.locator("h1 [data-state]")).to_have_text("won")
    expect(page.locator("dl.facts")).to_contain_text("Closed on")
    expect(page.get_by_role("button", name="Won")).to_have_count(0)
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
    shot(page, "opportunity-won")

    # (4) A follow-up call, due yesterday, is overdue on the dashboard.
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page.get_by_role("link", name="New activity").click()
    expect(page.get_by_role("heading", name="New activity")).to_be_visible()
    expect(page.get_by_label("Opportunity")).to_have_value("OP00001")
    page.get_by_label("Kind").select_option("call")
    page.get_by_label("Subject").fill("Ask Minji about the first delivery")
    page.get_by_label("Due").fill(yesterday.isoformat())
    shot(page, "new-activity")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(sales_server.url(f"{S}/opportunities/OP00001"))
    expect(page.locator("p.flash")).to_have_text(f"The call is scheduled for {yesterday.isoformat()}.")
    activity = page.locator("main table tbody tr", has_text="Ask Minji about the first delivery")
    expect(activity).to_contain_text("overdue")
    expect(activity).to_contain_text("sue")
    shot(page, "activity-scheduled")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(sales_server.url("/c/ACME/"))
    tile = page.locator("section.card", has=page.get_by_role("heading", name="Overdue activities"))
    expect(tile).to_contain_text("Yours, overdue:")
    expect(tile.get_by_role("link", name="Ask Minji about the first delivery")).to_be_visible()
    expect(tile).to_contain_text("opportunity OP00001")
    expect(tile.get_by_role("link", name="1 overdue in all")).to_be_visible()
    pipeline = page.locator("section.card", has=page.get_by_role("heading", name="Pipeline", exact=True))
    expect(pipeline).to_contain_text("0 open opportunities")  # the won deal left the pipeline
    shot(page, "dashboard")

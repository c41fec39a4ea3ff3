"""What a person does in the browser: install a plugin and see its menu, post, reverse, read the trial
balance."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core import ledger as books
from core.companies import get_company
from tests.browser.test_shell import sign_in
from tests.web.conftest import add_user


@pytest.fixture
def bookkeeper(db):
    db.company("ACME")  # memo is registered (tests' plugin manager) but not installed
    add_user(db, "ann", {"ACME": "admin"})
    with db.session() as s:
        books.post(
            s,
            get_company(s, "ACME"),
            "2026-01-10",
            [books.Leg("1100", "500000"), books.Leg("4000", "-500000")],
            memo="Opening sale",
        )


def test_install_a_plugin_and_watch_its_menu_appear_then_go(live_server, bookkeeper, browser_page, shot):
    page = browser_page
    page.goto(live_server.url("/c/ACME/admin/plugins"))
    sign_in(page, "ann")
    expect(page).to_have_url(live_server.url("/c/ACME/admin/plugins"))
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Notes")).to_have_count(0)
    shot(page, "plugins-before")

    memo = page.locator("li[data-plugin=memo]")
    memo.get_by_role("button", name="Install").click()
    expect(page.locator("p.flash")).to_have_text("Installed memo.")
    expect(memo.get_by_text("Installed", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Notes")).to_be_visible()
    shot(page, "plugins-installed")

    menu.get_by_role("link", name="Notes").click()
    expect(page).to_have_url(live_server.url("/c/ACME/memo/"))
    expect(page.get_by_role("heading", name="Notes")).to_be_visible()

    page.goto(live_server.url("/c/ACME/admin/plugins"))
    memo.get_by_role("button", name="Uninstall").click()
    expect(page.locator("p.flash")).to_contain_text("Uninstalled memo")
    expect(menu.get_by_role("link", name="Notes")).to_have_count(0)
    shot(page, "plugins-uninstalled")
    assert page.request.get(live_server.url("/c/ACME/memo/")).status == 404

    page.goto(live_server.url("/c/ACME/admin/audit"))
    expect(page.locator("tbody")).to_contain_text("plugin.installed")
    expect(page.locator("tbody")).to_contain_text("plugin.uninstalled")
    shot(page, "audit-log")


def test_post_reverse_and_read_the_trial_balance(live_server, bookkeeper, browser_page, shot):
    page = browser_page
    page.goto(live_server.url("/c/ACME/ledger/post"))
    sign_in(page, "ann")
    page.locator("#date").fill("2026-02-01")
    page.get_by_label("Memo").fill("Rent for February")
    rows = page.locator("table.entry tbody tr")
    rows.nth(0).get_by_label("Account").fill("5000")
    rows.nth(0).get_by_label("Debit").fill("120,000")
    rows.nth(1).get_by_label("Account").fill("1100")
    rows.nth(1).get_by_label("Credit").fill("120000")
    shot(page, "journal-entry")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("p.flash")).to_contain_text("is posted")
    expect(page.get_by_role("heading", name=re.compile(r"Transaction #\d+"))).to_be_visible()
    expect(page.locator("main table")).to_contain_text("₩120,000")
    shot(page, "posted")

    page.get_by_text("Reverse this transaction").click()
    page.get_by_role("button", name="Post the reversal").click()
    expect(page.locator("p.flash")).to_contain_text("is reversed by")
    expect(page.get_by_text("Reverses")).to_be_visible()
    shot(page, "reversal")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trial balance").click()
    expect(page.get_by_role("heading", name="Trial balance")).to_be_visible()
    table = page.locator("main table").first
    expect(table).to_contain_text("1100")
    expect(table).not_to_contain_text("5000")  # the rent and its reversal cancel out
    expect(page.locator("table.totals")).to_contain_text("500,000")
    shot(page, "trial-balance")

    page.get_by_role("link", name="1100").click()  # drill down to the account's postings
    expect(page.get_by_role("heading", name=re.compile("1100"))).to_be_visible()
    expect(page.locator("main table tbody tr")).to_have_count(3)
    shot(page, "account")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url("/login"))

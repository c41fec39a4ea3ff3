"""The shell in a real browser: sign in, pick a company, switch, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, add_user

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def ann(db):
    """Ann is a member of two companies."""
    db.company("ACME", accounts=False)
    db.company("OTHER", accounts=False)
    add_user(db, "ann", {"ACME": "admin", "OTHER": "viewer"})
    return "ann"


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_pick_switch_companies_and_sign_out(live_server, ann, browser_page, shot):
    page = browser_page
    page.goto(live_server.url("/"))
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$|/login\?next=/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "sign-in")

    sign_in(page, "ann")
    expect(page).to_have_url(live_server.url("/companies"))
    expect(page.get_by_role("heading", name="Your companies")).to_be_visible()
    tiles = page.locator("ul.tiles li")
    expect(tiles).to_have_count(2)
    expect(tiles.nth(0)).to_contain_text("ACME Ltd")
    expect(tiles.nth(1)).to_contain_text("OTHER Ltd")
    expect(page.locator("header")).to_contain_text("ann")
    shot(page, "picker")

    page.get_by_role("link", name=re.compile("ACME Ltd")).click()
    expect(page).to_have_url(live_server.url("/c/ACME/"))
    expect(page.get_by_role("heading", name="ACME Ltd")).to_be_visible()
    header_company = page.locator("header a.company")
    expect(header_company).to_have_text("ACME Ltd")
    shot(page, "acme-dashboard")

    header_company.click()  # the company in the header leads back to the picker
    expect(page).to_have_url(live_server.url("/companies"))
    page.get_by_role("link", name=re.compile("OTHER Ltd")).click()
    expect(page).to_have_url(live_server.url("/c/OTHER/"))
    expect(page.get_by_role("heading", name="OTHER Ltd")).to_be_visible()
    expect(header_company).to_have_text("OTHER Ltd")
    shot(page, "other-dashboard")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url("/login"))
    expect(page.locator("p.flash")).to_have_text("You are signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    shot(page, "signed-out")

    page.goto(live_server.url("/c/OTHER/"))  # the session is really over
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_a_wrong_password_is_shown_next_to_the_field(live_server, ann, browser_page, shot):
    page = browser_page
    page.goto(live_server.url("/login"))
    sign_in(page, "ann", "not the password")
    expect(page).to_have_url(live_server.url("/login"))
    error = page.locator(".error")
    expect(error).to_have_count(1)  # one message, on the password only
    expect(error).to_have_text("Unknown username or wrong password.")
    expect(error).to_be_visible()
    password = page.get_by_label("Password")
    expect(page.get_by_label("Username")).to_have_value("ann")
    expect(password).to_have_value("")
    field, message = password.bounding_box(), error.bounding_box()
    assert 0 <= message["y"] - (field["y"] + field["height"]) < 32, (field, message)  # right under it
    assert message["x"] < field["x"] + field["width"] and field["x"] < message["x"] + message["width"]
    shot(page, "wrong-password")

    sign_in(page, "ann")  # the form still works, with a fresh token
    expect(page).to_have_url(live_server.url("/companies"))


def no_horizontal_scroll(page) -> None:
    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["inner"] == PHONE["width"], widths
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"


def test_phone_width_has_no_horizontal_scrollbar(live_server, ann, new_page, shot):
    page = new_page(viewport=PHONE)
    page.goto(live_server.url("/login?next=/c/ACME/"))
    no_horizontal_scroll(page)
    shot(page, "phone-sign-in")

    sign_in(page, "ann")
    expect(page).to_have_url(live_server.url("/c/ACME/"))
    expect(page.get_by_role("heading", name="ACME Ltd")).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "phone-dashboard")

    page.goto(live_server.url("/companies"))
    no_horizontal_scroll(page)
    shot(page, "phone-picker")

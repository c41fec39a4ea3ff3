"""Deny by default: every route declares what it needs; sign-in, scope, CSRF, throttle."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core import audit
from core.models import AuditEntry
from tests.web.conftest import PASSWORD, add_user, make_app, sign_in
from web.access import PUBLIC, SIGNED_IN, needs


@pytest.fixture
def two_companies(db):
    db.company("ACME", plugins=["memo"], accounts=False)
    db.company("OTHER", plugins=["memo"], accounts=False)
    add_user(db, "ann", {"ACME": "admin"})
    add_user(db, "viv", {"ACME": "viewer"})


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


SAMPLE_ARGUMENTS = {"transaction_id": "1"}


def url_for_rule(rule, company="ACME"):
    """The rule's path with its company and a sample value for every other argument."""
    return re.sub(r"<(?:\w+:)?(\w+)>",
                  lambda m: company if m[1] == "company" else SAMPLE_ARGUMENTS.get(m[1], "X"), rule.rule)


def test_every_route_declares_a_permission_and_company_routes_are_scoped(app):
    for rule in routes(app):
        needed = needs(app.view_functions[rule.endpoint])
        assert needed is not None, f"{rule.rule} ({rule.endpoint}) declares no permission"
        if needed not in (PUBLIC, SIGNED_IN):
            assert "company" in rule.arguments, f"{rule.rule} needs {needed} but has no /c/<company>/ scope"


def test_a_route_that_declares_nothing_is_refused(app):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert app.test_client().get("/forgotten").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in_and_scripts_get_401(app, two_companies):
    client = app.test_client()
    for rule in routes(app):
        if needs(app.view_functions[rule.endpoint]) == PUBLIC or "GET" not in rule.methods:
            continue
        url = url_for_rule(rule)
        page = client.get(url)
        assert page.status_code == 302 and "/login?next=" in page.headers["Location"], url
        assert client.get(url, headers={"Accept": "application/json"}).status_code == 401, url


def test_members_see_only_their_companies(app, two_companies):
    client = sign_in(app.test_client(), "ann")
    assert client.get("/c/ACME/").status_code == 200
    assert client.get("/c/ACME/memo/").status_code == 200
    for url in ("/c/OTHER/", "/c/OTHER/memo/", "/c/NOPE/"):
        assert client.get(url).status_code == 404, url
    page = client.get("/companies")
    assert page.status_code == 302 and page.headers["Location"].endswith("/c/ACME/")


def test_every_company_route_answers_404_for_a_company_one_is_not_a_member_of(app, two_companies):
    """Every route, whatever its method, even when the same path answers for one's own company."""
    client = sign_in(app.test_client(), "ann")
    company_rules = [rule for rule in routes(app) if "company" in rule.arguments]
    assert len(company_rules) >= 15  # the shell's, ledger, parties, products, admin and memo pages
    for rule in company_rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for company in ("OTHER", "NOPE"):
                url = url_for_rule(rule, company)
                answers = [client.open(url, method=method, headers=headers).status_code
                           for headers in ({}, {"Accept": "application/json"})]
                assert answers == [404, 404], (method, url)


def test_a_missing_permission_is_403_and_audited(db, two_companies):
    from flask import Blueprint

    from tests.core.test_plugins import fake_plugin
    from web.access import permission

    blueprint = Blueprint("editor", __name__)
    blueprint.get("/")(permission("parties.edit")(lambda: "edited"))
    db.use_plugins(fake_plugin("editor", register_blueprints=lambda: blueprint))
    with db.session() as s:
        from core.companies import get_company
        from core.installation import install
        install(s, get_company(s, "ACME"), ["editor"])
    app = make_app(db, WTF_CSRF_ENABLED=False)
    assert sign_in(app.test_client(), "ann").get("/c/ACME/editor/").status_code == 200
    assert sign_in(app.test_client(), "viv").get("/c/ACME/editor/").status_code == 403
    with db.session() as s:
        denied = s.scalars(select(AuditEntry).where(AuditEntry.action == audit.DENIED)).all()
        assert [(e.username, e.detail) for e in denied] == [("viv", "parties.edit at /c/ACME/editor/")]


def test_posts_without_a_csrf_token_are_refused(db, two_companies):
    client = make_app(db).test_client()
    assert client.post("/login", data={"username": "ann", "password": PASSWORD}).status_code == 400
    assert client.post("/logout").status_code == 400
    with db.session() as s:
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == audit.LOGIN)) is None


def test_five_failures_lock_the_account_and_the_address_for_a_while(app, two_companies):
    client = app.test_client()
    for _ in range(5):
        assert (
            client.post("/login", data={"username": "ann", "password": "wrong password"}).status_code == 401
        )
    assert client.post("/login", data={"username": "ann", "password": PASSWORD}).status_code == 429
    other = app.test_client()
    assert other.post("/login", data={"username": "viv", "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 429  # same address
    assert other.post("/login", data={"username": "viv", "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 302
    assert other.post("/login", data={"username": "ann", "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 429  # same account


def test_signing_out_ends_every_copy_of_the_session(app, two_companies):
    client = sign_in(app.test_client(), "ann")
    kept = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", kept)
    assert thief.get("/c/ACME/").status_code == 302  # back to sign-in


@pytest.mark.parametrize(
    "target, lands",
    [
        ("/c/ACME/memo/", "/c/ACME/memo/"),
        ("//evil.example/", "/companies"),
        ("https://evil.example/", "/companies"),
        ("/\\evil.example", "/companies"),
    ],
)
def test_next_is_followed_only_within_the_site(app, two_companies, target, lands):
    response = app.test_client().post(f"/login?next={target}", data={"username": "ann", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == lands


def test_session_cookie_flags(app, two_companies):
    client = app.test_client()
    response = client.post("/login", data={"username": "ann", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_signed_in_post_needs_the_token_of_a_page_of_this_site(db, two_companies):
    import re

    client = make_app(db).test_client()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(True)
    )[1]
    assert (
        client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token}).status_code
        == 302
    )
    assert client.post("/logout").status_code == 400
    page = client.get("/c/ACME/").get_data(True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302

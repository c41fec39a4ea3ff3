"""Company administration through the web: settings, plugins, users and roles,
the audit log each change leaves, and CSRF on every POST route."""

from __future__ import annotations

import html
import re

import pytest
from flask import Blueprint, g, jsonify

from core.companies import get_company
from core.contributions import MenuItem, Permission
from core.ledger import Draft, Leg
from tests.core.test_plugins import fake_plugin
from tests.web.conftest import PASSWORD, add_user, make_app, sign_in
from tests.web.pages import (
    ADDRESS,
    JSON,
    assert_books_ok,
    audit_since,
    get_json,
    journal,
    last_audit_id,
    read_csv,
    seed,
    signed_in,
    snapshot,
)
from web.access import permission


def company_settings(db, code="ACME"):
    with db.session() as s:
        c = get_company(s, code)
        return c.name, c.country, c.timezone, c.fiscal_year_start_month


# -- settings --------------------------------------------------------------------------

def test_settings_form_updates_the_company_and_leaves_one_audit_entry(acme, ann):
    assert 'value="ACME Ltd"' in ann.get("/c/ACME/admin/").get_data(True)
    since = last_audit_id(acme)
    response = ann.post(
        "/c/ACME/admin/",
        data={
            "name": "Acme Korea",
            "country": "kr",
            "timezone": "Asia/Seoul",
            "fiscal_year_start_month": "4",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/c/ACME/admin/"
    assert company_settings(acme) == ("Acme Korea", "KR", "Asia/Seoul", 4)
    assert audit_since(acme, since) == [
        (
            "ann",
            "company.changed",
            ADDRESS,
            "ACME",
            "name=Acme Korea, country=KR, timezone=Asia/Seoul, fiscal_year_start_month=4",
        )
    ]
    assert "Settings saved." in ann.get("/c/ACME/admin/").get_data(True)


@pytest.mark.parametrize("change, error", [
    ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
    ({"timezone": "../../etc/passwd"}, "unknown time zone"),
    ({"fiscal_year_start_month": "13"}, "Number must be between 1 and 12."),
    ({"country": "K1"}, "must be a two-letter ISO code"),
    ({"name": ""}, "This field is required."),
])
def test_settings_form_refuses_bad_values_and_changes_nothing(acme, ann, change, error):
    before = snapshot(acme)
    data = {"name": "Renamed", "country": "KR", "timezone": "UTC", "fiscal_year_start_month": "1", **change}
    response = ann.post("/c/ACME/admin/", data=data)
    assert response.status_code == 400 and error in html.unescape(response.get_data(True))
    assert snapshot(acme) == before


# -- plugins -----------------------------------------------------------------------------

def test_uninstalling_and_installing_memo_switches_its_pages(acme, ann):
    def memo_row():
        page = ann.get("/c/ACME/admin/plugins").get_data(True)
        return re.search(r'<li class="card[^"]*" data-plugin="memo">.*?</li>', page, re.S)[0]

    assert ann.get("/c/ACME/memo/").status_code == 200 and "installed" in memo_row()
    since = last_audit_id(acme)
    assert ann.post("/c/ACME/admin/plugins/uninstall", data={"plugin": "memo"}).status_code == 302
    assert audit_since(acme, since) == [("ann", "plugin.uninstalled", ADDRESS, "ACME", "memo")]
    assert ann.get("/c/ACME/memo/").status_code == 404
    assert 'action="/c/ACME/admin/plugins/install"' in memo_row()
    since = last_audit_id(acme)
    assert ann.post("/c/ACME/admin/plugins/install", data={"plugin": "memo"}).status_code == 302
    assert audit_since(acme, since) == [("ann", "plugin.installed", ADDRESS, "ACME", "memo 1.0.0")]
    assert ann.get("/c/ACME/memo/").status_code == 200
    assert 'action="/c/ACME/admin/plugins/uninstall"' in memo_row()
    before = snapshot(acme)
    assert (
        ann.post("/c/ACME/admin/plugins/install", data={"plugin": "memo"}).status_code == 302
    )  # already: no-op
    assert snapshot(acme) == before
    for url, name in [("install", "nope"), ("install", "core"), ("uninstall", "core"),
                      ("uninstall", "nope"), ("install", "")]:
        assert ann.post(f"/c/ACME/admin/plugins/{url}", data={"plugin": name}).status_code == 400, (url, name)
    assert snapshot(acme) == before


def tasks_plugin():
    blueprint = Blueprint("tasks", __name__)
    blueprint.get("/", endpoint="index")(permission("tasks.view")(lambda: jsonify(company=g.company.code)))
    return fake_plugin(
        "tasks",
        register_blueprints=lambda: blueprint,
        register_permissions=lambda: [Permission("tasks.view", "See tasks", read_only=True)],
        menu_items=lambda company, user: [MenuItem("Tasks", "tasks.index", "tasks.view", order=5)],
    )


@pytest.fixture
def with_tasks(db):
    db.use_plugins(tasks_plugin(), fake_plugin("reminders", requires=["tasks"]))
    db.company("ACME", plugins=["reminders"])  # brings tasks along
    add_user(db, "ann", {"ACME": "admin"})
    add_user(db, "viv", {"ACME": "viewer"})
    return make_app(db, WTF_CSRF_ENABLED=False)


def test_menu_follows_installation_and_a_required_plugin_stays(db, with_tasks):
    ann, viv = signed_in(with_tasks, "ann"), signed_in(with_tasks, "viv")
    link = 'href="/c/ACME/tasks/"'
    assert link in ann.get("/c/ACME/").get_data(True) and link in viv.get("/c/ACME/").get_data(True)
    before = snapshot(db)
    refused = ann.post("/c/ACME/admin/plugins/uninstall", data={"plugin": "tasks"}, headers=JSON)
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "cannot uninstall 'tasks': reminders of ACME require it"}
    assert snapshot(db) == before
    page = ann.get("/c/ACME/admin/plugins").get_data(True)
    assert re.search(r'data-plugin="tasks">.*?disabled title="Required by reminders"', page, re.S)
    assert ann.post("/c/ACME/admin/plugins/uninstall", data={"plugin": "reminders"}).status_code == 302
    assert ann.post("/c/ACME/admin/plugins/uninstall", data={"plugin": "tasks"}).status_code == 302
    assert link not in ann.get("/c/ACME/").get_data(True) and link not in viv.get("/c/ACME/").get_data(True)
    assert viv.get("/c/ACME/tasks/").status_code == 404
    assert ann.post("/c/ACME/admin/plugins/install", data={"plugin": "tasks"}).status_code == 302
    assert link in viv.get("/c/ACME/").get_data(True)
    assert get_json(viv, "/c/ACME/tasks/") == {"company": "ACME"}


# -- users and roles -----------------------------------------------------------------------

def test_users_page_grants_creates_and_revokes(app, acme, ann):
    add_user(acme, "bob", {})
    since = last_audit_id(acme)
    assert ann.post("/c/ACME/admin/users", data={"username": "bob", "role": "accountant"}).status_code == 302
    assert audit_since(acme, since) == [("ann", "role.granted", ADDRESS, "ACME", "bob: accountant")]
    bob = signed_in(app, "bob")
    assert bob.get("/c/ACME/ledger/post").status_code == 200
    page = ann.get("/c/ACME/admin/users").get_data(True)
    assert re.search(r'<td data-label="User">bob</td>.*?<span>accountant</span>', page, re.S)

    before = snapshot(acme)
    refused = ann.post("/c/ACME/admin/users", data={"username": "newbie", "role": "viewer"})
    assert refused.status_code == 400 and "newbie is a new user: give a password." in refused.get_data(True)
    for data in (
        {"username": "bob", "role": "accountant"},
        {"username": "bob", "role": "emperor"},
        {"username": "newbie", "role": "viewer", "password": "short"},
        {"username": "", "role": "viewer"},
    ):
        assert ann.post("/c/ACME/admin/users", data=data).status_code == 400, data
    assert snapshot(acme) == before

    since = last_audit_id(acme)
    created = ann.post(
        "/c/ACME/admin/users",
        data={
            "username": "newbie",
            "role": "viewer",
            "full_name": "New Bie",
            "password": "a long enough password",
        },
    )
    assert created.status_code == 302
    assert audit_since(acme, since) == [("ann", "user.created", ADDRESS, None, "newbie"),
                                        ("ann", "role.granted", ADDRESS, "ACME", "newbie: viewer")]
    newbie = sign_in(app.test_client(), "newbie", "a long enough password")
    assert newbie.get("/c/ACME/ledger/accounts").status_code == 200
    assert newbie.get("/c/ACME/ledger/post").status_code == 403

    since = last_audit_id(acme)
    assert (
        ann.post("/c/ACME/admin/users/revoke", data={"username": "bob", "role": "accountant"}).status_code
        == 302
    )
    assert audit_since(acme, since) == [("ann", "role.revoked", ADDRESS, "ACME", "bob: accountant")]
    assert bob.get("/c/ACME/").status_code == 404
    before = snapshot(acme)
    assert (
        ann.post("/c/ACME/admin/users/revoke", data={"username": "bob", "role": "accountant"}).status_code
        == 404
    )
    assert ann.post("/c/ACME/admin/users/revoke", data={"username": "bob"}).status_code == 400
    assert snapshot(acme) == before


@pytest.mark.parametrize("username", ["viv", "abe"])
def test_viewers_and_accountants_get_403_on_every_admin_page(app, acme, username):
    client = signed_in(app, username)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]
    assert len(rules) >= 6
    kept = ("core_membership", "core_company", "core_plugin_installation", "core_user")
    before = [snapshot(acme)[name] for name in kept]
    for rule in rules:
        url = rule.rule.replace("<company>", "ACME")
        data = {"plugin": "memo", "username": username, "role": "admin", "name": "Mine", "timezone": "UTC",
                "fiscal_year_start_month": "1"}
        for method in sorted(rule.methods & {"GET", "POST"}):
            assert client.open(url, method=method, data=data).status_code == 403, (method, url)
    after = snapshot(acme)
    assert [after[name] for name in kept] == before  # only the refusals were written, to the audit log


# -- the audit log ---------------------------------------------------------------------------

def test_every_web_change_is_audited_once_and_listed_newest_first(app, acme, ann):
    add_user(acme, "bob", {})
    since = last_audit_id(acme)
    steps = []

    def step(url, data, action, detail):
        mark = last_audit_id(acme)
        response = ann.post(url, data=data)
        assert response.status_code == 302, response.get_data(True)[:500]
        assert audit_since(acme, mark) == [("ann", action, ADDRESS, "ACME", detail(response))]
        steps.append((action, detail(response)))
        return response

    posted = step(
        "/c/ACME/ledger/post",
        journal("2024-06-01", "audited", ("1100", "800", ""), ("4000", "", "800")),
        "ledger.posted",
        lambda r: f"transaction {r.headers['Location'].rsplit('/', 1)[1]}",
    )
    original = posted.headers["Location"].rsplit("/", 1)[1]
    step(f"/c/ACME/ledger/transactions/{original}/reverse", {"date": "2024-06-02"}, "ledger.reversed",
         lambda r: f"transaction {original} by {r.headers['Location'].rsplit('/', 1)[1]}")
    step("/c/ACME/admin/plugins/uninstall", {"plugin": "memo"}, "plugin.uninstalled", lambda r: "memo")
    step("/c/ACME/admin/plugins/install", {"plugin": "memo"}, "plugin.installed", lambda r: "memo 1.0.0")
    step(
        "/c/ACME/admin/users", {"username": "bob", "role": "viewer"}, "role.granted", lambda r: "bob: viewer"
    )
    step(
        "/c/ACME/admin/users/revoke",
        {"username": "bob", "role": "viewer"},
        "role.revoked",
        lambda r: "bob: viewer",
    )
    step("/c/ACME/admin/", {"name": "ACME Ltd", "timezone": "Europe/Paris", "fiscal_year_start_month": "1"},
         "company.changed", lambda r: "timezone=Europe/Paris")
    assert_books_ok(acme, "ACME")

    items = get_json(ann, "/c/ACME/admin/audit")["items"]
    assert [(i["action"], i["detail"]) for i in items] == steps[::-1]  # sign-ins belong to no company
    assert {(i["username"], i["address"]) for i in items} == {("ann", ADDRESS)}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", i["created_at"]) for i in items)
    assert [i["action"] for i in get_json(ann, "/c/ACME/admin/audit?q=role.")["items"]] == ["role.revoked",
                                                                                          "role.granted"]
    assert len(read_csv(ann.get("/c/ACME/admin/audit?format=csv"))) == len(steps) + 1

    viv = signed_in(app, "viv", address="10.9.8.7")
    assert viv.get("/c/ACME/admin/audit").status_code == 403
    assert viv.get("/c/ACME/admin/audit", headers=JSON).status_code == 403
    newest = get_json(ann, "/c/ACME/admin/audit")["items"][0]
    assert (newest["username"], newest["action"], newest["address"], newest["detail"]) == (
        "viv", "permission.denied", "10.9.8.7", "audit.view at /c/ACME/admin/audit")
    assert since < last_audit_id(acme)


def test_another_companys_audit_rows_never_show(app, acme, ann):
    oli = signed_in(app, "oli", address="10.0.0.99")
    (theirs,) = seed(acme, "OTHER", [Draft("2024-01-02", [Leg("1100", 5), Leg("4000", -5)])])
    assert (
        oli.post(f"/c/OTHER/ledger/transactions/{theirs.id}/reverse", data={"date": "2024-01-03"}).status_code
        == 302
    )
    assert oli.post("/c/OTHER/admin/", data={"name": "Other Name", "timezone": "UTC",
                                             "fiscal_year_start_month": "7"}).status_code == 302
    assert oli.post("/c/OTHER/admin/users", data={"username": "viv", "role": "viewer"}).status_code == 302
    assert ann.post("/c/ACME/admin/users", data={"username": "bob2", "role": "viewer",
                                                 "password": PASSWORD}).status_code == 302
    theirs_page = get_json(oli, "/c/OTHER/admin/audit")["items"]
    assert {i["action"] for i in theirs_page} == {"ledger.reversed", "company.changed", "role.granted"}
    ours = get_json(ann, "/c/ACME/admin/audit")["items"]
    assert [(i["username"], i["action"], i["detail"]) for i in ours] == [
        ("ann", "role.granted", "bob2: viewer")
    ]
    for q in ("oli", "reversed", "fiscal", "viv"):
        assert get_json(ann, f"/c/ACME/admin/audit?q={q}")["items"] == [], q
    assert "oli" not in ann.get("/c/ACME/admin/audit?format=csv").get_data(True)
    assert ann.get("/c/OTHER/admin/audit").status_code == 404


# -- CSRF on every POST route ---------------------------------------------------------------

def _token(client, url="/c/ACME/ledger/post") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(True))[1]


# What each POST route would accept with a token, in an order in which each succeeds.
ACCEPTED = [
    ("auth.login", {"username": "ann", "password": PASSWORD}),
    ("shell.preferences", {"locale": "en"}),
    ("ledger.post", journal("2024-07-01", "csrf", ("1100", "10", ""), ("4000", "", "10"))),
    ("ledger.reverse", {"date": "2024-07-02"}),
    ("parties.new_party", {"code": "CSRF", "name": "Forged", "kind": "person"}),
    ("products.new_product", {"sku": "CSRF", "name": "Forged", "unit": "pcs"}),
    ("admin.index", {"name": "Forged Ltd", "timezone": "UTC", "fiscal_year_start_month": "3"}),
    ("admin.uninstall_plugin", {"plugin": "memo"}),
    ("admin.install_plugin", {"plugin": "memo"}),
    ("admin.users", {"username": "viv", "role": "accountant"}),
    ("admin.revoke_role", {"username": "viv", "role": "viewer"}),
    ("auth.logout", {}),
]


def test_every_post_route_without_a_csrf_token_is_400_and_writes_nothing(acme):
    app = make_app(acme)  # CSRF on
    (txn,) = seed(acme, "ACME", [Draft("2024-07-01", [Leg("1100", 10), Leg("4000", -10)])])
    client = app.test_client()
    client.post(
        "/login", data={"username": "ann", "password": PASSWORD, "csrf_token": _token(client, "/login")}
    )
    assert client.get("/c/ACME/").status_code == 200
    posts = {rule.endpoint: rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    known = dict(ACCEPTED)
    assert set(known) <= set(posts)
    unknown = sorted(set(posts) - set(known))
    everything = {k: v for _, data in ACCEPTED for k, v in data.items()}
    for endpoint in unknown + [name for name, _ in ACCEPTED]:
        url = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: "ACME" if m[1] == "company" else str(txn.id), posts[endpoint].rule
        )
        data = known.get(endpoint, everything)
        before = snapshot(acme)
        for forged in ({}, {"csrf_token": "not-a-token"}):
            refused = client.post(url, data={**data, **forged})
            assert refused.status_code == 400, (endpoint, refused.status_code)
            assert "did not come from this site" in refused.get_data(True)
        assert snapshot(acme) == before, endpoint
        if endpoint in known:  # the same request with the token goes through: the token was all it lacked
            done = client.post(url, data={**data, "csrf_token": _token(client)})
            assert done.status_code < 400, (endpoint, done.status_code, done.get_data(True)[:300])
            assert snapshot(acme) != before, endpoint
    assert_books_ok(acme, "ACME")

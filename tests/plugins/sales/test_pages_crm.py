"""The CRM's pages through the test client: every route declares its
permission, another company's pages (or one without sales) answer 404,
each role opens what it may, CSRF guards every POST, lists answer JSON and
CSV, the menu and the dashboard tiles."""

from __future__ import annotations

import re

import pytest

from tests.plugins.sales.conftest import combo, sdb  # noqa: F401
from tests.plugins.sales.pages_crm import S, ann, app, everyone, sample, site, snapshot, token  # noqa: F401
from tests.web.conftest import PASSWORD, make_app
from tests.web.pages import JSON, get_json, read_csv, signed_in
from web.access import PUBLIC, needs

VIEW, CRM, MANAGE = "sales.view", "sales.crm", "sales.manage"
PERMISSIONS = {
    "sales.leads": VIEW,
    "sales.lead": VIEW,
    "sales.opportunities": VIEW,
    "sales.opportunity": VIEW,
    "sales.board": VIEW,
    "sales.activities": VIEW,
    "sales.activity": VIEW,
    "sales.stages": VIEW,
    "sales.scoring": VIEW,
    "sales.new_lead": CRM,
    "sales.import_leads": CRM,
    "sales.qualify_lead": CRM,
    "sales.disqualify_lead": CRM,
    "sales.convert_lead": CRM,
    "sales.edit_lead": CRM,
    "sales.new_opportunity": CRM,
    "sales.edit_opportunity": CRM,
    "sales.move_opportunity": CRM,
    "sales.win_opportunity": CRM,
    "sales.lose_opportunity": CRM,
    "sales.reopen_opportunity": CRM,
    "sales.new_activity": CRM,
    "sales.complete_activity": CRM,
    "sales.new_stage": MANAGE,
    "sales.edit_stage": MANAGE,
    "sales.new_lost_reason": MANAGE,
    "sales.retire_lost_reason": MANAGE,
    "sales.new_scoring_rule": MANAGE,
    "sales.remove_scoring_rule": MANAGE,
    "sales.train_model": MANAGE,
    "sales.enquiry": PUBLIC,
    "sales.enquiry_sent": PUBLIC,
}


def crm_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint in PERMISSIONS]


def test_every_crm_route_declares_the_permission_it_needs(app):
    declared = {rule.endpoint: needs(app.view_functions[rule.endpoint]) for rule in crm_rules(app)}
    assert declared == PERMISSIONS
    assert all(rule.rule.startswith("/c/<company>/sales/") for rule in crm_rules(app))


def _calls(app, sample, public=False):
    for rule in crm_rules(app):
        if (PERMISSIONS[rule.endpoint] == PUBLIC) != public:
            continue
        values = {**sample, "number": sample["deal"] if "opportunit" in rule.endpoint else sample["number"]}
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "ACME" if m[1] == "company" else values[m[1]], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, url


def test_another_companys_pages_or_one_without_sales_are_404(everyone, sample):
    app = make_app(everyone, WTF_CSRF_ENABLED=False)
    amy, oli = signed_in(app, "amy"), signed_in(app, "oli")
    before = snapshot(everyone)
    for _rule, method, url in _calls(app, sample):
        assert amy.open(url.replace("/c/ACME/", "/c/PLAIN/"), method=method).status_code == 404, (method, url)
        assert oli.open(url, method=method, headers=JSON).status_code == 404, (method, url)
        # OTHER's own pages do not show ACME's rows either.
        if method == "GET" and any(k in url for k in sample.values()):
            assert oli.get(url.replace("/c/ACME/", "/c/OTHER/")).status_code == 404, url
    anonymous = app.test_client()
    for _rule, method, url in _calls(app, sample, public=True):
        for company in ("PLAIN", "NOPE"):
            assert anonymous.open(url.replace("/c/ACME/", f"/c/{company}/"), method=method).status_code == 404
    assert snapshot(everyone) == before


@pytest.mark.parametrize("user, allowed", [
    ("viv", {VIEW}),                # a viewer reads everything, changes nothing
    ("sam", {VIEW, CRM}),           # a salesperson works leads and deals but sets nothing up
    ("max", {VIEW, CRM, MANAGE}),   # a sales manager sets up too
])
def test_each_role_opens_what_its_permissions_allow(everyone, sample, user, allowed):
    app = make_app(everyone, WTF_CSRF_ENABLED=False)
    client = signed_in(app, user)
    before = snapshot(everyone)
    for rule, method, url in _calls(app, sample):
        if PERMISSIONS[rule.endpoint] not in allowed:
            assert client.open(url, method=method).status_code == 403, (user, method, url)
        elif method == "GET":
            assert client.get(url).status_code in (200, 302), (user, url)
    assert snapshot(everyone) == before
    page = client.get("/c/ACME/").get_data(True)
    assert f'href="{S}/leads"' in page and f'href="{S}/board"' in page  # the menu
    assert "Overdue activities" in page and "Call Minji" in page  # the dashboard tile
    lead = client.get(f"{S}/leads/{sample['number']}").get_data(True)
    assert ("/convert" in lead) == (CRM in allowed)  # the buttons follow the permissions
    scoring = client.get(f"{S}/scoring").get_data(True)
    assert ("/scoring/train" in scoring) == (MANAGE in allowed)


def test_every_crm_post_without_a_csrf_token_is_400_and_writes_nothing(site, sample):
    app = make_app(site)  # CSRF on
    number, deal = sample["number"], sample["deal"]
    accepted = [  # (endpoint, url, data): each goes through with its token, in this order
        ("sales.new_lead", f"{S}/leads/-/new", {"contact_name": "Ho Lee", "source": "manual", "owner": ""}),
        ("sales.qualify_lead", f"{S}/leads/{number}/qualify", {}),
        (
            "sales.edit_lead",
            f"{S}/leads/{number}/edit",
            {"contact_name": "Minji Park", "employees": "40", "owner": "ann"},
        ),
        ("sales.import_leads", f"{S}/leads/-/import", None),
        ("sales.disqualify_lead", f"{S}/leads/LD00002/disqualify", {"reason": "a student"}),
        (
            "sales.convert_lead",
            f"{S}/leads/{number}/convert",
            {
                "new_party": "JEONJU",
                "opportunity": "y",
                "name": "Jeonju",
                "expected_revenue": "500000",
                "stage": "New",
                "owner": "ann",
            },
        ),
        (
            "sales.new_opportunity",
            f"{S}/opportunities/-/new",
            {"name": "Pens", "stage": "New", "owner": "", "expected_revenue": "1000"},
        ),
        (
            "sales.edit_opportunity",
            f"{S}/opportunities/{deal}/edit",
            {
                "name": "Paper for two years",
                "stage": "Qualified",
                "owner": "ann",
                "expected_revenue": "2000000",
            },
        ),
        ("sales.move_opportunity", f"{S}/opportunities/{deal}/move", {"stage": "Proposal"}),
        ("sales.win_opportunity", f"{S}/opportunities/{deal}/won", {}),
        ("sales.reopen_opportunity", f"{S}/opportunities/{deal}/reopen", {}),
        ("sales.lose_opportunity", f"{S}/opportunities/{deal}/lost", {"reason": "No budget"}),
        (
            "sales.new_activity",
            f"{S}/activities/-/new",
            {"kind": "meeting", "subject": "Demo", "due": "2026-12-01", "owner": "ann", "opportunity": deal},
        ),
        ("sales.complete_activity", f"{S}/activities/{sample['activity_id']}/done", {"outcome": "agreed"}),
        ("sales.new_stage", f"{S}/stages/-/new", {"name": "Verbal yes", "probability": "90"}),
        (
            "sales.edit_stage",
            f"{S}/stages/{sample['stage_id']}/edit",
            {"name": "Fresh", "probability": "5", "active": "y"},
        ),
        ("sales.new_lost_reason", f"{S}/lost-reasons/-/new", {"name": "Bad timing"}),
        ("sales.retire_lost_reason", f"{S}/lost-reasons/{sample['reason_id']}/retire", {}),
        (
            "sales.new_scoring_rule",
            f"{S}/scoring/rules/-/new",
            {"field": "employees", "operator": "at_least", "value": "100", "points": "10"},
        ),
        ("sales.remove_scoring_rule", f"{S}/scoring/rules/{sample['rule_id']}/remove", {}),
    ]
    posts = {rule.endpoint for rule in crm_rules(app) if "POST" in rule.methods}
    assert posts - {"sales.enquiry", "sales.train_model"} == {endpoint for endpoint, _url, _data in accepted}
    client = app.test_client()
    client.post(
        "/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token(client, "/login")}
    )
    for endpoint, url, data in accepted:
        def form(extra):
            if data is None:  # the CSV upload
                import io

                return {"file": (io.BytesIO(b"name,email\nAra Kim,ara@gmail.com\n"), "leads.csv"), **extra}
            return {**data, **extra}

        before = snapshot(site)
        for forged in ({}, {"csrf_token": "not-a-token"}):
            refused = client.post(url, data=form(forged))
            assert refused.status_code == 400, (endpoint, refused.status_code)
            assert "did not come from this site" in refused.get_data(True)
        assert snapshot(site) == before, endpoint
        done = client.post(url, data=form({"csrf_token": token(client)}))
        assert done.status_code == 302, (endpoint, done.status_code, done.get_data(True)[-800:])
        assert snapshot(site) != before, endpoint


LISTS = ["leads", "opportunities", "activities"]


def test_every_list_answers_json_and_csv_and_every_page_json(ann, sample):
    for name in LISTS:
        items = get_json(ann, f"{S}/{name}")["items"]
        assert items, name
        assert len(read_csv(ann.get(f"{S}/{name}?format=csv"))) == len(items) + 1
    assert get_json(ann, f"{S}/leads/{sample['number']}")["contact_name"] == "Minji Park"
    assert "http://localhost/c/ACME/sales/enquiry" in ann.get(f"{S}/leads").get_data(True)
    deal = get_json(ann, f"{S}/opportunities/{sample['deal']}")
    assert (deal["weighted"], deal["probability"], deal["customer"]) == ("100000", 10, "C1")
    board = get_json(ann, f"{S}/board")
    assert [(s["name"], s["count"]) for s in board["stages"]] == [
        ("New", 1),
        ("Qualified", 0),
        ("Proposal", 0),
        ("Negotiation", 0),
    ]
    assert get_json(ann, f"{S}/activities/{sample['activity_id']}")["overdue"] is True
    assert [s["name"] for s in get_json(ann, f"{S}/stages")["stages"]][0] == "New"
    assert get_json(ann, f"{S}/scoring")["rules"][0]["label"] == "a referral"
    for url in (f"{S}/leads?state=bogus", f"{S}/leads?sort=nope", f"{S}/activities?overdue=2",
                f"{S}/opportunities?page=0"):
        assert ann.get(url).status_code == 400, url
    for url in (f"{S}/leads/LD09999", f"{S}/opportunities/OP09999", f"{S}/activities/99999",
                f"{S}/stages/99999/edit"):
        assert ann.get(url).status_code == 404, url


def test_the_crm_pages_work_in_every_combination(combo):
    sdb, _company, plugins = combo
    from tests.web.conftest import add_user

    add_user(sdb, "ann", {"ACME": "admin"})
    ann = signed_in(make_app(sdb, WTF_CSRF_ENABLED=False), "ann")
    assert ann.post(f"{S}/leads/-/new", data={"contact_name": "Minji", "organisation": "Jeonju Paper",
                                              "source": "event", "owner": "ann"}).status_code == 302
    assert ann.post(f"{S}/leads/LD00001/convert", data={"new_party": "JEONJU", "opportunity": "y",
                                                        "expected_revenue": "900000", "stage": "New",
                                                        "owner": "ann"}).status_code == 302
    assert ann.post(f"{S}/opportunities/OP00001/won").status_code == 302
    for url in ("leads", "opportunities", "board", "activities", "stages", "scoring", "leads/LD00001",
                "opportunities/OP00001", "enquiry"):
        assert ann.get(f"{S}/{url}").status_code == 200, (plugins, url)
    party = ann.get("/c/ACME/parties/JEONJU").get_data(True)
    assert "Opportunity OP00001 won" in party and "Lead LD00001 converted" in party
    assert "Overdue activities" in ann.get("/c/ACME/").get_data(True)

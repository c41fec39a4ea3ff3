"""WMS's web pages through the test client: who may open what (every route
declares its permission; another company, each role), CSRF on every POST,
JSON and CSV on the lists, 400 for bad query parameters, the menu and the
dashboard.

The fixtures and helpers are in pages.py, shared with the other ``test_pages_*.py`` files.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from core.companies import get_company
from plugins.wms.counts import open_count
from plugins.wms.documents import Count, CountState, Proposal, Putaway, ReorderRule, Wave, WaveState
from plugins.wms.operations import confirm, find_operation
from plugins.wms.picking import create_wave
from plugins.wms.places import find_location, set_count_frequency
from plugins.wms.putaway import add_rule
from plugins.wms.replenishment import replenish, set_rule
from tests.plugins.wms.conftest import make_stock_company
from tests.plugins.wms.pages import W, ann, app, deliver, everyone, receive, site, snapshot, sound  # noqa: F401
from tests.web.conftest import PASSWORD, add_user, make_app
from tests.web.pages import JSON, get_json, read_csv, signed_in
from web.access import needs

VIEW, OPERATE, COUNT, APPROVE = "wms.view", "wms.operate", "wms.count", "wms.approve"
PERMISSIONS = {
    "wms.home": VIEW, "wms.stock": VIEW, "wms.card": VIEW, "wms.valuation": VIEW, "wms.operations": VIEW,
    "wms.operation": VIEW,
    "wms.settings": VIEW, "wms.warehouses": VIEW, "wms.locations": VIEW, "wms.product_rules": VIEW,
    "wms.putaway_rules": VIEW, "wms.counts": VIEW, "wms.count": VIEW, "wms.waves": VIEW, "wms.wave": VIEW,
    "wms.reorder_rules": VIEW, "wms.replenishment": VIEW, "wms.proposals": VIEW,
    "wms.new_operation": OPERATE, "wms.validate": OPERATE, "wms.confirm": OPERATE, "wms.reserve": OPERATE,
    "wms.unreserve": OPERATE, "wms.cancel": OPERATE, "wms.pick": OPERATE, "wms.pack": OPERATE,
    "wms.new_wave": OPERATE, "wms.pick_wave": OPERATE, "wms.finish_wave": OPERATE, "wms.cancel_wave": OPERATE,
    "wms.plan_counts": COUNT, "wms.open_count": COUNT, "wms.record_count": COUNT, "wms.cancel_count": COUNT,
    "wms.edit_settings": APPROVE, "wms.new_warehouse": APPROVE, "wms.new_location": APPROVE,
    "wms.edit_rules": APPROVE, "wms.new_putaway": APPROVE, "wms.remove_putaway": APPROVE,
    "wms.approve_count": APPROVE, "wms.set_reorder_rule": APPROVE, "wms.remove_reorder_rule": APPROVE,
    "wms.replenish": APPROVE, "wms.dismiss_proposal": APPROVE,
}


def wms_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("wms.")]


def test_every_wms_route_declares_the_permission_it_needs(app):
    declared = {rule.endpoint: needs(app.view_functions[rule.endpoint]) for rule in wms_rules(app)}
    assert declared == PERMISSIONS
    assert all(rule.rule.startswith("/c/<company>/wms/") for rule in wms_rules(app))


@pytest.fixture
def sample(everyone):
    """A done receipt, a draft, a ready delivery, a putaway rule, a count, a wave, a reorder rule and a
    proposal: something behind every URL."""
    site = everyone
    done = receive(site, ("PEN", "50", "500"))
    draft = receive(site, ("PAPER", "3", "9000"), validated=False)
    ready = deliver(site, ("PEN", "5"))
    waved = deliver(site, ("PEN", "1"))
    with site.session() as s:
        company = get_company(s, "ACME")
        rule = add_rule(s, company, "MAIN/A/01/B1", product="PAPER").id
        sheet = open_count(s, company, "LOC-B1").number
        wave = create_wave(s, company, "MAIN", [waved]).number
        reorder = set_rule(s, company, "PAPER", "MAIN", minimum="5", maximum="10").id
        proposal = replenish(s, company)[0].proposal_id
    return {
        "done": done,
        "draft": draft,
        "ready": ready,
        "sku": "PEN",
        "rule_id": str(rule),
        "count_number": sheet,
        "wave_number": wave,
        "reorder_id": str(reorder),
        "proposal_id": str(proposal),
    }


def _calls(app, sample):
    for rule in wms_rules(app):
        number = sample["draft"] if rule.endpoint in ("wms.confirm", "wms.validate") else sample["ready"]
        values = {
            "number": number,
            **{
                key: sample[key]
                for key in ("sku", "rule_id", "count_number", "wave_number", "reorder_id", "proposal_id")
            },
        }
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "ACME" if m[1] == "company" else values[m[1]], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, url


def test_a_company_without_wms_or_not_ones_own_is_404(app, site, sample):
    amy, oli = signed_in(app, "amy"), signed_in(app, "oli")
    before = snapshot(site)
    for _rule, method, url in _calls(app, sample):
        assert amy.open(url.replace("/c/ACME/", "/c/PLAIN/"), method=method).status_code == 404, (method, url)
        assert oli.open(url, method=method, headers=JSON).status_code == 404, (method, url)
    assert snapshot(site) == before


@pytest.mark.parametrize("user, allowed", [
    ("viv", {VIEW}),                # a viewer reads everything, changes nothing
    ("sam", {VIEW, OPERATE, COUNT}),  # a storekeeper moves and counts stock but sets nothing up
])
def test_each_role_opens_what_its_permissions_allow(app, site, sample, user, allowed):
    client = signed_in(app, user)
    before = snapshot(site)  # without the audit trail, where each refusal is kept
    for rule, method, url in _calls(app, sample):
        if PERMISSIONS[rule.endpoint] not in allowed:
            assert client.open(url, method=method).status_code == 403, (user, method, url)
        elif method == "GET":
            assert client.get(url).status_code in (200, 302), (user, url)
    assert snapshot(site) == before
    page = client.get("/c/ACME/").get_data(True)
    assert f'href="{W}/stock"' in page and f'href="{W}/operations"' in page  # the menu
    detail = client.get(f"{W}/operations/{sample['ready']}").get_data(True)
    assert ("/unreserve" in detail) == (OPERATE in allowed)  # the buttons follow the permissions


def _token(client, url=f"{W}/operations/-/new") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(True))[1]


def test_every_wms_post_without_a_csrf_token_is_400_and_writes_nothing(site):
    app = make_app(site)  # CSRF on
    draft = receive(site, ("PAPER", "3", "9000"), validated=False)
    receipt = receive(site, ("PEN", "5", "500"), validated=False)
    short = deliver(site, ("PEN", "5"))  # confirmed while nothing is in stock: nothing reserved
    today = dt.date.today().isoformat()
    receive(site, ("PEN", "20", "500"))
    picked, waved, left = (
        deliver(site, ("PEN", "2")),
        deliver(site, ("PEN", "2")),
        deliver(site, ("PEN", "2")),
    )
    with site.session() as s:
        company = get_company(s, "ACME")
        set_count_frequency(s, find_location(s, company, "MAIN/A/01/B1"), 30)
        dropped = create_wave(s, company, "MAIN", [left]).number

    def rule_id():
        with site.session() as s:
            return s.scalar(select(Putaway.id))

    def latest(model, column="number", **where):
        def url(template):
            def made():
                with site.session() as s:
                    found = s.scalars(select(model).filter_by(**where).order_by(model.id.desc())).first()
                    return template.format(getattr(found, column))
            return made
        return url

    accepted = [  # (endpoint, url, data): each goes through with its token, in this order
        (
            "wms.new_operation",
            f"{W}/operations/-/new",
            {"kind": "receipt", "warehouse": "MAIN", "lines-0-product": "PEN", "lines-0-quantity": "2"},
        ),
        ("wms.confirm", f"{W}/operations/{draft}/confirm", {}),
        (
            "wms.validate",
            f"{W}/operations/{receipt}/validate",
            {"date": today, "done-0-product": "PEN", "done-0-quantity": "5"},
        ),
        ("wms.reserve", f"{W}/operations/{short}/reserve", {}),
        ("wms.unreserve", f"{W}/operations/{short}/unreserve", {}),
        ("wms.cancel", f"{W}/operations/{short}/cancel", {}),
        ("wms.edit_settings", f"{W}/settings/edit", {"removal": "fefo", "cost_method": "fifo"}),
        ("wms.new_warehouse", f"{W}/warehouses/-/new", {"code": "WEST", "name": "West depot"}),
        ("wms.new_location", f"{W}/locations/-/new", {"parent": "MAIN/A", "code": "02"}),
        (
            "wms.edit_rules",
            f"{W}/products/PAPER/rules",
            {"tracking": "none", "removal": "fefo", "cost_method": "", "standard_cost": "9000"},
        ),
        ("wms.new_putaway", f"{W}/putaway/-/new", {"location": "LOC-B1", "product": "PEN"}),
        ("wms.remove_putaway", lambda: f"{W}/putaway/{rule_id()}/remove", {}),
        ("wms.plan_counts", f"{W}/counts/-/plan", {}),
        ("wms.open_count", f"{W}/counts/-/open", {"location": "LOC-B2"}),
        (
            "wms.record_count",
            latest(Count, state=CountState.DRAFT)(W + "/counts/{}/record"),
            {"found-0-product": "PEN", "found-0-counted": "0"},
        ),
        ("wms.approve_count", latest(Count, state=CountState.COUNTED)(W + "/counts/{}/approve"), {}),
        ("wms.cancel_count", latest(Count, state=CountState.DRAFT)(W + "/counts/{}/cancel"), {}),
        (
            "wms.pick",
            f"{W}/operations/{picked}/pick",
            {"location": "MAIN", "product": "PEN", "quantity": "2"},
        ),
        ("wms.pack", f"{W}/operations/{picked}/pack", {}),
        ("wms.new_wave", f"{W}/waves/-/new", {"warehouse": "MAIN", "operations": waved}),
        (
            "wms.pick_wave",
            latest(Wave, state=WaveState.OPEN)(W + "/waves/{}/pick"),
            {"location": "MAIN", "product": "PEN", "quantity": "2"},
        ),
        ("wms.finish_wave", latest(Wave, state=WaveState.OPEN)(W + "/waves/{}/finish"), {}),
        ("wms.cancel_wave", f"{W}/waves/{dropped}/cancel", {}),
        (
            "wms.set_reorder_rule",
            f"{W}/reorder-rules/-/set",
            {"product": "PAPER", "warehouse": "MAIN", "minimum": "5", "maximum": "10", "route": "purchase"},
        ),
        ("wms.replenish", f"{W}/replenishment/run", {}),
        ("wms.dismiss_proposal", latest(Proposal, "id")(W + "/proposals/{}/dismiss"), {}),
        ("wms.remove_reorder_rule", latest(ReorderRule, "id")(W + "/reorder-rules/{}/remove"), {}),
    ]
    posts = {rule.endpoint for rule in wms_rules(app) if "POST" in rule.methods}
    assert posts == {endpoint for endpoint, _url, _data in accepted}
    client = app.test_client()
    client.post(
        "/login", data={"username": "ann", "password": PASSWORD, "csrf_token": _token(client, "/login")}
    )
    for endpoint, url, data in accepted:
        url = url() if callable(url) else url
        before = snapshot(site)
        for forged in ({}, {"csrf_token": "not-a-token"}):
            refused = client.post(url, data={**data, **forged})
            assert refused.status_code == 400, (endpoint, refused.status_code)
            assert "did not come from this site" in refused.get_data(True)
        assert snapshot(site) == before, endpoint
        done = client.post(url, data={**data, "csrf_token": _token(client)})
        assert done.status_code == 302, (endpoint, done.status_code, done.get_data(True)[-800:])
        assert snapshot(site) != before, endpoint
    sound(site)


LISTS = ["stock", "operations", "warehouses", "locations", "products", "putaway"]


def test_every_list_answers_json_and_csv_and_every_page_json(ann, site):
    done = receive(site, ("PEN", "50", "500"))
    deliver(site, ("PEN", "5"))
    with site.session() as s:
        add_rule(s, get_company(s, "ACME"), "MAIN/A/01/B1", product="PAPER")
    for name in LISTS:
        items = get_json(ann, f"{W}/{name}")["items"]
        assert items, name
        table = read_csv(ann.get(f"{W}/{name}?format=csv"))
        assert len(table) == len(items) + 1, name  # the header, then every row
    operation = get_json(ann, f"{W}/operations/{done}")
    assert (operation["number"], operation["state"], operation["moves"][0]["unit_cost"]) == (
        done,
        "done",
        "500",
    )
    assert get_json(ann, f"{W}/settings")["valued"] is True
    assert get_json(ann, f"{W}/stock/PEN")["balance"] == "50"  # 5 more are reserved, not gone


BAD_QUERIES = [
    "operations?kind=return",
    "operations?state=lost",
    "operations?late=yes",
    "operations?warehouse=NOPE",
    "operations?sort=colour",
    "stock?product=NOPE",
    "stock?location=NOWHERE",
    "stock?page=0",
    "stock/PEN?days=0",
    "stock/PEN?days=x",
    "stock/PEN?location=NOWHERE",
    "locations?warehouse=NOPE",
]


def test_bad_query_parameters_answer_400_with_a_message(ann):
    for query in BAD_QUERIES:
        assert ann.get(f"{W}/{query}").status_code == 400, query
        assert get_json(ann, f"{W}/{query}", status=400)["error"], query


def test_the_dashboard_shows_stock_operations_to_do_and_turnover(app, site):
    receive(site, ("PEN", "50", "500"))
    receive(site, ("PAPER", "3", "9000"), validated=False)
    deliver(site, ("PEN", "5"))
    late = receive(site, ("PAPER", "1", "9000"), validated=False, scheduled="2020-01-01")
    with site.session() as s:
        confirm(s, get_company(s, "ACME"), find_operation(s, get_company(s, "ACME"), late))
    page = signed_in(app, "ann").get("/c/ACME/").get_data(True)
    for title in ("Stock value by category", "Operations to do", "Inventory turnover"):
        assert f"<h2>{title}</h2>" in page
    assert "stationery" in page and "₩25,000" in page  # 50 pens at 500 (5 of them only reserved)
    assert "Receipts: 1 ready" in page and "Deliveries: 1 ready" in page
    assert f'href="{W}/operations?late=1"' in page and "1 late" in page
    assert [i["number"] for i in get_json(signed_in(app, "ann"), f"{W}/operations?late=1")["items"]] == [late]
    make_stock_company(site, "BARE", valued=False)  # quantities only: units, not value
    receive(site, ("PEN", "7"), code="BARE")
    add_user(site, "ben", {"BARE": "admin"})
    bare = signed_in(app, "ben").get("/c/BARE/").get_data(True)
    assert "<h2>Units in stock by category</h2>" in bare and "stationery" in bare

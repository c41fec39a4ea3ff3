"""Procurement's web pages through the test client: who may open what (every
route declares its permission; another company, a company without
procurement, each role), CSRF on every POST (400, nothing written), JSON and
CSV on the lists, 400 for bad query parameters.

The fixtures and helpers are in pages.py, shared with the other ``test_pages_*.py`` files.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from core.companies import get_company
from plugins.procurement.billing import BillLineInput, enter_bill
from plugins.procurement.models import Bill, BillState
from plugins.procurement.orders import OrderLineInput, create_order
from tests.plugins.procurement.pages import (  # noqa: F401
    P,
    ann,
    app,
    everyone,
    make_sample,
    sample,
    site,
    snapshot,
    sound,
    token,
)
from tests.web.conftest import PASSWORD, make_app
from tests.web.pages import get_json, read_csv, signed_in
from web.access import needs

VIEW, BUY, APPROVE = "procurement.view", "procurement.buy", "procurement.approve"
PERMISSIONS = {
    "procurement.home": VIEW,
    "procurement.settings": VIEW,
    "procurement.catalogue": VIEW,
    "procurement.requisitions": VIEW,
    "procurement.requisition": VIEW,
    "procurement.rfqs": VIEW,
    "procurement.rfq": VIEW,
    "procurement.orders": VIEW,
    "procurement.order": VIEW,
    "procurement.bills": VIEW,
    "procurement.bill": VIEW,
    "procurement.performance": VIEW,
    "procurement.risk": VIEW,
    "procurement.single_source": VIEW,
    "procurement.set_catalogue": BUY,
    "procurement.remove_catalogue": BUY,
    "procurement.new_requisition": BUY,
    "procurement.cancel_requisition": BUY,
    "procurement.new_rfq": BUY,
    "procurement.record_quote": BUY,
    "procurement.choose_quote": BUY,
    "procurement.cancel_rfq": BUY,
    "procurement.new_order": BUY,
    "procurement.confirm_order": BUY,
    "procurement.cancel_order": BUY,
    "procurement.receive": BUY,
    "procurement.return_goods": BUY,
    "procurement.new_bill": BUY,
    "procurement.edit_settings": APPROVE,
    "procurement.approve_order": APPROVE,
    "procurement.release_bill": APPROVE,
    "procurement.refuse_bill": APPROVE,
    "procurement.pay_bill": APPROVE,
}


def rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("procurement.")]


def test_every_procurement_route_declares_the_permission_it_needs(app):
    declared = {rule.endpoint: needs(app.view_functions[rule.endpoint]) for rule in rules(app)}
    assert declared == PERMISSIONS
    assert all(rule.rule.startswith("/c/<company>/procurement/") for rule in rules(app))


def _calls(app, sample):
    for rule in rules(app):
        number = {"procurement.requisition": sample["requisition"], "procurement.cancel_requisition":
                  sample["requisition"], "procurement.new_rfq": sample["requisition"],
                  "procurement.confirm_order": sample["draft"], "procurement.cancel_order": sample["draft"],
                  "procurement.bill": sample["held"], "procurement.release_bill": sample["held"],
                  "procurement.pay_bill": sample["posted"]}.get(rule.endpoint)
        if number is None:
            number = sample["rfq"] if "rfq" in rule.rule else sample["order"]
        values = {"number": number, "supplier": sample["supplier"], "sku": sample["sku"]}
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "ACME" if m[1] == "company" else values[m[1]], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, url


def test_a_company_without_procurement_or_not_ones_own_is_404(app, site, sample):
    amy, oli = signed_in(app, "amy"), signed_in(app, "oli")
    before = snapshot(site)
    for _rule, method, url in _calls(app, sample):
        assert amy.open(url.replace("/c/ACME/", "/c/PLAIN/"), method=method).status_code == 404, (method, url)
        assert oli.open(url, method=method).status_code == 404, (method, url)
    assert snapshot(site) == before
    # oli sees OTHER's (empty) pages, never ACME's documents
    assert get_json(oli, "/c/OTHER/procurement/orders")["items"] == []
    assert oli.get(f"/c/OTHER/procurement/orders/{sample['order']}").status_code == 404


@pytest.mark.parametrize("user, allowed", [
    ("viv", {VIEW}),                  # a viewer reads everything, changes nothing
    ("bob", {VIEW, BUY}),             # a buyer orders, receives, bills; approves and releases nothing
    ("max", {VIEW, BUY, APPROVE}),    # a purchasing manager does everything
])
def test_each_role_opens_what_its_permissions_allow(app, site, sample, user, allowed):
    client = signed_in(app, user)
    before = snapshot(site)
    for rule, method, url in _calls(app, sample):
        if PERMISSIONS[rule.endpoint] not in allowed:
            assert client.open(url, method=method).status_code == 403, (user, method, url)
        elif method == "GET":
            assert client.get(url).status_code in (200, 302), (user, url)
    assert snapshot(site) == before
    page = client.get("/c/ACME/").get_data(True)
    assert f'href="{P}/orders"' in page and f'href="{P}/performance"' in page  # the menu
    held = client.get(f"{P}/bills/{sample['held']}").get_data(True)
    assert ("/release" in held) == (APPROVE in allowed)   # the buttons follow the permissions
    order = client.get(f"{P}/orders/{sample['order']}").get_data(True)
    assert ("/receive" in order) == (BUY in allowed)


def test_every_procurement_post_without_a_csrf_token_is_400_and_writes_nothing(site, everyone):
    app = make_app(site)  # CSRF on
    sample = make_sample(site)
    today = dt.date.today().isoformat()
    waiting = sample["draft"]
    with site.session() as s:  # bob writes it: ann may approve it (nobody approves their own order)
        big = create_order(s, get_company(s, "ACME"), "S3", [OrderLineInput("INK", "30")], by="bob").number
        doubtful = enter_bill(s, get_company(s, "ACME"), sample["order"], "S1-INV-X",
                              [BillLineInput("PAPER", "1", "99999")]).number  # held: to refuse

    accepted = [  # (endpoint, url, data): each goes through with its token, in this order
        (
            "procurement.edit_settings",
            f"{P}/settings/edit",
            {
                "approval_threshold": "100000",
                "quantity_tolerance": "0",
                "price_tolerance": "2",
                "warehouse": "MAIN",
                "quote_days": "10",
            },
        ),
        (
            "procurement.set_catalogue",
            f"{P}/catalogue/-/set",
            {"supplier": "S2", "product": "INK", "price": "5200", "currency": "KRW", "lead_time_days": "6"},
        ),
        ("procurement.remove_catalogue", f"{P}/catalogue/S2/INK/remove", {}),
        (
            "procurement.new_requisition",
            f"{P}/requisitions/-/new",
            {"date": today, "lines-0-product": "INK", "lines-0-quantity": "3"},
        ),
        (
            "procurement.new_rfq",
            f"{P}/requisitions/{sample['requisition']}/rfq",
            {"suppliers": "S1, S2", "date": today},
        ),
        (
            "procurement.record_quote",
            f"{P}/rfqs/{sample['rfq']}/quotes/S2",
            {"prices-0-product": "PEN", "prices-0-price": "280", "lead_time_days": "3", "date": today},
        ),
        ("procurement.choose_quote", f"{P}/rfqs/{sample['rfq']}/choose", {"supplier": "S2"}),
        ("procurement.cancel_rfq", f"{P}/rfqs/RFQ00002/cancel", {}),
        ("procurement.cancel_requisition", f"{P}/requisitions/{sample['requisition']}/cancel", {}),
        (
            "procurement.new_order",
            f"{P}/orders/-/new",
            {"supplier": "S3", "date": today, "lines-0-product": "INK", "lines-0-quantity": "30"},
        ),
        ("procurement.confirm_order", f"{P}/orders/{big}/confirm", {}),  # 150,000: to approve
        ("procurement.approve_order", f"{P}/orders/{big}/approve", {}),
        ("procurement.cancel_order", f"{P}/orders/{waiting}/cancel", {}),
        (
            "procurement.receive",
            f"{P}/orders/{sample['order']}/receive",
            {"date": today, "lines-0-product": "PEN", "lines-0-quantity": "40"},
        ),
        (
            "procurement.return_goods",
            f"{P}/orders/{sample['order']}/return",
            {"product": "PEN", "quantity": "1", "reason": "broken", "date": today},
        ),
        (
            "procurement.new_bill",
            f"{P}/orders/{sample['order']}/bill",
            {
                "reference": "S1-INV-3",
                "date": today,
                "lines-0-product": "PAPER",
                "lines-0-quantity": "0",
                "lines-1-product": "PEN",
                "lines-1-quantity": "39",
            },
        ),
        ("procurement.release_bill", f"{P}/bills/{sample['held']}/release", {"note": "agreed by phone"}),
        ("procurement.refuse_bill", f"{P}/bills/{doubtful}/refuse", {"note": "not ours"}),
        ("procurement.pay_bill", f"{P}/bills/{sample['posted']}/pay", {"date": today}),
    ]
    posts = {rule.endpoint for rule in rules(app) if "POST" in rule.methods}
    assert posts == {endpoint for endpoint, _url, _data in accepted}
    client = app.test_client()
    client.post(
        "/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token(client, "/login")}
    )
    for endpoint, url, data in accepted:
        url = url() if callable(url) else url
        before = snapshot(site)
        for forged in ({}, {"csrf_token": "not-a-token"}):
            refused = client.post(url, data={**data, **forged})
            assert refused.status_code == 400, (endpoint, refused.status_code)
            assert "did not come from this site" in refused.get_data(True)
        assert snapshot(site) == before, endpoint
        done = client.post(url, data={**data, "csrf_token": token(client)})
        assert done.status_code == 302, (endpoint, done.status_code, done.get_data(True)[-1500:])
        assert snapshot(site) != before, endpoint
    sound(site)
    with site.session() as s:
        assert {b.number: b.state for b in s.scalars(select(Bill))}[sample["held"]] is BillState.POSTED


LISTS = ["orders", "requisitions", "rfqs", "bills", "catalogue"]


def test_every_list_answers_json_and_csv_and_every_page_json(app, site, sample):
    ann = signed_in(app, "ann")
    for name in LISTS:
        items = get_json(ann, f"{P}/{name}")["items"]
        assert items, name
        table = read_csv(ann.get(f"{P}/{name}?format=csv"))
        assert len(table) == len(items) + 1, name  # the header, then every row
    for name in ("performance", "risk", "single-source"):
        items = get_json(ann, f"{P}/{name}")["items"]
        assert items, name
        assert len(read_csv(ann.get(f"{P}/{name}?format=csv"))) == len(items) + 1, name
    order = get_json(ann, f"{P}/orders/{sample['order']}")
    assert (order["number"], order["state"], order["receipt_state"], order["bill_state"]) == (
        sample["order"], "confirmed", "partial", "partial")
    held = get_json(ann, f"{P}/bills/{sample['held']}")
    assert held["state"] == "held" and "PEN: billed at 400" in held["held_reasons"][0]
    assert [i["number"] for i in get_json(ann, f"{P}/bills?state=held")["items"]] == [sample["held"]]
    assert get_json(ann, f"{P}/orders?late=1")["items"] == []  # everything is expected later
    comparison = get_json(ann, f"{P}/rfqs/{sample['rfq']}")["comparison"]
    assert [q["supplier"] for q in comparison["quotes"]] == ["S1", "S2"]
    assert get_json(ann, f"{P}/settings")["wms"] is True
    assert get_json(ann, f"{P}/requisitions/{sample['requisition']}")["state"] == "draft"
    page = ann.get(f"{P}/orders/{sample['order']}").get_data(True)
    assert 'href="/c/ACME/wms/operations/' in page   # the wms receipt and its backorder
    bill = ann.get(f"{P}/bills/{sample['posted']}").get_data(True)
    assert 'href="/c/ACME/finance/invoices/' in bill  # finance's document


BAD_QUERIES = [
    "orders?state=lost",
    "orders?receipt=most",
    "orders?late=yes",
    "orders?sort=colour",
    "requisitions?state=x",
    "rfqs?state=x",
    "bills?state=paid",
    "bills?paid=2",
    "catalogue?active=x",
    "orders?page=0",
    "performance?from=2026-13-01",
    "performance?from=2026-03-01&to=2026-02-01",
    "risk?to=yesterday",
    "performance?supplier=NOPE",
    "single-source?supplier=NOPE",
]


def test_bad_query_parameters_answer_4xx_with_a_message(ann, site):
    for query in BAD_QUERIES:
        status = 404 if "NOPE" in query else 400
        assert ann.get(f"{P}/{query}").status_code == status, query
        assert get_json(ann, f"{P}/{query}", status=status)["error"], query


def test_the_shared_party_and_product_pages_show_procurement_with_working_links(ann, sample):
    """The party 360° view lists the supplier's purchase orders and held bills; a product's page
    names its suppliers and last purchase price; every procurement link on them opens."""
    party = ann.get(f"/c/ACME/parties/{sample['supplier']}")
    assert party.status_code == 200
    text = party.get_data(as_text=True)
    assert f"Purchase order {sample['order']}" in text and "S1-INV-2" in text
    product = ann.get(f"/c/ACME/products/{sample['sku']}")
    assert product.status_code == 200
    text = product.get_data(as_text=True)
    assert "Suppliers" in text and "Last purchase price" in text
    links = set(re.findall(r'href="(/c/ACME/procurement/[^"]+)"', party.get_data(as_text=True) + text))
    assert f"/c/ACME/procurement/catalogue?q={sample['sku']}" in links
    assert f"/c/ACME/procurement/orders/{sample['order']}" in links
    for link in links:
        assert ann.get(link.replace("&amp;", "&")).status_code == 200, link

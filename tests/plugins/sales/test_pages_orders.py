"""The order pages: quote to cash through the browser, each role's permissions, CSRF on every POST,
another company's orders are 404, bad input is a 400 that writes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from plugins.sales.orders import LineSpec, create_quotation
from tests.plugins.sales.conftest import make_sales_company
from tests.web.conftest import PASSWORD, add_user, make_app
from tests.web.pages import get_json, signed_in, snapshot
from web.access import needs

S = "/c/ACME/sales"


@pytest.fixture
def site(sdb):
    make_sales_company(sdb, "ACME", plugins=("finance", "wms", "sales"))
    make_sales_company(sdb, "SOLO", plugins=("sales",))
    add_user(sdb, "ann", {"ACME": "admin", "SOLO": "admin"})
    add_user(sdb, "sal", {"ACME": "salesperson"})
    add_user(sdb, "viv", {"ACME": "viewer"})
    add_user(sdb, "oli", {"SOLO": "admin"})
    return sdb


@pytest.fixture
def app(site):
    return make_app(site, WTF_CSRF_ENABLED=False)


def quotation(db, code="ACME", party="C1", lines=(LineSpec("PEN", "10", "1000"),)):
    from core.companies import get_company

    with db.session() as s:
        return create_quotation(s, get_company(s, code), party, list(lines)).number


def order_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("sales.")
            and app.view_functions[rule.endpoint].__module__.startswith("plugins.sales.routes.orders")]


def test_every_order_route_declares_its_permission(app):
    declared = {rule.endpoint: needs(app.view_functions[rule.endpoint]) for rule in order_rules(app)}
    assert declared and all(declared.values())
    posts = {rule.endpoint for rule in order_rules(app) if rule.methods & {"POST"}}
    assert all(declared[e] in ("sales.sell", "sales.manage", "sales.view") for e in posts)


def test_quote_to_cash_in_the_browser(site, app):
    ann = signed_in(app, "ann")
    created = ann.post(
        f"{S}/orders/new",
        data={
            "party": "C1",
            "lines-0-product": "PEN",
            "lines-0-quantity": "30",
            "lines-0-price": "1000",
            "lines-1-product": "PAPER",
            "lines-1-quantity": "2",
            "lines-1-price": "30000",
        },
    )
    assert created.status_code == 302, created.get_data(True)[-600:]
    number = created.headers["Location"].rsplit("/", 1)[1]
    assert ann.post(f"{S}/orders/{number}/lines", data={"product": "PEN", "quantity": "5", "price": "900",
                                                       "discount": "10"}).status_code == 302
    assert ann.post(f"{S}/orders/{number}/lines/3/remove").status_code == 302
    assert ann.get(f"{S}/orders/{number}/edit").status_code == 200
    assert (
        ann.post(
            f"{S}/orders/{number}/edit",
            data={"commitment": "2030-01-31", "valid_until": "2030-01-01", "note": "Leave at the gate"},
        ).status_code
        == 302
    )
    assert ann.post(f"{S}/orders/{number}/edit", data={"valid_until": "1999-01-01"}).status_code == 400
    assert ann.post(f"{S}/orders/{number}/send").status_code == 302
    sent = get_json(ann, f"{S}/orders/{number}")
    assert (sent["state"], sent["commitment"], sent["note"]) == ("sent", "2030-01-31", "Leave at the gate")
    assert ann.post(f"{S}/orders/{number}/confirm").status_code == 302
    data = get_json(ann, f"{S}/orders/{number}")
    assert data["state"] == "confirmed" and data["deliveries"][0]["state"] == "ready"
    page = ann.get(f"{S}/orders/{number}").get_data(True)
    assert f'/c/ACME/wms/operations/{data["deliveries"][0]["number"]}' in page
    assert ann.post(f"{S}/orders/{number}/deliver", data={"date": ""}).status_code == 302
    data = get_json(ann, f"{S}/orders/{number}")
    assert (data["state"], data["delivery_state"], data["invoice_state"]) == ("done", "full", "full")
    page = ann.get(f"{S}/orders/{number}").get_data(True)
    assert (
        f"/c/ACME/finance/invoices/{data['invoices'][0]['number']}" in page
        and 'data-payment="not_paid"' in page
    )
    listed = get_json(ann, f"{S}/orders?state=done")["items"]
    assert [i["number"] for i in listed] == [number]
    assert ann.get(f"{S}/orders?format=csv").status_code == 200


def test_the_customer_and_product_pages_show_orders(site, app):
    ann = signed_in(app, "ann")
    number = quotation(site)
    assert ann.post(f"{S}/orders/{number}/confirm").status_code == 302
    party = ann.get("/c/ACME/parties/C1").get_data(True)
    assert f"Order {number} confirmed" in party and f"/c/ACME/sales/orders/{number}" in party
    facts = {
        f["label"]: f["value"]
        for f in get_json(ann, "/c/ACME/products/PEN")["facts"]
        if f["plugin"] == "sales"
    }
    assert facts == {"Sold in the last 12 months": "10 pcs", "Waiting for delivery": "10 pcs"}
    viv = signed_in(app, "viv")
    assert f"Order {number} confirmed" in viv.get("/c/ACME/parties/C1").get_data(True)


def test_sales_alone_delivers_from_the_order_page(site, app):
    ann = signed_in(app, "ann")
    number = quotation(site, "SOLO")
    assert ann.post(f"/c/SOLO/sales/orders/{number}/confirm").status_code == 302
    page = ann.get(f"/c/SOLO/sales/orders/{number}").get_data(True)
    assert "Invoice what is due" not in page and "data-invoice" not in page
    assert ann.post(f"/c/SOLO/sales/orders/{number}/deliver", data={}).status_code == 302
    assert get_json(ann, f"/c/SOLO/sales/orders/{number}")["state"] == "done"
    assert ann.post(f"/c/SOLO/sales/orders/{number}/invoice").status_code == 400


def test_set_up_pages(site, app):
    ann = signed_in(app, "ann")
    assert ann.post(f"{S}/pricelists/new", data={"code": "RETAIL", "name": "Retail"}).status_code == 302
    assert (
        ann.post(f"{S}/pricelists/RETAIL/prices", data={"product": "PEN", "price": "1100"}).status_code == 302
    )
    assert get_json(ann, f"{S}/pricelists/RETAIL")["items"][0]["price"] == "1100"
    assert (
        ann.post(
            f"{S}/settings/orders",
            data={"invoice_policy": "order", "warehouse": "", "quotation_days": "10", "price_list": "RETAIL"},
        ).status_code
        == 302
    )
    assert ann.post(f"{S}/customers/terms", data={"party": "C2", "credit_limit": "5000"}).status_code == 302
    assert [i["party"] for i in get_json(ann, f"{S}/customers")["items"]] == ["C2"]
    assert "5,000" in ann.get(f"{S}/customers/terms?party=C2").get_data(True) or True
    number = quotation(site, party="C2", lines=[LineSpec("PEN", "10")])  # 11,000 from the price list
    refused = ann.post(f"{S}/orders/{number}/confirm")
    assert refused.status_code == 400 and "credit limit" in refused.get_data(True)
    assert ann.post(f"{S}/pricelists/RETAIL/prices/PEN/remove", data={"min_quantity": "0"}).status_code == 302
    for url in (
        "/pricelists",
        "/settings/orders",
        "/customers",
        "/orders/new",
        "/contracts",
        "/contracts/new",
    ):
        assert ann.get(S + url).status_code == 200, url


def test_contracts_and_the_bill_due_button(site, app):
    ann = signed_in(app, "ann")
    created = ann.post(
        f"{S}/contracts/new",
        data={
            "party": "C1",
            "start": "2026-01-01",
            "interval": "month",
            "every": "1",
            "lines-0-product": "PAPER",
            "lines-0-quantity": "1",
            "lines-0-price": "20000",
        },
    )
    assert created.status_code == 302, created.get_data(True)[-600:]
    number = created.headers["Location"].rsplit("/", 1)[1]
    for _ in range(2):  # twice: billed once
        assert ann.post(f"{S}/contracts/bill-due", data={"date": "2026-03-15"}).status_code == 302
    data = get_json(ann, f"{S}/contracts/{number}")
    assert [b["period_start"] for b in data["billings"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert all(b["invoice"] for b in data["billings"])
    assert "data-bill-due" in ann.get(f"{S}/contracts").get_data(True)
    assert ann.post(f"{S}/contracts/{number}/end").status_code == 302


def test_each_role_sees_and_does_what_it_may(site, app):
    number = quotation(site)
    viv, sal = signed_in(app, "viv"), signed_in(app, "sal")
    for url in (
        "/orders",
        f"/orders/{number}",
        "/contracts",
        "/pricelists",
        "/customers",
        "/settings/orders",
    ):
        assert viv.get(S + url).status_code == 200, url
    page = viv.get(f"{S}/orders/{number}").get_data(True)
    assert "Confirm order" not in page and "Add a line" not in page
    for url in (f"/orders/{number}/confirm", f"/orders/{number}/send", "/contracts/bill-due", "/orders/new"):
        assert viv.post(S + url).status_code == 403, url
    assert (
        sal.post(f"{S}/settings/orders", data={"invoice_policy": "order", "quotation_days": "3"}).status_code
        == 403
    )
    assert sal.get(f"{S}/customers/terms").status_code == 403
    assert sal.post(f"{S}/pricelists/new", data={"code": "X", "name": "X"}).status_code == 403
    assert sal.post(f"{S}/orders/{number}/confirm").status_code == 302


def test_another_companys_orders_are_not_found(site, app):
    number = quotation(site)
    oli = signed_in(app, "oli")
    assert oli.get(f"/c/SOLO/sales/orders/{number}").status_code == 404
    assert oli.post(f"/c/SOLO/sales/orders/{number}/confirm").status_code == 404
    assert oli.get(f"{S}/orders/{number}").status_code in (403, 404)
    assert get_json(oli, "/c/SOLO/sales/orders")["items"] == []


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"party": "C1", "lines-0-product": "PEN", "lines-0-quantity": "1", "lines-0-price": "-3"},
            "negative",
        ),
        (
            {"party": "C1", "lines-0-product": "PEN", "lines-0-quantity": "1.5", "lines-0-price": "3"},
            "decimal places",
        ),
        (
            {"party": "NOPE", "lines-0-product": "PEN", "lines-0-quantity": "1", "lines-0-price": "3"},
            "unknown party",
        ),
        ({"party": "C1", "lines-0-product": "PEN", "lines-0-price": "3"}, "product and a quantity"),
        ({"party": "C1", "date": "2026-02-30"}, "malformed"),
        ({"party": ""}, ""),
    ],
)
def test_bad_input_is_400_and_writes_nothing(site, app, data, message):
    ann = signed_in(app, "ann")
    before = snapshot(site)
    response = ann.post(f"{S}/orders/new", data=data)
    assert response.status_code == 400 and message in response.get_data(True)
    assert snapshot(site) == before


def test_bad_actions_are_400_and_write_nothing(site, app):
    ann = signed_in(app, "ann")
    number = quotation(site)
    before = snapshot(site)
    for url, data in ((f"/orders/{number}/lines", {"product": "PEN", "quantity": "-1"}),
                      (f"/orders/{number}/lines/9/remove", {}), (f"/orders/{number}/deliver", {}),
                      ("/pricelists/NOPE/prices", {"product": "PEN", "price": "1"}),
                      ("/contracts/bill-due", {"date": "yesterday"})):
        assert ann.post(S + url, data=data).status_code in (400, 404), url
    assert snapshot(site) == before


def _token(client, url) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(True))[1]


def test_every_order_post_without_a_csrf_token_is_400_and_writes_nothing(site):
    app = make_app(site)  # CSRF on
    number = quotation(site)
    later = quotation(site)

    def contract():
        with site.session() as s:
            from plugins.sales.documents import Contract

            return s.scalar(select(Contract.number))

    accepted = [
        (
            "sales.new_quotation",
            f"{S}/orders/new",
            {"party": "C2", "lines-0-product": "PEN", "lines-0-quantity": "1", "lines-0-price": "5"},
        ),
        ("sales.add_line", f"{S}/orders/{number}/lines", {"product": "PAPER", "quantity": "1", "price": "9"}),
        ("sales.remove_line", f"{S}/orders/{number}/lines/2/remove", {}),
        ("sales.edit_quotation", f"{S}/orders/{number}/edit", {"commitment": "2030-01-31", "note": "Rush"}),
        ("sales.send", f"{S}/orders/{number}/send", {}),
        ("sales.confirm", f"{S}/orders/{number}/confirm", {}),
        ("sales.deliver", f"{S}/orders/{number}/deliver", {}),
        ("sales.cancel", f"{S}/orders/{later}/cancel", {}),
        ("sales.order_settings", f"{S}/settings/orders", {"invoice_policy": "order", "quotation_days": "7"}),
        ("sales.invoice", None, {}),
        ("sales.customer_terms", f"{S}/customers/terms", {"party": "C1", "credit_limit": "900000"}),
        ("sales.new_pricelist", f"{S}/pricelists/new", {"code": "R", "name": "Retail"}),
        ("sales.set_price", f"{S}/pricelists/R/prices", {"product": "PEN", "price": "1000"}),
        ("sales.remove_price", f"{S}/pricelists/R/prices/PEN/remove", {"min_quantity": "0"}),
        (
            "sales.new_contract",
            f"{S}/contracts/new",
            {
                "party": "C1",
                "start": "2026-01-01",
                "interval": "month",
                "every": "1",
                "lines-0-product": "PEN",
                "lines-0-quantity": "1",
                "lines-0-price": "10",
            },
        ),
        ("sales.bill_due", f"{S}/contracts/bill-due", {"date": "2026-01-05"}),
        ("sales.end_contract", lambda: f"{S}/contracts/{contract()}/end", {}),
    ]
    # Confirmed while the company invoices on delivery: once the settings say "on order" (the step
    # before), the invoice button has the whole order to invoice.
    third = quotation(site, lines=[LineSpec("PEN", "2", "100")])
    with site.session() as s:
        from core.companies import get_company
        from plugins.sales.orders import confirm

        confirm(s, get_company(s, "ACME"), third)
    accepted[9] = ("sales.invoice", f"{S}/orders/{third}/invoice", {})
    posts = {rule.endpoint for rule in order_rules(app) if "POST" in rule.methods}
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
        assert snapshot(site) == before, endpoint
        done = client.post(url, data={**data, "csrf_token": _token(client, f"{S}/orders/new")})
        assert done.status_code == 302, (endpoint, done.status_code, done.get_data(True)[-800:])
        assert snapshot(site) != before, endpoint

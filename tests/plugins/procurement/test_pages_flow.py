"""Procure to pay through the pages: a buyer writes a requisition, asks two
suppliers, enters their quotes, chooses one, confirms the order; a
purchasing manager approves it; the buyer receives it in two parts and
enters a bill that charges too much; the manager releases and pays it.
Every status is checked after each step, and the books stay sound.
Bad input answers 400 and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.plugins.procurement.pages import (  # noqa: F401
    P,
    app,
    everyone,
    make_sample,
    site,
    snapshot,
    sound,
)
from tests.web.pages import get_json, signed_in

TODAY = dt.date.today().isoformat()


def _post(client, url, data, status=302):
    response = client.post(url, data=data)
    assert response.status_code == status, (url, response.status_code, response.get_data(True)[-1500:])
    return response


def test_procure_to_pay_through_the_pages(app, site, everyone):
    bob, max_ = signed_in(app, "bob"), signed_in(app, "max")
    _post(max_, f"{P}/settings/edit", {"approval_threshold": "10000", "quantity_tolerance": "0",
                                        "price_tolerance": "2", "warehouse": "MAIN", "quote_days": "14"})
    assert get_json(bob, f"{P}/settings")["approval_threshold"] == "10000"

    done = _post(bob, f"{P}/requisitions/-/new", {"date": TODAY, "note": "for the office",
                                                  "lines-0-product": "PEN", "lines-0-quantity": "100",
                                                  "lines-1-product": "PAPER", "lines-1-quantity": "5"})
    req = done.headers["Location"].rsplit("/", 1)[1]
    assert get_json(bob, f"{P}/requisitions/{req}")["state"] == "draft"
    assert "S1, S2" in bob.get(f"{P}/requisitions/{req}/rfq").get_data(True)  # suggested from the catalogue

    rfq = _post(bob, f"{P}/requisitions/{req}/rfq", {"suppliers": "S1, S2", "date": TODAY}).headers[
        "Location"
    ]
    rfq = rfq.rsplit("/", 1)[1]
    assert get_json(bob, f"{P}/requisitions/{req}")["state"] == "open"
    for supplier, pen, paper, lead in (("S1", "300", "18000", "5"), ("S2", "290", "17500", "3")):
        _post(bob, f"{P}/rfqs/{rfq}/quotes/{supplier}",
              {"prices-0-product": "PEN", "prices-0-price": pen, "prices-1-product": "PAPER",
               "prices-1-price": paper, "lead_time_days": lead, "date": TODAY})
    page = bob.get(f"{P}/rfqs/{rfq}").get_data(True)
    assert "cheapest" in page and "fastest" in page and "Supplier score" in page
    quotes = {q["supplier"]: q for q in get_json(bob, f"{P}/rfqs/{rfq}")["comparison"]["quotes"]}
    assert quotes["S2"]["cheapest"] and quotes["S2"]["total"] == "116500"

    order = _post(bob, f"{P}/rfqs/{rfq}/choose", {"supplier": "S2"}).headers["Location"].rsplit("/", 1)[1]
    data = get_json(bob, f"{P}/orders/{order}")
    assert (data["state"], data["supplier"], data["untaxed"], data["rfq"]) == ("draft", "S2", "116500", rfq)
    assert get_json(bob, f"{P}/requisitions/{req}")["state"] == "ordered"

    _post(bob, f"{P}/orders/{order}/confirm", {})
    assert get_json(bob, f"{P}/orders/{order}")["state"] == "to_approve"
    assert bob.post(f"{P}/orders/{order}/approve").status_code == 403   # a buyer does not approve
    assert "Approve" in max_.get(f"{P}/orders/{order}").get_data(True)
    _post(max_, f"{P}/orders/{order}/approve", {})
    data = get_json(bob, f"{P}/orders/{order}")
    assert (data["state"], data["approved_by"], len(data["waiting_receipts"])) == ("confirmed", "max", 1)
    sound(site)

    _post(
        bob,
        f"{P}/orders/{order}/receive",
        {
            "date": TODAY,
            "lines-0-product": "PEN",
            "lines-0-quantity": "60",
            "lines-1-product": "PAPER",
            "lines-1-quantity": "5",
        },
    )
    data = get_json(bob, f"{P}/orders/{order}")
    assert data["receipt_state"] == "partial" and [line["received"] for line in data["lines"]] == ["60", "5"]
    assert len(data["waiting_receipts"]) == 1  # the wms backorder waits for the other 40
    sound(site)
    _post(
        bob,
        f"{P}/orders/{order}/receive",
        {"date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "40"},
    )
    assert get_json(bob, f"{P}/orders/{order}")["receipt_state"] == "full"

    bill = _post(bob, f"{P}/orders/{order}/bill", {
        "reference": "S2-77", "date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "100",
        "lines-0-price": "310", "lines-1-product": "PAPER", "lines-1-quantity": "5"}).headers["Location"]
    bill = bill.rsplit("/", 1)[1]
    data = get_json(bob, f"{P}/bills/{bill}")
    assert (data["state"], data["matched"], data["document"]) == ("held", False, None)
    assert "PEN: billed at 310" in data["held_reasons"][0]
    assert get_json(bob, f"{P}/orders/{order}")["bill_state"] == "nothing"
    assert "Release and post" not in bob.get(f"{P}/bills/{bill}").get_data(True)
    sound(site)

    page = max_.get(f"{P}/bills/{bill}").get_data(True)
    assert "Release and post" in page and "Refuse the bill" in page
    _post(max_, f"{P}/bills/{bill}/release", {"note": "the price rose; agreed by phone"})
    data = get_json(bob, f"{P}/bills/{bill}")
    assert (data["state"], data["released_by"]) == ("posted", "max") and data["document"]
    order_data = get_json(bob, f"{P}/orders/{order}")
    assert (order_data["state"], order_data["bill_state"], order_data["payment_state"]) == (
        "done",
        "full",
        "not_paid",
    )
    _post(max_, f"{P}/bills/{bill}/pay", {"date": TODAY})
    assert get_json(bob, f"{P}/bills/{bill}")["paid"] is True
    assert get_json(bob, f"{P}/orders/{order}")["payment_state"] == "paid"
    sound(site)
    performance = {r["supplier"]: r for r in get_json(bob, f"{P}/performance")["items"]}
    assert performance["S2"]["receipts"] == 3 and performance["S2"]["score"] is not None


@pytest.fixture
def sample(everyone):
    return make_sample(everyone)


def test_bad_input_answers_400_and_writes_nothing(app, site, sample):
    ann = signed_in(app, "ann")
    bad = [
        ("settings/edit", {"quantity_tolerance": "150", "price_tolerance": "2", "quote_days": "14"}),
        ("settings/edit", {"quantity_tolerance": "0", "price_tolerance": "2", "quote_days": "x"}),
        ("catalogue/-/set", {"supplier": "S1", "product": "PEN", "price": "x", "lead_time_days": "3"}),
        ("catalogue/-/set", {"supplier": "NOPE", "product": "PEN", "price": "1", "lead_time_days": "3"}),
        ("requisitions/-/new", {"date": TODAY}),
        ("requisitions/-/new", {"date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "abc"}),
        ("requisitions/-/new", {"date": TODAY, "lines-0-product": "NOPE", "lines-0-quantity": "1"}),
        ("requisitions/-/new", {"date": TODAY, "lines-0-quantity": "1"}),
        (f"requisitions/{sample['requisition']}/rfq", {"suppliers": "S1, NOPE", "date": TODAY}),
        (f"requisitions/{sample['requisition']}/rfq", {"suppliers": "S1, S1", "date": TODAY}),
        (
            f"rfqs/{sample['rfq']}/quotes/S2",
            {"prices-0-product": "PEN", "prices-0-price": "-5", "lead_time_days": "3", "date": TODAY},
        ),
        (
            f"rfqs/{sample['rfq']}/quotes/S2",
            {"prices-0-product": "PEN", "prices-0-price": "5", "lead_time_days": "soon", "date": TODAY},
        ),
        (f"rfqs/{sample['rfq']}/choose", {"supplier": "S2"}),  # S2 has not answered
        (f"rfqs/{sample['rfq']}/choose", {}),
        ("orders/-/new", {"supplier": "S1", "date": TODAY}),
        (
            "orders/-/new",
            {"supplier": "S1", "date": "yesterday", "lines-0-product": "PEN", "lines-0-quantity": "10"},
        ),
        (
            "orders/-/new",
            {"supplier": "S1", "date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "2"},
        ),
        (
            "orders/-/new",
            {"supplier": "S3", "date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "2"},
        ),
        (f"orders/{sample['draft']}/approve", {}),  # a draft waits for no approval
        (f"orders/{sample['order']}/cancel", {}),  # goods arrived already
        (
            f"orders/{sample['order']}/receive",
            {"date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "0"},
        ),
        (
            f"orders/{sample['order']}/receive",
            {"date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "-3"},
        ),
        (
            f"orders/{sample['draft']}/receive",
            {"date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "3"},
        ),
        (
            f"orders/{sample['order']}/return",
            {"product": "PEN", "quantity": "500", "reason": "x", "date": TODAY},
        ),
        (
            f"orders/{sample['order']}/return",
            {"product": "PEN", "quantity": "1", "reason": "", "date": TODAY},
        ),
        (
            f"orders/{sample['order']}/bill",
            {"reference": "S1-INV-1", "date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "1"},
        ),  # the same reference again
        (f"orders/{sample['order']}/bill", {"reference": "S1-INV-9", "date": TODAY}),
        (f"bills/{sample['held']}/release", {"note": ""}),
        (f"bills/{sample['posted']}/release", {"note": "why not"}),  # not held
        (f"bills/{sample['held']}/refuse", {"note": ""}),
        (f"bills/{sample['posted']}/refuse", {"note": "too late"}),  # not held
        (f"bills/{sample['held']}/pay", {"date": TODAY}),  # not posted
        (f"bills/{sample['posted']}/pay", {}),
    ]
    before = snapshot(site)
    for path, data in bad:
        response = ann.post(f"{P}/{path}", data=data)
        assert response.status_code == 400, (path, data, response.status_code)
        assert snapshot(site) == before, (path, data)
    assert ann.post(f"{P}/rfqs/RFQ09999/choose", data={"supplier": "S1"}).status_code == 404
    assert ann.post(f"{P}/orders/PO09999/confirm").status_code == 404
    assert ann.get(f"{P}/rfqs/{sample['rfq']}/quotes/S3").status_code == 404   # S3 was not asked
    assert snapshot(site) == before
    sound(site)


def test_without_wms_and_finance_the_pages_receive_and_bill_themselves(app, site, everyone):
    oli, other = signed_in(app, "oli"), "/c/OTHER/procurement"
    form = oli.get(f"{other}/orders/-/new").get_data(True)
    assert 'name="warehouse"' not in form  # no wms: no warehouse to choose
    order = _post(
        oli,
        f"{other}/orders/-/new",
        {"supplier": "S1", "date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "50", "confirm": "y"},
    ).headers["Location"]
    order = order.rsplit("/", 1)[1]
    data = get_json(oli, f"{other}/orders/{order}")
    assert (data["state"], data["waiting_receipts"], data["untaxed"]) == ("confirmed", [], "15000")
    _post(
        oli,
        f"{other}/orders/{order}/receive",
        {"date": TODAY, "reference": "DN-1", "lines-0-product": "PEN", "lines-0-quantity": "20"},
    )
    assert get_json(oli, f"{other}/orders/{order}")["receipt_state"] == "partial"
    assert "DN-1" in oli.get(f"{other}/orders/{order}").get_data(True)  # procurement's own receipt history
    _post(
        oli,
        f"{other}/orders/{order}/receive",
        {"date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "30"},
    )
    bill = (
        _post(
            oli,
            f"{other}/orders/{order}/bill",
            {"reference": "B-1", "date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "50"},
        )
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    data = get_json(oli, f"{other}/bills/{bill}")
    assert (data["state"], data["document"]) == ("posted", None)
    assert "Finance document" not in oli.get(f"{other}/bills/{bill}").get_data(True)
    _post(oli, f"{other}/bills/{bill}/pay", {"date": TODAY})
    data = get_json(oli, f"{other}/orders/{order}")
    assert (data["state"], data["bill_state"], data["payment_state"]) == ("done", "full", "paid")
    sound(site, "OTHER")


def test_a_manager_refuses_a_held_bill_from_its_page(app, site, everyone, sample):
    """Refused, the held bill is cancelled, its finance draft goes and the books never change."""
    max_ = signed_in(app, "max")
    before = snapshot(site)
    _post(max_, f"{P}/bills/{sample['held']}/refuse", {"note": "billed at 400, ordered at 300"})
    data = get_json(max_, f"{P}/bills/{sample['held']}")
    assert (data["state"], data["released_by"], data["document"]) == ("cancelled", "max", None)
    assert "Refused by" in max_.get(f"{P}/bills/{sample['held']}").get_data(True)
    after = snapshot(site)
    ledger = [name for name in before if name.startswith("ledger_")]
    assert ledger and all(after[name] == before[name] for name in ledger)
    sound(site)

"""Operations through the pages: a receipt with lots and a backorder, a
delivery reserved, unreserved and validated, a transfer between scanned
locations; every refusal shows its message and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from core.companies import get_company
from core.models import Product
from plugins.wms.queries import availability
from tests.plugins.wms.pages import W, ann, app, deliver, lines, receive, site, snapshot, sound  # noqa: F401
from tests.web.pages import get_json

TODAY = dt.date.today().isoformat()
PEN_BARCODE = "8801234567890"


def _barcode(db, sku="PEN", code=PEN_BARCODE):
    with db.session() as s:
        s.scalar(select(Product).where(Product.sku == sku, Product.company_id == get_company(s, "ACME").id)
                 ).barcode = code


def _on_hand(db, sku, location=None) -> Decimal:
    with db.session() as s:
        rows = availability(s, get_company(s, "ACME"), product=sku, location=location)
        return sum((r.on_hand for r in rows), Decimal(0))


def _created(response) -> str:
    assert response.status_code == 302, response.get_data(True)[-1500:]
    return response.headers["Location"].split("/wms/operations/", 1)[1]


def test_receive_with_lots_and_a_backorder_then_deliver(ann, site):
    _barcode(site)
    form = {"kind": "receipt", "warehouse": "MAIN", "party": "S1", "scheduled": TODAY, "confirm": "y",
            **lines({"product": PEN_BARCODE, "quantity": "100", "unit_cost": "500"},
                    {"product": "MILK", "quantity": "10", "unit_cost": "1200"})}
    number = _created(ann.post(f"{W}/operations/-/new", data=form))
    page = ann.get(f"{W}/operations/{number}").get_data(True)
    assert "ready" in page and 'data-product="PEN"' in page and 'data-product="MILK"' in page
    prefilled = ann.get(f"{W}/operations/{number}/validate").get_data(True)
    assert 'value="100"' in prefilled and 'value="10"' in prefilled  # the demand, ready to change
    assert 'name="lots-0-product"' in prefilled and 'value="MILK"' in prefilled  # the one tracked product
    done = ann.post(
        f"{W}/operations/{number}/validate",
        data={
            "date": TODAY,
            **lines(
                {"product": "PEN", "quantity": "60"}, {"product": "MILK", "quantity": "10"}, prefix="done"
            ),
            **lines(
                {"product": "MILK", "lot": "L-EARLY", "quantity": "4", "expiry": "2030-01-10"},
                {"product": "MILK", "lot": "L-LATE", "quantity": "6", "expiry": "2030-03-01"},
                prefix="lots",
            ),
        },
        follow_redirects=True,
    )
    assert done.status_code == 200 and "what is left waits in backorder" in done.get_data(True)
    record = get_json(ann, f"{W}/operations/{number}")
    assert record["state"] == "done" and len(record["backorders"]) == 1 and record["transaction_id"]
    assert f'href="/c/ACME/ledger/transactions/{record["transaction_id"]}"' in done.get_data(True)
    rest = get_json(ann, f"{W}/operations/{record['backorders'][0]}")
    assert rest["backorder_of"] == number and [(m["product"], m["demand"]) for m in rest["moves"]] == [
        ("PEN", "40")
    ]
    assert {(m["lot"], Decimal(m["on_hand"])) for m in get_json(ann, f"{W}/stock/MILK")["stock"]} == {
        ("L-EARLY", 4), ("L-LATE", 6)}  # litres, to the millilitre: "4.000"
    sound(site)

    delivery = _created(ann.post(f"{W}/operations/-/new", data={
        "kind": "delivery", "warehouse": "MAIN", "party": "C1", "scheduled": TODAY,
        **lines({"product": "PEN", "quantity": "25"}, {"product": "MILK", "quantity": "5"})}))
    assert get_json(ann, f"{W}/operations/{delivery}")["state"] == "draft"
    assert ann.post(f"{W}/operations/{delivery}/confirm").status_code == 302
    moves = {m["product"]: m for m in get_json(ann, f"{W}/operations/{delivery}")["moves"]}
    assert (
        moves["PEN"]["reserved"] == "25" and moves["MILK"]["lines"][0]["lot"] == "L-EARLY"
    )  # first expiring
    assert ann.post(f"{W}/operations/{delivery}/unreserve").status_code == 302
    assert all(Decimal(m["reserved"]) == 0 for m in get_json(ann, f"{W}/operations/{delivery}")["moves"])
    assert ann.post(f"{W}/operations/{delivery}/reserve").status_code == 302
    assert get_json(ann, f"{W}/stock?product=PEN")["items"][0]["reserved"] == "25"
    sound(site)
    shipped = ann.post(f"{W}/operations/{delivery}/validate", data={
        "date": TODAY, "no_backorder": "y",
        **lines({"product": "PEN", "quantity": "20"}, {"product": "MILK", "quantity": "5"}, prefix="done")},
        follow_redirects=True)
    assert shipped.status_code == 200 and f"{delivery} is done." in shipped.get_data(True)
    assert get_json(ann, f"{W}/operations/{delivery}")["backorders"] == []  # the 5 pens not sent are dropped
    assert _on_hand(site, "PEN") == 40 and _on_hand(site, "MILK") == 5
    card = get_json(ann, f"{W}/stock/PEN")
    assert [(m["quantity"], m["balance"], m["operation"]) for m in card["moves"]] == [
        ("60", "60", number), ("-20", "40", delivery)]
    assert card["turnover"]["delivered"] == "20" and card["turnover"]["days_of_cover"] is not None
    assert ann.post(f"{W}/operations/{record['backorders'][0]}/cancel").status_code == 302
    assert get_json(ann, f"{W}/operations?state=cancelled")["items"][0]["number"] == record["backorders"][0]
    sound(site)


def test_a_transfer_between_scanned_locations(ann, site):
    receive(site, ("PEN", "10", "500"), destination="MAIN/A/01/B1")
    number = _created(ann.post(f"{W}/operations/-/new", data={
        "kind": "internal", "warehouse": "MAIN", "source": "LOC-B1", "destination": "main/a/01/b2",
        "scheduled": TODAY, "confirm": "y", **lines({"product": "PEN", "quantity": "4"})}))
    record = get_json(ann, f"{W}/operations/{number}")
    assert (record["source"], record["destination"]) == ("MAIN/A/01/B1", "MAIN/A/01/B2")
    assert ann.post(f"{W}/operations/{number}/validate", data={
        "date": TODAY, **lines({"product": "PEN", "quantity": "4"}, prefix="done")}).status_code == 302
    assert (_on_hand(site, "PEN", "MAIN/A/01/B1"), _on_hand(site, "PEN", "MAIN/A/01/B2")) == (6, 4)
    items = get_json(ann, f"{W}/stock?location=LOC-B1&warehouse=MAIN")["items"]  # a scanned label filters too
    assert [(i["location"], i["available"]) for i in items] == [("MAIN/A/01/B1", "6")]
    sound(site)


def test_every_refusal_shows_its_message_and_writes_nothing(ann, site):
    receive(site, ("PEN", "5", "500"))
    short = deliver(site, ("PEN", "3"), ready=False)
    milk = receive(site, ("MILK", "10", "1200"), validated=False)
    cancelled = deliver(site, ("PEN", "1"))
    assert ann.post(f"{W}/operations/{cancelled}/cancel").status_code == 302
    before = snapshot(site)
    refusals = [  # (url, form, what the page says)
        (
            f"{W}/operations/-/new",
            {"kind": "receipt", "warehouse": "MAIN", **lines({"product": "NOSUCH", "quantity": "1"})},
            "no product has the barcode or SKU",
        ),
        (
            f"{W}/operations/-/new",
            {"kind": "internal", "warehouse": "MAIN", **lines({"product": "PEN", "quantity": "1"})},
            "needs a source and a destination",
        ),
        (
            f"{W}/operations/-/new",
            {"kind": "receipt", "warehouse": "MAIN", **lines({"product": "PEN", "quantity": "0.5"})},
            "PEN: quantity",
        ),
        (f"{W}/operations/-/new", {"kind": "receipt", "warehouse": "MAIN"}, "Enter at least one line."),
        (
            f"{W}/operations/{short}/validate",
            {"date": TODAY, **lines({"product": "PEN", "quantity": "8"}, prefix="done")},
            "available at MAIN, 8 asked",
        ),
        (
            f"{W}/operations/{milk}/validate",
            {
                "date": TODAY,
                **lines({"product": "MILK", "quantity": "10"}, prefix="done"),
                **lines({"product": "MILK", "lot": "L1", "quantity": "4"}, prefix="lots"),
            },
            "the lots add up to 4",
        ),
        (f"{W}/operations/{cancelled}/confirm", {}, "is cancelled: it cannot be confirmed"),
        (f"{W}/operations/{milk}/reserve", {}, "is a receipt: nothing to reserve"),
        (f"{W}/operations/NOPE/cancel", {}, "unknown operation"),
    ]
    for url, form, message in refusals:
        answer = ann.post(url, data=form)
        assert 400 <= answer.status_code < 500, (url, answer.status_code)
        assert message in answer.get_data(True), (url, answer.get_data(True)[-1500:])
    assert snapshot(site) == before
    sound(site)

"""The warehouse's daily work through the pages: counting a location and
approving the difference, picking by scans and packing, a wave picked and
finished, reorder rules with the plan, the run and its proposals. Every
refusal shows its message and writes nothing; a viewer changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from core.companies import get_company
from core.models import Product
from plugins.wms.documents import ReorderRule
from plugins.wms.places import find_location, set_count_frequency
from plugins.wms.queries import availability
from tests.plugins.wms.pages import (  # noqa: F401
    W,
    ann,
    app,
    deliver,
    everyone,
    lines,
    receive,
    site,
    snapshot,
    sound,
)
from tests.web.pages import get_json, read_csv, signed_in

TODAY = dt.date.today().isoformat()
B1 = "MAIN/A/01/B1"


def _on_hand(db, sku, location) -> Decimal:
    with db.session() as s:
        return sum(
            (r.on_hand for r in availability(s, get_company(s, "ACME"), product=sku, location=location)),
            Decimal(0),
        )


def _moved(response, where: str) -> str:
    """What a redirect points at under ``where`` (a number)."""
    assert response.status_code == 302, response.get_data(True)[-1500:]
    return response.headers["Location"].split(where, 1)[1].split("?")[0]


def test_counts_are_planned_recorded_and_the_difference_posted(ann, site):
    receive(site, ("PEN", "10", "500"), destination=B1)
    with site.session() as s:
        set_count_frequency(s, find_location(s, get_company(s, "ACME"), B1), 30)
    assert ann.post(f"{W}/counts/-/plan", follow_redirects=True).status_code == 200
    [sheet] = get_json(ann, f"{W}/counts?state=draft")["items"]
    number = sheet["number"]
    assert sheet["location"] == B1 and len(read_csv(ann.get(f"{W}/counts?format=csv"))) == 2
    page = ann.get(f"{W}/counts/{number}").get_data(True)
    assert 'data-product="PEN"' in page and 'name="lines-0-counted"' in page and "/approve" not in page
    # Eight pens on the shelf, and a box of paper nobody booked (found by its SKU).
    assert ann.post(f"{W}/counts/{number}/record", data={
        **lines({"product": "PEN", "lot": "", "counted": "8"}),
        **lines({"product": "PAPER", "counted": "1"}, prefix="found")}).status_code == 302
    shown = get_json(ann, f"{W}/counts/{number}")
    assert shown["state"] == "counted"
    assert {(d["product"], d["expected"], d["counted"], d["difference"]) for d in shown["lines"]} == {
        ("PEN", "10", "8", "-2"), ("PAPER", "0", "1", "1")}
    before = dt.date.today().isoformat()  # the approval's day, even when the run crosses midnight
    assert ann.post(f"{W}/counts/{number}/approve").status_code == 302
    after = dt.date.today().isoformat()
    approved = get_json(ann, f"{W}/counts/{number}")
    assert approved["state"] == "approved" and approved["approved_by"] == "ann" and approved["transaction_id"]
    assert (_on_hand(site, "PEN", B1), _on_hand(site, "PAPER", B1)) == (8, 1)
    assert get_json(ann, f"{W}/locations?q=B1")["items"][0]["last_counted"] in (before, after)
    sound(site)  # the ledger moved 2 pens to inventory loss and 1 box from it, with their values

    opened = _moved(ann.post(f"{W}/counts/-/open", data={"location": "LOC-B2"}), "/wms/counts/")
    assert get_json(ann, f"{W}/counts/{opened}")["location"] == "MAIN/A/01/B2"
    assert ann.post(f"{W}/counts/{opened}/cancel").status_code == 302
    assert [c["number"] for c in get_json(ann, f"{W}/counts?state=cancelled&location=LOC-B2")["items"]] == [
        opened
    ]
    sound(site)


def test_pick_by_scans_and_pack_from_the_operation_page(ann, site):
    with site.session() as s:
        s.scalar(select(Product).where(Product.sku == "PEN")).barcode = "8801234567890"
    receive(site, ("PEN", "10", "500"), destination=B1)
    number = deliver(site, ("PEN", "4"))
    assert f'href="{W}/operations/{number}/pick"' in ann.get(f"{W}/operations/{number}").get_data(True)
    assert 'name="location"' in ann.get(f"{W}/operations/{number}/pick").get_data(True)
    picked = ann.post(f"{W}/operations/{number}/pick", data={"location": "LOC-B1", "product": "8801234567890",
                                                             "quantity": "3"}, follow_redirects=True)
    assert picked.status_code == 200 and f"picked 3 PEN at {B1} for {number}" in picked.get_data(True)
    packed = ann.post(f"{W}/operations/{number}/pack", follow_redirects=True).get_data(True)
    assert 'data-package="PACK/00001"' in packed and "PEN: 3 pcs" in packed
    assert get_json(ann, f"{W}/operations/{number}")["moves"][0]["picked"] == "3"
    assert ann.post(f"{W}/operations/{number}/validate", data={
        "date": TODAY, **lines({"product": "PEN", "quantity": "3"}, prefix="done")}).status_code == 302
    assert _on_hand(site, "PEN", B1) == 7
    sound(site)


def test_a_wave_is_created_picked_in_location_order_and_finished(ann, site):
    receive(site, ("PEN", "10", "500"), destination=B1)
    receive(site, ("PAPER", "5", "9000"), destination="MAIN/A/01/B2")
    first, second = deliver(site, ("PEN", "2"), ("PAPER", "1")), deliver(site, ("PEN", "3"))
    offered = ann.get(f"{W}/waves/-/new").get_data(True)
    assert f'value="{first}"' in offered and f'value="{second}"' in offered
    wave = _moved(ann.post(f"{W}/waves/-/new", data={"warehouse": "MAIN", "operations": [first, second]}),
                  "/wms/waves/")
    shown = get_json(ann, f"{W}/waves/{wave}")
    assert [(r["location"], r["product"], r["quantity"]) for r in shown["pick_list"]] == [
        (B1, "PEN", "5"), ("MAIN/A/01/B2", "PAPER", "1")]
    assert (
        ann.post(
            f"{W}/waves/{wave}/pick", data={"location": "LOC-B1", "product": "PEN", "quantity": "4"}
        ).status_code
        == 302
    )  # 2 + 2, oldest first
    assert ann.post(f"{W}/waves/{wave}/finish").status_code == 302
    assert get_json(ann, f"{W}/waves/{wave}")["state"] == "done"
    done = {op: get_json(ann, f"{W}/operations/{op}") for op in (first, second)}
    assert all(d["state"] == "done" for d in done.values())
    assert len(done[first]["backorders"]) == 1 and len(done[second]["backorders"]) == 1  # paper, one pen
    assert _on_hand(site, "PEN", B1) == 6 and _on_hand(site, "PAPER", "MAIN/A/01/B2") == 5
    assert [w["number"] for w in get_json(ann, f"{W}/waves?state=done")["items"]] == [wave]
    sound(site)


def test_reorder_rules_the_plan_the_run_and_dismissing(ann, site):
    receive(site, ("PEN", "4", "500"))
    assert ann.post(f"{W}/reorder-rules/-/set", data={
        "product": "PEN", "warehouse": "MAIN", "minimum": "10", "maximum": "50", "lead_time": "3",
        "route": "purchase"}).status_code == 302
    [rule] = get_json(ann, f"{W}/reorder-rules")["items"]
    assert (rule["product"], rule["minimum"], rule["maximum"], rule["lead_time_days"]) == (
        "PEN",
        "10",
        "50",
        3,
    )
    assert 'value="50"' in ann.get(f"{W}/reorder-rules/-/set?product=PEN&warehouse=MAIN").get_data(True)
    before = snapshot(site)
    [planned] = get_json(ann, f"{W}/replenishment")["items"]
    assert (planned["product"], planned["quantity"], planned["position"]) == ("PEN", "46", "4")
    assert "at or below the reorder point 10" in ann.get(f"{W}/replenishment").get_data(True)
    assert len(read_csv(ann.get(f"{W}/replenishment?format=csv"))) == 2
    assert snapshot(site) == before  # the preview writes nothing
    assert ann.post(f"{W}/replenishment/run").status_code == 302
    [proposal] = get_json(ann, f"{W}/proposals?state=open")["items"]
    assert (proposal["product"], proposal["quantity"]) == ("PEN", "46")
    assert get_json(ann, f"{W}/replenishment")["items"] == []  # the open proposal counts in the position
    assert ann.post(f"{W}/proposals/{proposal['id']}/dismiss").status_code == 302
    assert get_json(ann, f"{W}/proposals?state=dismissed")["items"][0]["id"] == proposal["id"]
    with site.session() as s:
        reorder = s.scalar(select(ReorderRule.id))
    assert ann.post(f"{W}/reorder-rules/{reorder}/remove").status_code == 302
    assert get_json(ann, f"{W}/reorder-rules")["items"] == []
    sound(site)


def test_every_refusal_shows_its_message_and_writes_nothing(ann, site):
    receive(site, ("PEN", "5", "500"), destination=B1)
    ready = deliver(site, ("PEN", "2"))
    draft = deliver(site, ("PEN", "1"), ready=False)
    sheet = _moved(ann.post(f"{W}/counts/-/open", data={"location": B1}), "/wms/counts/")
    wave = _moved(
        ann.post(f"{W}/waves/-/new", data={"warehouse": "MAIN", "operations": [ready]}), "/wms/waves/"
    )
    before = snapshot(site)
    refusals = [  # (url, form, what the page says)
        (f"{W}/operations/{ready}/pick", {"location": B1, "product": "PEN", "quantity": "3"},
         "only 2 left to pick"),
        (f"{W}/operations/{ready}/pick", {"location": "LOC-B2", "product": "PEN", "quantity": "1"},
         "nothing of PEN to pick"),
        (f"{W}/operations/{ready}/pack", {}, "nothing picked is left to pack"),
        (f"{W}/counts/{sheet}/record", lines({"product": "NOSUCH", "counted": "1"}, prefix="found"),
         "no product has the barcode or SKU"),
        (f"{W}/counts/{sheet}/record", lines({"product": "MILK", "counted": "1"}, prefix="found"),
         "tracked by lot"),
        (f"{W}/counts/{sheet}/approve", {}, "it cannot be approved"),
        (f"{W}/counts/-/open", {"location": "LOC-B1"}, "has an open count already"),
        (f"{W}/waves/-/new", {"warehouse": "MAIN", "operations": [draft]}, "a wave takes ready deliveries"),
        (f"{W}/waves/{wave}/pick", {"location": "LOC-B2", "product": "PEN", "quantity": "1"},
         "nothing of PEN to pick at MAIN/A/01/B2"),
        (f"{W}/waves/{wave}/finish", {}, "nothing was picked"),
        (f"{W}/reorder-rules/-/set", {"product": "PEN", "warehouse": "MAIN", "minimum": "9", "maximum": "3",
                                      "route": "purchase"}, "must not be below the minimum"),
        (f"{W}/proposals/999999/dismiss", {}, "unknown proposal"),
    ]
    for url, form, message in refusals:
        answer = ann.post(url, data=form)
        assert 400 <= answer.status_code < 500, (url, answer.status_code)
        assert message in answer.get_data(True), (url, answer.get_data(True)[-1500:])
    assert snapshot(site) == before
    sound(site)


def test_a_viewer_reads_every_new_page_and_changes_nothing(app, everyone):
    site = everyone
    receive(site, ("PEN", "5", "500"))
    ready = deliver(site, ("PEN", "1"))
    viv, ann = signed_in(app, "viv"), signed_in(app, "ann")
    for page in ("counts", "waves", "reorder-rules", "replenishment", "proposals"):
        answer = viv.get(f"{W}/{page}")
        assert answer.status_code == 200, page
        assert f'method="post" action="{W}/' not in answer.get_data(True), (
            page
        )  # no buttons without permission
    for page, button in (("counts", "counts/-/plan"), ("replenishment", "replenishment/run")):
        assert f'method="post" action="{W}/{button}"' in ann.get(f"{W}/{page}").get_data(True)
    menu = viv.get("/c/ACME/").get_data(True)
    assert all(f'href="{W}/{page}"' in menu for page in ("counts", "waves", "replenishment"))
    before = snapshot(site)
    for url, form in (
        (f"{W}/counts/-/plan", {}),
        (f"{W}/counts/-/open", {"location": B1}),
        (f"{W}/operations/{ready}/pick", {"location": "MAIN", "product": "PEN", "quantity": "1"}),
        (f"{W}/waves/-/new", {"warehouse": "MAIN", "operations": [ready]}),
        (f"{W}/replenishment/run", {}),
        (f"{W}/reorder-rules/-/set", {"product": "PEN", "warehouse": "MAIN", "route": "purchase"}),
    ):
        assert viv.post(url, data=form).status_code == 403, url
    assert snapshot(site) == before

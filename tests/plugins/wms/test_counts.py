"""Cycle counts: differences posted against inventory loss (with and without
values), planning by frequency, reservations given back when less is
counted than is promised, stale sheets and refusals that write nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.companies import get_company
from core.errors import Conflict, Invalid, NotFound
from core.ledger import balance
from plugins.wms.counts import approve, cancel_count, find_count, open_count, plan_counts, record
from plugins.wms.documents import CountState
from plugins.wms.operations import LineInput, confirm, create_operation
from plugins.wms.picking import pick
from plugins.wms.places import find_location, set_count_frequency
from plugins.wms.queries import availability
from plugins.wms.validation import LotInput, validate
from tests.plugins.wms.conftest import assert_stock_sound

B1, B2, LOSS = "MAIN/A/01/B1", "MAIN/A/01/B2", "VIRTUAL/INVENTORY-LOSS"


def receive(s, company, sku, qty, cost, to, lots=()):
    op = create_operation(s, company, "receipt", [LineInput(sku, qty, cost)], party="S1", destination=to)
    return validate(s, company, op, lots=lots)[0]


def deliver(s, company, sku, qty):
    op = create_operation(s, company, "delivery", [LineInput(sku, qty)], party="C1")
    return confirm(s, company, op)


def row(s, company, sku, location):
    found = [r for r in availability(s, company, product=sku, location=location) if r.location == location]
    return (found[0].on_hand, found[0].reserved) if found else (Decimal(0), Decimal(0))


@pytest.mark.parametrize("with_finance", [True, False])
def test_loss_and_gain_post_against_inventory_loss(wdb, with_finance, request):
    db, _ = request.getfixturevalue("valued" if with_finance else "plain")
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, "PEN", "10", "500", B1)
        receive(s, company, "PAPER", "5", "20000", B1)
        sheet = open_count(s, company, "LOC-B1")  # by barcode
        assert sheet.state is CountState.DRAFT and sheet.number == "COUNT/00001"
        assert [(line.product.sku, line.expected) for line in sheet.lines] == [("PEN", 10), ("PAPER", 5)]
        assert_stock_sound(s, company)
        record(s, company, sheet, {("PEN", None): "8", ("PAPER", None): "6", ("MILK", "FOUND"): "2"})
        assert sheet.state is CountState.COUNTED
        milk = next(line for line in sheet.lines if line.product.sku == "MILK")
        assert (milk.lot.name, milk.expected, milk.counted) == ("FOUND", 0, 2000)
        approve(s, company, sheet, "kim", date="2026-03-02")
        assert (sheet.state, sheet.approved_by, sheet.transaction_id is not None) == (
            CountState.APPROVED,
            "kim",
            True,
        )
        assert find_location(s, company, B1).last_counted == dt.date(2026, 3, 2)
        assert (
            balance(s, company, B1, commodity="PEN") == 8 and balance(s, company, LOSS, commodity="PEN") == 2
        )
        assert (
            balance(s, company, B1, commodity="PAPER") == 6
            and balance(s, company, LOSS, commodity="PAPER") == -1
        )
        assert balance(s, company, B1, commodity="MILK") == 2 and row(s, company, "MILK", B1)[0] == 2
        if with_finance:
            # The loss leaves at its cost (2 x 500), the gain enters at the current unit cost (20000).
            assert balance(s, company, "459") == 1000 - 20000
            assert balance(s, company, "147") == 5000 + 100000 - 1000 + 20000
        assert_stock_sound(s, company)
        with pytest.raises(Conflict, match="approved"):
            cancel_count(s, company, sheet)


def test_plan_opens_only_due_locations_once(plain):
    db, _ = plain
    today = dt.date(2026, 3, 2)
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, "PEN", "3", None, B1)
        set_count_frequency(s, find_location(s, company, B1), 7)          # never counted: due
        b2 = find_location(s, company, B2)
        set_count_frequency(s, b2, 30)
        b2.last_counted = today - dt.timedelta(days=10)                     # due in 20 days
        assert [c.location.code for c in plan_counts(s, company, today)] == [B1]
        assert plan_counts(s, company, today) == []                          # one open sheet per location
        with pytest.raises(Conflict, match="open count already"):
            open_count(s, company, B1)
        sheet = find_count(s, company, "COUNT/00001")
        record(s, company, sheet, {("PEN", None): "3"})
        approve(s, company, sheet, "kim", date=today)
        assert sheet.transaction_id is None                                  # no difference, nothing posted
        assert plan_counts(s, company, today + dt.timedelta(days=6)) == []
        due = plan_counts(s, company, today + dt.timedelta(days=20))
        assert sorted(c.location.code for c in due) == [B1, B2]
        assert_stock_sound(s, company)


def test_count_below_reserved_gives_reservations_back(valued):
    db, _ = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, "PEN", "10", "500", B1)
        receive(s, company, "PEN", "5", "500", B2)
        first, second = deliver(s, company, "PEN", "8"), deliver(s, company, "PEN", "2")
        assert row(s, company, "PEN", B1) == (10, 10)
        first.moves[0].product.barcode = "880-PEN"
        pick(s, company, first, "LOC-B1", "880-PEN", "3")  # in a tote: off the shelf, still booked at B1
        sheet = open_count(s, company, B1)
        assert [line.expected for line in sheet.lines] == [7]
        record(s, company, sheet, {("PEN", None): "3"})      # 4 missing from the shelf
        approve(s, company, sheet, "lee")
        on_hand, reserved = row(s, company, "PEN", B1)
        assert (on_hand, reserved) == (6, 6)                  # 3 on the shelf + 3 picked, all promised
        # The newest delivery gave back first; both found the rest at B2.
        assert [(line.source.code, line.reserved, line.picked) for line in second.moves[0].lines] == [
            (B2, 2, 0)
        ]
        assert sorted((line.source.code, line.reserved, line.picked) for line in first.moves[0].lines) == [
            (B1, 6, 3), (B2, 2, 0)]
        assert balance(s, company, "459") == 2000 and balance(s, company, "147") == 5500
        assert_stock_sound(s, company)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counted=st.integers(0, 14), picked=st.integers(0, 5), found_elsewhere=st.integers(0, 3))
def test_any_count_keeps_reserved_within_on_hand(valued, counted, picked, found_elsewhere):
    """For any count and pick: on hand becomes counted plus picked, nothing promised exceeds it, the
    loss location holds the difference, and the books stay sound (each example rolled back)."""
    db, _ = valued
    with db.factory() as s:
        company = get_company(s, "ACME")
        receive(s, company, "PEN", "10", "500", B1)
        receive(s, company, "PEN", str(found_elsewhere or 1), "500", B2)
        first, _ = deliver(s, company, "PEN", "6"), deliver(s, company, "PEN", "4")
        if picked:
            pick(s, company, first, "LOC-B1", "PEN", str(picked))
        sheet = open_count(s, company, B1)
        record(s, company, sheet, {("PEN", None): str(counted)})
        approve(s, company, sheet, "kim")
        on_hand, reserved = row(s, company, "PEN", B1)
        assert on_hand == counted + picked and reserved <= on_hand
        assert balance(s, company, LOSS, commodity="PEN") == 10 - picked - counted
        assert_stock_sound(s, company)
        s.rollback()


def test_refusals_write_nothing(valued):
    db, _ = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, "PEN", "10", "500", B1)
        receive(s, company, "MILK", "4", "1000", B1, lots=[LotInput("MILK", "L1", "4", "2027-01-01")])
        receive(s, company, "PHONE", "1", "300000", B2, lots=[LotInput("PHONE", "SN1")])
        open_count(s, company, B1)
    attempts = [
        (Conflict, "draft: it cannot be approved", lambda s, c, sheet: approve(s, c, sheet, "kim")),
        (
            NotFound,
            "NOPE",
            lambda s, c, sheet: record(s, c, sheet, {("PEN", None): "9", ("NOPE", None): "1"}),
        ),
        (Invalid, "must not be negative", lambda s, c, sheet: record(s, c, sheet, {("PEN", None): "-1"})),
        (Invalid, "tracked by lot", lambda s, c, sheet: record(s, c, sheet, {("MILK", None): "4"})),
        (Invalid, "counts 0 or 1", lambda s, c, sheet: record(s, c, sheet, {("PHONE", "SN9"): "2"})),
        (
            Conflict,
            "on the books at MAIN/A/01/B2",
            lambda s, c, sheet: record(s, c, sheet, {("PHONE", "SN1"): "1"}),
        ),
        (
            Invalid,
            "not counted yet: MILK:L1",
            lambda s, c, sheet: (record(s, c, sheet, {("PEN", None): "9"}), approve(s, c, sheet, "kim")),
        ),
    ]
    for error, message, attempt in attempts:
        with pytest.raises(error, match=message):
            with db.session() as s:
                company = get_company(s, "ACME")
                attempt(s, company, find_count(s, company, "COUNT/00001"))
    with db.session() as s:
        company = get_company(s, "ACME")
        sheet = find_count(s, company, "COUNT/00001")
        assert sheet.state is CountState.DRAFT
        assert [(line.product.sku, line.expected, line.counted) for line in sheet.lines] == [
            ("PEN", 10, None), ("MILK", 4000, None)]
        record(s, company, sheet, {("PEN", None): "9", ("MILK", "L1"): "4"})
        deliver_now = deliver(s, company, "PEN", "1")
        validate(s, company, deliver_now)                    # stock moves after the sheet was opened
    with pytest.raises(Conflict, match="moved since the sheet was opened"):
        with db.session() as s:
            company = get_company(s, "ACME")
            approve(s, company, find_count(s, company, "COUNT/00001"), "kim")
    with db.session() as s:
        company = get_company(s, "ACME")
        sheet = find_count(s, company, "COUNT/00001")
        assert sheet.state is CountState.COUNTED and sheet.transaction_id is None
        assert balance(s, company, LOSS, commodity="PEN") == 0
        cancel_count(s, company, sheet)
        assert open_count(s, company, B1).lines[0].expected == 9
        assert_stock_sound(s, company)


def test_count_commands(valued, run):
    db, _ = valued
    with db.session() as s:
        receive(s, get_company(s, "ACME"), "PEN", "10", "500", B1)
    assert run("wms", "location", "add", "MAIN/A/01", "B3", "--count-every", "7").exit_code == 0
    result = run("--json", "wms", "count", "plan", "--date", "2026-03-02")
    assert result.exit_code == 0, result.output
    assert [d["location"] for d in json.loads(result.output)] == ["MAIN/A/01/B3"]
    assert run("wms", "count", "open", "LOC-B1").exit_code == 0
    assert (
        run("wms", "count", "record", "COUNT/00002", "--line", "PEN=9.5").exit_code != 0
    )  # pcs: whole units
    assert run("wms", "count", "record", "COUNT/00002", "--line", "PEN=9").exit_code == 0
    result = run("--json", "wms", "count", "approve", "COUNT/00002", "--by", "kim")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["state"], data["approved_by"], data["lines"][0]["difference"]) == ("approved", "kim", "-1")
    assert "COUNT/00002" in run("wms", "count", "list").output
    bad = run("wms", "count", "record", "COUNT/00001", "--line", "PEN")
    assert bad.exit_code != 0 and len(bad.output.strip().splitlines()) == 1, bad.output

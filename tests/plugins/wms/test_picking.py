"""Picking by scans, packing, waves over several deliveries, and the whole
road from receipt to delivery with values checked at every step."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.companies import get_company
from core.errors import Conflict, Invalid, LimitExceeded, NotFound
from core.ledger import balance
from plugins.wms.documents import OperationState, WaveState
from plugins.wms.operations import LineInput, confirm, create_operation, find_operation
from plugins.wms.picking import cancel_wave, create_wave, finish_wave, pack, pick, pick_list, pick_wave
from plugins.wms.putaway import add_rule
from plugins.wms.queries import availability
from plugins.wms.validation import validate
from tests.plugins.wms.conftest import assert_stock_sound

B1, B2 = "MAIN/A/01/B1", "MAIN/A/01/B2"


def receive(s, company, sku, qty, cost, to=None):
    op = create_operation(s, company, "receipt", [LineInput(sku, qty, cost)], party="S1", destination=to)
    return validate(s, company, op)[0]


def deliver(s, company, *lines):
    op = create_operation(s, company, "delivery", [LineInput(*line) for line in lines], party="C1")
    return confirm(s, company, op)


def on_hand(s, company, sku, location):
    return sum(
        (r.on_hand for r in availability(s, company, product=sku) if r.location == location), Decimal(0)
    )


def barcodes(s, company):
    from core.catalog import get_product

    get_product(s, company, "PEN").barcode = "880-PEN"
    get_product(s, company, "PAPER").barcode = "880-PAPER"
    s.flush()


def test_pick_by_scans_refusals_pack_and_validate_what_was_picked(plain):
    db, _ = plain
    with db.session() as s:
        company = get_company(s, "ACME")
        barcodes(s, company)
        receive(s, company, "PEN", "4", None, B1)
        receive(s, company, "PEN", "10", None, B2)
        op = deliver(s, company, ("PEN", "6"))  # FIFO: 4 at B1, 2 at B2
        number = op.number
    refusals = [(Invalid, "nothing of PEN to pick at MAIN/A/01; pick it at MAIN/A/01/B1, MAIN/A/01/B2",
                 ("MAIN/A/01", "880-PEN", "1")),
                (Invalid, "no line for PAPER", ("LOC-B1", "880-PAPER", "1")),
                (NotFound, "no location", ("LOC-B9", "880-PEN", "1")),
                (LimitExceeded, "only 2 left to pick at MAIN/A/01/B2, 3 scanned", ("LOC-B2", "880-PEN", "3")),
                (Invalid, "not tracked by lot", ("LOC-B2", "880-PEN", "1", "L1"))]
    for error, message, scan in refusals:
        with pytest.raises(error, match=message):
            with db.session() as s:
                company = get_company(s, "ACME")
                pick(s, company, find_operation(s, company, number), *scan)
    with db.session() as s:
        company = get_company(s, "ACME")
        op = find_operation(s, company, number)
        assert sum(line.picked for line in op.moves[0].lines) == 0
        with pytest.raises(Conflict, match="nothing picked"):
            pack(s, company, op)
        picked = pick(s, company, op, "LOC-B2", "PEN", "1")          # the SKU works as well as the barcode
        assert [(p.operation, p.location, p.quantity) for p in picked] == [(number, B2, 1)]
        first = pack(s, company, op, 1200)
        pick(s, company, op, "LOC-B2", "880-PEN", "1")                # a packed line splits: the box keeps 1
        second = pack(s, company, op)
        assert (first.number, first.weight_grams, second.number) == ("PACK/00001", 1200, "PACK/00002")
        assert sorted(
            (line.package_id, line.reserved, line.picked) for line in op.moves[0].lines if line.picked
        ) == [(first.id, 1, 1), (second.id, 1, 1)]
        from plugins.wms.views import operation_data

        assert operation_data(company, op)["packages"] == [
            {
                "number": "PACK/00001",
                "weight_grams": 1200,
                "lines": [{"product": "PEN", "lot": None, "quantity": 1}],
            },
            {
                "number": "PACK/00002",
                "weight_grams": None,
                "lines": [{"product": "PEN", "lot": None, "quantity": 1}],
            },
        ]
        assert_stock_sound(s, company)
        _, rest = validate(s, company, op)                            # exactly what was picked, line by line
        assert on_hand(s, company, "PEN", B1) == 4 and on_hand(s, company, "PEN", B2) == 8
        assert [m.demand for m in rest.moves] == [4]
        assert_stock_sound(s, company)


def test_wave_over_two_deliveries(valued):
    db, _ = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        barcodes(s, company)
        receive(s, company, "PEN", "4", "500", B1)
        receive(s, company, "PEN", "10", "500", B2)
        receive(s, company, "PAPER", "5", "20000", B1)
        one = deliver(s, company, ("PEN", "6"))                       # B1 4, B2 2
        two = deliver(s, company, ("PEN", "3"), ("PAPER", "2"))       # B2 3, B1 2
        receipt = create_operation(s, company, "receipt", [LineInput("PEN", "1")], party="S1")
        with pytest.raises(Conflict, match="a wave takes ready deliveries"):
            create_wave(s, company, "MAIN", [one.number, receipt.number])
        wave = create_wave(s, company, "MAIN", [two.number, one.number])
        with pytest.raises(Conflict, match="in wave WAVE/00001 already"):
            create_wave(s, company, "MAIN", [one.number])
        rows = [
            (r.location, r.product, r.quantity, r.picked, r.operations) for r in pick_list(s, company, wave)
        ]
        assert rows == [(B1, "PAPER", 2, 0, (two.number,)), (B1, "PEN", 4, 0, (one.number,)),
                        (B2, "PEN", 5, 0, (one.number, two.number))]
        shared = pick_wave(s, company, wave, "LOC-B2", "880-PEN", "4")  # oldest delivery first
        assert [(p.operation, p.quantity) for p in shared] == [(one.number, 2), (two.number, 2)]
        with pytest.raises(LimitExceeded, match="only 1 left to pick"):
            pick_wave(s, company, wave, "LOC-B2", "880-PEN", "2")
        pick_wave(s, company, wave, "LOC-B1", "880-PEN", "4")
        pick_wave(s, company, wave, "LOC-B1", "880-PAPER", "2")
        assert [r.picked for r in pick_list(s, company, wave)] == [2, 4, 4]
        assert_stock_sound(s, company)
        result = finish_wave(s, company, wave)
        assert (
            wave.state is WaveState.DONE and result.done == (one.number, two.number) and not result.left_out
        )
        assert one.state is OperationState.DONE and two.state is OperationState.DONE
        backorder = find_operation(s, company, result.backorders[0])
        assert [(m.product.sku, m.demand) for m in backorder.moves] == [
            ("PEN", 1)
        ] and backorder.wave_id is None
        assert on_hand(s, company, "PEN", B1) == 0 and on_hand(s, company, "PEN", B2) == 6
        assert balance(s, company, "451") == 8 * 500 + 2 * 20000
        assert_stock_sound(s, company)
        with pytest.raises(Conflict, match="done"):
            cancel_wave(s, company, wave)


def test_cancelled_wave_lets_its_deliveries_go(plain):
    db, _ = plain
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, "PEN", "5", None, B1)
        op = deliver(s, company, ("PEN", "2"))
        wave = create_wave(s, company, None, [op.number])
        pick_wave(s, company, wave, "LOC-B1", "PEN", "1")
        cancel_wave(s, company, wave)
        assert wave.state is WaveState.CANCELLED and op.wave_id is None and op.state is OperationState.READY
        assert op.moves[0].lines[0].picked == 1 and op.moves[0].lines[0].reserved == 2
        assert create_wave(s, company, None, [op.number]).number == "WAVE/00002"
        assert_stock_sound(s, company)


def test_receive_putaway_reserve_pick_pack_deliver_with_values(valued):
    db, _ = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        barcodes(s, company)
        add_rule(s, company, B2, product="PEN")
        receive(s, company, "PEN", "10", "500")                        # to MAIN; the rule puts it in B2
        assert on_hand(s, company, "PEN", B2) == 10 and balance(s, company, "147") == 5000
        assert_stock_sound(s, company)
        op = deliver(s, company, ("PEN", "4"))
        assert [(line.source.code, line.reserved) for line in op.moves[0].lines] == [(B2, 4)]
        assert_stock_sound(s, company)
        pick(s, company, op, "LOC-B2", "880-PEN", "4")
        package = pack(s, company, op, 350)
        assert all(line.package_id == package.id for line in op.moves[0].lines)
        assert_stock_sound(s, company)
        validate(s, company, op)
        assert (
            on_hand(s, company, "PEN", B2) == 6
            and balance(s, company, "VIRTUAL/CUSTOMERS", commodity="PEN") == 4
        )
        assert balance(s, company, "147") == 3000 and balance(s, company, "451") == 2000
        assert op.moves[0].value == 2000
        assert_stock_sound(s, company)


def test_picking_commands(valued, run):
    db, _ = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        barcodes(s, company)
        receive(s, company, "PEN", "10", "500", B1)
        numbers = [deliver(s, company, ("PEN", "2")).number for _ in range(2)]
    result = run("wms", "pick", numbers[0], "--location", "LOC-B1", "--product", "880-PEN", "--qty", "2")
    assert result.exit_code == 0 and "picked 2 PEN" in result.output, result.output
    bad = run("wms", "pick", numbers[1], "--location", "LOC-B1", "--product", "PEN", "--qty", "lots")
    assert bad.exit_code != 0 and len(bad.output.strip().splitlines()) == 1, bad.output
    assert run("wms", "pack", numbers[0], "--weight-grams", "500").exit_code == 0
    assert run("wms", "wave", "create", "--warehouse", "MAIN", *numbers).exit_code == 0
    shown = json.loads(run("--json", "wms", "wave", "show", "WAVE/00001").output)
    assert [(r["location"], r["quantity"], r["picked"]) for r in shown["pick_list"]] == [(B1, "4", "2")]
    assert run("wms", "wave", "pick", "WAVE/00001", "--location", "LOC-B1", "--product", "PEN",
               "--qty", "2").exit_code == 0
    result = run("--json", "wms", "wave", "finish", "WAVE/00001")
    assert result.exit_code == 0 and json.loads(result.output)["done"] == numbers, result.output

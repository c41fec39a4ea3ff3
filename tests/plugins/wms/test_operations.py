"""Receipts, deliveries and transfers: states, backorders, lots, removal
strategies, refusals that write nothing, with and without finance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.companies import get_company
from core.errors import Conflict, Invalid, LimitExceeded
from core.ledger import balance
from plugins.wms.documents import OperationState
from plugins.wms.operations import LineInput, cancel, confirm, create_operation, reserve
from plugins.wms.queries import availability
from plugins.wms.validation import LotInput, validate
from tests.plugins.wms.conftest import assert_stock_sound


def receive(s, company, *lines, lots=(), party="S1", done=None, **kwargs):
    op = create_operation(s, company, "receipt", [LineInput(*line) for line in lines], party=party, **kwargs)
    return validate(s, company, op, done, lots=lots)


def on_hand(s, company, sku, location=None):
    return sum((r.on_hand for r in availability(s, company, product=sku, location=location)), Decimal(0))


@pytest.mark.parametrize("with_finance", [True, False])
def test_receipt_with_backorder_then_delivery(wdb, with_finance, request):
    db, company = request.getfixturevalue("valued" if with_finance else "plain")
    with db.session() as s:
        company = get_company(s, "ACME")
        op, rest = receive(s, company, ("PEN", "100", "500"), done={"PEN": "60"})
        assert op.state is OperationState.DONE and rest.state is OperationState.READY
        assert [m.demand for m in rest.moves] == [40]
        assert balance(s, company, "MAIN", commodity="PEN") == 60
        assert balance(s, company, "VIRTUAL/SUPPLIERS", commodity="PEN") == -60
        if with_finance:
            assert balance(s, company, "147") == 30000 and balance(s, company, "254") == -30000
        assert_stock_sound(s, company)
        delivery = create_operation(s, company, "delivery", [LineInput("PEN", "25")], party="C1")
        confirm(s, company, delivery)
        assert availability(s, company, product="PEN")[0].reserved == 25
        validate(s, company, delivery)
        assert on_hand(s, company, "PEN") == 35
        if with_finance:
            assert balance(s, company, "451") == 12500 and balance(s, company, "147") == 17500
        assert_stock_sound(s, company)


def test_delivery_cannot_take_what_is_not_there_and_writes_nothing(valued):
    db, company = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, ("PEN", "5", "100"))
    with pytest.raises(LimitExceeded, match="only 5 available"):
        with db.session() as s:
            company = get_company(s, "ACME")
            op = create_operation(s, company, "delivery", [LineInput("PEN", "8")], party="C1")
            validate(s, company, op, {"PEN": "8"})
    with db.session() as s:
        company = get_company(s, "ACME")
        assert on_hand(s, company, "PEN") == 5
        assert_stock_sound(s, company)


def test_lots_leave_first_expiring_first_and_must_add_up(valued):
    db, company = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        with pytest.raises(Invalid, match="tracked by lot"):
            receive(s, company, ("MILK", "10", "1200"))
    with db.session() as s:
        company = get_company(s, "ACME")
        with pytest.raises(Invalid, match="add up to"):
            receive(s, company, ("MILK", "10", "1200"), lots=[LotInput("MILK", "L1", "4", "2027-01-10")])
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, ("MILK", "10", "1200"), lots=[LotInput("MILK", "LATE", "4", "2027-03-01"),
                                                         LotInput("MILK", "SOON", "6", "2027-01-10")])
        op = create_operation(s, company, "delivery", [LineInput("MILK", "7.5")], party="C1")
        confirm(s, company, op)
        assert [(line.lot.name, line.reserved) for line in op.moves[0].lines] == [
            ("SOON", 6000),
            ("LATE", 1500),
        ]
        validate(s, company, op)
        assert {r.lot: r.on_hand for r in availability(s, company, product="MILK")} == {
            "LATE": Decimal("2.500")
        }
        assert_stock_sound(s, company)


def test_serial_numbers_are_one_unit_each_and_never_twice_in_stock(valued):
    db, company = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(
            s, company, ("PHONE", "2", "300000"), lots=[LotInput("PHONE", "SN1"), LotInput("PHONE", "SN2")]
        )
    with pytest.raises(Conflict, match="in stock already"):
        with db.session() as s:
            company = get_company(s, "ACME")
            receive(s, company, ("PHONE", "1", "300000"), lots=[LotInput("PHONE", "SN1")])


def test_putaway_internal_transfer_and_cancel(valued):
    db, company = valued
    from plugins.wms.putaway import add_rule

    with db.session() as s:
        company = get_company(s, "ACME")
        add_rule(s, company, "MAIN/A/01/B1", product="PAPER")
        add_rule(s, company, "MAIN/A/01/B2", category="stationery")
        receive(s, company, ("PAPER", "10", "20000"), ("PEN", "10", "100"))
        assert on_hand(s, company, "PAPER", "MAIN/A/01/B1") == 10
        assert on_hand(s, company, "PEN", "MAIN/A/01/B2") == 10
        move = create_operation(s, company, "internal", [LineInput("PAPER", "4")], source="MAIN/A/01/B1",
                                destination="MAIN/A/01/B2")
        confirm(s, company, move)
        validate(s, company, move)
        assert on_hand(s, company, "PAPER", "MAIN/A/01/B2") == 4
        assert balance(s, company, "147") == 201000  # a transfer moves no value
        held = create_operation(s, company, "delivery", [LineInput("PAPER", "6")], party="C1")
        confirm(s, company, held)
        cancel(s, company, held)
        assert availability(s, company, product="PAPER", location="MAIN/A/01/B1")[0].reserved == 0
        with pytest.raises(Conflict, match="cancelled"):
            reserve(s, company, held)
        assert_stock_sound(s, company)


@pytest.mark.parametrize("method", ["fifo", "average"])
def test_negative_stock_only_where_allowed_and_the_gap_settles_at_the_next_receipt(wdb, method):
    from plugins.wms.products import set_rules
    from tests.plugins.wms.conftest import make_stock_company

    make_stock_company(wdb, "NEG", allow_negative=True)
    with wdb.session() as s:
        company = get_company(s, "NEG")
        set_rules(s, company, "PEN", cost_method=method)
        receive(s, company, ("PEN", "5", "100"))
        op = create_operation(s, company, "delivery", [LineInput("PEN", "8")], party="C1")
        validate(s, company, op, {"PEN": "8"})  # three more than there are, at the last cost
        assert balance(s, company, "MAIN", commodity="PEN") == -3
        assert balance(s, company, "451") == 800 and balance(s, company, "147") == -300
        assert_stock_sound(s, company)
        receive(s, company, ("PEN", "10", "120"))  # fills the gap: 3 x (120 - 100) more cost of goods sold
        assert balance(s, company, "451") == 860 and balance(s, company, "147") == 840  # 7 left at 120
        assert_stock_sound(s, company)
        receive(s, company, ("MILK", "2", "1000"), lots=[LotInput("MILK", "L1", "2")])
        milk = create_operation(s, company, "delivery", [LineInput("MILK", "3")], party="C1")
        with pytest.raises(LimitExceeded, match="MILK: only 2.000 available"):
            validate(s, company, milk, {"MILK": "3"})  # never below zero by lot


def test_what_others_reserved_is_never_taken_even_where_negative_is_allowed(wdb):
    from tests.plugins.wms.conftest import make_stock_company

    make_stock_company(wdb, "NEG", allow_negative=True)
    with wdb.session() as s:
        company = get_company(s, "NEG")
        receive(s, company, ("PEN", "5", "100"))
        confirm(s, company, create_operation(s, company, "delivery", [LineInput("PEN", "4")], party="C1"))
        rush = create_operation(s, company, "delivery", [LineInput("PEN", "3")], party="C2")
        with pytest.raises(LimitExceeded):
            validate(s, company, rush, {"PEN": "3"})


def test_a_product_follows_the_company_default_again(valued):
    from plugins.wms.models import Removal
    from plugins.wms.products import removal_of, set_rules
    from plugins.wms.setup import settings_of, update_settings

    db, company = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        assert removal_of(s, settings_of(s, company), _product(s, company, "MILK")) is Removal.FEFO
        set_rules(s, company, "MILK", removal="default")
        update_settings(s, company, removal="fefo")
        assert removal_of(s, settings_of(s, company), _product(s, company, "MILK")) is Removal.FEFO
        update_settings(s, company, removal="fifo")
        assert removal_of(s, settings_of(s, company), _product(s, company, "MILK")) is Removal.FIFO
        receive(s, company, ("PEN", "1", "10"))
        with pytest.raises(Conflict, match="cost method can change only"):
            set_rules(s, company, "PEN", cost_method="average")
        set_rules(s, company, "PEN", cost_method="default")  # the company's is FIFO already: nothing changes


def _product(s, company, sku):
    from core.catalog import get_product

    return get_product(s, company, sku)

"""For any sequence of receipts, reservations, deliveries, transfers and
cancellations: on hand per product and location equals the sum of its done
moves, reserved never exceeds on hand, wms agrees with the ledger, and the
valuation (FIFO for PEN and MILK, moving average for PAPER) equals the
inventory account. A refused step writes nothing."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.companies import get_company
from core.errors import JangbuError
from core.ledger import balance
from plugins.wms.documents import Move, MoveLine, Operation, OperationState
from plugins.wms.models import Cost, Stock
from plugins.wms.operations import LineInput, cancel, confirm, create_operation, find_operation
from plugins.wms.products import set_rules
from plugins.wms.queries import valuation_report
from plugins.wms.setup import settings_of
from plugins.wms.validation import LotInput, validate
from plugins.wms.valuation import total_value
from plugins.wms.values import share
from tests.plugins.wms.conftest import assert_stock_sound, make_stock_company

BINS = ["MAIN", "MAIN/A/01/B1", "MAIN/A/01/B2"]
SKUS = ["PEN", "PAPER", "MILK"]
_codes = itertools.count(1)

quantities = st.integers(min_value=1, max_value=4)
receipts = st.tuples(st.just("receive"), st.sampled_from(SKUS), st.integers(min_value=3, max_value=9),
                     st.integers(100, 990), st.sampled_from(BINS), st.sampled_from(["L1", "L2", "L3"]))
moves = st.one_of(
    receipts,
    st.tuples(st.just("reserve"), st.sampled_from(SKUS), quantities),
    st.tuples(st.just("deliver"), st.sampled_from(SKUS), quantities),
    st.tuples(
        st.just("transfer"), st.sampled_from(SKUS), quantities, st.sampled_from(BINS), st.sampled_from(BINS)
    ),
    st.tuples(st.just("validate_oldest")),
    st.tuples(st.just("cancel_oldest")),
)
# Stock first, then anything: sequences that never receive prove little.
steps = st.tuples(st.lists(receipts, min_size=2, max_size=4), st.lists(moves, min_size=1, max_size=10)).map(
    lambda parts: parts[0] + parts[1])


def _step(s, company, step):
    kind, *args = step
    if kind == "receive":
        sku, qty, cost, place, lot = args
        op = create_operation(s, company, "receipt", [LineInput(sku, str(qty), str(cost))], party="S1",
                              destination=place)
        lots = [LotInput(sku, lot, str(qty), "2027-06-01")] if sku == "MILK" else []
        validate(s, company, op, lots=lots)
    elif kind == "reserve":
        confirm(
            s,
            company,
            create_operation(s, company, "delivery", [LineInput(args[0], str(args[1]))], party="C1"),
        )
    elif kind == "deliver":
        sku, qty = args
        validate(s, company, create_operation(s, company, "delivery", [LineInput(sku, str(qty))], party="C1"),
                 {sku: str(qty)}, backorder=False)
    elif kind == "transfer":
        sku, qty, source, destination = args
        op = create_operation(s, company, "internal", [LineInput(sku, str(qty))], source=source,
                              destination=destination)
        validate(s, company, op, {sku: str(qty)}, backorder=False)
    else:
        oldest = s.scalar(select(Operation.number).where(Operation.company_id == company.id,
                                                         Operation.state == OperationState.READY)
                          .order_by(Operation.id))
        if oldest is not None:
            op = find_operation(s, company, oldest)
            if kind == "validate_oldest":
                validate(s, company, op, backorder=False)
            else:
                cancel(s, company, op)


def _snapshot(s, company):
    return (
        sorted(
            s.execute(
                select(
                    Stock.location_id, Stock.product_id, Stock.lot_id, Stock.on_hand, Stock.reserved
                ).where(Stock.company_id == company.id)
            ).all()
        ),
        total_value(s, company),
        s.scalar(select(func.count()).select_from(Operation).where(Operation.state == OperationState.DONE)),
    )


class CostModel:
    """FIFO layers and moving averages kept apart from wms, fed from the done operations."""

    def __init__(self):
        self.layers = defaultdict(list)   # product id -> [[quantity, value]] (FIFO)
        self.average = defaultdict(lambda: [0, 0])
        self.seen = 0

    def follow(self, s, company):
        for op in s.scalars(select(Operation).where(Operation.company_id == company.id,
                                                    Operation.state == OperationState.DONE,
                                                    Operation.transaction_id > self.seen)
                                 .order_by(Operation.transaction_id)):  # in the order they were done
            self.seen = op.transaction_id
            for move in op.moves:
                averaged = move.product.sku == "PAPER"
                if op.kind.value == "receipt":
                    value = move.unit_cost * move.done // 10**(6 + move.product.unit.scale)
                    if averaged:
                        self.average[move.product_id][0] += move.done
                        self.average[move.product_id][1] += value
                    else:
                        self.layers[move.product_id].append([move.done, value])
                    assert move.value == value
                elif op.kind.value == "delivery":
                    assert move.value == self._issue(move.product_id, move.done, averaged)

    def _issue(self, product_id, units, averaged):
        if averaged:
            quantity, value = self.average[product_id]
            taken = share(value, units, quantity)
            self.average[product_id] = [quantity - units, value - taken]
            return taken
        taken = 0
        for layer in self.layers[product_id]:
            part = min(units, layer[0])
            if part:
                piece = share(layer[1], part, layer[0])
                layer[0], layer[1], units, taken = (
                    layer[0] - part,
                    layer[1] - piece,
                    units - part,
                    taken + piece,
                )
        return taken

    def value_of(self, product_id):
        if product_id in self.average:
            return self.average[product_id][1]
        return sum(value for _, value in self.layers[product_id])


def _assert_invariants(s, company, model):
    assert_stock_sound(
        s, company
    )  # ledger verifies and balances; wms rows, reservations, values agree with it
    moved = defaultdict(int)
    for source, destination, product, done in s.execute(
            select(MoveLine.source_id, MoveLine.destination_id, Move.product_id, MoveLine.done)
            .join(Move, Move.id == MoveLine.move_id).join(Operation, Operation.id == Move.operation_id)
            .where(Operation.company_id == company.id, Operation.state == OperationState.DONE)):
        moved[(destination, product)] += done
        moved[(source, product)] -= done
    held = defaultdict(int)
    for stock in s.scalars(select(Stock).where(Stock.company_id == company.id)):
        assert 0 <= stock.reserved <= max(stock.on_hand, 0)
        assert stock.on_hand >= 0  # the company does not allow negative stock
        held[(stock.location_id, stock.product_id)] += stock.on_hand
    for key, units in held.items():
        assert units == moved[key], key
    inventory = settings_of(s, company).inventory_account.code
    assert balance(s, company, inventory) == total_value(s, company)
    assert valuation_report(s, company).agrees  # the report a person reads says the same
    model.follow(s, company)
    for cost in s.scalars(select(Cost).where(Cost.company_id == company.id)):
        assert cost.value == model.value_of(cost.product_id), cost.product.sku


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_any_sequence_keeps_stock_moves_reservations_and_values_in_step(wdb, sequence):
    code = f"P{next(_codes)}"
    make_stock_company(wdb, code)
    with wdb.session() as s:
        set_rules(s, get_company(s, code), "PAPER", cost_method="average")
    model = CostModel()
    for step in sequence:
        with wdb.session() as s:
            before = _snapshot(s, get_company(s, code))
        try:
            with wdb.session() as s:
                _step(s, get_company(s, code), step)
        except JangbuError:
            with wdb.session() as s:
                assert _snapshot(s, get_company(s, code)) == before  # a refusal writes nothing
        with wdb.session() as s:
            _assert_invariants(s, get_company(s, code), model)

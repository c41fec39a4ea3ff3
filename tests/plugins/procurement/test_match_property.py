"""The three-way match as a property: for random orders, receipts and bills, a
bill is held if and only if a line is outside the tolerances, and a held bill
leaves the ledger untouched."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.procurement.billing import BillLineInput, enter_bill
from plugins.procurement.matching import LineFacts, line_problems
from plugins.procurement.models import BillState
from plugins.procurement.orders import OrderLineInput, confirm_order, create_order
from plugins.procurement.receiving import receive
from plugins.procurement.settings import update_settings
from tests.plugins.procurement.conftest import (
    assert_books_sound,
    grni,
    ledger_transactions,
    make_buying_company,
    payable,
)

bp = st.integers(min_value=0, max_value=2500)


def outside(ordered, billed_price, kept, before, now, qty_bp, price_bp) -> bool:
    """The rule, written again in Decimal percentages."""
    billed = Decimal(before + now)
    too_many = billed > Decimal(kept) * (1 + Decimal(qty_bp) / 10000)
    off_price = abs(Decimal(billed_price) - ordered) > Decimal(ordered) * Decimal(price_bp) / 10000
    return too_many or off_price


@given(ordered=st.integers(0, 10**7), billed=st.integers(0, 10**7), kept=st.integers(0, 10**6),
       before=st.integers(0, 10**6), now=st.integers(1, 10**6), qty_bp=bp, price_bp=bp)
def test_a_line_has_problems_iff_it_is_outside_the_tolerances(
    ordered, billed, kept, before, now, qty_bp, price_bp
):
    facts = LineFacts("PEN", "pcs", 0, 0, "KRW", ordered, billed, kept, before, now)
    problems = line_problems(facts, qty_bp, price_bp)
    assert bool(problems) == outside(ordered, billed, kept, before, now, qty_bp, price_bp)
    assert len(problems) <= 2 and all(p.startswith("PEN: ") for p in problems)


@given(ordered=st.integers(0, 10**7), qty_bp=bp, price_bp=bp, kept=st.integers(1, 1000))
def test_the_boundaries_are_inside(ordered, qty_bp, price_bp, kept):
    """Exactly at a tolerance matches; one unit beyond does not."""
    def problems(price, billed, q_bp, p_bp):
        return line_problems(LineFacts("X", "u", 0, 0, "KRW", ordered, price, kept, 0, billed), q_bp, p_bp)

    top = ordered + ordered * price_bp // 10000
    assert problems(top, 1, 0, price_bp) == []
    assert len(problems(top + 1, 1, 0, price_bp)) == 1
    most = kept * (10000 + qty_bp) // 10000
    assert problems(ordered, most, qty_bp, 0) == []
    assert len(problems(ordered, most + 1, qty_bp, 0)) == 1


_codes = (f"P{n}" for n in itertools.count())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ordered=st.integers(1, 300), received=st.integers(1, 300), billed=st.integers(1, 400),
       price=st.integers(50, 150), qty_pct=st.integers(0, 20), price_pct=st.integers(0, 20))
def test_held_iff_outside_and_a_held_bill_changes_nothing_in_the_books(
    pdb, ordered, received, billed, price, qty_pct, price_pct
):
    code = next(_codes)
    company = make_buying_company(pdb, code, plugins=("finance", "wms", "procurement"), catalogue=False)
    d = dt.date(2026, 7, 1)
    with pdb.session() as s:
        update_settings(s, company, quantity_tolerance=str(qty_pct), price_tolerance=str(price_pct))
        create_order(s, company, "S1", [OrderLineInput("PEN", str(ordered), "100")], date=d)
        confirm_order(s, company, "PO00001", date=d)
        receive(s, company, "PO00001", {"PEN": str(received)}, date=d)
        before = (ledger_transactions(s, company), grni(s, company), payable(s, company))
        bill = enter_bill(s, company, "PO00001", "B", [BillLineInput("PEN", str(billed), str(price))], date=d)
        expected_held = outside(Decimal(100), price, received, 0, billed, qty_pct * 100, price_pct * 100)
        assert (bill.state is BillState.HELD) == expected_held
        after = (ledger_transactions(s, company), grni(s, company), payable(s, company))
        if expected_held:
            assert after == before
        else:
            assert after[0] == before[0] + 1 and after[1] == before[1] - 100 * billed
        assert_books_sound(s, company)

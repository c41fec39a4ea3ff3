"""Goods returned to the supplier: before they are billed (the bill covers what
is kept) and after (a supplier refund credits them back). With wms the goods
leave stock to the suppliers' place, undoing the receipt's posting, so
"goods received not invoiced" still clears."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from plugins.procurement.billing import enter_bill
from plugins.procurement.models import BillState, Progress
from plugins.procurement.orders import OrderLineInput, confirm_order, create_order, find_order
from plugins.procurement.receiving import receive
from plugins.procurement.returns import return_goods
from tests.plugins.procurement.conftest import assert_books_sound, grni, make_buying_company, on_hand, payable

D = dt.date(2026, 9, 1)
BOTH = ("finance", "wms", "procurement")


def _received(pdb, plugins):
    company = make_buying_company(pdb, plugins=plugins)
    with pdb.session() as s:
        create_order(s, company, "S1", [OrderLineInput("PEN", "100")], date=D)
        confirm_order(s, company, "PO00001", date=D)
        receive(s, company, "PO00001", date=D + dt.timedelta(days=2))
        assert grni(s, company) == (30000 if "wms" in plugins and "finance" in plugins else 0)
    return company


def test_returned_before_billing_the_bill_covers_what_is_kept(pdb):
    company = _received(pdb, BOTH)
    with pdb.session() as s:
        ret = return_goods(s, company, "PO00001", "PEN", "10", "cracked", date=D + dt.timedelta(days=3))
        assert (ret.number, ret.operation, ret.credited_units, ret.credit_note) == (
            "RET00001",
            "MAIN/OUT/00001",
            0,
            None,
        )
        assert on_hand(s, company, "PEN") == 90
        assert grni(s, company) == 27000  # the delivery to the supplier debits it back
        assert_books_sound(s, company)
        bill = enter_bill(s, company, "PO00001", "INV-1", date=D + dt.timedelta(days=4))
        assert (bill.state, [line.quantity_units for line in bill.lines]) == (BillState.POSTED, [90])
        order = find_order(s, company, "PO00001")
        assert (order.receipt_state, order.bill_state) == (Progress.FULL, Progress.FULL)
        assert grni(s, company) == 0
        assert_books_sound(s, company)


def test_returned_after_billing_a_refund_credits_them_back(pdb):
    company = _received(pdb, BOTH)
    with pdb.session() as s:
        enter_bill(s, company, "PO00001", "INV-1", date=D + dt.timedelta(days=3))
        owed = payable(s, company)
        assert (owed, grni(s, company)) == (Decimal(33000), 0)
        ret = return_goods(s, company, "PO00001", "PEN", "10", "wrong colour", date=D + dt.timedelta(days=5))
        assert ret.credited_units == 10 and ret.credit_note is not None
        from plugins.finance import api as finance_api

        (refund,) = [d for d in finance_api.documents_of_origin(s, company, "procurement:PO00001")
                     if d.kind == "refund"]
        assert (refund.number, refund.state, refund.untaxed, refund.total) == (ret.credit_note, "posted",
                                                                                Decimal(3000), Decimal(3300))
        assert payable(s, company) == owed - 3300
        assert grni(s, company) == 0 and on_hand(s, company, "PEN") == 90
        order = find_order(s, company, "PO00001")
        line = order.lines[0]
        assert (line.received_units, line.returned_units, line.billed_units, line.credited_units) == (
            100,
            10,
            100,
            10,
        )
        assert order.bill_state is Progress.FULL
        assert_books_sound(s, company)


@pytest.mark.parametrize("plugins", [("procurement",), ("finance", "procurement"), ("wms", "procurement")])
def test_returns_in_the_other_combinations(pdb, plugins):
    company = _received(pdb, plugins)
    with pdb.session() as s:
        enter_bill(s, company, "PO00001", "INV-1", date=D + dt.timedelta(days=3))
        ret = return_goods(s, company, "PO00001", "PEN", "30", "damaged", date=D + dt.timedelta(days=5))
        assert ret.credited_units == 30
        assert (ret.credit_note is not None) == ("finance" in plugins)
        assert (ret.operation is not None) == ("wms" in plugins)
        if "wms" in plugins:
            assert on_hand(s, company, "PEN") == 70
        if "finance" in plugins:
            assert payable(s, company) == Decimal(70 * 300) * Decimal("1.1")
        assert find_order(s, company, "PO00001").bill_state is Progress.FULL
        assert_books_sound(s, company)


def test_a_return_naming_the_wms_operation_that_moved_it_moves_nothing_more(pdb):
    company = _received(pdb, BOTH)
    with pdb.session() as s:
        ret = return_goods(s, company, "PO00001", "PEN", "5", "late", operation="MAIN/OUT/00009",
                           date=D + dt.timedelta(days=3))
        assert ret.operation == "MAIN/OUT/00009" and on_hand(s, company, "PEN") == 100

"""Procure to pay, end to end, in every combination of partners: requisition ->
RFQ to two suppliers -> quotes compared -> purchase order (approved above the
threshold) -> partial receipt (a wms backorder) -> the rest -> bill -> match ->
payment. After every step the ledger verifies and balances, "goods received
not invoiced" is what was received and not billed, stock is right and every
status is what it should be."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import Invalid
from plugins.procurement.billing import BillLineInput, enter_bill, find_bill, pay_bill
from plugins.procurement.models import (
    BillState,
    OrderState,
    PaymentState,
    Progress,
    QuoteState,
    RequisitionState,
    RfqState,
)
from plugins.procurement.orders import OrderLineInput, approve_order, confirm_order, create_order, find_order
from plugins.procurement.receiving import receive
from plugins.procurement.requisitions import RequisitionLineInput, create_requisition, find_requisition
from plugins.procurement.rfqs import choose_quote, compare, create_rfq, find_rfq, record_quote
from plugins.procurement.settings import update_settings
from tests.plugins.procurement.conftest import (  # noqa: F401
    assert_books_sound,
    combo,
    grni,
    make_buying_company,
    make_users,
    on_hand,
    payable,
)

D = dt.date(2026, 3, 2)


def _states(s, company, req="REQ00001", rfq="RFQ00001", po="PO00001"):
    requisition = find_requisition(s, company, req)
    r = find_rfq(s, company, rfq)
    out = {"requisition": requisition.state, "rfq": r.state,
           "quotes": {q.party.code: q.state for q in r.quotes}}
    try:
        order = find_order(s, company, po)
        out.update(order=order.state, receipt=order.receipt_state, bill=order.bill_state,
                   payment=order.payment_state)
    except Exception:
        pass
    return out


def test_procure_to_pay(combo):
    pdb, company, plugins = combo
    wms, finance = "wms" in plugins, "finance" in plugins
    valued = wms and finance
    buyer, manager = make_users(pdb, company)

    def check(s, *, grni_is, stock=None):
        assert_books_sound(s, company)
        assert grni(s, company) == (grni_is if valued else 0)
        if wms and stock is not None:
            assert on_hand(s, company, "PEN", "MAIN") == stock[0]
            assert on_hand(s, company, "PAPER", "MAIN") == stock[1]

    # Approval above 1,000,000 KRW.
    with pdb.session() as s:
        update_settings(s, company, approval_threshold="1000000", warehouse="MAIN" if wms else None)

    # 1. A requisition.
    with pdb.session() as s:
        req = create_requisition(s, company, [RequisitionLineInput("PEN", "1000", D + dt.timedelta(days=10)),
                                              RequisitionLineInput("PAPER", "50")], date=D, by=buyer)
        assert req.number == "REQ00001" and req.state is RequisitionState.DRAFT
        check(s, grni_is=0, stock=(0, 0))

    # 2. An RFQ to S1 and S2.
    with pdb.session() as s:
        rfq = create_rfq(s, company, "REQ00001", ["S1", "S2"], date=D)
        assert rfq.number == "RFQ00001"
        assert _states(s, company) == {"requisition": RequisitionState.OPEN, "rfq": RfqState.OPEN,
                                       "quotes": {"S1": QuoteState.REQUESTED, "S2": QuoteState.REQUESTED}}
        check(s, grni_is=0, stock=(0, 0))

    # 3. Both answer; compared side by side.
    with pdb.session() as s:
        record_quote(s, company, "RFQ00001", "S1", {"PEN": "310", "PAPER": "18000"}, lead_time_days=5,
                     valid_until=D + dt.timedelta(days=30), date=D)
        record_quote(s, company, "RFQ00001", "S2", {"PEN": "300", "PAPER": "17500"}, lead_time_days=7,
                     valid_until=D + dt.timedelta(days=30), date=D)
        cmp = compare(s, company, "RFQ00001", on=D)
        s1, s2 = cmp.quotes
        assert (s1.supplier, s1.total, s1.lead_time_days) == ("S1", Decimal(310 * 1000 + 18000 * 50), 5)
        assert (s2.supplier, s2.total, s2.lead_time_days) == ("S2", Decimal(300 * 1000 + 17500 * 50), 7)
        assert s2.cheapest and not s1.cheapest and s1.fastest and not s2.fastest
        assert [line.prices for line in cmp.lines] == [(Decimal(310), Decimal(300)),
                                                        (Decimal(18000), Decimal(17500))]
        assert [line.catalogue for line in cmp.lines] == [(Decimal(300), Decimal(320)),
                                                           (Decimal(18000), Decimal(17500))]
        assert [line.best for line in cmp.lines] == [1, 1]
        assert _states(s, company)["quotes"] == {"S1": QuoteState.RECEIVED, "S2": QuoteState.RECEIVED}
        check(s, grni_is=0, stock=(0, 0))

    # 4. S2's quote chosen: a draft order; confirming it waits for approval (1,175,000 >= 1,000,000).
    total = Decimal(300 * 1000 + 17500 * 50)
    with pdb.session() as s:
        order = choose_quote(s, company, "RFQ00001", "S2", date=D, by=buyer)
        assert order.number == "PO00001" and order.state is OrderState.DRAFT
        assert [line.expected_date for line in order.lines] == [D + dt.timedelta(days=7)] * 2
        assert [line.catalogue_price_units for line in order.lines] == [320, 17500]
        confirm_order(s, company, "PO00001", date=D)
        assert _states(s, company) == {
            "requisition": RequisitionState.ORDERED, "rfq": RfqState.CHOSEN,
            "quotes": {"S1": QuoteState.LOST, "S2": QuoteState.CHOSEN}, "order": OrderState.TO_APPROVE,
            "receipt": Progress.NOTHING, "bill": Progress.NOTHING, "payment": PaymentState.NOT_PAID}
        check(s, grni_is=0, stock=(0, 0))

    # The buyer cannot approve; the manager can.
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        with pdb.session() as s:
            approve_order(s, company, "PO00001", buyer, date=D)
    with pdb.session() as s:
        approve_order(s, company, "PO00001", manager, date=D)
        order = find_order(s, company, "PO00001")
        assert order.state is OrderState.CONFIRMED and order.approved_by.username == manager
        assert order.untaxed_units == int(total)
        if wms:
            from plugins.wms import api as wms_api

            (receipt,) = wms_api.operations_of_origin(s, company, "procurement:PO00001")
            assert receipt.kind == "receipt" and receipt.state == "ready"
        check(s, grni_is=0, stock=(0, 0))

    # 5. A partial receipt: 600 pens, 50 paper (wms leaves a backorder for 400 pens).
    with pdb.session() as s:
        receive(s, company, "PO00001", {"PEN": "600", "PAPER": "50"}, date=D + dt.timedelta(days=6))
        order = find_order(s, company, "PO00001")
        assert (order.state, order.receipt_state, order.bill_state) == (
            OrderState.CONFIRMED,
            Progress.PARTIAL,
            Progress.NOTHING,
        )
        assert [line.received_units for line in order.lines] == [600, 50]
        if wms:
            ops = wms_api.operations_of_origin(s, company, "procurement:PO00001")
            assert [op.state for op in ops] == ["done", "ready"] and ops[1].backorder_of == ops[0].number
        check(s, grni_is=Decimal(600 * 300 + 50 * 17500), stock=(600, 50))

    # 6. The rest, late.
    with pdb.session() as s:
        receive(s, company, "PO00001", date=D + dt.timedelta(days=9))
        order = find_order(s, company, "PO00001")
        assert (order.state, order.receipt_state) == (OrderState.CONFIRMED, Progress.FULL)
        from sqlalchemy import select

        from plugins.procurement.models import Receipt

        history = s.scalars(select(Receipt).where(Receipt.order_id == order.id).order_by(Receipt.id)).all()
        assert [(h.product.sku, h.quantity_units, h.on_time, h.in_full) for h in history] == [
            ("PEN", 600, True, False), ("PAPER", 50, True, True), ("PEN", 400, False, True)]
        check(s, grni_is=total, stock=(1000, 50))

    # 7. The bill, matching: posted, GRNI cleared.
    before = None
    with pdb.session() as s:
        before = payable(s, company)
        bill = enter_bill(s, company, "PO00001", "S2-INV-77",
                          [BillLineInput("PEN", "1000", "300"), BillLineInput("PAPER", "50")],
                          date=D + dt.timedelta(days=10))
        assert bill.state is BillState.POSTED and bill.matched and bill.held_reason is None
        order = find_order(s, company, "PO00001")
        assert (order.state, order.receipt_state, order.bill_state, order.payment_state) == (
            OrderState.DONE, Progress.FULL, Progress.FULL, PaymentState.NOT_PAID)
        check(s, grni_is=0, stock=(1000, 50))
        if finance:
            from plugins.finance import api as finance_api

            document = finance_api.document(s, company, bill.document_id)
            assert document.state == "posted" and document.untaxed == total
            assert payable(s, company) - before == document.total == total * Decimal("1.1")
        number = bill.number

    # 8. Payment.
    with pdb.session() as s:
        pay_bill(s, company, number, date=D + dt.timedelta(days=20))
        bill = find_bill(s, company, number)
        order = find_order(s, company, "PO00001")
        assert bill.paid and bill.paid_on == D + dt.timedelta(days=20)
        assert order.payment_state is PaymentState.PAID and order.state is OrderState.DONE
        if finance:
            assert payable(s, company) == before
            assert finance_api.document(s, company, bill.document_id).payment_state == "paid"
        check(s, grni_is=0, stock=(1000, 50))


def test_with_wms_a_delivery_note_is_refused_rather_than_lost(pdb):
    """The wms receipt's number is what a receipt is known by; a delivery note given beside it would
    vanish."""
    company = make_buying_company(pdb, plugins=("wms", "procurement"))
    with pdb.session() as s:
        create_order(s, company, "S1", [OrderLineInput("PEN", "10")], date=D)
        confirm_order(s, company, "PO00001", date=D)
    with pytest.raises(Invalid, match="a delivery note is recorded only without wms"):
        with pdb.session() as s:
            receive(s, company, "PO00001", date=D, reference="DN-7")
    with pdb.session() as s:
        assert find_order(s, company, "PO00001").receipt_state is Progress.NOTHING

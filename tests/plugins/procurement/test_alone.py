"""Procurement requires no other plugin: with a plugin manager that knows
neither finance nor wms, a company buys from requisition to paid bill."""

from __future__ import annotations

import datetime as dt

import pytest

import plugins.procurement as procurement
from plugins.procurement.billing import enter_bill, pay_bill
from plugins.procurement.models import OrderState, PaymentState, Progress
from plugins.procurement.orders import confirm_order, find_order
from plugins.procurement.receiving import receive
from plugins.procurement.requisitions import RequisitionLineInput, create_requisition
from plugins.procurement.rfqs import choose_quote, compare, create_rfq, record_quote
from tests.plugins.procurement.conftest import assert_books_sound, make_buying_company

D = dt.date(2026, 10, 1)


@pytest.fixture
def alone(db):
    db.use_plugins(procurement)
    return db


def test_procure_to_pay_without_finance_or_wms_registered(alone):
    company = make_buying_company(alone)
    with alone.session() as s:
        assert sorted(alone.plugins.names()) == ["core", "memo", "procurement"]
        create_requisition(s, company, [RequisitionLineInput("PAPER", "10")], date=D)
        create_rfq(s, company, "REQ00001", ["S1", "S2"], date=D)
        record_quote(s, company, "RFQ00001", "S1", {"PAPER": "18000"}, lead_time_days=2, date=D)
        record_quote(s, company, "RFQ00001", "S2", {"PAPER": "17000"}, lead_time_days=6, date=D)
        assert [q.cheapest for q in compare(s, company, "RFQ00001").quotes] == [False, True]
        choose_quote(s, company, "RFQ00001", "S2", date=D)
        confirm_order(s, company, "PO00001", date=D)
        receive(s, company, "PO00001", {"PAPER": "4"}, date=D + dt.timedelta(days=5), reference="DN-1")
        receive(s, company, "PO00001", date=D + dt.timedelta(days=7))
        bill = enter_bill(s, company, "PO00001", "S2-1", date=D + dt.timedelta(days=8))
        pay_bill(s, company, bill.number, date=D + dt.timedelta(days=30))
        order = find_order(s, company, "PO00001")
        assert (order.state, order.receipt_state, order.bill_state, order.payment_state) == (
            OrderState.DONE, Progress.FULL, Progress.FULL, PaymentState.PAID)
        from sqlalchemy import select

        from plugins.procurement.models import Receipt

        assert [(r.reference, r.quantity_units, r.on_time, r.in_full) for r in s.scalars(
            select(Receipt).order_by(Receipt.id))] == [("DN-1", 4, True, False), ("GRN00001", 6, False, True)]
        assert_books_sound(s, company)

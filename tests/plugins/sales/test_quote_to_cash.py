"""Quote to cash in each combination: sales alone, with finance, with wms, with both.

After every step: the books verify and balance, wms's stock agrees with the
ledger, stock on hand and available, the receivable and every status of
the order are what the step should leave.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.errors import Invalid
from plugins.sales.billing import invoice_order
from plugins.sales.customers import set_terms
from plugins.sales.documents import Order, OrderState
from plugins.sales.fulfilment import deliver
from plugins.sales.orders import LineSpec, cancel, confirm, create_quotation, send
from plugins.sales.settings import update_settings
from tests.plugins.sales.conftest import assert_books_sound, make_sales_company
from tests.plugins.sales.orders_common import available, count, receivable, states, stock_sound

TODAY = dt.date.today()
LINES = [LineSpec("PEN", "60", "1000"), LineSpec("PAPER", "5", "30000", discount="10")]  # 60,000 + 135,000


def _quote(sdb, company, party="C1", lines=LINES):
    with sdb.session() as s:
        order = create_quotation(s, company, party, lines, date=TODAY)
        send(s, company, order.number)
        assert order.untaxed_units == sum(line.net_units for line in order.lines)
        return order.number


def test_quote_to_cash_with_finance_and_wms(sdb):
    from plugins.finance import api as finance_api
    from plugins.wms import api as wms_api

    company = make_sales_company(sdb, plugins=("finance", "wms", "sales"))
    with sdb.session() as s:
        set_terms(s, company, "C1", credit_limit="1000000")
        set_terms(s, company, "C2", credit_limit="10000")
    number = _quote(sdb, company)
    with sdb.session() as s:
        assert states(s, company, number) == ("sent", "nothing", "nothing", "not_paid")
        assert s.scalar(select(Order.untaxed_units).where(Order.number == number)) == 195000
    # Another customer over its limit is refused and nothing is written.
    other = _quote(sdb, company, "C2", [LineSpec("PEN", "20", "1000")])
    with pytest.raises(Invalid, match="credit limit"):
        with sdb.session() as s:
            confirm(s, company, other, date=TODAY)
    with sdb.session() as s:
        assert states(s, company, other) == ("sent", "nothing", "nothing", "not_paid")
        assert wms_api.operations_of_origin(s, company, f"sales:{other}") == []
        assert finance_api.documents_of_origin(s, company, f"sales:{other}") == []
        assert available(s, company, "PEN") == 100
        assert_books_sound(s, company)
    # Confirmed: a delivery reserves the goods; nothing invoiced yet (the company invoices on delivery).
    with sdb.session() as s:
        confirm(s, company, number, date=TODAY)
    with sdb.session() as s:
        assert states(s, company, number) == ("confirmed", "nothing", "nothing", "not_paid")
        [delivery] = wms_api.operations_of_origin(s, company, f"sales:{number}")
        assert delivery.state == "ready" and {l.product: l.reserved for l in delivery.lines} == {
            "PEN": 60,
            "PAPER": 5,
        }
        assert (available(s, company, "PEN"), available(s, company, "PAPER")) == (40, 15)
        assert finance_api.documents_of_origin(s, company, f"sales:{number}") == []
        assert receivable(s, company, "C1") == 0
        assert_books_sound(s, company)
        stock_sound(s, company)
    # A part leaves: the rest waits in a backorder; what left is invoiced.
    with sdb.session() as s:
        deliver(s, company, number, {"PEN": "40", "PAPER": "5"}, date=TODAY)
    with sdb.session() as s:
        assert states(s, company, number) == ("confirmed", "partial", "partial", "not_paid")
        ops = wms_api.operations_of_origin(s, company, f"sales:{number}")
        assert [(op.state, op.backorder_of) for op in ops] == [("done", None), ("ready", delivery.number)]
        assert {l.product: l.demand for l in ops[1].lines} == {"PEN": 20}
        [invoice] = finance_api.documents_of_origin(s, company, f"sales:{number}")
        assert (invoice.state, invoice.untaxed, invoice.total) == ("posted", Decimal(175000), Decimal(192500))
        assert receivable(s, company, "C1") == Decimal(192500)
        order = s.scalar(select(Order).where(Order.number == number))
        assert {l.product.sku: (l.delivered_units, l.invoiced_units, l.cost_units) for l in order.lines} == {
            "PEN": (40, 40, 12000), "PAPER": (5, 5, 90000)}
        assert (available(s, company, "PEN"), available(s, company, "PAPER")) == (40, 15)
        assert_books_sound(s, company)
        stock_sound(s, company)
    # The rest leaves: delivered and invoiced in full, the order is done.
    with sdb.session() as s:
        deliver(s, company, number, date=TODAY)
    with sdb.session() as s:
        assert states(s, company, number) == ("done", "full", "full", "not_paid")
        invoices = finance_api.documents_of_origin(s, company, f"sales:{number}")
        assert [d.untaxed for d in invoices] == [Decimal(175000), Decimal(20000)]
        assert receivable(s, company, "C1") == Decimal(214500)
        assert (available(s, company, "PEN"), available(s, company, "PAPER")) == (40, 15)
        assert_books_sound(s, company)
        stock_sound(s, company)
        with pytest.raises(Invalid):
            invoice_order(s, company, number, date=TODAY)
    # Paid: partly as soon as part of an invoice is (finance's invoice_partly_paid), still partly
    # after the first invoice in full, in full after the second.
    with sdb.session() as s:
        finance_api.register_payment(s, company, "C1", "100000", TODAY, documents=[invoices[0].number])
    with sdb.session() as s:
        assert states(s, company, number) == ("done", "full", "full", "partial")
        finance_api.register_payment(s, company, "C1", "92500", TODAY, documents=[invoices[0].number])
    with sdb.session() as s:
        assert states(s, company, number) == ("done", "full", "full", "partial")
        assert receivable(s, company, "C1") == Decimal(22000)
    with sdb.session() as s:
        finance_api.register_payment(s, company, "C1", "22000", TODAY, documents=[invoices[1].number])
    with sdb.session() as s:
        assert states(s, company, number) == ("done", "full", "full", "paid")
        assert receivable(s, company, "C1") == 0
        assert_books_sound(s, company)
        stock_sound(s, company)


def test_sales_alone_delivers_itself_and_never_invoices(sdb):
    company = make_sales_company(sdb, plugins=("sales",))
    number = _quote(sdb, company)
    with sdb.session() as s:
        confirm(s, company, number, date=TODAY)
        assert states(s, company, number) == ("confirmed", "nothing", "nothing", "not_paid")
    with sdb.session() as s:
        deliver(s, company, number, {"PEN": "10"}, date=TODAY)
        assert states(s, company, number) == ("confirmed", "partial", "nothing", "not_paid")
        with pytest.raises(Invalid, match="finance"):
            invoice_order(s, company, number, date=TODAY)
    with pytest.raises(Invalid, match="more than"):
        with sdb.session() as s:
            deliver(s, company, number, {"PEN": "51"}, date=TODAY)
    with sdb.session() as s:
        deliver(s, company, number, date=TODAY)
        assert states(s, company, number) == ("done", "full", "nothing", "not_paid")
        order = s.scalar(select(Order).where(Order.number == number))
        assert [(l.delivered_units, l.cost_units) for l in order.lines] == [(60, None), (5, None)]
        assert_books_sound(s, company)


def test_finance_without_wms_invoices_on_order(sdb):
    from plugins.finance import api as finance_api

    company = make_sales_company(sdb, plugins=("finance", "sales"))
    with sdb.session() as s:
        update_settings(s, company, invoice_policy="order")
    number = _quote(sdb, company)
    with sdb.session() as s:
        confirm(s, company, number, date=TODAY)
    with sdb.session() as s:
        assert states(s, company, number) == ("confirmed", "nothing", "full", "not_paid")
        [invoice] = finance_api.documents_of_origin(s, company, f"sales:{number}")
        assert invoice.untaxed == Decimal(195000) and receivable(s, company, "C1") == invoice.total
        assert_books_sound(s, company)
    with sdb.session() as s:
        deliver(s, company, number, date=TODAY)
        assert states(s, company, number) == ("done", "full", "full", "not_paid")
        assert len(finance_api.documents_of_origin(s, company, f"sales:{number}")) == 1
    with sdb.session() as s:
        finance_api.register_payment(s, company, "C1", str(invoice.total), TODAY, documents=[invoice.number])
    with sdb.session() as s:
        assert states(s, company, number) == ("done", "full", "full", "paid")
        assert receivable(s, company, "C1") == 0
        assert_books_sound(s, company)


def test_finance_without_wms_invoices_each_delivery(sdb):
    from plugins.finance import api as finance_api

    company = make_sales_company(sdb, plugins=("finance", "sales"))
    number = _quote(sdb, company)
    with sdb.session() as s:
        confirm(s, company, number, date=TODAY)
        deliver(s, company, number, {"PAPER": "2"}, date=TODAY)
        assert states(s, company, number) == ("confirmed", "partial", "partial", "not_paid")
        [invoice] = finance_api.documents_of_origin(s, company, f"sales:{number}")
        assert invoice.untaxed == Decimal(54000)
        assert_books_sound(s, company)


def test_wms_without_finance_reserves_and_backorders(sdb):
    from plugins.wms import api as wms_api

    company = make_sales_company(sdb, plugins=("wms", "sales"))
    number = _quote(sdb, company, lines=[LineSpec("PEN", "120", "1000")])  # 20 more than in stock
    with sdb.session() as s:
        confirm(s, company, number, date=TODAY)
        [delivery] = wms_api.operations_of_origin(s, company, f"sales:{number}")
        assert [(l.demand, l.reserved) for l in delivery.lines] == [(120, 100)]
        assert available(s, company, "PEN") == 0
        stock_sound(s, company)
    with sdb.session() as s:
        deliver(s, company, number, date=TODAY)  # what is reserved leaves
        assert states(s, company, number) == ("confirmed", "partial", "nothing", "not_paid")
        ops = wms_api.operations_of_origin(s, company, f"sales:{number}")
        assert [op.state for op in ops] == ["done", "ready"] and ops[1].lines[0].demand == 20
        stock_sound(s, company)
    with sdb.session() as s:  # the rest arrives and leaves
        receipt = wms_api.create_receipt(
            s, company, "S1", [wms_api.LineInput("PEN", "20", "300")], warehouse="MAIN"
        )
        wms_api.validate_operation(s, company, receipt.number)
        wms_api.reserve_operation(s, company, ops[1].number)
        deliver(s, company, number, date=TODAY)
        assert states(s, company, number) == ("done", "full", "nothing", "not_paid")
        assert available(s, company, "PEN") == 0
        assert_books_sound(s, company)
        stock_sound(s, company)


def test_cancel_gives_the_reservation_back(sdb):
    from plugins.wms import api as wms_api

    company = make_sales_company(sdb, plugins=("finance", "wms", "sales"))
    number = _quote(sdb, company)
    with sdb.session() as s:
        confirm(s, company, number, date=TODAY)
        assert available(s, company, "PEN") == 40
        cancel(s, company, number)
        assert s.scalar(select(Order.state).where(Order.number == number)) is OrderState.CANCELLED
        assert [op.state for op in wms_api.operations_of_origin(s, company, f"sales:{number}")] == [
            "cancelled"
        ]
        assert available(s, company, "PEN") == 100
        stock_sound(s, company)
    delivered = _quote(sdb, company)
    with sdb.session() as s:
        confirm(s, company, delivered, date=TODAY)
        deliver(s, company, delivered, {"PEN": "1"}, date=TODAY)
    with pytest.raises(Invalid, match="no longer be cancelled"):
        with sdb.session() as s:
            cancel(s, company, delivered)


def test_an_expired_quotation_is_confirmed_only_once_its_validity_is_extended(combo):
    sdb, company, plugins = combo
    number = _quote(sdb, company)
    with sdb.session() as s:
        from plugins.sales.orders import update_quotation

        update_quotation(s, company, number, valid_until=TODAY + dt.timedelta(days=2))
    later = TODAY + dt.timedelta(days=3)
    with pytest.raises(Invalid, match="expired on"):
        with sdb.session() as s:
            confirm(s, company, number, date=later)
    with sdb.session() as s:
        assert states(s, company, number)[0] == "sent"
        update_quotation(s, company, number, valid_until=later)
        confirm(s, company, number, date=later)
        assert states(s, company, number)[0] == "confirmed"
        assert_books_sound(s, company)


def test_confirmed_orders_count_against_the_limit(combo):
    sdb, company, plugins = combo
    with sdb.session() as s:
        set_terms(s, company, "C1", credit_limit="250000")
    first, second = _quote(sdb, company), _quote(sdb, company)
    with sdb.session() as s:
        confirm(s, company, first, date=TODAY)
    with pytest.raises(Invalid, match="credit limit"):
        with sdb.session() as s:
            confirm(s, company, second, date=TODAY)
    with sdb.session() as s:
        assert states(s, company, second)[0] == "sent"
        assert count(s, Order, company) == 2

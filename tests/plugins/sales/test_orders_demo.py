"""``jangbu demo`` with sales and its partners: a year of orders whose books, stock and statuses agree."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.sales as sales
import plugins.wms as wms
from core import make_engine, make_session_factory, transaction
from core.companies import get_company
from plugins.sales.documents import ContractBilling, Order, OrderLine, OrderState, PaymentState, Progress
from tests.conftest import make_plugins
from tests.plugins.sales.conftest import assert_books_sound

pytestmark = pytest.mark.slow


def _demo(shared_demo, *partners):
    plugins = make_plugins(*partners, sales)
    return make_engine(shared_demo(*partners, sales)), plugins


def test_the_demo_has_a_year_of_orders_delivered_invoiced_and_paid(shared_demo):
    engine, plugins = _demo(shared_demo, finance, wms, procurement)
    try:
        with transaction(make_session_factory(engine, plugins)) as s:
            company = get_company(s, "DEMO")
            assert_books_sound(s, company)
            from plugins.wms.queries import check_stock

            assert check_stock(s, company) == []
            states = dict(s.execute(select(Order.state, func.count()).group_by(Order.state)).all())
            assert states[OrderState.DONE] > 20 and states.get(OrderState.SENT, 0) > 0
            first, last = s.execute(select(func.min(Order.date), func.max(Order.date))).one()
            # A whole year, though finance closes its older months: it does so after every plugin's demo.
            assert (last - first).days > 330 and company.lock_date is not None and first <= company.lock_date
            assert s.scalar(select(func.count()).select_from(Order).where(
                Order.payment_state == PaymentState.PAID)) > 10
            # Every order done is delivered and invoiced line by line.
            for order in s.scalars(select(Order).where(Order.state == OrderState.DONE)):
                assert order.delivery_state is Progress.FULL and order.invoice_state is Progress.FULL
                assert all(l.delivered_units == l.quantity_units == l.invoiced_units for l in order.lines)
            assert (
                s.scalar(select(func.count()).select_from(OrderLine).where(OrderLine.cost_units.is_not(None)))
                > 0
            )
            assert s.scalar(select(func.count()).select_from(ContractBilling)) > 3
    finally:
        engine.dispose()


def test_the_demo_with_sales_alone(shared_demo):
    engine, plugins = _demo(shared_demo)
    try:
        with transaction(make_session_factory(engine, plugins)) as s:
            assert (
                s.scalar(select(func.count()).select_from(Order).where(Order.state == OrderState.DONE)) > 100
            )
            first, last = s.execute(select(func.min(Order.date), func.max(Order.date))).one()
            assert (last - first).days > 300  # a year: no finance, no closed periods
            assert s.scalar(select(func.count()).select_from(ContractBilling).where(
                ContractBilling.invoice.is_(None))) > 3
    finally:
        engine.dispose()

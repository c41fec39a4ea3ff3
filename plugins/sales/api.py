"""What other plugins may use of sales: the only module they import.

Marketing, service and tms read orders through these functions, which take
codes and hand back frozen records, never sales's tables. Events come the
other way, through the hooks in :mod:`plugins.sales.hookspecs`
(``order_confirmed``, ``order_delivered``, ``order_invoiced``,
``opportunity_won``, ``opportunity_lost``)::

    from plugins.sales import api

    for order in api.orders_of_party(session, company, "C-HANBIT"):
        print(order.number, order.state, order.untaxed)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party
from core.models import Company
from plugins.sales.documents import Order
from plugins.sales.events import (
    OpportunityLost,
    OpportunityWon,
    OrderConfirmed,
    OrderDelivered,
    OrderInvoiced,
)
from plugins.sales.order_common import find_order
from plugins.sales.order_values import discount, money, quantity

__all__ = ["OrderRecord", "OrderLineRecord", "order", "orders_of_party", "OrderConfirmed", "OrderDelivered",
           "OrderInvoiced", "OpportunityWon", "OpportunityLost"]


@attrs.frozen
class OrderLineRecord:
    product: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    net: Decimal
    delivered: Decimal
    invoiced: Decimal


@attrs.frozen
class OrderRecord:
    """A quotation or sales order as other plugins see it (states by value: ``confirmed``, ``partial``...)."""

    id: int
    number: str
    state: str
    customer: str
    date: dt.date
    confirmed_on: Optional[dt.date]
    currency: str
    untaxed: Decimal
    delivery_state: str
    invoice_state: str
    payment_state: str
    salesperson: Optional[str]
    lines: tuple[OrderLineRecord, ...]


def _record(company: Company, row: Order) -> OrderRecord:
    lines = tuple(
        OrderLineRecord(
            line.product.sku,
            line.description,
            quantity(line.product, line.quantity_units),
            money(company, line.price_units),
            discount(line.discount_bp),
            money(company, line.net_units),
            quantity(line.product, line.delivered_units),
            quantity(line.product, line.invoiced_units),
        )
        for line in row.lines
    )
    return OrderRecord(row.id, row.number, row.state.value, row.party.code, row.date, row.confirmed_on,
                       row.currency, money(company, row.untaxed_units), row.delivery_state.value,
                       row.invoice_state.value, row.payment_state.value,
                       row.salesperson.username if row.salesperson else None, lines)


def order(session: Session, company: Company, number: str) -> OrderRecord:
    """One quotation or order by number (``NotFound`` when the company has none)."""
    return _record(company, find_order(session, company, number))


def orders_of_party(session: Session, company: Company, party: str) -> list[OrderRecord]:
    """Every quotation and order of the party ``party`` (a code), newest first."""
    customer = get_party(session, company, party)
    rows = session.scalars(select(Order).where(Order.company_id == company.id, Order.party_id == customer.id)
                           .order_by(Order.date.desc(), Order.id.desc()))
    return [_record(company, row) for row in rows]

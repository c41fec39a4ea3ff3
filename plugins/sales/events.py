"""The events sales announces (attrs frozen, like core's).

Handlers run inside the transaction of the change: a handler that raises
refuses it and nothing of it is written. Amounts are ``Decimal`` in the
order's currency, quantities ``Decimal`` in the product's unit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs

from core.events import Event

__all__ = [
    "OrderLine",
    "OrderConfirmed",
    "OrderDelivered",
    "OrderInvoiced",
    "OpportunityWon",
    "OpportunityLost",
]


@attrs.frozen
class OrderLine:
    """One product of an order: how much, at what net price (after discount)."""

    product: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    net: Decimal


@attrs.frozen(kw_only=True)
class _OrderEvent(Event):
    order_id: int
    number: str
    customer: str
    date: dt.date
    currency: str
    salesperson: Optional[str] = None


@attrs.frozen(kw_only=True)
class OrderConfirmed(_OrderEvent):
    """``total`` is the order's untaxed amount; ``delivery`` the wms operation created for it, if any."""

    total: Decimal
    lines: tuple[OrderLine, ...]
    opportunity: Optional[str] = None
    delivery: Optional[str] = None


@attrs.frozen(kw_only=True)
class OrderDelivered(_OrderEvent):
    """``delivery`` is the wms operation done; ``complete`` tells whether everything ordered has left."""

    delivery: str
    lines: tuple[OrderLine, ...]
    complete: bool


@attrs.frozen(kw_only=True)
class OrderInvoiced(_OrderEvent):
    """``invoice`` is finance's document number; ``amount`` its untaxed amount."""

    invoice: str
    amount: Decimal
    complete: bool


@attrs.frozen(kw_only=True)
class _OpportunityEvent(Event):
    opportunity_id: int
    number: str
    name: str
    customer: Optional[str]
    expected_revenue: Decimal
    currency: str
    owner: Optional[str] = None


@attrs.frozen(kw_only=True)
class OpportunityWon(_OpportunityEvent):
    """Won; ``order`` is the order that won it, when one did."""

    order: Optional[str] = None


@attrs.frozen(kw_only=True)
class OpportunityLost(_OpportunityEvent):
    reason: str

"""The events procurement announces (attrs frozen, like core's).

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

__all__ = ["PurchaseLine", "ReceivedLine", "PurchaseOrderConfirmed", "PurchaseGoodsReceived", "BillMatched"]


@attrs.frozen
class PurchaseLine:
    """One product of an order (or a bill): how much, at what unit price, for what net amount."""

    product: str
    quantity: Decimal
    unit_price: Decimal
    net: Decimal


@attrs.frozen
class ReceivedLine:
    """What arrived of one product now; ``received`` and ``ordered`` are the line's totals."""

    product: str
    quantity: Decimal
    received: Decimal
    ordered: Decimal


@attrs.frozen(kw_only=True)
class _PurchaseEvent(Event):
    order_id: int
    number: str
    supplier: str
    currency: str


@attrs.frozen(kw_only=True)
class PurchaseOrderConfirmed(_PurchaseEvent):
    """``total`` is the order's untaxed amount; ``approved_by`` the manager who approved it, if it needed
    one."""

    date: dt.date
    total: Decimal
    lines: tuple[PurchaseLine, ...]
    approved_by: Optional[str] = None
    receipt: Optional[str] = None


@attrs.frozen(kw_only=True)
class PurchaseGoodsReceived(_PurchaseEvent):
    """``reference`` is the wms receipt (or procurement's GRN number); ``complete`` when all is received."""

    date: dt.date
    lines: tuple[ReceivedLine, ...]
    reference: Optional[str] = None
    backorder: Optional[str] = None
    complete: bool = False


@attrs.frozen(kw_only=True)
class BillMatched(_PurchaseEvent):
    """``bill`` is procurement's number, ``document`` finance's (``None`` without finance)."""

    bill: str
    reference: str
    date: dt.date
    total: Decimal
    lines: tuple[PurchaseLine, ...]
    document: Optional[str] = None
    released: bool = False
    released_by: Optional[str] = None

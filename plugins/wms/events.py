"""The events wms announces (attrs frozen, like core's).

Handlers run inside the operation's database transaction: a handler that
raises refuses the operation and nothing of it is written. Quantities are
``Decimal`` in the product's unit, values ``Decimal`` in the company
currency (``None`` where the company does not value its stock).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs

from core.events import Event

__all__ = ["MovedLine", "GoodsReceived", "GoodsDelivered", "StockReserved", "ProposedOrder",
           "ReplenishmentProposed"]


@attrs.frozen
class MovedLine:
    """One product of an operation: how much moved (or was reserved), from where, to where, which lot."""

    product: str
    quantity: Decimal
    source: str
    destination: str
    lot: Optional[str] = None
    value: Optional[Decimal] = None


@attrs.frozen(kw_only=True)
class _OperationEvent(Event):
    operation_id: int
    number: str
    warehouse: str
    party: Optional[str]
    date: dt.date
    lines: tuple[MovedLine, ...]
    origin: Optional[str] = None
    transaction_id: Optional[int] = None
    backorder: Optional[str] = None


@attrs.frozen(kw_only=True)
class GoodsReceived(_OperationEvent):
    """A receipt is done; ``backorder`` names the operation that waits for the rest."""


@attrs.frozen(kw_only=True)
class GoodsDelivered(_OperationEvent):
    """A delivery is done; ``backorder`` names the operation that waits for the rest."""


@attrs.frozen(kw_only=True)
class StockReserved(_OperationEvent):
    """Stock was reserved for an operation; ``complete`` is false when some is still missing."""

    complete: bool = True


@attrs.frozen
class ProposedOrder:
    """Replenish ``quantity`` of ``product`` for ``warehouse`` by ``route`` (``purchase`` or
    ``manufacture``)."""

    proposal_id: int
    warehouse: str
    product: str
    quantity: Decimal
    route: str
    needed_by: dt.date
    reason: str


@attrs.frozen(kw_only=True)
class ReplenishmentProposed(Event):
    proposals: tuple[ProposedOrder, ...]

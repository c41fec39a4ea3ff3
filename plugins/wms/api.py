"""What other plugins may use of wms: the only module they import.

Sales delivers its orders, procurement receives its purchase orders and
manufacturing moves materials through these functions, which take codes
and exact values and hand back frozen records, never wms's tables. Events
come the other way, through the hooks in :mod:`plugins.wms.hookspecs`
(``goods_received``, ``goods_delivered``, ``stock_reserved``,
``replenishment_proposed``)::

    from plugins.wms import api

    delivery = api.create_delivery(session, company, "C-HANBIT", [api.LineInput("A4-BOX", "10")],
                                   origin=f"sales:{order.number}", reserve=True)
    ...
    @hookimpl(optionalhook=True)
    def goods_delivered(session, company, event):
        if event.origin and event.origin.startswith("sales:"): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.ledger.models import Account
from core.models import Company
from plugins.wms.documents import Operation, OperationKind
from plugins.wms.events import GoodsDelivered, GoodsReceived, MovedLine, ReplenishmentProposed, StockReserved
from plugins.wms.models import Location, Warehouse
from plugins.wms.operations import (
    LineInput,
    cancel,
    confirm,
    create_operation,
    find_operation,
    reserve,
    reserved_of,
)
from plugins.wms.queries import availability
from plugins.wms.setup import settings_of, valued
from plugins.wms.validation import LotInput, validate
from plugins.wms.values import quantity

__all__ = ["LineInput", "LotInput", "OperationRecord", "OperationLine", "create_receipt", "create_delivery",
           "reserve_operation", "validate_operation", "cancel_operation", "operation", "operations_of_origin",
           "available", "received_account", "warehouses", "GoodsReceived", "GoodsDelivered", "StockReserved",
           "ReplenishmentProposed", "MovedLine"]


@attrs.frozen
class OperationLine:
    product: str
    demand: Decimal
    reserved: Decimal
    done: Decimal


@attrs.frozen
class OperationRecord:
    """A receipt, delivery or transfer as other plugins see it."""

    id: int
    number: str
    kind: str
    state: str
    warehouse: str
    party: Optional[str]
    scheduled: dt.date
    done_on: Optional[dt.date]
    origin: Optional[str]
    backorder_of: Optional[str]
    transaction_id: Optional[int]
    lines: tuple[OperationLine, ...]


def _record(op: Operation) -> OperationRecord:
    lines = tuple(
        OperationLine(
            m.product.sku,
            quantity(m.product, m.demand),
            quantity(m.product, reserved_of(m)),
            quantity(m.product, m.done),
        )
        for m in op.moves
    )
    return OperationRecord(op.id, op.number, op.kind.value, op.state.value, op.warehouse.code,
                           op.party.code if op.party else None, op.scheduled, op.done_on, op.origin,
                           op.backorder_of.number if op.backorder_of else None, op.transaction_id, lines)


def create_receipt(session: Session, company: Company, party: Optional[str], lines: Sequence[LineInput], *,
                   warehouse: Optional[str] = None, scheduled: Optional[dt.date | str] = None,
                   origin: Optional[str] = None, reference: str = "") -> OperationRecord:
    """A ready receipt from a supplier (``LineInput(sku, quantity, unit_cost)``)."""
    op = create_operation(session, company, OperationKind.RECEIPT, lines, warehouse=warehouse, party=party,
                          scheduled=scheduled, origin=origin, reference=reference)
    return _record(confirm(session, company, op))


def create_delivery(session: Session, company: Company, party: Optional[str], lines: Sequence[LineInput], *,
                    warehouse: Optional[str] = None, scheduled: Optional[dt.date | str] = None,
                    origin: Optional[str] = None, reference: str = "", reserve: bool = True,
                    to_supplier: bool = False) -> OperationRecord:
    """A delivery to a customer, confirmed and reserved as far as stock allows (a draft without ``reserve``).
    With ``to_supplier`` the goods go back to the suppliers' place instead (a purchase return): valued
    stock then leaves against "goods received not invoiced", undoing a receipt, not as cost of goods sold."""
    destination = None
    if to_supplier:
        destination = session.get(Location, settings_of(session, company).supplier_id).code
    op = create_operation(session, company, OperationKind.DELIVERY, lines, warehouse=warehouse, party=party,
                          destination=destination, scheduled=scheduled, origin=origin, reference=reference)
    return _record(confirm(session, company, op) if reserve else op)


def reserve_operation(session: Session, company: Company, number: str) -> OperationRecord:
    op = find_operation(session, company, number)
    reserve(session, company, op)
    return _record(op)


def validate_operation(session: Session, company: Company, number: str,
                       done: Optional[Mapping[str, object]] = None, *, lots: Sequence[LotInput] = (),
                       date: Optional[dt.date | str] = None, backorder: bool = True) -> OperationRecord:
    """Mark an operation done (SKU -> quantity; default: all of a receipt, what is reserved of the rest)."""
    op, _rest = validate(
        session,
        company,
        find_operation(session, company, number),
        done,
        lots=lots,
        date=date,
        backorder=backorder,
    )
    return _record(op)


def cancel_operation(session: Session, company: Company, number: str) -> OperationRecord:
    return _record(cancel(session, company, find_operation(session, company, number)))


def operation(session: Session, company: Company, number: str) -> OperationRecord:
    return _record(find_operation(session, company, number))


def operations_of_origin(session: Session, company: Company, origin: str) -> list[OperationRecord]:
    """Every operation another plugin created with ``origin`` (backorders included), oldest first."""
    rows = session.scalars(
        select(Operation)
        .where(Operation.company_id == company.id, Operation.origin == origin)
        .order_by(Operation.id)
    )
    return [_record(op) for op in rows]


def available(session: Session, company: Company, sku: str, *, warehouse: Optional[str] = None) -> Decimal:
    """Units of ``sku`` on hand and not reserved, in one warehouse or all of them."""
    product = get_product(session, company, sku)
    rows = availability(session, company, product=product.sku, warehouse=warehouse)
    return sum((row.available for row in rows), quantity(product, 0))


def received_account(session: Session, company: Company) -> Optional[str]:
    """The code of the account receipts credit ("goods received not invoiced"), or ``None`` when the
    company does not value its stock. A purchasing plugin's supplier bills debit it, so it clears."""
    settings = settings_of(session, company)
    if not valued(settings):
        return None
    return session.scalar(select(Account.code).where(Account.id == settings.received_account_id))


def warehouses(session: Session, company: Company) -> list[str]:
    """The codes of the company's active warehouses, in code order."""
    return list(session.scalars(select(Warehouse.code).where(Warehouse.company_id == company.id,
                                                             Warehouse.active.is_(True)).order_by(Warehouse.code)))

"""What other plugins may use of procurement: the only module they import.

Manufacturing asks for materials through these functions, which take codes
and exact values and hand back frozen records, never procurement's tables.
Events come the other way, through the hooks in
:mod:`plugins.procurement.hookspecs` (``purchase_order_confirmed``,
``purchase_goods_received``, ``bill_matched``)::

    from plugins.procurement import api

    req = api.create_requisition(session, company, [api.RequisitionLineInput("STEEL", "40", "2026-04-01")],
                                 origin="manufacturing:MO00012")
    ...
    for po in api.orders_of_origin(session, company, "manufacturing:MO00012"): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Company
from plugins.procurement.events import (
    BillMatched,
    PurchaseGoodsReceived,
    PurchaseLine,
    PurchaseOrderConfirmed,
)
from plugins.procurement.models import PurchaseOrder, Requisition
from plugins.procurement.orders import find_order
from plugins.procurement.requisitions import RequisitionLineInput
from plugins.procurement.requisitions import create_requisition as _create_requisition
from plugins.procurement.values import money, quantity

__all__ = [
    "RequisitionLineInput",
    "RequisitionRecord",
    "RequisitionLineRecord",
    "OrderRecord",
    "OrderLineRecord",
    "create_requisition",
    "requisition",
    "requisitions_of_origin",
    "purchase_order",
    "orders_of_origin",
    "PurchaseOrderConfirmed",
    "PurchaseGoodsReceived",
    "BillMatched",
    "PurchaseLine",
]


@attrs.frozen
class RequisitionLineRecord:
    product: str
    quantity: Decimal
    needed_by: Optional[dt.date]
    warehouse: Optional[str]


@attrs.frozen
class RequisitionRecord:
    number: str
    state: str
    date: dt.date
    note: Optional[str]
    origin: Optional[str]
    lines: tuple[RequisitionLineRecord, ...]


@attrs.frozen
class OrderLineRecord:
    product: str
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    expected: dt.date
    received: Decimal
    returned: Decimal
    billed: Decimal
    credited: Decimal


@attrs.frozen
class OrderRecord:
    """A purchase order as other plugins see it."""

    number: str
    supplier: str
    state: str
    receipt_state: str
    bill_state: str
    payment_state: str
    currency: str
    date: dt.date
    confirmed_on: Optional[dt.date]
    total: Decimal
    requisition: Optional[str]
    lines: tuple[OrderLineRecord, ...]


def _requisition(req: Requisition) -> RequisitionRecord:
    return RequisitionRecord(req.number, req.state.value, req.date, req.note, req.origin, tuple(
        RequisitionLineRecord(line.product.sku, quantity(line.product, line.quantity_units), line.needed_by,
                              line.warehouse) for line in req.lines))


def _order(order: PurchaseOrder) -> OrderRecord:
    cur = order.currency
    return OrderRecord(
        order.number,
        order.party.code,
        order.state.value,
        order.receipt_state.value,
        order.bill_state.value,
        order.payment_state.value,
        cur,
        order.date,
        order.confirmed_on,
        money(order.untaxed_units, cur),
        order.requisition.number if order.requisition else None,
        tuple(
            OrderLineRecord(
                line.product.sku,
                quantity(line.product, line.quantity_units),
                money(line.price_units, cur),
                money(line.net_units, cur),
                line.expected_date,
                quantity(line.product, line.received_units),
                quantity(line.product, line.returned_units),
                quantity(line.product, line.billed_units),
                quantity(line.product, line.credited_units),
            )
            for line in order.lines
        ),
    )


def create_requisition(session: Session, company: Company, lines: Sequence[RequisitionLineInput], *,
                       date: Optional[dt.date | str] = None, note: Optional[str] = None,
                       origin: Optional[str] = None) -> RequisitionRecord:
    """A draft requisition (``RequisitionLineInput(sku, quantity, needed_by, warehouse)``); ``origin`` is
    your reference (``manufacturing:MO00012``), by which :func:`orders_of_origin` finds its orders."""
    return _requisition(_create_requisition(session, company, lines, date=date, note=note, origin=origin))


def requisition(session: Session, company: Company, number: str) -> RequisitionRecord:
    from plugins.procurement.requisitions import find_requisition

    return _requisition(find_requisition(session, company, number))


def requisitions_of_origin(session: Session, company: Company, origin: str) -> list[RequisitionRecord]:
    """Every requisition created with ``origin``, oldest first."""
    rows = session.scalars(select(Requisition).where(Requisition.company_id == company.id,
                                                     Requisition.origin == origin).order_by(Requisition.id))
    return [_requisition(req) for req in rows]


def purchase_order(session: Session, company: Company, number: str) -> OrderRecord:
    return _order(find_order(session, company, number))


def orders_of_origin(session: Session, company: Company, origin: str) -> list[OrderRecord]:
    """Every purchase order made from a requisition created with ``origin``, oldest first."""
    rows = session.scalars(
        select(PurchaseOrder)
        .join(Requisition, PurchaseOrder.requisition_id == Requisition.id)
        .where(PurchaseOrder.company_id == company.id, Requisition.origin == origin)
        .order_by(PurchaseOrder.id)
    )
    return [_order(order) for order in rows]

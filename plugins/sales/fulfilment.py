"""Delivering orders.

With wms a confirmed order creates and reserves a delivery whose origin is
``sales:SO00001``; validating it (in wms, or through :func:`deliver`)
announces wms's ``goods_delivered``, which :func:`on_goods_delivered` turns
into delivered quantities, the cost of what left (when wms values stock)
and the order's delivery state. A partial delivery leaves a backorder in
wms with the same origin. Without wms, :func:`deliver` records delivery
directly. Either way sales announces ``order_delivered`` and, where the
company installed finance and invoices on delivery, invoices what left.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Mapping, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Invalid
from core.models import Company
from core.plugins import plugins_of
from plugins.sales import partners
from plugins.sales.billing import invoice_order, invoiceable
from plugins.sales.crm_common import optional_date
from plugins.sales.documents import Order, OrderState, Progress
from plugins.sales.events import OrderDelivered
from plugins.sales.order_common import event_lines, find_order, refresh_state
from plugins.sales.order_values import (
    money_units,
    number_of_origin,
    origin_of,
    part_of,
    quantity,
    quantity_units,
)
from plugins.sales.settings import settings_of

__all__ = ["start_delivery", "cancel_deliveries", "open_deliveries", "deliver", "on_goods_delivered",
           "record_delivery"]

_OPEN = ("draft", "ready")


def _remaining(order: Order) -> dict[str, int]:
    """SKU -> units still to deliver, in line order."""
    left: dict[str, int] = {}
    for line in order.lines:
        rest = line.quantity_units - line.delivered_units
        if rest > 0:
            left[line.product.sku] = left.get(line.product.sku, 0) + rest
    return left


def start_delivery(session: Session, company: Company, order: Order) -> Optional[str]:
    """A wms delivery of everything not yet delivered, reserved as far as stock allows: its number."""
    wms_api = partners.wms_api()

    products = {line.product.sku: line.product for line in order.lines}
    lines = [
        wms_api.LineInput(sku, quantity(products[sku], units)) for sku, units in _remaining(order).items()
    ]
    if not lines:
        return None
    record = wms_api.create_delivery(session, company, order.party.code, lines,
                                     warehouse=settings_of(session, company).warehouse,
                                     scheduled=order.commitment or order.confirmed_on,
                                     origin=origin_of(order.number), reference=order.number, reserve=True)
    return record.number


def open_deliveries(session: Session, company: Company, order: Order) -> list:
    """The wms deliveries of the order that are not done or cancelled (wms records)."""
    if not partners.installed(session, company, "wms"):
        return []
    wms_api = partners.wms_api()

    return [op for op in wms_api.operations_of_origin(session, company, origin_of(order.number))
            if op.kind == "delivery" and op.state in _OPEN]


def cancel_deliveries(session: Session, company: Company, order: Order) -> None:
    wms_api = partners.wms_api()

    for op in open_deliveries(session, company, order):
        wms_api.cancel_operation(session, company, op.number)


def deliver(session: Session, company: Company, number: str, done: Optional[Mapping[str, object]] = None, *,
            date=None) -> Order:
    """Deliver (a part of) a confirmed order: SKU -> quantity, default everything still due (with wms:
    what is reserved of its open delivery, the rest waits in a backorder)."""
    order = find_order(session, company, number, lock=True)
    if order.state is not OrderState.CONFIRMED:
        raise Invalid(f"{order.number} is {order.state.value}: only a confirmed order is delivered")
    day = optional_date(date, "date") or dt.date.today()
    if partners.installed(session, company, "wms"):
        wms_api = partners.wms_api()

        waiting = open_deliveries(session, company, order)
        if not waiting:
            raise Invalid(f"{order.number} has no open delivery")
        wms_api.validate_operation(session, company, waiting[0].number, done, date=day, backorder=True)
        session.refresh(order)
        return order
    due = _remaining(order)
    products = {line.product.sku: line.product for line in order.lines}
    if done is None:
        wanted = {sku: quantity(products[sku], units) for sku, units in due.items()}
    else:
        wanted = {}
        for sku, qty in done.items():
            sku = str(sku).strip()
            if sku not in products:
                raise Invalid(f"{order.number} has no {sku}")
            if quantity_units(products[sku], qty) > due.get(sku, 0):
                raise Invalid(
                    f"{order.number}: {qty} {sku} is more than the {quantity(products[sku], due.get(sku, 0))}"
                    f" still to deliver"
                )
            wanted[sku] = qty
    if not wanted:
        raise Invalid(f"{order.number}: nothing to deliver")
    record_delivery(session, company, order, wanted, {}, delivery=order.number, date=day)
    return order


def record_delivery(session: Session, company: Company, order: Order, moved: Mapping[str, object],
                    values: Mapping[str, Optional[Decimal]], *, delivery: str, date: dt.date) -> None:
    """Add what left (SKU -> quantity; value SKU -> cost, when known) to the order's lines, announce
    ``order_delivered`` and invoice it where the company invoices on delivery."""
    taken: dict[int, int] = {}
    for sku, qty in moved.items():
        lines = [line for line in order.lines if line.product.sku == sku]
        if not lines:
            raise Invalid(f"{order.number} has no {sku}, but {delivery} delivered it")
        left = total = quantity_units(lines[0].product, qty)
        cost = values.get(sku)
        cost_total = None if cost is None else money_units(company, cost, what="cost")
        for index, line in enumerate(lines):
            room = line.quantity_units - line.delivered_units
            take = left if index == len(lines) - 1 else min(left, room)
            if take > room:
                raise Invalid(f"{order.number}: {delivery} delivers more {sku} than was ordered")
            if take <= 0:
                continue
            line.delivered_units += take
            taken[line.id] = take
            if cost_total is not None:
                line.cost_units = (line.cost_units or 0) + part_of(cost_total, take, total)
                cost_total -= part_of(cost_total, take, total)
                total -= take
            left -= take
    refresh_state(session, company, order)
    plugins_of(session).for_company(session, company).order_delivered(
        session=session, company=company,
        event=OrderDelivered(company_id=company.id, order_id=order.id, number=order.number,
                             customer=order.party.code, date=date, currency=order.currency,
                             salesperson=order.salesperson.username if order.salesperson else None,
                             delivery=delivery, lines=event_lines(order, taken),
                             complete=order.delivery_state is Progress.FULL))
    if (
        partners.installed(session, company, "finance")
        and settings_of(session, company).invoice_policy.value == "delivery"
    ):
        if invoiceable(session, company, order):
            invoice_order(session, company, order.number, date=date)


def on_goods_delivered(session: Session, company: Company, event) -> None:
    """wms delivered goods: when the delivery is one of a sales order's, record it on the order."""
    number = number_of_origin(getattr(event, "origin", None))
    if number is None:
        return
    order = session.scalar(select(Order).where(Order.company_id == company.id, Order.number == number))
    if order is None or order.state is not OrderState.CONFIRMED:
        return
    moved: dict[str, Decimal] = defaultdict(Decimal)
    valued: dict[str, Decimal] = defaultdict(Decimal)
    unknown: set[str] = set()
    for line in event.lines:
        moved[line.product] += line.quantity
        if line.value is None:
            unknown.add(line.product)  # a part without value: the cost stays unknown
        else:
            valued[line.product] += abs(line.value)
    moved = {sku: qty for sku, qty in moved.items() if qty > 0}
    values = {sku: None if sku in unknown else valued[sku] for sku in moved}
    if moved:
        record_delivery(session, company, order, moved, values, delivery=event.number, date=event.date)

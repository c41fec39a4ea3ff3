"""Goods arriving for purchase orders, and the receipt history supplier
performance is measured on.

With wms the goods come through the order's wms receipt: validating it
(all, or a part that leaves a backorder) announces ``goods_received``, which
:func:`on_goods_received` turns into received quantities and history rows.
:func:`receive` validates that receipt through wms's api, so the CLI and the
web receive the same way with or without wms. Without wms procurement
records the receipt itself (GRN00001).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Optional

from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Conflict, Invalid
from core.models import Company
from core.numbering import next_number
from plugins.procurement.common import clean_text, day, order_number_of
from plugins.procurement.events import PurchaseGoodsReceived, ReceivedLine
from plugins.procurement.models import OrderLine, OrderState, Progress, PurchaseOrder, Receipt, ReceiptSource
from plugins.procurement.orders import find_order, lock_order, open_receipts, refresh
from plugins.procurement.partners import announce, has_wms, wms_api
from plugins.procurement.values import quantity, quantity_units

__all__ = ["receive", "still_expected", "on_goods_received", "record_receipt"]

RECEIVABLE = (OrderState.CONFIRMED, OrderState.DONE)


def _receivable(order: PurchaseOrder) -> None:
    if order.state not in RECEIVABLE:
        raise Conflict(
            f"purchase order {order.number} is {order.state.value}: only a confirmed order receives goods"
        )


def still_expected(line: OrderLine) -> int:
    """Units of the order line not received yet (none where more came than was ordered)."""
    return max(line.quantity_units - line.received_units, 0)


def receive(
    session: Session,
    company: Company,
    number: str,
    quantities: Optional[Mapping[str, object]] = None,
    *,
    date: Optional[dt.date | str] = None,
    reference: Optional[str] = None,
) -> PurchaseOrder:
    """Goods of order ``number`` arrived: ``{sku: quantity}``, or everything still expected.

    With wms the order's waiting wms receipt is validated (what is not received stays on its
    backorder); without wms the receipt is recorded here (GRN00001).
    """
    order = find_order(session, company, number)
    _receivable(order)
    when = day(date)
    if has_wms(session, company):
        if reference:
            raise Invalid(f"{order.number} is received through its wms receipt, which keeps its own number: "
                          "a delivery note is recorded only without wms")
        # wms locks its operation, then on_goods_received the order: the order is not locked first,
        # so a receipt validated here and one validated in wms queue in the same order.
        waiting = open_receipts(session, company, order)
        if not waiting:
            raise Conflict(f"purchase order {order.number} has no wms receipt waiting for goods")
        receipt = waiting[0]
        done = None
        if quantities is not None:
            if not quantities:
                raise Invalid("name at least one product received")
            done = {line.product: 0 for line in receipt.lines}  # what is not named did not come
            for sku, value in quantities.items():
                product = get_product(session, company, sku)
                if not any(line.product == product.sku for line in receipt.lines):
                    raise Invalid(f"{receipt.number} of {order.number} does not expect {product.sku}")
                done[product.sku] = quantity(product, quantity_units(product, value))
        wms_api().validate_operation(session, company, receipt.number, done, date=when)
        session.refresh(order)
        return order
    order = lock_order(session, order)
    _receivable(order)
    if quantities is None:
        wanted = {}
        for line in order.lines:
            if still_expected(line):
                wanted[line.product.sku] = wanted.get(line.product.sku, 0) + still_expected(line)
        if not wanted:
            raise Conflict(f"purchase order {order.number} has received everything ordered")
        amounts = {sku: units for sku, units in wanted.items()}
    else:
        if not quantities:
            raise Invalid("name at least one product received")
        amounts = {}
        for sku, value in quantities.items():
            product = get_product(session, company, sku)
            amounts[product.sku] = amounts.get(product.sku, 0) + quantity_units(product, value)
        for sku, units in amounts.items():
            lines = [line for line in order.lines if line.product.sku == sku]
            if not lines:
                raise Invalid(f"purchase order {order.number} has no line for {sku}")
            rest = sum(still_expected(line) for line in lines)
            if units > rest:
                product = lines[0].product
                raise Invalid(f"{sku}: {quantity(product, units)} received but only "
                              f"{quantity(product, rest)} {product.unit.code} still expected on "
                              f"{order.number}")
    grn = clean_text(reference, "a receipt reference", 60) or next_number(session, company, "GRN")
    record_receipt(session, company, order, amounts, when, ReceiptSource.MANUAL, grn, None)
    return order


def on_goods_received(session: Session, company: Company, event) -> None:
    """wms's ``goods_received``: a receipt of one of procurement's orders was validated."""
    number = order_number_of(event.origin)
    if number is None:
        return
    order = lock_order(session, find_order(session, company, number))
    _receivable(order)
    amounts: dict[str, int] = defaultdict(int)
    for moved in event.lines:
        line = next((line for line in order.lines if line.product.sku == moved.product), None)
        if line is None:
            raise Invalid(f"{event.number} received {moved.product}, which {order.number} did not order")
        amounts[moved.product] += quantity_units(line.product, moved.quantity, positive=False)
    record_receipt(session, company, order, {sku: units for sku, units in amounts.items() if units},
                   event.date, ReceiptSource.WMS, event.number, event.backorder)


def record_receipt(
    session: Session,
    company: Company,
    order: PurchaseOrder,
    amounts: Mapping[str, int],
    when: dt.date,
    source: ReceiptSource,
    reference: str,
    backorder: Optional[str],
) -> list[Receipt]:
    """Spread ``{sku: units}`` over the order's lines of each product (in order, the rest on the last),
    write one history row per line touched, refresh the order and announce ``purchase_goods_received``."""
    rows: list[Receipt] = []
    touched: list[tuple[OrderLine, int]] = []
    for sku, units in amounts.items():
        lines = [line for line in order.lines if line.product.sku == sku]
        left = units
        for n, line in enumerate(lines):
            take = (
                left if n == len(lines) - 1 else min(left, max(line.quantity_units - line.received_units, 0))
            )
            if take <= 0:
                continue
            left -= take
            line.received_units += take
            touched.append((line, take))
            rows.append(
                Receipt(
                    company_id=company.id,
                    order=order,
                    order_line=line,
                    party_id=order.party_id,
                    product_id=line.product_id,
                    source=source,
                    reference=reference,
                    date=when,
                    expected_date=line.expected_date,
                    ordered_on=order.confirmed_on or order.date,
                    ordered_units=line.quantity_units,
                    quantity_units=take,
                    received_total_units=line.received_units,
                    on_time=when <= line.expected_date,
                    in_full=line.received_units >= line.quantity_units,
                )
            )
    session.add_all(rows)
    refresh(session, company, order)
    announce(session, company, "purchase_goods_received", PurchaseGoodsReceived(
        company_id=company.id, order_id=order.id, number=order.number, supplier=order.party.code,
        currency=order.currency, date=when, reference=reference, backorder=backorder,
        complete=order.receipt_state is Progress.FULL,
        lines=tuple(ReceivedLine(line.product.sku, quantity(line.product, take),
                                 quantity(line.product, line.received_units),
                                 quantity(line.product, line.quantity_units)) for line, take in touched)))
    return rows

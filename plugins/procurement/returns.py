"""Goods sent back to a supplier (RET00001), recorded against the order line
they came on: they lower what the supplier may bill and count in the
supplier's returns rate.

- With wms the goods leave stock through a wms delivery to the suppliers'
  place (origin ``procurement:PO00001``), validated at once; where stock is
  valued it posts Dr "goods received not invoiced" / Cr inventory, undoing the
  receipt's posting (wms api ``create_delivery(..., to_supplier=True)``).
  When the storekeeper already moved them in wms, ``operation`` names that
  operation and procurement only records the return.
- What of the returned quantity had been billed already is credited back
  (``credited_units``); with finance a supplier refund is posted for it at the
  order price on "goods received not invoiced" (valued stock) or the default
  expense account, the billed price's difference on the expense account, like
  the bill it reverses.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Conflict, Invalid
from core.models import Company
from core.numbering import next_number
from plugins.procurement.common import clean_text, day, origin_of
from plugins.procurement.models import Bill, BillLine, BillState, OrderLine, PurchaseOrder, Return
from plugins.procurement.orders import find_order, lock_order, refresh
from plugins.procurement.partners import finance_api, has_finance, has_wms, wms_api
from plugins.procurement.receiving import RECEIVABLE
from plugins.procurement.values import money, quantity, quantity_units

__all__ = ["return_goods", "returns_of"]


def return_goods(session: Session, company: Company, number: str, sku: str, amount, reason: str, *,
                 date: Optional[dt.date | str] = None, operation: Optional[str] = None) -> Return:
    """Send ``amount`` of ``sku`` received on order ``number`` back to its supplier, with the reason."""
    order = find_order(session, company, number)
    if order.state not in RECEIVABLE:
        raise Conflict(f"purchase order {order.number} is {order.state.value}: nothing to return")
    product = get_product(session, company, sku)
    units = quantity_units(product, amount)
    why = clean_text(reason, "a return's reason", 200, required=True)
    op_ref = clean_text(operation, "a wms operation", 60)
    when = day(date)
    ret_number = next_number(session, company, "RET")
    delivered = None
    if has_wms(session, company) and op_ref is None:
        api = wms_api()  # the wms operation first, then the order (the order wms's validation locks)
        delivery = api.create_delivery(session, company, order.party.code,
                                       [api.LineInput(product.sku, quantity(product, units))],
                                       warehouse=order.warehouse, origin=origin_of(order.number),
                                       reference=ret_number, reserve=True, to_supplier=True)
        delivered = api.validate_operation(
            session, company, delivery.number, {product.sku: quantity(product, units)}, date=when
        ).number
    order = lock_order(session, order)
    lines = [line for line in order.lines if line.product_id == product.id]
    if not lines:
        raise Invalid(f"purchase order {order.number} has no line for {product.sku}")
    kept = sum(line.received_units - line.returned_units for line in lines)
    if units > kept:
        raise Invalid(
            f"{product.sku}: {quantity(product, units)} returned but only "
            f"{quantity(product, max(kept, 0))} {product.unit.code} received and kept on {order.number}"
        )
    first, left, credits = None, units, []
    for line in lines:
        take = min(left, line.received_units - line.returned_units)
        if take <= 0:
            continue
        line.returned_units += take
        left -= take
        first = first or line
        # billed beyond what is now kept: credited back
        credit = max(0, line.billed_units - line.credited_units - (line.received_units - line.returned_units))
        if credit:
            line.credited_units += credit
            credits.append((line, credit))
    row = Return(
        company_id=company.id,
        number=ret_number,
        order=order,
        order_line=first,
        party_id=order.party_id,
        product_id=product.id,
        date=when,
        quantity_units=units,
        reason=why,
        operation=delivered or op_ref,
        credited_units=sum(credit for _, credit in credits),
    )
    session.add(row)
    session.flush()
    if credits and has_finance(session, company):
        row.credit_note = _refund(session, company, order, row, credits, when)
    refresh(session, company, order)
    return row


def _billed_price(session: Session, line: OrderLine) -> int:
    """The price the line was last billed at (posted bills)."""
    price = session.scalar(select(BillLine.price_units).join(Bill).where(
        BillLine.order_line_id == line.id, Bill.state == BillState.POSTED).order_by(Bill.id.desc()).limit(1))
    return line.price_units if price is None else price


def _refund(
    session: Session, company: Company, order: PurchaseOrder, row: Return, credits, when: dt.date
) -> str:
    api = finance_api()
    received = wms_api().received_account(session, company) if has_wms(session, company) else None
    lines = []
    for line, units in credits:
        qty, billed = quantity(line.product, units), _billed_price(session, line)
        if received is None:
            lines.append(
                api.LineInput(line.description, money(billed, order.currency), qty, product=line.product.sku)
            )
            continue
        lines.append(api.LineInput(line.description, money(line.price_units, order.currency), qty,
                                   product=line.product.sku, account=received))
        if billed != line.price_units:
            lines.append(api.LineInput(f"{line.product.sku}: price difference on {order.number}",
                                       money(billed - line.price_units, order.currency), qty))
    document = api.create_document(
        session,
        company,
        "refund",
        order.party.code,
        when,
        lines,
        currency=order.currency,
        reference=row.number,
        origin=origin_of(order.number),
        post=True,
    )
    return document.number


def returns_of(session: Session, company: Company, order: PurchaseOrder) -> list[Return]:
    return list(
        session.scalars(
            select(Return)
            .where(Return.company_id == company.id, Return.order_id == order.id)
            .order_by(Return.id)
        )
    )

"""Purchase orders: written (directly, or from a requisition or a chosen
quote), confirmed, approved by a purchasing manager when their total is at
or above the company's threshold, cancelled while nothing arrived.

Confirming an order of a company with wms creates the wms receipt that
waits for the goods (origin ``procurement:PO00001``); the order's receipt,
bill and payment states follow what happens to it (:func:`refresh`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party, get_product
from core.errors import Conflict, Invalid
from core.models import Company, Party, User, utcnow
from core.numbering import next_number
from core.progress import progress_of
from core.values import parse_date
from plugins.procurement.catalogue import catalogue_row
from plugins.procurement.common import clean_text, day, find_document, origin_of, require_approver, user_of
from plugins.procurement.events import PurchaseLine, PurchaseOrderConfirmed
from plugins.procurement.models import (
    OrderLine,
    OrderState,
    PaymentState,
    Progress,
    PurchaseOrder,
    Requisition,
    RequisitionState,
)
from plugins.procurement.partners import announce, has_wms, wms_api
from plugins.procurement.settings import settings_of
from plugins.procurement.values import check_currency, money, money_units, net_of, quantity, quantity_units

__all__ = ["OrderLineInput", "create_order", "find_order", "list_orders", "confirm_order", "approve_order",
           "cancel_order", "refresh", "needs_approval", "open_receipts", "lock_order", "MAX_LINES"]

MAX_LINES = 200


@attrs.frozen
class OrderLineInput:
    """One product to order: SKU, quantity, unit price (``None``: the supplier's catalogue price),
    expected date (``None``: the order date plus the supplier's lead time)."""

    product: str
    quantity: object
    price: object = None
    expected: Optional[dt.date | str] = None


def create_order(session: Session, company: Company, supplier: str | Party,
                 lines: Sequence[OrderLineInput] = (), *, date: Optional[dt.date | str] = None,
                 currency: Optional[str] = None, requisition: Optional[str | Requisition] = None,
                 warehouse: Optional[str] = None, reference: Optional[str] = None, note: Optional[str] = None,
                 by: Optional[User | str] = None, quote=None, lead_time_days: Optional[int] = None,
                 check_minimum: bool = True) -> PurchaseOrder:
    """A draft purchase order (PO00001) to ``supplier``.

    Without ``lines`` the requisition's lines are ordered at catalogue prices. A quantity below the
    supplier's minimum order quantity is refused (``check_minimum``; a chosen quote skips it).
    """
    settings = settings_of(session, company)
    party = supplier if isinstance(supplier, Party) else get_party(session, company, supplier)
    when = day(date)
    req = None
    if requisition is not None:
        req = requisition if isinstance(requisition, Requisition) else \
            find_document(session, Requisition, company, "requisition", requisition)
        if req.state not in (RequisitionState.DRAFT, RequisitionState.OPEN):
            raise Conflict(
                f"requisition {req.number} is {req.state.value}: nothing more can be ordered from it"
            )
    req_lines: list = [None] * len(lines)
    if not lines:
        if req is None:
            raise Invalid("a purchase order needs at least one line")
        lines = [OrderLineInput(line.product.sku, quantity(line.product, line.quantity_units), None,
                                line.needed_by) for line in req.lines]
        req_lines = list(req.lines)
    lines = list(lines)
    if len(lines) > MAX_LINES:
        raise Invalid(f"a purchase order has at most {MAX_LINES} lines")
    cur = check_currency(currency) if currency else None
    order = PurchaseOrder(company_id=company.id, party=party, date=when, state=OrderState.DRAFT,
                          receipt_state=Progress.NOTHING, bill_state=Progress.NOTHING,
                          payment_state=PaymentState.NOT_PAID, requisition=req, quote=quote,
                          warehouse=_warehouse(warehouse, req, settings), created_by=user_of(session, by),
                          reference=clean_text(reference, "a supplier reference", 60),
                          note=clean_text(note, "a note", 2000))
    for position, (given, req_line) in enumerate(zip(lines, req_lines), start=1):
        product = get_product(session, company, given.product)
        units = quantity_units(product, given.quantity)
        item = catalogue_row(session, company, party, product)
        if cur is None:
            cur = item.currency if item is not None and given.price is None else company.currency
        if given.price is None or given.price == "":
            if item is None:
                raise Invalid(f"{product.sku}: {party.code} has no catalogue price for it; give the price")
            if item.currency != cur:
                raise Invalid(f"{product.sku}: {party.code}'s catalogue price is in {item.currency}, "
                              f"the order in {cur}; give the price")
            price = item.price_units
        else:
            price = money_units(given.price, cur, what=f"{product.sku}: price")
        if check_minimum and item is not None and units < item.min_quantity_units:
            raise Invalid(f"{product.sku}: {party.code} sells at least "
                          f"{quantity(product, item.min_quantity_units)} {product.unit.code}, not "
                          f"{quantity(product, units)}")
        lead = lead_time_days if lead_time_days is not None else (item.lead_time_days if item else 0)
        expected = parse_date(given.expected) if given.expected not in (None, "") else \
            when + dt.timedelta(days=lead)
        if expected < when:
            raise Invalid(f"{product.sku}: expected {expected} is before the order date {when}")
        catalogue_price = item.price_units if item is not None and item.currency == cur else None
        order.lines.append(OrderLine(
            company_id=company.id, position=position, product=product, description=product.name[:200],
            quantity_units=units, price_units=price, catalogue_price_units=catalogue_price,
            net_units=net_of(price, units, product.unit.scale), expected_date=expected,
            requisition_line_id=req_line.id if req_line is not None else _req_line_of(req, product)))
    order.currency = cur or company.currency
    order.untaxed_units = sum(line.net_units for line in order.lines)
    order.number = next_number(session, company, "PO")
    session.add(order)
    if req is not None:
        req.state = RequisitionState.ORDERED
    session.flush()
    return order


def _req_line_of(req: Optional[Requisition], product) -> Optional[int]:
    if req is None:
        return None
    return next((line.id for line in req.lines if line.product_id == product.id), None)


def _warehouse(given: Optional[str], req: Optional[Requisition], settings) -> Optional[str]:
    code = clean_text(given, "a warehouse code", 40)
    if code is None and req is not None:
        code = next((line.warehouse for line in req.lines if line.warehouse), None)
    code = code or settings.warehouse
    return code.upper() if code else None


def find_order(session: Session, company: Company, number: str) -> PurchaseOrder:
    return find_document(session, PurchaseOrder, company, "purchase order", number)


def list_orders(
    session: Session,
    company: Company,
    *,
    state: Optional[str] = None,
    supplier: Optional[str] = None,
    limit: int = 200,
) -> list[PurchaseOrder]:
    query = (
        select(PurchaseOrder).where(PurchaseOrder.company_id == company.id).order_by(PurchaseOrder.id.desc())
    )
    if state:
        try:
            query = query.where(PurchaseOrder.state == OrderState(state.strip().lower()))
        except ValueError:
            raise Invalid(
                f"unknown order state {state!r} (one of: {', '.join(s.value for s in OrderState)})"
            ) from None
    if supplier:
        query = query.where(PurchaseOrder.party_id == get_party(session, company, supplier).id)
    return list(session.scalars(query.limit(limit)))


def needs_approval(session: Session, company: Company, order: PurchaseOrder) -> bool:
    """At or above the threshold (company currency). An order in another currency needs approval
    whenever a threshold is set: procurement does not convert currencies."""
    threshold = settings_of(session, company).approval_threshold_units
    if threshold is None:
        return False
    if order.currency != company.currency:
        return True
    return order.untaxed_units >= threshold


def lock_order(session: Session, order: PurchaseOrder) -> PurchaseOrder:
    """Lock the order's row and read it and its lines afresh: two people confirming, approving,
    receiving or billing it queue, and the second sees what the first did."""
    session.execute(select(PurchaseOrder).where(PurchaseOrder.id == order.id).with_for_update()
                    .execution_options(populate_existing=True)).scalar_one()
    session.execute(select(OrderLine).where(OrderLine.order_id == order.id)
                    .execution_options(populate_existing=True)).all()
    return order


def confirm_order(session: Session, company: Company, number: str, *, date: Optional[dt.date | str] = None,
                  by: Optional[User | str] = None) -> PurchaseOrder:
    """Confirm a draft: it waits for approval (``to_approve``) at or above the threshold, else it is
    confirmed."""
    order = lock_order(session, find_order(session, company, number))
    if order.state is not OrderState.DRAFT:
        raise Conflict(f"purchase order {order.number} is {order.state.value}: only a draft can be confirmed")
    if order.created_by is None and by is not None:
        order.created_by = user_of(session, by)
    if needs_approval(session, company, order):
        order.state = OrderState.TO_APPROVE
        session.flush()
        return order
    return _confirm(session, company, order, day(date), None)


def approve_order(session: Session, company: Company, number: str, approver: User | str, *,
                  date: Optional[dt.date | str] = None) -> PurchaseOrder:
    """A purchasing manager approves an order waiting for approval; it is confirmed. The manager
    must hold ``procurement.approve`` and must not be the user who wrote the order."""
    order = lock_order(session, find_order(session, company, number))
    user = require_approver(session, company, approver, f"purchase order {order.number}")
    if order.state is not OrderState.TO_APPROVE:
        raise Conflict(f"purchase order {order.number} is {order.state.value}: only one waiting for approval "
                       f"can be approved")
    if order.created_by_id is not None and order.created_by_id == user.id:
        raise Conflict(f"{user.username} wrote purchase order {order.number} and may not approve it too")
    order.approved_by, order.approved_at = user, utcnow()
    return _confirm(session, company, order, day(date), user.username)


def _confirm(session: Session, company: Company, order: PurchaseOrder, when: dt.date,
             approved_by: Optional[str]) -> PurchaseOrder:
    order.state, order.confirmed_on = OrderState.CONFIRMED, when
    receipt = None
    if has_wms(session, company):
        api = wms_api()
        valued = order.currency == company.currency
        record = api.create_receipt(
            session,
            company,
            order.party.code,
            [
                api.LineInput(
                    line.product.sku,
                    quantity(line.product, line.quantity_units),
                    money(line.price_units, order.currency) if valued else None,
                )
                for line in order.lines
            ],
            warehouse=order.warehouse,
            scheduled=min(line.expected_date for line in order.lines),
            origin=origin_of(order.number),
            reference=order.number,
        )
        receipt = record.number
        if order.warehouse is None:
            order.warehouse = record.warehouse
    session.flush()
    announce(session, company, "purchase_order_confirmed", PurchaseOrderConfirmed(
        company_id=company.id, order_id=order.id, number=order.number, supplier=order.party.code,
        currency=order.currency, date=when, total=money(order.untaxed_units, order.currency),
        lines=purchase_lines(order), approved_by=approved_by, receipt=receipt))
    return order


def purchase_lines(order: PurchaseOrder) -> tuple[PurchaseLine, ...]:
    return tuple(PurchaseLine(line.product.sku, quantity(line.product, line.quantity_units),
                              money(line.price_units, order.currency), money(line.net_units, order.currency))
                 for line in order.lines)


def open_receipts(session: Session, company: Company, order: PurchaseOrder) -> list:
    """The order's wms receipts still waiting for goods (the backorder of a partial receipt among them)."""
    if not has_wms(session, company):
        return []
    return [op for op in wms_api().operations_of_origin(session, company, origin_of(order.number))
            if op.kind == "receipt" and op.state not in ("done", "cancelled")]


def cancel_order(session: Session, company: Company, number: str) -> PurchaseOrder:
    """Cancel an order nothing of which was received or billed; its wms receipt is cancelled too."""
    order = find_order(session, company, number)
    _cancellable(session, order)
    # The wms receipt first (wms locks it), then the order: the order wms's validation locks.
    for op in open_receipts(session, company, order):
        wms_api().cancel_operation(session, company, op.number)
    order = lock_order(session, order)
    _cancellable(session, order)
    order.state = OrderState.CANCELLED
    if order.requisition is not None and order.requisition.state is RequisitionState.ORDERED:
        order.requisition.state = RequisitionState.DRAFT  # it may be ordered again
    session.flush()
    return order


def _cancellable(session: Session, order: PurchaseOrder) -> None:
    if order.state in (OrderState.DONE, OrderState.CANCELLED):
        raise Conflict(f"purchase order {order.number} is {order.state.value} and cannot be cancelled")
    if any(line.received_units for line in order.lines):
        raise Conflict(f"purchase order {order.number} has goods received: it can no longer be cancelled")
    if _has_bills(session, order):
        raise Conflict(f"purchase order {order.number} has bills: it can no longer be cancelled")


def _has_bills(session: Session, order: PurchaseOrder) -> bool:
    from plugins.procurement.models import Bill, BillState

    return session.scalar(select(Bill.id).where(Bill.order_id == order.id, Bill.state != BillState.CANCELLED)
                          .limit(1)) is not None


def refresh(session: Session, company: Company, order: PurchaseOrder) -> PurchaseOrder:
    """Recompute the receipt, bill and payment states from the lines and bills; a confirmed order
    received and billed in full is done."""
    from plugins.procurement.models import Bill, BillState

    wanted = [line.quantity_units for line in order.lines]
    order.receipt_state = progress_of([line.received_units for line in order.lines], wanted)
    # Once all is received, what is kept (received less returned, at most the ordered) is what bills cover.
    kept = [min(line.quantity_units, max(line.received_units - line.returned_units, 0))
            if order.receipt_state is Progress.FULL else line.quantity_units for line in order.lines]
    order.bill_state = progress_of([line.billed_units - line.credited_units for line in order.lines], kept)
    posted = list(
        session.scalars(select(Bill).where(Bill.order_id == order.id, Bill.state == BillState.POSTED))
    )
    paid = [bill for bill in posted if bill.paid]
    if posted and len(paid) == len(posted) and order.bill_state is Progress.FULL:
        order.payment_state = PaymentState.PAID
        order.paid_on = (
            max(bill.paid_on for bill in paid if bill.paid_on) if any(b.paid_on for b in paid) else None
        )
    else:
        order.payment_state = PaymentState.PARTIAL if paid else PaymentState.NOT_PAID
        order.paid_on = None
    if order.state is OrderState.CONFIRMED and order.receipt_state is Progress.FULL \
            and order.bill_state is Progress.FULL:
        order.state = OrderState.DONE
    session.flush()
    return order

"""Supplier bills of purchase orders, their three-way match, holds,
releases and payment.

``enter_bill`` checks every line against the order and what was received
(:mod:`plugins.procurement.matching`, with the company's tolerances):

- matched: the bill is posted (with finance: its document is created and
  posted, origin ``procurement:PO00001``) and ``bill_matched`` announced;
- not matched: the bill is *held* with the reasons stored. With finance its
  document stays a draft, so the ledger shows nothing of it (no transaction,
  "goods received not invoiced" and payables unchanged) until a user with
  ``procurement.approve`` releases it (the note and the user are recorded);
  then it is posted and announced like a matched one.

Accounts (with finance): when wms values the company's stock, a bill line
debits "goods received not invoiced" (wms's ``received_account``) at the
*order* price, the account the receipt credited at that price, so it
clears to zero; a billed price different from the order's puts the
difference (quantity x price difference) on the company's default expense
account in a line of its own. Without valued stock lines go to the default
expense account. Without finance bills are recorded and matched here, with
no books. Finance's ``invoice_paid`` marks the bill (and, when all its
bills are paid, the order) paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Conflict, Invalid
from core.models import Company, User, utcnow
from core.numbering import next_number
from plugins.procurement.common import (
    clean_text,
    day,
    find_document,
    order_number_of,
    origin_of,
    require_approver,
    user_of,
)
from plugins.procurement.events import BillMatched, PurchaseLine
from plugins.procurement.matching import LineFacts, line_problems
from plugins.procurement.models import Bill, BillLine, BillState, OrderLine, OrderState, PurchaseOrder
from plugins.procurement.orders import find_order, lock_order, refresh
from plugins.procurement.partners import announce, finance_api, has_finance, has_wms, wms_api
from plugins.procurement.settings import settings_of
from plugins.procurement.values import money, money_scale, money_units, net_of, quantity, quantity_units

__all__ = [
    "BillLineInput",
    "still_to_bill",
    "enter_bill",
    "find_bill",
    "list_bills",
    "release_bill",
    "refuse_bill",
    "pay_bill",
    "on_invoice_paid",
    "on_invoice_posted",
    "bills_of",
    "MAX_LINES",
]

MAX_LINES = 200
BILLABLE = (OrderState.CONFIRMED, OrderState.DONE)


@attrs.frozen
class BillLineInput:
    """One billed product: SKU, quantity, unit price (``None``: the order's price)."""

    product: str
    quantity: object
    price: object = None


def find_bill(session: Session, company: Company, number: str) -> Bill:
    return find_document(session, Bill, company, "bill", number)


def list_bills(
    session: Session,
    company: Company,
    *,
    state: Optional[str] = None,
    supplier: Optional[str] = None,
    limit: int = 200,
) -> list[Bill]:
    from core.catalog import get_party

    query = select(Bill).where(Bill.company_id == company.id).order_by(Bill.id.desc())
    if state:
        try:
            query = query.where(Bill.state == BillState(state.strip().lower()))
        except ValueError:
            raise Invalid(f"unknown bill state {state!r} (one of: {', '.join(s.value for s in BillState)})") \
                from None
    if supplier:
        query = query.where(Bill.party_id == get_party(session, company, supplier).id)
    return list(session.scalars(query.limit(limit)))


def bills_of(session: Session, company: Company, order: PurchaseOrder) -> list[Bill]:
    return list(session.scalars(select(Bill).where(Bill.company_id == company.id, Bill.order_id == order.id)
                                .order_by(Bill.id)))


def _billed_before(session: Session, line: OrderLine) -> int:
    """What the order line's posted and held bills already claim, less what returns credited back."""
    billed = session.scalar(select(func.coalesce(func.sum(BillLine.quantity_units), 0)).join(Bill).where(
        BillLine.order_line_id == line.id, Bill.state != BillState.CANCELLED)) or 0
    return billed - line.credited_units


def still_to_bill(session: Session, line: OrderLine) -> int:
    """Units of the order line received and kept but not claimed by a bill yet."""
    return max(line.received_units - line.returned_units - _billed_before(session, line), 0)


def enter_bill(session: Session, company: Company, number: str, reference: str,
               lines: Optional[Sequence[BillLineInput]] = None, *, date: Optional[dt.date | str] = None,
               by: Optional[User | str] = None) -> Bill:
    """The supplier's bill ``reference`` of order ``number`` (BILL00001), matched: posted, or held.

    Without ``lines`` the bill is taken to claim what was received and not billed yet, at the
    order's prices.
    """
    settings = settings_of(session, company)
    order = lock_order(session, find_order(session, company, number))
    if order.state not in BILLABLE:
        raise Conflict(
            f"purchase order {order.number} is {order.state.value}: only a confirmed order is billed"
        )
    ref = clean_text(reference, "the supplier's bill reference", 60, required=True)
    if (
        session.scalar(
            select(Bill.id).where(
                Bill.company_id == company.id,
                Bill.party_id == order.party_id,
                Bill.reference == ref,
                Bill.state != BillState.CANCELLED,
            )
        )
        is not None
    ):
        raise Conflict(f"{order.party.code}'s bill {ref} was entered already")
    when = day(date)
    given = _lines(session, company, order, lines)
    bill = Bill(company_id=company.id, order=order, party_id=order.party_id, reference=ref, date=when,
                currency=order.currency, untaxed_units=0, state=BillState.HELD, matched=False,
                created_by=user_of(session, by))
    problems: list[str] = []
    for position, (line, units, price) in enumerate(given, start=1):
        product = line.product
        facts = LineFacts(product.sku, product.unit.code, product.unit.scale, money_scale(order.currency),
                          order.currency, line.price_units, price, line.received_units - line.returned_units,
                          _billed_before(session, line), units)
        mine = line_problems(facts, settings.quantity_tolerance_bp, settings.price_tolerance_bp)
        problems += mine
        bill.lines.append(
            BillLine(
                company_id=company.id,
                position=position,
                order_line=line,
                product=product,
                quantity_units=units,
                price_units=price,
                order_price_units=line.price_units,
                net_units=net_of(price, units, product.unit.scale),
                problem="; ".join(mine) or None,
            )
        )
    bill.untaxed_units = sum(line.net_units for line in bill.lines)
    bill.number = next_number(session, company, "BILL")
    bill.matched = not problems
    bill.held_reason = "\n".join(problems) or None
    session.add(bill)
    session.flush()
    if has_finance(session, company):
        document = finance_api().create_document(
            session, company, "bill", order.party.code, when, _document_lines(session, company, bill),
            currency=order.currency, reference=ref, origin=origin_of(order.number), post=False)
        bill.document_id = document.id
    if bill.matched:
        _post(session, company, bill, when, None)
    session.flush()
    return bill


def _lines(session: Session, company: Company, order: PurchaseOrder,
           lines: Optional[Sequence[BillLineInput]]) -> list[tuple[OrderLine, int, int]]:
    """``(order line, quantity units, price units)`` for each billed line."""
    if lines is None:
        result = []
        for line in order.lines:
            units = still_to_bill(session, line)
            if units:
                result.append((line, units, line.price_units))
        if not result:
            raise Conflict(f"purchase order {order.number} has nothing received and not billed yet")
        return result
    lines = list(lines)
    if not lines:
        raise Invalid("a bill needs at least one line")
    if len(lines) > MAX_LINES:
        raise Invalid(f"a bill has at most {MAX_LINES} lines")
    result, used = [], set()
    for given in lines:
        product = get_product(session, company, given.product)
        candidates = [line for line in order.lines if line.product_id == product.id]
        if not candidates:
            raise Invalid(f"purchase order {order.number} has no line for {product.sku}")
        line = next((c for c in candidates if c.id not in used), None)
        if line is None:
            raise Invalid(f"{product.sku} is billed on more lines than {order.number} has for it")
        used.add(line.id)
        units = quantity_units(product, given.quantity)
        price = line.price_units if given.price in (None, "") else \
            money_units(given.price, order.currency, what=f"{product.sku}: price")
        result.append((line, units, price))
    return result


def _document_lines(session: Session, company: Company, bill: Bill) -> list:
    """Finance's lines: the order price on "goods received not invoiced" (valued stock) and the
    price difference on the default expense account; or everything on the default expense account."""
    api = finance_api()
    received = wms_api().received_account(session, company) if has_wms(session, company) else None
    result = []
    for line in bill.lines:
        product, qty = line.product, quantity(line.product, line.quantity_units)
        if received is None:
            result.append(
                api.LineInput(
                    line.order_line.description,
                    money(line.price_units, bill.currency),
                    qty,
                    product=product.sku,
                )
            )
            continue
        result.append(
            api.LineInput(
                line.order_line.description,
                money(line.order_price_units, bill.currency),
                qty,
                product=product.sku,
                account=received,
            )
        )
        if line.price_units != line.order_price_units:
            result.append(api.LineInput(f"{product.sku}: price difference on {bill.order.number}",
                                        money(line.price_units - line.order_price_units, bill.currency), qty))
    return result


def _post(session: Session, company: Company, bill: Bill, when: dt.date, released_by: Optional[User]) -> None:
    """Post (or, without finance, accept) the bill, count its quantities as billed, announce it."""
    bill.state, bill.posted_on = BillState.POSTED, when  # first: on_invoice_posted lets it through
    if bill.document_id is not None:
        document = finance_api().post_document(session, company, bill.document_id)
        bill.document_number = document.number
    for line in bill.lines:
        line.order_line.billed_units += line.quantity_units
    refresh(session, company, bill.order)
    order = bill.order
    announce(session, company, "bill_matched", BillMatched(
        company_id=company.id, order_id=order.id, number=order.number, supplier=order.party.code,
        currency=bill.currency, bill=bill.number, reference=bill.reference, date=bill.date,
        total=money(bill.untaxed_units, bill.currency),
        lines=tuple(PurchaseLine(line.product.sku, quantity(line.product, line.quantity_units),
                                 money(line.price_units, bill.currency), money(line.net_units, bill.currency))
                    for line in bill.lines),
        document=bill.document_number, released=released_by is not None,
        released_by=released_by.username if released_by else None))


def _lock_bill(session: Session, bill: Bill) -> Bill:
    session.execute(select(Bill.id).where(Bill.id == bill.id).with_for_update())
    session.refresh(bill)
    return bill


def release_bill(session: Session, company: Company, number: str, approver: User | str, note: str, *,
                 date: Optional[dt.date | str] = None) -> Bill:
    """A purchasing manager releases a held bill, saying why; it is posted as it was entered."""
    bill = find_bill(session, company, number)
    lock_order(session, bill.order)
    bill = _lock_bill(session, bill)
    user = require_approver(session, company, approver, f"releasing bill {bill.number}")
    if bill.state is not BillState.HELD:
        raise Conflict(f"bill {bill.number} is {bill.state.value}: only a held bill can be released")
    why = clean_text(note, "the reason for releasing", 2000, required=True)
    bill.released_by, bill.released_at, bill.release_note = user, utcnow(), why
    _post(session, company, bill, day(date) if date is not None else bill.date, user)
    session.flush()
    return bill


def refuse_bill(session: Session, company: Company, number: str, approver: User | str, note: str) -> Bill:
    """A purchasing manager refuses a held bill, saying why (the supplier is to send a corrected
    one): it is cancelled, its finance draft deleted, and its quantities no longer count as billed
    in the next bill's match. The ledger never saw it."""
    bill = find_bill(session, company, number)
    lock_order(session, bill.order)
    bill = _lock_bill(session, bill)
    user = require_approver(session, company, approver, f"refusing bill {bill.number}")
    if bill.state is not BillState.HELD:
        raise Conflict(f"bill {bill.number} is {bill.state.value}: only a held bill can be refused")
    why = clean_text(note, "the reason for refusing", 2000, required=True)
    if bill.document_id is not None:
        finance_api().delete_draft_document(session, company, bill.document_id)
        bill.document_id = None
    bill.state = BillState.CANCELLED
    bill.released_by, bill.released_at, bill.release_note = user, utcnow(), why
    refresh(session, company, bill.order)
    session.flush()
    return bill


def pay_bill(
    session: Session, company: Company, number: str, *, date: Optional[dt.date | str] = None
) -> Bill:
    """Pay a posted bill in full: with finance a payment made to the supplier (finance's
    ``invoice_paid`` then marks it paid); without finance it is marked paid here."""
    bill = find_bill(session, company, number)
    if bill.state is not BillState.POSTED:
        raise Conflict(f"bill {bill.number} is {bill.state.value}: only a posted bill is paid")
    if bill.paid:
        raise Conflict(f"bill {bill.number} is paid already")
    when = day(date)
    if bill.document_id is not None:
        api = finance_api()
        document = api.document(session, company, bill.document_id)
        if document.residual <= 0:
            raise Conflict(f"bill {bill.number} ({document.number}) has nothing left to pay")
        api.register_payment(session, company, bill.order.party.code, document.residual, when, outbound=True,
                             currency=document.currency, documents=[document.number])
        session.refresh(bill)
        return bill
    _mark_paid(session, company, bill, when)
    return bill


def _mark_paid(session: Session, company: Company, bill: Bill, when: dt.date) -> None:
    bill.paid, bill.paid_on = True, when
    refresh(session, company, bill.order)


def on_invoice_posted(session: Session, company: Company, event) -> None:
    """finance's ``invoice_posted``: a held bill's draft cannot be posted behind procurement's back;
    a purchasing manager releases it in procurement."""
    if event.kind != "bill" or order_number_of(event.origin) is None:
        return
    bill = session.scalar(
        select(Bill).where(Bill.company_id == company.id, Bill.document_id == event.invoice_id)
    )
    if bill is not None and bill.state is not BillState.POSTED:
        raise Conflict(f"{bill.party.code}'s bill {bill.reference} is {bill.state.value} in procurement "
                       f"({bill.number}): a purchasing manager releases it there")


def on_invoice_paid(session: Session, company: Company, event) -> None:
    """finance's ``invoice_paid``: a bill of one of procurement's orders is paid in full."""
    if event.kind != "bill" or order_number_of(event.origin) is None:
        return
    bill = session.scalar(
        select(Bill).where(Bill.company_id == company.id, Bill.document_id == event.invoice_id)
    )
    if bill is None:
        return
    _mark_paid(session, company, bill, event.paid_on)


def amount_due(bill: Bill) -> Decimal:
    return money(bill.untaxed_units, bill.currency)

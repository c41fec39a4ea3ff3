"""Invoicing orders through finance, and learning from finance when they are paid.

Where the company installed finance, an order is invoiced on confirmation
(``invoice_policy`` ``order``: all of it) or on each delivery (``delivery``:
what left and was not invoiced yet). The invoice is a posted finance
document whose origin is ``sales:SO00001``; sales announces
``order_invoiced``. Finance's ``invoice_paid`` hook marks the order paid
once every invoice of it is paid and it is invoiced in full (partly paid
before that).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Company
from core.plugins import plugins_of
from core.values import from_units
from plugins.sales import partners
from plugins.sales.crm_common import optional_date
from plugins.sales.documents import InvoicePolicy, Order, OrderState, PaymentState, Progress
from plugins.sales.events import OrderInvoiced
from plugins.sales.order_common import find_order, refresh_state
from plugins.sales.order_values import discount, number_of_origin, origin_of, quantity
from plugins.sales.settings import settings_of

__all__ = ["invoiceable", "invoice_order", "invoices_of", "refresh_payment", "on_invoice_posted",
           "on_invoice_paid"]


def invoiceable(session: Session, company: Company, order: Order) -> dict[int, int]:
    """Line id -> units that may be invoiced now (the whole order, or what was delivered, per the setting)."""
    if order.state not in (OrderState.CONFIRMED, OrderState.DONE):
        return {}
    policy = settings_of(session, company).invoice_policy
    due = {}
    for line in order.lines:
        basis = line.quantity_units if policy is InvoicePolicy.ORDER else line.delivered_units
        if basis > line.invoiced_units:
            due[line.id] = basis - line.invoiced_units
    return due


def invoice_order(session: Session, company: Company, number: str, *, date=None):
    """Invoice what is due of order ``number`` (a posted finance invoice); returns finance's document."""
    if not partners.installed(session, company, "finance"):
        raise Invalid(f"invoicing needs finance: company {company.code} has not installed it")
    finance_api = partners.finance_api()

    order = find_order(session, company, number, lock=True)
    if order.state is not OrderState.CONFIRMED:
        raise Invalid(f"{order.number} is {order.state.value}: only a confirmed order is invoiced")
    due = invoiceable(session, company, order)
    if not due:
        raise Invalid(f"{order.number}: nothing to invoice")
    day = optional_date(date, "date") or dt.date.today()
    scale = CURRENCIES[order.currency][1]
    lines = [finance_api.LineInput(line.description, from_units(line.price_units, scale),
                                   quantity(line.product, due[line.id]), product=line.product.sku,
                                   discount=discount(line.discount_bp))
             for line in order.lines if line.id in due]
    doc = finance_api.create_document(session, company, "invoice", order.party.code, day, lines,
                                      currency=order.currency, reference=order.number,
                                      origin=origin_of(order.number), post=True)
    for line in order.lines:
        line.invoiced_units += due.get(line.id, 0)
    refresh_state(session, company, order)
    _payment(session, company, order)
    plugins_of(session).for_company(session, company).order_invoiced(
        session=session, company=company,
        event=OrderInvoiced(company_id=company.id, order_id=order.id, number=order.number,
                            customer=order.party.code, date=day, currency=order.currency,
                            salesperson=order.salesperson.username if order.salesperson else None,
                            invoice=doc.number, amount=doc.untaxed,
                            complete=order.invoice_state is Progress.FULL))
    return doc


def invoices_of(session: Session, company: Company, order: Order) -> list:
    """Finance's documents of the order (records), oldest first; none without finance."""
    if not partners.installed(session, company, "finance"):
        return []
    finance_api = partners.finance_api()

    return finance_api.documents_of_origin(session, company, origin_of(order.number))


def _payment(session: Session, company: Company, order: Order) -> None:
    docs = [d for d in invoices_of(session, company, order) if d.state == "posted" and d.kind == "invoice"]
    paid = [d for d in docs if d.payment_state == "paid"]
    some = paid or [d for d in docs if d.payment_state == "partial"]
    if docs and len(paid) == len(docs) and order.invoice_state is Progress.FULL:
        order.payment_state = PaymentState.PAID
    elif some:
        order.payment_state = PaymentState.PARTIAL
    else:
        order.payment_state = PaymentState.NOT_PAID
    session.flush()


def refresh_payment(session: Session, company: Company, number: str) -> Order:
    """Read the payment state of the order's invoices from finance again (partial payments send no event)."""
    order = find_order(session, company, number)
    _payment(session, company, order)
    return order


def _order_of(session: Session, company: Company, origin: Optional[str]) -> Optional[Order]:
    number = number_of_origin(origin)
    if number is None or not number.startswith("SO"):
        return None
    return session.scalar(select(Order).where(Order.company_id == company.id, Order.number == number))


def on_invoice_posted(session: Session, company: Company, event) -> None:
    """Sales books the invoices it creates itself as it creates them; a document posted later with a sales
    origin (a credit note, a draft posted in finance) only refreshes the order's payment state."""
    order = _order_of(session, company, getattr(event, "origin", None))
    if order is not None and event.kind != "invoice":
        _payment(session, company, order)


def on_invoice_paid(session: Session, company: Company, event) -> None:
    """Finance says an invoice is paid, in full or in part: the order it came from is paid, or partly
    paid while more is due (finance's ``invoice_paid`` and ``invoice_partly_paid``)."""
    order = _order_of(session, company, getattr(event, "origin", None))
    if order is not None:
        _payment(session, company, order)

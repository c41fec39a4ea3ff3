"""Quotations and sales orders: write a quotation, send it, confirm it (the
credit limit is checked), cancel it.

A quotation and its order are one row (``SO00001``). Confirming announces
``order_confirmed``; where the company installed wms it first creates and
reserves the delivery (:mod:`plugins.sales.fulfilment`), where it
installed finance and invoices on order it then invoices the whole order
(:mod:`plugins.sales.billing`). Every refusal raises before anything is
written, or inside the caller's transaction, which then writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional, Sequence

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party, get_product
from core.errors import Invalid
from core.models import Company
from core.numbering import next_number
from core.plugins import plugins_of
from plugins.sales import partners
from plugins.sales.billing import invoice_order
from plugins.sales.crm_common import member, optional_date, optional_text
from plugins.sales.customers import check_credit, customer_of, ensure_customer, list_for
from plugins.sales.documents import Customer, Order, OrderLine, OrderState, Progress
from plugins.sales.events import OrderConfirmed
from plugins.sales.fulfilment import cancel_deliveries, start_delivery
from plugins.sales.opportunities import mark_won
from plugins.sales.order_common import check_editable, event_lines, find_order, is_cancellable, order_money
from plugins.sales.order_values import (
    discount_bp,
    money_units,
    net_units,
    quantity_units,
)
from plugins.sales.pricing import find_price_list, price_for
from plugins.sales.settings import UNCHANGED, settings_of

__all__ = [
    "LineSpec",
    "create_quotation",
    "add_line",
    "remove_line",
    "update_quotation",
    "send",
    "confirm",
    "cancel",
]


@attrs.frozen
class LineSpec:
    """A line as a caller gives it; no price: the price list's (with its discount)."""

    product: str
    quantity: object
    price: object = None
    discount: object = None
    description: Optional[str] = None


def _total(order: Order) -> None:
    order.untaxed_units = sum(line.net_units for line in order.lines)


def create_quotation(session: Session, company: Company, party: str, lines: Sequence[LineSpec] = (), *,
                     date=None, valid_until=None, salesperson: Optional[str] = None,
                     price_list: Optional[str] = None, commitment=None, note: Optional[str] = None,
                     opportunity: Optional[str] = None) -> Order:
    """A draft quotation for ``party`` (salesperson: the given one, else the customer's)."""
    customer = get_party(session, company, party)
    day = optional_date(date, "date") or dt.date.today()
    settings = settings_of(session, company)
    chosen = find_price_list(session, company, price_list) if price_list else None
    seller = member(session, company, salesperson)
    if seller is None:
        terms = customer_of(session, company, customer)
        seller = terms.salesperson if terms is not None else None
    deal = None
    if opportunity:
        from plugins.sales.opportunities import find_opportunity

        deal = find_opportunity(session, company, opportunity)
    until = optional_date(valid_until, "valid until") or day + dt.timedelta(days=settings.quotation_days)
    if until < day:
        raise Invalid(f"a quotation cannot expire ({until}) before its date ({day})")
    order = Order(company_id=company.id, number=next_number(session, company, "SO"), party=customer,
                  salesperson=seller, opportunity=deal, price_list_id=chosen.id if chosen else None,
                  currency=company.currency, date=day, valid_until=until,
                  commitment=optional_date(commitment, "commitment"), state=OrderState.DRAFT,
                  delivery_state=Progress.NOTHING, invoice_state=Progress.NOTHING,
                  note=optional_text(note, "note", 4000), untaxed_units=0)
    session.add(order)
    for spec in lines:
        _add(session, company, order, spec)
    _total(order)
    session.flush()
    return order


def _add(session: Session, company: Company, order: Order, spec: LineSpec) -> OrderLine:
    product = get_product(session, company, str(spec.product).strip())
    units = quantity_units(product, spec.quantity)
    if spec.price is not None and str(spec.price).strip():
        price, bp = money_units(company, spec.price, what=f"{product.sku}: price"), 0
    else:
        from plugins.sales.documents import PriceList

        given = session.get(PriceList, order.price_list_id) if order.price_list_id else None
        found = price_for(session, list_for(session, company, order.party, given), product, units)
        if found is None:
            raise Invalid(f"{product.sku}: no price in the price list; give one")
        price, bp = found
    if spec.discount is not None and str(spec.discount).strip():
        bp = discount_bp(spec.discount)
    position = max((line.position for line in order.lines), default=0) + 1
    line = OrderLine(
        company_id=company.id,
        position=position,
        product=product,
        description=optional_text(spec.description, "description", 200) or product.name,
        quantity_units=units,
        price_units=price,
        discount_bp=bp,
        net_units=net_units(units, product.unit.scale, price, bp),
        delivered_units=0,
        invoiced_units=0,
    )
    order.lines.append(line)
    return line


def add_line(session: Session, company: Company, number: str, spec: LineSpec) -> Order:
    order = find_order(session, company, number, lock=True)
    check_editable(order)
    _add(session, company, order, spec)
    _total(order)
    session.flush()
    return order


def remove_line(session: Session, company: Company, number: str, position: int) -> Order:
    order = find_order(session, company, number, lock=True)
    check_editable(order)
    line = next((line for line in order.lines if line.position == position), None)
    if line is None:
        raise Invalid(f"{order.number} has no line {position}")
    order.lines.remove(line)
    _total(order)
    session.flush()
    return order


def update_quotation(session: Session, company: Company, number: str, *, valid_until=UNCHANGED,
                     commitment=UNCHANGED, note=UNCHANGED, salesperson=UNCHANGED) -> Order:
    order = find_order(session, company, number, lock=True)
    check_editable(order)
    if valid_until is not UNCHANGED:
        until = optional_date(valid_until, "valid until")
        if until is not None and until < order.date:
            raise Invalid(f"a quotation cannot expire ({until}) before its date ({order.date})")
        order.valid_until = until
    if commitment is not UNCHANGED:
        order.commitment = optional_date(commitment, "commitment")
    if note is not UNCHANGED:
        order.note = optional_text(note, "note", 4000)
    if salesperson is not UNCHANGED:
        order.salesperson = member(session, company, salesperson)
    session.flush()
    return order


def send(session: Session, company: Company, number: str) -> Order:
    """The quotation went to the customer."""
    order = find_order(session, company, number, lock=True)
    if order.state is not OrderState.DRAFT:
        raise Invalid(f"{order.number} is {order.state.value}: only a draft quotation is sent")
    if not order.lines:
        raise Invalid(f"{order.number} has no lines")
    order.state = OrderState.SENT
    session.flush()
    return order


def confirm(session: Session, company: Company, number: str, *, date=None) -> Order:
    """The quotation becomes a sales order: credit checked, delivery created (wms), invoiced (finance, on
    order)."""
    order = find_order(session, company, number, lock=True)
    check_editable(order, "confirmed")
    if not order.lines:
        raise Invalid(f"{order.number} has no lines")
    day = optional_date(date, "date") or dt.date.today()
    if day < order.date:
        raise Invalid(f"{order.number} cannot be confirmed ({day}) before its date ({order.date})")
    if order.valid_until is not None and day > order.valid_until:
        raise Invalid(
            f"{order.number} expired on {order.valid_until}: extend its validity before confirming it"
        )
    terms = ensure_customer(session, company, order.party)
    # One confirmation per customer at a time: two orders cannot both pass the same credit headroom.
    session.execute(select(Customer.id).where(Customer.id == terms.id).with_for_update())
    check_credit(session, company, order)
    order.state, order.confirmed_on = OrderState.CONFIRMED, day
    session.flush()
    delivery = None
    if partners.installed(session, company, "wms"):
        delivery = start_delivery(session, company, order)
    plugins_of(session).for_company(session, company).order_confirmed(
        session=session, company=company,
        event=OrderConfirmed(company_id=company.id, order_id=order.id, number=order.number,
                             customer=order.party.code, date=day, currency=order.currency,
                             salesperson=order.salesperson.username if order.salesperson else None,
                             total=order_money(order, order.untaxed_units), lines=event_lines(order),
                             opportunity=order.opportunity.number if order.opportunity else None,
                             delivery=delivery))
    if order.opportunity is not None and order.opportunity.state.value == "open":
        mark_won(session, company, order.opportunity.number, order=order.number, date=day)
    if (
        partners.installed(session, company, "finance")
        and settings_of(session, company).invoice_policy.value == "order"
    ):
        invoice_order(session, company, order.number, date=day)
    return order


def cancel(session: Session, company: Company, number: str) -> Order:
    """Cancel a quotation, or an order nothing of which was delivered or invoiced (its open deliveries
    too)."""
    order = find_order(session, company, number, lock=True)
    if order.state in (OrderState.DONE, OrderState.CANCELLED):
        raise Invalid(f"{order.number} is {order.state.value} already")
    if not is_cancellable(order):
        raise Invalid(
            f"{order.number}: goods were delivered or invoiced already; it can no longer be cancelled"
        )
    if order.state is OrderState.CONFIRMED and partners.installed(session, company, "wms"):
        cancel_deliveries(session, company, order)
    order.state = OrderState.CANCELLED
    session.flush()
    return order

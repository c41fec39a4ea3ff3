"""The order side's share of the customer 360° page and the product page.

A party's timeline gets its quotations, orders (with their delivery,
invoice and payment states) and contracts; its invoices, payments and
deliveries come from finance and wms themselves where the company
installed them. A product's page gets what was sold of it in the last
twelve months and what confirmed orders still wait for.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contributions import Fact, TimelineEntry
from core.models import Company, Party, Product
from plugins.sales.documents import Contract, Order, OrderLine, OrderState
from plugins.sales.order_common import is_editable
from plugins.sales.order_values import money, quantity
from web.access import link_for
from web.i18n import translated as _

__all__ = ["order_timeline", "order_product_facts", "FACT_LABELS"]

_LIMIT = 50


def N_(text: str) -> str:
    return text


# Fact.label below (the product page translates them).
FACT_LABELS = (N_("Sold in the last 12 months"), N_("Waiting for delivery"))


# Entries link to sales's pages for a user who may read them.
_link = partial(link_for, "sales.view")


def _title(order: Order) -> str:
    if order.state is OrderState.CANCELLED:
        return _("Order %(number)s cancelled", number=order.number)
    if is_editable(order):
        return _("Quotation %(number)s", number=order.number)
    return _("Order %(number)s confirmed", number=order.number)


def _detail(order: Order) -> str:
    if order.state not in (OrderState.CONFIRMED, OrderState.DONE):
        return _(order.state.value)
    return _("delivered: %(delivery)s · invoiced: %(invoice)s · paid: %(payment)s",
             delivery=_(order.delivery_state.value), invoice=_(order.invoice_state.value),
             payment=_(order.payment_state.value.replace("_", " ")))


def order_timeline(session: Session, company: Company, party: Party) -> list[TimelineEntry]:
    """The party's newest quotations and orders, and its contracts."""
    entries = []
    orders = session.scalars(select(Order).where(Order.company_id == company.id, Order.party_id == party.id)
                             .order_by(Order.id.desc()).limit(_LIMIT))
    for order in orders:
        entries.append(TimelineEntry(when=order.confirmed_on or order.date, plugin="sales",
                                     kind="order" if order.confirmed_on else "quotation", title=_title(order),
                                     detail=_detail(order), url=_link("sales.order", number=order.number),
                                     amount=money(company, order.untaxed_units), currency=order.currency))
    contracts = session.scalars(select(Contract).where(Contract.company_id == company.id,
                                                       Contract.party_id == party.id)
                                .order_by(Contract.id.desc()).limit(_LIMIT))
    for contract in contracts:
        entries.append(TimelineEntry(when=contract.start, plugin="sales", kind="contract",
                                     title=_("Contract %(number)s", number=contract.number),
                                     detail=_(contract.state.value),
                                     url=_link("sales.contract", number=contract.number)))
    return entries


def order_product_facts(session: Session, company: Company, product: Product) -> list[Fact]:
    since = dt.date.today() - dt.timedelta(days=365)
    base = (select(func.coalesce(func.sum(OrderLine.quantity_units), 0),
                   func.coalesce(func.sum(OrderLine.delivered_units), 0))
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.company_id == company.id, OrderLine.product_id == product.id))
    sold, _delivered = session.execute(base.where(Order.state.in_([OrderState.CONFIRMED, OrderState.DONE]),
                                                  Order.confirmed_on >= since)).one()
    ordered, delivered = session.execute(base.where(Order.state == OrderState.CONFIRMED)).one()
    unit = product.unit.code
    link = _link("sales.orders")
    return [Fact("sales", FACT_LABELS[0], f"{quantity(product, int(sold))} {unit}", link),
            Fact("sales", FACT_LABELS[1], f"{quantity(product, int(ordered) - int(delivered))} {unit}", link)]

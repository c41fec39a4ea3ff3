"""What procurement tells the shared pages: a supplier's purchase orders,
quotes and held bills (the party 360° timeline), the ``supplier`` role, and
a product's suppliers and last purchase price.

On a web page of a user who may read procurement the entries link to
procurement's pages (endpoints ``procurement.order``, ``procurement.rfq``,
``procurement.bill`` and ``procurement.supplier``); elsewhere, or while an
endpoint does not exist, they carry no link.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contributions import Fact, TimelineEntry
from core.models import Company, Party, Product
from plugins.procurement.models import (
    Bill,
    BillState,
    OrderLine,
    OrderState,
    PurchaseOrder,
    Quote,
    QuoteState,
    SupplierProduct,
)
from plugins.procurement.values import money
from web.access import link_for

__all__ = ["timeline_of", "roles_of", "product_facts_of", "is_supplier"]

_LIMIT = 50


# Entries link to procurement's pages for a user who may read them.
_link = partial(link_for, "procurement.view")


def is_supplier(session: Session, company: Company, party: Party) -> bool:
    """A party is a supplier when it has a catalogue row or a purchase order."""
    if (
        session.scalar(
            select(SupplierProduct.id)
            .where(SupplierProduct.company_id == company.id, SupplierProduct.party_id == party.id)
            .limit(1)
        )
        is not None
    ):
        return True
    return (
        session.scalar(
            select(PurchaseOrder.id)
            .where(PurchaseOrder.company_id == company.id, PurchaseOrder.party_id == party.id)
            .limit(1)
        )
        is not None
    )


def roles_of(session: Session, company: Company, party: Party) -> list[str]:
    return ["supplier"] if is_supplier(session, company, party) else []


def timeline_of(session: Session, company: Company, party: Party) -> list[TimelineEntry]:
    """The party's purchase orders, quotes and held bills, newest first."""
    entries: list[TimelineEntry] = []
    for order in session.scalars(select(PurchaseOrder).where(
            PurchaseOrder.company_id == company.id, PurchaseOrder.party_id == party.id)
            .order_by(PurchaseOrder.id.desc()).limit(_LIMIT)):
        detail = order.state.value.replace("_", " ")
        if order.state in (OrderState.CONFIRMED, OrderState.DONE):
            detail += (f"; received {order.receipt_state.value}, billed {order.bill_state.value}, "
                       f"{order.payment_state.value.replace('_', ' ')}")
        entries.append(
            TimelineEntry(
                when=order.confirmed_on or order.date,
                plugin="procurement",
                kind="purchase_order",
                title=f"Purchase order {order.number}",
                detail=detail,
                url=_link("procurement.order", number=order.number),
                amount=money(order.untaxed_units, order.currency),
                currency=order.currency,
            )
        )
    for quote in session.scalars(select(Quote).where(
            Quote.company_id == company.id, Quote.party_id == party.id, Quote.state != QuoteState.REQUESTED)
            .order_by(Quote.id.desc()).limit(_LIMIT)):
        entries.append(
            TimelineEntry(
                when=quote.received_on or quote.rfq.date,
                plugin="procurement",
                kind="quote",
                title=f"Quote for {quote.rfq.number}",
                detail=quote.state.value,
                url=_link("procurement.rfq", number=quote.rfq.number),
                amount=money(quote.total_units, quote.currency) if quote.total_units is not None else None,
                currency=quote.currency,
            )
        )
    for bill in session.scalars(select(Bill).where(
            Bill.company_id == company.id, Bill.party_id == party.id, Bill.state == BillState.HELD)
            .order_by(Bill.id.desc()).limit(_LIMIT)):
        entries.append(TimelineEntry(when=bill.date, plugin="procurement", kind="bill_held",
                                     title=f"Bill {bill.reference} held ({bill.number})",
                                     detail=(bill.held_reason or "").replace("\n", "; "),
                                     url=_link("procurement.bill", number=bill.number),
                                     amount=money(bill.untaxed_units, bill.currency), currency=bill.currency))
    return entries


def product_facts_of(session: Session, company: Company, product: Product) -> list[Fact]:
    """Who sells the product (preferred first) and the price it was last ordered at."""
    facts: list[Fact] = []
    rows = session.scalars(select(SupplierProduct).join(SupplierProduct.party).where(
        SupplierProduct.company_id == company.id, SupplierProduct.product_id == product.id,
        SupplierProduct.active.is_(True)).order_by(SupplierProduct.preferred.desc(), Party.code)).all()
    if rows:
        shown = ", ".join(f"{row.party.code}{' (preferred)' if row.preferred else ''}" for row in rows)
        facts.append(
            Fact("procurement", "Suppliers", shown, url=_link("procurement.catalogue", q=product.sku))
        )
    last = session.execute(
        select(OrderLine.price_units, PurchaseOrder.currency, PurchaseOrder.number, PurchaseOrder.date)
        .join(PurchaseOrder, OrderLine.order_id == PurchaseOrder.id)
        .where(
            OrderLine.company_id == company.id,
            OrderLine.product_id == product.id,
            PurchaseOrder.state.in_((OrderState.CONFIRMED, OrderState.DONE)),
        )
        .order_by(PurchaseOrder.date.desc(), PurchaseOrder.id.desc())
        .limit(1)
    ).first()
    if last is not None:
        facts.append(
            Fact(
                "procurement",
                "Last purchase price",
                f"{money(last.price_units, last.currency)} {last.currency} ({last.number}, {last.date})",
                url=_link("procurement.order", number=last.number),
            )
        )
    return facts

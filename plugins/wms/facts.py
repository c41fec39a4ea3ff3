"""What wms tells the shared pages: a product's stock figures, a party's receipts and deliveries.

On a web page (a request of a company) the figures link to the product's
stock card and the entries to their operation pages; elsewhere they carry
no link.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import Fact, TimelineEntry
from core.models import Company, Party, Product
from plugins.wms.documents import Operation, OperationState
from plugins.wms.models import Location, LocationKind, Stock
from plugins.wms.values import quantity
from web.access import link_for

__all__ = ["product_facts_of", "timeline_of"]

_LIMIT = 50


# Entries link to wms's pages for a user who may read them.
_link = partial(link_for, "wms.view")


def product_facts_of(session: Session, company: Company, product: Product) -> list[Fact]:
    on_hand, reserved = session.execute(
        select(func.coalesce(func.sum(Stock.on_hand), 0), func.coalesce(func.sum(Stock.reserved), 0))
        .join(Location, Location.id == Stock.location_id)
        .where(Stock.product_id == product.id, Location.kind == LocationKind.INTERNAL)).one()
    unit = product.unit.code
    card = _link("wms.card", sku=product.sku)
    return [Fact("wms", "On hand", f"{quantity(product, on_hand)} {unit}", url=card),
            Fact("wms", "Reserved", f"{quantity(product, reserved)} {unit}", url=card),
            Fact("wms", "Available", f"{quantity(product, on_hand - reserved)} {unit}",
                 url=_link("wms.stock", product=product.sku))]


def timeline_of(session: Session, company: Company, party: Party) -> list[TimelineEntry]:
    """The party's receipts and deliveries, done or still open, newest first."""
    entries = []
    for op in session.scalars(select(Operation).where(
            Operation.company_id == company.id, Operation.party_id == party.id,
            Operation.state != OperationState.CANCELLED)
            .order_by(Operation.id.desc()).limit(_LIMIT)):
        entries.append(TimelineEntry(when=op.done_on or op.scheduled, plugin="wms", kind=op.kind.value,
                                     title=f"{op.kind.value.capitalize()} {op.number}",
                                     detail=op.state.value + (f" ({op.origin})" if op.origin else ""),
                                     url=_link("wms.operation", number=op.number)))
    return entries

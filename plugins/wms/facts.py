"""What wms tells the shared pages: a product's stock figures, a party's receipts and deliveries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import Fact, TimelineEntry
from core.models import Company, Party, Product
from plugins.wms.documents import Operation, OperationState
from plugins.wms.models import Location, LocationKind, Stock
from plugins.wms.values import quantity

__all__ = ["product_facts_of", "timeline_of"]

_LIMIT = 50


def product_facts_of(session: Session, company: Company, product: Product) -> list[Fact]:
    on_hand, reserved = session.execute(
        select(func.coalesce(func.sum(Stock.on_hand), 0), func.coalesce(func.sum(Stock.reserved), 0))
        .join(Location, Location.id == Stock.location_id)
        .where(Stock.product_id == product.id, Location.kind == LocationKind.INTERNAL)).one()
    unit = product.unit.code
    return [Fact("wms", "On hand", f"{quantity(product, on_hand)} {unit}"),
            Fact("wms", "Reserved", f"{quantity(product, reserved)} {unit}"),
            Fact("wms", "Available", f"{quantity(product, on_hand - reserved)} {unit}")]


def timeline_of(session: Session, company: Company, party: Party) -> list[TimelineEntry]:
    """The party's receipts and deliveries, done or still open, newest first."""
    entries = []
    for op in session.scalars(select(Operation).where(
            Operation.company_id == company.id, Operation.party_id == party.id,
            Operation.state != OperationState.CANCELLED)
            .order_by(Operation.id.desc()).limit(_LIMIT)):
        entries.append(TimelineEntry(when=op.done_on or op.scheduled, plugin="wms", kind=op.kind.value,
                                     title=f"{op.kind.value.capitalize()} {op.number}",
                                     detail=op.state.value + (f" ({op.origin})" if op.origin else "")))
    return entries

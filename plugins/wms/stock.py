"""Stock rows and reservations, under row locks.

Every change to ``wms_stock`` happens on rows locked in id order (``SELECT
... FOR UPDATE`` on PostgreSQL; SQLite's one write lock, which every unit
of work takes first), so two processes reserving or taking the last units
queue instead of both succeeding. The ledger post that follows locks the
location's balance row and refuses to go negative on its own: two guards,
in a fixed order (stock rows, then balances), so they never deadlock.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.errors import LimitExceeded
from core.models import Product
from plugins.wms.models import Location, Lot, Removal, Stock
from plugins.wms.values import quantity

__all__ = ["lock_rows", "candidates", "ensure_row", "take", "put", "release", "reserve_on", "free_units"]

_STOCK = Stock.__table__


def lock_rows(session: Session, ids: Iterable[int]) -> dict[int, Stock]:
    """The stock rows ``ids``, locked (in id order) and read fresh."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = session.scalars(select(Stock).where(Stock.id.in_(ids)).order_by(Stock.id)
                           .with_for_update().execution_options(populate_existing=True)).all()
    return {row.id: row for row in rows}


def candidates(session: Session, locations: list[Location], product: Product, removal: Removal,
               lot: Optional[Lot] = None) -> list[Stock]:
    """Stock rows with something free to take, locked, in the order the removal strategy takes them.

    FIFO takes the oldest arrivals first; FEFO the lots expiring first (no expiry last), then the oldest.
    """
    query = select(Stock.id).where(Stock.product_id == product.id,
                                   Stock.location_id.in_([loc.id for loc in locations]),
                                   Stock.on_hand > Stock.reserved)
    if lot is not None:
        query = query.where(Stock.lot_id == lot.id)
    locked = lock_rows(session, session.scalars(query))
    rows = [row for row in locked.values() if row.on_hand > row.reserved]

    def order(row: Stock):
        fifo = (row.in_date, row.id)
        if removal is Removal.FEFO:
            expiry = row.lot.expiry_date if row.lot is not None else None
            return (expiry is None, expiry or dt.date.max, *fifo)
        return fifo

    return sorted(rows, key=order)


def ensure_row(session: Session, location: Location, product: Product, lot_id: Optional[int],
               date: dt.date) -> Stock:
    """The stock row of a place, product and lot, created empty if need be, locked."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(_STOCK).values(
        company_id=location.company_id, location_id=location.id, product_id=product.id, lot_id=lot_id,
        on_hand=0, reserved=0, in_date=date).on_conflict_do_nothing())
    row_id = session.scalar(select(Stock.id).where(
        Stock.location_id == location.id, Stock.product_id == product.id,
        func.coalesce(Stock.lot_id, 0) == (lot_id or 0)))
    return lock_rows(session, [row_id])[row_id]


def reserve_on(session: Session, row: Stock, units: int) -> None:
    """Promise ``units`` of a locked row; the update itself refuses to promise more than is free."""
    done = session.execute(update(_STOCK).where(_STOCK.c.id == row.id,
                                                _STOCK.c.on_hand - _STOCK.c.reserved >= units)
                           .values(reserved=_STOCK.c.reserved + units))
    if done.rowcount != 1:
        raise LimitExceeded(
            f"{row.product.sku}: only {quantity(row.product, row.on_hand - row.reserved)} free "
            f"at {row.location.code}, {quantity(row.product, units)} asked"
        )
    session.refresh(row)


def release(session: Session, row: Stock, units: int) -> None:
    if units:
        session.execute(update(_STOCK).where(_STOCK.c.id == row.id)
                        .values(reserved=_STOCK.c.reserved - units))
        session.refresh(row)


def take(session: Session, row: Stock, units: int, own_reservation: int, *, allow_negative: bool) -> None:
    """Take ``units`` out of a locked row, dropping the ``own_reservation`` held for them.

    What others reserved stays untouchable; below zero only where the company allows it (and never by lot).
    """
    others = row.reserved - own_reservation
    free = row.on_hand - others
    if units > free and not (allow_negative and row.lot_id is None and others == 0):
        raise LimitExceeded(f"{row.product.sku}: only {quantity(row.product, max(free, 0))} available at "
                            f"{row.location.code}" + (f" (lot {row.lot.name})" if row.lot else "")
                            + f", {quantity(row.product, units)} asked")
    session.execute(update(_STOCK).where(_STOCK.c.id == row.id).values(
        on_hand=_STOCK.c.on_hand - units, reserved=_STOCK.c.reserved - own_reservation))
    session.refresh(row)


def put(session: Session, row: Stock, units: int) -> None:
    session.execute(update(_STOCK).where(_STOCK.c.id == row.id).values(on_hand=_STOCK.c.on_hand + units))
    session.refresh(row)


def free_units(session: Session, locations: list[Location], product: Product) -> int:
    """Free units of ``product`` across ``locations`` (on hand less reserved)."""
    return int(session.scalar(select(func.coalesce(func.sum(Stock.on_hand - Stock.reserved), 0)).where(
        and_(Stock.product_id == product.id, Stock.location_id.in_([loc.id for loc in locations])))))

"""Picking, packing and waves.

Picking is what a scanner reads: a location, a product (and a lot), a
quantity; it counts up ``picked`` on the operation's reserved line there,
never past the reservation. Packing puts a delivery's picked, unpacked lines
into a new package. A wave gathers ready deliveries of one warehouse into
one round: its pick list walks the locations in code order, a pick at a
location is shared over the wave's deliveries oldest first, and finishing
the wave validates each delivery with exactly what was picked.

Picking writes move lines only (locked while counted up); the stock rows
change when the operation is validated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid, LimitExceeded, NotFound
from core.models import Company, Product
from core.numbering import next_number
from plugins.wms.documents import (
    Move,
    MoveLine,
    Operation,
    OperationKind,
    OperationState,
    Package,
    Wave,
    WaveState,
)
from plugins.wms.models import Location, Lot, Tracking
from plugins.wms.operations import find_operation, outgoing
from plugins.wms.places import find_warehouse, scan_location
from plugins.wms.products import find_lot, scan_product, tracking_of
from plugins.wms.validation import validate
from plugins.wms.values import quantity, quantity_units

__all__ = [
    "Picked",
    "pick",
    "pack",
    "create_wave",
    "find_wave",
    "PickRow",
    "pick_list",
    "pick_wave",
    "finish_wave",
    "cancel_wave",
    "WaveResult",
]


@attrs.frozen
class Picked:
    """How much of one pick went to which operation."""

    operation: str
    product: str
    location: str
    lot: Optional[str]
    quantity: Decimal


# -- picking ------------------------------------------------------------------------------

def pick(
    session: Session,
    company: Company,
    op: Operation,
    location_scan: str,
    product_scan: str,
    quantity_text,
    lot: Optional[str] = None,
) -> list[Picked]:
    """Count ``quantity_text`` up as picked on ``op``'s reserved line at the scanned location.

    Refuses a location, product or lot the operation has nothing reserved
    at, and more than is reserved there and not yet picked.
    """
    _pickable(op)
    return _pick(session, company, [op], location_scan, product_scan, quantity_text, lot)


def _pickable(op: Operation) -> None:
    if not outgoing(op):
        raise Invalid(f"{op.number} is a receipt: nothing to pick")
    if op.state is not OperationState.READY:
        raise Conflict(f"{op.number} is {op.state.value}: only a ready operation is picked")


def _pick(session: Session, company: Company, ops: list[Operation], location_scan: str, product_scan: str,
          quantity_text, lot_name: Optional[str]) -> list[Picked]:
    place = scan_location(session, company, location_scan)
    product = scan_product(session, company, product_scan)
    units = quantity_units(product, quantity_text, what="picked quantity")
    lot = _scanned_lot(session, product, lot_name)
    moves = [m for op in ops for m in op.moves if m.product_id == product.id]
    if not moves:
        raise Invalid(f"{_names(ops)} has no line for {product.sku}")
    lines = _lines_at(session, moves, place, lot)
    if not lines:
        where = sorted({f"{line.source.code}" + (f" (lot {line.lot.name})" if line.lot else "")
                        for m in moves for line in m.lines if line.reserved > line.picked})
        raise Invalid(
            f"{_names(ops)}: nothing of {product.sku}{' lot ' + lot.name if lot else ''} to pick at "
            f"{place.code}" + (f"; pick it at {', '.join(where)}" if where else " (nothing reserved)")
        )
    room = sum(max(line.reserved - line.picked, 0) for line in lines)
    if units > room:
        raise LimitExceeded(f"{product.sku}: only {quantity(product, room)} left to pick at {place.code}, "
                            f"{quantity(product, units)} scanned")
    done: dict[str, int] = defaultdict(int)
    for line in lines:  # oldest operation first, then line order
        if units == 0:
            break
        part = min(units, line.reserved - line.picked)
        if part <= 0:
            continue
        target = line if line.package_id is None else _split(session, line, part)
        target.picked += part
        units -= part
        done[line.move.operation.number] += part
    session.flush()
    return [Picked(number, product.sku, place.code, lot.name if lot else None, quantity(product, picked))
            for number, picked in done.items()]


def _names(ops: list[Operation]) -> str:
    return ops[0].number if len(ops) == 1 else "the wave"


def _scanned_lot(session: Session, product: Product, name: Optional[str]) -> Optional[Lot]:
    tracking = tracking_of(session, product)
    name = (name or "").strip()
    if tracking is Tracking.NONE:
        if name:
            raise Invalid(f"{product.sku} is not tracked by lot or serial number")
        return None
    if not name:
        raise Invalid(f"{product.sku} is tracked by {tracking.value}: scan the "
                      f"{'lot' if tracking is Tracking.LOT else 'serial number'} too")
    return find_lot(session, product, name)


def _lines_at(session: Session, moves: list[Move], place: Location, lot: Optional[Lot]) -> list[MoveLine]:
    """The moves' reserved lines at ``place`` (and lot), locked, oldest operation first."""
    ids = [line.id for m in moves for line in m.lines
           if line.source_id == place.id and (lot is None or line.lot_id == lot.id) and line.reserved > 0]
    if not ids:
        return []
    # Locked so two scanners picking for the same line queue instead of both counting up.
    return list(session.scalars(
        select(MoveLine).join(Move, Move.id == MoveLine.move_id).where(MoveLine.id.in_(ids))
        .order_by(Move.operation_id, MoveLine.id).with_for_update(of=MoveLine)
        .execution_options(populate_existing=True)))


def _split(session: Session, line: MoveLine, units: int) -> MoveLine:
    """A new unpacked line carrying ``units`` of a packed line's reservation (a package keeps what it
    holds)."""
    line.reserved -= units
    fresh = MoveLine(company_id=line.company_id, move=line.move, source_id=line.source_id,
                     destination_id=line.destination_id, lot_id=line.lot_id, reserved=units, picked=0, done=0)
    session.add(fresh)
    return fresh


# -- packing ------------------------------------------------------------------------------

def pack(session: Session, company: Company, op: Operation, weight_grams: Optional[int] = None) -> Package:
    """Put every picked, unpacked line of a delivery into a new package (numbered ``PACK/00001``)."""
    if op.kind is not OperationKind.DELIVERY:
        raise Invalid(f"{op.number} is not a delivery: only deliveries are packed")
    _pickable(op)
    if weight_grams is not None and (isinstance(weight_grams, bool) or not isinstance(weight_grams, int)
                                     or weight_grams <= 0):
        raise Invalid(f"a package weighs a positive number of grams, not {weight_grams!r}")
    lines = [line for m in op.moves for line in m.lines if line.picked and line.package_id is None]
    if not lines:
        raise Conflict(f"{op.number}: nothing picked is left to pack")
    package = Package(
        company_id=company.id,
        operation_id=op.id,
        number=next_number(session, company, "PACK/"),
        weight_grams=weight_grams,
    )
    session.add(package)
    session.flush()
    for line in lines:
        line.package_id = package.id
    session.flush()
    return package


# -- waves --------------------------------------------------------------------------------

def create_wave(session: Session, company: Company, warehouse: Optional[str], numbers: Sequence[str]) -> Wave:
    """A wave (``WAVE/00001``) over ready deliveries of one warehouse that are in no other open wave."""
    house = find_warehouse(session, company, warehouse)
    if not numbers:
        raise Invalid("a wave needs at least one delivery")
    ops = [find_operation(session, company, number) for number in numbers]
    if len({op.id for op in ops}) < len(ops):
        raise Invalid("a delivery is named twice")
    # Locked so two waves formed at once cannot both take the same delivery.
    session.scalars(select(Operation.id).where(Operation.id.in_([op.id for op in ops])).order_by(Operation.id)
                    .with_for_update()).all()
    for op in ops:
        session.refresh(op)
        if op.kind is not OperationKind.DELIVERY or op.state is not OperationState.READY:
            raise Conflict(
                f"{op.number} is a {op.state.value} {op.kind.value}: a wave takes ready deliveries"
            )
        if op.warehouse_id != house.id:
            raise Invalid(f"{op.number} is in warehouse {op.warehouse.code}, not {house.code}")
        if op.wave_id is not None:
            other = session.get(Wave, op.wave_id)
            if other.state is WaveState.OPEN:
                raise Conflict(f"{op.number} is in wave {other.number} already")
    wave = Wave(company_id=company.id, number=next_number(session, company, "WAVE/"), warehouse_id=house.id,
                state=WaveState.OPEN)
    session.add(wave)
    session.flush()
    for op in ops:
        op.wave_id = wave.id
    session.flush()
    return wave


def find_wave(session: Session, company: Company, number: str) -> Wave:
    """A wave by number (``WAVE/00001``)."""
    found = session.scalar(select(Wave).where(Wave.company_id == company.id,
                                              Wave.number == (number or "").strip().upper()))
    if found is None:
        raise NotFound(f"unknown wave {number!r} in company {company.code}")
    return found


def _operations(session: Session, wave: Wave, states=(OperationState.READY,)) -> list[Operation]:
    """The wave's operations in those states, oldest first."""
    return list(session.scalars(select(Operation).where(Operation.wave_id == wave.id,
                                                        Operation.state.in_(states)).order_by(Operation.id)))


def _open_wave(wave: Wave, doing: str) -> None:
    if wave.state is not WaveState.OPEN:
        raise Conflict(f"wave {wave.number} is {wave.state.value}: it cannot be {doing}")


@attrs.frozen
class PickRow:
    """One stop of the round: what to pick of a product (and lot) at a location, for which deliveries."""

    location: str
    product: str
    name: str
    unit: str
    lot: Optional[str]
    quantity: Decimal
    picked: Decimal
    operations: tuple[str, ...]


def pick_list(session: Session, company: Company, wave: Wave) -> list[PickRow]:
    """The round through the warehouse: one row per location, product and lot, in that order."""
    stops: dict[tuple, dict] = {}
    for op in _operations(session, wave):
        for move in op.moves:
            for line in move.lines:
                if not line.reserved and not line.picked:
                    continue
                key = (line.source.code, move.product.sku, line.lot.name if line.lot else "")
                stop = stops.setdefault(key, {"product": move.product, "reserved": 0, "picked": 0, "ops": []})
                stop["reserved"] += max(line.reserved, line.picked)
                stop["picked"] += line.picked
                if op.number not in stop["ops"]:
                    stop["ops"].append(op.number)
    rows = []
    for (code, sku, lot), stop in sorted(stops.items()):
        product = stop["product"]
        rows.append(PickRow(code, sku, product.name, product.unit.code, lot or None,
                            quantity(product, stop["reserved"]), quantity(product, stop["picked"]),
                            tuple(stop["ops"])))
    return rows


def pick_wave(
    session: Session,
    company: Company,
    wave: Wave,
    location_scan: str,
    product_scan: str,
    quantity_text,
    lot: Optional[str] = None,
) -> list[Picked]:
    """A pick at one location shared over the wave's deliveries, oldest first."""
    _open_wave(wave, "picked")
    ops = _operations(session, wave)
    if not ops:
        raise Conflict(f"wave {wave.number} has no ready delivery left to pick")
    return _pick(session, company, ops, location_scan, product_scan, quantity_text, lot)


@attrs.frozen
class WaveResult:
    """What finishing a wave did: deliveries done, their backorders, and those left out (nothing picked)."""

    wave: str
    done: tuple[str, ...]
    backorders: tuple[str, ...]
    left_out: tuple[str, ...]


def finish_wave(session: Session, company: Company, wave: Wave,
                date: Optional[dt.date | str] = None) -> WaveResult:
    """Validate every delivery of the wave with exactly what was picked, product by product; done.

    What was not picked stays behind in a backorder; a delivery with
    nothing picked at all leaves the wave untouched (still ready, still
    reserved) instead of shipping goods nobody picked.
    """
    _open_wave(wave, "finished")
    ops = _operations(session, wave)
    picked = {
        op.id: {m.product.sku: quantity(m.product, sum(line.picked for line in m.lines)) for m in op.moves}
        for op in ops
    }
    if not any(units for quantities in picked.values() for units in quantities.values()):
        raise Invalid(f"wave {wave.number}: nothing was picked")
    done, backorders, left = [], [], []
    for op in ops:
        if not any(picked[op.id].values()):
            op.wave_id = None
            left.append(op.number)
            continue
        _, rest = validate(session, company, op, picked[op.id], date=date)
        done.append(op.number)
        if rest is not None:
            backorders.append(rest.number)
    wave.state = WaveState.DONE
    session.flush()
    return WaveResult(wave.number, tuple(done), tuple(backorders), tuple(left))


def cancel_wave(session: Session, company: Company, wave: Wave) -> Wave:
    """Cancel an open wave: its deliveries leave it, nothing else changes (picks and reservations stay)."""
    _open_wave(wave, "cancelled")
    for op in _operations(
        session, wave, (OperationState.DRAFT, OperationState.READY, OperationState.CANCELLED)
    ):
        op.wave_id = None
    wave.state = WaveState.CANCELLED
    session.flush()
    return wave

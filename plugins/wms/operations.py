"""Operations: receipts, deliveries and internal transfers, from draft to ready.

``create_operation`` writes a draft (no effect on stock); ``confirm`` makes
it ready and, for stock leaving a location, reserves what it can;
``reserve`` tries again for what is missing; ``cancel`` gives reservations
back. Validating (done) lives in :mod:`plugins.wms.validation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Optional

import attrs
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.catalog import get_party, get_product
from core.errors import Conflict, Invalid, NotFound
from core.models import Company
from core.numbering import next_number
from core.plugins import plugins_of
from core.values import as_id, parse_date
from plugins.wms.documents import Move, MoveLine, Operation, OperationKind, OperationState
from plugins.wms.events import MovedLine, StockReserved
from plugins.wms.models import Location, LocationKind, Stock, Warehouse
from plugins.wms.places import find_location, find_warehouse, locations_under
from plugins.wms.products import removal_of
from plugins.wms.setup import settings_of
from plugins.wms.stock import candidates, lock_rows, release, reserve_on
from plugins.wms.values import cost_units, quantity, quantity_units

__all__ = [
    "LineInput",
    "create_operation",
    "find_operation",
    "OPEN",
    "is_late",
    "late_condition",
    "confirm",
    "reserve",
    "unreserve",
    "cancel",
    "reserved_of",
    "PREFIX",
    "outgoing",
]

PREFIX = {OperationKind.RECEIPT: "IN", OperationKind.DELIVERY: "OUT", OperationKind.INTERNAL: "INT"}
# Where each kind may take stock from and bring it to (besides internal locations).
_OUTSIDE_FROM = {LocationKind.SUPPLIER, LocationKind.CUSTOMER, LocationKind.PRODUCTION, LocationKind.TRANSIT}
_OUTSIDE_TO = {LocationKind.CUSTOMER, LocationKind.SUPPLIER, LocationKind.PRODUCTION, LocationKind.TRANSIT,
               LocationKind.LOSS}


@attrs.frozen
class LineInput:
    """One product of a new operation: SKU, quantity in its unit and, for receipts, the unit cost."""

    product: str
    quantity: object
    unit_cost: object = None


def _kind(value: str | OperationKind) -> OperationKind:
    if isinstance(value, OperationKind):
        return value
    try:
        return OperationKind(str(value).strip().lower())
    except ValueError:
        raise Invalid(f"unknown operation kind {value!r} (receipt, delivery or internal)") from None


def create_operation(
    session: Session,
    company: Company,
    kind: str | OperationKind,
    lines: Sequence[LineInput],
    *,
    warehouse: Optional[str] = None,
    party: Optional[str] = None,
    source: Optional[str] = None,
    destination: Optional[str] = None,
    scheduled: Optional[dt.date | str] = None,
    origin: Optional[str] = None,
    reference: str = "",
) -> Operation:
    """A draft operation; locations default to the warehouse's root and the company's virtual places."""
    kind = _kind(kind)
    settings = settings_of(session, company)
    house = find_warehouse(session, company, warehouse)
    src, dst = _ends(session, company, settings, house, kind, source, destination)
    if not lines:
        raise Invalid("an operation needs at least one line")
    op = Operation(
        company_id=company.id,
        number=next_number(session, company, f"{house.code}/{PREFIX[kind]}/"),
        kind=kind,
        state=OperationState.DRAFT,
        warehouse_id=house.id,
        source_id=src.id,
        destination_id=dst.id,
        scheduled=parse_date(scheduled) if scheduled else dt.date.today(),
        origin=(origin or None),
        reference=reference or "",
        party_id=get_party(session, company, party).id if party else None,
    )
    session.add(op)
    session.flush()
    for line in lines:
        product = get_product(session, company, line.product)
        if line.unit_cost not in (None, "") and kind is not OperationKind.RECEIPT:
            raise Invalid(f"{product.sku}: only a receipt names a unit cost")
        session.add(Move(company_id=company.id, operation_id=op.id, product_id=product.id,
                         demand=quantity_units(product, line.quantity),
                         unit_cost=cost_units(line.unit_cost) if line.unit_cost not in (None, "") else None))
    session.flush()
    session.refresh(op)
    return op


def _ends(
    session, company, settings, house: Warehouse, kind, source, destination
) -> tuple[Location, Location]:
    root = session.get(Location, house.location_id)
    if kind is OperationKind.RECEIPT:
        src = (
            find_location(session, company, source) if source else session.get(Location, settings.supplier_id)
        )
        dst = find_location(session, company, destination) if destination else root
        if src.kind not in _OUTSIDE_FROM or not dst.internal:
            raise Invalid(f"a receipt brings stock from outside ({src.code}) into the warehouse ({dst.code})")
    elif kind is OperationKind.DELIVERY:
        src = find_location(session, company, source) if source else root
        dst = find_location(session, company, destination) if destination else session.get(Location,
                                                                                           settings.customer_id)
        if not src.internal or dst.kind not in _OUTSIDE_TO:
            raise Invalid(f"a delivery takes stock from the warehouse ({src.code}) to outside ({dst.code})")
    else:
        if not source or not destination:
            raise Invalid("an internal transfer needs a source and a destination location")
        src, dst = find_location(session, company, source), find_location(session, company, destination)
        if not (src.internal and dst.internal):
            raise Invalid("an internal transfer moves stock between the company's own locations")
        if src.id == dst.id:
            raise Invalid(f"source and destination are the same location ({src.code})")
    for end in (src, dst):
        if end.internal and end.warehouse_id != house.id:
            raise Invalid(f"location {end.code} is not in warehouse {house.code}")
    return src, dst


def find_operation(session: Session, company: Company, ref: str | int) -> Operation:
    """An operation by number (``MAIN/OUT/00003``) or id."""
    query = select(Operation).where(Operation.company_id == company.id)
    text = str(ref).strip()
    found = session.scalar(query.where(Operation.number == text.upper()))
    if found is None and as_id(text) is not None:
        found = session.scalar(query.where(Operation.id == as_id(text)))
    if found is None:
        raise NotFound(f"unknown operation {ref!r} in company {company.code}")
    return found


# Still to do: neither done nor cancelled.
OPEN = (OperationState.DRAFT, OperationState.READY)


def is_late(op: Operation, today: Optional[dt.date] = None) -> bool:
    """Whether an open operation is past its scheduled day."""
    return op.state in OPEN and op.scheduled < (today or dt.date.today())


def late_condition(today: Optional[dt.date] = None):
    """:func:`is_late` as an SQL condition, for lists and counts."""
    return and_(Operation.state.in_(OPEN), Operation.scheduled < (today or dt.date.today()))


def outgoing(op: Operation) -> bool:
    """Whether the operation takes stock out of an internal location (so it reserves)."""
    return op.kind is not OperationKind.RECEIPT


def _open(session: Session, op: Operation, doing: str) -> None:
    """Lock the operation's row and read it fresh; refuse if it is done or cancelled.

    Two people confirming, validating or cancelling one operation at once queue here, and the
    second sees what the first did.
    """
    session.refresh(op, with_for_update=True)
    if op.state in (OperationState.DONE, OperationState.CANCELLED):
        raise Conflict(f"{op.number} is {op.state.value}: it cannot be {doing}")


def confirm(session: Session, company: Company, op: Operation) -> Operation:
    """Draft -> ready; an outgoing operation reserves what it can at once."""
    _open(session, op, "confirmed")
    if op.state is OperationState.DRAFT:
        op.state = OperationState.READY
        session.flush()
    if outgoing(op):
        reserve(session, company, op)
    return op


def reserved_of(move: Move) -> int:
    return sum(line.reserved for line in move.lines)


def reserve(session: Session, company: Company, op: Operation) -> bool:
    """Reserve what the operation still lacks, by the product's removal strategy.

    Never more than is free at a location: the stock rows are locked and the
    update itself checks it. :returns: whether everything is now reserved.
    """
    _open(session, op, "reserved")
    if not outgoing(op):
        raise Invalid(f"{op.number} is a receipt: nothing to reserve")
    if op.state is OperationState.DRAFT:
        op.state = OperationState.READY
    settings = settings_of(session, company)
    # Never from where the goods are going (a transfer from a zone into one of its bins).
    places = [
        loc for loc in locations_under(session, op.source) if loc.internal and loc.id != op.destination_id
    ]
    reserved_now: list[MovedLine] = []
    complete = True
    for move in sorted(op.moves, key=lambda m: m.product_id):
        need = move.demand - reserved_of(move)
        for row in candidates(session, places, move.product, removal_of(session, settings, move.product)):
            if need <= 0:
                break
            take = min(need, row.on_hand - row.reserved)
            reserve_on(session, row, take)
            _line_for(session, move, row.location, op.destination, row.lot_id).reserved += take
            reserved_now.append(MovedLine(move.product.sku, quantity(move.product, take), row.location.code,
                                          op.destination.code, row.lot.name if row.lot else None))
            need -= take
        complete = complete and need <= 0
    session.flush()
    if reserved_now:
        plugins_of(session).for_company(session, company).stock_reserved(
            session=session, company=company, event=StockReserved(
                company_id=company.id, operation_id=op.id, number=op.number, warehouse=op.warehouse.code,
                party=op.party.code if op.party else None, date=dt.date.today(), lines=tuple(reserved_now),
                origin=op.origin, complete=complete))
    return complete


def _line_for(session: Session, move: Move, source: Location, destination: Location, lot_id) -> MoveLine:
    for line in move.lines:
        if line.source_id == source.id and line.lot_id == lot_id and line.done == 0:
            return line
    line = MoveLine(company_id=move.company_id, move=move, source_id=source.id, destination_id=destination.id,
                    lot_id=lot_id, reserved=0, picked=0, done=0)
    session.add(line)
    session.flush()
    return line


def unreserve(session: Session, company: Company, op: Operation) -> None:
    """Give every reservation of the operation back (lines not yet picked go away)."""
    _open(session, op, "unreserved")
    lines = [line for move in op.moves for line in move.lines]
    rows = _rows_of(session, lines)
    for line in lines:
        if line.reserved:
            release(session, rows[(line.source_id, line.move.product_id, line.lot_id)], line.reserved)
            line.reserved = 0
        if not line.picked:
            line.move.lines.remove(line)
    session.flush()


def _rows_of(session: Session, lines: list[MoveLine]) -> dict:
    rows = {}
    for line in lines:
        if line.reserved:
            row_id = session.scalar(select(Stock.id).where(
                Stock.location_id == line.source_id, Stock.product_id == line.move.product_id,
                func.coalesce(Stock.lot_id, 0) == (line.lot_id or 0)))
            rows[(line.source_id, line.move.product_id, line.lot_id)] = row_id
    locked = lock_rows(session, rows.values())
    return {key: locked[row_id] for key, row_id in rows.items()}


def cancel(session: Session, company: Company, op: Operation) -> Operation:
    _open(session, op, "cancelled")
    if outgoing(op):
        unreserve(session, company, op)
    op.state = OperationState.CANCELLED
    session.flush()
    return op

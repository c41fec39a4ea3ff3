"""Cycle counts: a count sheet per location, counted, approved, the differences posted.

A sheet lists what the books put on the location's shelf per product and
lot: on hand less what open operations have picked there (picked goods sit
in a tote or a package, still booked here until their operation is done).
Approving posts counted less expected as one ledger transaction between
the location and the company's inventory-loss location, with values where
the company values its stock.

Stock that moved after the sheet was opened (an operation done, something
picked) makes the sheet stale: the counter may or may not have seen the
move, so no difference can be trusted. Approval re-reads the shelf under
the row locks and refuses a stale sheet; cancel it and open a new one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import ledger
from core.catalog import get_product
from core.errors import Conflict, Invalid, NotFound
from core.ledger import Leg
from core.models import Company, Product
from core.numbering import next_number
from core.values import parse_date
from plugins.wms.documents import Count, CountLine, CountState, Move, MoveLine, Operation, OperationState
from plugins.wms.models import Location, Lot, Stock, Tracking
from plugins.wms.operations import reserve
from plugins.wms.places import scan_location
from plugins.wms.products import lot_for_receipt, tracking_of
from plugins.wms.setup import settings_of, valued
from plugins.wms.stock import ensure_row, lock_rows, put, release, take
from plugins.wms.valuation import issue, receive, unit_cost_now, value_legs
from plugins.wms.values import quantity, quantity_units

__all__ = [
    "plan_counts",
    "open_count",
    "find_count",
    "record",
    "approve",
    "cancel_count",
    "count_data",
    "OPEN",
]

# A sheet still being counted: quantities may be recorded, or it cancelled.
OPEN = (CountState.DRAFT, CountState.COUNTED)


def plan_counts(session: Session, company: Company, today: Optional[dt.date | str] = None) -> list[Count]:
    """Open a sheet for every internal location whose count is due and has none open.

    Due: a count frequency is set and the location was never counted, or
    ``last_counted + count_every_days <= today``.
    """
    day = parse_date(today) if today else dt.date.today()
    places = session.scalars(select(Location).where(
        Location.company_id == company.id, Location.count_every_days.is_not(None), Location.active.is_(True))
        .order_by(Location.code)).all()
    opened = []
    for place in places:
        due = (
            place.last_counted is None
            or place.last_counted + dt.timedelta(days=place.count_every_days) <= day
        )
        if not (due and place.internal):
            continue
        _lock(session, place)
        if _open_sheet(session, place) is None:
            opened.append(_open(session, company, place, day))
    return opened


def open_count(
    session: Session, company: Company, location: str, date: Optional[dt.date | str] = None
) -> Count:
    """A count sheet for ``location`` (its barcode or code), by hand; one open sheet per location."""
    place = scan_location(session, company, location)
    if not place.internal:
        raise Invalid(f"location {place.code} holds no stock of the company's to count")
    _lock(session, place)
    found = _open_sheet(session, place)
    if found is not None:
        raise Conflict(f"location {place.code} has an open count already: {found.number}")
    return _open(session, company, place, parse_date(date) if date else dt.date.today())


def _lock(session: Session, place: Location) -> None:
    # Two planners at once queue here, so a location never gets two open sheets.
    session.scalar(select(Location.id).where(Location.id == place.id).with_for_update())


def _open_sheet(session: Session, place: Location) -> Optional[Count]:
    return session.scalar(select(Count).where(Count.location_id == place.id, Count.state.in_(OPEN)))


def _open(session: Session, company: Company, place: Location, day: dt.date) -> Count:
    sheet = Count(company_id=company.id, number=next_number(session, company, "COUNT/"), location_id=place.id,
                  state=CountState.DRAFT, date=day)
    session.add(sheet)
    session.flush()
    shelf = _shelf(session, place)
    for (product_id, lot_id), units in sorted(shelf.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        if units:
            session.add(CountLine(company_id=company.id, count=sheet, product_id=product_id, lot_id=lot_id,
                                  expected=units, counted=None))
    session.flush()
    session.refresh(sheet)
    return sheet


def _picked_here(session: Session, place: Location) -> dict[tuple[int, Optional[int]], int]:
    """What open operations picked at ``place`` per product and lot (off the shelf, still on the books)."""
    rows = session.execute(
        select(Move.product_id, MoveLine.lot_id, func.sum(MoveLine.picked))
        .join(Move, Move.id == MoveLine.move_id).join(Operation, Operation.id == Move.operation_id)
        .where(MoveLine.source_id == place.id, Operation.state == OperationState.READY, MoveLine.picked > 0)
        .group_by(Move.product_id, MoveLine.lot_id)).all()
    return {(product_id, lot_id): int(units) for product_id, lot_id, units in rows}


def _shelf(session: Session, place: Location, rows: Optional[list[Stock]] = None) -> dict:
    """On the shelf per (product id, lot id): on hand less what was picked there."""
    if rows is None:
        rows = session.scalars(select(Stock).where(Stock.location_id == place.id)).all()
    shelf: dict[tuple[int, Optional[int]], int] = defaultdict(int)
    for row in rows:
        shelf[(row.product_id, row.lot_id)] += row.on_hand
    for key, units in _picked_here(session, place).items():
        shelf[key] -= units
    return shelf


def find_count(session: Session, company: Company, number: str) -> Count:
    """A count sheet by number (``COUNT/00001``)."""
    found = session.scalar(select(Count).where(Count.company_id == company.id,
                                               Count.number == (number or "").strip().upper()))
    if found is None:
        raise NotFound(f"unknown count {number!r} in company {company.code}")
    return found


def _state(sheet: Count, allowed: tuple[CountState, ...], doing: str) -> None:
    if sheet.state not in allowed:
        raise Conflict(f"{sheet.number} is {sheet.state.value}: it cannot be {doing}")


# -- counting ---------------------------------------------------------------------------

def record(session: Session, company: Company, sheet: Count,
           counted: Mapping[tuple[str, Optional[str]], object]) -> Count:
    """Enter counted quantities by (SKU, lot name or ``None``); found goods get new lines (expected 0).

    Lines not named keep what was entered before; a sheet is approved only
    when every line has a count. Draft -> counted.
    """
    _state(sheet, OPEN, "recorded")
    if not counted:
        raise Invalid(f"{sheet.number}: no counted quantity given")
    lines = {(line.product_id, line.lot_id): line for line in sheet.lines}
    for (sku, lot_name), value in counted.items():
        product = get_product(session, company, sku)
        units = quantity_units(product, value, what="counted quantity", positive=False)
        lot = _lot(session, company, sheet, product, lot_name, units)
        line = lines.get((product.id, lot.id if lot else None))
        if line is None:
            line = CountLine(company_id=company.id, count=sheet, product_id=product.id,
                             lot_id=lot.id if lot else None, expected=0)
            session.add(line)
            lines[(product.id, line.lot_id)] = line
        line.counted = units
    sheet.state = CountState.COUNTED
    session.flush()
    session.refresh(sheet)
    return sheet


def _lot(session: Session, company: Company, sheet: Count, product: Product, name: Optional[str],
         units: int) -> Optional[Lot]:
    tracking = tracking_of(session, product)
    name = (name or "").strip() or None
    if tracking is Tracking.NONE:
        if name:
            raise Invalid(f"{product.sku} is not tracked by lot or serial number")
        return None
    if not name:
        raise Invalid(f"{product.sku} is tracked by {tracking.value}: count it per "
                      f"{'lot' if tracking is Tracking.LOT else 'serial number'} (SKU:LOT=QTY)")
    if tracking is Tracking.SERIAL and units not in (0, 10**product.unit.scale):
        raise Invalid(f"{product.sku}: serial number {name} counts 0 or 1, not {quantity(product, units)}")
    lot = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.name == name))
    if lot is None:
        return lot_for_receipt(session, company, product, name)  # a lot nobody knew: found on the shelf
    if tracking is Tracking.SERIAL and units:
        _serial_elsewhere(session, sheet, product, lot)
    return lot


def _serial_elsewhere(session: Session, sheet: Count, product: Product, lot: Lot) -> None:
    elsewhere = session.scalar(select(Location.code).join(Stock, Stock.location_id == Location.id).where(
        Stock.lot_id == lot.id, Stock.on_hand != 0, Stock.location_id != sheet.location_id).limit(1))
    if elsewhere is not None:
        raise Conflict(f"{product.sku}: serial number {lot.name} is on the books at {elsewhere}; "
                       f"count that location or move it first")


# -- approving --------------------------------------------------------------------------

def approve(session: Session, company: Company, sheet: Count, approver: str,
            date: Optional[dt.date | str] = None) -> Count:
    """Post the differences of a counted sheet (counted -> approved) and set the location's last count.

    One ledger transaction moves the differences between the location and
    the inventory-loss location (values: a loss at the cost it issues, a gain
    at the current unit cost). Where less is counted than is reserved, the
    newest operations' reservations on that row go back first, and those
    operations try to reserve again elsewhere.
    """
    _state(sheet, (CountState.COUNTED,), "approved")
    approver = (approver or "").strip()
    if not approver or len(approver) > 80:
        raise Invalid("an approval names who approves (1 to 80 characters)")
    missing = [_label(line) for line in sheet.lines if line.counted is None]
    if missing:
        raise Invalid(
            f"{sheet.number}: not counted yet: {', '.join(missing)} (record 0 for what is not there)"
        )
    settings = settings_of(session, company)
    day = parse_date(date) if date else dt.date.today()
    place = sheet.location
    _lock_operations_here(session, place)
    rows = _lock_sheet_rows(session, sheet, day)
    _lock_picks(session, place)
    _refuse_if_stale(session, sheet, place, rows)
    picked = _picked_here(session, place)
    quantities: dict[tuple[str, str], int] = defaultdict(int)
    net: dict[int, int] = defaultdict(int)
    affected: set[int] = set()
    loss = session.get(Location, settings.loss_id)
    for line in sheet.lines:
        difference = line.counted - line.expected
        row = rows[(line.product_id, line.lot_id)]
        if line.lot is not None and line.counted and tracking_of(session, line.product) is Tracking.SERIAL:
            _serial_elsewhere(session, sheet, line.product, line.lot)  # it may have arrived elsewhere since
        new_on_hand = line.counted + picked.get((line.product_id, line.lot_id), 0)
        if row.reserved > new_on_hand:
            affected |= _give_back(session, row, row.reserved - new_on_hand)
        if difference > 0:
            put(session, row, difference)
        elif difference < 0:
            take(session, row, -difference, 0, allow_negative=settings.allow_negative)
        quantities[(place.code, line.product.sku)] += difference
        quantities[(loss.code, line.product.sku)] -= difference
        net[line.product_id] += difference
    for op in sorted((session.get(Operation, op_id) for op_id in affected), key=lambda o: o.id):
        reserve(session, company, op)  # what went back here may be free elsewhere
    legs = [Leg(account, quantity(_product(sheet, sku), units), sku)
            for (account, sku), units in sorted(quantities.items()) if units]
    if valued(settings):
        legs += _value_legs(session, company, settings, net, day)
    if legs:
        posted = ledger.post(session, company, day, legs, memo=f"{sheet.number} (count of {place.code})",
                             key=f"wms:{sheet.number}", origin=f"wms:{sheet.number}")
        sheet.transaction_id = posted.id
    sheet.state, sheet.approved_by = CountState.APPROVED, approver
    place.last_counted = day
    session.flush()
    return sheet


def _label(line: CountLine) -> str:
    return line.product.sku + (f":{line.lot.name}" if line.lot else "")


def _product(sheet: Count, sku: str) -> Product:
    return next(line.product for line in sheet.lines if line.product.sku == sku)


def _lock_sheet_rows(session: Session, sheet: Count, day: dt.date) -> dict[tuple[int, Optional[int]], Stock]:
    """Every stock row of the location and of the sheet's lines, created if need be, locked in id order."""
    place = sheet.location
    ids = set(session.scalars(select(Stock.id).where(Stock.location_id == place.id)))
    for line in sheet.lines:
        ids.add(ensure_row(session, place, line.product, line.lot_id, day).id)
    locked = lock_rows(session, ids)
    return {(row.product_id, row.lot_id): row for row in locked.values()}


def _lock_picks(session: Session, place: Location) -> None:
    # Open operations' lines here, locked after the stock rows: a pick scanned meanwhile waits for the
    # approval instead of changing what is off the shelf while it is being worked out.
    session.scalars(select(MoveLine.id).join(Move, Move.id == MoveLine.move_id)
                    .join(Operation, Operation.id == Move.operation_id)
                    .where(MoveLine.source_id == place.id, Operation.state == OperationState.READY)
                    .order_by(MoveLine.id).with_for_update(of=MoveLine)).all()


def _refuse_if_stale(session: Session, sheet: Count, place: Location, rows: dict) -> None:
    expected = {(line.product_id, line.lot_id): line.expected for line in sheet.lines}
    shelf = _shelf(session, place, list(rows.values()))
    changed = sorted((key for key in set(shelf) | set(expected) if shelf.get(key, 0) != expected.get(key, 0)),
                     key=lambda key: (key[0], key[1] or 0))
    if changed:
        names = []
        for product_id, lot_id in changed[:5]:
            product = session.get(Product, product_id)
            lot = session.get(Lot, lot_id) if lot_id else None
            names.append(f"{product.sku}{':' + lot.name if lot else ''} expected "
                         f"{quantity(product, expected.get((product_id, lot_id), 0))}, now "
                         f"{quantity(product, shelf.get((product_id, lot_id), 0))}")
        raise Conflict(f"{sheet.number}: stock at {place.code} moved since the sheet was opened "
                       f"({'; '.join(names)}); cancel it and open a new count")


def _lock_operations_here(session: Session, place: Location) -> None:
    """Lock the open operations that hold stock here, before the stock rows.

    Every operation action locks its operation, then stock rows; an approval
    that gives reservations back and reserves again does the same, so the
    two never wait for each other in a circle.
    """
    ids = sorted(
        set(
            session.scalars(
                select(Operation.id)
                .join(Move, Move.operation_id == Operation.id)
                .join(MoveLine, MoveLine.move_id == Move.id)
                .where(
                    Operation.state == OperationState.READY,
                    MoveLine.source_id == place.id,
                    MoveLine.reserved > 0,
                )
            )
        )
    )
    if ids:
        session.execute(select(Operation.id).where(Operation.id.in_(ids)).order_by(Operation.id).with_for_update())


def _give_back(session: Session, row: Stock, excess: int) -> set[int]:
    """Release ``excess`` of a row's reservations, newest operation first, never what was picked.

    :returns: the ids of the operations that gave something back.
    """
    lines = session.scalars(
        select(MoveLine)
        .join(Move, Move.id == MoveLine.move_id)
        .join(Operation, Operation.id == Move.operation_id)
        .where(
            Operation.state == OperationState.READY,
            MoveLine.source_id == row.location_id,
            Move.product_id == row.product_id,
            func.coalesce(MoveLine.lot_id, 0) == (row.lot_id or 0),
            MoveLine.reserved > MoveLine.picked,
        )
        .order_by(Operation.id.desc(), MoveLine.id.desc())
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    affected, given = set(), 0
    for line in lines:
        if given == excess:
            break
        part = min(excess - given, line.reserved - line.picked)
        line.reserved -= part
        given += part
        affected.add(line.move.operation_id)
        if not line.reserved and not line.picked:
            line.move.lines.remove(line)
    # Picked goods are counted as off the shelf, so unpicked reservations always cover the excess.
    assert given == excess, "reservations do not add up to the stock row's"
    release(session, row, given)
    session.flush()
    return affected


def _value_legs(session: Session, company: Company, settings, net: dict[int, int], day: dt.date) -> list[Leg]:
    inventory, difference = settings.inventory_account.code, settings.difference_account.code
    cogs, currency = settings.cogs_account.code, company.currency
    legs: list[Leg] = []
    for product_id in sorted(net):  # cost rows locked in product-id order
        units = net[product_id]
        product = session.get(Product, product_id)
        if units < 0:
            legs += value_legs(difference, inventory, issue(session, company, product, -units), currency)
        elif units > 0:
            value, correction = receive(
                session, company, product, units, unit_cost_now(session, company, product), day, None
            )
            legs += value_legs(inventory, difference, value, currency)
            legs += value_legs(cogs, inventory, correction, currency)
    return legs


def cancel_count(session: Session, company: Company, sheet: Count) -> Count:
    """Drop a sheet that is not approved; nothing was posted, nothing changes."""
    _state(sheet, OPEN, "cancelled")
    sheet.state = CountState.CANCELLED
    session.flush()
    return sheet


def count_data(sheet: Count) -> dict:
    """A sheet as plain data (``--json`` and the JSON pages)."""
    lines = []
    for line in sheet.lines:
        product = line.product
        counted = quantity(product, line.counted) if line.counted is not None else None
        lines.append(
            {
                "product": product.sku,
                "name": product.name,
                "unit": product.unit.code,
                "lot": line.lot.name if line.lot else None,
                "expected": quantity(product, line.expected),
                "counted": counted,
                "difference": quantity(product, line.counted - line.expected)
                if counted is not None
                else None,
            }
        )
    return {"number": sheet.number, "location": sheet.location.code, "state": sheet.state, "date": sheet.date,
            "approved_by": sheet.approved_by, "transaction_id": sheet.transaction_id, "lines": lines}

"""Validating an operation: the stock moves, in one ledger transaction.

What was done per product defaults to the whole demand for a receipt and
to what was picked (else reserved) for stock leaving a location. Less than
the demand leaves a backorder for the rest; receipts go where the putaway
rules say, lot by lot. The quantities (and, where the company values its
stock, the values) are posted as one ledger transaction keyed by the
operation's number, then the events go out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Optional

import attrs
from sqlalchemy.orm import Session

from core import ledger
from core.errors import Invalid, LimitExceeded
from core.ledger import Account, Leg
from core.models import Company, Product
from core.plugins import plugins_of
from core.values import parse_date
from plugins.wms.documents import Move, MoveLine, Operation, OperationState
from plugins.wms.events import GoodsDelivered, GoodsReceived, MovedLine
from plugins.wms.models import Location, LocationKind, Settings, Tracking
from plugins.wms.operations import _line_for, _open, confirm, outgoing, reserve, reserved_of
from plugins.wms.products import lot_for_receipt, tracking_of
from plugins.wms.putaway import destination_for
from plugins.wms.setup import settings_of, valued
from plugins.wms.stock import ensure_row, lock_rows, put, take
from plugins.wms.valuation import OWNED, issue, receive, unit_cost_now, value_legs
from plugins.wms.values import money, quantity, quantity_units, share

__all__ = ["LotInput", "validate"]


@attrs.frozen
class LotInput:
    """Received units of one lot (or serial number), with its expiry date."""

    product: str
    lot: str
    quantity: object = "1"
    expiry: Optional[str] = None


def validate(
    session: Session,
    company: Company,
    op: Operation,
    done: Optional[Mapping[str, object]] = None,
    *,
    lots: Sequence[LotInput] = (),
    date: Optional[dt.date | str] = None,
    backorder: bool = True,
) -> tuple[Operation, Optional[Operation]]:
    """Mark ``op`` done with ``done`` (SKU -> quantity; default: see the module).

    :param backorder: leave what was not done in a new operation; else drop it.
    :returns: the operation and its backorder (or ``None``).
    """
    _open(session, op, "validated")
    if op.state is OperationState.DRAFT:
        confirm(session, company, op)
    settings = settings_of(session, company)
    day = parse_date(date) if date else dt.date.today()
    wanted = _wanted(op, done or {})
    if not any(wanted.values()):
        raise Invalid(f"{op.number}: nothing to validate (no quantity done)")
    if outgoing(op):
        _settle_outgoing(session, company, settings, op, wanted)
    else:
        _settle_receipt(session, company, op, wanted, lots)
    legs = _apply(session, company, settings, op, day)
    posted = ledger.post(session, company, day, legs, memo=f"{op.number} ({op.kind.value})",
                         key=f"wms:{op.number}", origin=f"wms:{op.number}")
    op.transaction_id, op.state, op.done_on = posted.id, OperationState.DONE, day
    rest = _backorder(session, company, op) if backorder else None
    session.flush()
    _announce(session, company, op, rest)
    return op, rest


def _wanted(op: Operation, done: Mapping[str, object]) -> dict[int, int]:
    by_sku = {move.product.sku: move for move in op.moves}
    unknown = sorted(set(done) - set(by_sku))
    if unknown:
        raise Invalid(f"{op.number} has no line for {', '.join(unknown)}")
    wanted = {}
    for move in op.moves:
        if move.product.sku in done:
            wanted[move.id] = quantity_units(move.product, done[move.product.sku], what="done quantity",
                                             positive=False)
        elif not outgoing(op):
            wanted[move.id] = move.demand
        else:
            picked = sum(line.picked for line in move.lines)
            wanted[move.id] = picked or reserved_of(move)
    return wanted


# -- what was done, line by line ---------------------------------------------------

def _settle_outgoing(session: Session, company: Company, settings: Settings, op: Operation,
                     wanted: dict[int, int]) -> None:
    if any(wanted[m.id] > reserved_of(m) for m in op.moves):
        reserve(session, company, op)  # take what became free since; still short -> below
    for move in op.moves:
        left = wanted[move.id]
        picked = any(line.picked for line in move.lines)
        for line in move.lines:  # what was picked leaves line by line, as picked
            line.done = min(left, line.picked) if picked else 0
            left -= line.done
        for line in move.lines:  # then (nothing or too little picked) what is reserved, in line order
            extra = min(left, max(line.reserved - line.done, 0))
            line.done += extra
            left -= extra
        if left > 0:
            if not settings.allow_negative or tracking_of(session, move.product) is not Tracking.NONE:
                free = sum(line.done for line in move.lines)
                raise LimitExceeded(f"{move.product.sku}: only {quantity(move.product, free)} available at "
                                    f"{op.source.code}, {quantity(move.product, wanted[move.id])} asked")
            _line_for(session, move, op.source, op.destination, None).done += left
        move.done = wanted[move.id]
    session.flush()


def _settle_receipt(session: Session, company: Company, op: Operation, wanted: dict[int, int],
                    lots: Sequence[LotInput]) -> None:
    by_sku: dict[str, list[LotInput]] = defaultdict(list)
    for entry in lots:
        by_sku[entry.product].append(entry)
    unknown = sorted(set(by_sku) - {m.product.sku for m in op.moves})
    if unknown:
        raise Invalid(f"{op.number} has no line for {', '.join(unknown)}")
    for move in op.moves:
        units = wanted[move.id]
        move.done = units
        if not units:
            continue
        target = destination_for(session, op.warehouse_id, move.product, op.destination)
        for lot_id, lot_units in _lots(
            session, company, move.product, units, by_sku.pop(move.product.sku, [])
        ):
            line = MoveLine(
                company_id=company.id,
                move=move,
                source_id=op.source_id,
                destination_id=target.id,
                lot_id=lot_id,
                reserved=0,
                picked=0,
                done=lot_units,
            )
            session.add(line)
    session.flush()


def _lots(
    session, company, product: Product, units: int, given: list[LotInput]
) -> list[tuple[Optional[int], int]]:
    tracking = tracking_of(session, product)
    if tracking is Tracking.NONE:
        if given:
            raise Invalid(f"{product.sku} is not tracked by lot or serial number")
        return [(None, units)]
    if not given:
        raise Invalid(f"{product.sku} is tracked by {tracking.value}: name the "
                      f"{'lots' if tracking is Tracking.LOT else 'serial numbers'} received")
    parts = []
    for entry in given:
        lot_units = quantity_units(product, entry.quantity, what="lot quantity")
        if tracking is Tracking.SERIAL and lot_units != 10**product.unit.scale:
            raise Invalid(f"{product.sku}: a serial number is one unit, not {entry.quantity}")
        parts.append((lot_for_receipt(session, company, product, entry.lot, entry.expiry).id, lot_units))
    if len({lot for lot, _ in parts}) < len(parts):
        raise Invalid(f"{product.sku}: a lot or serial number is named twice")
    if sum(u for _, u in parts) != units:
        raise Invalid(f"{product.sku}: the lots add up to {quantity(product, sum(u for _, u in parts))}, "
                      f"not the {quantity(product, units)} received")
    return parts


# -- stock rows, values and the ledger legs ----------------------------------------

def _apply(session: Session, company: Company, settings: Settings, op: Operation, day: dt.date) -> list[Leg]:
    lines = [line for move in op.moves for line in move.lines]
    touched = {}
    for line in lines:  # every row this operation changes, created if new, then all locked in id order
        for place in (line.source, line.destination):
            if place.internal and (line.done or line.reserved):
                touched[(place.id, line.move.product_id, line.lot_id)] = ensure_row(
                    session, place, line.move.product, line.lot_id, day).id
    rows = lock_rows(session, touched.values())
    quantities: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        product = line.move.product
        if line.source.internal:
            row = rows[touched[(line.source_id, product.id, line.lot_id)]]
            take(session, row, line.done, line.reserved, allow_negative=settings.allow_negative)
            line.reserved = 0
        if line.destination.internal and line.done:
            put(session, rows[touched[(line.destination_id, product.id, line.lot_id)]], line.done)
        quantities[(line.destination.code, product.sku)] += line.done
        quantities[(line.source.code, product.sku)] -= line.done
    for move in op.moves:  # lines that were reserved but not done give their reservation back
        for line in list(move.lines):
            if not line.done:
                move.lines.remove(line)
    legs = [Leg(account, _amount(op, sku, units), sku) for (account, sku), units in sorted(quantities.items())
            if units]
    if valued(settings):
        legs += _value_legs(session, company, settings, op, day)
    return legs


def _amount(op: Operation, sku: str, units: int):
    product = next(m.product for m in op.moves if m.product.sku == sku)
    return quantity(product, units)


def _counter_account(settings: Settings, place: Location) -> Account:
    """The account on the other side of inventory when stock crosses into or out of ``place``."""
    if place.kind is LocationKind.SUPPLIER:
        return settings.received_account
    if place.kind is LocationKind.CUSTOMER:
        return settings.cogs_account
    return settings.difference_account  # inventory loss, and production until manufacturing values it


def _value_legs(
    session: Session, company: Company, settings: Settings, op: Operation, day: dt.date
) -> list[Leg]:
    inventory, cogs = settings.inventory_account.code, settings.cogs_account.code
    src, dst = op.source, op.destination
    entering, leaving = (
        src.kind not in OWNED and dst.kind in OWNED,
        src.kind in OWNED and dst.kind not in OWNED,
    )
    legs: list[Leg] = []
    for move in sorted(op.moves, key=lambda m: m.product_id):  # cost rows locked in a fixed order
        if not move.done or not (entering or leaving):
            continue
        if entering:
            unit_cost = move.unit_cost if move.unit_cost is not None and src.kind is LocationKind.SUPPLIER \
                else unit_cost_now(session, company, move.product)
            value, correction = receive(session, company, move.product, move.done, unit_cost, day, move.id)
            legs += value_legs(inventory, _counter_account(settings, src).code, value, company.currency)
            legs += value_legs(cogs, inventory, correction, company.currency)
        else:
            value = issue(session, company, move.product, move.done)
            legs += value_legs(_counter_account(settings, dst).code, inventory, value, company.currency)
        move.value = value
    return legs



# -- what follows --------------------------------------------------------------------

def _backorder(session: Session, company: Company, op: Operation) -> Optional[Operation]:
    short = [(move, move.demand - move.done) for move in op.moves if move.done < move.demand]
    if not short:
        return None
    number = _backorder_number(op)
    rest = Operation(company_id=company.id, number=number, kind=op.kind, state=OperationState.READY,
                     warehouse_id=op.warehouse_id, party_id=op.party_id, source_id=op.source_id,
                     destination_id=op.destination_id, scheduled=op.scheduled, origin=op.origin,
                     reference=op.reference, backorder_of_id=op.id)
    session.add(rest)
    session.flush()
    for move, units in short:
        session.add(
            Move(
                company_id=company.id,
                operation_id=rest.id,
                product_id=move.product_id,
                demand=units,
                unit_cost=move.unit_cost,
            )
        )
    session.flush()
    session.refresh(rest)
    if outgoing(rest):
        reserve(session, company, rest)
    return rest


def _backorder_number(op: Operation) -> str:
    """``MAIN/OUT/00003-1`` for the first backorder of MAIN/OUT/00003, ``-2`` for the next.

    Derived, not drawn from the counter: validating holds stock rows, and
    creating an operation takes the counter before it reserves, so taking
    the counter here could deadlock with it.
    """
    depth, root = 1, op
    while root.backorder_of is not None:
        depth, root = depth + 1, root.backorder_of
    return f"{root.number}-{depth}"


def _announce(session: Session, company: Company, op: Operation, rest: Optional[Operation]) -> None:
    entering = op.source.kind not in OWNED and op.destination.kind in OWNED
    leaving = op.source.kind in OWNED and op.destination.kind not in OWNED
    if not (entering or leaving):
        return
    lines = tuple(moved for move in op.moves for moved in _moved(company, move))
    fields = dict(company_id=company.id, operation_id=op.id, number=op.number, warehouse=op.warehouse.code,
                  party=op.party.code if op.party else None, date=op.done_on, lines=lines, origin=op.origin,
                  transaction_id=op.transaction_id, backorder=rest.number if rest else None)
    hooks = plugins_of(session).for_company(session, company)
    if entering:
        hooks.goods_received(session=session, company=company, event=GoodsReceived(**fields))
    else:
        hooks.goods_delivered(session=session, company=company, event=GoodsDelivered(**fields))


def _moved(company: Company, move: Move) -> list[MovedLine]:
    """The move's done lines; its value split over them by quantity, adding up exactly."""
    found, done_before, value_before = [], 0, 0
    for line in move.lines:
        if not line.done:
            continue
        value = None
        if move.value is not None:
            done_before += line.done
            upto = share(move.value, done_before, move.done)
            value, value_before = money(upto - value_before, company.currency), upto
        found.append(MovedLine(move.product.sku, quantity(move.product, line.done), line.source.code,
                               line.destination.code, line.lot.name if line.lot else None, value))
    return found

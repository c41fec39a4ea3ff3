"""Requisitions: what someone needs bought, by hand or from a wms
replenishment proposal (route ``purchase``).

A requisition is a draft until a request for quotation goes out (open), and
ordered once a purchase order is made from it; it can be cancelled before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Conflict, Invalid
from core.models import Company, User
from core.numbering import next_number
from core.values import parse_date
from plugins.procurement.common import clean_text, day, find_document, user_of
from plugins.procurement.models import (
    QuoteState,
    Requisition,
    RequisitionLine,
    RequisitionSource,
    RequisitionState,
    Rfq,
    RfqState,
)
from plugins.procurement.settings import settings_of
from plugins.procurement.values import quantity_units

__all__ = ["RequisitionLineInput", "create_requisition", "find_requisition", "list_requisitions",
           "cancel_requisition", "on_replenishment_proposed", "MAX_LINES"]

MAX_LINES = 200


@attrs.frozen
class RequisitionLineInput:
    """One product needed: SKU, quantity in its unit, by when, for which wms warehouse."""

    product: str
    quantity: object
    needed_by: Optional[dt.date | str] = None
    warehouse: Optional[str] = None


def create_requisition(session: Session, company: Company, lines: Sequence[RequisitionLineInput], *,
                       date: Optional[dt.date | str] = None, note: Optional[str] = None,
                       by: Optional[User | str] = None, source: RequisitionSource = RequisitionSource.MANUAL,
                       proposal_id: Optional[int] = None, origin: Optional[str] = None) -> Requisition:
    """A draft requisition (REQ00001) with ``lines``; ``origin`` is the asking plugin's reference
    (``manufacturing:MO00012``)."""
    settings_of(session, company)
    lines = list(lines)
    if not lines:
        raise Invalid("a requisition needs at least one line")
    if len(lines) > MAX_LINES:
        raise Invalid(f"a requisition has at most {MAX_LINES} lines")
    when = day(date)
    requisition = Requisition(company_id=company.id, date=when, state=RequisitionState.DRAFT, source=source,
                              proposal_id=proposal_id, note=clean_text(note, "a note", 2000),
                              origin=clean_text(origin, "an origin", 200),
                              requested_by=user_of(session, by))
    for position, given in enumerate(lines, start=1):
        product = get_product(session, company, given.product)
        needed = parse_date(given.needed_by) if given.needed_by not in (None, "") else None
        if needed is not None and needed < when and source is RequisitionSource.MANUAL:
            raise Invalid(f"{product.sku}: needed by {needed} is before the requisition's date {when}")
        warehouse = clean_text(given.warehouse, "a warehouse code", 40)
        requisition.lines.append(RequisitionLine(
            company_id=company.id, position=position, product=product,
            quantity_units=quantity_units(product, given.quantity), needed_by=needed,
            warehouse=warehouse.upper() if warehouse else None))
    requisition.number = next_number(session, company, "REQ")
    session.add(requisition)
    session.flush()
    return requisition


def find_requisition(session: Session, company: Company, number: str) -> Requisition:
    return find_document(session, Requisition, company, "requisition", number)


def list_requisitions(session: Session, company: Company, state: Optional[str] = None,
                      limit: int = 200) -> list[Requisition]:
    query = select(Requisition).where(Requisition.company_id == company.id).order_by(Requisition.id.desc())
    if state:
        try:
            query = query.where(Requisition.state == RequisitionState(state.strip().lower()))
        except ValueError:
            raise Invalid(f"unknown requisition state {state!r} (one of: "
                          f"{', '.join(s.value for s in RequisitionState)})") from None
    return list(session.scalars(query.limit(limit)))


def cancel_requisition(session: Session, company: Company, number: str) -> Requisition:
    """Cancel a draft or open requisition; its open requests for quotation are cancelled with it."""
    requisition = find_requisition(session, company, number)
    if requisition.state not in (RequisitionState.DRAFT, RequisitionState.OPEN):
        raise Conflict(f"requisition {requisition.number} is {requisition.state.value}: "
                       f"only a draft or open one can be cancelled")
    for rfq in session.scalars(select(Rfq).where(Rfq.requisition_id == requisition.id,
                                                 Rfq.state == RfqState.OPEN)):
        rfq.state = RfqState.CANCELLED
        for quote in rfq.quotes:
            if quote.state in (QuoteState.REQUESTED, QuoteState.RECEIVED):
                quote.state = QuoteState.LOST
    requisition.state = RequisitionState.CANCELLED
    session.flush()
    return requisition


def on_replenishment_proposed(session: Session, company: Company, event) -> Optional[dict[int, str]]:
    """wms's ``replenishment_proposed``: each ``purchase`` proposal becomes a draft requisition
    (one line, needed by the proposal's date, for its warehouse); answers ``{id: "procurement:REQ00003"}``.

    A product a replenishment requisition for the same warehouse still waits for (draft or open)
    is not requested again: the proposal is answered with that requisition."""
    answered: dict[int, str] = {}
    for proposal in event.proposals:
        if proposal.route != "purchase" or proposal.quantity is None or proposal.quantity <= 0:
            continue
        waiting = _waiting(session, company, proposal.product, proposal.warehouse)
        if waiting is not None:  # already requested and not ordered yet: not requested twice
            answered[proposal.proposal_id] = f"procurement:{waiting.number}"
            continue
        requisition = create_requisition(
            session, company, [RequisitionLineInput(proposal.product, proposal.quantity, proposal.needed_by,
                                                    proposal.warehouse)],
            note=proposal.reason[:2000],
            source=RequisitionSource.REPLENISHMENT, proposal_id=proposal.proposal_id)
        answered[proposal.proposal_id] = f"procurement:{requisition.number}"
    return answered or None


def _waiting(session: Session, company: Company, sku: str, warehouse: Optional[str]) -> Optional[Requisition]:
    product = get_product(session, company, sku)
    return session.scalar(
        select(Requisition).join(RequisitionLine, RequisitionLine.requisition_id == Requisition.id)
        .where(Requisition.company_id == company.id, Requisition.source == RequisitionSource.REPLENISHMENT,
               Requisition.state.in_((RequisitionState.DRAFT, RequisitionState.OPEN)),
               RequisitionLine.product_id == product.id,
               RequisitionLine.warehouse == (warehouse.upper() if warehouse else None))
        .order_by(Requisition.id).limit(1))

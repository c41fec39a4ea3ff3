"""Requests for quotation: a requisition sent to several suppliers, their
quotes recorded as they answer, compared side by side (total, price per
line, lead time, validity, the supplier's score), and one chosen: it becomes
a draft purchase order and the other quotes are lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party
from core.errors import Conflict, Invalid
from core.models import Company, Party, User
from core.numbering import next_number
from core.values import MAX_ID, parse_date, parse_whole
from plugins.procurement.catalogue import catalogue_row
from plugins.procurement.common import clean_text, day, find_document
from plugins.procurement.models import (
    PurchaseOrder,
    Quote,
    QuoteLine,
    QuoteState,
    Requisition,
    RequisitionState,
    Rfq,
    RfqState,
)
from plugins.procurement.requisitions import find_requisition
from plugins.procurement.settings import settings_of
from plugins.procurement.values import check_currency, money, money_units, net_of, quantity

__all__ = ["create_rfq", "find_rfq", "list_rfqs", "record_quote", "compare", "choose_quote", "cancel_rfq",
           "Comparison", "QuoteColumn", "ComparedLine", "supplier_score", "MAX_SUPPLIERS"]

MAX_SUPPLIERS = 20


def create_rfq(session: Session, company: Company, requisition: str, suppliers: Sequence[str], *,
               date: Optional[dt.date | str] = None, respond_by: Optional[dt.date | str] = None) -> Rfq:
    """Send ``requisition`` to ``suppliers`` (RFQ00001): one quote requested of each; the requisition is
    open."""
    settings = settings_of(session, company)
    req = find_requisition(session, company, requisition)
    if req.state not in (RequisitionState.DRAFT, RequisitionState.OPEN):
        raise Conflict(f"requisition {req.number} is {req.state.value}: it can no longer be sent for quotes")
    if (
        session.scalar(select(Rfq.id).where(Rfq.requisition_id == req.id, Rfq.state == RfqState.OPEN))
        is not None
    ):
        raise Conflict(f"requisition {req.number} has an open request for quotation already")
    codes = [str(code).strip().upper() for code in suppliers if str(code).strip()]
    if not codes:
        raise Invalid("a request for quotation goes to at least one supplier")
    if len(set(codes)) != len(codes):
        raise Invalid("a supplier is named twice")
    if len(codes) > MAX_SUPPLIERS:
        raise Invalid(f"a request for quotation goes to at most {MAX_SUPPLIERS} suppliers")
    when = day(date)
    until = (
        parse_date(respond_by)
        if respond_by not in (None, "")
        else when + dt.timedelta(days=settings.quote_days)
    )
    if until < when:
        raise Invalid(f"answers due {until} is before the request's date {when}")
    rfq = Rfq(company_id=company.id, requisition=req, date=when, respond_by=until, state=RfqState.OPEN)
    for code in codes:
        party = get_party(session, company, code)
        quote = Quote(company_id=company.id, party=party, state=QuoteState.REQUESTED,
                      currency=_currency(session, company, party, req))
        for position, line in enumerate(req.lines, start=1):
            quote.lines.append(
                QuoteLine(
                    company_id=company.id,
                    position=position,
                    requisition_line_id=line.id,
                    product_id=line.product_id,
                    quantity_units=line.quantity_units,
                )
            )
        rfq.quotes.append(quote)
    rfq.number = next_number(session, company, "RFQ")
    session.add(rfq)
    req.state = RequisitionState.OPEN
    session.flush()
    return rfq


def _currency(session: Session, company: Company, party: Party, req: Requisition) -> str:
    """The currency the supplier quotes in: its catalogue's for the first product it sells, else the
    company's."""
    for line in req.lines:
        item = catalogue_row(session, company, party, line.product)
        if item is not None:
            return item.currency
    return company.currency


def find_rfq(session: Session, company: Company, number: str) -> Rfq:
    return find_document(session, Rfq, company, "request for quotation", number)


def list_rfqs(session: Session, company: Company, state: Optional[str] = None, limit: int = 200) -> list[Rfq]:
    query = select(Rfq).where(Rfq.company_id == company.id).order_by(Rfq.id.desc())
    if state:
        try:
            query = query.where(Rfq.state == RfqState(state.strip().lower()))
        except ValueError:
            raise Invalid(
                f"unknown RFQ state {state!r} (one of: {', '.join(s.value for s in RfqState)})"
            ) from None
    return list(session.scalars(query.limit(limit)))


def _quote_of(rfq: Rfq, supplier: str) -> Quote:
    code = (supplier or "").strip().upper()
    for quote in rfq.quotes:
        if quote.party.code.upper() == code:
            return quote
    raise Invalid(f"{rfq.number} was not sent to {supplier!r} "
                  f"(sent to: {', '.join(q.party.code for q in rfq.quotes)})")


def _open(rfq: Rfq) -> None:
    if rfq.state is not RfqState.OPEN:
        raise Conflict(f"request for quotation {rfq.number} is {rfq.state.value}")


def record_quote(
    session: Session,
    company: Company,
    rfq_number: str,
    supplier: str,
    prices: Mapping[str, object],
    *,
    lead_time_days,
    valid_until: Optional[dt.date | str] = None,
    currency: Optional[str] = None,
    date: Optional[dt.date | str] = None,
    reference: Optional[str] = None,
) -> Quote:
    """Record (or correct) ``supplier``'s answer: a unit price for every product of the requisition
    (``{sku: price}``), the lead time in days, how long the quote holds."""
    rfq = find_rfq(session, company, rfq_number)
    _open(rfq)
    quote = _quote_of(rfq, supplier)
    cur = check_currency(currency) if currency else quote.currency
    given = {str(sku).strip().upper(): price for sku, price in prices.items()}
    skus = {line.product.sku.upper() for line in quote.lines}
    unknown = sorted(set(given) - skus)
    if unknown:
        raise Invalid(f"{rfq.number} does not ask for {', '.join(unknown)}")
    missing = sorted(skus - set(given))
    if missing:
        raise Invalid(f"the quote has no price for {', '.join(missing)}")
    try:
        days = parse_whole(lead_time_days, "lead time", -MAX_ID, MAX_ID)
    except Invalid:
        raise Invalid(f"lead time must be a whole number of days, not {lead_time_days!r}") from None
    if not 0 <= days <= 3650:
        raise Invalid(f"lead time must be between 0 and 3650 days, not {days}")
    when = day(date)
    until = parse_date(valid_until) if valid_until not in (None, "") else None
    if until is not None and until < when:
        raise Invalid(f"a quote valid until {until} has expired on {when}")
    total = 0
    for line in quote.lines:
        line.price_units = money_units(
            given[line.product.sku.upper()], cur, what=f"{line.product.sku}: price"
        )
        total += net_of(line.price_units, line.quantity_units, line.product.unit.scale)
    quote.currency, quote.lead_time_days, quote.valid_until, quote.received_on = cur, days, until, when
    quote.total_units, quote.state = total, QuoteState.RECEIVED
    quote.reference = clean_text(reference, "a quote reference", 60)
    session.flush()
    return quote


def supplier_score(session: Session, company: Company, party: Party) -> Optional[Decimal]:
    """The supplier's performance score (0-100, higher is better) from
    :func:`plugins.procurement.performance.supplier_score`, or ``None`` where it is not known."""
    try:
        from plugins.procurement.performance import supplier_score as score
    except ImportError:
        return None
    return score(session, company, party)


@attrs.frozen
class ComparedLine:
    """One product of the requisition, with each quote's unit price (``None``: no answer yet)."""

    product: str
    quantity: Decimal
    unit: str
    prices: tuple[Optional[Decimal], ...]
    catalogue: tuple[Optional[Decimal], ...]
    best: Optional[int]  # index of the cheapest quote for this line, among those in the lowest currency group


@attrs.frozen
class QuoteColumn:
    supplier: str
    supplier_name: str
    state: str
    currency: str
    total: Optional[Decimal]
    lead_time_days: Optional[int]
    valid_until: Optional[dt.date]
    received_on: Optional[dt.date]
    score: Optional[Decimal]
    cheapest: bool = False
    fastest: bool = False
    expired: bool = False


@attrs.frozen
class Comparison:
    rfq: str
    requisition: str
    state: str
    date: dt.date
    respond_by: Optional[dt.date]
    quotes: tuple[QuoteColumn, ...]
    lines: tuple[ComparedLine, ...]
    order: Optional[str] = None


def compare(
    session: Session, company: Company, rfq_number: str, *, on: Optional[dt.date | str] = None
) -> Comparison:
    """The quotes side by side: totals, unit prices per line (and the supplier's catalogue price),
    lead times, validity and supplier scores; the cheapest and fastest answered quotes flagged
    (cheapest only among quotes in the company currency when currencies differ)."""
    rfq = find_rfq(session, company, rfq_number)
    when = day(on)
    quotes = list(rfq.quotes)
    answered = [q for q in quotes if q.total_units is not None]
    currencies = {q.currency for q in answered}
    pool = answered if len(currencies) <= 1 else [q for q in answered if q.currency == company.currency]
    cheapest = min((q.total_units for q in pool), default=None)
    fastest = min((q.lead_time_days for q in answered if q.lead_time_days is not None), default=None)
    columns = tuple(
        QuoteColumn(
            q.party.code,
            q.party.name,
            q.state.value,
            q.currency,
            money(q.total_units, q.currency) if q.total_units is not None else None,
            q.lead_time_days,
            q.valid_until,
            q.received_on,
            supplier_score(session, company, q.party),
            cheapest=q in pool and q.total_units == cheapest,
            fastest=q in answered and q.lead_time_days == fastest,
            expired=q.valid_until is not None and q.valid_until < when,
        )
        for q in quotes
    )
    lines = []
    for position, req_line in enumerate(rfq.requisition.lines):
        product = req_line.product
        prices, catalogue = [], []
        for q in quotes:
            ql = next((line for line in q.lines if line.requisition_line_id == req_line.id), None)
            prices.append(money(ql.price_units, q.currency) if ql is not None and ql.price_units is not None
                          else None)
            item = catalogue_row(session, company, q.party, product)
            catalogue.append(money(item.price_units, item.currency) if item is not None else None)
        candidates = [(i, q) for i, q in enumerate(quotes) if q in pool and prices[i] is not None]
        best = min(candidates, key=lambda pair: prices[pair[0]], default=(None, None))[0]
        lines.append(ComparedLine(product.sku, quantity(product, req_line.quantity_units), product.unit.code,
                                  tuple(prices), tuple(catalogue), best))
    order = session.scalar(select(PurchaseOrder.number).join(Quote, PurchaseOrder.quote_id == Quote.id)
                           .where(Quote.rfq_id == rfq.id))
    return Comparison(rfq.number, rfq.requisition.number, rfq.state.value, rfq.date, rfq.respond_by, columns,
                      tuple(lines), order)


def choose_quote(session: Session, company: Company, rfq_number: str, supplier: str, *,
                 date: Optional[dt.date | str] = None, by: Optional[User | str] = None,
                 warehouse: Optional[str] = None) -> PurchaseOrder:
    """Choose ``supplier``'s quote: it becomes a draft purchase order at the quoted prices (expected
    after the quoted lead time), the other quotes are lost and the requisition ordered."""
    from plugins.procurement.orders import OrderLineInput, create_order

    rfq = find_rfq(session, company, rfq_number)
    _open(rfq)
    quote = _quote_of(rfq, supplier)
    when = day(date)
    if quote.state is not QuoteState.RECEIVED:
        raise Conflict(f"{quote.party.code} has not answered {rfq.number} yet")
    if quote.valid_until is not None and quote.valid_until < when:
        raise Conflict(f"{quote.party.code}'s quote expired on {quote.valid_until}")
    lines = [OrderLineInput(line.product.sku, quantity(line.product, line.quantity_units),
                            money(line.price_units, quote.currency)) for line in quote.lines]
    order = create_order(session, company, quote.party, lines, date=when, currency=quote.currency,
                         requisition=rfq.requisition, warehouse=warehouse, reference=quote.reference, by=by,
                         quote=quote, lead_time_days=quote.lead_time_days, check_minimum=False)
    for other in rfq.quotes:
        other.state = QuoteState.CHOSEN if other is quote else QuoteState.LOST
    rfq.state = RfqState.CHOSEN
    session.flush()
    return order


def cancel_rfq(session: Session, company: Company, rfq_number: str) -> Rfq:
    """Cancel an open request; its quotes are lost and the requisition goes back to draft."""
    rfq = find_rfq(session, company, rfq_number)
    _open(rfq)
    rfq.state = RfqState.CANCELLED
    for quote in rfq.quotes:
        quote.state = QuoteState.LOST
    if rfq.requisition.state is RequisitionState.OPEN:
        rfq.requisition.state = RequisitionState.DRAFT
    session.flush()
    return rfq

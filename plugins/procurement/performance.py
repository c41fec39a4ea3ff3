"""Supplier performance, measured on procurement's own history (receipts,
returns, bills and orders), per supplier and period.

- **On time in full** (OTIF): of the order lines *due* in the period (their
  expected date lies in it, of a confirmed or done order, and the date has
  come or the line is already complete), the share that had received at least
  the ordered quantity by the expected date. Lines of cancelled orders do not
  count.
- **Lead time**: for each receipt dated in the period, the days from the
  order's confirmation to the receipt; mean and (population) standard
  deviation, and their ratio, the coefficient of variation.
- **Price variance**: for each line of a posted bill dated in the period,
  ``(billed price - ordered price) / ordered price``; for each line of an
  order dated in the period that had a catalogue price, ``(ordered price -
  catalogue price) / catalogue price``. Both are the mean over the lines, in
  percent (currency-free, so suppliers billing in different currencies
  compare); the billed difference is also given as an amount per currency.
- **Returns rate**: quantity returned (returns dated in the period) over the
  quantity received (receipts dated in the period).

``supplier_score`` folds these into one number from 0 (worst) to 100 (best),
weights in :data:`SCORE_WEIGHTS`; the quote comparison shows it next to the
price and lead time. Everything is exact: integer units, ``Decimal`` results.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.catalog import get_party
from core.errors import Invalid
from core.models import Company, Party, Product, Unit
from core.values import from_units, parse_date
from plugins.procurement.models import (
    Bill,
    BillLine,
    BillState,
    OrderLine,
    OrderState,
    PurchaseOrder,
    Receipt,
    Return,
)
from plugins.procurement.values import money, net_of

__all__ = ["SupplierPerformance", "performance", "performance_of", "supplier_score", "score_parts",
           "SCORE_WEIGHTS", "period_of", "LIVE_STATES"]

LIVE_STATES = (OrderState.CONFIRMED, OrderState.DONE)
# how much each measure weighs in the supplier score (percent); a measure without data drops out
SCORE_WEIGHTS = {"otif": 50, "lead_time": 20, "price": 15, "returns": 15}
# the billed price variance (percent over the order price) and the returns rate (percent) that score zero
PRICE_ZERO = Decimal(10)
RETURNS_ZERO = Decimal(20)
RATE = Decimal("0.0001")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _q(value: Decimal, step: Decimal = CENT) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


@attrs.frozen
class SupplierPerformance:
    """How one supplier did between ``start`` and ``end`` (``None``: unbounded).

    Rates are fractions 0..1 (``otif``, ``returns_rate``), variances percent,
    lead times days; ``None`` where there is nothing to measure.
    """

    supplier: str
    supplier_name: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    orders: int
    spend: dict[str, Decimal]  # currency -> untaxed amount of confirmed/done orders dated in the period
    lines_due: int
    lines_otif: int
    otif: Optional[Decimal]
    receipts: int
    lead_time_mean: Optional[Decimal]
    lead_time_stdev: Optional[Decimal]
    lead_time_cv: Optional[Decimal]
    billed_lines: int
    billed_variance: Optional[Decimal]  # percent, mean over posted bill lines
    billed_difference: dict[str, Decimal]  # currency -> billed minus ordered amount
    catalogue_lines: int
    catalogue_variance: Optional[Decimal]  # percent, mean over order lines with a catalogue price
    received: Decimal
    returned: Decimal
    returns_rate: Optional[Decimal]
    score: Optional[Decimal]

    def as_dict(self) -> dict:
        return attrs.asdict(self)


def period_of(start=None, end=None) -> tuple[Optional[dt.date], Optional[dt.date]]:
    """``start``/``end`` given as dates or ISO text (``None`` or ``""``: unbounded); refuses a reversed
    period."""
    first = parse_date(start) if start not in (None, "") else None
    last = parse_date(end) if end not in (None, "") else None
    if first is not None and last is not None and first > last:
        raise Invalid(f"the period starts ({first}) after it ends ({last})")
    return first, last


def _within(column, start, end):
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column <= end)
    return conditions


def _mean(values: list[Decimal]) -> Optional[Decimal]:
    return _q(sum(values, Decimal(0)) / len(values)) if values else None


def _pct(new: int, old: int) -> Decimal:
    return Decimal(new - old) * HUNDRED / Decimal(old)


def score_parts(perf: SupplierPerformance) -> dict[str, Optional[Decimal]]:
    """Each measure as 0..100 (``None`` without data): OTIF in percent; lead time ``100 * (1 - cv)``;
    price ``100`` minus ten points per percent billed over the order price (no gain for billing under);
    returns ``100`` minus five points per percent returned."""
    parts: dict[str, Optional[Decimal]] = dict.fromkeys(SCORE_WEIGHTS)
    if perf.otif is not None:
        parts["otif"] = perf.otif * HUNDRED
    if perf.lead_time_cv is not None:
        parts["lead_time"] = max(Decimal(0), HUNDRED * (1 - perf.lead_time_cv))
    if perf.billed_variance is not None:
        over = max(Decimal(0), perf.billed_variance)
        parts["price"] = max(Decimal(0), HUNDRED - over * HUNDRED / PRICE_ZERO)
    if perf.returns_rate is not None:
        parts["returns"] = max(Decimal(0), HUNDRED - perf.returns_rate * HUNDRED * HUNDRED / RETURNS_ZERO)
    return {key: None if value is None else _q(value) for key, value in parts.items()}


def _score(perf: SupplierPerformance) -> Optional[Decimal]:
    parts = score_parts(perf)
    weights = {key: SCORE_WEIGHTS[key] for key, value in parts.items() if value is not None}
    if not weights:
        return None
    total = sum(parts[key] * weight for key, weight in weights.items())
    return _q(total / sum(weights.values()), Decimal("0.1"))


def performance(session: Session, company: Company, *, supplier: Optional[str | Party] = None, start=None,
                end=None, today: Optional[dt.date] = None) -> list[SupplierPerformance]:
    """Performance of every supplier with history in the period (or of ``supplier`` only), by supplier code.

    ``today`` decides which lines are due (default: the real today)."""
    start, end = period_of(start, end)
    today = today or dt.date.today()
    party = None
    if supplier is not None:
        party = supplier if isinstance(supplier, Party) else get_party(session, company, supplier)
    data = _Collected()
    _collect(session, company, party, start, end, today, data)
    parties = data.parties if party is None else {party.id}
    rows = [_measure(data, session.get(Party, pid), start, end) for pid in parties]
    return sorted(rows, key=lambda row: row.supplier)


def performance_of(session: Session, company: Company, supplier: str | Party, *, start=None, end=None,
                   today: Optional[dt.date] = None) -> SupplierPerformance:
    """The performance of one supplier (all zeros and ``None`` without history)."""
    return performance(session, company, supplier=supplier, start=start, end=end, today=today)[0]


def supplier_score(session: Session, company: Company, party: Party) -> Optional[Decimal]:
    """0..100 for ``party`` over all its history (``None`` when there is nothing to measure yet)."""
    return performance_of(session, company, party).score


# -- gathering: a few queries for the whole company, grouped in Python ---------------------------------

@attrs.define
class _Collected:
    parties: set[int] = attrs.Factory(set)
    orders: dict[int, int] = attrs.Factory(lambda: defaultdict(int))
    spend: dict[int, dict[str, int]] = attrs.Factory(lambda: defaultdict(lambda: defaultdict(int)))
    due: dict[int, list[bool]] = attrs.Factory(lambda: defaultdict(list))
    lead: dict[int, list[int]] = attrs.Factory(lambda: defaultdict(list))
    received: dict[int, Decimal] = attrs.Factory(lambda: defaultdict(Decimal))
    returned: dict[int, Decimal] = attrs.Factory(lambda: defaultdict(Decimal))
    billed: dict[int, list[Decimal]] = attrs.Factory(lambda: defaultdict(list))
    billed_diff: dict[int, dict[str, int]] = attrs.Factory(lambda: defaultdict(lambda: defaultdict(int)))
    catalogue: dict[int, list[Decimal]] = attrs.Factory(lambda: defaultdict(list))


def _collect(session, company, party, start, end, today, data: _Collected) -> None:
    def mine(model):
        conditions = [model.company_id == company.id]
        if party is not None:
            conditions.append(model.party_id == party.id)
        return conditions

    live = PurchaseOrder.state.in_(LIVE_STATES)
    # orders dated in the period: count, spend, ordered vs catalogue price
    for order in session.scalars(select(PurchaseOrder).options(selectinload(PurchaseOrder.lines)).where(
            *mine(PurchaseOrder), live, *_within(PurchaseOrder.date, start, end))):
        data.parties.add(order.party_id)
        data.orders[order.party_id] += 1
        data.spend[order.party_id][order.currency] += order.untaxed_units
        for line in order.lines:
            if line.catalogue_price_units:
                data.catalogue[order.party_id].append(_pct(line.price_units, line.catalogue_price_units))
    # lines due in the period: received in full by the expected date?
    lines = session.execute(select(OrderLine, PurchaseOrder.party_id).join(PurchaseOrder).where(
        *mine(PurchaseOrder), live, *_within(OrderLine.expected_date, start, end))).all()
    in_time = _received_by_expected(session, company, [line.id for line, _ in lines])
    for line, party_id in lines:
        if line.expected_date <= today or line.received_units >= line.quantity_units:
            data.parties.add(party_id)
            data.due[party_id].append(in_time.get(line.id, 0) >= line.quantity_units)
    # receipts in the period: lead times and quantities
    for receipt, scale in session.execute(
        select(Receipt, _scale())
        .join(Product, Receipt.product_id == Product.id)
        .where(*mine(Receipt), *_within(Receipt.date, start, end))
    ):
        data.parties.add(receipt.party_id)
        data.lead[receipt.party_id].append((receipt.date - receipt.ordered_on).days)
        data.received[receipt.party_id] += from_units(receipt.quantity_units, scale)
    for ret, scale in session.execute(select(Return, _scale()).join(Product, Return.product_id == Product.id)
                                      .where(*mine(Return), *_within(Return.date, start, end))):
        data.parties.add(ret.party_id)
        data.returned[ret.party_id] += from_units(ret.quantity_units, scale)
    # posted bills in the period: billed vs ordered price
    for line, bill, scale in session.execute(
            select(BillLine, Bill, _scale()).join(Bill, BillLine.bill_id == Bill.id)
            .join(Product, BillLine.product_id == Product.id)
            .where(*mine(Bill), Bill.state == BillState.POSTED, *_within(Bill.date, start, end))):
        data.parties.add(bill.party_id)
        if line.order_price_units:
            data.billed[bill.party_id].append(_pct(line.price_units, line.order_price_units))
        data.billed_diff[bill.party_id][bill.currency] += (
            line.net_units - net_of(line.order_price_units, line.quantity_units, scale))


def _scale():
    """The scale of the unit of the joined ``Product`` (a correlated subquery)."""
    return select(Unit.scale).where(Unit.id == Product.unit_id).scalar_subquery()


def _received_by_expected(session, company, line_ids: list[int]) -> dict[int, int]:
    """Per order line: the units received on or before its expected date."""
    found: dict[int, int] = defaultdict(int)
    for chunk in range(0, len(line_ids), 500):
        ids = line_ids[chunk:chunk + 500]
        rows = session.execute(select(Receipt.order_line_id, Receipt.quantity_units).join(
            OrderLine, Receipt.order_line_id == OrderLine.id).where(
            Receipt.company_id == company.id, Receipt.order_line_id.in_(ids),
            Receipt.date <= OrderLine.expected_date))
        for line_id, units in rows:
            found[line_id] += units
    return found


def _measure(data: _Collected, party: Party, start, end) -> SupplierPerformance:
    pid = party.id
    due = data.due.get(pid, [])
    hits = sum(due)
    leads = [Decimal(days) for days in data.lead.get(pid, [])]
    mean = stdev = cv = None
    if leads:
        exact_mean = statistics.mean(leads)
        exact_stdev = statistics.pstdev(leads, exact_mean)
        mean, stdev = _q(exact_mean), _q(exact_stdev)
        cv = _q(exact_stdev / exact_mean, RATE) if exact_mean else Decimal(0)
    received = data.received.get(pid, Decimal(0))
    returned = data.returned.get(pid, Decimal(0))
    perf = SupplierPerformance(
        supplier=party.code,
        supplier_name=party.name,
        start=start,
        end=end,
        orders=data.orders.get(pid, 0),
        spend={cur: money(units, cur) for cur, units in sorted(data.spend.get(pid, {}).items())},
        lines_due=len(due),
        lines_otif=hits,
        otif=_q(Decimal(hits) / len(due), RATE) if due else None,
        receipts=len(leads),
        lead_time_mean=mean,
        lead_time_stdev=stdev,
        lead_time_cv=cv,
        billed_lines=len(data.billed.get(pid, [])),
        billed_variance=_mean(data.billed.get(pid, [])),
        billed_difference={
            cur: money(units, cur) for cur, units in sorted(data.billed_diff.get(pid, {}).items())
        },
        catalogue_lines=len(data.catalogue.get(pid, [])),
        catalogue_variance=_mean(data.catalogue.get(pid, [])),
        received=received,
        returned=returned,
        returns_rate=_q(returned / received, RATE) if received else None,
        score=None,
    )
    return attrs.evolve(perf, score=_score(perf))

"""Sales analysis: revenue, cost and margin of what was sold, by product,
customer, region, salesperson or period.

What counts: the lines of orders that are confirmed or done (quotations and
cancelled orders are not sales), dated by the day the order was confirmed
(its order date when no confirmation day was kept), in one currency (the
company's by default; orders in other currencies are left out and named in
``other_currencies``). Revenue is the lines' net (quantity × price less the
discount, untaxed).

A line's cost is known once it has been delivered in full and its cost was
recorded (``OrderLine.cost_units``, from the valued stock that left: wms
with finance). A partly delivered line's cost covers only part of it, and
a line delivered without a valued stock has none, so the margin is computed
over the costed lines only: ``margin = costed revenue − cost``, and the
result says how much of the revenue that is (``costed_revenue``,
``costed_lines``) rather than pretending the uncosted lines cost nothing.

The region is the one of the customer's main address (its first address
whose purpose is ``main``). Amounts are summed as integers in SQL, exact on
every engine; the days are folded into months, quarters and years here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

import attrs
from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Company, Party, PartyAddress, Product, User
from core.values import from_units, parse_date
from plugins.sales.documents import Order, OrderLine, OrderState

__all__ = ["DIMENSIONS", "PERIODS", "COUNTED", "Row", "Analysis", "analyse", "period_key", "period_start",
           "percent", "date_range", "currency_of", "sold_day"]

DIMENSIONS = ("product", "customer", "region", "salesperson", "period")
PERIODS = ("month", "quarter", "year")
COUNTED = (OrderState.CONFIRMED, OrderState.DONE)  # the states whose lines are sales


def sold_day():
    """The day an order counts as sold: its confirmation day, else its order date."""
    return func.coalesce(Order.confirmed_on, Order.date)


def costed():
    """A line whose cost is known: delivered in full, with its cost recorded."""
    return and_(OrderLine.cost_units.is_not(None), OrderLine.delivered_units >= OrderLine.quantity_units)


def percent(part: Decimal, whole: Decimal) -> Optional[Decimal]:
    """``part / whole`` in per cent to one decimal (half up), ``None`` when ``whole`` is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def period_start(day: dt.date, period: str) -> dt.date:
    """The first day of the month, quarter or year ``day`` falls in."""
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return dt.date(day.year, 1, 1)
    raise Invalid(f"period must be one of: {', '.join(PERIODS)}, not {period!r}")


def period_key(day: dt.date, period: str) -> str:
    """``2026-03``, ``2026-Q1`` or ``2026``: sorts in time order."""
    start = period_start(day, period)
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"


def date_range(start, end) -> tuple[Optional[dt.date], Optional[dt.date]]:
    """``start`` and ``end`` read as dates (either may be absent); refuses a range that ends before it
    starts."""
    first = parse_date(start) if start not in (None, "") else None
    last = parse_date(end) if end not in (None, "") else None
    if first and last and first > last:
        raise Invalid(f"the range starts on {first.isoformat()}, after it ends ({last.isoformat()})")
    return first, last


def currency_of(company: Company, currency: Optional[str]) -> tuple[str, int]:
    """The currency analysed (the company's by default) and its scale."""
    code = (currency or company.currency).strip().upper()
    if code not in CURRENCIES:
        raise Invalid(f"unknown currency {currency!r}")
    return code, CURRENCIES[code][1]


@attrs.frozen
class Row:
    """One group's figures. ``key`` names it (a SKU, a party code, a region, a username, a period such as
    ``2026-03``); ``None`` is the group of lines without one (no region, no salesperson) or the total."""

    key: Optional[str]
    name: str
    orders: int
    lines: int
    revenue: Decimal
    costed_lines: int
    costed_revenue: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Optional[Decimal]


@attrs.frozen
class Analysis:
    """The rows of one dimension and their total, for ``start`` .. ``end`` (``None``: open) in
    ``currency``."""

    by: str
    period: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    currency: str
    rows: tuple[Row, ...]
    total: Row
    other_currencies: tuple[str, ...]


@attrs.define
class _Sums:
    order_count: int = 0
    lines: int = 0
    net: int = 0
    costed_lines: int = 0
    costed_net: int = 0
    cost: int = 0

    def add(self, orders: int, lines: int, net: int, costed_lines: int, costed_net: int, cost: int) -> None:
        self.order_count += orders
        self.lines += lines
        self.net += net
        self.costed_lines += costed_lines
        self.costed_net += costed_net
        self.cost += cost

    def row(self, key: Optional[str], name: str, scale: int) -> Row:
        revenue, costed_revenue, cost = (from_units(u, scale) for u in (self.net, self.costed_net, self.cost))
        margin = costed_revenue - cost
        return Row(
            key,
            name,
            self.order_count,
            self.lines,
            revenue,
            self.costed_lines,
            costed_revenue,
            cost,
            margin,
            percent(margin, costed_revenue),
        )


def _figures():
    known = costed()
    return (
        func.count(distinct(Order.id)),
        func.count(OrderLine.id),
        func.coalesce(func.sum(OrderLine.net_units), 0),
        func.coalesce(func.sum(case((known, 1), else_=0)), 0),
        func.coalesce(func.sum(case((known, OrderLine.net_units), else_=0)), 0),
        func.coalesce(func.sum(case((known, OrderLine.cost_units), else_=0)), 0),
    )


def _counted(company: Company, currency: str, start: Optional[dt.date], end: Optional[dt.date]):
    """The conditions of the lines analysed."""
    conditions = [
        OrderLine.company_id == company.id,
        Order.company_id == company.id,
        Order.state.in_(COUNTED),
        Order.currency == currency,
    ]
    if start is not None:
        conditions.append(sold_day() >= start)
    if end is not None:
        conditions.append(sold_day() <= end)
    return conditions


def _main_region():
    """(party id, region) of each party's first main address."""
    first = (select(PartyAddress.party_id.label("party_id"), func.min(PartyAddress.id).label("address_id"))
             .where(PartyAddress.purpose == "main").group_by(PartyAddress.party_id).subquery())
    return (select(first.c.party_id, PartyAddress.region)
            .join(PartyAddress, PartyAddress.id == first.c.address_id).subquery())


def _grouped(session: Session, company: Company, by: str, currency: str, start, end) -> list[tuple]:
    """``(key, name, orders, lines, net, costed lines, costed net, cost)`` per group (unsorted)."""
    base = select().select_from(OrderLine).join(Order, Order.id == OrderLine.order_id)
    where = _counted(company, currency, start, end)
    if by == "product":
        query = (base.add_columns(Product.sku, Product.name).join(Product, Product.id == OrderLine.product_id)
                 .group_by(Product.id, Product.sku, Product.name))
    elif by == "customer":
        query = (base.add_columns(Party.code, Party.name).join(Party, Party.id == Order.party_id)
                 .group_by(Party.id, Party.code, Party.name))
    elif by == "salesperson":
        query = (
            base.add_columns(User.username, func.coalesce(User.full_name, User.username))
            .outerjoin(User, User.id == Order.salesperson_id)
            .group_by(User.id, User.username, User.full_name)
        )
    elif by == "region":
        region = _main_region()
        query = (base.add_columns(region.c.region, region.c.region)
                 .outerjoin(region, region.c.party_id == Order.party_id).group_by(region.c.region))
    else:
        raise Invalid(f"analyse by one of: {', '.join(DIMENSIONS)}, not {by!r}")
    rows = session.execute(query.add_columns(*_figures()).where(*where)).all()
    return [(key, name or "", *(int(v) for v in figures)) for key, name, *figures in rows]


def _by_period(
    session: Session, company: Company, period: str, currency: str, start, end, scale: int
) -> list[Row]:
    """Grouped by day in SQL and folded into periods here (the same statement on every engine).

    An order's lines can fall on one day only, so its count adds up across days.
    """
    sums: dict[str, _Sums] = defaultdict(_Sums)
    day = sold_day()
    for when, *figures in session.execute(select(day, *_figures()).select_from(OrderLine)
                                          .join(Order, Order.id == OrderLine.order_id)
                                          .where(*_counted(company, currency, start, end)).group_by(day)):
        when = when if isinstance(when, dt.date) else parse_date(str(when)[:10])
        sums[period_key(when, period)].add(*(int(v) for v in figures))
    return [sums[key].row(key, key, scale) for key in sorted(sums)]


def _total(session: Session, company: Company, currency: str, start, end, scale: int) -> Row:
    figures = session.execute(
        select(*_figures())
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(*_counted(company, currency, start, end))
    ).one()
    sums = _Sums()
    sums.add(*(int(v) for v in figures))
    return sums.row(None, "", scale)


def _other_currencies(session: Session, company: Company, currency: str, start, end) -> tuple[str, ...]:
    conditions = [Order.company_id == company.id, Order.state.in_(COUNTED), Order.currency != currency]
    if start is not None:
        conditions.append(sold_day() >= start)
    if end is not None:
        conditions.append(sold_day() <= end)
    return tuple(
        session.scalars(select(Order.currency).where(*conditions).distinct().order_by(Order.currency))
    )


def analyse(session: Session, company: Company, by: str, *, start=None, end=None, period: str = "month",
            currency: Optional[str] = None) -> Analysis:
    """Revenue, cost and margin of ``company``'s sales grouped ``by`` one of :data:`DIMENSIONS`.

    :param start, end: the first and last day counted (dates or ISO text; either may be left open).
    :param period: ``month``, ``quarter`` or ``year`` when ``by`` is ``period``.
    :param currency: the orders' currency analysed (default the company's).
    Rows come largest revenue first (periods in time order); the total is of every line counted.
    """
    if by not in DIMENSIONS:
        raise Invalid(f"analyse by one of: {', '.join(DIMENSIONS)}, not {by!r}")
    if period not in PERIODS:
        raise Invalid(f"period must be one of: {', '.join(PERIODS)}, not {period!r}")
    start, end = date_range(start, end)
    code, scale = currency_of(company, currency)
    if by == "period":
        rows = _by_period(session, company, period, code, start, end, scale)
    else:
        rows = [
            _Sums(order_count=orders, lines=lines, net=net, costed_lines=cl, costed_net=cn, cost=cost).row(
                key, name, scale
            )
            for key, name, orders, lines, net, cl, cn, cost in _grouped(
                session, company, by, code, start, end
            )
        ]
        rows.sort(key=lambda r: (-r.revenue, r.key is None, r.key or ""))
    total = _total(session, company, code, start, end, scale)
    return Analysis(by, period, start, end, code, tuple(rows), total,
                    _other_currencies(session, company, code, start, end))

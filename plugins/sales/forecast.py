"""The weighted pipeline forecast: what the open opportunities should bring,
month by month of their expected close.

An open opportunity weighs its expected revenue × its probability (its own
when set, else its stage's), in the company currency. It counts in the
month of its expected close; one whose expected close has passed counts in
the current month (it has not closed, so it is expected now), and one
without an expected close in a bucket of its own (``month`` is ``None``),
listed last. The weights are exact: ``units × percent`` summed as integers
in SQL and divided by 100 once, so the months add up to the total to the
last digit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Company
from core.values import from_units, parse_date
from plugins.sales.analysis import currency_of
from plugins.sales.models import Opportunity, OpportunityState, Stage
from plugins.sales.targets import salesperson

__all__ = ["ForecastMonth", "Forecast", "forecast", "probability_of"]


def probability_of():
    """An opportunity's probability (per cent): its own, else its stage's."""
    return func.coalesce(Opportunity.probability, Stage.probability)


@attrs.frozen
class ForecastMonth:
    """The open opportunities expected to close in ``month`` (its first day; ``None``: no expected close)."""

    month: Optional[dt.date]
    opportunities: int
    expected: Decimal
    weighted: Decimal
    overdue: int  # of them, those whose expected close has passed (counted in the current month)


@attrs.frozen
class Forecast:
    today: dt.date
    currency: str
    owner: Optional[str]
    months: tuple[ForecastMonth, ...]
    opportunities: int
    expected: Decimal
    weighted: Decimal


def forecast(session: Session, company: Company, *, today: Optional[dt.date] = None,
             owner: Optional[str] = None) -> Forecast:
    """The weighted forecast of ``company``'s open opportunities (of ``owner``, a username, when given)."""
    today = parse_date(today) if today is not None else dt.date.today()
    this_month = today.replace(day=1)
    code, scale = currency_of(company, None)
    conditions = [Opportunity.company_id == company.id, Opportunity.state == OpportunityState.OPEN]
    if owner:
        conditions.append(Opportunity.owner_id == salesperson(session, company, owner).id)
    sums: dict[Optional[dt.date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for close, count, expected, weighted in session.execute(
        select(
            Opportunity.expected_close,
            func.count(Opportunity.id),
            func.coalesce(func.sum(Opportunity.expected_revenue_units), 0),
            func.coalesce(func.sum(Opportunity.expected_revenue_units * probability_of()), 0),
        )
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(*conditions)
        .group_by(Opportunity.expected_close)
    ):
        if close is not None and not isinstance(close, dt.date):
            close = parse_date(str(close)[:10])
        late = close is not None and close < today
        month = None if close is None else this_month if late else close.replace(day=1)
        bucket = sums[month]
        bucket[0] += int(count)
        bucket[1] += int(expected)
        bucket[2] += int(weighted)
        bucket[3] += int(count) if late else 0
    order = sorted(m for m in sums if m is not None) + ([None] if None in sums else [])
    months = tuple(
        ForecastMonth(
            m, sums[m][0], from_units(sums[m][1], scale), from_units(sums[m][2], scale + 2), sums[m][3]
        )
        for m in order
    )
    return Forecast(today, code, owner or None, months, sum(m.opportunities for m in months),
                    from_units(sum(sums[m][1] for m in order), scale),
                    from_units(sum(sums[m][2] for m in order), scale + 2))

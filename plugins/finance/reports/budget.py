"""Budget against actual: per account and period, or summed over a range.

Actuals are the ledger's movements in the company currency without
year-end closing entries, shown like the budget in the account's natural
sign (income and expenses both positive). The variance is actual less
budget: for income more is favourable, for expenses less.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Invalid
from core.ledger import AccountType
from core.models import Company
from core.values import from_units
from plugins.finance.budgets import find_budget, natural_sign
from plugins.finance.models import Budget, BudgetLine, Period
from plugins.finance.reports.periods import date_range
from plugins.finance.reports.sums import PROFIT_AND_LOSS, chart, daily_movements, scale

__all__ = ["BudgetRow", "BudgetReport", "budget_vs_actual", "variance_percent"]

_TENTH = Decimal("0.1")


@attrs.frozen
class BudgetRow:
    """One account in one period, or (``period`` ``None``) over every period of the report.

    ``variance_percent`` is the variance as a percentage of the budget
    (``None`` when nothing was budgeted); ``favourable`` says whether the
    variance is good news (``None`` for balance-sheet accounts).
    """

    account: str
    name: str
    type: AccountType
    period: Optional[str]
    start: dt.date
    end: dt.date
    budget: Decimal
    actual: Decimal
    variance: Decimal
    variance_percent: Optional[Decimal]
    favourable: Optional[bool]


@attrs.frozen
class BudgetReport:
    """``start`` .. ``end`` are the first and last day of the whole periods covered."""

    company: str
    currency: str
    budget: str
    year: str
    start: dt.date
    end: dt.date
    by_period: bool
    rows: tuple[BudgetRow, ...]

    def row(self, account: str, period: Optional[str] = None) -> BudgetRow:
        for row in self.rows:
            if row.account == account and row.period == period:
                return row
        raise KeyError((account, period))


def variance_percent(variance: Decimal, budget: Decimal) -> Optional[Decimal]:
    """``variance`` as a percentage of ``budget``, to one decimal place (half up); ``None`` for no budget."""
    if not budget:
        return None
    return (variance * 100 / abs(budget)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _favourable(type_: AccountType, variance: Decimal) -> Optional[bool]:
    if type_ == AccountType.INCOME:
        return variance >= 0
    if type_ == AccountType.EXPENSE:
        return variance <= 0
    return None


def budget_vs_actual(session: Session, company: Company, budget: Budget | str,
                     start: Optional[dt.date | str] = None, end: Optional[dt.date | str] = None, *,
                     by_period: bool = True) -> BudgetReport:
    """Budget, actual and variance of every budgeted account, and of every income or expense
    account with actuals but no budget, over the budget's periods that overlap ``start`` .. ``end``
    (whole periods; the whole fiscal year by default).

    :param by_period: a row per account and period followed by the account's
        total; else the totals only.
    """
    budget = find_budget(session, company, budget)
    periods = list(session.scalars(select(Period).where(Period.fiscal_year_id == budget.fiscal_year_id)
                                   .order_by(Period.start)))
    if start is not None or end is not None:
        wanted = date_range(start or periods[0].start, end or periods[-1].end)
        periods = [p for p in periods if p.start <= wanted.end and p.end >= wanted.start]
        if not periods:
            raise Invalid(f"budget {budget.name} (fiscal year {budget.fiscal_year.name}) has no period "
                          f"between {wanted.start} and {wanted.end}")
    first, last = periods[0].start, periods[-1].end
    planned: dict[tuple[int, int], int] = defaultdict(int)
    for account_id, period_id, units in session.execute(
            select(BudgetLine.account_id, BudgetLine.period_id, BudgetLine.amount_units)
            .where(BudgetLine.budget_id == budget.id, BudgetLine.period_id.in_([p.id for p in periods]))):
        planned[account_id, period_id] += units
    budgeted = set(session.scalars(select(BudgetLine.account_id).where(BudgetLine.budget_id == budget.id)))
    accounts = chart(session, company)
    earned = {a.id for a in accounts.values() if a.section in PROFIT_AND_LOSS}
    starts = [p.start for p in periods]
    actual: dict[tuple[int, int], int] = defaultdict(int)
    for account_id, day, units in daily_movements(session, company, first, last, budgeted | earned):
        actual[account_id, periods[bisect.bisect_right(starts, day) - 1].id] += units
    shown = budgeted | {account_id for account_id, _ in actual}
    places = scale(company)
    rows = []
    for account in accounts.values():
        if account.id not in shown:
            continue
        sign = natural_sign(account.type)
        total_plan = total_actual = 0
        for period in periods:
            plan, done = (
                sign * planned.get((account.id, period.id), 0),
                sign * actual.get((account.id, period.id), 0),
            )
            total_plan, total_actual = total_plan + plan, total_actual + done
            if by_period and (plan or done or (account.id, period.id) in planned):
                rows.append(_row(account, period.name, period.start, period.end, plan, done, places))
        rows.append(_row(account, None, first, last, total_plan, total_actual, places))
    return BudgetReport(
        company.code,
        company.currency,
        budget.name,
        budget.fiscal_year.name,
        first,
        last,
        by_period,
        tuple(rows),
    )


def _row(account, period: Optional[str], start: dt.date, end: dt.date, plan: int, done: int,
         places: int) -> BudgetRow:
    budget, actual = from_units(plan, places), from_units(done, places)
    variance = actual - budget
    return BudgetRow(account.code, account.name, account.type, period, start, end, budget, actual, variance,
                     variance_percent(variance, budget), _favourable(account.type, variance))

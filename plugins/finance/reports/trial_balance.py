"""The trial balance: every account's balance, for a period or as of a date.

For a period, each account shows its opening balance (the day before the
period), the period's debits and credits and its closing balance; as of a
date (or now), just the balance. Balances come from the maintained ledger
balances (see :mod:`plugins.finance.reports.sums`), never from summing the
whole ledger. Closing entries are part of the ledger and show here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy.orm import Session

from core.errors import Invalid
from core.ledger import AccountType
from core.models import Company
from core.values import from_units, parse_date
from plugins.finance.models import Section
from plugins.finance.reports.periods import Compare, compare_date, compare_range, date_range
from plugins.finance.reports.sums import Sums, balances_as_of, chart, period_sums, scale

__all__ = ["TrialBalanceRow", "TrialBalanceTotals", "TrialBalance", "trial_balance"]


@attrs.frozen
class TrialBalanceRow:
    """One account. Balances are signed (debit positive); ``closing_debit``/``closing_credit`` split it.

    ``opening``, ``debit`` and ``credit`` are ``None`` as of a date; the
    ``compare_*`` fields and ``difference`` (closing less compared closing)
    are ``None`` without a comparison (``compare_debit``/``compare_credit``
    also as of a date).
    """

    account: str
    name: str
    type: AccountType
    section: Section
    opening: Optional[Decimal]
    debit: Optional[Decimal]
    credit: Optional[Decimal]
    closing: Decimal
    closing_debit: Decimal
    closing_credit: Decimal
    compare_debit: Optional[Decimal] = None
    compare_credit: Optional[Decimal] = None
    compare_closing: Optional[Decimal] = None
    difference: Optional[Decimal] = None


@attrs.frozen
class TrialBalanceTotals:
    """Column sums: debits equal credits, and closing debits equal closing credits."""

    debit: Optional[Decimal]
    credit: Optional[Decimal]
    closing_debit: Decimal
    closing_credit: Decimal
    compare_debit: Optional[Decimal] = None
    compare_credit: Optional[Decimal] = None


@attrs.frozen
class TrialBalance:
    """``start`` is ``None`` as of a date; ``end`` is ``None`` for "now" (every posting, even
    future-dated)."""

    company: str
    currency: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    compare_start: Optional[dt.date]
    compare_end: Optional[dt.date]
    rows: tuple[TrialBalanceRow, ...]
    totals: TrialBalanceTotals

    def row(self, account: str) -> TrialBalanceRow:
        """The row of account code ``account`` (``KeyError`` when it has nothing to show)."""
        for row in self.rows:
            if row.account == account:
                return row
        raise KeyError(account)


def trial_balance(session: Session, company: Company, start: Optional[dt.date | str] = None,
                  end: Optional[dt.date | str] = None, *, compare: Compare = None) -> TrialBalance:
    """The trial balance of ``start`` .. ``end``, or as of ``end`` when ``start`` is ``None`` (now if both
    are).

    :param compare: for a period ``"previous-period"``, ``"previous-year"``,
        ``"FROM..TO"`` or a ``DateRange``; as of a date, those keywords
        (a month, a year earlier) or a date.
    """
    if start is not None:
        if end is None:
            raise Invalid("a trial balance for a period needs its last day")
        return _for_period(session, company, start, end, compare)
    return _as_of(session, company, parse_date(end) if end is not None else None, compare)


def _money(company: Company):
    places = scale(company)
    return lambda units: from_units(units, places)


def _for_period(session: Session, company: Company, start, end, compare: Compare) -> TrialBalance:
    period = date_range(start, end)
    other = compare_range(period, compare)
    current = period_sums(session, company, period.start, period.end)
    previous = period_sums(session, company, other.start, other.end) if other else {}
    money, none = _money(company), Sums(0, 0, 0, 0)
    rows = []
    for account in chart(session, company).values():
        now, then = current.get(account.id), previous.get(account.id)
        if now is None and then is None:
            continue
        now, then = now or none, then or none
        rows.append(TrialBalanceRow(
            account.code, account.name, account.type, account.section, money(now.opening), money(now.debit),
            money(now.credit), money(now.closing), money(max(now.closing, 0)), money(max(-now.closing, 0)),
            *((money(then.debit), money(then.credit), money(then.closing), money(now.closing - then.closing))
              if other else ())))
    return TrialBalance(company.code, company.currency, period.start, period.end,
                        other.start if other else None, other.end if other else None, tuple(rows),
                        _totals(rows, money, with_movements=True, compared=other is not None))


def _as_of(session: Session, company: Company, day: Optional[dt.date], compare: Compare) -> TrialBalance:
    other = compare_date(day or dt.date.today(), compare)
    current = balances_as_of(session, company, day)
    previous = balances_as_of(session, company, other) if other is not None else {}
    money = _money(company)
    rows = []
    for account in chart(session, company).values():
        now, then = current.get(account.id, 0), previous.get(account.id, 0)
        if not now and not then:
            continue
        rows.append(TrialBalanceRow(
            account.code, account.name, account.type, account.section, None, None, None, money(now),
            money(max(now, 0)), money(max(-now, 0)),
            *((None, None, money(then), money(now - then)) if other is not None else ())))
    return TrialBalance(company.code, company.currency, None, day, None, other, tuple(rows),
                        _totals(rows, money, with_movements=False, compared=False))


def _totals(
    rows: list[TrialBalanceRow], money, *, with_movements: bool, compared: bool
) -> TrialBalanceTotals:
    def total(field: str) -> Decimal:
        return sum((getattr(row, field) for row in rows), money(0))

    return TrialBalanceTotals(
        total("debit") if with_movements else None, total("credit") if with_movements else None,
        total("closing_debit"), total("closing_credit"),
        total("compare_debit") if compared else None, total("compare_credit") if compared else None)

"""The general ledger: each account's postings over a period with a running balance.

Per account: the opening balance (the day before the period), every posting
of the period in date order (its date, transaction, the finance entry's name
where finance posted it, the memo, debit, credit and the balance after it)
and the closing balance, which is the trial balance's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.ledger import AccountType, find_account
from core.ledger.models import Posting, Transaction
from core.models import Company
from core.values import from_units
from plugins.finance.models import Entry, Section
from plugins.finance.reports.periods import Compare, compare_range, date_range
from plugins.finance.reports.sums import Sums, chart, money_id, period_sums, scale

__all__ = ["LedgerLine", "LedgerAccount", "GeneralLedger", "general_ledger"]


@attrs.frozen
class LedgerLine:
    """One posting. ``entry`` is the finance entry's name (``INV/2026/00001``), if finance posted it."""

    date: dt.date
    transaction_id: int
    entry: Optional[str]
    memo: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@attrs.frozen
class LedgerAccount:
    """One account over the period; the ``compare_*`` totals and ``difference`` (closing less
    compared closing) are ``None`` without a comparison."""

    account: str
    name: str
    type: AccountType
    section: Section
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal
    lines: tuple[LedgerLine, ...]
    compare_debit: Optional[Decimal] = None
    compare_credit: Optional[Decimal] = None
    compare_closing: Optional[Decimal] = None
    difference: Optional[Decimal] = None


@attrs.frozen
class GeneralLedger:
    company: str
    currency: str
    start: dt.date
    end: dt.date
    compare_start: Optional[dt.date]
    compare_end: Optional[dt.date]
    accounts: tuple[LedgerAccount, ...]

    def of(self, account: str) -> LedgerAccount:
        """The part of account code ``account`` (``KeyError`` when it has nothing to show)."""
        for part in self.accounts:
            if part.account == account:
                return part
        raise KeyError(account)


def general_ledger(session: Session, company: Company, start: dt.date | str, end: dt.date | str, *,
                   account: Optional[str] = None, compare: Compare = None) -> GeneralLedger:
    """Every account with a balance or a posting in ``start`` .. ``end`` (or only ``account``, a code).

    :param compare: adds the comparison period's totals per account
        (``"previous-period"``, ``"previous-year"``, ``"FROM..TO"``).
    """
    period = date_range(start, end)
    other = compare_range(period, compare)
    only = [find_account(session, company, account).id] if account is not None else None
    current = period_sums(session, company, period.start, period.end, only)
    previous = period_sums(session, company, other.start, other.end, only) if other else {}
    lines = _postings(session, company, period.start, period.end, only)
    places = scale(company)

    def money(units: int) -> Decimal:
        return from_units(units, places)

    parts = []
    for row in chart(session, company).values():
        if (only is not None and row.id not in only) or (row.id not in current and row.id not in previous):
            continue
        now, then = current.get(row.id, Sums(0, 0, 0, 0)), previous.get(row.id)
        running, shown = now.opening, []
        for day, transaction_id, entry, memo, units in lines.get(row.id, ()):
            running += units
            shown.append(
                LedgerLine(
                    day,
                    transaction_id,
                    entry,
                    memo,
                    money(max(units, 0)),
                    money(max(-units, 0)),
                    money(running),
                )
            )
        compared = ()
        if other:
            then = then or Sums(0, 0, 0, 0)
            compared = (
                money(then.debit),
                money(then.credit),
                money(then.closing),
                money(now.closing - then.closing),
            )
        parts.append(
            LedgerAccount(
                row.code,
                row.name,
                row.type,
                row.section,
                money(now.opening),
                money(now.debit),
                money(now.credit),
                money(now.closing),
                tuple(shown),
                *compared,
            )
        )
    return GeneralLedger(
        company.code,
        company.currency,
        period.start,
        period.end,
        other.start if other else None,
        other.end if other else None,
        tuple(parts),
    )


def _postings(session: Session, company: Company, start: dt.date, end: dt.date,
              only: Optional[list[int]]) -> dict[int, list[tuple]]:
    money = money_id(session, company)
    if money is None:
        return {}
    query = (select(Posting.account_id, Posting.date, Posting.transaction_id, Entry.name, Transaction.memo,
                    Posting.amount)
             .join(Transaction, Transaction.id == Posting.transaction_id)
             .outerjoin(Entry, Entry.transaction_id == Posting.transaction_id)
             .where(Posting.company_id == company.id, Posting.commodity_id == money, Posting.date >= start,
                    Posting.date <= end)
             .order_by(Posting.account_id, Posting.date, Posting.transaction_id, Posting.id))
    if only is not None:
        query = query.where(Posting.account_id.in_(only))
    result: dict[int, list[tuple]] = defaultdict(list)
    for account_id, day, transaction_id, entry, memo, units in session.execute(query):
        result[account_id].append((day, transaction_id, entry, memo or "", int(units)))
    return result

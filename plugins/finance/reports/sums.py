"""Sums over the ledger in the company currency: what every report reads.

Reports count the company currency only: finance posts every document to
the ledger in the company currency, and other commodities (a product's
stock units, a foreign currency some other plugin posted as such) are not
money of the statements.

Balances as of a date come from the maintained ``ledger_balance`` rows
minus the postings dated after it, as ``core.ledger.reports`` does, so their
cost grows with recent activity, not with the size of the ledger. Each
set of sums is one SQL statement, so its figures are one snapshot even on
PostgreSQL's read-committed transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Optional

import attrs
from sqlalchemy import BigInteger, Select, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from core.ledger.models import Account, AccountType, Balance, Commodity, Posting
from core.models import Company
from plugins.finance.company_setup import DEFAULT_ACTIVITY, activities, sections
from plugins.finance.models import Activity, Entry, EntryKind, Section
from plugins.finance.values import scale_of

__all__ = ["ChartAccount", "Sums", "chart", "money_id", "scale", "closing_transactions", "balances_as_of",
           "period_sums", "movements", "daily_movements", "PROFIT_AND_LOSS"]

# The statement sections of the profit and loss; every other section is on the balance sheet.
PROFIT_AND_LOSS = frozenset({Section.REVENUE, Section.COST_OF_SALES, Section.EXPENSE, Section.OTHER_INCOME,
                             Section.OTHER_EXPENSE})


@attrs.frozen
class ChartAccount:
    """A money account as the reports place it."""

    id: int
    code: str
    name: str
    type: AccountType
    section: Section
    activity: Optional[Activity] = None  # cash-flow activity: balance-sheet accounts other than cash only


def chart(session: Session, company: Company) -> dict[int, ChartAccount]:
    """Every account of ``company`` by id, in code order, with its statement section.

    A stock location has no section; should one ever hold money (a plugin
    valuing stock there), it counts as a current asset, so the balance sheet
    still balances.
    """
    where = sections(session, company)
    activity = activities(session, company, where)
    result = {}
    for id_, code, name, type_ in session.execute(
        select(Account.id, Account.code, Account.name, Account.type)
        .where(Account.company_id == company.id)
        .order_by(Account.code)
    ):
        section = where.get(id_, Section.CURRENT_ASSET)
        result[id_] = ChartAccount(id_, code, name, type_, section,
                                   activity.get(id_, DEFAULT_ACTIVITY.get(section)))
    return result


def money_id(session: Session, company: Company) -> Optional[int]:
    """The ledger commodity of the company currency (``None`` while nothing was ever posted in it)."""
    return session.scalar(select(Commodity.id).where(Commodity.code == company.currency,
                                                     Commodity.company_id.is_(None)))


def scale(company: Company) -> int:
    return scale_of(company.currency)


def closing_transactions(company: Company, start: Optional[dt.date], end: dt.date) -> Select:
    """The ledger transactions of year-end closing entries dated ``start`` .. ``end``, as a subquery.

    A subquery rather than a list read first, so a report's figures stay
    one statement (one snapshot) even when a year is being closed meanwhile.
    """
    query = select(Entry.transaction_id).where(
        Entry.company_id == company.id, Entry.kind == EntryKind.CLOSING, Entry.date <= end
    )
    return query.where(Entry.date >= start) if start is not None else query


def balances_as_of(session: Session, company: Company, as_of: Optional[dt.date] = None,
                   account_ids: Optional[Iterable[int]] = None) -> dict[int, int]:
    """Account id -> balance in smallest units (debit positive) as of ``as_of`` (now if ``None``)."""
    money = money_id(session, company)
    if money is None:
        return {}
    kept = select(Balance.account_id, Balance.amount.label("units")).where(
        Balance.company_id == company.id, Balance.commodity_id == money)
    ids = None if account_ids is None else sorted(set(account_ids))
    if ids is not None:
        kept = kept.where(Balance.account_id.in_(ids))
    if as_of is None:
        rows = session.execute(kept)
    else:
        later = select(Posting.account_id, (-Posting.amount).label("units")).where(
            Posting.company_id == company.id, Posting.commodity_id == money, Posting.date > as_of)
        if ids is not None:
            later = later.where(Posting.account_id.in_(ids))
        both = union_all(kept, later).subquery()
        rows = session.execute(select(both.c.account_id, func.sum(both.c.units)).group_by(both.c.account_id))
    return {account_id: int(units) for account_id, units in rows if units}


@attrs.frozen
class Sums:
    """One account over a period, in smallest units, debit positive.

    ``closing_entries`` is the part of the movement made by year-end closing
    entries, which the profit and loss and the cash flow leave out.
    """

    opening: int
    debit: int
    credit: int
    closing: int
    closing_entries: int = 0

    @property
    def movement(self) -> int:
        return self.debit - self.credit

    @property
    def operating(self) -> int:
        """The movement without closing entries."""
        return self.movement - self.closing_entries


_ZERO = literal(0, BigInteger)


def period_sums(session: Session, company: Company, start: dt.date, end: dt.date,
                account_ids: Optional[Iterable[int]] = None) -> dict[int, Sums]:
    """Per account: opening (as of the day before ``start``), debits, credits, closing (as of ``end``).

    The closing balance is the maintained balance minus the postings after
    ``end``; the opening is the closing minus the period's movement. Accounts
    with nothing to show are left out.
    """
    money = money_id(session, company)
    if money is None:
        return {}
    ids = None if account_ids is None else sorted(set(account_ids))
    inside = Posting.date <= end
    kept = select(
        Balance.account_id,
        Balance.amount.label("closing"),
        _ZERO.label("debit"),
        _ZERO.label("credit"),
        _ZERO.label("closed"),
    ).where(Balance.company_id == company.id, Balance.commodity_id == money)
    closed = case((and_(inside, Posting.transaction_id.in_(closing_transactions(company, start, end))),
                   Posting.amount), else_=0)
    moved = select(Posting.account_id,
                   case((inside, 0), else_=-Posting.amount).label("closing"),
                   case((and_(inside, Posting.amount > 0), Posting.amount), else_=0).label("debit"),
                   case((and_(inside, Posting.amount < 0), -Posting.amount), else_=0).label("credit"),
                   closed.label("closed")).where(
        Posting.company_id == company.id, Posting.commodity_id == money, Posting.date >= start)
    if ids is not None:
        kept, moved = kept.where(Balance.account_id.in_(ids)), moved.where(Posting.account_id.in_(ids))
    both = union_all(kept, moved).subquery()
    result = {}
    for account_id, closing, debit, credit, closed_units in session.execute(
        select(
            both.c.account_id,
            func.sum(both.c.closing),
            func.sum(both.c.debit),
            func.sum(both.c.credit),
            func.sum(both.c.closed),
        ).group_by(both.c.account_id)
    ):
        closing, debit, credit = int(closing or 0), int(debit or 0), int(credit or 0)
        if closing or debit or credit:
            result[account_id] = Sums(
                closing - debit + credit, debit, credit, closing, int(closed_units or 0)
            )
    return result


def movements(session: Session, company: Company, start: dt.date, end: dt.date,
              account_ids: Optional[Iterable[int]] = None) -> dict[int, int]:
    """Account id -> net units (debit positive) posted ``start`` .. ``end``, without closing entries."""
    money = money_id(session, company)
    if money is None:
        return {}
    query = (select(Posting.account_id, func.sum(Posting.amount))
             .where(Posting.company_id == company.id, Posting.commodity_id == money,
                    Posting.date >= start, Posting.date <= end,
                    Posting.transaction_id.not_in(closing_transactions(company, start, end)))
             .group_by(Posting.account_id))
    if account_ids is not None:
        query = query.where(Posting.account_id.in_(sorted(set(account_ids))))
    return {account_id: int(units) for account_id, units in session.execute(query) if units}


def daily_movements(session: Session, company: Company, start: dt.date, end: dt.date,
                    account_ids: Iterable[int]) -> list[tuple[int, dt.date, int]]:
    """``(account id, day, net units)`` of ``account_ids`` from ``start`` to ``end``, without closing entries.

    Grouped by day in SQL (the same statement on every engine); callers fold
    days into their periods.
    """
    money = money_id(session, company)
    ids = sorted(set(account_ids))
    if money is None or not ids:
        return []
    query = (
        select(Posting.account_id, Posting.date, func.sum(Posting.amount))
        .where(
            Posting.company_id == company.id,
            Posting.commodity_id == money,
            Posting.account_id.in_(ids),
            Posting.date >= start,
            Posting.date <= end,
            Posting.transaction_id.not_in(closing_transactions(company, start, end)),
        )
        .group_by(Posting.account_id, Posting.date)
    )
    return [(account_id, day, int(units)) for account_id, day, units in session.execute(query) if units]

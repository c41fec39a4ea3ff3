"""Fiscal years, periods and the gapless numbering of journal entries.

Every ledger transaction finance posts is a numbered entry of one journal:
``INV/2026/00001``. Numbers run per journal and fiscal year without gaps and
without duplicates, whatever runs concurrently and whatever rolls back: the
number is taken from a counter row in the same database transaction as the
posting (``UPDATE ... RETURNING``), so the row stays locked until the commit
and a rollback gives the number back. The price is that entries of one
journal are numbered one at a time, as in every ledger with legal numbering.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core import ledger
from core.errors import LockedPeriod, NotFound
from core.ledger import Leg, Posted
from core.models import Company
from core.values import parse_date
from plugins.finance.models import (
    Entry,
    EntryKind,
    FiscalYear,
    Journal,
    Period,
    PeriodState,
    Sequence,
    Settings,
)

__all__ = ["fiscal_year_of", "ensure_fiscal_year", "period_of", "next_number", "post_entry", "year_bounds",
           "check_open", "month_end", "add_months"]


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def year_bounds(company: Company, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the fiscal year containing ``day``."""
    start_month = company.fiscal_year_start_month or 1
    year = day.year if day.month >= start_month else day.year - 1
    start = dt.date(year, start_month, 1)
    return start, add_months(start, 12) - dt.timedelta(days=1)


def _year_name(start: dt.date) -> str:
    return str(start.year) if start.month == 1 else f"{start.year}-{(start.year + 1) % 100:02d}"


def fiscal_year_of(session: Session, company: Company, day: dt.date) -> Optional[FiscalYear]:
    return session.scalar(select(FiscalYear).where(
        FiscalYear.company_id == company.id, FiscalYear.start <= day, FiscalYear.end >= day))


def ensure_fiscal_year(session: Session, company: Company, day: dt.date) -> FiscalYear:
    """The fiscal year containing ``day``, created with its twelve monthly periods if new."""
    found = fiscal_year_of(session, company, day)
    if found is not None:
        return found
    # Two processes creating the same year meet on the settings row; the second finds the first's.
    session.execute(select(Settings.company_id).where(Settings.company_id == company.id).with_for_update())
    found = fiscal_year_of(session, company, day)
    if found is not None:
        return found
    start, end = year_bounds(company, day)
    year = FiscalYear(company_id=company.id, name=_year_name(start), start=start, end=end)
    session.add(year)
    session.flush()
    first = start
    while first <= end:
        last = month_end(first)
        session.add(Period(company_id=company.id, fiscal_year_id=year.id, name=first.strftime("%Y-%m"),
                           start=first, end=last, state=_closed_if_locked(company, last)))
        first = last + dt.timedelta(days=1)
    session.flush()
    return year


def _closed_if_locked(company: Company, last: dt.date) -> PeriodState:
    return (
        PeriodState.CLOSED
        if company.lock_date is not None and last <= company.lock_date
        else PeriodState.OPEN
    )


def period_of(session: Session, company: Company, day: dt.date) -> Period:
    period = session.scalar(select(Period).where(Period.company_id == company.id, Period.start <= day,
                                                  Period.end >= day))
    if period is None:
        raise NotFound(f"no fiscal period of {company.code} contains {day}")
    return period


def check_open(session: Session, company: Company, day: dt.date, what: str = "a document") -> None:
    """Refuse ``day`` when it lies in a closed period (or on or before the lock date)."""
    lock = session.scalar(select(Company.lock_date).where(Company.id == company.id))
    if lock is not None and day <= lock:
        raise LockedPeriod(
            f"{what} cannot be dated {day}: the books of {company.code} are closed up to {lock}"
        )
    period = session.scalar(select(Period).where(Period.company_id == company.id, Period.start <= day,
                                                 Period.end >= day))
    if period is not None and period.state == PeriodState.CLOSED:
        raise LockedPeriod(f"{what} cannot be dated {day}: period {period.name} of {company.code} is closed")


def next_number(session: Session, company: Company, journal: Journal, year: FiscalYear) -> int:
    """Take the next number of ``journal`` in ``year`` (given back if the transaction rolls back)."""
    table = Sequence.__table__
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    session.execute(insert.values(journal_id=journal.id, fiscal_year_id=year.id, company_id=company.id,
                                  next_number=1).on_conflict_do_nothing())
    taken = session.execute(update(table).where(table.c.journal_id == journal.id,
                                                table.c.fiscal_year_id == year.id)
                            .values(next_number=table.c.next_number + 1)
                            .returning(table.c.next_number)).scalar_one()
    return taken - 1


def post_entry(
    session: Session,
    company: Company,
    journal: Journal,
    date: dt.date | str,
    legs: Iterable[Leg],
    *,
    kind: EntryKind,
    memo: str = "",
    origin: Optional[str] = None,
) -> tuple[Entry, Posted]:
    """Post one numbered entry of ``journal``: the ledger transaction and its register row."""
    date = parse_date(date)
    check_open(session, company, date, "an entry")
    year = ensure_fiscal_year(session, company, date)
    number = next_number(session, company, journal, year)
    name = f"{journal.code}/{year.name}/{number:05d}"
    posted = ledger.post(session, company, date, list(legs), memo=f"{name} {memo}".strip(),
                         origin=origin or f"finance:{name}")
    entry = Entry(
        company_id=company.id,
        journal_id=journal.id,
        fiscal_year_id=year.id,
        number=number,
        name=name,
        date=date,
        kind=kind,
        transaction_id=posted.id,
        memo=memo,
    )
    session.add(entry)
    session.flush()
    return entry, posted

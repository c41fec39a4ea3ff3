"""Closing periods and fiscal years, and revaluing open foreign-currency items.

Closing a period moves the company's lock date to its last day: from then on
the ledger refuses anything dated inside it, so its trial balance never
changes again. Periods close in order and only without drafts dated inside
them. Closing a year closes its periods and, before the last one, posts the
closing entry that carries the year's income and expenses to retained
earnings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.companies import set_lock_date
from core.errors import Conflict, NotFound
from core.ledger import Account, AccountType, Leg, Posting, find_commodity
from core.models import Company
from core.plugins import plugins_of
from core.values import from_units, parse_date
from plugins.finance.company_setup import journal_of_kind, settings_of
from plugins.finance.documents import Invoice, InvoiceState
from plugins.finance.events import PeriodClosed
from plugins.finance.journals import check_open, ensure_fiscal_year, post_entry
from plugins.finance.models import EntryKind, FiscalYear, JournalKind, Period, PeriodState
from plugins.finance.rates import rate_units_on, to_company_units
from plugins.finance.values import scale_of

__all__ = ["close_period", "close_year", "find_year", "revalue"]


def _period(session: Session, company: Company, name: str) -> Period:
    try:  # a period of a year nothing was posted in yet exists once its year does
        ensure_fiscal_year(session, company, dt.date.fromisoformat(name.strip() + "-01"))
    except ValueError:
        pass
    # Locked and read afresh: two closes of one period meet here, and the second finds it closed.
    period = session.scalar(select(Period).where(Period.company_id == company.id, Period.name == name.strip())
                            .with_for_update().execution_options(populate_existing=True))
    if period is None:
        raise NotFound(f"unknown period {name!r} in company {company.code} (periods are named like 2026-03)")
    return period


def find_year(session: Session, company: Company, name: str) -> FiscalYear:
    year = session.scalar(select(FiscalYear).where(FiscalYear.company_id == company.id,
                                                   FiscalYear.name == name.strip())
                          .with_for_update().execution_options(populate_existing=True))
    if year is None:
        raise NotFound(f"unknown fiscal year {name!r} in company {company.code}")
    return year


def close_period(session: Session, company: Company, name: str) -> Period:
    """Close one period: every earlier one must be closed, no draft may be dated inside it."""
    period = _period(session, company, name)
    if period.state == PeriodState.CLOSED:
        raise Conflict(f"period {period.name} of {company.code} is closed already")
    earlier = session.scalar(select(Period.name).where(
        Period.company_id == company.id, Period.start < period.start, Period.state == PeriodState.OPEN)
        .order_by(Period.start).limit(1))
    if earlier is not None:
        raise Conflict(f"close period {earlier} first: periods close in order")
    drafts = session.scalar(select(func.count()).select_from(Invoice).where(
        Invoice.company_id == company.id, Invoice.state == InvoiceState.DRAFT,
        Invoice.date >= period.start, Invoice.date <= period.end))
    if drafts:
        raise Conflict(f"period {period.name} has {drafts} draft document(s): post or delete them first")
    if period.fiscal_year.state == PeriodState.CLOSED:
        raise Conflict(f"fiscal year {period.fiscal_year.name} is closed")
    return _close(session, company, period, year_closed=False)


def _close(session: Session, company: Company, period: Period, *, year_closed: bool) -> Period:
    period.state = PeriodState.CLOSED
    lock = session.scalar(select(Company.lock_date).where(Company.id == company.id))
    if lock is None or lock < period.end:
        set_lock_date(session, company, period.end)
    session.flush()
    event = PeriodClosed(company_id=company.id, period=period.name, start=period.start, end=period.end,
                         year_closed=year_closed)
    plugins_of(session).for_company(session, company).period_closed(
        session=session, company=company, event=event
    )
    return period


def close_year(session: Session, company: Company, name: str) -> FiscalYear:
    """Close a fiscal year: its periods, with the closing entry before the last one."""
    year = find_year(session, company, name)
    if year.state == PeriodState.CLOSED:
        raise Conflict(f"fiscal year {year.name} of {company.code} is closed already")
    before = session.scalar(
        select(FiscalYear.name).where(
            FiscalYear.company_id == company.id,
            FiscalYear.start < year.start,
            FiscalYear.state == PeriodState.OPEN,
        )
    )
    if before is not None:
        raise Conflict(f"close fiscal year {before} first")
    periods = list(year.periods)
    for period in periods[:-1]:
        if period.state == PeriodState.OPEN:
            close_period(session, company, period.name)
    last = periods[-1]
    if last.state == PeriodState.CLOSED:
        raise Conflict(
            f"the last period of {year.name} is closed without a closing entry; the year cannot close"
        )
    year.closing_transaction_id = _post_closing_entry(session, company, year)
    close_period(session, company, last.name)
    year.state = PeriodState.CLOSED
    session.flush()
    event = PeriodClosed(
        company_id=company.id, period=year.name, start=year.start, end=year.end, year_closed=True
    )
    plugins_of(session).for_company(session, company).period_closed(
        session=session, company=company, event=event
    )
    return year


def _post_closing_entry(session: Session, company: Company, year: FiscalYear) -> Optional[int]:
    """Income and expense accounts back to zero for the year; the result to retained earnings."""
    money = find_commodity(session, company, company.currency)
    rows = session.execute(
        select(Account.code, func.sum(Posting.amount))
        .join(Account, Account.id == Posting.account_id)
        .where(Posting.company_id == company.id, Posting.commodity_id == money.id,
               Posting.date >= year.start, Posting.date <= year.end,
               Account.type.in_([AccountType.INCOME, AccountType.EXPENSE]))
        .group_by(Account.code).order_by(Account.code)).all()
    scale = scale_of(company.currency)
    legs = [Leg(code, from_units(-int(units), scale)) for code, units in rows if int(units)]
    result = sum(int(units) for _, units in rows)
    if not legs:
        return None
    retained = session.get(Account, settings_of(session, company).retained_earnings_id)
    if result:
        legs.append(Leg(retained.code, from_units(result, scale)))
    _, posted = post_entry(session, company, journal_of_kind(session, company, JournalKind.GENERAL), year.end,
                           legs, kind=EntryKind.CLOSING, memo=f"Closing of fiscal year {year.name}")
    return posted.id


def revalue(session: Session, company: Company, date: dt.date | str) -> list[str]:
    """Revalue open foreign-currency documents at the rate of ``date``.

    Posts the unrealised difference per partner account on ``date`` and its
    reversal the next day, so the documents keep their booked value and the
    difference is realised only when they are settled.

    :returns: the names of the entries posted (none when nothing moved).
    """
    day = parse_date(date)
    check_open(session, company, day, "a revaluation")
    settings = settings_of(session, company)
    differences: dict[int, int] = defaultdict(int)
    for invoice in session.scalars(select(Invoice).where(
            Invoice.company_id == company.id, Invoice.state == InvoiceState.POSTED,
            Invoice.currency != company.currency, Invoice.residual_units > 0, Invoice.date <= day)):
        now = to_company_units(invoice.residual_units, invoice.currency,
                               rate_units_on(session, company, invoice.currency, day), company)
        account = settings.receivable_id if invoice.kind.is_sale else settings.payable_id
        differences[account] += invoice.kind.sign * (now - invoice.residual_company)
    if not any(differences.values()):
        return []
    codes = dict(session.execute(select(Account.id, Account.code).where(
        Account.id.in_([*differences, settings.fx_gain_id, settings.fx_loss_id]))).all())
    scale = scale_of(company.currency)
    legs = []
    for account_id, units in sorted(differences.items()):
        if units:
            fx = settings.fx_gain_id if units > 0 else settings.fx_loss_id
            legs += [
                Leg(codes[account_id], from_units(units, scale)),
                Leg(codes[fx], from_units(-units, scale)),
            ]
    journal = journal_of_kind(session, company, JournalKind.GENERAL)
    entry, _ = post_entry(session, company, journal, day, legs, kind=EntryKind.REVALUATION,
                          memo=f"Revaluation of open items at {day}")
    back, _ = post_entry(session, company, journal, day + dt.timedelta(days=1),
                         [Leg(leg.account, -leg.amount) for leg in legs], kind=EntryKind.REVALUATION,
                         memo=f"Reversal of {entry.name}")
    return [entry.name, back.name]

"""Reading the ledger: balances, the trial balance and ``verify``.

Current figures come from the maintained ``ledger_balance`` rows; a figure
as of a past date is the current one minus the postings dated after it, so
the cost grows with recent activity, not with the ledger's size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import BigInteger, func, literal, select, union_all
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import NotFound
from core.ledger.accounts import find_account, find_commodity
from core.ledger.models import Account, AccountType, Balance, Commodity, Posting, Transaction
from core.models import Company
from core.values import from_units, parse_date

__all__ = ["balance", "trial_balance", "verify", "TrialBalanceRow", "Problem", "VerifyReport"]


@attrs.frozen
class TrialBalanceRow:
    account: str
    name: str
    type: AccountType
    commodity: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


@attrs.frozen
class Problem:
    kind: str
    message: str


@attrs.frozen
class VerifyReport:
    company: str
    transactions: int
    postings: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _balances_as_of(company: Company, as_of: Optional[dt.date], account_id: Optional[int] = None):
    """One statement (so one snapshot): maintained balances minus the postings after ``as_of``.

    Yields ``(account_id, commodity_id, units)`` columns.
    """
    kept = select(Balance.account_id, Balance.commodity_id, Balance.amount.label("units")).where(
        Balance.company_id == company.id)
    if account_id is not None:
        kept = kept.where(Balance.account_id == account_id)
    if as_of is None:
        return kept.subquery()
    later = select(Posting.account_id, Posting.commodity_id, (-Posting.amount).label("units")).where(
        Posting.company_id == company.id, Posting.date > as_of)
    if account_id is not None:
        later = later.where(Posting.account_id == account_id)
    both = union_all(kept, later).subquery()
    return (select(both.c.account_id, both.c.commodity_id, func.sum(both.c.units).label("units"))
            .group_by(both.c.account_id, both.c.commodity_id).subquery())


def balance(session: Session, company: Company, account: str, commodity: Optional[str] = None,
            as_of: Optional[dt.date | str] = None) -> Decimal:
    """The balance of one account in one commodity (company currency by default)."""
    acct = find_account(session, company, account)
    try:
        comm = find_commodity(session, company, commodity, create=False)
    except NotFound:
        if (commodity or "").upper() not in CURRENCIES:
            raise
        return from_units(0, CURRENCIES[commodity.upper()][1])  # a currency never used: nothing posted
    as_of = parse_date(as_of) if as_of is not None else None
    rows = _balances_as_of(company, as_of, acct.id)
    units = session.scalar(select(rows.c.units).where(rows.c.commodity_id == comm.id)) or 0
    return from_units(units, comm.scale)


def trial_balance(
    session: Session, company: Company, as_of: Optional[dt.date | str] = None
) -> list[TrialBalanceRow]:
    """Every account with a non-zero balance, per commodity, ordered by code."""
    as_of = parse_date(as_of) if as_of is not None else None
    rows = _balances_as_of(company, as_of)
    result = []
    for units, code, name, type_, commodity, scale in session.execute(
            select(rows.c.units, Account.code, Account.name, Account.type, Commodity.code, Commodity.scale)
            .join(Account, Account.id == rows.c.account_id)
            .join(Commodity, Commodity.id == rows.c.commodity_id)
            .where(rows.c.units != 0)
            .order_by(Account.code, Commodity.code)):
        value, zero = from_units(abs(units), scale), from_units(0, scale)
        result.append(TrialBalanceRow(code, name, type_, commodity,
                                      value if units > 0 else zero, value if units < 0 else zero))
    return result


def verify(session: Session, company: Company) -> VerifyReport:
    """Recompute every balance from the postings and check every transaction."""
    problems: list[Problem] = []
    scale = dict(session.execute(select(Commodity.id, Commodity.scale)).all())
    names = dict(session.execute(select(Commodity.id, Commodity.code)).all())
    codes = dict(
        session.execute(select(Account.id, Account.code).where(Account.company_id == company.id)).all()
    )

    def show(commodity_id: int, units: int) -> str:
        return f"{from_units(units, scale[commodity_id])} {names[commodity_id]}"

    for txn_id, commodity_id, total in session.execute(
            select(Posting.transaction_id, Posting.commodity_id, func.sum(Posting.amount))
            .where(Posting.company_id == company.id)
            .group_by(Posting.transaction_id, Posting.commodity_id).having(func.sum(Posting.amount) != 0)):
        problems.append(
            Problem("unbalanced", f"transaction {txn_id} is off by {show(commodity_id, int(total))}")
        )

    counts = session.execute(
        select(Transaction.id, func.count(Posting.id))
        .outerjoin(Posting, Posting.transaction_id == Transaction.id)
        .where(Transaction.company_id == company.id)
        .group_by(Transaction.id)
        .having(func.count(Posting.id) < 2)
    )
    for txn_id, n in counts:
        problems.append(Problem("empty", f"transaction {txn_id} has {n} posting(s)"))

    for txn_id, posting_id in session.execute(
            select(Transaction.id, Posting.id).join(Posting, Posting.transaction_id == Transaction.id)
            .where(Transaction.company_id == company.id, Posting.date != Transaction.date)):
        problems.append(Problem("date", f"posting {posting_id} is not dated like transaction {txn_id}"))

    # Postings and maintained balances side by side in one statement, so a
    # post committing meanwhile cannot make them look different.
    both = union_all(
        select(Posting.account_id, Posting.commodity_id, Posting.amount.label("replay"),
               literal(0, BigInteger).label("kept")).where(Posting.company_id == company.id),
        select(Balance.account_id, Balance.commodity_id, literal(0, BigInteger).label("replay"),
               Balance.amount.label("kept")).where(Balance.company_id == company.id)).subquery()
    replay, kept = {}, {}
    for a, c, expected, actual in session.execute(
            select(both.c.account_id, both.c.commodity_id, func.sum(both.c.replay), func.sum(both.c.kept))
            .group_by(both.c.account_id, both.c.commodity_id)):
        replay[(a, c)], kept[(a, c)] = int(expected), int(actual)
    for pair in sorted(replay):
        expected, actual = replay[pair], kept[pair]
        if expected != actual:
            account_id, commodity_id = pair
            problems.append(Problem("balance", (
                f"account {codes.get(account_id, account_id)} keeps {show(commodity_id, actual)} "
                f"but its postings sum to {show(commodity_id, expected)}")))

    totals: dict[int, int] = defaultdict(int)
    for (_, commodity_id), units in replay.items():
        totals[commodity_id] += units
    for commodity_id, units in sorted(totals.items()):
        if units != 0:
            problems.append(Problem("ledger", f"the whole ledger is off by {show(commodity_id, units)}"))

    limited = set(
        session.scalars(select(Account.id).where(Account.company_id == company.id, Account.no_negative))
    )
    for (account_id, commodity_id), units in sorted(replay.items()):
        if account_id in limited and units < 0:
            problems.append(Problem("negative", (
                f"account {codes[account_id]} must not go negative but holds {show(commodity_id, units)}")))

    n_txn = session.scalar(
        select(func.count()).select_from(Transaction).where(Transaction.company_id == company.id)
    )
    n_post = session.scalar(select(func.count()).select_from(Posting).where(Posting.company_id == company.id))
    return VerifyReport(company.code, n_txn or 0, n_post or 0, tuple(problems))

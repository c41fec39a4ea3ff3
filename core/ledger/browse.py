"""Reading the ledger for people: the chart with balances, an account's
postings newest first with the balance after each.

Both pages answer from maintained balances: the chart reads
``ledger_balance`` only, and the running balance of a page of postings is
the current balance minus the postings newer than the page, so the first
page costs the same whatever the account's history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core.ledger.models import Account, AccountType, Balance, Commodity, Posting, Transaction
from core.models import Company, Product
from core.values import from_units

__all__ = [
    "ChartLine",
    "chart_of_accounts",
    "account_commodities",
    "postings_of",
    "running_balance",
    "RunningLine",
    "monthly_activity",
    "totals_by_type",
    "debit_totals",
    "TransactionLine",
    "stock_on_hand",
]


@attrs.frozen
class ChartLine:
    """An account in the chart, with its depth in the hierarchy and its balances."""

    code: str
    name: str
    type: AccountType
    parent: Optional[str]
    depth: int
    no_negative: bool
    active: bool
    balances: tuple[tuple[str, Decimal], ...]

    def balance(self, commodity: str) -> Decimal:
        return next((amount for code, amount in self.balances if code == commodity), Decimal(0))


def chart_of_accounts(session: Session, company: Company) -> list[ChartLine]:
    """Every account, parents before their children, each level ordered by code."""
    accounts = session.scalars(
        select(Account).where(Account.company_id == company.id).order_by(Account.code)
    ).all()
    held: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for account_id, code, scale, units in session.execute(
            select(Balance.account_id, Commodity.code, Commodity.scale, Balance.amount)
            .join(Commodity, Commodity.id == Balance.commodity_id)
            .where(Balance.company_id == company.id, Balance.amount != 0).order_by(Commodity.code)):
        held[account_id].append((code, from_units(units, scale)))
    by_id = {a.id: a for a in accounts}
    children: dict[Optional[int], list[Account]] = defaultdict(list)
    for account in accounts:
        children[account.parent_id if account.parent_id in by_id else None].append(account)
    lines: list[ChartLine] = []

    def walk(parent: Optional[int], depth: int) -> None:
        for a in children[parent]:
            lines.append(ChartLine(a.code, a.name, a.type, by_id[a.parent_id].code if a.parent_id else None,
                                   depth, a.no_negative, a.active, tuple(held[a.id])))
            walk(a.id, depth + 1)

    walk(None, 0)
    return lines


def account_commodities(session: Session, account: Account) -> list[Commodity]:
    """The commodities ``account`` has ever held, in code order."""
    return list(session.scalars(select(Commodity).join(Balance, Balance.commodity_id == Commodity.id)
                                .where(Balance.account_id == account.id).order_by(Commodity.code)))


def postings_of(account: Account, commodity: Commodity) -> Select:
    """``account``'s postings in ``commodity``, newest first, with their transaction's memo."""
    return (select(Posting.id, Posting.transaction_id, Posting.date, Posting.amount, Transaction.memo,
                   Transaction.reverses_id)
            .join(Transaction, Transaction.id == Posting.transaction_id)
            .where(Posting.account_id == account.id, Posting.commodity_id == commodity.id)
            .order_by(Posting.date.desc(), Posting.transaction_id.desc(), Posting.id.desc()))


@attrs.frozen
class RunningLine:
    transaction_id: int
    date: dt.date
    memo: str
    reverses_id: Optional[int]
    amount: Decimal
    balance: Decimal


def running_balance(session: Session, account: Account, commodity: Commodity
                    ) -> Callable[[list, int], list[RunningLine]]:
    """Turn pages of ``postings_of`` rows into lines with the balance after each.

    The returned function takes ``(rows, offset)`` and may be called page by
    page in order (an export) or once at any offset (a page).
    """
    current = session.scalar(select(Balance.amount).where(
        Balance.account_id == account.id, Balance.commodity_id == commodity.id)) or 0
    state = {"offset": 0, "units": current}

    def lines(rows: list, offset: int) -> list[RunningLine]:
        if offset != state["offset"]:  # a page further down: take off what is newer than it
            newer = postings_of(account, commodity).with_only_columns(Posting.amount).limit(offset).subquery()
            state["units"] = current - (session.scalar(select(func.sum(newer.c.amount))) or 0)
        out = []
        for row in rows:
            out.append(
                RunningLine(
                    row.transaction_id,
                    row.date,
                    row.memo,
                    row.reverses_id,
                    from_units(row.amount, commodity.scale),
                    from_units(state["units"], commodity.scale),
                )
            )
            state["units"] -= row.amount
        state["offset"] = offset + len(rows)
        return out

    return lines


def monthly_activity(session: Session, company: Company, months: int, today: dt.date
                     ) -> list[tuple[str, int, Decimal]]:
    """``(YYYY-MM, transactions, debits in the company currency)`` for the last ``months`` months.

    Grouped by day in SQL and folded into months here, so the same statement
    runs on every engine.
    """
    year, month = divmod(today.year * 12 + today.month - months, 12)
    first = dt.date(year, month + 1, 1)
    keys = []
    cursor = first
    while cursor <= today:
        keys.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    currency = session.scalar(select(Commodity).where(Commodity.code == company.currency,
                                                      Commodity.company_id.is_(None)))
    count: dict[str, int] = dict.fromkeys(keys, 0)
    debit: dict[str, int] = dict.fromkeys(keys, 0)
    for day, n in session.execute(select(Transaction.date, func.count()).where(
            Transaction.company_id == company.id, Transaction.date >= first, Transaction.date <= today)
            .group_by(Transaction.date)):
        count[day.strftime("%Y-%m")] += n
    for day, units in session.execute(select(Posting.date, func.sum(Posting.amount)).where(
            Posting.company_id == company.id, Posting.commodity_id == currency.id, Posting.amount > 0,
            Posting.date >= first, Posting.date <= today).group_by(Posting.date)):
        debit[day.strftime("%Y-%m")] += units
    return [(key, count[key], from_units(debit[key], currency.scale)) for key in keys]


def totals_by_type(session: Session, company: Company) -> dict[AccountType, Decimal]:
    """The maintained balances in the company currency, summed per account type."""
    currency = session.scalar(select(Commodity).where(Commodity.code == company.currency,
                                                      Commodity.company_id.is_(None)))
    rows = session.execute(select(Account.type, func.sum(Balance.amount))
                           .join(Account, Account.id == Balance.account_id)
                           .where(Balance.company_id == company.id, Balance.commodity_id == currency.id)
                           .group_by(Account.type))
    return {type_: from_units(units or 0, currency.scale) for type_, units in rows}


@attrs.frozen
class TransactionLine:
    """A transaction as a list shows it: its total debit in the company currency."""

    id: int
    date: dt.date
    memo: str
    origin: Optional[str]
    reverses_id: Optional[int]
    total: Decimal

    @property
    def transaction_id(self) -> int:
        return self.id


def debit_totals(session: Session, company: Company, ids: list[int]) -> dict[int, Decimal]:
    """The total debit in the company currency of each of ``company``'s transactions ``ids``."""
    if not ids:
        return {}
    currency = session.scalar(select(Commodity).where(Commodity.code == company.currency,
                                                      Commodity.company_id.is_(None)))
    rows = session.execute(
        select(Posting.transaction_id, func.sum(Posting.amount))
        .where(
            Posting.company_id == company.id,
            Posting.transaction_id.in_(ids),
            Posting.commodity_id == currency.id,
            Posting.amount > 0,
        )
        .group_by(Posting.transaction_id)
    )
    totals = dict.fromkeys(ids, from_units(0, currency.scale))  # a transaction in other commodities only
    totals.update((txn_id, from_units(units, currency.scale)) for txn_id, units in rows)
    return totals


def stock_on_hand(session: Session, company: Company, product: Product) -> Decimal:
    """The product's quantity across the company's stock accounts."""
    units = (
        session.scalar(
            select(func.sum(Balance.amount))
            .join(Account, Account.id == Balance.account_id)
            .where(
                Balance.company_id == company.id,
                Balance.commodity_id == product.commodity_id,
                Account.type == AccountType.STOCK,
            )
        )
        or 0
    )
    return from_units(units, product.commodity.scale)

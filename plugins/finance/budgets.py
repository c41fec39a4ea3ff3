"""Budgets: an amount planned per account and fiscal period.

A budget belongs to one fiscal year; each of its lines plans one account in
one period. Amounts are given and read in the account's natural sign (a
revenue budget of 1,000,000 is income expected, an expense budget of 500,000
spending expected) and stored debit-positive in the company currency, like
the ledger. Budget against actual is :func:`plugins.finance.reports.budget_vs_actual`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid, NotFound
from core.ledger import Account, AccountType, find_account
from core.models import Company
from core.values import from_units, parse_amount, parse_date, to_units
from plugins.finance.journals import ensure_fiscal_year
from plugins.finance.models import Budget, BudgetLine, FiscalYear, Period
from plugins.finance.values import scale_of

__all__ = ["BudgetAmount", "create_budget", "find_budget", "list_budgets", "set_amount", "spread_amount",
           "budget_amounts", "fiscal_year", "natural_sign"]

def natural_sign(type_: AccountType) -> int:
    """+1 for accounts that normally carry a debit balance (assets, expenses), -1 for credit ones."""
    return -1 if type_ in (AccountType.LIABILITY, AccountType.EQUITY, AccountType.INCOME) else 1


_YEAR = re.compile(r"(\d{4})(?:-\d{2})?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@attrs.frozen
class BudgetAmount:
    """One planned amount, in the account's natural sign."""

    account: str
    name: str
    period: str
    start: dt.date
    end: dt.date
    amount: Decimal


def fiscal_year(session: Session, company: Company, year: FiscalYear | dt.date | str) -> FiscalYear:
    """A fiscal year by its name (``2026``, ``2026-27``), a date inside it (``2026-05-01``), or itself;
    created (with its periods) if new."""
    if isinstance(year, FiscalYear):
        return year
    if isinstance(year, dt.date):
        return ensure_fiscal_year(session, company, year)
    text = str(year).strip()
    if _DATE.fullmatch(text):
        return ensure_fiscal_year(session, company, parse_date(text))
    found = session.scalar(
        select(FiscalYear).where(FiscalYear.company_id == company.id, FiscalYear.name == text)
    )
    if found is not None:
        return found
    match = _YEAR.fullmatch(text)
    if match is None:
        raise Invalid(f"malformed fiscal year {year!r}: use its name, like 2026 (or 2026-27)")
    if not 1900 <= int(match.group(1)) <= 9998:
        raise Invalid(f"fiscal year {text!r} is out of range")
    created = ensure_fiscal_year(
        session, company, dt.date(int(match.group(1)), company.fiscal_year_start_month or 1, 1)
    )
    if created.name != text:
        raise NotFound(f"company {company.code} has no fiscal year {text!r} (did you mean {created.name}?)")
    return created


def create_budget(session: Session, company: Company, name: str, year: FiscalYear | dt.date | str) -> Budget:
    """A new, empty budget called ``name`` for fiscal ``year``."""
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid("a budget needs a name of 1 to 100 characters")
    if (
        session.scalar(select(Budget.id).where(Budget.company_id == company.id, Budget.name == name))
        is not None
    ):
        raise Conflict(f"company {company.code} has a budget called {name!r} already")
    budget = Budget(company_id=company.id, name=name, fiscal_year_id=fiscal_year(session, company, year).id)
    session.add(budget)
    session.flush()
    return budget


def find_budget(session: Session, company: Company, budget: Budget | str) -> Budget:
    if isinstance(budget, Budget):
        if budget.company_id != company.id:
            raise NotFound(f"unknown budget in company {company.code}")
        return budget
    found = session.scalar(
        select(Budget).where(Budget.company_id == company.id, Budget.name == str(budget).strip())
    )
    if found is None:
        raise NotFound(f"unknown budget {budget!r} in company {company.code}")
    return found


def list_budgets(session: Session, company: Company) -> list[Budget]:
    """The company's budgets, newest fiscal year first."""
    return list(session.scalars(select(Budget).join(FiscalYear, FiscalYear.id == Budget.fiscal_year_id)
                                .where(Budget.company_id == company.id)
                                .order_by(FiscalYear.start.desc(), Budget.name)))


def _account(session: Session, company: Company, code: str) -> Account:
    account = find_account(session, company, code)
    if account.type == AccountType.STOCK:
        raise Invalid(f"account {account.code} is a stock location; budgets plan money")
    return account


def _periods(session: Session, budget: Budget) -> list[Period]:
    return list(session.scalars(select(Period).where(Period.fiscal_year_id == budget.fiscal_year_id)
                                .order_by(Period.start)))


def _units(company: Company, account: Account, amount) -> int:
    return natural_sign(account.type) * to_units(parse_amount(amount), scale_of(company.currency),
                                                 what="budget amount")


def _put(session: Session, company: Company, budget: Budget, account: Account, period: Period,
         units: int) -> BudgetLine:
    line = session.scalar(select(BudgetLine).where(BudgetLine.budget_id == budget.id,
                                                   BudgetLine.account_id == account.id,
                                                   BudgetLine.period_id == period.id))
    if line is None:
        line = BudgetLine(
            company_id=company.id,
            budget_id=budget.id,
            account_id=account.id,
            period_id=period.id,
            amount_units=units,
        )
        session.add(line)
    line.amount_units = units
    return line


def set_amount(session: Session, company: Company, budget: Budget | str, account: str, period: str,
               amount: Decimal | str) -> BudgetLine:
    """Plan ``amount`` (natural sign) for ``account`` in ``period`` (a name like ``2026-03``), replacing any
    plan."""
    budget = find_budget(session, company, budget)
    acct = _account(session, company, account)
    wanted = str(period).strip()
    found = next((p for p in _periods(session, budget) if p.name == wanted), None)
    if found is None:
        raise Invalid(
            f"period {wanted!r} is not in fiscal year {budget.fiscal_year.name} of budget {budget.name}"
        )
    line = _put(session, company, budget, acct, found, _units(company, acct, amount))
    session.flush()
    return line


def spread_amount(session: Session, company: Company, budget: Budget | str, account: str,
                  amount: Decimal | str) -> list[BudgetLine]:
    """Plan ``amount`` for the whole year, spread evenly over its periods (the last takes the remainder)."""
    budget = find_budget(session, company, budget)
    acct = _account(session, company, account)
    periods = _periods(session, budget)
    units = _units(company, acct, amount)
    each = abs(units) // len(periods) * (1 if units >= 0 else -1)  # toward zero: the remainder keeps the sign
    lines = [_put(session, company, budget, acct, period, each) for period in periods[:-1]]
    lines.append(_put(session, company, budget, acct, periods[-1], units - each * (len(periods) - 1)))
    session.flush()
    return lines


def budget_amounts(session: Session, company: Company, budget: Budget | str,
                   account: Optional[str] = None) -> list[BudgetAmount]:
    """Every planned amount of ``budget`` (of one account if given), by account code and period."""
    budget = find_budget(session, company, budget)
    query = (
        select(
            Account.code,
            Account.name,
            Account.type,
            Period.name,
            Period.start,
            Period.end,
            BudgetLine.amount_units,
        )
        .join(Account, Account.id == BudgetLine.account_id)
        .join(Period, Period.id == BudgetLine.period_id)
        .where(BudgetLine.budget_id == budget.id)
        .order_by(Account.code, Period.start)
    )
    if account is not None:
        query = query.where(BudgetLine.account_id == _account(session, company, account).id)
    places = scale_of(company.currency)
    return [BudgetAmount(code, name, period, start, end, from_units(natural_sign(type_) * units, places))
            for code, name, type_, period, start, end, units in session.execute(query)]

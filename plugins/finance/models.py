"""Finance's tables, named ``finance_<entity>``.

Money is stored as integers of the currency's smallest unit (``*_units``
columns hold the document currency, ``*_company`` the company currency);
quantities, unit prices, percentages and exchange rates as integers at the
fixed scales in ``plugins.finance.values``. The ledger holds the postings;
these tables hold what an accountant needs around them: which account shows
where in the statements, journals and their numbers, documents and who paid
what.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Optional

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base
from core.ledger.models import Account, BigId
from core.models import _enum, utcnow

__all__ = [
    "Section",
    "Activity",
    "AccountInfo",
    "Settings",
    "JournalKind",
    "Journal",
    "FiscalYear",
    "Period",
    "PeriodState",
    "Sequence",
    "EntryKind",
    "Entry",
    "TaxScope",
    "Tax",
    "PaymentTerm",
    "Rate",
    "Budget",
    "BudgetLine",
    "BankStatement",
    "BankLine",
    "BankLineState",
]


class Section(enum.Enum):
    """Where an account appears in the statements (and the cash-flow statement)."""

    CASH = "cash"
    RECEIVABLE = "receivable"
    CURRENT_ASSET = "current_asset"
    NON_CURRENT_ASSET = "non_current_asset"
    DEPRECIATION = "depreciation"  # accumulated depreciation: a non-cash contra asset
    PAYABLE = "payable"
    CURRENT_LIABILITY = "current_liability"
    NON_CURRENT_LIABILITY = "non_current_liability"
    EQUITY = "equity"
    RETAINED_EARNINGS = "retained_earnings"
    REVENUE = "revenue"
    OTHER_INCOME = "other_income"
    COST_OF_SALES = "cost_of_sales"
    EXPENSE = "expense"
    OTHER_EXPENSE = "other_expense"


class Activity(enum.Enum):
    """Where a balance-sheet account's changes show in the cash-flow statement."""

    OPERATING = "operating"
    INVESTING = "investing"
    FINANCING = "financing"


class AccountInfo(Base):
    """Finance's view of a ledger account: its statement section and, for a balance-sheet account
    other than cash, its cash-flow activity (``None``: the section's default)."""

    __tablename__ = "finance_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"), unique=True)
    section: Mapped[Section] = mapped_column(_enum(Section, 30))
    cash_flow: Mapped[Optional[Activity]] = mapped_column(_enum(Activity, 20))

    account: Mapped[Account] = relationship()


class Settings(Base):
    """One row per company: the accounts finance posts to by default."""

    __tablename__ = "finance_settings"

    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), primary_key=True)
    template: Mapped[str] = mapped_column(String(20))
    receivable_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    payable_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    income_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    expense_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    retained_earnings_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    fx_gain_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    fx_loss_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    rounding_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    # Cash rounding of document totals, in the document currency's smallest units (0: none).
    cash_rounding: Mapped[int] = mapped_column(Integer, default=0)


class JournalKind(enum.Enum):
    SALE = "sale"
    PURCHASE = "purchase"
    BANK = "bank"
    CASH = "cash"
    GENERAL = "general"


class Journal(Base):
    """A book of entries with its own gapless numbering per fiscal year."""

    __tablename__ = "finance_journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[JournalKind] = mapped_column(_enum(JournalKind))
    # The bank or cash account a bank/cash journal pays from and into.
    account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ledger_account.id"))

    account: Mapped[Optional[Account]] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "code"),)


class PeriodState(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class FiscalYear(Base):
    __tablename__ = "finance_fiscal_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[PeriodState] = mapped_column(_enum(PeriodState), default=PeriodState.OPEN)
    closing_transaction_id: Mapped[Optional[int]] = mapped_column(BigId)

    periods: Mapped[list[Period]] = relationship(back_populates="fiscal_year", order_by="Period.start")

    __table_args__ = (UniqueConstraint("company_id", "name"), UniqueConstraint("company_id", "start"))


class Period(Base):
    __tablename__ = "finance_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("finance_fiscal_year.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[PeriodState] = mapped_column(_enum(PeriodState), default=PeriodState.OPEN)

    fiscal_year: Mapped[FiscalYear] = relationship(back_populates="periods")

    __table_args__ = (UniqueConstraint("company_id", "start"),)


class Sequence(Base):
    """The next number of one journal in one fiscal year.

    Taken with an ``UPDATE ... RETURNING`` in the transaction that uses it:
    the row stays locked until commit and a rollback gives the number back,
    so numbers have no gaps and no duplicates.
    """

    __tablename__ = "finance_sequence"

    journal_id: Mapped[int] = mapped_column(ForeignKey("finance_journal.id"), primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("finance_fiscal_year.id"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    next_number: Mapped[int] = mapped_column(Integer, default=1)


class EntryKind(enum.Enum):
    INVOICE = "invoice"
    PAYMENT = "payment"
    MANUAL = "manual"
    REVALUATION = "revaluation"
    CLOSING = "closing"


class Entry(Base):
    """A numbered journal entry: one ledger transaction posted by finance."""

    __tablename__ = "finance_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("finance_journal.id"))
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("finance_fiscal_year.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    transaction_id: Mapped[int] = mapped_column(BigId, unique=True)
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    journal: Mapped[Journal] = relationship()

    __table_args__ = (UniqueConstraint("journal_id", "fiscal_year_id", "number"),
                      UniqueConstraint("company_id", "name"))


class TaxScope(enum.Enum):
    SALE = "sale"
    PURCHASE = "purchase"


class Tax(Base):
    __tablename__ = "finance_tax"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TaxScope] = mapped_column(_enum(TaxScope))
    rate_units: Mapped[int] = mapped_column(BigInteger)  # percent at PERCENT_SCALE
    included: Mapped[bool] = mapped_column(Boolean, default=False)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    account: Mapped[Account] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "code"),)


class PaymentTerm(Base):
    """Due date: the document date plus ``months``, then to that month's end
    if ``end_of_month``, then plus ``days`` (``30 days``; ``end of next month``)."""

    __tablename__ = "finance_payment_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    days: Mapped[int] = mapped_column(Integer, default=0)
    months: Mapped[int] = mapped_column(Integer, default=0)
    end_of_month: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("company_id", "code"),
                      CheckConstraint("days BETWEEN 0 AND 3660", name="days_range"),
                      CheckConstraint("months BETWEEN 0 AND 120", name="months_range"))


class Rate(Base):
    """How much of the company currency one unit of ``currency`` is worth from ``date`` on."""

    __tablename__ = "finance_rate"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date)
    rate_units: Mapped[int] = mapped_column(BigInteger)  # at RATE_SCALE

    __table_args__ = (UniqueConstraint("company_id", "currency", "date"),
                      CheckConstraint("rate_units > 0", name="positive"))


class Budget(Base):
    __tablename__ = "finance_budget"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("finance_fiscal_year.id"))

    fiscal_year: Mapped[FiscalYear] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "name"),)


class BudgetLine(Base):
    """The amount planned for one account in one period (company currency, debit positive)."""

    __tablename__ = "finance_budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("finance_budget.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("finance_period.id"))
    amount_units: Mapped[int] = mapped_column(BigInteger)

    account: Mapped[Account] = relationship()
    period: Mapped[Period] = relationship()

    __table_args__ = (UniqueConstraint("budget_id", "account_id", "period_id"),)


class BankStatement(Base):
    __tablename__ = "finance_bank_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("finance_journal.id"))
    name: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    journal: Mapped[Journal] = relationship()
    lines: Mapped[list[BankLine]] = relationship(back_populates="statement", order_by="BankLine.id")


class BankLineState(enum.Enum):
    OPEN = "open"
    MATCHED = "matched"


class BankLine(Base):
    """One line of a bank statement; matched when a payment accounts for it."""

    __tablename__ = "finance_bank_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("finance_bank_statement.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    amount_units: Mapped[int] = mapped_column(BigInteger)  # positive: money in
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(200), default="")
    counterparty: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[BankLineState] = mapped_column(_enum(BankLineState), default=BankLineState.OPEN)
    payment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("finance_payment.id"), unique=True)

    statement: Mapped[BankStatement] = relationship(back_populates="lines")

    __table_args__ = (Index("ix_finance_bank_line_statement_date", "statement_id", "date"),)


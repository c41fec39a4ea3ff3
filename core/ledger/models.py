"""Ledger tables: commodities, accounts, transactions, postings, balances.

Amounts are integers of the commodity's smallest unit, so SQL sums are exact
on every engine. Transactions and postings are immutable once written (see
``core.ledger.immutability``); ``ledger_balance`` is the one mutable table,
kept in step with the postings inside the same database transaction.
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
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base
from core.models import Company, _enum, utcnow

__all__ = [
    "BALANCE_LIMIT",
    "CommodityKind",
    "Commodity",
    "AccountType",
    "Account",
    "Transaction",
    "Posting",
    "Balance",
]

# The largest balance an account may hold in one commodity, in smallest units.
BALANCE_LIMIT = 4 * 10**18

# 64-bit ids on PostgreSQL; SQLite wants INTEGER for its rowid alias.
BigId = BigInteger().with_variant(Integer, "sqlite")


class CommodityKind(enum.Enum):
    CURRENCY = "currency"
    UNIT = "unit"


class Commodity(Base):
    """What an amount counts: a currency, or a product in its unit.

    Currencies are shared by all companies (``company_id`` is NULL); a
    product's commodity belongs to the product's company.
    """

    __tablename__ = "ledger_commodity"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CommodityKind] = mapped_column(_enum(CommodityKind))
    scale: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        Index("uq_ledger_commodity_shared_code", "code", unique=True,
              sqlite_where=company_id.is_(None), postgresql_where=company_id.is_(None)),
    )


class AccountType(enum.Enum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"
    STOCK = "stock"


class Account(Base):
    """A chart-of-accounts account or a stock location."""

    __tablename__ = "ledger_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[AccountType] = mapped_column(_enum(AccountType))
    parent_id: Mapped[Optional[int]] = mapped_column()
    no_negative: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    company: Mapped[Company] = relationship()
    parent: Mapped[Optional[Account]] = relationship(remote_side=[id], foreign_keys=[parent_id])

    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        UniqueConstraint("company_id", "id"),
        # The parent must be an account of the same company.
        ForeignKeyConstraint(["company_id", "parent_id"], ["ledger_account.company_id", "ledger_account.id"]),
    )


class Transaction(Base):
    """A balanced set of postings on one date. Immutable once written."""

    __tablename__ = "ledger_transaction"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    memo: Mapped[str] = mapped_column(Text, default="")
    key: Mapped[Optional[str]] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    origin: Mapped[Optional[str]] = mapped_column(String(200))
    reverses_id: Mapped[Optional[int]] = mapped_column(
        BigId, ForeignKey("ledger_transaction.id"), unique=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    company: Mapped[Company] = relationship()
    postings: Mapped[list[Posting]] = relationship(
        back_populates="transaction", order_by="Posting.id", viewonly=True)
    reverses: Mapped[Optional[Transaction]] = relationship(
        remote_side=[id], foreign_keys=[reverses_id], back_populates="reversed_by")
    reversed_by: Mapped[Optional[Transaction]] = relationship(
        foreign_keys=[reverses_id], back_populates="reverses", uselist=False)

    __table_args__ = (
        UniqueConstraint("company_id", "key"),
        UniqueConstraint("company_id", "id"),
        Index("ix_ledger_transaction_company_date", "company_id", "date"),
    )


class Posting(Base):
    """One line of a transaction: an amount of a commodity on an account.

    Positive is a debit, negative a credit. ``date`` repeats the transaction's
    date so balances as of a date need no join.
    """

    __tablename__ = "ledger_posting"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"))
    transaction_id: Mapped[int] = mapped_column(BigId)
    account_id: Mapped[int] = mapped_column()
    commodity_id: Mapped[int] = mapped_column(ForeignKey("ledger_commodity.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)

    # Postings are written by ``post`` through Core inserts; the ORM only reads them.
    transaction: Mapped[Transaction] = relationship(back_populates="postings", viewonly=True)
    account: Mapped[Account] = relationship(viewonly=True)
    commodity: Mapped[Commodity] = relationship(viewonly=True)

    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "transaction_id"], ["ledger_transaction.company_id", "ledger_transaction.id"]
        ),
        ForeignKeyConstraint(
            ["company_id", "account_id"], ["ledger_account.company_id", "ledger_account.id"]
        ),
        Index("ix_ledger_posting_account_commodity_date", "account_id", "commodity_id", "date"),
        Index("ix_ledger_posting_transaction", "transaction_id"),
        Index("ix_ledger_posting_company_date", "company_id", "date"),
    )


class Balance(Base):
    """The running total of one account in one commodity, kept by ``post``."""

    __tablename__ = "ledger_balance"

    account_id: Mapped[int] = mapped_column(primary_key=True)
    commodity_id: Mapped[int] = mapped_column(ForeignKey("ledger_commodity.id"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)

    account: Mapped[Account] = relationship(viewonly=True)
    commodity: Mapped[Commodity] = relationship(viewonly=True)

    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "account_id"], ["ledger_account.company_id", "ledger_account.id"]
        ),
        # Far inside 64 bits: an overflowing sum fails here instead of turning
        # into a float (SQLite) or wrapping.
        CheckConstraint(f"amount BETWEEN {-BALANCE_LIMIT} AND {BALANCE_LIMIT}", name="amount_range"),
    )

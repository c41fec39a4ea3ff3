"""The shared nouns: companies, parties, products, users and their memberships.

Only what every plugin shares lives here. Roles a party plays (customer,
supplier, employee) belong to the plugins, in their own tables.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import TYPE_CHECKING, Optional

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base

if TYPE_CHECKING:
    from core.ledger.models import Commodity

__all__ = [
    "Company",
    "PartyKind",
    "Party",
    "PartyContact",
    "PartyAddress",
    "Unit",
    "Product",
    "User",
    "Membership",
    "PluginInstallation",
    "OutboxMessage",
    "AuditEntry",
    "utcnow",
]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _enum(cls: type[enum.Enum], length: int = 20) -> Enum:
    # Stored as the member's value in a VARCHAR: portable, readable in raw SQL.
    return Enum(cls, native_enum=False, length=length, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])


class Company(Base):
    __tablename__ = "core_company"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[Optional[str]] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    fiscal_year_start_month: Mapped[int] = mapped_column(Integer, default=1)
    lock_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("fiscal_year_start_month BETWEEN 1 AND 12", name="fiscal_month"),
    )

    def __repr__(self) -> str:
        return f"<Company {self.code}>"


class PartyKind(enum.Enum):
    PERSON = "person"
    ORGANISATION = "organisation"


class Party(Base):
    """A person or an organisation the company deals with."""

    __tablename__ = "core_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PartyKind] = mapped_column(_enum(PartyKind), default=PartyKind.ORGANISATION)
    tax_id: Mapped[Optional[str]] = mapped_column(String(40))
    email: Mapped[Optional[str]] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(40))
    notes: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    company: Mapped[Company] = relationship()
    contacts: Mapped[list[PartyContact]] = relationship(back_populates="party", cascade="all, delete-orphan")
    addresses: Mapped[list[PartyAddress]] = relationship(back_populates="party", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("company_id", "code"),)


class PartyContact(Base):
    """A person to talk to at a party (or another way to reach a person)."""

    __tablename__ = "core_party_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Optional[str]] = mapped_column(String(100))
    email: Mapped[Optional[str]] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(40))

    party: Mapped[Party] = relationship(back_populates="contacts")


class PartyAddress(Base):
    __tablename__ = "core_party_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), default="main")
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[Optional[str]] = mapped_column(String(200))
    city: Mapped[Optional[str]] = mapped_column(String(100))
    region: Mapped[Optional[str]] = mapped_column(String(100))
    postal_code: Mapped[Optional[str]] = mapped_column(String(20))
    country: Mapped[Optional[str]] = mapped_column(String(2))

    party: Mapped[Party] = relationship(back_populates="addresses")


class Unit(Base):
    """A unit of measure (reference data shared by all companies)."""

    __tablename__ = "core_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    scale: Mapped[int] = mapped_column(Integer, default=0)


class Product(Base):
    """A thing the company buys, makes, stocks or sells.

    Its stock is kept in the ledger under its own commodity, in its unit.
    """

    __tablename__ = "core_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_unit.id"))
    commodity_id: Mapped[int] = mapped_column(ForeignKey("ledger_commodity.id"), unique=True)
    category: Mapped[Optional[str]] = mapped_column(String(100))
    barcode: Mapped[Optional[str]] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    commodity: Mapped[Commodity] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "sku"),)


class User(Base):
    __tablename__ = "core_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[Optional[str]] = mapped_column(String(200))
    email: Mapped[Optional[str]] = mapped_column(String(200))
    locale: Mapped[Optional[str]] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Who a web session belongs to; replaced at sign-out, which ends every copy of the old session.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(32), unique=True)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")


class Membership(Base):
    """A user's role in one company (a user may hold several roles there)."""

    __tablename__ = "core_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="memberships")
    company: Mapped[Company] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "company_id", "role"),)


class PluginInstallation(Base):
    """Whether a company has a plugin installed; the row stays on uninstall."""

    __tablename__ = "core_plugin_installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    plugin: Mapped[str] = mapped_column(String(64))
    installed: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[str] = mapped_column(String(40))
    installed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    uninstalled_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("company_id", "plugin"),)


class OutboxMessage(Base):
    """A side effect (e-mail, webhook, SMS) that may leave only after commit."""

    __tablename__ = "core_outbox"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    topic: Mapped[str] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[Optional[str]] = mapped_column(Text)


class AuditEntry(Base):
    """One line of the append-only audit log (who did what, when, from where).

    ``company_id`` is empty for events outside any company (signing in).
    """

    __tablename__ = "core_audit"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_company.id"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    username: Mapped[Optional[str]] = mapped_column(String(80), index=True)
    address: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")

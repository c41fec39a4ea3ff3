"""Commodities and accounts: creating them and finding them by code."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import Conflict, Invalid, NotFound
from core.ledger.models import Account, AccountType, Commodity, CommodityKind
from core.models import Company
from core.scoping import ensure_absent, find_one

__all__ = [
    "ensure_currency",
    "create_commodity",
    "find_commodity",
    "create_account",
    "find_account",
    "parse_account_type",
]

def ensure_currency(session: Session, code: str) -> Commodity:
    """The shared commodity for an ISO currency, created on first use."""
    code = code.strip().upper()
    existing = session.scalar(select(Commodity).where(Commodity.company_id.is_(None), Commodity.code == code))
    if existing is not None:
        return existing
    if code not in CURRENCIES:
        raise Invalid(f"unknown currency {code!r}")
    name, scale = CURRENCIES[code]
    commodity = Commodity(company_id=None, code=code, name=name, kind=CommodityKind.CURRENCY, scale=scale)
    session.add(commodity)
    session.flush()
    return commodity


def create_commodity(session: Session, company: Company, code: str, name: str, scale: int) -> Commodity:
    """A company's own commodity (a product in its unit of measure)."""
    if not 0 <= scale <= 9:
        raise Invalid(f"scale {scale} out of range 0..9")
    clash = session.scalar(select(Commodity.id).where(
        Commodity.code == code, or_(Commodity.company_id == company.id, Commodity.company_id.is_(None))))
    if clash is not None:
        raise Conflict(f"commodity {code!r} exists already")
    commodity = Commodity(company_id=company.id, code=code, name=name, kind=CommodityKind.UNIT, scale=scale)
    session.add(commodity)
    session.flush()
    return commodity


def find_commodity(session: Session, company: Company, code: str | None, *, create: bool = True) -> Commodity:
    """A commodity usable by ``company``: its own first, then a currency.

    ``None`` means the company's currency. A known ISO currency not used yet
    is created when ``create`` (posting), and not found otherwise (reading).
    """
    code = company.currency if code is None else code.strip()
    rows = session.scalars(select(Commodity).where(
        Commodity.code.in_({code, code.upper()}),
        or_(Commodity.company_id == company.id, Commodity.company_id.is_(None)))).all()
    rows.sort(key=lambda c: (c.company_id is None, c.code != code))
    if rows:
        commodity = rows[0]
    elif create and code.upper() in CURRENCIES:
        commodity = ensure_currency(session, code)
    else:
        raise NotFound(f"unknown commodity {code!r} in company {company.code}")
    return commodity


def parse_account_type(value: str | AccountType) -> AccountType:
    if isinstance(value, AccountType):
        return value
    try:
        return AccountType(value.strip().lower())
    except ValueError:
        allowed = ", ".join(t.value for t in AccountType)
        raise Invalid(f"unknown account type {value!r} (one of: {allowed})") from None


def create_account(session: Session, company: Company, code: str, name: str, type: str | AccountType,
                   *, parent: str | None = None, no_negative: bool = False) -> Account:
    """Add an account to the company's chart (or a stock location)."""
    code = code.strip()
    if not code or any(ch.isspace() for ch in code) or ":" in code:
        raise Invalid(f"account code {code!r} must be non-empty, without spaces or ':'")
    if not name.strip():
        raise Invalid("account name must not be empty")
    kind = parse_account_type(type)
    ensure_absent(session, Account, company, "account", code=code)
    parent_account = find_account(session, company, parent) if parent else None
    account = Account(company_id=company.id, code=code, name=name.strip(), type=kind,
                      parent_id=parent_account.id if parent_account else None, no_negative=no_negative)
    session.add(account)
    session.flush()
    return account


def find_account(session: Session, company: Company, code: str) -> Account:
    return find_one(session, Account, company, "account", code=code)

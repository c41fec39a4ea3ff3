"""Companies: create, find, list, change settings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, Invalid, NotFound
from core.events import CompanyCreated
from core.ledger.accounts import ensure_currency
from core.models import Company
from core.plugins import plugins_of

__all__ = [
    "create_company",
    "get_company",
    "list_companies",
    "set_lock_date",
    "update_company",
    "validate_code",
]

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")


def validate_code(code: str, what: str = "company code") -> str:
    code = code.strip().upper()
    if not _CODE.match(code):
        raise Invalid(f"{what} {code!r} must be 1-20 letters, digits, '-' or '_'")
    return code


def create_company(session: Session, code: str, name: str, currency: str, *, country: Optional[str] = None,
                   timezone: str = "UTC", fiscal_year_start_month: int = 1,
                   plugins: Iterable[str] = ()) -> Company:
    """Create a company, install ``plugins`` for it and announce it."""
    from core.installation import install

    code = validate_code(code)
    settings = _settings(name, country, timezone, fiscal_year_start_month)
    commodity = ensure_currency(session, currency)
    if session.scalar(select(Company.id).where(Company.code == code)) is not None:
        raise Conflict(f"company {code!r} exists already")
    company = Company(code=code, currency=commodity.code, **settings)
    session.add(company)
    session.flush()
    if plugins:
        install(session, company, plugins)
    event = CompanyCreated(
        company_id=company.id, code=company.code, name=company.name, currency=company.currency
    )
    plugins_of(session).for_company(session, company).company_created(
        session=session, company=company, event=event
    )
    return company


def _settings(name: str, country: Optional[str], timezone: str, fiscal_year_start_month: int) -> dict:
    """The changeable settings of a company, checked and normalised."""
    if not name.strip():
        raise Invalid("company name must not be empty")
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise Invalid(f"country {country!r} must be a two-letter ISO code")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {timezone!r}") from None
    if not 1 <= fiscal_year_start_month <= 12:
        raise Invalid("fiscal year start month must be 1..12")
    return {"name": name.strip(), "country": country.upper() if country else None, "timezone": timezone,
            "fiscal_year_start_month": fiscal_year_start_month}


def update_company(session: Session, company: Company, *, name: str, country: Optional[str], timezone: str,
                   fiscal_year_start_month: int) -> Company:
    """Change a company's settings (its code and currency never change: the books are kept in it)."""
    settings = _settings(name, country, timezone, fiscal_year_start_month)
    changed = {key: value for key, value in settings.items() if getattr(company, key) != value}
    for key, value in changed.items():
        setattr(company, key, value)
    session.flush()
    if changed:
        audit.by_actor(session, audit.COMPANY_CHANGED, company=company,
                       detail=", ".join(f"{key}={value}" for key, value in changed.items()))
    return company


def get_company(session: Session, code: Optional[str]) -> Company:
    if not code:
        raise Invalid("no company given: use --company CODE or set JANGBU_COMPANY")
    company = session.scalar(select(Company).where(Company.code == code.strip().upper()))
    if company is None:
        raise NotFound(f"unknown company {code!r}")
    return company


def list_companies(session: Session) -> list[Company]:
    return list(session.scalars(select(Company).order_by(Company.code)))


def set_lock_date(session: Session, company: Company, lock_date: Optional[dt.date]) -> Company:
    """Nothing dated on or before ``lock_date`` can be posted any more.

    The lock date only moves forward; finance's period close is the usual caller.
    """
    # Read under a row lock: posts hold a share lock on the company until they
    # commit, so none is in flight across the new lock date, and two closes
    # cannot move the date backwards between them.
    current = session.scalar(select(Company.lock_date).where(Company.id == company.id).with_for_update())
    if current is not None and (lock_date is None or lock_date < current):
        raise Conflict(f"the lock date of {company.code} cannot move back from {current}")
    company = session.get(Company, company.id)  # this session's copy, whoever loaded the caller's
    company.lock_date = lock_date
    session.flush()
    audit.by_actor(session, audit.COMPANY_CHANGED, company=company, detail=f"lock_date={lock_date}")
    return company

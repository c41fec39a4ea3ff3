"""What the CRM services share: amounts in the company currency, the users
who own leads, opportunities and activities, and short text checks.

Amounts are integers of the currency's smallest unit in storage and
``Decimal`` at the API; a user named as an owner must be a member of the
company.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import Invalid, NotFound
from core.models import Company, Membership, User
from core.scoping import find_one
from core.values import check_length, from_units, normalise, parse_amount, parse_date
from plugins.sales.models import Lead

__all__ = ["amount_units", "amount", "member", "text", "optional_text", "optional_date", "whole_number",
           "username_of", "find_lead"]


def _scale(company: Company) -> int:
    return CURRENCIES[company.currency][1]


def amount_units(company: Company, value, *, what: str = "amount") -> int:
    """A non-negative amount of the company currency typed by a person, in its smallest unit."""
    units = normalise(parse_amount(value), _scale(company), what=what)[0]
    if units < 0:
        raise Invalid(f"{what} must not be negative, not {value}")
    return units


def amount(company: Company, units: Optional[int]) -> Optional[Decimal]:
    return None if units is None else from_units(units, _scale(company))


def member(session: Session, company: Company, username: Optional[str]) -> Optional[User]:
    """The user ``username`` when they have a role in ``company``; ``None`` for no name."""
    if username is None or not str(username).strip():
        return None
    user = session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        User.username == str(username).strip(), Membership.company_id == company.id).limit(1))
    if user is None:
        raise NotFound(f"unknown user {str(username).strip()!r} in company {company.code}")
    return user


def username_of(user: Optional[User]) -> Optional[str]:
    return user.username if user is not None else None


def text(value, what: str, limit: int) -> str:
    """Required text, stripped, at most ``limit`` characters."""
    cleaned = optional_text(value, what, limit)
    if cleaned is None:
        raise Invalid(f"{what} must not be empty")
    return cleaned


def optional_text(value, what: str, limit: int) -> Optional[str]:
    if value is None:
        return None
    cleaned = str(value).strip()
    check_length(what, cleaned, limit)
    return cleaned or None


def optional_date(value, what: str = "date") -> Optional[dt.date]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value)
    except Invalid:
        raise Invalid(f"malformed {what} {value!r}: use YYYY-MM-DD") from None


def whole_number(value, what: str, *, low: int = 0, high: int = 10**9) -> Optional[int]:
    """An optional whole number between ``low`` and ``high``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Invalid(f"{what} must be a whole number")
    if isinstance(value, int):
        number = value
    else:
        cleaned = str(value).strip().replace(",", "")
        if not (cleaned.isascii() and cleaned.lstrip("-").isdigit()):
            raise Invalid(f"{what} must be a whole number, not {value!r}")
        number = int(cleaned)
    if not low <= number <= high:
        raise Invalid(f"{what} must be from {low} to {high}, not {number}")
    return number


def find_lead(session: Session, company: Company, number: str) -> Lead:
    return find_one(session, Lead, company, "lead", number=str(number).strip().upper())

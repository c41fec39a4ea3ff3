"""Small things the services share: today, who acts, finding documents by number, origins."""

from __future__ import annotations

import datetime as dt
from typing import Optional, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound, PermissionDenied
from core.models import Company, User
from core.values import check_length, parse_date

__all__ = [
    "today",
    "day",
    "user_of",
    "require_approver",
    "find_document",
    "ORIGIN",
    "origin_of",
    "order_number_of",
    "clean_text",
]

T = TypeVar("T")
ORIGIN = "procurement:"


def today() -> dt.date:
    return dt.date.today()


def day(value: Optional[dt.date | str]) -> dt.date:
    return today() if value is None or value == "" else parse_date(value)


def user_of(session: Session, user: Optional[User | str]) -> Optional[User]:
    """A :class:`User` given as itself or by username (``None`` stays ``None``)."""
    if user is None or isinstance(user, User):
        return user
    name = str(user).strip()
    found = session.scalar(select(User).where(User.username == name))
    if found is None:
        raise NotFound(f"unknown user {name!r}")
    return found


def require_approver(session: Session, company: Company, user: Optional[User | str], what: str) -> User:
    """The user who approves ``what``: named, active, holding ``procurement.approve`` in ``company``."""
    from core.users import has_permission

    found = user_of(session, user)
    if found is None:
        raise Invalid(f"{what} needs the user who approves it (a user with procurement.approve)")
    if not has_permission(session, found, company, "procurement.approve"):
        raise PermissionDenied(f"{found.username} may not procurement.approve in {company.code}: "
                               f"{what} needs a purchasing manager")
    return found


def find_document(session: Session, model: type[T], company: Company, what: str, number: str) -> T:
    """A document of ``company`` by its number (case-insensitive), or :class:`NotFound`."""
    code = (number or "").strip().upper()
    row = session.scalar(select(model).where(model.company_id == company.id, model.number == code))
    if row is None:
        raise NotFound(f"unknown {what} {number!r} in company {company.code}")
    return row


def origin_of(number: str) -> str:
    return f"{ORIGIN}{number}"


def order_number_of(origin: Optional[str]) -> Optional[str]:
    """``"procurement:PO00001"`` -> ``"PO00001"``; anything else -> ``None``."""
    if not origin or not origin.startswith(ORIGIN):
        return None
    return origin[len(ORIGIN):]


def clean_text(value: Optional[str], what: str, limit: int, *, required: bool = False) -> Optional[str]:
    text = (value or "").strip() or None
    if text is None and required:
        raise Invalid(f"{what} must not be empty")
    check_length(what, text, limit)
    return text

"""The audit log: append-only, written in the same transaction as what it records.

Sign-ins (and their failures, which also drive the sign-in throttle),
permission refusals, plugin installs, posts and reversals, user and role
changes. Rows are never updated or deleted (triggers refuse it, as for the
ledger).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.models import AuditEntry, Company, User, utcnow

__all__ = ["record", "failures_since", "entries", "window", "LOGIN", "LOGIN_FAILED", "LOGOUT", "DENIED"]

LOGIN = "login"
LOGIN_FAILED = "login.failed"
LOGOUT = "logout"
DENIED = "permission.denied"


def record(session: Session, action: str, *, user: Optional[User] = None, username: Optional[str] = None,
           company: Optional[Company] = None, address: Optional[str] = None, detail: str = "") -> AuditEntry:
    entry = AuditEntry(action=action, user_id=user.id if user else None,
                       username=user.username if user else username, company_id=company.id if company else None,
                       address=address, detail=detail)
    session.add(entry)
    session.flush()
    return entry


def failures_since(session: Session, since: dt.datetime, *, username: str, address: Optional[str]) -> int:
    """Failed sign-ins for this account or from this address since ``since``."""
    return session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == LOGIN_FAILED, AuditEntry.created_at >= since,
        or_(AuditEntry.username == username, AuditEntry.address == address))) or 0


def entries(session: Session, company: Company, limit: int = 200) -> list[AuditEntry]:
    """The newest entries about ``company`` (and sign-ins of its members)."""
    return list(session.scalars(select(AuditEntry).where(AuditEntry.company_id == company.id)
                                .order_by(AuditEntry.id.desc()).limit(limit)))


def window(minutes: int) -> dt.datetime:
    """The moment ``minutes`` ago (UTC), for ``failures_since``."""
    return utcnow() - dt.timedelta(minutes=minutes)

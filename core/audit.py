"""The audit log: append-only, written in the same transaction as what it records.

Sign-ins (and their failures, which also drive the sign-in throttle),
permission refusals, plugin installs, posts and reversals, user and role
changes. Rows are never updated or deleted (triggers refuse it, as for the
ledger).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import attrs
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.models import AuditEntry, Company, User, utcnow

__all__ = ["record", "by_actor", "act_as", "Actor", "failures_since", "entries", "window", "ACTIONS",
           "LOGIN", "LOGIN_FAILED", "LOGOUT", "DENIED", "INSTALLED", "UNINSTALLED", "POSTED", "REVERSED",
           "ROLE_GRANTED", "ROLE_REVOKED", "COMPANY_CHANGED", "USER_CREATED"]

LOGIN = "login"
LOGIN_FAILED = "login.failed"
LOGOUT = "logout"
DENIED = "permission.denied"
INSTALLED = "plugin.installed"
UNINSTALLED = "plugin.uninstalled"
POSTED = "ledger.posted"
REVERSED = "ledger.reversed"
ROLE_GRANTED = "role.granted"
ROLE_REVOKED = "role.revoked"
COMPANY_CHANGED = "company.changed"
USER_CREATED = "user.created"
ACTIONS = (LOGIN, LOGIN_FAILED, LOGOUT, DENIED, INSTALLED, UNINSTALLED, POSTED, REVERSED,
           ROLE_GRANTED, ROLE_REVOKED, COMPANY_CHANGED, USER_CREATED)

_ACTOR = "jangbu.actor"


@attrs.frozen
class Actor:
    """The person behind a session's changes: who, and from which address."""

    user: User
    address: Optional[str] = None


def act_as(session: Session, user: User, address: Optional[str] = None) -> None:
    """Attribute what ``session`` changes from now on to ``user`` (the web does, per request)."""
    session.info[_ACTOR] = Actor(user, address)


def record(session: Session, action: str, *, user: Optional[User] = None, username: Optional[str] = None,
           company: Optional[Company] = None, address: Optional[str] = None, detail: str = "") -> AuditEntry:
    entry = AuditEntry(
        action=action,
        user_id=user.id if user else None,
        username=user.username if user else username,
        company_id=company.id if company else None,
        address=address,
        detail=detail,
    )
    session.add(entry)
    session.flush()
    return entry


def by_actor(
    session: Session, action: str, *, company: Optional[Company], detail: str
) -> Optional[AuditEntry]:
    """Record ``action`` when the session acts for a person (see ``act_as``).

    Services call this for the changes the audit log keeps; sessions without
    an actor (tests, bulk scripts) record nothing and pay nothing.
    """
    actor = session.info.get(_ACTOR)
    if actor is None:
        return None
    return record(session, action, user=actor.user, company=company, address=actor.address, detail=detail)


def failures_since(session: Session, since: dt.datetime, *, username: str, address: Optional[str]) -> int:
    """Failed sign-ins for this account or from this address since ``since``."""
    return session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == LOGIN_FAILED, AuditEntry.created_at >= since,
        or_(AuditEntry.username == username, AuditEntry.address == address))) or 0


def entries(session: Session, company: Company, limit: int = 200) -> list[AuditEntry]:
    """The newest entries about ``company`` (sign-ins belong to no company and are not among them)."""
    return list(session.scalars(select(AuditEntry).where(AuditEntry.company_id == company.id)
                                .order_by(AuditEntry.id.desc()).limit(limit)))


def window(minutes: int) -> dt.datetime:
    """The moment ``minutes`` ago (UTC), for ``failures_since``."""
    return utcnow() - dt.timedelta(minutes=minutes)

"""What the CRM tests share: counting rows, users with sales roles, an event listener."""

from __future__ import annotations

from sqlalchemy import func, select

from core import hookimpl
from core.companies import get_company
from core.users import create_user, grant

__all__ = ["count", "salespeople", "Listener", "company_of"]


def count(sdb, model, **where) -> int:
    with sdb.session() as s:
        return s.scalar(select(func.count()).select_from(model).filter_by(**where))


def company_of(s, code="ACME"):
    return get_company(s, code)


def salespeople(sdb, code="ACME", names=("kim", "lee")) -> None:
    """Users with the salesperson role (no password hashing worth waiting for: a short password)."""
    with sdb.session() as s:
        company = get_company(s, code)
        for name in names:
            grant(s, create_user(s, name, "pw-" + name * 4), company, "salesperson")


class Listener:
    """Records the opportunity events it hears; refuses them when told to."""

    def __init__(self, refuse: bool = False):
        self.heard, self.refuse = [], refuse

    @hookimpl
    def opportunity_won(self, session, company, event):
        self._hear(event)

    @hookimpl
    def opportunity_lost(self, session, company, event):
        self._hear(event)

    def _hear(self, event):
        if self.refuse:
            from core.errors import Conflict

            raise Conflict(f"listener refuses {event.number}")
        self.heard.append(event)

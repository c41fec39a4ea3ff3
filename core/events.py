"""Events core announces. Every event is an attrs frozen value.

Events are announced through a hook of the same meaning, inside the database
transaction of the operation that caused them: a handler that raises rolls
the whole operation back. Work that must leave the database (mail, webhooks)
goes to the outbox (``core.outbox``) and is sent only after commit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs

from core.models import utcnow

__all__ = [
    "Event",
    "CompanyCreated",
    "PluginInstalled",
    "PluginUninstalled",
    "PostedLeg",
    "TransactionPosted",
]


@attrs.frozen(kw_only=True)
class Event:
    """Base of every event: which company, and when (UTC)."""

    company_id: int
    occurred_at: dt.datetime = attrs.field(factory=utcnow)


@attrs.frozen(kw_only=True)
class CompanyCreated(Event):
    code: str
    name: str
    currency: str


@attrs.frozen(kw_only=True)
class PluginInstalled(Event):
    plugin: str
    version: str
    reinstalled: bool


@attrs.frozen(kw_only=True)
class PluginUninstalled(Event):
    plugin: str


@attrs.frozen
class PostedLeg:
    """One posting as the API sees it: account code, commodity code, Decimal."""

    account: str
    amount: Decimal
    commodity: str


@attrs.frozen(kw_only=True)
class TransactionPosted(Event):
    transaction_id: int
    date: dt.date
    memo: str
    legs: tuple[PostedLeg, ...]
    key: Optional[str] = None
    origin: Optional[str] = None
    reverses_id: Optional[int] = None

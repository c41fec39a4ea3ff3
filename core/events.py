"""Events core announces. Every event is an attrs frozen value.

Events are announced through a hook of the same meaning, inside the database
transaction of the operation that caused them: a handler that raises rolls
the whole operation back. Work that must leave the database (mail, webhooks)
goes to the outbox (``core.outbox``) and is sent only after commit.
"""

from __future__ import annotations

import datetime as dt

import attrs

from core.ledger.values import Posted
from core.models import utcnow

__all__ = [
    "Event",
    "CompanyCreated",
    "PluginInstalled",
    "PluginUninstalled",
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


@attrs.frozen(kw_only=True)
class TransactionPosted(Event):
    """A transaction (or a reversal: ``transaction.reverses_id``) was posted."""

    transaction: Posted

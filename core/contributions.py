"""Values plugins hand back through hooks: permissions, roles, menu items,
dashboard widgets, timeline entries, facts and search results.

All attrs frozen: a plugin builds them, core and the edges read them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs

__all__ = [
    "Permission",
    "Role",
    "MenuItem",
    "Widget",
    "TimelineEntry",
    "Fact",
    "SearchResult",
    "ALL_PERMISSIONS",
    "READ_ONLY",
]

# Sentinels a role may hold instead of a list of permission names.
ALL_PERMISSIONS = "*"
READ_ONLY = "read-only"


@attrs.frozen
class Permission:
    """Something a role may allow, named ``<plugin>.<verb>`` (``ledger.post``)."""

    name: str
    description: str
    read_only: bool = False


@attrs.frozen
class Role:
    """A named set of permissions within one company.

    ``permissions`` is a tuple of permission names, or ``ALL_PERMISSIONS``,
    or ``READ_ONLY`` (every permission marked ``read_only``).
    """

    name: str
    description: str
    permissions: tuple[str, ...] | str = ()


@attrs.frozen
class MenuItem:
    """One entry of the navigation; ``endpoint`` is a Flask endpoint name."""

    label: str
    endpoint: str
    permission: str
    order: int = 100
    icon: Optional[str] = None


@attrs.frozen
class Widget:
    """A dashboard tile; ``html`` is already escaped (charts are inline SVG)."""

    title: str
    html: str
    permission: str
    order: int = 100
    width: int = 1


@attrs.frozen
class TimelineEntry:
    """One event in a party's 360° timeline."""

    when: dt.datetime | dt.date
    plugin: str
    kind: str
    title: str
    detail: str = ""
    url: Optional[str] = None
    amount: Optional[Decimal] = None
    currency: Optional[str] = None


@attrs.frozen
class Fact:
    """A labelled figure a plugin knows about a record (``On hand: 12 pcs``)."""

    plugin: str
    label: str
    value: str
    url: Optional[str] = None


@attrs.frozen
class SearchResult:
    plugin: str
    kind: str
    title: str
    url: str
    score: int = 0

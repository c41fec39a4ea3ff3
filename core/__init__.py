"""Jangbu's small core: the shared nouns, the ledger, the hook contract and
the plugin manager. Plugins import from here; core never imports a plugin."""

from core import (  # noqa: F401  (installs ORM guards; the counter table)
    ledger,
    lengths,  # noqa: F401  (first of the ORM guards: a text too long is refused before any other runs)
    numbering,
    scoping,
)
from core.contributions import Fact, MenuItem, Permission, Role, SearchResult, TimelineEntry, Widget
from core.db import Base, make_engine, make_session_factory, transaction
from core.errors import JangbuError
from core.hookspecs import hookimpl, hookspec
from core.models import Company, Party, PartyKind, Product, Unit, User
from core.plugins import PluginInfo, Plugins, get_plugin_manager, plugins_of
from core.values import Money, Quantity

__all__ = [
    "Base",
    "Company",
    "Fact",
    "JangbuError",
    "MenuItem",
    "Money",
    "Party",
    "PartyKind",
    "Permission",
    "PluginInfo",
    "Plugins",
    "Product",
    "Quantity",
    "Role",
    "SearchResult",
    "TimelineEntry",
    "Unit",
    "User",
    "Widget",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "ledger",
    "make_engine",
    "make_session_factory",
    "plugins_of",
    "transaction",
]

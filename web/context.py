"""What a view reaches for: the request's database session and the plugins.

Kept apart from ``web.app`` so the blueprints can import it at module level.
"""

from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy.orm import Session

from core.db import READ_ONLY
from core.plugins import Plugins

__all__ = ["db_session", "plugins_of_app", "company_hooks"]

_READING = frozenset({"GET", "HEAD"})


def db_session() -> Session:
    """The request's database session (one transaction; see ``web.app``).

    A GET reads: on SQLite its transaction is a snapshot that never holds the
    write lock, so a long report does not hold up posting.
    """
    if "db" not in g:
        g.db = current_app.extensions["jangbu"]["session_factory"]()
        g.db.begin()
        if request.method in _READING:
            g.db.connection(execution_options={READ_ONLY: True})
    return g.db


def plugins_of_app() -> Plugins:
    return current_app.extensions["jangbu"]["plugins"]


def company_hooks():
    """Hooks reaching core and the plugins the URL's company installed."""
    return plugins_of_app().for_company(db_session(), g.company)

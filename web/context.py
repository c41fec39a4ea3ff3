"""What a view reaches for: the request's database session and the plugins.

Kept apart from ``web.app`` so the blueprints can import it at module level.
"""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from core.plugins import Plugins

__all__ = ["db_session", "plugins_of_app", "company_hooks"]


def db_session() -> Session:
    """The request's database session (one transaction; see ``web.app``)."""
    if "db" not in g:
        g.db = current_app.extensions["jangbu"]["session_factory"]()
        g.db.begin()
    return g.db


def plugins_of_app() -> Plugins:
    return current_app.extensions["jangbu"]["plugins"]


def company_hooks():
    """Hooks reaching core and the plugins the URL's company installed."""
    return plugins_of_app().for_company(db_session(), g.company)

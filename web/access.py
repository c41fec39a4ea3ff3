"""Who may open which page: deny by default.

Every view declares what it needs with ``@permission("ledger.view")``,
``@signed_in`` (any signed-in user) or ``@public``; a view that declares
nothing answers 403 for everyone, and a test walks ``app.url_map`` so such
a route fails CI. Pages under ``/c/<company>/`` load ``g.company``; a user
who is not a member, or a plugin page of a company that has not installed
the plugin, gets 404 — the same answer as a company that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

from flask import Flask, abort, g, has_request_context, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from core import audit
from core.models import Company
from core.plugins import Plugins
from core.users import permissions_of

__all__ = ["permission", "signed_in", "public", "PUBLIC", "SIGNED_IN", "needs", "link_for", "init_access"]

PUBLIC = "public"
SIGNED_IN = "signed-in"
_ATTRIBUTE = "jangbu_permission"


def permission(name: str) -> Callable:
    """The view needs ``name`` in the company of its URL."""
    def mark(view: Callable) -> Callable:
        setattr(view, _ATTRIBUTE, name)
        return view
    return mark


signed_in = permission(SIGNED_IN)
public = permission(PUBLIC)


def needs(view: Callable) -> Optional[str]:
    """What a view declared, or ``None``."""
    return getattr(view, _ATTRIBUTE, None)


def link_for(needed: str, endpoint: str, **values) -> Optional[str]:
    """The URL of ``endpoint`` when drawn on a page of a user who holds ``needed`` (a plugin's facts on
    a shared page link to the plugin's own pages); ``None`` off a page, without it, or with no such page."""
    if not has_request_context() or needed not in g.get("permissions", ()):
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def init_access(app: Flask, plugins: Plugins, unauthorized: Callable, session_for_request: Callable) -> None:
    plugin_names = set(plugins.names())

    @app.url_value_preprocessor
    def _take_company(_endpoint: Optional[str], values: Optional[dict]) -> None:
        if values and "company" in values:
            g.company_code = values.pop("company")

    @app.url_defaults
    def _add_company(endpoint: str, values: dict) -> None:
        # An unknown endpoint is left to url_for, which names it in a BuildError (werkzeug's
        # is_endpoint_expecting would raise a bare KeyError instead).
        if "company" not in values and "company" in g and endpoint in app.view_functions \
                and app.url_map.is_endpoint_expecting(endpoint, "company"):
            values["company"] = g.company.code

    @app.before_request
    def _enforce():
        if request.endpoint is None or request.endpoint == "static":
            return None
        needed = needs(app.view_functions[request.endpoint])
        if needed is None:
            abort(403)  # the view declared nothing: deny by default
        if needed == PUBLIC:
            return None
        if not current_user.is_authenticated:
            return unauthorized()
        session = session_for_request()
        audit.act_as(session, current_user.user, request.remote_addr)  # what this request changes is theirs
        if "company_code" not in g:
            return None
        company = session.scalar(select(Company).where(Company.code == g.company_code))
        # What the user may do here, once per request (menus and pages read g.permissions);
        # nothing at all means no role in this company: the same 404 as no such company.
        allowed = permissions_of(session, current_user.user, company) if company is not None else frozenset()
        if not allowed:
            abort(404)
        blueprint = request.blueprint
        if blueprint in plugin_names and not plugins.is_installed(session, company, blueprint):
            abort(404)
        g.company, g.permissions = company, allowed
        if needed != SIGNED_IN and needed not in allowed:
            # The refusal is kept although the response is an error: a unit of work of its own,
            # begun afresh (a reading request's snapshot cannot write).
            session.rollback()
            audit.record(session, audit.DENIED, user=current_user.user, company=company,
                         address=request.remote_addr, detail=f"{needed} at {request.path}")
            session.commit()
            abort(403)
        return None

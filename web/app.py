"""The application factory.

Each request gets one database session (``g.db``), committed when the
response is a success (status below 400) and rolled back otherwise. A plugin's blueprint lives at
``/c/<company>/<plugin>/``: before any of its views runs, the company is
loaded into ``g.company`` and a company that has not installed the plugin
gets 404, exactly like a company that does not exist.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Optional

from flask import Flask, abort, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import default_database_url, make_engine, make_session_factory
from core.errors import JangbuError, NotFound, PermissionDenied
from core.models import Company
from core.plugins import Plugins, get_plugin_manager

__all__ = ["create_app", "db_session"]


def _secret_key(app: Flask) -> str:
    """``JANGBU_SECRET_KEY``, else one generated once and kept in the instance folder."""
    configured = os.environ.get("JANGBU_SECRET_KEY")
    if configured:
        return configured
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def db_session() -> Session:
    """The request's database session."""
    if "db" not in g:
        g.db = current_app.extensions["jangbu"]["session_factory"]()
        g.db.begin()
    return g.db


def create_app(config: Optional[dict[str, Any]] = None, plugin_manager: Optional[Plugins] = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("JANGBU_INSTANCE_PATH") or str(Path.cwd() / "instance"))
    app.config.update(DATABASE_URL=os.environ.get("JANGBU_DATABASE_URL") or default_database_url(),
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    plugins = plugin_manager if plugin_manager is not None else get_plugin_manager()
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    factory = make_session_factory(engine, plugins)
    app.extensions["jangbu"] = {"plugins": plugins, "engine": engine, "session_factory": factory}

    @app.after_request
    def _commit(response):
        # Only a successful response keeps what the request wrote; a commit
        # that fails raises here and becomes a 500, never a false 200.
        session = g.get("db")
        if session is not None and session.in_transaction():
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        return response

    @app.teardown_request
    def _end_session(_exc: Optional[BaseException]) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.rollback()  # a no-op after the commit above; undoes anything an error left
            session.close()

    @app.errorhandler(JangbuError)
    def _refused(exc: JangbuError):
        status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400
        db = g.pop("db", None)
        if db is not None:
            db.rollback()
            db.close()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=str(exc)), status
        return str(exc), status

    scoped = set()
    for blueprint in plugins.collect("register_blueprints"):
        plugins.info(blueprint.name)  # a blueprint is named like its plugin
        app.register_blueprint(blueprint, url_prefix=f"/c/<company>/{blueprint.name}")
        scoped.add(blueprint.name)
    _scope_plugin_pages(app, plugins, scoped)
    return app


def _scope_plugin_pages(app: Flask, plugins: Plugins, scoped: set[str]) -> None:
    """Load ``g.company`` for plugin pages; 404 where the plugin is not installed."""

    @app.url_value_preprocessor
    def _company(endpoint: Optional[str], values: Optional[dict]) -> None:
        name = (endpoint or "").partition(".")[0]
        if name not in scoped:
            return
        code = (values or {}).pop("company", None)
        session = db_session()
        company = session.scalar(select(Company).where(Company.code == code))
        if company is None or not plugins.is_installed(session, company, name):
            abort(404)
        g.company = company

    @app.url_defaults
    def _add_company(endpoint: str, values: dict) -> None:
        if endpoint.partition(".")[0] in scoped and "company" not in values and "company" in g:
            values["company"] = g.company.code

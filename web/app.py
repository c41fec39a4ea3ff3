"""The application factory.

Each request gets one database session (``g.db``), committed when the
response is a success (status below 400) and rolled back otherwise. Every
view declares what it needs (``web.access``); pages of a company live under
``/c/<company>/`` and a plugin's blueprint under ``/c/<company>/<plugin>/``,
where ``g.company`` is set before the view runs.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Optional

from flask import Flask, abort, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, ValidationError

from core.db import default_database_url, make_engine, make_session_factory
from core.errors import JangbuError, NotFound, PermissionDenied
from core.plugins import Plugins, get_plugin_manager
from core.values import as_id
from web import access, admin, auth, catalog, ledger, shell
from web.context import db_session, plugins_of_app
from web.i18n import init_i18n
from web.lists import JSONProvider, cells

__all__ = ["create_app", "db_session", "plugins_of_app"]


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


def create_app(config: Optional[dict[str, Any]] = None, plugin_manager: Optional[Plugins] = None) -> Flask:
    app = Flask(
        __name__, instance_path=os.environ.get("JANGBU_INSTANCE_PATH") or str(Path.cwd() / "instance")
    )
    # Before any rule is added: every <int:...> rule, core's and any plugin's, reads ids strictly.
    app.url_map.converters["int"] = IdConverter
    app.config.update(
        DATABASE_URL=os.environ.get("JANGBU_DATABASE_URL") or default_database_url(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("JANGBU_HTTPS") == "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # Uploads (bank statements) included: a larger request is refused (413) before it is read.
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
    )
    app.json = JSONProvider(app)
    app.jinja_env.globals["cells"] = cells
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    plugins = plugin_manager if plugin_manager is not None else get_plugin_manager()
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    factory = make_session_factory(engine, plugins)
    app.extensions["jangbu"] = {"plugins": plugins, "engine": engine, "session_factory": factory}

    CSRFProtect(app)
    init_i18n(app)
    auth.login_manager.init_app(app)
    _refuse_nul(app)  # before anything reads the request into a query
    access.init_access(app, plugins, auth.unauthorized, db_session)
    app.register_blueprint(auth.blueprint)
    for blueprint in (shell.blueprint, ledger.blueprint, catalog.parties, catalog.products, admin.blueprint):
        app.register_blueprint(blueprint)
    for blueprint in plugins.collect("register_blueprints"):
        plugins.info(blueprint.name)  # a blueprint is named like its plugin
        app.register_blueprint(blueprint, url_prefix=f"/c/<company>/{blueprint.name}")
    _transactions(app)
    _errors(app)

    @app.context_processor
    def _menu() -> dict:
        if "company" not in g or not current_user.is_authenticated:
            return {"menu": [], "permissions": frozenset()}
        groups = plugins.for_company(db_session(), g.company).menu_items(
            company=g.company, user=current_user.user
        )
        items = [item for group in groups for item in group or [] if item.permission in g.permissions]
        return {"menu": sorted(items, key=_menu_place), "permissions": g.permissions}

    # Core's entries first, then each plugin's together, plugins in dependency order: the layout
    # draws a plugin's entries as one group, whatever order numbers two plugins happen to share.
    places = {name: index for index, name in enumerate(plugins.names())}

    def _menu_place(item) -> tuple[int, int]:
        return places.get(item.endpoint.partition(".")[0], 0), item.order

    return app


class IdConverter(BaseConverter):
    """``<int:...>`` in every rule: a row id as ``core.values.as_id`` reads it.

    ASCII digits only, no sign, no leading zero, within 1..2**63-1; anything
    else does not match, so the URL is a 404 like any unknown one (werkzeug's
    own ``int`` took ``١٢٣`` and ``007`` as aliases of 123 and 7, and handed
    the database numbers beyond its 64 bits).
    """

    regex = r"[1-9][0-9]*"
    weight = 50  # werkzeug's number converters' weight: rules sort as before

    def to_python(self, value: str) -> int:
        number = as_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def _refuse_nul(app: Flask) -> None:
    @app.before_request
    def _no_nul():
        # No database stores NUL in text (PostgreSQL refuses it); a request carrying one is malformed.
        values = [request.path, *request.args.keys(), *request.args.values()]
        if request.method == "POST":
            values += [*request.form.keys(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400, _("The request contains a NUL character."))


def _transactions(app: Flask) -> None:
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


def _errors(app: Flask) -> None:
    def page(code: int, message: str):
        # What failed may have aborted the transaction (PostgreSQL then refuses every statement,
        # the menu's included): the page starts from a clean one; nothing of the request is kept.
        session = g.get("db")
        if session is not None:
            session.rollback()
        if auth.wants_json():
            return jsonify(error=message), code
        return render_template("shell/error.html", code=code, message=message), code

    @app.errorhandler(JangbuError)
    def _refused(exc: JangbuError):
        return page(
            404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400, str(exc)
        )

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return page(400, _("The form expired or did not come from this site; reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return page(exc.code or 500, exc.description or exc.name)

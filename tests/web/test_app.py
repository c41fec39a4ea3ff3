"""The app factory: configuration, the secret key, plugin blueprints."""

from __future__ import annotations

import types

import pytest
from flask import Blueprint

from core import PluginInfo, hookimpl
from core.errors import PluginError
from tests.conftest import make_plugins
from tests.web.conftest import add_user, make_app, sign_in
from web import create_app
from web.access import permission


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch, db):
    monkeypatch.delenv("JANGBU_SECRET_KEY", raising=False)
    monkeypatch.setenv("JANGBU_INSTANCE_PATH", str(tmp_path / "instance"))
    first = create_app({"ENGINE": db.engine}, db.plugins).config["SECRET_KEY"]
    again = create_app({"ENGINE": db.engine}, db.plugins).config["SECRET_KEY"]
    assert first == again and len(first) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("JANGBU_SECRET_KEY", "from-the-environment")
    assert create_app({"ENGINE": db.engine}, db.plugins).config["SECRET_KEY"] == "from-the-environment"


def test_session_cookie_is_httponly_and_lax(db):
    app = create_app({"SECRET_KEY": "x", "ENGINE": db.engine}, db.plugins)
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_a_blueprint_must_be_named_like_its_plugin(db):
    module = types.ModuleType("odd")
    module.PLUGIN = PluginInfo(name="odd", version="1")
    module.register_blueprints = hookimpl(lambda: Blueprint("even", __name__))
    with pytest.raises(PluginError, match="unknown plugin 'even'"):
        create_app({"SECRET_KEY": "x", "ENGINE": db.engine}, make_plugins(module))


def test_only_successful_responses_keep_what_the_request_wrote(db):
    from flask import abort, g

    from core.catalog import create_party
    from core.models import Party
    from web import db_session

    module = types.ModuleType("writer")
    module.PLUGIN = PluginInfo(name="writer", version="1")
    blueprint = Blueprint("writer", __name__)

    @blueprint.post("/<code>/<int:status>")
    @permission("parties.edit")
    def write(code, status):
        create_party(db_session(), g.company, code, code)
        if status == 403:
            abort(403)
        return "written", status

    module.register_blueprints = hookimpl(lambda: blueprint)
    db.use_plugins(module)
    db.company("ACME", plugins=["writer"], accounts=False)
    add_user(db, "ann", {"ACME": "admin"})
    client = sign_in(make_app(db, WTF_CSRF_ENABLED=False).test_client(), "ann")
    assert client.post("/c/ACME/writer/KEPT/200").status_code == 200
    assert client.post("/c/ACME/writer/ABORTED/403").status_code == 403
    assert client.post("/c/ACME/writer/REFUSED/400").status_code == 400
    with db.session() as s:
        assert [p.code for p in s.query(Party).all()] == ["KEPT"]

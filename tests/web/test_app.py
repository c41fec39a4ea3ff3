"""The app factory: configuration, the secret key, plugin blueprints."""

from __future__ import annotations

import types

import pytest
from flask import Blueprint

from core import PluginInfo, hookimpl
from core.errors import PluginError
from tests.conftest import make_plugins
from web import create_app


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

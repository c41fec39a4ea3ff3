"""Web fixtures: an app on the test database and signed-in clients."""

from __future__ import annotations

import jinja2
import pytest

from core.companies import get_company
from core.users import create_user, grant
from web import create_app

PASSWORD = "correct horse battery"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once for the whole run, not once per test's app (each
    app has its own Jinja environment; compiling the templates a page test
    renders cost it more than the test itself). Keyed by the source's checksum."""

    def __init__(self):
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def share_url_builders(patch: pytest.MonkeyPatch) -> None:
    """Every app a test makes compiles a URL builder (Python source, ``compile()``)
    for each of its few hundred routes: a fifth of the suite's time. The
    builder is a pure function of the rule (its trace, defaults and whether it
    appends unknown arguments), so one compiled for a rule serves every later
    app with the same rule."""
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None:  # werkzeug changed: no sharing, only slower
        return
    builders: dict[tuple, object] = {}

    def compile_builder(rule, append_unknown=True):
        key = (rule.rule, tuple(rule._trace), repr(sorted((rule.defaults or {}).items())),
               tuple((name, type(c), repr(sorted((k, v) for k, v in vars(c).items() if k != "map")))
                     for name, c in sorted(rule._converters.items())),
               append_unknown)
        if key not in builders:
            builders[key] = original(rule, append_unknown)
        return builders[key]

    patch.setattr(Rule, "_compile_builder", compile_builder)


def make_app(db, **config):
    app = create_app({"SECRET_KEY": "test", "ENGINE": db.engine, "TESTING": True, **config}, db.plugins)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


def add_user(db, username: str, roles: dict[str, str]):
    """A user with ``{company code: role}``."""
    with db.session() as s:
        user = create_user(s, username, PASSWORD)
        for code, role in roles.items():
            grant(s, user, get_company(s, code), role)
    return user


def sign_in(client, username: str, password: str = PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def app(db):
    """CSRF off: the tests that prove CSRF turn it back on."""
    return make_app(db, WTF_CSRF_ENABLED=False)


@pytest.fixture
def acme(db):
    """ACME (memo installed) with admin ann, viewer viv and accountant abe; OTHER beside it."""
    db.company("ACME", plugins=["memo"])
    db.company("OTHER")
    add_user(db, "ann", {"ACME": "admin"})
    add_user(db, "viv", {"ACME": "viewer"})
    add_user(db, "abe", {"ACME": "accountant"})
    add_user(db, "oli", {"OTHER": "admin"})
    return db


@pytest.fixture
def ann(app, acme):
    from tests.web.pages import signed_in

    return signed_in(app, "ann")

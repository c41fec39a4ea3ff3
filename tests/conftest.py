"""Fixtures: databases on SQLite (always) and PostgreSQL (when
``JANGBU_TEST_DATABASE_URL`` is set), plugin managers built explicitly (never
from installed entry points), a CLI runner and companies with accounts."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from click.testing import CliRunner
from filelock import FileLock
from sqlalchemy.engine import Engine
from werkzeug.security import generate_password_hash

from cli import context as cli_context
from cli import create_cli
from core import get_plugin_manager, make_session_factory, transaction, users
from core.companies import create_company, get_company
from core.ledger import create_account
from core.models import Company
from tests.databases import BASE, Databases, family_of
from tests.example_plugins import memo

pytest_plugins = ["pytester", "tests.report"]

PG_URL = os.environ.get("JANGBU_TEST_DATABASE_URL")
ENGINES = ["sqlite"] + (["postgresql"] if PG_URL else [])
CHEAP_PASSWORD_METHOD = "pbkdf2:sha256:1"
PRODUCTION_PASSWORD_METHOD = users._METHOD
PRODUCTION_DUMMY_HASH = users._DUMMY_HASH


def make_plugins(*extra):
    """Core, the example plugin ``memo`` and ``extra``, no entry points."""
    return get_plugin_manager([memo, *extra], entry_points=False)


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc):
    """``@pytest.mark.one_engine("sqlite", reason="...")`` narrows ``db`` to one
    engine; the reason is required, so it is written beside the test."""
    marker = metafunc.definition.get_closest_marker("one_engine")
    if marker is None or "db" not in metafunc.fixturenames:
        return
    if not marker.kwargs.get("reason"):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: one_engine(...) needs reason=")
    # As a mark, so that pytest knows ``db`` is parametrized here and not by its fixture.
    engines = [engine for engine in marker.args if engine in ENGINES]
    metafunc.definition.add_marker(pytest.mark.parametrize("db", engines, indirect=True))


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """The tests that read the shared demo run on one worker, one after the
    other (``--dist loadgroup``): the first builds it and no other worker
    stands waiting for the build. (A wrapper: xdist reads the group mark in
    its own implementation of this hook, which must come after.)"""
    for item in items:
        if "shared_demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("shared-demo"))
    return (yield)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """scrypt costs ~0.1 s a hash by design; the suite hashes with one round of
    PBKDF2 instead (``real_password_hashing`` puts scrypt back for one test)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(users, "_METHOD", CHEAP_PASSWORD_METHOD)
    patch.setattr(
        users, "_DUMMY_HASH", generate_password_hash("not a password", method=CHEAP_PASSWORD_METHOD)
    )
    yield
    patch.undo()


@pytest.fixture(scope="session", autouse=True)
def shared_url_builders():
    """See ``tests.web.conftest.share_url_builders``."""
    from tests.web.conftest import share_url_builders

    patch = pytest.MonkeyPatch()
    share_url_builders(patch)
    yield
    patch.undo()


@pytest.fixture
def real_password_hashing(monkeypatch):
    """The production hasher (scrypt), for the tests of hashing itself."""
    monkeypatch.setattr(users, "_METHOD", PRODUCTION_PASSWORD_METHOD)
    monkeypatch.setattr(users, "_DUMMY_HASH", PRODUCTION_DUMMY_HASH)


class Db:
    """One test's database: a copy (SQLite) or a reset (PostgreSQL) of a
    template, opened on first use with the plugin manager the test chose.

    ``use_plugins`` before first use costs nothing: the database is opened
    from the template of the chosen plugins' family. Builders of test data
    decorated with ``templated`` (``make_books``, ``make_stock_company``, ...)
    run once per run and leave a template of the state they make, copied for
    every later test (see ``tests/databases.py``); one stacks on another as
    long as nothing else has reached the database in between (``untouched``:
    no connection was taken from the engine, no URL handed out).

    The engine is one per worker and engine kind (SQLite: one file, replaced
    for each test; PostgreSQL: the family's database), so SQLAlchemy's cache
    of compiled statements stays warm from test to test.
    """

    def __init__(self, dialect: str, databases: Databases):
        self.dialect = dialect
        self._databases = databases
        databases.on_use = self._used
        self.plugins = make_plugins()
        self._engine: Engine | None = None
        self._family: tuple[str, ...] | None = None
        self._factory = None
        self._recipe: tuple[str, ...] = ()  # the states stacked to make what the database holds
        self.untouched = True

    def _used(self) -> None:
        self.untouched = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._open(BASE)
        return self._engine

    @property
    def url(self) -> str:
        self.untouched = False  # another process or engine may write through it
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def factory(self):
        if self._factory is None:
            self._factory = make_session_factory(self.engine, self.plugins)
        return self._factory

    def session(self):
        return transaction(self.factory)

    def use_plugins(self, *extra) -> None:
        """Switch to a plugin manager with ``extra`` plugins besides memo.

        Once the database is open, a plugin that owns tables opens its
        family's fresh database instead (what was written is left behind).
        """
        self.plugins = make_plugins(*extra)
        self._factory = None
        if self._engine is not None and family_of(self.plugins) != self._family:
            self._open(BASE)

    def stack(self, key: str, build: Callable[["Db"], object]):
        """``build(self)`` on top of the state the database is in, kept as a
        template too; only while ``untouched`` (else the state is unknown)."""
        assert self.untouched, "stack() on a database in use: its state is no template's"
        self.engine  # noqa: B018 - opened, if it was not
        family, recipe = family_of(self.plugins), (*self._recipe, key)
        name = " / ".join(recipe)
        results = self._databases.results
        if self._has(family, name):
            self._open(name)
            result = results[self.dialect, family, name]
            result = self.load(result.code) if isinstance(result, _CompanyCode) else result
        else:
            result = build(self)
            kept = _CompanyCode(result.code) if isinstance(result, Company) else result
            if _plain(kept):
                results[self.dialect, family, name] = kept
                if self.dialect == "sqlite":
                    self._databases.sqlite.capture(family, name, self._databases.sqlite_path)
                else:
                    self._databases.postgres(family, self.plugins).capture(name)
        self._recipe, self.untouched = recipe, True
        return result

    def load(self, code: str = "ACME") -> Company:
        """Company ``code`` as the database holds it (loaded, detached); reading
        leaves the database ``untouched``."""
        untouched = self.untouched
        with self.session() as s:
            company = get_company(s, code)
        self.untouched = untouched
        return company

    def _has(self, family, key: str) -> bool:
        if self.dialect == "sqlite":
            return self._databases.sqlite.has(family, key)
        return self._databases.postgres(family, self.plugins).has(key)

    def _open(self, key: str) -> None:
        family = family_of(self.plugins)
        self._factory = None
        if self.dialect == "sqlite":
            templates = self._databases.sqlite
            template = templates.base(family, self.plugins) if key == BASE else templates.file(family, key)
            self._engine = self._databases.sqlite_copy(template)
        else:
            postgres = self._databases.postgres(family, self.plugins)
            postgres.restore(key)
            self._engine = postgres.engine
        self._family = family
        self._recipe = () if key == BASE else tuple(key.split(" / "))
        self.untouched = True

    def close(self) -> None:
        """Let go of the engine; it stays open for the next test (the next open resets what it reaches)."""
        self._engine, self._factory = None, None
        if self._databases.on_use == self._used:
            self._databases.on_use = None

    def company(self, code: str = "ACME", *, currency: str = "KRW", plugins=(), accounts=True):
        """A company with a small chart: cash (no negative), bank, sales, stock."""
        return make_company(self, code, currency=currency, plugins=tuple(plugins), accounts=accounts)


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Databases:
    """This worker's templates (SQLite files, PostgreSQL family databases)."""
    pool = Databases(tmp_path_factory.mktemp("templates"), PG_URL)
    yield pool
    pool.close()


@pytest.fixture(params=ENGINES)
def db(request, databases) -> Db:
    database = Db(request.param, databases)
    yield database
    database.close()


@pytest.fixture(scope="session", autouse=True)
def cli_engines_of_the_test_databases(databases):
    """The CLI run in-process (``CliRunner``) reaches the test database
    through the engine the test uses instead of a new one per invocation: the
    same ``make_engine`` settings, without compiling every statement again."""
    patch = pytest.MonkeyPatch()
    patch.setattr(cli_context, "make_engine", databases.engine_for)
    yield
    patch.undo()


def templated(build):
    """Make a builder of test data (``build(db, *args, **kwargs)``) a template:
    called while the database is ``untouched`` (nothing but other templated
    builders reached it since it was opened), its state is built once per run
    for the same arguments and copied after (``Db.stack``). Called on a
    database in use, or with arguments that have no stable ``repr``, or
    returning more than a company or plain values, it simply runs."""

    @functools.wraps(build)
    def wrapper(db, *args, **kwargs):
        key = f"{build.__module__}.{build.__qualname__}{args!r}{sorted(kwargs.items())!r}"
        if not db.untouched or " at 0x" in key:
            return build(db, *args, **kwargs)
        return db.stack(key, lambda database: build(database, *args, **kwargs))

    return wrapper


@attrs.frozen
class _CompanyCode:
    code: str


def _plain(value) -> bool:
    """Whether ``value`` can be kept with a template and handed to later tests as it is."""
    if isinstance(value, (tuple, list)):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, (str, int, Decimal, _CompanyCode, dt.date))


@templated
def make_company(db, code, *, currency, plugins, accounts):
    with db.session() as s:
        company = create_company(s, code, f"{code} Ltd", currency, plugins=plugins)
        if accounts:
            create_account(s, company, "1000", "Cash", "asset", no_negative=True)
            create_account(s, company, "1100", "Bank", "asset")
            create_account(s, company, "4000", "Sales", "income")
            create_account(s, company, "5000", "Costs", "expense")
            create_account(s, company, "WH", "Warehouse", "stock", no_negative=True)
            create_account(s, company, "OUT", "Customers", "stock")
    return company


@pytest.fixture
def run(db):
    """``run(*args, input=None)``: the CLI against the test database."""
    cli = create_cli(db.plugins)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, company: str | None = "ACME"):
        prefix = ["--database", db.url] + (["--company", company] if company else [])
        return runner.invoke(cli, [*prefix, *args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def shared_demo(tmp_path_factory, worker_id):
    """``shared_demo(*plugins) -> url``: an SQLite database holding ``jangbu demo``
    with core, memo and ``plugins``, built once per run for the whole run (the
    first xdist worker to ask builds it, the others wait for it). Tests only
    read it; the test of rebuilding builds its own."""
    root = tmp_path_factory.getbasetemp()
    folder = (root if worker_id == "master" else root.parent) / "demos"
    folder.mkdir(exist_ok=True)

    def get(*plugins) -> str:
        manager = make_plugins(*plugins)
        path = folder / ("-".join(sorted(n for n in manager.names() if n != "core")) + ".db")
        with FileLock(f"{path}.lock"):
            if not path.exists():
                staging = path.with_suffix(".building.db")
                result = CliRunner().invoke(
                    create_cli(manager), ["--database", f"sqlite:///{staging}", "demo"]
                )
                assert result.exit_code == 0, result.output
                connection = sqlite3.connect(staging, isolation_level=None)
                connection.execute("PRAGMA journal_mode = DELETE")  # one file, no journal beside it
                connection.close()
                os.replace(staging, path)
        return f"sqlite:///{path}"

    return get


@pytest.fixture
def fresh_postgres(databases):
    """A brand-new, empty PostgreSQL database, dropped afterwards."""
    if not PG_URL:
        pytest.skip("JANGBU_TEST_DATABASE_URL is not set")
    url = databases.fresh_postgres_url()
    yield url
    databases.drop_postgres(url)

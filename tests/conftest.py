"""Fixtures: databases on SQLite (always) and PostgreSQL (when
``JANGBU_TEST_DATABASE_URL`` is set), plugin managers built explicitly (never
from installed entry points), a CLI runner and companies with accounts."""

from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url

from cli import create_cli
from core import get_plugin_manager, make_engine, make_session_factory, transaction
from core.companies import create_company
from core.ledger import create_account
from core.ledger.immutability import drop_triggers
from core.migrate import upgrade
from tests.example_plugins import memo

PG_URL = os.environ.get("JANGBU_TEST_DATABASE_URL")
ENGINES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def make_plugins(*extra):
    """Core, the example plugin ``memo`` and ``extra``, no entry points."""
    return get_plugin_manager([memo, *extra], entry_points=False)


def reset_database(engine: Engine) -> None:
    """Drop every table (and the ledger triggers) of a throw-away database."""
    with engine.begin() as connection:
        drop_triggers(connection)
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)


@attrs.define
class Db:
    """One test database with its plugin manager and session factory."""

    url: str
    engine: Engine
    plugins: object
    factory: object

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self):
        return transaction(self.factory)

    def use_plugins(self, *extra) -> None:
        """Switch to a plugin manager with ``extra`` plugins besides memo."""
        self.plugins = make_plugins(*extra)
        self.factory = make_session_factory(self.engine, self.plugins)

    def company(self, code: str = "ACME", *, currency: str = "KRW", plugins=(), accounts=True):
        """A company with a small chart: cash (no negative), bank, sales, stock."""
        with self.session() as s:
            company = create_company(s, code, f"{code} Ltd", currency, plugins=plugins)
            if accounts:
                create_account(s, company, "1000", "Cash", "asset", no_negative=True)
                create_account(s, company, "1100", "Bank", "asset")
                create_account(s, company, "4000", "Sales", "income")
                create_account(s, company, "5000", "Costs", "expense")
                create_account(s, company, "WH", "Warehouse", "stock", no_negative=True)
                create_account(s, company, "OUT", "Customers", "stock")
        return company


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A database migrated to core's head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, make_plugins(), "core@head")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Engine:
    engine = make_engine(PG_URL)
    reset_database(engine)
    upgrade(engine, make_plugins(), "core@head")
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    names = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.begin() as connection:
        # The ledger refuses TRUNCATE; a test database is the one place to empty it.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=ENGINES)
def db(request, tmp_path) -> Db:
    plugins = make_plugins()
    if request.param == "sqlite":
        path = tmp_path / "jangbu.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
    else:
        engine = request.getfixturevalue("postgres_engine")
        _truncate(engine)
        url = engine.url.render_as_string(hide_password=False)
    yield Db(url, engine, plugins, make_session_factory(engine, plugins))
    if request.param == "sqlite":
        engine.dispose()


@pytest.fixture
def run(db):
    """``run(*args, input=None)``: the CLI against the test database."""
    cli = create_cli(db.plugins)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, company: str | None = "ACME"):
        prefix = ["--database", db.url] + (["--company", company] if company else [])
        return runner.invoke(cli, [*prefix, *args], input=input, catch_exceptions=False)

    return invoke


@contextmanager
def own_postgres(suffix: str, *plugins):
    """A PostgreSQL database of its own beside the test database, migrated for
    core, memo and ``plugins``, dropped afterwards.

    A plugin manager without a plugin cannot migrate a database that holds
    the plugin's branch, so tests with a plugin and tests without it never
    share one.
    """
    url = make_url(make_engine(PG_URL).url)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine, make_plugins(*plugins), "core@head")
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh_postgres():
    """A brand-new, empty PostgreSQL database, dropped afterwards."""
    if not PG_URL:
        pytest.skip("JANGBU_TEST_DATABASE_URL is not set")
    name = f"jangbu_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(make_engine(PG_URL).url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(make_engine(PG_URL).url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

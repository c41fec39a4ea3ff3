"""Test databases built once and copied, so that a test starts from an
installed company in milliseconds.

A *family* is the set of registered plugins that own tables (core, memo and,
say, finance and wms). Its *base* template is a database migrated to every
head of the family, built once per run and xdist worker. A *state* is what a
fixture's ``build`` leaves in a fresh base (companies with plugins installed,
users, parties): ``Db.prepare(key, build)`` builds it the first time and
keeps it as a template of its own, then restores it for every later test.

SQLite: a template is a file (written with SQLite's backup API); a test
works on a copy of it in its own ``tmp_path``.

PostgreSQL: a family has one database per xdist worker, and a test starts by
resetting it to the state it asks for, in one round trip: every table
emptied with DELETE, the state's rows copied back from a schema of
snapshots, every sequence set back. Measured on a 86-table database: about
10 ms, against 0.4–1.8 s for ``TRUNCATE … RESTART IDENTITY CASCADE`` and
0.1–1.3 s for ``CREATE DATABASE … TEMPLATE`` plus its ``DROP``. The reset
runs with ``session_replication_role = replica``: the ledger's refuse-delete
triggers and the foreign-key triggers stay quiet for the reset alone. A test
that changed the schema itself (dropped a table, a trigger) is noticed by a
fingerprint of the catalogue, and the family database is built again.

Installation and migration tests do not go through here: they migrate empty
databases of their own (``fresh_postgres``, a file in ``tmp_path``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Callable, Optional

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from core import make_engine
from core.migrate import upgrade

__all__ = ["BASE", "Databases", "family_of", "WORKER"]

# "gw0", "gw1", ... under pytest-xdist; "main" in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

BASE = "base"  # the state of a freshly migrated family database

# Tables, their columns and the user triggers of the public schema: a test
# that changed any of them leaves a database the snapshots no longer fit.
_FINGERPRINT = text("""
SELECT md5(coalesce((
    SELECT string_agg(c.relname || '.' || a.attname || ':' || a.atttypid::text, ','
                      ORDER BY c.relname, a.attnum)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped), '')
  || '|' || coalesce((
    SELECT string_agg(c.relname || '.' || t.tgname, ',' ORDER BY c.relname, t.tgname)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND NOT t.tgisinternal), ''))
""")


def family_of(plugins) -> tuple[str, ...]:
    """The registered plugins that own tables, in dependency order."""
    return tuple(name for name in plugins.names() if plugins.has_migrations(name))


def _slug(family: tuple[str, ...]) -> str:
    names = [n for n in family if n not in ("core", "memo")] or ["core"]
    slug = "_".join(names)
    if len(slug) > 24:  # PostgreSQL names stop at 63 bytes
        slug = hashlib.sha1(slug.encode()).hexdigest()[:12]
    return slug


class SqliteTemplates:
    """Template files in one folder: a base per family, a file per state."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._files: dict[tuple[tuple[str, ...], str], Path] = {}

    def has(self, family, key: str) -> bool:
        return (family, key) in self._files

    def base(self, family, plugins) -> Path:
        if (family, BASE) not in self._files:
            path = self.folder / f"{_slug(family)}-{BASE}.db"
            engine = make_engine(f"sqlite:///{path}")
            upgrade(engine, plugins, "heads")
            engine.dispose()
            self._files[family, BASE] = path
        return self._files[family, BASE]

    def file(self, family, key: str) -> Path:
        return self._files[family, key]

    def capture(self, family, key: str, source: Path) -> None:
        """Keep what ``source`` holds now as the template of ``key``."""
        path = self.folder / f"{_slug(family)}-{len(self._files)}.db"
        with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        self._files[family, key] = path


class PostgresFamily:
    """One family's database (of this worker) and its snapshots."""

    def __init__(self, admin: Engine, url, name: str, plugins):
        self.admin, self.name = admin, name
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
        upgrade(self.engine, plugins, "heads")
        with self.engine.connect() as connection:
            self.fingerprint = connection.execute(_FINGERPRINT).scalar()
            self.tables = list(connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars())
        self.restores: dict[str, str] = {}
        self.capture(BASE)

    def has(self, key: str) -> bool:
        return key in self.restores

    def intact(self) -> bool:
        """Whether the schema is still the one the snapshots were taken of."""
        with self.engine.connect() as connection:
            return connection.execute(_FINGERPRINT).scalar() == self.fingerprint

    def capture(self, key: str) -> None:
        """Keep the rows every table holds now, and where each sequence stands, as ``key``."""
        schema = f"jangbu_snapshot_{len(self.restores)}"
        with self.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            filled = []
            for table in self.tables:
                if connection.execute(text(f'SELECT EXISTS (SELECT 1 FROM public."{table}")')).scalar():
                    connection.execute(
                        text(f'CREATE TABLE "{schema}"."{table}" AS SELECT * FROM public."{table}"')
                    )
                    filled.append(table)
            sequences = connection.execute(text(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")).all()
        # A connection a test left inside a transaction would hold locks the DELETEs wait for:
        # fail the next test loudly instead of hanging the run.
        statements = ["SET LOCAL lock_timeout = '20s'", "SET LOCAL session_replication_role = replica"]
        statements += [f'DELETE FROM public."{table}"' for table in self.tables]
        statements += [
            f'INSERT INTO public."{table}" OVERRIDING SYSTEM VALUE SELECT * FROM "{schema}"."{table}"'
            for table in filled
        ]
        if sequences:
            statements.append("SELECT " + ", ".join(
                f"setval('public.\"{name}\"', {value}, true)" if value is not None
                else f"setval('public.\"{name}\"', 1, false)" for name, value in sequences))
        self.restores[key] = "; ".join(statements)

    def restore(self, key: str) -> None:
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute(self.restores[key])
            raw.commit()
        finally:
            raw.close()

    def drop(self) -> None:
        self.engine.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


class Databases:
    """Every template of this worker's run, on SQLite and PostgreSQL, and the
    engines the tests use: one for the SQLite file the tests take turns on,
    one per PostgreSQL family database."""

    def __init__(self, folder: Path, postgres_url: Optional[str]):
        self.sqlite = SqliteTemplates(folder)
        self.sqlite_path = folder / "test.db"
        self._sqlite_engine = self._watched(make_engine(f"sqlite:///{self.sqlite_path}"))
        # Called whenever a test engine hands out a connection (the test's Db listens).
        self.on_use: Optional[Callable[[], None]] = None
        self._pg_url = make_url(make_engine(postgres_url).url) if postgres_url else None
        self._admin: Optional[Engine] = None
        self._families: dict[tuple[str, ...], PostgresFamily] = {}
        # What each state's build returned (a company's code, or plain values), by (engine, family, state),
        # to hand out again with every copy.
        self.results: dict[tuple, object] = {}

    def _watched(self, engine: Engine) -> Engine:
        def checkout(*_args) -> None:
            if self.on_use is not None:
                self.on_use()

        event.listen(engine, "checkout", checkout)
        return engine

    # -- SQLite ------------------------------------------------------------------
    def sqlite_copy(self, template: Path) -> Engine:
        """The SQLite engine, on a fresh copy of ``template``.

        The copy takes the file's place by rename: a connection a test left
        open keeps the old file and cannot touch the new one.
        """
        self._sqlite_engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
        staging = self.sqlite_path.with_suffix(".copy")
        shutil.copyfile(template, staging)
        os.replace(staging, self.sqlite_path)
        return self._sqlite_engine

    def engine_for(self, url: str, **kwargs) -> Engine:
        """``make_engine(url)``, or the engine the tests already hold for that database."""
        if not kwargs:
            for engine in [self._sqlite_engine, *(f.engine for f in self._families.values())]:
                if url == engine.url.render_as_string(hide_password=False):
                    return engine
        return make_engine(url, **kwargs)

    # -- PostgreSQL ------------------------------------------------------------
    def postgres(self, family, plugins) -> PostgresFamily:
        """The family's database of this worker, built again if a test changed its schema."""
        current = self._families.get(family)
        if current is not None and not current.intact():
            current.drop()
            current = None
        if current is None:
            name = f"{self._pg_url.database}_{WORKER}_{_slug(family)}"
            current = self._families[family] = PostgresFamily(
                self._admin_engine(), self._pg_url, name, plugins
            )
            self._watched(current.engine)
            self.results = {
                key: value for key, value in self.results.items() if key[:2] != ("postgresql", family)
            }
        return current

    def fresh_postgres_url(self) -> str:
        """The address of a new, empty PostgreSQL database (drop it with ``drop_postgres``)."""
        name = f"jangbu_t_{uuid.uuid4().hex[:10]}"
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self._pg_url.set(database=name).render_as_string(hide_password=False)

    def drop_postgres(self, url: str) -> None:
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))

    def _admin_engine(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self._pg_url, isolation_level="AUTOCOMMIT")
        return self._admin

    def close(self) -> None:
        for family in self._families.values():
            family.drop()
        self._families.clear()
        if self._admin is not None:
            self._admin.dispose()
        self._sqlite_engine.dispose()


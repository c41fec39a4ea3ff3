"""Engines, sessions and the one declarative ``Base``.

SQLite is the embedded default: WAL, foreign keys on, a busy timeout so a
second writer waits instead of failing. Every SQLAlchemy transaction on it
starts with ``BEGIN IMMEDIATE``: it holds SQLite's one write lock from its
first statement, so what it read stays true until it commits (no lost
updates, no stale lock date, savepoints and DDL inside the transaction),
while readers outside transactions are never blocked (WAL). Units of work
are short; PostgreSQL is the engine for many concurrent writers.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

__all__ = [
    "Base",
    "DEFAULT_DATABASE_FILE",
    "default_database_url",
    "make_engine",
    "make_session_factory",
    "transaction",
    "READ_ONLY",
]

DEFAULT_DATABASE_FILE = "jangbu.db"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every table of core and of every plugin derives from this one base."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def default_database_url() -> str:
    """``JANGBU_DATABASE_URL``, else an SQLite file in the working folder."""
    url = os.environ.get("JANGBU_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path.cwd() / DEFAULT_DATABASE_FILE}"


def _normalise(url: str) -> str:
    # psycopg 3 is the PostgreSQL driver we ship with; plain postgresql:// means it.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# Execution option for a unit of work that only reads (see ``_sqlite_begin``).
READ_ONLY = "jangbu_read_only"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create an engine with Jangbu's settings for SQLite or PostgreSQL."""
    url = _normalise(url or default_database_url())
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # The driver's own transaction handling starts transactions late (only
    # before a write) and commits around DDL; SQLAlchemy's begin event below
    # does it properly instead (the recipe in SQLAlchemy's SQLite notes).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # INSERT OR REPLACE deletes the row it replaces: let that meet the
    # ledger's refuse-delete triggers too.
    cursor.execute("PRAGMA recursive_triggers = ON")
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # Straight to the driver: this runs once per unit of work, the hot path of every post.
    # A reader (execution option READ_ONLY) takes a deferred transaction: a consistent
    # snapshot that never holds the write lock, so a long report does not stall posting.
    statement = "BEGIN" if connection.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE"
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.Error as exc:  # e.g. the busy timeout ran out: raise it as SQLAlchemy would
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc


def _is_memory(dbapi_connection) -> bool:
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return any(row[1] == "main" and not row[2] for row in rows)


def make_session_factory(engine: Engine, plugins=None) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit.

    :param plugins: the :class:`core.plugins.Plugins` services reach through
        ``core.plugins.plugins_of(session)``; core alone when ``None``.
    """
    info = {"jangbu.plugins": plugins} if plugins is not None else {}
    return sessionmaker(bind=engine, expire_on_commit=False, info=info)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back on any error."""
    with factory() as session, session.begin():
        yield session

"""Posted ledger rows never change.

Two walls: the ORM refuses to flush an update or delete of a transaction or
posting (and refuses ORM-enabled bulk UPDATE/DELETE on them), and the database
refuses raw SQL UPDATE, DELETE, INSERT OR REPLACE (SQLite) and TRUNCATE
(PostgreSQL) through triggers.
Corrections are reversals.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session

from core.errors import Immutable
from core.ledger.models import Posting, Transaction

__all__ = ["IMMUTABLE_TABLES", "create_triggers", "drop_triggers", "MESSAGE"]

IMMUTABLE_TABLES = ("ledger_transaction", "ledger_posting")
MESSAGE = "posted ledger rows are immutable; post a reversal instead"
_GUARDED = (Transaction, Posting)


def create_triggers(connection: Connection) -> None:
    """Install the refusing triggers for the connection's engine."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME; END $$ "
            "LANGUAGE plpgsql"))
        for table in IMMUTABLE_TABLES:
            connection.execute(text(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"))
            connection.execute(text(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"))
        return
    for table in IMMUTABLE_TABLES:
        for operation in ("UPDATE", "DELETE"):
            connection.execute(text(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"))
        # INSERT OR REPLACE of an existing id would delete the row silently on
        # a connection without recursive_triggers (core.db turns it on).
        connection.execute(text(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"))


def drop_triggers(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for table in IMMUTABLE_TABLES:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}"))
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
        connection.execute(text("DROP FUNCTION IF EXISTS ledger_refuse_change()"))
        return
    for table in IMMUTABLE_TABLES:
        for operation in ("update", "delete", "replace"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{operation}"))


@event.listens_for(Posting.__table__, "after_create")
def _after_create(_table, connection: Connection, **_kw) -> None:
    # ``metadata.create_all`` (used by tests and benches) gets the same triggers
    # as the migration; the posting table is created after the transaction table.
    create_triggers(connection)


@event.listens_for(Session, "before_flush")
def _refuse_orm_changes(session: Session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, _GUARDED) and (obj in session.deleted or session.is_modified(obj)):
            raise Immutable(MESSAGE)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ in _GUARDED:
        raise Immutable(MESSAGE)

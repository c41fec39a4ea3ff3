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
from core.models import AuditEntry

__all__ = ["IMMUTABLE_TABLES", "AUDIT", "create_triggers", "drop_triggers", "MESSAGE"]

IMMUTABLE_TABLES = ("ledger_transaction", "ledger_posting")
MESSAGE = "posted ledger rows are immutable; post a reversal instead"
_GUARDED = (Transaction, Posting)


def create_triggers(connection: Connection, tables: tuple[str, ...] = IMMUTABLE_TABLES,
                    message: str = MESSAGE, function: str = "ledger_refuse_change") -> None:
    """Install the refusing triggers on ``tables`` for the connection's engine."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{message} (% on %)', TG_OP, TG_TABLE_NAME; END $$ "
            "LANGUAGE plpgsql"))
        for table in tables:
            connection.execute(text(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"))
            connection.execute(text(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"))
        return
    for table in tables:
        for operation in ("UPDATE", "DELETE"):
            connection.execute(text(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"))
        # INSERT OR REPLACE of an existing id would delete the row silently on
        # a connection without recursive_triggers (core.db turns it on).
        connection.execute(text(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"))


def drop_triggers(connection: Connection, tables: tuple[str, ...] = IMMUTABLE_TABLES,
                  function: str = "ledger_refuse_change") -> None:
    if connection.dialect.name == "postgresql":
        for table in tables:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}"))
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
        connection.execute(text(f"DROP FUNCTION IF EXISTS {function}()"))
        return
    for table in tables:
        for operation in ("update", "delete", "replace"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{operation}"))


AUDIT = {"tables": ("core_audit",), "message": "the audit log is append-only: its rows are immutable",
         "function": "audit_refuse_change"}


@event.listens_for(AuditEntry.__table__, "after_create")
def _after_audit_create(_table, connection: Connection, **_kw) -> None:
    create_triggers(connection, **AUDIT)


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

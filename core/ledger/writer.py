"""The ledger's hot path: how rows reach the database.

``posting.py`` decides *what* to write; a writer writes it as cheaply as the
engine allows, inside the caller's database transaction:

* on SQLite, through the driver connection itself, inside the transaction
  SQLAlchemy began (prepared SQL cached by ``sqlite3``; ids of bulk inserts
  assigned under the write lock; errors re-raised as SQLAlchemy's, like
  every other query);
* on PostgreSQL, through prebuilt SQLAlchemy Core statements for single
  rows and psycopg's ``COPY`` for batches (ids drawn from the sequence first).

Idempotency keys meet through a fixed number of advisory locks on PostgreSQL
(``KEY_LOCKS`` per company, a key's lock chosen by a hash), so a batch of any
size holds a bounded number of locks: one lock per key exhausted the server's
shared lock table (``max_locks_per_transaction``) at about 12,000 keys, and
every database on that server with it.

Transaction rows are tuples in ``TXN_COLUMNS`` order, postings in
``POSTING_COLUMNS`` order.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import cache
from typing import Optional

from sqlalchemy import and_, bindparam, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.errors import Invalid
from core.ledger.models import BALANCE_LIMIT, Account, Balance, Posting, Transaction
from core.models import Company

__all__ = ["writer_for", "TXN_COLUMNS", "POSTING_COLUMNS", "KEY_LOCKS", "key_locks"]

TXN_COLUMNS = ("company_id", "date", "memo", "key", "fingerprint", "origin", "reverses_id", "created_at")
POSTING_COLUMNS = ("company_id", "transaction_id", "account_id", "commodity_id", "date", "amount")
_BALANCE_COLUMNS = ("account_id", "commodity_id", "company_id", "amount")
_TXN = Transaction.__table__
_POSTING = Posting.__table__
_BALANCE = Balance.__table__
_RANGE_MESSAGE = f"a balance would exceed the largest storable amount ({BALANCE_LIMIT} units)"

# Advisory locks per company that idempotency keys share: few enough for the
# server's lock table, enough that two single posts rarely wait for each other.
KEY_LOCKS = 64
_KEY_LOCK_SPACE = 0x4A42 << 48  # "JB": keeps our advisory lock ids apart from anyone else's

Pair = tuple[int, int]  # (account id, commodity id)
Found = tuple[int, bool, bool]  # an account's id, no_negative and active flags


def writer_for(connection: Connection) -> _SqliteWriter | _CoreWriter:
    if connection.dialect.name == "sqlite":
        return _SqliteWriter(connection)
    return _CoreWriter(connection, _core_statements(connection.dialect.name))


class _Writer(ABC):
    """What both writers share: adding to the maintained balances."""

    def add_to_balances(
        self, company_id: int, deltas: dict[Pair, int], watched: set[Pair]
    ) -> dict[Pair, int]:
        """Add ``deltas`` to the balances, in a fixed order so that two
        processes lock rows the same way round and never deadlock.

        Returns the new amount of each ``watched`` pair, read on the row the
        upsert locked.
        """
        after, plain = {}, []
        try:
            for pair in sorted(deltas):
                params = (pair[0], pair[1], company_id, deltas[pair])
                if pair in watched:
                    after[pair] = self._upsert_returning(params)
                else:
                    plain.append(params)
            if plain:
                self._upsert_many(plain)
        except IntegrityError as exc:
            if "amount_range" not in str(exc.orig):
                raise
            raise Invalid(_RANGE_MESSAGE) from None
        return after

    @abstractmethod
    def _upsert_returning(self, params: tuple) -> int:
        """Add one (account id, commodity id, company id, units) and return the new amount."""

    @abstractmethod
    def _upsert_many(self, params: list[tuple]) -> None:
        """Add many (account id, commodity id, company id, units)."""


class _SqliteWriter(_Writer):
    _LOOKUP = ("SELECT c.lock_date, a.code, a.id, a.no_negative, a.active FROM core_company c "
               "LEFT JOIN ledger_account a ON a.company_id = c.id AND a.code IN ({}) WHERE c.id = ?")
    # One parameter for any number of keys (json_each), so one statement serves every batch.
    _KNOWN = ("SELECT key, id, fingerprint FROM ledger_transaction "
              "WHERE company_id = ? AND key IN (SELECT value FROM json_each(?))")
    _TXN = f"INSERT INTO ledger_transaction ({', '.join(TXN_COLUMNS)}) VALUES ({', '.join('?' * 8)})"
    _TXN_KEYED = _TXN + " ON CONFLICT (company_id, key) DO NOTHING"
    _TXN_WITH_ID = (
        f"INSERT INTO ledger_transaction (id, {', '.join(TXN_COLUMNS)}) VALUES ({', '.join('?' * 9)})"
    )
    _POSTING = f"INSERT INTO ledger_posting ({', '.join(POSTING_COLUMNS)}) VALUES ({', '.join('?' * 6)})"
    _UPSERT = (
        "INSERT INTO ledger_balance (account_id, commodity_id, company_id, amount) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (account_id, commodity_id) DO UPDATE SET amount = amount + excluded.amount"
    )

    def __init__(self, connection: Connection):
        self.db = connection.connection.driver_connection

    def _run(self, sql: str, params=(), many: bool = False) -> sqlite3.Cursor:
        try:
            return self.db.executemany(sql, params) if many else self.db.execute(sql, params)
        except sqlite3.Error as exc:  # the same exceptions SQLAlchemy raises everywhere else
            raise DBAPIError.instance(sql, params if not many else None, exc, sqlite3.Error) from exc

    def lookup(self, company_id: int, codes: Sequence[str]) -> tuple[Optional[dt.date], dict[str, Found]]:
        rows = self._run(self._LOOKUP.format(", ".join("?" * len(codes))), (*codes, company_id)).fetchall()
        lock_date = dt.date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None
        return lock_date, {code: (id_, bool(flag), bool(active)) for _, code, id_, flag, active in rows
                           if code is not None}

    def lock_keys(self, company_id: int, keys: Sequence[str]) -> None:
        """Nothing to do: the transaction holds SQLite's write lock since its
        ``BEGIN IMMEDIATE`` (``core.db``), so no one else can post a key."""

    def lock_all_keys(self, company_id: int) -> None:
        """Nothing to do either (see ``lock_keys``)."""

    def known_keys(self, company_id: int, keys: Sequence[str]) -> list[tuple[str, int, str]]:
        return self._run(self._KNOWN, (company_id, json.dumps(list(keys)))).fetchall()

    def insert_transaction(self, row: tuple) -> Optional[int]:
        sql = self._TXN if row[3] is None else self._TXN_KEYED
        found = self._run(sql + " RETURNING id", _sqlite_txn(row)).fetchone()
        return found[0] if found else None

    def insert_transactions(self, rows: list[tuple]) -> list[int]:
        # The transaction holds SQLite's write lock (BEGIN IMMEDIATE): the first
        # insert gets max(id) + 1 and no one else inserts until we commit, so
        # the ids after it are ours, in order.
        first = self._run(self._TXN + " RETURNING id", _sqlite_txn(rows[0])).fetchone()[0]
        if len(rows) > 1:
            self._run(
                self._TXN_WITH_ID,
                [(first + n, *_sqlite_txn(row)) for n, row in enumerate(rows[1:], 1)],
                many=True,
            )
        return list(range(first, first + len(rows)))

    def insert_postings(self, rows: list[tuple]) -> None:
        self._run(self._POSTING, [(c, t, a, m, d.isoformat(), u) for c, t, a, m, d, u in rows], many=True)

    def _upsert_returning(self, params: tuple) -> int:
        return self._run(self._UPSERT + " RETURNING amount", params).fetchone()[0]

    def _upsert_many(self, params: list[tuple]) -> None:
        self._run(self._UPSERT, params, many=True)


# Batches at least this large (postings) check that the planner has statistics first.
_ANALYZE_FROM = 1000


class _CoreWriter(_Writer):
    def __init__(self, connection: Connection, statements: _CoreStatements):
        self.connection = connection
        self.sql = statements
        self.analysed = False

    def lookup(self, company_id: int, codes: Sequence[str]) -> tuple[Optional[dt.date], dict[str, Found]]:
        rows = self.connection.execute(
            self.sql.lookup, {"company_id": company_id, "codes": list(codes)}
        ).all()
        lock_date = rows[0][0] if rows else None
        return lock_date, {
            code: (id_, flag, active) for _, code, id_, flag, active in rows if code is not None
        }

    def lock_keys(self, company_id: int, keys: Sequence[str]) -> None:
        # Transaction-scoped advisory locks, in a fixed order (no deadlocks): a
        # concurrent post with one of these keys waits for our commit, then
        # finds the key posted.
        self.connection.execute(self.sql.lock_keys, {"ids": key_locks(company_id, keys)})

    def lock_all_keys(self, company_id: int) -> None:
        """Every key lock of the company at once (a big import): bounded, and
        taken in one go, so two imports cannot each hold half."""
        self.connection.execute(self.sql.lock_keys, {"ids": key_locks(company_id)})

    def known_keys(self, company_id: int, keys: Sequence[str]) -> list[tuple[str, int, str]]:
        return self.connection.execute(
            self.sql.known_keys, {"company_id": company_id, "keys": list(keys)}
        ).all()

    def insert_transaction(self, row: tuple) -> Optional[int]:
        statement = self.sql.insert_txn if row[3] is None else self.sql.insert_keyed_txn
        found = self.connection.execute(statement, dict(zip(TXN_COLUMNS, row))).first()
        return found[0] if found else None

    def insert_transactions(self, rows: list[tuple]) -> list[int]:
        ids = self.connection.execute(self.sql.next_txn_ids, {"n": len(rows)}).scalars().all()
        self._copy("ledger_transaction", ("id", *TXN_COLUMNS), [(i, *row) for i, row in zip(ids, rows)])
        return ids

    def insert_postings(self, rows: list[tuple]) -> None:
        if not self.analysed and len(rows) >= _ANALYZE_FROM:
            self.analysed = True
            if self._never_analysed():
                # A fresh ledger has no planner statistics: PostgreSQL would then check
                # each posting's foreign key through the company/date index, scanning
                # every earlier transaction (quadratic in the batch). Analyse it once.
                self.connection.exec_driver_sql("ANALYZE ledger_transaction")
        self._copy("ledger_posting", POSTING_COLUMNS, rows)

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """``COPY`` rows in, inside the caller's transaction (several times faster than INSERT)."""
        import psycopg

        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        try:
            with self.connection.connection.driver_connection.cursor() as cursor:
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
        except psycopg.Error as exc:  # the same exceptions SQLAlchemy raises everywhere else
            raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc

    def _never_analysed(self) -> bool:
        return bool(self.connection.exec_driver_sql(
            "SELECT reltuples < 0 FROM pg_class WHERE oid = 'ledger_transaction'::regclass").scalar())

    def _upsert_returning(self, params: tuple) -> int:
        return self.connection.execute(
            self.sql.upsert_returning, dict(zip(_BALANCE_COLUMNS, params))
        ).scalar_one()

    def _upsert_many(self, params: list[tuple]) -> None:
        self.connection.execute(self.sql.upsert, [dict(zip(_BALANCE_COLUMNS, p)) for p in params])


class _CoreStatements:
    def __init__(self, dialect: str):
        if dialect != "postgresql":
            raise Invalid(f"the ledger supports SQLite and PostgreSQL, not {dialect}")
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        self.lookup = (
            select(Company.lock_date, Account.code, Account.id, Account.no_negative, Account.active)
            .select_from(Company)
            .outerjoin(Account, and_(Account.company_id == Company.id,
                                     Account.code.in_(bindparam("codes", expanding=True))))
            .where(Company.id == bindparam("company_id"))
            # A period close (set_lock_date: FOR UPDATE) waits for posts in flight, and they for it.
            .with_for_update(read=True, of=Company))
        # unnest yields the (sorted) ids in order, so the locks are taken in that order.
        self.lock_keys = text("SELECT pg_advisory_xact_lock(i) FROM unnest(CAST(:ids AS bigint[])) AS i")
        # An array parameter: one statement whatever the number of keys (no IN list to compile).
        self.known_keys = text("SELECT key, id, fingerprint FROM ledger_transaction "
                               "WHERE company_id = :company_id AND key = ANY(CAST(:keys AS text[]))")
        self.next_txn_ids = text(
            "SELECT nextval(pg_get_serial_sequence('ledger_transaction', 'id')) FROM generate_series(1, :n)")
        self.insert_txn = insert(_TXN).returning(_TXN.c.id)
        # Waits for a concurrent holder of the key, then skips instead of failing.
        self.insert_keyed_txn = pg_insert(_TXN).on_conflict_do_nothing(
            index_elements=[_TXN.c.company_id, _TXN.c.key]).returning(_TXN.c.id)
        upsert = pg_insert(_BALANCE)
        self.upsert = upsert.on_conflict_do_update(
            index_elements=[_BALANCE.c.account_id, _BALANCE.c.commodity_id],
            set_={"amount": _BALANCE.c.amount + upsert.excluded.amount})
        self.upsert_returning = self.upsert.returning(_BALANCE.c.amount)


def key_locks(company_id: int, keys: Optional[Sequence[str]] = None) -> list[int]:
    """The advisory lock ids guarding ``keys`` (all of the company's when
    None), sorted: at most ``KEY_LOCKS`` whatever the number of keys."""
    buckets = range(KEY_LOCKS) if keys is None else {zlib.crc32(key.encode()) % KEY_LOCKS for key in keys}
    return sorted(_KEY_LOCK_SPACE + company_id * KEY_LOCKS + bucket for bucket in buckets)


@cache
def _core_statements(dialect: str) -> _CoreStatements:
    return _CoreStatements(dialect)


def _sqlite_txn(row: tuple) -> tuple:
    # SQLAlchemy keeps SQLite dates and datetimes as ISO text; write the same text.
    company_id, date, memo, key, fingerprint, origin, reverses_id, created_at = row
    return (
        company_id,
        date.isoformat(),
        memo,
        key,
        fingerprint,
        origin,
        reverses_id,
        _sqlite_datetime(created_at),
    )


def _sqlite_datetime(value: dt.datetime) -> str:
    return value.isoformat(" ", timespec="microseconds")  # SQLAlchemy's "%Y-%m-%d %H:%M:%S.%f"

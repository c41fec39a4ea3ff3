"""Named locks held for the rest of a database transaction.

Some decisions are "count, then act": five failed sign-ins and the sixth is
refused, ten enquiries an hour from one address. Counting rows is not enough
when attempts run at once: each one counts before any of the others has
written, and all of them pass. ``hold(session, *names)`` makes such a
decision one at a time per name: whoever holds a name's lock counts, decides,
writes and commits before the next holder counts.

- PostgreSQL: ``pg_advisory_xact_lock`` on a 64-bit hash of each name. The
  lock is released when the transaction ends (commit or rollback), never by
  hand, so an error cannot leave it held. Several names are taken in sorted
  order, so two holders of overlapping sets cannot deadlock.
- SQLite: a transaction that writes already holds the database's one write
  lock from its first statement (``core.db`` begins ``IMMEDIATE``), so every
  writer is serialised; ``hold`` only makes sure the transaction has begun,
  and refuses a read-only one (a snapshot could not keep the promise).

Names are free text; give them a prefix per use (``sign-in:account:ann``).
Two different names may share a hash: then they only wait for each other,
which costs time but never correctness.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.db import READ_ONLY

__all__ = ["hold", "key_of"]

_ADVISORY = text("SELECT pg_advisory_xact_lock(:key)")


def key_of(name: str) -> int:
    """The signed 64-bit key PostgreSQL's advisory locks take for ``name``."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def hold(session: Session, *names: str) -> None:
    """Hold the locks named ``names`` until ``session``'s transaction ends."""
    connection = session.connection()  # begins the transaction (on SQLite: takes the write lock)
    if connection.dialect.name == "postgresql":
        for key in sorted({key_of(name) for name in names}):
            connection.execute(_ADVISORY, {"key": key})
    elif connection.get_execution_options().get(READ_ONLY):
        raise RuntimeError("named locks need a writing transaction, not a read-only one")

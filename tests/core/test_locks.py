"""Named locks: held until the transaction ends, by one holder at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core import locks
from core.db import READ_ONLY


def test_the_key_is_a_stable_signed_64_bit_hash():
    keys = {locks.key_of(f"sign-in:account:{n}") for n in range(1000)}
    assert len(keys) == 1000 and all(-2**63 <= k < 2**63 for k in keys)
    assert locks.key_of("a") == locks.key_of("a") != locks.key_of("b")


@pytest.mark.one_engine(
    "postgresql", reason="advisory locks are PostgreSQL's; SQLite serialises every writer"
)
def test_a_held_name_waits_until_its_holder_commits(db):
    holder, other = db.factory(), db.factory()
    try:
        locks.hold(holder, "b-name", "a-name")
        try_lock = text("SELECT pg_try_advisory_xact_lock(:key)")
        assert other.scalar(try_lock, {"key": locks.key_of("a-name")}) is False
        assert other.scalar(try_lock, {"key": locks.key_of("b-name")}) is False
        assert other.scalar(try_lock, {"key": locks.key_of("c-name")}) is True  # other names are free
        other.rollback()
        holder.commit()
        assert other.scalar(try_lock, {"key": locks.key_of("a-name")}) is True
    finally:
        holder.close()
        other.close()


@pytest.mark.one_engine("sqlite", reason="PostgreSQL takes its locks in any transaction")
def test_a_read_only_transaction_cannot_hold_a_lock_on_sqlite(db):
    session = db.factory()
    try:
        session.connection(execution_options={READ_ONLY: True})
        with pytest.raises(RuntimeError, match="writing transaction"):
            locks.hold(session, "name")
    finally:
        session.close()

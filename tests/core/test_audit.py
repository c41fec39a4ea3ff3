"""The audit log is append-only and counts failed sign-ins per account and address."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from core import audit
from core.models import AuditEntry
from core.users import create_user


def test_entries_are_recorded_and_failures_counted(db):
    with db.session() as s:
        ann = create_user(s, "ann", "correct horse")
        audit.record(s, audit.LOGIN, user=ann, address="10.0.0.1")
        for address in ("10.0.0.2", "10.0.0.3"):
            audit.record(s, audit.LOGIN_FAILED, username="ann", address=address)
        audit.record(s, audit.LOGIN_FAILED, username="bob", address="10.0.0.3")
    with db.session() as s:
        since = audit.window(15)
        assert audit.failures_since(s, since, username="ann", address="10.0.0.9") == 2
        assert audit.failures_since(s, since, username="carol", address="10.0.0.3") == 2
        assert audit.failures_since(s, since, username="carol", address="10.0.0.1") == 0


@pytest.mark.parametrize("sql", ["UPDATE core_audit SET action = 'x'", "DELETE FROM core_audit"])
def test_the_audit_log_is_append_only(db, sql):
    with db.session() as s:
        audit.record(s, audit.LOGIN_FAILED, username="ann", address="10.0.0.2")
    with pytest.raises(DatabaseError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text(sql))
    with db.session() as s:
        assert s.query(AuditEntry).count() == 1

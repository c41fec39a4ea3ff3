"""Posted rows never change: not through the ORM, not through raw SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from core import ledger
from core.companies import get_company
from core.errors import Immutable
from core.ledger import Leg, Posting, Transaction


@pytest.fixture
def posted(db):
    company = db.company()
    with db.session() as s:
        return ledger.post(s, company, "2026-03-01", [Leg("1100", "5"), Leg("4000", "-5")], memo="original")


def test_orm_update_of_a_posting_is_refused(db, posted):
    with pytest.raises(Immutable):
        with db.session() as s:
            s.scalars(select(Posting)).first().amount = 6
            s.flush()


def test_orm_update_and_delete_of_a_transaction_are_refused(db, posted):
    with pytest.raises(Immutable):
        with db.session() as s:
            s.get(Transaction, posted.id).memo = "changed"
            s.flush()
    with pytest.raises(Immutable):
        with db.session() as s:
            s.delete(s.get(Transaction, posted.id))
            s.flush()


@pytest.mark.parametrize("statement", [update(Posting).values(amount=0), delete(Posting),
                                       update(Transaction).values(memo="x"), delete(Transaction)])
def test_orm_bulk_statements_are_refused(db, posted, statement):
    with pytest.raises(Immutable):
        with db.session() as s:
            s.execute(statement)


@pytest.mark.parametrize("sql", [
    "UPDATE ledger_posting SET amount = amount + 1",
    "DELETE FROM ledger_posting",
    "UPDATE ledger_transaction SET memo = 'rewritten'",
    "DELETE FROM ledger_transaction",
])
def test_raw_sql_is_refused_by_triggers(db, posted, sql):
    with pytest.raises(DatabaseError, match="immutable"):
        with db.engine.begin() as connection:
            connection.execute(text(sql))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 2
        assert s.scalar(select(Transaction.memo)) == "original"
        assert ledger.verify(s, get_company(s, "ACME")).ok


def test_insert_or_replace_cannot_rewrite_a_posting_on_sqlite(db, posted):
    if db.dialect != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's")
    with db.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM ledger_posting ORDER BY id LIMIT 1")).mappings().one()
    for pragma in ("ON", "OFF"):  # Jangbu's connections, and anyone else's
        with pytest.raises(DatabaseError, match="immutable"):
            with db.engine.begin() as connection:
                connection.execute(text(f"PRAGMA recursive_triggers = {pragma}"))
                connection.execute(text(
                    "INSERT OR REPLACE INTO ledger_posting (id, company_id, transaction_id, account_id, "
                    "commodity_id, date, amount) VALUES (:id, :company_id, :transaction_id, :account_id, "
                    ":commodity_id, :date, 999)"), dict(row))
    with db.session() as s:
        assert ledger.verify(s, get_company(s, "ACME")).ok


def test_truncate_is_refused_on_postgresql(db, posted):
    if db.dialect != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with pytest.raises(DatabaseError, match="immutable"):
        with db.engine.begin() as connection:
            connection.execute(text("TRUNCATE ledger_posting CASCADE"))

"""Helpers the page tests share: signed-in clients, JSON and CSV readers,
a whole-database snapshot ("nothing written"), the audit trail, seeding."""

from __future__ import annotations

import csv
import io

from sqlalchemy import MetaData, func, inspect, select

from core import ledger as books
from core.companies import get_company
from core.ledger import Draft, Transaction
from core.models import AuditEntry, Company
from tests.web.conftest import sign_in

JSON = {"Accept": "application/json"}
ADDRESS = "10.20.30.40"


def signed_in(app, username: str, address: str = ADDRESS):
    """A test client signed in as ``username``, its requests coming from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return sign_in(client, username)


def get_json(client, url: str, status: int = 200):
    response = client.get(url, headers=JSON)
    assert response.status_code == status, (url, response.status_code, response.get_data(True)[:800])
    assert response.mimetype == "application/json", url
    return response.get_json()


def all_items(client, url: str) -> list[dict]:
    """Every item of a JSON list, following ``next``; each ``previous`` leads back one page."""
    pages = [get_json(client, url)]
    assert pages[0]["previous"] is None
    while pages[-1]["next"] is not None:
        pages.append(get_json(client, pages[-1]["next"]))
        assert pages[-1]["page"] == len(pages)
        assert get_json(client, pages[-1]["previous"])["items"] == pages[-2]["items"]
    return [item for page in pages for item in page["items"]]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(True)[:500]
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.get_data(True))))


def snapshot(db) -> dict[str, list]:
    """Every row of every table: "nothing written" means this does not change."""
    with db.engine.connect() as connection:
        metadata = _reflected(connection)
        return {name: sorted(map(repr, connection.execute(select(table)).all()))
                for name, table in metadata.tables.items() if name != "alembic_version"}


_REFLECTED: dict[tuple, MetaData] = {}


def _reflected(connection) -> MetaData:
    """The tables of the database, reflected once per engine kind and set of tables (reflection costs
    a quarter of a second; the schema of a test database is its template's)."""
    key = (connection.dialect.name, tuple(sorted(inspect(connection).get_table_names())))
    if key not in _REFLECTED:
        metadata = MetaData()
        metadata.reflect(connection)
        _REFLECTED[key] = metadata
    return _REFLECTED[key]


def last_audit_id(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.max(AuditEntry.id))) or 0


def audit_since(db, since: int) -> list[tuple]:
    """(username, action, address, company code, detail) of the entries after ``since``, oldest first."""
    with db.session() as s:
        codes = dict(s.execute(select(Company.id, Company.code)).all())
        return [(e.username, e.action, e.address, codes.get(e.company_id), e.detail)
                for e in s.scalars(select(AuditEntry).where(AuditEntry.id > since).order_by(AuditEntry.id))]


def assert_books_ok(db, *codes: str) -> None:
    with db.session() as s:
        for code in codes:
            report = books.verify(s, get_company(s, code))
            assert report.ok, report.problems


def journal(date: str, memo: str, *lines: tuple[str, str, str]) -> dict:
    """The journal entry form's fields: ``lines`` are (account, debit, credit)."""
    data = {"date": date, "memo": memo}
    for i, (account, debit, credit) in enumerate(lines):
        data.update({f"legs-{i}-account": account, f"legs-{i}-debit": debit, f"legs-{i}-credit": credit})
    return data


def seed(db, code: str, drafts: list[Draft]):
    with db.session() as s:
        return books.post_many(s, get_company(s, code), drafts)


def count_transactions(db, code: str = "ACME") -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Transaction).where(
            Transaction.company_id == get_company(s, code).id))

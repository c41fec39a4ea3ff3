"""``jangbu demo``: builds, rebuilds cleanly, refuses a database that is not a demo."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import create_cli
from core import make_engine, make_session_factory, transaction
from core.companies import get_company
from core.ledger import trial_balance, verify
from core.users import authenticate, has_permission
from tests.conftest import make_plugins


def jangbu(url, *args):
    result = CliRunner().invoke(create_cli(make_plugins()), ["--database", url, *args])
    assert "Traceback" not in result.output
    return result


def check_demo(url):
    built = jangbu(url, "--json", "demo")
    assert built.exit_code == 0, built.stderr
    summary = json.loads(built.stdout)
    assert summary["company"] == "DEMO" and summary["plugins"] == ["memo"]
    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine, make_plugins())) as s:
            company = get_company(s, "DEMO")
            report = verify(s, company)
            assert report.ok and report.transactions > 500
            rows = trial_balance(s, company)
            for commodity in {r.commodity for r in rows}:
                mine = [r for r in rows if r.commodity == commodity]
                assert sum(r.debit for r in mine) == sum(r.credit for r in mine)
            user = authenticate(s, summary["username"], summary["password"])
            assert user is not None and has_permission(s, user, company, "ledger.post")
            return report.transactions, [(r.account, r.commodity, r.debit, r.credit) for r in rows]
    finally:
        engine.dispose()


@pytest.mark.slow
def test_demo_builds_and_rebuilds_the_same_books(tmp_path):
    # The one test that rebuilds a demo; the plugins' demo tests read one shared build.
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = check_demo(url)
    assert check_demo(url) == first
    tb = jangbu(url, "--company", "DEMO", "ledger", "trial-balance")
    assert tb.exit_code == 0 and "Total" in tb.stdout


def test_demo_refuses_a_database_with_other_companies(tmp_path):
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert jangbu(url, "db", "upgrade").exit_code == 0
    assert jangbu(url, "company", "create", "REAL", "--name", "Real Co", "--currency", "KRW").exit_code == 0
    result = jangbu(url, "demo")
    assert result.exit_code == 1
    assert "holds companies other than the demo (REAL)" in result.stderr
    assert jangbu(url, "company", "show", "REAL").exit_code == 0


@pytest.mark.slow
def test_demo_on_postgresql_builds_and_rebuilds(fresh_postgres):
    first = check_demo(fresh_postgres)
    assert check_demo(fresh_postgres) == first


@pytest.mark.parametrize("junk", ["CREATE TABLE customers (id INTEGER)"])
def test_demo_refuses_a_foreign_database(tmp_path, junk):
    import sqlite3

    path = tmp_path / "foreign.db"
    with sqlite3.connect(path) as connection:
        connection.execute(junk)
    result = jangbu(f"sqlite:///{path}", "demo")
    assert result.exit_code == 1 and "tables that are not Jangbu's" in result.stderr

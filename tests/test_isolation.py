"""The database fixtures copy templates instead of migrating and seeding for
every test; these tests prove the copies hide nothing. An inner pytest run
(the suite's own fixtures, on SQLite and, when configured, PostgreSQL) has a
test that leaves rows behind and a later one that must not see them, and a
test whose assertion is wrong. With the real reset the second passes and the
wrong one fails on every engine; with the reset switched off the second
fails, so it is a check that can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ENGINES
from tests.databases import WORKER

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[1]

CONFTEST = f"""
import os
import sys

sys.path.insert(0, {str(REPOSITORY)!r})

from tests.conftest import *  # noqa: F401,F403 - the suite's own fixtures
from tests.plugins.finance.conftest import books, fdb  # noqa: F401

if os.environ.get("JANGBU_TEST_NO_RESET"):
    # What a reset that forgot something would do: the SQLite file is kept
    # from test to test, the PostgreSQL database is not reset.
    import tests.databases

    def keep(self, template):
        if not self.sqlite_path.exists():
            tests.databases.shutil.copyfile(template, self.sqlite_path)
        return self._sqlite_engine

    tests.databases.Databases.sqlite_copy = keep
    tests.databases.PostgresFamily.restore = lambda self, key: None
"""

TESTS = """
from sqlalchemy import func, select

from core import ledger
from core.catalog import create_party
from core.ledger import Leg, Transaction
from core.models import Party, User
from core.users import create_user


def test_1_leaves_rows_behind(books):
    db, company = books
    with db.session() as s:
        create_party(s, company, "LEAK", "Left behind")
        create_user(s, "leaky", "long enough pw")
        ledger.post(s, company, "2026-03-01", [Leg("101", "1000"), Leg("401", "-1000")])


def test_2_starts_from_the_template(books):
    db, company = books
    with db.session() as s:
        assert s.scalar(select(Party.id).where(Party.code == "LEAK")) is None
        assert s.scalar(select(User.id).where(User.username == "leaky")) is None
        assert s.scalar(select(func.count()).select_from(Transaction)) == 0


def test_3_a_broken_assertion_fails(books):
    db, company = books
    assert company.currency == "USD"
"""


def _inner_run(pytester, **env):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_inner=TESTS)
    # Databases of its own: the inner run must not reset (or drop) this worker's.
    env["PYTEST_XDIST_WORKER"] = f"{WORKER}_inner_{pytester.path.name[-12:]}".replace("-", "_")
    for name, value in env.items():
        pytester._monkeypatch.setenv(name, value)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-q")


def test_a_row_left_behind_is_gone_for_the_next_test_and_a_wrong_assertion_fails(pytester):
    result = _inner_run(pytester)
    engines = len(ENGINES)
    result.assert_outcomes(passed=2 * engines, failed=engines)
    for engine in ENGINES:
        result.stdout.fnmatch_lines([f"FAILED test_inner.py::test_3_a_broken_assertion_fails[[]{engine}[]]*"])


def test_without_the_reset_the_leak_is_caught(pytester):
    result = _inner_run(pytester, JANGBU_TEST_NO_RESET="1")
    engines = len(ENGINES)
    result.assert_outcomes(passed=engines, failed=2 * engines)
    for engine in ENGINES:
        result.stdout.fnmatch_lines([f"FAILED test_inner.py::test_2_starts_from_the_template[[]{engine}[]]*"])

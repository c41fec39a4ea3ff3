"""Text longer than its column is refused through the CLI with one line naming
the field and its limit, the same on SQLite (which would store it) and on
PostgreSQL (which would refuse it with a driver error), and nothing is written."""

from __future__ import annotations

import pytest

from tests.web.pages import snapshot

CASES = [
    (
        ("ledger", "account-create", "C" * 42, "Cash", "--type", "asset"),
        "account code must be at most 40 characters (it has 42)",
    ),
    (
        ("ledger", "account-create", "1999", "N" * 250, "--type", "asset"),
        "account name must be at most 200 characters (it has 250)",
    ),
    (("product", "create", "S" * 45, "--name", "Bolt"), "SKU must be at most 40 characters (it has 45)"),
    (
        ("product", "create", "BOLT", "--name", "N" * 201),
        "product name must be at most 200 characters (it has 201)",
    ),
    (
        ("product", "create", "BOLT", "--name", "Bolt", "--category", "c" * 101),
        "product category must be at most 100 characters (it has 101)",
    ),
    (
        ("party", "create", "P" * 41, "--name", "Hanbit"),
        "party code must be at most 40 characters (it has 41)",
    ),
]


@pytest.mark.parametrize(
    "args, message", CASES, ids=[" ".join(a[:2]) + f" {m.split(' must')[0]}" for a, m in CASES]
)
def test_too_long_text_is_one_line_and_writes_nothing(db, run, args, message):
    db.company("ACME")
    before = snapshot(db)
    result = run(*args)
    assert (result.exit_code, result.output) == (1, f"jangbu: error: {message}\n")
    assert snapshot(db) == before

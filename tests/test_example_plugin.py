"""The proof that a third party extends Jangbu without touching core.

``tests/example_plugins/memo`` (shown whole in the README) adds a table, a
CLI group, a blueprint and an event handler. Installed for ACME only, it is
invisible to OTHER everywhere.
"""

from __future__ import annotations

import json

from sqlalchemy import inspect, select

from tests.example_plugins.memo.models import Note
from tests.web.conftest import add_user, make_app, sign_in


def test_memo_for_one_company_only(run, db):
    assert run("db", "upgrade", company=None).exit_code == 0
    for code in ("ACME", "OTHER"):
        run("company", "create", code, "--name", code, "--currency", "KRW", company=None)
        run("ledger", "account-create", "1100", "Bank", "--type", "asset", company=code)
        run("ledger", "account-create", "4000", "Sales", "--type", "income", company=code)
    assert run("plugins", "install", "memo", company="ACME").exit_code == 0
    assert "memo_note" in inspect(db.engine).get_table_names()

    # the CLI group
    added = run("--json", "memo", "add", "call the bank", company="ACME")
    assert json.loads(added.stdout)["text"] == "call the bank"
    refused = run("memo", "add", "peek", company="OTHER")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == "jangbu: error: plugin 'memo' is not installed for company OTHER"
    bad = run("memo", "add", "   ", company="ACME")
    assert bad.exit_code == 1 and "a note needs some text" in bad.stderr

    # the event handler: large postings are noted, for ACME only
    for code in ("ACME", "OTHER"):
        assert run("ledger", "post", "--date", "2026-03-01", "1100:5000000", "4000:-5000000",
                   company=code).exit_code == 0
    with db.session() as s:
        rows = s.execute(select(Note.company_id, Note.text).order_by(Note.id)).all()
    assert [text for _, text in rows] == ["call the bank", "large posting #1: 5000000 KRW"]
    assert len({company_id for company_id, _ in rows}) == 1

    # the page, for a member of both companies
    add_user(db, "ann", {"ACME": "viewer", "OTHER": "admin"})
    client = sign_in(make_app(db, WTF_CSRF_ENABLED=False).test_client(), "ann")
    page = client.get("/c/ACME/memo/", headers={"Accept": "application/json"})
    assert page.status_code == 200
    assert [item["text"] for item in page.get_json()["items"]] == [
        "large posting #1: 5000000 KRW",
        "call the bank",
    ]
    assert 'href="/c/ACME/memo/"' in client.get("/c/ACME/").get_data(as_text=True)  # its menu entry
    assert client.get("/c/OTHER/memo/").status_code == 404
    assert client.get("/c/NOBODY/memo/").status_code == 404

    # uninstalled: gone from ACME's pages and commands, its notes kept
    assert run("plugins", "uninstall", "memo", company="ACME").exit_code == 0
    assert client.get("/c/ACME/memo/").status_code == 404
    assert run("memo", "add", "x", company="ACME").exit_code == 1
    assert run("plugins", "install", "memo", company="ACME").exit_code == 0
    assert 'href="/c/ACME/memo/"' not in client.get("/c/OTHER/").get_data(as_text=True)
    assert len(client.get("/c/ACME/memo/", headers={"Accept": "application/json"}).get_json()["items"]) == 2

"""``jangbu finance``: documents, payments, rates, periods and the close from the command line."""

from __future__ import annotations

import json

import pytest

from core import ledger
from core.companies import get_company
from core.errors import Invalid
from plugins.finance.document_commands import parse_line
from tests.plugins.finance.conftest import assert_books_sound


@pytest.fixture
def cli(books, run):
    db, company = books

    def jangbu(*args, ok=True):
        result = run(*args)
        assert "Traceback" not in result.output
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return db, company, jangbu


def test_invoice_payment_and_close_from_the_command_line(cli):
    db, company, jangbu = cli
    created = json.loads(
        jangbu(
            "--json",
            "finance",
            "invoice",
            "create",
            "--party",
            "C1",
            "--date",
            "2026-03-02",
            "--line",
            "A4 paper;qty=10;price=26000;product=PAPER",
            "--line",
            "Delivery;price=15000;discount=10",
            "--term",
            "NET30",
        ).output
    )
    assert (
        created["state"] == "draft" and created["total"] == "300850" and created["due_date"] == "2026-04-01"
    )
    assert [line["product"] for line in created["lines"]] == ["PAPER", None]
    posted = json.loads(jangbu("--json", "finance", "invoice", "post", str(created["id"])).output)
    assert posted["number"] == "INV/2026/00001" and posted["state"] == "posted"
    shown = jangbu("finance", "invoice", "show", "INV/2026/00001").output
    assert "INV/2026/00001" in shown and "300850 KRW" in shown

    paid = json.loads(
        jangbu(
            "--json",
            "finance",
            "payment",
            "register",
            "C1",
            "100000",
            "--date",
            "2026-03-10",
            "--invoice",
            "INV/2026/00001=100000",
        ).output
    )
    assert paid["allocations"][0]["invoice"] == "INV/2026/00001" and paid["unallocated"] == "0"
    balance = json.loads(jangbu("--json", "finance", "payment", "balance", "C1").output)
    assert balance["receivable"] == "200850"
    listed = json.loads(jangbu("--json", "finance", "invoice", "list", "--open").output)
    assert [d["number"] for d in listed] == ["INV/2026/00001"] and listed[0]["payment_state"] == "partial"
    assert "BANK/2026/00001" in jangbu("finance", "payment", "list").output

    jangbu("finance", "period", "close", "2026-01")
    jangbu("finance", "period", "close", "2026-02")
    periods = json.loads(jangbu("--json", "finance", "period", "list", "--year", "2026-06-01").output)
    assert [p["state"] for p in periods[:3]] == ["closed", "closed", "open"]
    closed = json.loads(jangbu("--json", "finance", "year", "close", "2026").output)
    assert closed["closing_transaction"] is not None
    assert json.loads(jangbu("--json", "finance", "year", "list").output)[0]["state"] == "closed"
    with db.session() as s:
        assert_books_sound(s, get_company(s, "ACME"))
        assert ledger.balance(s, company, "375") == -273500


def test_credit_delete_rates_and_revaluation(cli):
    db, company, jangbu = cli
    jangbu("finance", "rate", "set", "USD", "2026-03-01", "1300")
    jangbu("finance", "rate", "set", "usd", "2026-03-31", "1250.5")
    rates = json.loads(jangbu("--json", "finance", "rate", "list").output)
    assert [(r["date"], r["rate"]) for r in rates] == [("2026-03-31", "1250.5"), ("2026-03-01", "1300")]
    jangbu("finance", "invoice", "create", "--party", "C1", "--date", "2026-03-02", "--currency", "USD",
           "--line", "Consulting;price=100.00;tax=", "--post")
    revalued = json.loads(jangbu("--json", "finance", "revalue", "2026-03-31").output)
    assert revalued["entries"] == ["MISC/2026/00001", "MISC/2026/00002"]
    credit = json.loads(
        jangbu(
            "--json",
            "finance",
            "invoice",
            "credit",
            "INV/2026/00001",
            "--date",
            "2026-03-05",
            "--reason",
            "Cancelled",
            "--post",
        ).output
    )
    assert credit["kind"] == "credit_note" and credit["credited"] == "INV/2026/00001"
    draft = json.loads(
        jangbu(
            "--json",
            "finance",
            "invoice",
            "create",
            "--party",
            "C2",
            "--date",
            "2026-03-03",
            "--line",
            "Oops;price=1",
        ).output
    )
    assert json.loads(jangbu("--json", "finance", "invoice", "delete", str(draft["id"])).output) == {
        "deleted": draft["id"]}
    sections = {a["code"]: a["section"] for a in json.loads(jangbu("--json", "finance", "accounts").output)}
    assert sections["108"] == "receivable" and sections["103"] == "cash"
    jangbu("finance", "classify", "133", "non_current_asset")
    with db.session() as s:
        assert_books_sound(s, get_company(s, "ACME"))


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["invoice", "create", "--party", "NOPE", "--date", "2026-03-02", "--line", "x;price=1"],
            "unknown party",
        ),
        (
            ["invoice", "create", "--party", "C1", "--date", "2026-13-02", "--line", "x;price=1"],
            "malformed date",
        ),
        (["invoice", "create", "--party", "C1", "--date", "2026-03-02", "--line", "x;qty=2"], "no price="),
        (
            ["invoice", "create", "--party", "C1", "--date", "2026-03-02", "--line", "x;colour=red;price=1"],
            "unknown line field",
        ),
        (
            ["invoice", "create", "--party", "C1", "--date", "2026-03-02", "--line", "x;price=1;tax=NOPE"],
            "unknown tax",
        ),
        (
            [
                "invoice",
                "create",
                "--party",
                "C1",
                "--date",
                "2026-03-02",
                "--currency",
                "USD",
                "--line",
                "x;price=1",
            ],
            "no exchange rate",
        ),
        (["invoice", "post", "999"], "unknown invoice"),
        (["payment", "register", "C1", "0", "--date", "2026-03-02"], "must be positive"),
        (["payment", "register", "C1", "1.5", "--date", "2026-03-02"], "decimal places"),
        (["payment", "allocate", "BANK/2026/00009", "1"], "unknown payment"),
        (["period", "close", "2026-02"], "close period 2026-01 first"),
        (["year", "close", "1999"], "unknown fiscal year"),
        (["rate", "set", "XXX", "2026-03-01", "1"], "unknown currency"),
        (["classify", "108", "nowhere"], "Invalid value"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cli, args, message):
    db, company, jangbu = cli
    with db.session() as s:
        before = ledger.verify(s, company).transactions
    result = jangbu("finance", *args, ok=False)
    assert result.exit_code != 0
    assert message in result.output and result.output.count("\n") == 1
    with db.session() as s:
        assert ledger.verify(s, company).transactions == before


def test_a_company_without_finance_is_told_so(fdb, run):
    fdb.company("BARE")
    result = run("finance", "invoice", "list", company="BARE")
    assert result.exit_code == 1 and "plugin 'finance' is not installed for company BARE" in result.output


def test_line_specs_parse_exactly():
    line = parse_line("Paper, A4; qty=2.5; price=1,200.50; tax=VAT10-S,VAT0-S; discount=5; account=401")
    assert (line.description, str(line.quantity), str(line.unit_price), line.taxes, str(line.discount),
            line.account) == ("Paper, A4", "2.5", "1200.50", ("VAT10-S", "VAT0-S"), "5", "401")
    assert parse_line("x;price=1;tax=").taxes == ()
    with pytest.raises(Invalid):
        parse_line("x;price=1e")


def test_manual_entries_are_numbered_in_their_journal(cli):
    db, company, jangbu = cli
    first = json.loads(
        jangbu(
            "--json",
            "finance",
            "entry",
            "post",
            "--date",
            "2026-03-02",
            "--leg",
            "819:1800000",
            "--leg",
            "103:-1800000",
            "--memo",
            "Rent",
        ).output
    )
    second = json.loads(
        jangbu(
            "--json",
            "finance",
            "entry",
            "post",
            "--journal",
            "cash",
            "--date",
            "2026-03-03",
            "--leg",
            "101:5000",
            "--leg",
            "103:-5000",
        ).output
    )
    assert (first["name"], second["name"]) == ("MISC/2026/00001", "CASH/2026/00001")
    listed = json.loads(jangbu("--json", "finance", "entry", "list", "--journal", "MISC").output)
    assert [e["name"] for e in listed] == ["MISC/2026/00001"] and listed[0]["memo"] == "Rent"
    refused = jangbu(
        "finance", "entry", "post", "--date", "2026-03-02", "--leg", "819:1", "--leg", "103:-2", ok=False
    )
    assert refused.exit_code == 1 and "does not balance" in refused.output
    after = json.loads(jangbu("--json", "finance", "entry", "post", "--date", "2026-03-04", "--leg", "819:1",
                              "--leg", "103:-1").output)
    assert after["name"] == "MISC/2026/00002"  # the refused entry took no number

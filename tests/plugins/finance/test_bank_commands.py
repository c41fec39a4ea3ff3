"""Bank statements from the command line: import, lines, suggest, match, auto and
statements, and their one-line errors that write nothing."""

from __future__ import annotations

import json

from sqlalchemy import select

from plugins.finance.models import BankLine
from tests.plugins.finance.bank_helpers import HEADER, document, rows

# -- the command line -----------------------------------------------------------------

def test_the_commands(books, run, tmp_path):
    db, company = books
    with db.session() as s:
        invoice = document(s, company, "C1", 1200)
        bill = document(s, company, "S1", 550, kind="bill")
    path = tmp_path / "march.csv"
    path.write_text(
        f'Date,Amount,Memo,Payee\n2026-03-09,"1,200",{invoice.number},Hanbit\n'
        "2026-03-09,-550,paper,Namsan Paper Mill\n2026-03-10,5,interest,Bank\n",
        encoding="utf-8-sig",
    )
    columns = ["--column", "reference=Memo", "--column", "counterparty=Payee"]
    result = run("--json", "finance", "bank", "import", str(path), "--journal", "BANK", *columns)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["name"] == "march.csv" and [l["amount"] for l in data["lines"]] == ["1200", "-550", "5"]
    first, second, third = (l["id"] for l in data["lines"])
    statement = data["id"]

    result = run("finance", "bank", "import", str(path), "--journal", "BANK", *columns)
    assert result.exit_code == 1 and "already" in result.output and "Traceback" not in result.output

    result = run("finance", "bank", "lines", "--open")
    assert result.exit_code == 0 and "Hanbit" in result.output and "1,200" in result.output

    result = run("--json", "finance", "bank", "suggest", str(first))
    best = json.loads(result.output)["suggestions"][0]
    assert best["invoices"] == [invoice.number] and best["strong"] and best["amount"] == "1200"
    result = run("finance", "bank", "suggest", str(second))
    assert bill.number in result.output and "strong" in result.output and "- " in result.output

    result = run("--json", "finance", "bank", "match", str(first), "--invoice", invoice.number)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (
        data["line"]["state"] == "matched" and data["payment"]["allocations"][0]["invoice"] == invoice.number
    )

    result = run("finance", "bank", "match", str(first), "--invoice", invoice.number)
    assert result.exit_code == 1
    assert result.output.strip() == f"jangbu: error: statement line {first} is matched already"

    result = run("--json", "finance", "bank", "auto", str(statement))
    data = json.loads(result.output)
    assert [m["line_id"] for m in data["matched"]] == [second]
    assert data["left"] == [{"line": third, "why": "no strong suggestion"}]

    result = run("finance", "bank", "match", str(third), "--party", "C2")
    assert result.exit_code == 0 and "unallocated 5" in result.output
    result = run("--json", "finance", "bank", "lines", "--statement", str(statement))
    assert [l["state"] for l in json.loads(result.output)] == ["matched"] * 3
    result = run("finance", "bank", "statements")
    assert "march.csv" in result.output


def test_command_errors_are_one_line_and_write_nothing(books, run, tmp_path):
    db, company = books
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2026-03-02,100,a,b\n2026-03-03,1.5,a,b\n", encoding="utf-8")
    cases = [
        (
            ["finance", "bank", "import", str(bad), "--journal", "BANK"],
            "line 3: amount 1.5 has more than 0 decimal places",
        ),
        (
            ["finance", "bank", "import", str(bad), "--journal", "BANK", "--column", "amount"],
            "malformed --column",
        ),
        (["finance", "bank", "import", str(bad), "--journal", "NOPE"], "unknown journal"),
        (
            ["finance", "bank", "import", str(bad), "--journal", "BANK", "--encoding", "klingon"],
            "unknown encoding",
        ),
        (["finance", "bank", "import", str(tmp_path / "missing.csv"), "--journal", "BANK"], "does not exist"),
        (["finance", "bank", "suggest", "42"], "unknown bank statement line '42'"),
        (["finance", "bank", "match", "x1"], "unknown bank statement line 'x1'"),
        (["finance", "bank", "auto", "9"], "unknown bank statement '9'"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code != 0, args
        assert message in result.output and len(result.output.strip().splitlines()) == 1, result.output
    (tmp_path / "korean.csv").write_bytes((HEADER + "2026-03-02,100,입금,한빛\n").encode("cp949"))
    result = run("finance", "bank", "import", str(tmp_path / "korean.csv"), "--journal", "BANK")
    assert result.exit_code == 1 and "--encoding cp949" in result.output
    with db.session() as s:
        assert rows(s) == (0, 0)
    result = run(
        "finance", "bank", "import", str(tmp_path / "korean.csv"), "--journal", "BANK", "--encoding", "cp949"
    )
    assert result.exit_code == 0, result.output
    with db.session() as s:
        assert [l.counterparty for l in s.scalars(select(BankLine))] == ["한빛"]

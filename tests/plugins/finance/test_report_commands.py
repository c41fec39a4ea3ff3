"""Finance's reports from the command line: a table, JSON and CSV of every report,
and bad input as one line with a non-zero exit; and the tables behind them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest

from core.catalog import create_party
from plugins.finance.reports import (
    aged_balances,
    as_table,
    balance_sheet,
    cash_flow,
    general_ledger,
    profit_and_loss,
    trial_balance,
)
from tests.plugins.finance.report_helpers import Y25, Ops

# -- the command line ----------------------------------------------------------

@pytest.fixture
def cli(business, run):
    db, company = business

    def jangbu(*args):
        result = run(*args)
        assert "Traceback" not in result.output
        return result

    return jangbu


def ok(result):
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


def test_every_report_prints_a_table(cli):
    out = ok(cli("finance", "report", "pnl", "--from", "2025-01-01", "--to", "2025-12-31")).stdout
    assert (
        "Profit and loss of ACME, 2025-01-01..2025-12-31" in out and "250,000" in out and "Net income" in out
    )
    out = ok(cli("finance", "report", "trial-balance", "--from", "2025-01-01", "--to", "2025-12-31")).stdout
    assert "opening" in out and "Total" in out and "56,350,000" in out
    out = ok(
        cli("finance", "report", "trial-balance", "--as-of", "2025-12-31", "--compare", "previous-year")
    ).stdout
    assert "as of 2025-12-31 (compared with 2024-12-31)" in out and "difference" in out
    out = ok(cli("finance", "report", "balance-sheet", "--as-of", "2025-12-31")).stdout
    assert "Total liabilities and equity" in out and "67,200,000" in out
    out = ok(cli("finance", "report", "cash-flow", "--from", "2025-01-01", "--to", "2025-12-31",
                 "--compare", "previous-year")).stdout
    assert "Net change in cash" in out and "compared with 2024-01-01..2024-12-31" in out
    out = ok(cli("finance", "report", "aged", "--as-of", "2025-12-31", "--payables")).stdout
    assert "Aged payables" in out and "1,650,000" in out and "over 90" in out
    out = ok(cli("finance", "report", "general-ledger", "--from", "2025-01-01", "--to", "2025-12-31",
                 "--account", "108")).stdout
    assert "Opening balance" in out and "INV/2025/00001" in out and "Closing balance" in out
    out = ok(cli("finance", "report", "pnl")).stdout  # the fiscal year to date
    assert f"{dt.date.today().year}-01-01..{dt.date.today()}" in out


def test_reports_as_json(cli):
    data = json.loads(
        ok(
            cli(
                "--json",
                "finance",
                "report",
                "pnl",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--compare",
                "previous-year",
            )
        ).stdout
    )
    net = next(line for line in data["lines"] if line["key"] == "net_income")
    assert net["amount"] == "250000" and net["compare"] == "0" and net["difference"] == "250000"
    assert data["compare_start"] == "2024-01-01" and "401" in net["accounts"]
    data = json.loads(ok(cli("--json", "finance", "report", "trial-balance", "--as-of", "2025-12-31")).stdout)
    assert data["totals"]["closing_debit"] == data["totals"]["closing_credit"] and data["start"] is None
    data = json.loads(ok(cli("--json", "finance", "report", "aged", "--as-of", "2025-12-31")).stdout)
    assert data["totals"]["total"] == data["ledger_balance"] == "900000"
    data = json.loads(ok(cli("--json", "finance", "report", "general-ledger", "--from", "2025-07-01",
                             "--to", "2025-07-31", "--account", "103")).stdout)
    assert data["accounts"][0]["lines"][0]["entry"].startswith("BANK/2025/")


def test_reports_as_csv_keep_exact_amounts_and_quote_formulas(cli, business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        create_party(s, company, "=EVIL", "=HYPERLINK(\"http://x\")")
        Ops(s, company).sale("2025-12-01", 123_456, "=EVIL")
    rows = list(csv.reader(io.StringIO(ok(cli("finance", "report", "aged", "--as-of", "2025-12-31",
                                                  "--csv")).stdout)))
    assert rows[0][:3] == ["party", "name", "not due"]
    evil = next(row for row in rows if row[0] == "'=EVIL")
    assert evil[1].startswith("'=HYPERLINK") and evil[-1] == "135802"
    rows = list(
        csv.DictReader(
            io.StringIO(
                ok(cli("finance", "report", "balance-sheet", "--as-of", "2025-12-31", "--csv")).stdout
            )
        )
    )
    assert {r["key"]: r["amount"] for r in rows}[
        "depreciation"
    ] == "-1200000"  # a negative amount stays a number
    rows = list(
        csv.DictReader(
            io.StringIO(
                ok(
                    cli(
                        "finance",
                        "report",
                        "trial-balance",
                        "--from",
                        "2025-01-01",
                        "--to",
                        "2025-12-31",
                        "--csv",
                    )
                ).stdout
            )
        )
    )
    assert sum(D(r["debit"]) for r in rows) == sum(D(r["credit"]) for r in rows)
    assert "Total" not in {r["name"] for r in rows}


@pytest.mark.parametrize("args, message", [
    (("pnl", "--from", "2025-13-01"), "malformed date"),
    (("pnl", "--from", "2025-12-31", "--to", "2025-01-01"), "after it ends"),
    (("pnl", "--compare", "last-week"), "unknown comparison"),
    (("balance-sheet", "--compare", "someday"), "unknown comparison"),
    (("trial-balance", "--as-of", "2025-12-31", "--from", "2025-01-01"), "either --as-of"),
    (("general-ledger", "--account", "NOPE"), "NOPE"),
    (("budget", "NOBUDGET"), "unknown budget"),
    (("pnl", "--csv"), None),
])
def test_bad_input_is_one_line_and_non_zero(cli, args, message):
    if message is None:  # --csv with the global --json
        result = cli("--json", "finance", "report", *args)
        message = "choose one"
    else:
        result = cli("finance", "report", *args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_tables_of_every_report(business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        for report in (
            trial_balance(s, company, *Y25, compare="previous-year"),
            trial_balance(s, company),
            general_ledger(s, company, *Y25),
            profit_and_loss(s, company, *Y25),
            balance_sheet(s, company, Y25[1], compare="previous-year"),
            cash_flow(s, company, *Y25),
            aged_balances(s, company, Y25[1], compare="2025-06-30"),
        ):
            for for_csv in (False, True):
                table = as_table(report, for_csv=for_csv)
                assert table.rows and all(len(row) == len(table.headers) for row in table.rows)
        with pytest.raises(TypeError):
            as_table(object())

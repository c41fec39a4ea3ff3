"""Budgets: planned amounts per account and period, in the account's natural
sign, and budget against actual with the variance, from the services and
the command line."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cli import create_cli
from core.errors import Conflict, Invalid, NotFound
from core.ledger import Account, create_account
from plugins.finance.budgets import (
    budget_amounts,
    create_budget,
    find_budget,
    list_budgets,
    set_amount,
    spread_amount,
)
from plugins.finance.closing import close_year
from plugins.finance.models import BudgetLine
from plugins.finance.report_commands import budget as budget_group
from plugins.finance.reports import budget_vs_actual, profit_and_loss, variance_percent
from tests.plugins.finance.report_helpers import Y25


@pytest.fixture
def plan(business):
    """Budget "Plan 2025": revenue 3,600,000 a year, supplies 200,000 in November, bank 1,000,000 in June."""
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        create_budget(s, company, "Plan 2025", "2025")
        spread_amount(s, company, "Plan 2025", "401", "3,600,000")
        set_amount(s, company, "Plan 2025", "830", "2025-11", "200000")
        set_amount(s, company, "Plan 2025", "103", "2025-06", "1000000")
    return db, company


def test_amounts_are_given_and_read_in_the_natural_sign_and_stored_debit_positive(plan):
    db, company = plan
    with db.session() as s:
        company = s.merge(company)
        budget = find_budget(s, company, "Plan 2025")
        stored = s.scalars(select(BudgetLine.amount_units).join(Account, Account.id == BudgetLine.account_id)
                           .where(BudgetLine.budget_id == budget.id, Account.code == "401")).all()
        assert set(stored) == {-300_000}  # income is a credit
        revenue = budget_amounts(s, company, budget, "401")
        assert [a.period for a in revenue] == [f"2025-{m:02d}" for m in range(1, 13)]
        assert {a.amount for a in revenue} == {300_000} and sum(a.amount for a in revenue) == 3_600_000
        assert [(a.account, a.period, a.amount) for a in budget_amounts(s, company, budget, "830")] == [
            ("830", "2025-11", 200_000)]
        set_amount(s, company, budget, "830", "2025-11", "250000")  # replaces
        assert [a.amount for a in budget_amounts(s, company, budget, "830")] == [250_000]
        assert [b.name for b in list_budgets(s, company)] == ["Plan 2025"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(units=st.integers(min_value=-10**12, max_value=10**12), code=st.sampled_from(["401", "830", "103"]))
def test_spreading_loses_nothing_and_keeps_the_sign(plan, units, code):
    db, company = plan
    with db.session() as s:
        company = s.merge(company)
        spread_amount(s, company, "Plan 2025", code, D(units))
        parts = [a.amount for a in budget_amounts(s, company, "Plan 2025", code)]
        assert len(parts) == 12 and sum(parts) == units
        assert all(p * units >= 0 for p in parts) and max(parts) - min(parts) <= 11


def test_bad_budgets_are_refused(plan):
    db, company = plan
    with db.session() as s:
        company = s.merge(company)
        create_account(s, company, "WH", "Warehouse", "stock")
        for call, error in [
            (lambda: create_budget(s, company, "Plan 2025", "2025"), Conflict),
            (lambda: create_budget(s, company, " ", "2025"), Invalid),
            (lambda: create_budget(s, company, "X", "twenty"), Invalid),
            (lambda: create_budget(s, company, "X", "0000"), Invalid),
            (lambda: create_budget(s, company, "X", "2025-03"), NotFound),
            (lambda: find_budget(s, company, "Nope"), NotFound),
            (lambda: set_amount(s, company, "Plan 2025", "401", "2026-01", "1"), Invalid),
            (lambda: set_amount(s, company, "Plan 2025", "WH", "2025-01", "1"), Invalid),
            (lambda: set_amount(s, company, "Plan 2025", "NOPE", "2025-01", "1"), NotFound),
            (lambda: set_amount(s, company, "Plan 2025", "401", "2025-01", "1.5"), Invalid),
            (lambda: set_amount(s, company, "Plan 2025", "401", "2025-01", "abc"), Invalid),
            (lambda: budget_vs_actual(s, company, "Plan 2025", "2026-01-01", "2026-03-31"), Invalid),
        ]:
            with pytest.raises(error):
                with s.begin_nested():
                    call()
        budget = create_budget(s, company, "By date", "2025-06-30")
        assert budget.fiscal_year.name == "2025"


def test_budget_against_actual_per_period(plan):
    db, company = plan
    with db.session() as s:
        company = s.merge(company)
        report = budget_vs_actual(s, company, "Plan 2025")
        assert (report.start, report.end, report.year, report.by_period) == (*Y25, "2025", True)
        march, april, june = (report.row("401", f"2025-{m}") for m in ("03", "04", "06"))
        assert (march.budget, march.actual, march.variance, march.variance_percent, march.favourable) == (
            300_000, 1_000_000, 700_000, D("233.3"), True)
        assert (april.actual, april.variance_percent) == (2_000_000, D("566.7"))
        assert (june.actual, june.variance, june.variance_percent) == (
            0,
            -300_000,
            D("-100.0"),
        )  # the credit note
        revenue = report.row("401")
        assert (revenue.budget, revenue.actual, revenue.variance, revenue.variance_percent) == (
            3_600_000, 3_000_000, -600_000, D("-16.7"))
        supplies = report.row("830", "2025-11")
        assert (supplies.budget, supplies.actual, supplies.variance, supplies.favourable) == (
            200_000, 300_000, 100_000, False)
        unplanned = report.row("818")  # depreciation: actuals, no budget
        assert (unplanned.budget, unplanned.actual, unplanned.variance_percent, unplanned.favourable) == (
            0, 1_200_000, None, False)
        bank = report.row("103", "2025-06")
        assert bank.budget == 1_000_000 and bank.favourable is None
        # Every account's periods add up to its total row, and the totals to the profit and loss.
        for total in (r for r in report.rows if r.period is None):
            parts = [r for r in report.rows if r.account == total.account and r.period is not None]
            assert (
                sum(r.actual for r in parts) == total.actual and sum(r.budget for r in parts) == total.budget
            )
        pnl = profit_and_loss(s, company, *Y25)
        assert sum(r.actual for r in report.rows if r.period is None and r.account in ("401", "412")) == \
            pnl.amount("revenue")


def test_budget_against_actual_over_a_range_and_after_the_close(plan):
    db, company = plan
    with db.session() as s:
        company = s.merge(company)
        spring = budget_vs_actual(s, company, "Plan 2025", "2025-03-15", "2025-04-10", by_period=False)
        assert (str(spring.start), str(spring.end)) == ("2025-03-01", "2025-04-30")  # whole periods
        assert all(r.period is None for r in spring.rows)
        assert (spring.row("401").budget, spring.row("401").actual) == (600_000, 3_000_000)
        before = budget_vs_actual(s, company, "Plan 2025")
        close_year(s, company, "2025")
        assert budget_vs_actual(s, company, "Plan 2025") == before  # the closing entry is not an actual


def test_variance_percent():
    assert variance_percent(D(1), D(3)) == D("33.3") and variance_percent(D(2), D(3)) == D("66.7")
    assert variance_percent(D(-1), D(-8)) == D("-12.5") and variance_percent(D(5), D(0)) is None


# -- the command line ----------------------------------------------------------

@pytest.fixture
def jangbu(plan):
    db, company = plan
    cli = create_cli(db.plugins)
    finance = cli.commands["finance"]
    if "budget" not in finance.commands:  # until commands.py wires it in
        finance.add_command(budget_group)
    runner = CliRunner()

    def invoke(*args):
        result = runner.invoke(
            cli, ["--database", db.url, "--company", "ACME", *args], catch_exceptions=False
        )
        assert "Traceback" not in result.output
        return result

    return invoke


def test_budgets_from_the_command_line(jangbu):
    assert jangbu("finance", "budget", "create", "Lean", "--year", "2025").exit_code == 0
    result = jangbu("finance", "budget", "set", "Lean", "801", "1200000", "--spread")
    assert result.exit_code == 0 and "2025-12" in result.stdout and "100,000" in result.stdout
    result = jangbu("--json", "finance", "budget", "set", "Lean", "801", "150000", "--period", "2025-02")
    feb = next(row for row in json.loads(result.stdout) if row["period"] == "2025-02")
    assert feb["amount"] == "150000"
    listed = json.loads(jangbu("--json", "finance", "budget", "list").stdout)
    assert {(b["name"], b["year"]) for b in listed} == {("Lean", "2025"), ("Plan 2025", "2025")}
    shown = jangbu("finance", "budget", "show", "Plan 2025", "--account", "830").stdout
    assert "2025-11" in shown and "200,000" in shown
    report = jangbu("finance", "report", "budget", "Plan 2025", "--from", "2025-11-01", "--to", "2025-11-30")
    assert (
        report.exit_code == 0
        and "Budget Plan 2025 (2025) against actual, 2025-11-01..2025-11-30" in report.stdout
    )
    rows = list(csv.DictReader(io.StringIO(jangbu("finance", "report", "budget", "Plan 2025", "--total",
                                                  "--csv").stdout)))
    revenue = next(r for r in rows if r["account"] == "401")
    assert (revenue["budget"], revenue["actual"], revenue["variance %"], revenue["period"]) == (
        "3600000", "3000000", "-16.7", "")
    data = json.loads(jangbu("--json", "finance", "report", "budget", "Plan 2025").stdout)
    assert data["budget"] == "Plan 2025" and data["rows"][0]["type"] in ("asset", "income", "expense")


@pytest.mark.parametrize("args, message", [
    (("budget", "create", "Plan 2025", "--year", "2025"), "already"),
    (("budget", "set", "Plan 2025", "401", "10"), "either --period"),
    (("budget", "set", "Plan 2025", "401", "10", "--period", "2025-01", "--spread"), "either --period"),
    (("budget", "set", "Plan 2025", "401", "1.5", "--period", "2025-01"), "decimal places"),
    (("budget", "set", "Plan 2025", "401", "10", "--period", "2030-01"), "not in fiscal year"),
    (("budget", "show", "Nope"), "unknown budget"),
    (("report", "budget", "Plan 2025", "--from", "2027-01-01", "--to", "2027-03-31"), "no period"),
    (("report", "budget", "Plan 2025", "--from", "2027-01-01"), "after it ends"),
    (("report", "budget", "Plan 2025", "--to", "2025-02-30"), "malformed date"),
])
def test_bad_budget_input_is_one_line(jangbu, args, message):
    result = jangbu("finance", *args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr

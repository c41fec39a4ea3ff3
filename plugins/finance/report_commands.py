"""``jangbu finance report`` and ``jangbu finance budget``: thin commands over
:mod:`plugins.finance.reports` and :mod:`plugins.finance.budgets`.

Every report prints a table, the report as JSON with the global ``--json``,
or CSV with ``--csv`` (exact amounts; text that a spreadsheet would run as
a formula is quoted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any, Optional

import click

from cli.context import Env
from core.csvtext import defuse
from core.errors import Invalid
from core.models import Company
from core.values import parse_date, plain
from plugins.finance import budgets as budget_services
from plugins.finance import reports
from plugins.finance.journals import year_bounds

__all__ = ["report", "budget"]



# -- shared ---------------------------------------------------------------------

def _period_options(fn):
    fn = click.option(
        "--compare",
        metavar="WHAT",
        help="previous-period, previous-year or FROM..TO: adds the comparison and the difference.",
    )(fn)
    fn = click.option("--to", "to_", metavar="DATE", help="Last day (default: today).")(fn)
    fn = click.option("--from", "from_", metavar="DATE",
                      help="First day (default: the start of the fiscal year of --to).")(fn)
    return fn


def _csv_option(fn):
    return click.option("--csv", "as_csv", is_flag=True, help="Write CSV to standard output.")(fn)


def _range(company: Company, from_: Optional[str], to_: Optional[str]) -> reports.DateRange:
    """--from/--to with their defaults: the current fiscal year to date."""
    end = parse_date(to_) if to_ else dt.date.today()
    start = parse_date(from_) if from_ else year_bounds(company, end)[0]
    return reports.date_range(start, end)


def _cell(value: Any) -> str:
    """A cell for people: amounts with thousands separators."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(plain(value))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(plain(value))
    return defuse(text) if isinstance(value, str) else text  # a spreadsheet must not run text as a formula


def _show(env: Env, data: Any, as_csv: bool, heading: str) -> None:
    """The report as CSV, JSON (global --json) or a table under ``heading``."""
    if as_csv:
        if env.json:
            raise Invalid("--csv and --json are two formats: choose one")
        table = reports.as_table(data, for_csv=True)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.headers)
        writer.writerows([_csv_cell(c) for c in row] for row in table.rows)
        click.echo(out.getvalue(), nl=False)
        return

    def text() -> None:
        click.echo(heading)
        table = reports.as_table(data)
        env.table(table.headers, [[_cell(c) for c in row] for row in table.rows], table.right)

    env.emit(data, text)


def _compared(start, end) -> str:
    if end is None:
        return ""
    return f" (compared with {start}..{end})" if start is not None else f" (compared with {end})"


# -- reports --------------------------------------------------------------------

@click.group()
def report() -> None:
    """Financial reports: trial balance, ledger, statements, aged balances, budgets."""


@report.command("trial-balance")
@_period_options
@click.option("--as-of", metavar="DATE", help="Balances as of DATE only (instead of a period).")
@_csv_option
@click.pass_obj
def trial_balance_command(env: Env, from_, to_, compare, as_of, as_csv) -> None:
    """Each account's opening balance, debits, credits and closing balance (or its balance --as-of a date)."""
    if as_of and (from_ or to_):
        raise Invalid("give either --as-of or --from/--to, not both")
    with env.session() as session:
        company = env.company(session)
        if as_of:
            data = reports.trial_balance(session, company, None, parse_date(as_of), compare=compare)
            heading = f"Trial balance of {company.code} as of {data.end}"
        else:
            period = _range(company, from_, to_)
            data = reports.trial_balance(session, company, period.start, period.end, compare=compare)
            heading = f"Trial balance of {company.code}, {period}"
    _show(env, data, as_csv, f"{heading}{_compared(data.compare_start, data.compare_end)}, {data.currency}")


@report.command("general-ledger")
@_period_options
@click.option("--account", metavar="CODE", help="Only this account.")
@_csv_option
@click.pass_obj
def general_ledger_command(env: Env, from_, to_, compare, account, as_csv) -> None:
    """Each account's postings with a running balance."""
    with env.session() as session:
        company = env.company(session)
        period = _range(company, from_, to_)
        data = reports.general_ledger(
            session, company, period.start, period.end, account=account, compare=compare
        )
    _show(env, data, as_csv, f"General ledger of {company.code}, {period}, {data.currency}")


def _statement_command(name: str, build, title: str, help_text: str):
    @report.command(name, help=help_text)
    @_period_options
    @_csv_option
    @click.pass_obj
    def command(env: Env, from_, to_, compare, as_csv) -> None:
        with env.session() as session:
            company = env.company(session)
            period = _range(company, from_, to_)
            data = build(session, company, period.start, period.end, compare=compare)
        _show(env, data, as_csv, f"{title} of {company.code}, {period}"
                                 f"{_compared(data.compare_start, data.compare_end)}, {data.currency}")

    return command


_statement_command("pnl", reports.profit_and_loss, "Profit and loss",
                   "Profit and loss: revenue, costs, gross profit, operating result, net income.")
_statement_command(
    "cash-flow",
    reports.cash_flow,
    "Cash flow",
    "Cash flow (indirect method): operating, investing and financing cash, and the change in cash.",
)


@report.command("balance-sheet")
@click.option("--as-of", metavar="DATE", help="Balances as of DATE (default: today).")
@click.option("--compare", metavar="WHAT", help="previous-period (a month earlier), previous-year or a DATE.")
@_csv_option
@click.pass_obj
def balance_sheet_command(env: Env, as_of, compare, as_csv) -> None:
    """Assets, liabilities and equity; they always balance."""
    with env.session() as session:
        company = env.company(session)
        data = reports.balance_sheet(session, company, parse_date(as_of) if as_of else None, compare=compare)
    _show(env, data, as_csv, f"Balance sheet of {company.code} as of {data.end}"
                             f"{_compared(None, data.compare_end)}, {data.currency}")


@report.command("aged")
@click.option("--as-of", metavar="DATE", help="Open items as of DATE (default: today).")
@click.option("--payables", is_flag=True, help="What we owe suppliers (default: what customers owe us).")
@click.option("--compare", metavar="WHAT", help="previous-period (a month earlier), previous-year or a DATE.")
@_csv_option
@click.pass_obj
def aged_command(env: Env, as_of, payables, compare, as_csv) -> None:
    """Open receivables (or --payables) per party, by days past due."""
    with env.session() as session:
        company = env.company(session)
        data = reports.aged_balances(
            session, company, parse_date(as_of) if as_of else None, payables=payables, compare=compare
        )
    _show(env, data, as_csv, f"Aged {data.side} of {company.code} as of {data.as_of}"
                             f"{_compared(None, data.compare_as_of)}, {data.currency}; "
                             f"ledger balance of {data.account}: {data.ledger_balance:,}")


@report.command("budget")
@click.argument("name")
@click.option(
    "--from", "from_", metavar="DATE", help="From the period containing DATE (default: the budget's year)."
)
@click.option("--to", "to_", metavar="DATE", help="To the period containing DATE.")
@click.option("--total", is_flag=True, help="One row per account over the whole range, no periods.")
@_csv_option
@click.pass_obj
def budget_report_command(env: Env, name, from_, to_, total, as_csv) -> None:
    """Budget NAME against actual: per account and period, with the variance."""
    with env.session() as session:
        company = env.company(session)
        data = reports.budget_vs_actual(session, company, name, parse_date(from_) if from_ else None,
                                        parse_date(to_) if to_ else None, by_period=not total)
    _show(env, data, as_csv, f"Budget {data.budget} ({data.year}) against actual, {data.start}..{data.end}, "
                             f"{data.currency}")


# -- budgets --------------------------------------------------------------------

@click.group()
def budget() -> None:
    """Budgets: amounts planned per account and period."""


@budget.command("create")
@click.argument("name")
@click.option(
    "--year", required=True, metavar="YEAR", help="The fiscal year, by name (2026) or a date inside it."
)
@click.pass_obj
def budget_create(env: Env, name, year) -> None:
    """Create an empty budget NAME for a fiscal year."""
    with env.session() as session:
        company = env.company(session)
        row = budget_services.create_budget(session, company, name, year)
        data = {"name": row.name, "year": row.fiscal_year.name}
    env.emit(data, f"budget {data['name']} created for fiscal year {data['year']}")


@budget.command("list")
@click.pass_obj
def budget_list(env: Env) -> None:
    """The company's budgets."""
    with env.session() as session:
        rows = budget_services.list_budgets(session, env.company(session))
        data = [{"name": b.name, "year": b.fiscal_year.name} for b in rows]
    env.emit(data, lambda: env.table(["budget", "year"], [[d["name"], d["year"]] for d in data]))


@budget.command("set")
@click.argument("name")
@click.argument("account")
@click.argument("amount")
@click.option("--period", metavar="PERIOD", help="The period (like 2026-03).")
@click.option(
    "--spread", is_flag=True, help="AMOUNT is for the whole year: spread it evenly over its periods."
)
@click.pass_obj
def budget_set(env: Env, name, account, amount, period, spread) -> None:
    """Plan AMOUNT (income and expenses both positive) for ACCOUNT in budget NAME."""
    if bool(period) == spread:
        raise Invalid("give either --period PERIOD or --spread")
    with env.session() as session:
        company = env.company(session)
        if spread:
            budget_services.spread_amount(session, company, name, account, amount)
        else:
            budget_services.set_amount(session, company, name, account, period, amount)
        data = budget_services.budget_amounts(session, company, name, account)
    env.emit(data, lambda: _amounts(env, data))


@budget.command("show")
@click.argument("name")
@click.option("--account", metavar="CODE", help="Only this account.")
@click.pass_obj
def budget_show(env: Env, name, account) -> None:
    """The amounts planned in budget NAME."""
    with env.session() as session:
        data = budget_services.budget_amounts(session, env.company(session), name, account)
    env.emit(data, lambda: _amounts(env, data))


def _amounts(env: Env, data) -> None:
    env.table(
        ["account", "name", "period", "amount"],
        [[d.account, d.name, d.period, _cell(d.amount)] for d in data],
        [3],
    )

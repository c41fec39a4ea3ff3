"""``jangbu sales analysis``, ``jangbu sales target set|list|remove`` and
``jangbu sales forecast``: the analysis of what was sold, salesperson
targets against actuals, and the weighted pipeline forecast. ``--json``
prints the same records the web pages answer with."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import attrs
import click

from cli.context import Env
from plugins.sales.analysis import DIMENSIONS, PERIODS, Analysis, analyse
from plugins.sales.forecast import forecast as weighted_forecast
from plugins.sales.targets import (
    list_targets,
    month_key,
    month_of,
    remove_target,
    set_target,
    targets_vs_actuals,
)

__all__ = ["COMMANDS", "analysis", "target", "forecast", "analysis_data"]

HEADERS = ["orders", "lines", "revenue", "costed lines", "costed revenue", "cost", "margin", "margin %"]


def _pct(value) -> str:
    return "" if value is None else f"{value}%"


def _figures(row) -> list:
    return [
        row.orders,
        row.lines,
        f"{row.revenue:,}",
        row.costed_lines,
        f"{row.costed_revenue:,}",
        f"{row.cost:,}",
        f"{row.margin:,}",
        _pct(row.margin_percent),
    ]


def analysis_data(result: Analysis) -> dict:
    return attrs.asdict(result)


@click.command()
@click.option("--by", "by", type=click.Choice(DIMENSIONS), default="product", show_default=True,
              help="What to group the sales by.")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="The first day counted (by confirmation day).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="The last day counted.")
@click.option("--period", type=click.Choice(PERIODS), default="month", show_default=True,
              help="With --by period: months, quarters or years.")
@click.option("--currency", metavar="CODE", help="The orders' currency (default: the company's).")
@click.pass_obj
def analysis(env: Env, by: str, start: Optional[str], end: Optional[str], period: str,
             currency: Optional[str]) -> None:
    """Revenue, cost and margin of confirmed and done orders, grouped by product, customer, region,
    salesperson or period. The margin covers only lines whose cost is known (delivered in full from
    valued stock); the costed columns say how much that is."""
    with env.session() as session:
        result = analyse(session, env.company(session), by, start=start, end=end, period=period,
                         currency=currency)

    def show() -> None:
        span = f"{result.start or '…'} to {result.end or '…'}"
        click.echo(
            f"sales by {by}{' (' + period + ')' if by == 'period' else ''}, {span}, in {result.currency}"
        )
        rows = [[r.key if r.key is not None else "-", r.name, *_figures(r)] for r in result.rows]
        rows.append(["total", "", *_figures(result.total)])
        env.table([by, "name", *HEADERS], rows, right=range(2, 10))
        total = result.total
        if total.lines:
            click.echo(f"margin over {total.costed_lines} of {total.lines} lines whose cost is known "
                       f"({total.costed_revenue:,} of {total.revenue:,} revenue)")
        if result.other_currencies:
            click.echo(f"left out: orders in {', '.join(result.other_currencies)} (see --currency)")

    env.emit(analysis_data(result), show)


@click.group()
def target() -> None:
    """Salesperson targets per month, and how far each got."""


@target.command("set")
@click.argument("user")
@click.argument("month")
@click.argument("amount")
@click.pass_obj
def target_set(env: Env, user: str, month: str, amount: str) -> None:
    """Set USER's target for MONTH (YYYY-MM) to AMOUNT (untaxed, company currency)."""
    with env.session() as session:
        record = set_target(session, env.company(session), user, month, amount)
    env.emit(record, f"target of {record.user} for {month_key(record.month)}: {record.amount:,}")


@target.command("remove")
@click.argument("user")
@click.argument("month")
@click.pass_obj
def target_remove(env: Env, user: str, month: str) -> None:
    """Remove USER's target for MONTH (YYYY-MM)."""
    with env.session() as session:
        remove_target(session, env.company(session), user, month)
    first = month_of(month)
    env.emit(
        {"user": user, "month": first, "removed": True}, f"target of {user} for {month_key(first)} removed"
    )


def _this_year() -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 1)


@target.command("list")
@click.option("--from", "start", metavar="YYYY-MM", help="The first month (default: January this year).")
@click.option("--to", "end", metavar="YYYY-MM", help="The last month (default: December this year).")
@click.option("--user", help="One salesperson only.")
@click.option("--targets-only", is_flag=True, help="The targets alone, without actuals.")
@click.pass_obj
def target_list(
    env: Env, start: Optional[str], end: Optional[str], user: Optional[str], targets_only: bool
) -> None:
    """Targets against actuals per salesperson and month, with the attainment in per cent."""
    first, last = _this_year()
    with env.session() as session:
        company = env.company(session)
        if targets_only:
            data = list_targets(session, company, start=start, end=end, username=user)
        else:
            data = targets_vs_actuals(session, company, start or first, end or last, username=user)

    def show() -> None:
        if targets_only:
            env.table(["month", "user", "name", "target"],
                      [[month_key(t.month), t.user, t.name, f"{t.amount:,}"] for t in data], right=[3])
        else:
            env.table(["month", "user", "name", "target", "actual", "attainment"],
                      [[month_key(a.month), a.user, a.name, "" if a.target is None else f"{a.target:,}",
                        f"{a.actual:,}", _pct(a.attainment)] for a in data], right=[3, 4, 5])

    env.emit(data, show)


@click.command()
@click.option("--owner", metavar="USER", help="One salesperson's opportunities only.")
@click.option("--today", metavar="YYYY-MM-DD", help="The day the forecast is made on (default: today).")
@click.pass_obj
def forecast(env: Env, owner: Optional[str], today: Optional[str]) -> None:
    """The weighted pipeline by month of expected close: expected revenue × probability of the open
    opportunities; an expected close in the past counts in the current month."""
    with env.session() as session:
        result = weighted_forecast(session, env.company(session), today=today, owner=owner)

    def show() -> None:
        rows = [[month_key(m.month) if m.month else "no date", m.opportunities, f"{m.expected:,}",
                 f"{m.weighted:,}", m.overdue or ""] for m in result.months]
        rows.append(["total", result.opportunities, f"{result.expected:,}", f"{result.weighted:,}", ""])
        click.echo(f"weighted pipeline on {result.today.isoformat()}, in {result.currency}")
        env.table(["month", "opportunities", "expected", "weighted", "overdue"], rows, right=[1, 2, 3, 4])

    env.emit(result, show)


COMMANDS = [analysis, target, forecast]

"""``jangbu procurement performance|risk|single-source``: supplier
performance, supplier risk and the products one supplier alone delivers
(:mod:`plugins.procurement.performance`, :mod:`plugins.procurement.risk`).
The ``procurement`` group adds :data:`COMMANDS`."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import click

from cli.context import Env
from core.values import parse_date
from plugins.procurement.performance import performance as measure
from plugins.procurement.risk import single_source as single_sourced
from plugins.procurement.risk import supplier_risk

__all__ = ["COMMANDS", "performance", "risk", "single_source"]


def _pct(rate: Optional[Decimal]) -> str:
    """A 0..1 rate as percent text, ``-`` when unknown."""
    return "-" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))} %"


def _or_dash(value) -> str:
    return "-" if value is None else str(value)


def _amounts(amounts: dict) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in amounts.items()) or "-"


_period = [
    click.option("--from", "start", metavar="DATE", help="First day of the period (default: all history)."),
    click.option("--to", "end", metavar="DATE", help="Last day of the period (default: all history)."),
]


def _with_period(command):
    for option in reversed(_period):
        command = option(command)
    return command


@click.command()
@click.option("--supplier", metavar="CODE", help="One supplier only.")
@_with_period
@click.option("--today", metavar="DATE", help="Judge which lines are due as of DATE (default: today).")
@click.pass_obj
def performance(env: Env, supplier: Optional[str], start: Optional[str], end: Optional[str],
                today: Optional[str]) -> None:
    """Supplier performance: on time in full, lead time, price variance, returns and the score."""
    with env.session() as session:
        rows = measure(session, env.company(session), supplier=supplier, start=start, end=end,
                       today=parse_date(today) if today else None)
        data = [row.as_dict() for row in rows]

    def text() -> None:
        if not rows:
            click.echo("no supplier history in the period")
            return
        env.table(["supplier", "orders", "OTIF", "lines due", "lead time", "sd", "billed vs ordered",
                   "ordered vs catalogue", "returns", "spend", "score"],
                  [[r.supplier, r.orders, _pct(r.otif), r.lines_due,
                    _or_dash(r.lead_time_mean), _or_dash(r.lead_time_stdev),
                    "-" if r.billed_variance is None else f"{r.billed_variance} %",
                    "-" if r.catalogue_variance is None else f"{r.catalogue_variance} %",
                    _pct(r.returns_rate), _amounts(r.spend), _or_dash(r.score)] for r in rows],
                  [1, 2, 3, 4, 5, 6, 7, 8, 10])

    env.emit(data, text)


@click.command()
@_with_period
@click.option("--today", metavar="DATE", help="Judge which lines are due as of DATE (default: today).")
@click.pass_obj
def risk(env: Env, start: Optional[str], end: Optional[str], today: Optional[str]) -> None:
    """Supplier risk: single-source products, lead-time variability and share of spend, riskiest first."""
    with env.session() as session:
        rows = supplier_risk(session, env.company(session), start=start, end=end,
                             today=parse_date(today) if today else None)
        data = [row.as_dict() for row in rows]

    def text() -> None:
        if not rows:
            click.echo("no suppliers")
            return
        env.table(["supplier", "single source", "lead time cv", "share of spend", "risk"],
                  [[r.supplier,
                    f"{len(r.single_source_products)}/{r.products} -> {r.factors[0].contribution}",
                    f"{_pct(r.lead_time_cv)} -> {r.factors[1].contribution}",
                    f"{r.spend_share} % -> {r.factors[2].contribution}", r.score] for r in rows], [4])
        weights = ", ".join(f"{f.key} {f.weight} %" for f in rows[0].factors)
        click.echo(f"weights: {weights}")

    env.emit(data, text)


@click.command("single-source")
@click.option("--supplier", metavar="CODE", help="Only the products of this supplier.")
@click.pass_obj
def single_source(env: Env, supplier: Optional[str]) -> None:
    """Products with exactly one supplier (catalogue or purchase history), for contingency planning."""
    with env.session() as session:
        rows = single_sourced(session, env.company(session), supplier=supplier)
        data = [row.as_dict() for row in rows]

    def text() -> None:
        if not rows:
            click.echo("no single-source products")
            return
        env.table(
            ["product", "name", "supplier", "catalogue", "history", "price", "lead time", "last ordered"],
            [
                [
                    r.product,
                    r.product_name,
                    r.supplier,
                    "yes" if r.in_catalogue else "no",
                    "yes" if r.in_history else "no",
                    "-" if r.price is None else f"{r.price} {r.currency}",
                    _or_dash(r.lead_time_days),
                    _or_dash(r.last_ordered),
                ]
                for r in rows
            ],
            [5, 6],
        )

    env.emit(data, text)


COMMANDS = [performance, risk, single_source]

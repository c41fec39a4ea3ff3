"""``jangbu wms count``: cycle count sheets from the command line."""

from __future__ import annotations

import getpass
from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from core.errors import Invalid
from plugins.wms.counts import approve, cancel_count, count_data, find_count, open_count, plan_counts, record
from plugins.wms.documents import Count, CountState

__all__ = ["count", "parse_counted"]


def parse_counted(values: tuple[str, ...]) -> dict[tuple[str, Optional[str]], str]:
    """``SKU[:LOT]=QTY`` entries as {(sku, lot or None): quantity}; each product and lot once."""
    counted: dict[tuple[str, Optional[str]], str] = {}
    for text in values:
        item, sep, qty = text.rpartition("=")
        sku, _, lot = item.partition(":")
        if not sep or not sku.strip() or not qty.strip() or (":" in item and not lot.strip()):
            raise Invalid(f"malformed count line {text!r}: use SKU=QTY or SKU:LOT=QTY")
        key = (sku.strip(), lot.strip() or None)
        if key in counted:
            raise Invalid(f"{item.strip()} is counted twice")
        counted[key] = qty.strip()
    return counted


def _show(env: Env, data: dict) -> None:
    def text() -> None:
        click.echo(f"{data['number']} {data['location']} [{data['state'].value}] opened {data['date']}"
                   + (f", approved by {data['approved_by']}" if data["approved_by"] else ""))
        env.table(["product", "lot", "expected", "counted", "difference", "unit"],
                  [[d["product"], d["lot"], d["expected"], d["counted"], d["difference"], d["unit"]]
                   for d in data["lines"]], [2, 3, 4])

    env.emit(data, text)


@click.group()
def count() -> None:
    """Cycle counts: open, record, approve."""


@count.command("plan")
@click.option("--date", metavar="DATE", help="Count what is due on DATE (default: today).")
@click.pass_obj
def count_plan(env: Env, date: Optional[str]) -> None:
    """Open a sheet for every location whose count is due."""
    with env.session() as session:
        data = [count_data(sheet) for sheet in plan_counts(session, env.company(session), date)]
    env.emit(data, lambda: click.echo("\n".join(f"{d['number']} {d['location']} ({len(d['lines'])} lines)"
                                                for d in data) or "no count is due"))


@count.command("open")
@click.argument("location_code", metavar="LOCATION")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def count_open(env: Env, location_code: str, date: Optional[str]) -> None:
    """Open a count sheet for LOCATION (its code or barcode)."""
    with env.session() as session:
        data = count_data(open_count(session, env.company(session), location_code, date))
    _show(env, data)


@count.command("show")
@click.argument("number")
@click.pass_obj
def count_show(env: Env, number: str) -> None:
    """One count sheet, line by line."""
    with env.session() as session:
        data = count_data(find_count(session, env.company(session), number))
    _show(env, data)


@count.command("record")
@click.argument("number")
@click.option("--line", "lines", multiple=True, required=True, metavar="SKU[:LOT]=QTY",
              help="What was counted of a product (and lot); repeat for more.")
@click.pass_obj
def count_record(env: Env, number: str, lines: tuple[str, ...]) -> None:
    """Enter counted quantities; goods found that the sheet does not list get their own line."""
    counted = parse_counted(lines)
    with env.session() as session:
        company = env.company(session)
        data = count_data(record(session, company, find_count(session, company, number), counted))
    _show(env, data)


@count.command("approve")
@click.argument("number")
@click.option("--by", "approver", help="Who approves (default: the operating-system user).")
@click.option("--date", metavar="DATE", help="Posting date (default: today).")
@click.pass_obj
def count_approve(env: Env, number: str, approver: Optional[str], date: Optional[str]) -> None:
    """Post a counted sheet's differences against inventory loss."""
    with env.session() as session:
        company = env.company(session)
        sheet = approve(session, company, find_count(session, company, number), approver or _user(), date)
        data = count_data(sheet)
    _show(env, data)


def _user() -> str:
    try:
        return getpass.getuser()
    except (
        OSError,
        KeyError,
        ImportError,
    ):  # no login name (a container without one): still a record of the channel
        return "cli"


@count.command("cancel")
@click.argument("number")
@click.pass_obj
def count_cancel(env: Env, number: str) -> None:
    """Drop a sheet that is not approved."""
    with env.session() as session:
        company = env.company(session)
        data = count_data(cancel_count(session, company, find_count(session, company, number)))
    _show(env, data)


@count.command("list")
@click.option("--state", type=click.Choice([s.value for s in CountState]))
@click.pass_obj
def count_list(env: Env, state: Optional[str]) -> None:
    """Count sheets, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Count).where(Count.company_id == company.id).order_by(Count.id.desc())
        if state:
            query = query.where(Count.state == CountState(state))
        data = [{"number": c.number, "location": c.location.code, "state": c.state, "date": c.date,
                 "lines": len(c.lines), "approved_by": c.approved_by} for c in session.scalars(query)]
    env.emit(
        data,
        lambda: env.table(
            ["number", "location", "state", "date", "lines", "approved by"],
            [
                [d["number"], d["location"], d["state"].value, d["date"], d["lines"], d["approved_by"]]
                for d in data
            ],
        ),
    )

"""``jangbu wms operation|stock|card|turnover|check``: operations and what the
warehouse holds, from the command line."""

from __future__ import annotations

from typing import Optional

import attrs
import click
from sqlalchemy import select

from cli.context import Env
from cli.params import Whole, parse_quantities, split_fields
from core.errors import Invalid
from plugins.wms.documents import Operation, OperationKind, OperationState
from plugins.wms.operations import (
    LineInput,
    cancel,
    confirm,
    create_operation,
    find_operation,
    reserve,
    unreserve,
)
from plugins.wms.queries import (
    availability,
    check_stock,
    stock_card,
    valuation_report,
)
from plugins.wms.queries import (
    turnover as turnover_of,
)
from plugins.wms.validation import LotInput, validate
from plugins.wms.views import operation_data

__all__ = ["operation", "stock", "card", "turnover", "valuation", "check", "parse_line", "parse_lot"]


def parse_line(text: str) -> LineInput:
    """``SKU:QUANTITY[:UNIT_COST]``."""
    return LineInput(*split_fields(text, "line", "SKU:QUANTITY or SKU:QUANTITY:UNIT_COST", 2, 3))


def parse_lot(text: str) -> LotInput:
    """``SKU:LOT[:QUANTITY[:EXPIRY]]``."""
    sku, lot, qty, expiry = split_fields(
        text, "lot", "SKU:LOT, SKU:LOT:QUANTITY or SKU:LOT:QUANTITY:EXPIRY", 2, 4
    )
    return LotInput(sku, lot, qty or "1", expiry)


def _show(env: Env, data: dict, heading: str) -> None:
    def text() -> None:
        click.echo(f"{heading}: {data['number']} {data['kind'].value} [{data['state'].value}] "
                   f"{data['source']} -> {data['destination']}"
                   + (f" party {data['party']}" if data["party"] else "")
                   + (f" origin {data['origin']}" if data["origin"] else ""))
        rows = [
            [m["product"], m["demand"], m["reserved"], m["picked"], m["done"], m["unit"]]
            for m in data["moves"]
        ]
        env.table(["product", "demand", "reserved", "picked", "done", "unit"], rows, [1, 2, 3, 4])
        if data.get("backorder"):
            click.echo(f"backorder: {data['backorder']}")

    env.emit(data, text)


@click.group()
def operation() -> None:
    """Receipts, deliveries and internal transfers."""


@operation.command("create")
@click.argument("kind", type=click.Choice(["receipt", "delivery", "internal"]))
@click.option("--line", "lines", multiple=True, required=True, metavar="SKU:QTY[:COST]",
              help="A product, its quantity and (receipts) unit cost; repeat for more.")
@click.option("--party", help="The supplier or customer.")
@click.option("--warehouse", "warehouse_code", help="Default: the company's first warehouse.")
@click.option("--from", "source", metavar="LOCATION", help="Where the goods come from.")
@click.option("--to", "destination", metavar="LOCATION", help="Where they go.")
@click.option("--scheduled", metavar="DATE")
@click.option("--origin", help="What the operation is for (sales:SO00012).")
@click.option("--reference", default="")
@click.option("--confirm", "do_confirm", is_flag=True, help="Confirm it at once (and reserve what leaves).")
@click.pass_obj
def operation_create(env: Env, kind: str, lines: tuple[str, ...], party, warehouse_code, source, destination,
                     scheduled, origin, reference, do_confirm: bool) -> None:
    """A new receipt, delivery or internal transfer (a draft unless --confirm)."""
    parsed = [parse_line(text) for text in lines]
    with env.session() as session:
        company = env.company(session)
        op = create_operation(
            session,
            company,
            kind,
            parsed,
            warehouse=warehouse_code,
            party=party,
            source=source,
            destination=destination,
            scheduled=scheduled,
            origin=origin,
            reference=reference,
        )
        if do_confirm:
            confirm(session, company, op)
        data = operation_data(company, op)
    _show(env, data, "created")


def _action(name: str, doc: str, act):
    @operation.command(name, help=doc)
    @click.argument("number")
    @click.pass_obj
    def command(env: Env, number: str) -> None:
        with env.session() as session:
            company = env.company(session)
            op = find_operation(session, company, number)
            act(session, company, op)
            data = operation_data(company, op)
        _show(env, data, name)

    return command


_action("confirm", "Make a draft ready; stock leaving a location is reserved as far as it goes.", confirm)
_action("reserve", "Reserve what an operation still lacks.", reserve)
_action("unreserve", "Give an operation's reservations back.", unreserve)
_action("cancel", "Cancel an operation that is not done.", cancel)
_action("show", "One operation, line by line.", lambda session, company, op: None)


@operation.command("validate")
@click.argument("number")
@click.option(
    "--done",
    "done",
    multiple=True,
    metavar="SKU:QTY",
    help="What was done of a product (default: all of a receipt, what is picked or reserved otherwise).",
)
@click.option("--lot", "lots", multiple=True, metavar="SKU:LOT[:QTY[:EXPIRY]]",
              help="Lots or serial numbers received; repeat for more.")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.option("--no-backorder", is_flag=True, help="Drop what was not done instead of keeping a backorder.")
@click.pass_obj
def operation_validate(
    env: Env,
    number: str,
    done: tuple[str, ...],
    lots: tuple[str, ...],
    date: Optional[str],
    no_backorder: bool,
) -> None:
    """Mark an operation done: the stock moves, in one ledger transaction."""
    quantities, parsed = parse_quantities(done, "done quantity"), [parse_lot(text) for text in lots]
    with env.session() as session:
        company = env.company(session)
        op, rest = validate(session, company, find_operation(session, company, number), quantities or None,
                            lots=parsed, date=date, backorder=not no_backorder)
        data = operation_data(company, op) | {"backorder": rest.number if rest else None}
    _show(env, data, "done")


@operation.command("list")
@click.option("--kind", type=click.Choice([k.value for k in OperationKind]))
@click.option("--state", type=click.Choice([s.value for s in OperationState]))
@click.option("--origin")
@click.pass_obj
def operation_list(env: Env, kind: Optional[str], state: Optional[str], origin: Optional[str]) -> None:
    """Operations, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Operation).where(Operation.company_id == company.id).order_by(Operation.id.desc())
        if kind:
            query = query.where(Operation.kind == OperationKind(kind))
        if state:
            query = query.where(Operation.state == OperationState(state))
        if origin:
            query = query.where(Operation.origin == origin)
        data = [
            {
                "number": op.number,
                "kind": op.kind,
                "state": op.state,
                "party": op.party.code if op.party else None,
                "scheduled": op.scheduled,
                "done_on": op.done_on,
                "origin": op.origin,
            }
            for op in session.scalars(query)
        ]
    env.emit(
        data,
        lambda: env.table(
            ["number", "kind", "state", "party", "scheduled", "done", "origin"],
            [
                [
                    d["number"],
                    d["kind"].value,
                    d["state"].value,
                    d["party"],
                    d["scheduled"],
                    d["done_on"],
                    d["origin"],
                ]
                for d in data
            ],
        ),
    )


@click.command()
@click.option("--product", "sku")
@click.option("--location", "location_code")
@click.option("--warehouse", "warehouse_code")
@click.pass_obj
def stock(env: Env, sku, location_code, warehouse_code) -> None:
    """On hand, reserved and available by location, product and lot."""
    with env.session() as session:
        rows = availability(session, env.company(session), product=sku, location=location_code,
                            warehouse=warehouse_code)
    env.emit(rows, lambda: env.table(
        ["location", "product", "lot", "expiry", "on hand", "reserved", "available", "unit"],
        [[r.location, r.product, r.lot, r.expiry, r.on_hand, r.reserved, r.available, r.unit] for r in rows],
        [4, 5, 6]))


@click.command()
@click.argument("sku")
@click.option("--location", "location_code", help="One location and those below it.")
@click.option(
    "--limit", type=Whole(1, 100_000), default=500, show_default=True, help="The last so many moves."
)
@click.pass_obj
def card(env: Env, sku: str, location_code: Optional[str], limit: int) -> None:
    """The stock card of SKU: every move with the running balance."""
    with env.session() as session:
        balance, lines = stock_card(session, env.company(session), sku, location=location_code, limit=limit)
    env.emit({"product": sku, "balance": balance, "moves": lines}, lambda: env.table(
        ["date", "txn", "memo", "location", "quantity", "balance"],
        [[m.date, m.transaction_id, m.memo, m.location, m.quantity, m.balance] for m in lines], [4, 5]))


@click.command()
@click.argument("sku")
@click.option("--days", type=Whole(1, 36_500), default=365, show_default=True)
@click.pass_obj
def turnover(env: Env, sku: str, days: int) -> None:
    """Inventory turnover of SKU over the last DAYS and its days of cover."""
    if days <= 0:
        raise Invalid("--days must be positive")
    with env.session() as session:
        data = turnover_of(session, env.company(session), sku, days=days)
    env.emit(data, f"{data.product}: delivered {data.delivered} in {data.days} days, on hand {data.on_hand}, "
                   f"average {data.average_on_hand}; turns {data.turns if data.turns is not None else '-'}, "
                   f"days of cover {data.days_of_cover if data.days_of_cover is not None else '-'}")


@click.command()
@click.pass_obj
def valuation(env: Env) -> None:
    """The inventory valuation per product, its total, and the inventory account beside it (exit 1 if they
    differ)."""
    with env.session() as session:
        report = valuation_report(session, env.company(session))

    def text() -> None:
        env.table(
            ["product", "name", "method", "quantity", "unit", "unit cost", "value"],
            [[r.product, r.name, r.method, r.quantity, r.unit, r.unit_cost, r.value] for r in report.rows],
            [3, 5, 6],
        )
        click.echo(f"total {report.total} {report.currency}; account {report.account} holds {report.ledger} "
                   f"{report.currency}" + ("" if report.agrees else "  << they differ: see jangbu wms check"))

    env.emit({**attrs.asdict(report, recurse=False), "agrees": report.agrees}, text)
    if not report.agrees:
        raise click.exceptions.Exit(1)


@click.command()
@click.pass_obj
def check(env: Env) -> None:
    """Prove that wms's stock rows, reservations and values agree with the ledger (exit 1 if not)."""
    with env.session() as session:
        problems = check_stock(session, env.company(session))
    env.emit({"ok": not problems, "problems": problems},
             lambda: click.echo("\n".join(problems) if problems else "ok: stock and ledger agree"))
    if problems:
        raise click.exceptions.Exit(1)

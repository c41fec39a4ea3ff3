"""``jangbu procurement bill``: supplier bills, the three-way match, held
bills and their release, payment."""

from __future__ import annotations

from typing import Optional

import click

from cli.context import Env
from plugins.procurement.billing import (
    BillLineInput,
    enter_bill,
    find_bill,
    list_bills,
    pay_bill,
    refuse_bill,
    release_bill,
)
from plugins.procurement.commands import parse_pairs
from plugins.procurement.views import bill_data

__all__ = ["COMMANDS", "bill"]


def _summary(data: dict) -> str:
    text = (
        f"bill {data['number']} ({data['reference']}) of {data['order']}: {data['untaxed']} "
        f"{data['currency']} untaxed "
        f"[{data['state']}]"
    )
    if data["document"]:
        text += f" posted as {data['document']}"
    if data["paid"]:
        text += f", paid {data['paid_on']}"
    return text


def _held(data: dict) -> None:
    if data["state"] == "held":
        click.echo("held, the three-way match failed:")
        for reason in data["held_reasons"]:
            click.echo(f"  {reason}")
        click.echo(f"a purchasing manager releases it with: procurement bill release {data['number']} "
                   f"--by USER --note TEXT (or refuses it: procurement bill refuse)")


@click.group()
def bill() -> None:
    """Supplier bills and their three-way match."""


@bill.command("new")
@click.argument("number")
@click.option("--reference", required=True, help="The supplier's bill number.")
@click.option("--line", "lines", multiple=True, metavar="SKU=QTY[@PRICE]",
              help="A billed product (price default: the order's); none: all received and not yet billed.")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def bill_new(env: Env, number: str, reference: str, lines: tuple[str, ...], date: Optional[str]) -> None:
    """The supplier's bill of purchase order NUMBER: matched and posted, or held with the reasons."""
    given = [
        BillLineInput(sku, qty, price) for sku, qty, price in parse_pairs(lines, "line", price=True)
    ] or None
    with env.session() as session:
        data = bill_data(enter_bill(session, env.company(session), number, reference, given, date=date))

    def text() -> None:
        click.echo(_summary(data))
        _held(data)

    env.emit(data, text)


@bill.command("list")
@click.option("--state", help="held, posted or cancelled.")
@click.option("--supplier", "party", help="One supplier only.")
@click.pass_obj
def bill_list(env: Env, state: Optional[str], party: Optional[str]) -> None:
    """Supplier bills, newest first."""
    with env.session() as session:
        data = [bill_data(b) for b in list_bills(session, env.company(session), state=state, supplier=party)]
    env.emit(
        data,
        lambda: env.table(
            [
                "number",
                "reference",
                "order",
                "supplier",
                "date",
                "untaxed",
                "currency",
                "state",
                "document",
                "paid",
            ],
            [
                [
                    d["number"],
                    d["reference"],
                    d["order"],
                    d["supplier"],
                    d["date"],
                    d["untaxed"],
                    d["currency"],
                    d["state"],
                    d["document"] or "",
                    "yes" if d["paid"] else "",
                ]
                for d in data
            ],
            [5],
        ),
    )


@bill.command("show")
@click.argument("number")
@click.pass_obj
def bill_show(env: Env, number: str) -> None:
    """One bill: its lines against the order's prices, and why it is held."""
    with env.session() as session:
        data = bill_data(find_bill(session, env.company(session), number))

    def text() -> None:
        click.echo(_summary(data))
        env.table(
            ["product", "quantity", "unit", "price", "order price", "net", "problem"],
            [
                [
                    l["product"],
                    l["quantity"],
                    l["unit"],
                    l["price"],
                    l["order_price"],
                    l["net"],
                    l["problem"] or "",
                ]
                for l in data["lines"]
            ],
            [1, 3, 4, 5],
        )
        _held(data)
        if data["released_by"]:
            done = "refused" if data["state"] == "cancelled" else "released"
            click.echo(f"{done} by {data['released_by']}: {data['release_note']}")

    env.emit(data, text)


@bill.command("release")
@click.argument("number")
@click.option("--by", "user", required=True, help="The releasing user (a purchasing manager).")
@click.option("--note", required=True, help="Why the bill is accepted as it is.")
@click.option("--date", metavar="DATE", help="The posting date (default: the bill's).")
@click.pass_obj
def bill_release(env: Env, number: str, user: str, note: str, date: Optional[str]) -> None:
    """Release a held bill: it is posted as it was entered."""
    with env.session() as session:
        data = bill_data(release_bill(session, env.company(session), number, user, note, date=date))
    env.emit(data, f"released: {_summary(data)}")


@bill.command("refuse")
@click.argument("number")
@click.option("--by", "user", required=True, help="The refusing user (a purchasing manager).")
@click.option("--note", required=True, help="Why the bill is refused.")
@click.pass_obj
def bill_refuse(env: Env, number: str, user: str, note: str) -> None:
    """Refuse a held bill: it is cancelled and never reaches the books (the supplier sends a corrected
    one)."""
    with env.session() as session:
        data = bill_data(refuse_bill(session, env.company(session), number, user, note))
    env.emit(data, f"refused: {_summary(data)}")


@bill.command("pay")
@click.argument("number")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def bill_pay(env: Env, number: str, date: Optional[str]) -> None:
    """Pay a posted bill in full (with finance: a payment to the supplier)."""
    with env.session() as session:
        data = bill_data(pay_bill(session, env.company(session), number, date=date))
    env.emit(data, f"paid: {_summary(data)}")


COMMANDS = [bill]

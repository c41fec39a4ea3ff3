"""``jangbu procurement order|receive|return``: purchase orders, the goods
that arrive for them and the goods sent back."""

from __future__ import annotations

from typing import Optional

import click

from cli.context import Env
from plugins.procurement.commands import parse_pairs
from plugins.procurement.orders import (
    OrderLineInput,
    approve_order,
    cancel_order,
    confirm_order,
    create_order,
    find_order,
    list_orders,
)
from plugins.procurement.partners import has_wms
from plugins.procurement.receiving import receive as receive_goods
from plugins.procurement.returns import return_goods
from plugins.procurement.views import order_data, return_data

__all__ = ["COMMANDS", "order", "receive", "return_"]


def _state_line(data: dict) -> str:
    return (
        f"{data['number']} [{data['state']}] received {data['receipt_state']}, billed {data['bill_state']}, "
        f"{data['payment_state'].replace('_', ' ')}"
    )


@click.group()
def order() -> None:
    """Purchase orders."""


@order.command("new")
@click.argument("party")
@click.option("--line", "lines", multiple=True, metavar="SKU=QTY[@PRICE]",
              help="A product, its quantity and unit price (default: the catalogue's); repeat for more.")
@click.option("--requisition", help="Order this requisition (its lines, unless --line is given).")
@click.option("--expected", metavar="DATE", help="When the goods are expected (default: date + lead time).")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.option("--currency", help="Default: the catalogue's, else the company currency.")
@click.option("--warehouse", help="The wms warehouse that receives it.")
@click.option("--reference", help="The supplier's order reference.")
@click.option("--confirm", "confirm_now", is_flag=True, help="Confirm it at once (it may wait for approval).")
@click.pass_obj
def order_new(
    env: Env,
    party: str,
    lines: tuple[str, ...],
    requisition: Optional[str],
    expected: Optional[str],
    date: Optional[str],
    currency: Optional[str],
    warehouse: Optional[str],
    reference: Optional[str],
    confirm_now: bool,
) -> None:
    """A draft purchase order to supplier PARTY."""
    given = [
        OrderLineInput(sku, qty, price, expected)
        for sku, qty, price in parse_pairs(lines, "line", price=True)
    ]
    with env.session() as session:
        company = env.company(session)
        created = create_order(session, company, party, given, date=date, currency=currency,
                               requisition=requisition, warehouse=warehouse, reference=reference)
        if confirm_now:
            confirm_order(session, company, created.number, date=date)
        data = order_data(session, company, created)
    env.emit(
        data,
        f"purchase order {data['number']} for {data['supplier']}: {data['untaxed']} {data['currency']} "
        "untaxed "
        f"[{data['state']}]",
    )


@order.command("list")
@click.option("--state", help="draft, to_approve, confirmed, done or cancelled.")
@click.option("--supplier", "party", help="One supplier only.")
@click.pass_obj
def order_list(env: Env, state: Optional[str], party: Optional[str]) -> None:
    """Purchase orders, newest first."""
    with env.session() as session:
        company = env.company(session)
        data = [
            order_data(session, company, o)
            for o in list_orders(session, company, state=state, supplier=party)
        ]
    env.emit(data, lambda: env.table(
        ["number", "date", "supplier", "untaxed", "currency", "state", "received", "billed", "paid"],
        [[d["number"], d["date"], d["supplier"], d["untaxed"], d["currency"], d["state"], d["receipt_state"],
          d["bill_state"], d["payment_state"]] for d in data], [3]))


@order.command("show")
@click.argument("number")
@click.pass_obj
def order_show(env: Env, number: str) -> None:
    """One purchase order: its lines and what was received, returned and billed."""
    with env.session() as session:
        company = env.company(session)
        data = order_data(session, company, find_order(session, company, number))

    def text() -> None:
        click.echo(f"purchase order {_state_line(data)}")
        click.echo(f"supplier {data['supplier']} {data['supplier_name']}, {data['date']}, "
                   f"{data['untaxed']} {data['currency']} untaxed")
        for key in ("requisition", "rfq", "warehouse", "approved_by"):
            if data[key]:
                click.echo(f"{key.replace('_', ' ')}: {data[key]}")
        if data["waiting_receipts"]:
            click.echo(f"waiting wms receipts: {', '.join(data['waiting_receipts'])}")
        if data["bills"]:
            click.echo(f"bills: {', '.join(data['bills'])}")
        env.table(
            ["product", "quantity", "unit", "price", "net", "expected", "received", "returned", "billed"],
            [
                [
                    l["product"],
                    l["quantity"],
                    l["unit"],
                    l["price"],
                    l["net"],
                    l["expected"],
                    l["received"],
                    l["returned"],
                    l["billed"],
                ]
                for l in data["lines"]
            ],
            [1, 3, 4, 6, 7, 8],
        )

    env.emit(data, text)


def _act(env: Env, number: str, action, verb: str, **kwargs) -> None:
    with env.session() as session:
        company = env.company(session)
        data = order_data(session, company, action(session, company, number, **kwargs))
    extra = "; waiting for approval by a purchasing manager" if data["state"] == "to_approve" else ""
    env.emit(data, f"purchase order {verb}: {_state_line(data)}{extra}")


@order.command("confirm")
@click.argument("number")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def order_confirm(env: Env, number: str, date: Optional[str]) -> None:
    """Confirm a draft (at or above the approval threshold it waits for approval)."""
    _act(env, number, confirm_order, "confirmed", date=date)


@order.command("approve")
@click.argument("number")
@click.option("--by", "user", required=True, help="The approving user (a purchasing manager).")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def order_approve(env: Env, number: str, user: str, date: Optional[str]) -> None:
    """Approve an order waiting for approval: it is confirmed."""
    _act(env, number, lambda s, c, n, **kw: approve_order(s, c, n, user, **kw), "approved", date=date)


@order.command("cancel")
@click.argument("number")
@click.pass_obj
def order_cancel(env: Env, number: str) -> None:
    """Cancel an order nothing of which arrived or was billed."""
    _act(env, number, cancel_order, "cancelled")


@click.command()
@click.argument("number")
@click.option("--line", "lines", multiple=True, metavar="SKU=QTY",
              help="What arrived of a product; none: everything still expected.")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.option("--reference", help="The delivery note's number (without wms).")
@click.pass_obj
def receive(
    env: Env, number: str, lines: tuple[str, ...], date: Optional[str], reference: Optional[str]
) -> None:
    """Goods of purchase order NUMBER arrived (with wms: its wms receipt is validated, the rest
    left on a backorder)."""
    quantities = None
    if lines:
        quantities = {}
        for sku, qty, _ in parse_pairs(lines, "line"):
            if sku.upper() in quantities:
                from core.errors import Invalid

                raise Invalid(f"{sku} is named twice")
            quantities[sku.upper()] = qty
    with env.session() as session:
        company = env.company(session)
        received = receive_goods(session, company, number, quantities, date=date, reference=reference)
        data = order_data(session, company, received)
        through = " through wms" if has_wms(session, company) else ""
    env.emit(
        data,
        f"received{through}: {_state_line(data)}"
        + (f"; still expected on {', '.join(data['waiting_receipts'])}" if data["waiting_receipts"] else ""),
    )


@click.command("return")
@click.argument("number")
@click.argument("sku")
@click.argument("quantity")
@click.option("--reason", required=True, help="Why the goods go back.")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.option("--operation", help="The wms operation that took the goods out, if any.")
@click.pass_obj
def return_(env: Env, number: str, sku: str, quantity: str, reason: str, date: Optional[str],
            operation: Optional[str]) -> None:
    """Send QUANTITY of SKU received on purchase order NUMBER back to the supplier."""
    with env.session() as session:
        data = return_data(
            return_goods(
                session, env.company(session), number, sku, quantity, reason, date=date, operation=operation
            )
        )
    env.emit(data, f"return {data['number']}: {data['quantity']} {data['unit']} {data['product']} back to "
                   f"{data['supplier']} ({data['order']})")


COMMANDS = [order, receive, return_]

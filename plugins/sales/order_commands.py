"""``jangbu sales settings|customer|pricelist|quote|order|deliver|invoice``: the order side from the
command line (contracts and ``bill-due``: :mod:`plugins.sales.contract_commands`)."""

from __future__ import annotations

from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from cli.params import Whole, parse_quantities, split_fields
from core.catalog import get_party
from plugins.sales.customers import customer_data, set_terms
from plugins.sales.documents import Customer, Order, OrderState, PriceList
from plugins.sales.order_views import order_data, partner_data
from plugins.sales.orders import (
    LineSpec,
    add_line,
    cancel,
    confirm,
    create_quotation,
    find_order,
    remove_line,
    send,
    update_quotation,
)
from plugins.sales.pricing import create_price_list, find_price_list, price_list_data, remove_price, set_price
from plugins.sales.settings import UNCHANGED, price_list_code, settings_of, update_settings

__all__ = ["COMMANDS", "parse_line", "parse_done"]


def parse_line(text: str) -> LineSpec:
    """``SKU:QUANTITY[:PRICE[:DISCOUNT%]]``."""
    return LineSpec(*split_fields(text, "line", "SKU:QUANTITY[:PRICE[:DISCOUNT]]", 2, 4, required=2))


def parse_done(values: tuple[str, ...]) -> Optional[dict[str, str]]:
    return parse_quantities(values) if values else None


def _show(env: Env, data: dict, heading: str) -> None:
    def text() -> None:
        click.echo(f"{heading}: {data['number']} [{data['state'].value}] {data['customer']} {data['name']} "
                   f"{data['date']} untaxed {data['untaxed']} {data['currency']}")
        click.echo(f"delivered: {data['delivery_state'].value}  invoiced: {data['invoice_state'].value}  "
                   f"paid: {data['payment_state'].value}")
        env.table(
            ["#", "product", "quantity", "price", "disc %", "net", "delivered", "invoiced"],
            [
                [
                    l["position"],
                    l["product"],
                    l["quantity"],
                    l["price"],
                    l["discount"],
                    l["net"],
                    l["delivered"],
                    l["invoiced"],
                ]
                for l in data["lines"]
            ],
            [0, 2, 3, 4, 5, 6, 7],
        )
        for d in data.get("deliveries", []):
            click.echo(f"delivery {d['number']} [{d['state']}]")
        for i in data.get("invoices", []):
            click.echo(f"invoice {i['number']} [{i['state']}, {i['payment_state']}] {i['total']}")

    env.emit(data, text)


def _order_out(env: Env, session, company, order, heading: str) -> None:
    data = {**order_data(company, order), **partner_data(session, company, order)}
    _show(env, data, heading)


@click.command()
@click.option(
    "--invoice-policy", type=click.Choice(["order", "delivery"]), help="Invoice on order or on delivery."
)
@click.option("--warehouse", help="The wms warehouse orders leave from ('' for wms's first).")
@click.option("--quotation-days", help="How many days a quotation stays valid.")
@click.option("--price-list", help="The default price list ('' for none).")
@click.pass_obj
def settings(env: Env, invoice_policy, warehouse, quotation_days, price_list) -> None:
    """Show (or change) how the company sells."""
    given = {
        k: v
        for k, v in dict(
            invoice_policy=invoice_policy,
            warehouse=warehouse,
            quotation_days=quotation_days,
            price_list=price_list,
        ).items()
        if v is not None
    }
    with env.session() as session:
        company = env.company(session)
        row = update_settings(session, company, **given) if given else settings_of(session, company)
        data = {"invoice_policy": row.invoice_policy, "warehouse": row.warehouse,
                "quotation_days": row.quotation_days, "price_list": price_list_code(session, row),
                "lead_form": row.lead_form, "lead_form_per_hour": row.lead_form_per_hour}
    env.emit(data, lambda: [click.echo(f"{k}: {getattr(v, 'value', v)}") for k, v in data.items()])


@click.group()
def customer() -> None:
    """Customers' terms: credit limit, price list, salesperson."""


@customer.command("set")
@click.argument("party")
@click.option("--credit-limit", help="The most the customer may owe ('' for no limit).")
@click.option("--price-list", help="Its price list ('' for the company's default).")
@click.option("--salesperson", help="Its salesperson (a user; '' for none).")
@click.pass_obj
def customer_set(env: Env, party: str, credit_limit, price_list, salesperson) -> None:
    """Set a customer's terms."""
    with env.session() as session:
        company = env.company(session)
        row = set_terms(session, company, party,
                        credit_limit=UNCHANGED if credit_limit is None else credit_limit,
                        price_list=UNCHANGED if price_list is None else price_list,
                        salesperson=UNCHANGED if salesperson is None else salesperson)
        data = customer_data(session, company, row)
    env.emit(data, lambda: [click.echo(f"{k}: {v}") for k, v in data.items()])


@customer.command("show")
@click.argument("party")
@click.pass_obj
def customer_show(env: Env, party: str) -> None:
    """A customer's terms and what it owes and will owe."""
    from plugins.sales.customers import ensure_customer

    with env.session() as session:
        company = env.company(session)
        data = customer_data(
            session, company, ensure_customer(session, company, get_party(session, company, party))
        )
    env.emit(data, lambda: [click.echo(f"{k}: {v}") for k, v in data.items()])


@customer.command("list")
@click.pass_obj
def customer_list(env: Env) -> None:
    """Customers with terms."""
    with env.session() as session:
        company = env.company(session)
        rows = [customer_data(session, company, row) for row in session.scalars(
            select(Customer).where(Customer.company_id == company.id).order_by(Customer.id))]
    env.emit(
        rows,
        lambda: env.table(
            ["party", "name", "credit limit", "exposure", "price list", "salesperson"],
            [
                [r["party"], r["name"], r["credit_limit"], r["exposure"], r["price_list"], r["salesperson"]]
                for r in rows
            ],
            [2, 3],
        ),
    )


@click.group()
def pricelist() -> None:
    """Price lists: prices by quantity tier, with discounts."""


@pricelist.command("create")
@click.argument("code")
@click.argument("name")
@click.pass_obj
def pricelist_create(env: Env, code: str, name: str) -> None:
    with env.session() as session:
        company = env.company(session)
        data = price_list_data(company, create_price_list(session, company, code, name))
    env.emit(data, f"price list {data['code']} created")


@pricelist.command("set")
@click.argument("code")
@click.argument("sku")
@click.argument("price")
@click.option("--min-quantity", default="0", help="The tier: from this quantity up.")
@click.option("--discount", default="0", help="Discount in percent.")
@click.pass_obj
def pricelist_set(env: Env, code: str, sku: str, price: str, min_quantity: str, discount: str) -> None:
    """Set SKU's PRICE in price list CODE."""
    with env.session() as session:
        company = env.company(session)
        set_price(session, company, code, sku, price, min_quantity=min_quantity, discount_percent=discount)
        data = price_list_data(company, find_price_list(session, company, code))
    env.emit(data, f"{sku} priced {price} in {code}")


@pricelist.command("remove")
@click.argument("code")
@click.argument("sku")
@click.option("--min-quantity", default="0")
@click.pass_obj
def pricelist_remove(env: Env, code: str, sku: str, min_quantity: str) -> None:
    with env.session() as session:
        remove_price(session, env.company(session), code, sku, min_quantity=min_quantity)
    env.emit({"removed": sku}, f"{sku} removed from {code}")


@pricelist.command("show")
@click.argument("code")
@click.pass_obj
def pricelist_show(env: Env, code: str) -> None:
    with env.session() as session:
        company = env.company(session)
        data = price_list_data(company, find_price_list(session, company, code))

    def text() -> None:
        click.echo(f"{data['code']} {data['name']} ({data['currency']})")
        env.table(
            ["product", "from", "price", "discount %"],
            [[i["product"], i["min_quantity"], i["price"], i["discount"]] for i in data["items"]],
            [1, 2, 3],
        )

    env.emit(data, text)


@pricelist.command("list")
@click.pass_obj
def pricelist_list(env: Env) -> None:
    with env.session() as session:
        company = env.company(session)
        rows = [
            {"code": p.code, "name": p.name, "currency": p.currency, "items": len(p.items)}
            for p in session.scalars(
                select(PriceList).where(PriceList.company_id == company.id).order_by(PriceList.code)
            )
        ]
    env.emit(rows, lambda: env.table(["code", "name", "currency", "prices"],
                                     [[r["code"], r["name"], r["currency"], r["items"]] for r in rows], [3]))


@click.group()
def quote() -> None:
    """Quotations: write, change, send."""


@quote.command("create")
@click.argument("party")
@click.option("--line", "lines", multiple=True, metavar="SKU:QTY[:PRICE[:DISC]]",
              help="A product and quantity; price and discount default to the price list's. Repeat for more.")
@click.option("--date")
@click.option("--valid-until")
@click.option("--commitment", help="The delivery date promised.")
@click.option("--salesperson")
@click.option("--price-list")
@click.option("--opportunity", help="The opportunity it answers (marked won when the order is confirmed).")
@click.option("--note")
@click.pass_obj
def quote_create(
    env: Env, party: str, lines, date, valid_until, commitment, salesperson, price_list, opportunity, note
) -> None:
    """A new quotation for PARTY."""
    specs = [parse_line(text) for text in lines]
    with env.session() as session:
        company = env.company(session)
        order = create_quotation(session, company, party, specs, date=date, valid_until=valid_until,
                                 commitment=commitment, salesperson=salesperson, price_list=price_list,
                                 opportunity=opportunity, note=note)
        _order_out(env, session, company, order, "created")


@quote.command("update")
@click.argument("number")
@click.option("--valid-until")
@click.option("--commitment", help="The delivery date promised ('' for none).")
@click.option("--salesperson", help="A user ('' for none).")
@click.option("--note")
@click.pass_obj
def quote_update(env: Env, number: str, valid_until, commitment, salesperson, note) -> None:
    """Change a quotation's validity, promised delivery, salesperson or note."""
    given = {k: v for k, v in dict(valid_until=valid_until, commitment=commitment, salesperson=salesperson,
                                   note=note).items() if v is not None}
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, update_quotation(session, company, number, **given), "changed")


@quote.command("add-line")
@click.argument("number")
@click.argument("line", metavar="SKU:QTY[:PRICE[:DISC]]")
@click.pass_obj
def quote_add_line(env: Env, number: str, line: str) -> None:
    spec = parse_line(line)
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, add_line(session, company, number, spec), "changed")


@quote.command("remove-line")
@click.argument("number")
@click.argument("position", type=Whole(1))
@click.pass_obj
def quote_remove_line(env: Env, number: str, position: int) -> None:
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, remove_line(session, company, number, position), "changed")


@quote.command("send")
@click.argument("number")
@click.pass_obj
def quote_send(env: Env, number: str) -> None:
    """Mark the quotation sent to the customer."""
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, send(session, company, number), "sent")


@click.group()
def order() -> None:
    """Sales orders: confirm, cancel, show, list."""


@order.command("confirm")
@click.argument("number")
@click.option("--date")
@click.pass_obj
def order_confirm(env: Env, number: str, date) -> None:
    """Confirm a quotation (credit limit checked; delivery and invoice where wms and finance are
    installed)."""
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, confirm(session, company, number, date=date), "confirmed")


@order.command("cancel")
@click.argument("number")
@click.pass_obj
def order_cancel(env: Env, number: str) -> None:
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, cancel(session, company, number), "cancelled")


@order.command("show")
@click.argument("number")
@click.pass_obj
def order_show(env: Env, number: str) -> None:
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, find_order(session, company, number), "order")


@order.command("list")
@click.option("--state", type=click.Choice([s.value for s in OrderState]))
@click.option("--customer", "party")
@click.option("--limit", type=Whole(1, 100_000), default=50, show_default=True)
@click.pass_obj
def order_list(env: Env, state, party, limit: int) -> None:
    """Quotations and orders, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Order).where(Order.company_id == company.id)
        if state:
            query = query.where(Order.state == OrderState(state))
        if party:
            query = query.where(Order.party_id == get_party(session, company, party).id)
        rows = [order_data(company, o) for o in session.scalars(query.order_by(Order.id.desc()).limit(limit))]
    env.emit(rows, lambda: env.table(
        ["number", "state", "customer", "date", "untaxed", "delivered", "invoiced", "paid"],
        [[r["number"], r["state"].value, r["customer"], r["date"], r["untaxed"], r["delivery_state"].value,
          r["invoice_state"].value, r["payment_state"].value] for r in rows], [4]))


@click.command()
@click.argument("number")
@click.option("--done", "done", multiple=True, metavar="SKU:QTY", help="Deliver only this much; repeat.")
@click.option("--date")
@click.pass_obj
def deliver(env: Env, number: str, done, date) -> None:
    """Deliver a confirmed order (with wms: validate its open delivery; the rest becomes a backorder)."""
    from plugins.sales.fulfilment import deliver as deliver_order

    quantities = parse_done(done)
    with env.session() as session:
        company = env.company(session)
        _order_out(env, session, company, deliver_order(session, company, number, quantities, date=date),
                   "delivered")


@click.command()
@click.argument("number")
@click.option("--date")
@click.pass_obj
def invoice(env: Env, number: str, date) -> None:
    """Invoice what is due of an order now (finance)."""
    from plugins.sales.billing import invoice_order

    with env.session() as session:
        company = env.company(session)
        invoice_order(session, company, number, date=date)
        _order_out(env, session, company, find_order(session, company, number), "invoiced")


def _commands() -> list:
    from plugins.sales.contract_commands import bill_due, contract

    return [settings, customer, pricelist, quote, order, deliver, invoice, contract, bill_due]


COMMANDS = _commands()

"""``jangbu procurement``: the command group, its settings and the supplier
catalogue. Requisitions and RFQs (:mod:`.requests`), orders,
receipts and returns (:mod:`.orders`), bills
(:mod:`.bills`) and supplier performance
(:mod:`.analysis`) add their commands from their own modules."""

from __future__ import annotations

from typing import Optional

import click

from cli.context import Env
from cli.params import split_fields
from core.errors import Invalid
from plugins.procurement.catalogue import catalogue, remove_supplier_product, set_supplier_product
from plugins.procurement.settings import settings_view, update_settings

__all__ = ["procurement_group", "parse_pairs"]


def procurement_group(cli, info) -> click.Group:
    """The ``procurement`` group with every command attached."""
    from plugins.procurement.commands.analysis import COMMANDS as ANALYSIS
    from plugins.procurement.commands.bills import COMMANDS as BILLS
    from plugins.procurement.commands.orders import COMMANDS as ORDERS
    from plugins.procurement.commands.requests import COMMANDS as REQUESTS

    group = cli.plugin_group(info)
    for command in (settings, supplier, *REQUESTS, *ORDERS, *BILLS, *ANALYSIS):
        group.add_command(command)
    return group


def parse_pairs(
    values: tuple[str, ...], what: str, *, price: bool = False
) -> list[tuple[str, str, Optional[str]]]:
    """``SKU=QTY`` (or ``SKU=QTY@PRICE`` where ``price``) -> ``[(sku, qty, price or None)]``."""
    result = []
    shape = "SKU=QTY@PRICE or SKU=QTY" if price else "SKU=QTY"
    for text in values:
        sku, rest = split_fields(text, what, shape, 2, 2, sep="=")
        qty, at, amount = rest.partition("@")
        if not qty.strip() or (at and (not price or not amount.strip())):
            raise Invalid(f"malformed {what} {text!r}: use {shape}")
        result.append((sku, qty.strip(), amount.strip() if at else None))
    return result


@click.command()
@click.option(
    "--threshold", help="Orders at or above this amount (company currency) need approval; 'none': never."
)
@click.option(
    "--quantity-tolerance", metavar="PERCENT", help="Billed quantity may exceed received by this much."
)
@click.option(
    "--price-tolerance", metavar="PERCENT", help="Billed price may differ from the order's by this much."
)
@click.option("--warehouse", help="The wms warehouse orders are received in ('' : wms's first).")
@click.option("--quote-days", help="Days suppliers have to answer a request for quotation.")
@click.pass_obj
def settings(env: Env, threshold, quantity_tolerance, price_tolerance, warehouse, quote_days) -> None:
    """Show (or change) the approval threshold, the match tolerances and the receiving warehouse."""
    given = {"approval_threshold": threshold, "quantity_tolerance": quantity_tolerance,
             "price_tolerance": price_tolerance, "warehouse": warehouse, "quote_days": quote_days}
    with env.session() as session:
        company = env.company(session)
        changes = {key: value for key, value in given.items() if value is not None}
        view = update_settings(session, company, **changes) if changes else settings_view(session, company)

    def text() -> None:
        click.echo(
            "approval threshold: "
            f"{view.approval_threshold if view.approval_threshold is not None else 'none'}"
            f"{' ' + view.currency if view.approval_threshold is not None else ''}"
        )
        click.echo(f"quantity tolerance: {view.quantity_tolerance} %")
        click.echo(f"price tolerance: {view.price_tolerance} %")
        click.echo(f"warehouse: {view.warehouse or '(wms default)'}")
        click.echo(f"quote days: {view.quote_days}")

    env.emit(view, text)


@click.group()
def supplier() -> None:
    """The supplier catalogue: who sells what, at what price and lead time."""


@supplier.command("add")
@click.argument("party")
@click.argument("sku")
@click.option("--price", required=True, help="The supplier's unit price.")
@click.option("--currency", help="Default: the company currency.")
@click.option("--lead-time", "lead_time", default="0", show_default=True, help="Days from order to delivery.")
@click.option("--min", "minimum", default="0", show_default=True, help="The minimum order quantity.")
@click.option("--preferred", is_flag=True, help="The product's preferred supplier.")
@click.option("--supplier-sku", help="The supplier's own code for the product.")
@click.pass_obj
def supplier_add(env: Env, party: str, sku: str, price: str, currency: Optional[str], lead_time: str,
                 minimum: str, preferred: bool, supplier_sku: Optional[str]) -> None:
    """Add (or change) what supplier PARTY charges for SKU."""
    with env.session() as session:
        row = set_supplier_product(session, env.company(session), party, sku, price=price, currency=currency,
                                   lead_time_days=lead_time, min_quantity=minimum, preferred=preferred,
                                   supplier_sku=supplier_sku)
    env.emit(
        row,
        f"{row.supplier} sells {row.product} at {row.price} {row.currency}, {row.lead_time_days} days, "
        f"min {row.min_quantity} {row.unit}{' (preferred)' if row.preferred else ''}",
    )


@supplier.command("remove")
@click.argument("party")
@click.argument("sku")
@click.pass_obj
def supplier_remove(env: Env, party: str, sku: str) -> None:
    """Take SKU out of supplier PARTY's catalogue."""
    with env.session() as session:
        remove_supplier_product(session, env.company(session), party, sku)
    env.emit({"supplier": party, "product": sku, "active": False}, f"{party} no longer sells {sku}")


@supplier.command("list")
@click.option("--supplier", "party", help="One supplier only.")
@click.option("--product", help="One product only.")
@click.pass_obj
def supplier_list(env: Env, party: Optional[str], product: Optional[str]) -> None:
    """The catalogue, by product (preferred supplier first)."""
    with env.session() as session:
        rows = catalogue(session, env.company(session), supplier=party, product=product)
    env.emit(
        rows,
        lambda: env.table(
            [
                "product",
                "supplier",
                "their sku",
                "price",
                "currency",
                "lead days",
                "min",
                "unit",
                "preferred",
            ],
            [
                [
                    r.product,
                    r.supplier,
                    r.supplier_sku or "",
                    r.price,
                    r.currency,
                    r.lead_time_days,
                    r.min_quantity,
                    r.unit,
                    "yes" if r.preferred else "",
                ]
                for r in rows
            ],
            [3, 5, 6],
        ),
    )

"""``jangbu wms``: the command group and its set-up commands (settings,
warehouses, locations, product rules, putaway). Operations, stock views and
the other concerns add their subgroups from their own modules."""

from __future__ import annotations

from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from cli.params import Whole
from plugins.wms.documents import Putaway
from plugins.wms.models import Location, Warehouse
from plugins.wms.places import MAX_COUNT_DAYS, add_location, create_warehouse, find_warehouse
from plugins.wms.products import set_rules
from plugins.wms.putaway import add_rule, remove_rule
from plugins.wms.setup import settings_of, update_settings
from plugins.wms.values import cost
from plugins.wms.views import location_data, settings_data, warehouse_data

__all__ = ["wms_group"]


def wms_group(cli, info) -> click.Group:
    """The ``wms`` group with every subgroup attached."""
    from plugins.wms.count_commands import count
    from plugins.wms.operation_commands import card, check, operation, stock, turnover, valuation
    from plugins.wms.picking_commands import pack, pick, wave
    from plugins.wms.replenishment_commands import proposal, proposals, replenish, rule

    group = cli.plugin_group(info)
    for command in (
        settings,
        warehouse,
        location,
        product,
        putaway,
        operation,
        stock,
        card,
        turnover,
        valuation,
        check,
        count,
        pick,
        pack,
        wave,
        replenish,
        rule,
        proposals,
        proposal,
    ):
        group.add_command(command)
    return group


@click.command()
@click.option("--allow-negative/--no-allow-negative", default=None,
              help="Whether internal locations may go below zero.")
@click.option("--removal", type=click.Choice(["fifo", "fefo"]), help="Which stock leaves first by default.")
@click.option("--cost-method", type=click.Choice(["fifo", "average"]), help="How stock is valued by default.")
@click.pass_obj
def settings(
    env: Env, allow_negative: Optional[bool], removal: Optional[str], cost_method: Optional[str]
) -> None:
    """Show (or change) the company's stock rules and valuation accounts."""
    with env.session() as session:
        company = env.company(session)
        if allow_negative is None and removal is None and cost_method is None:
            row = settings_of(session, company)
        else:
            row = update_settings(session, company, allow_negative=allow_negative, removal=removal,
                                  cost_method=cost_method)
        data = settings_data(row)
    env.emit(data, lambda: [click.echo(f"{key}: {value.value if hasattr(value, 'value') else value}")
                            for key, value in data.items()])


@click.group()
def warehouse() -> None:
    """Warehouses."""


@warehouse.command("create")
@click.argument("code")
@click.argument("name")
@click.pass_obj
def warehouse_create(env: Env, code: str, name: str) -> None:
    """A warehouse CODE with its root location (a ledger stock account)."""
    with env.session() as session:
        data = warehouse_data(create_warehouse(session, env.company(session), code, name))
    env.emit(data, f"warehouse {data['code']} created")


@warehouse.command("list")
@click.pass_obj
def warehouse_list(env: Env) -> None:
    """The company's warehouses."""
    with env.session() as session:
        company = env.company(session)
        data = [warehouse_data(w) for w in session.scalars(
            select(Warehouse).where(Warehouse.company_id == company.id).order_by(Warehouse.code))]
    env.emit(data, lambda: env.table(["code", "name", "location"],
                                     [[d["code"], d["name"], d["location"]] for d in data]))


@click.group()
def location() -> None:
    """Locations: zones, aisles and bins."""


@location.command("add")
@click.argument("parent")
@click.argument("code")
@click.option("--name", help="A name (default: the full code).")
@click.option("--barcode", help="What a scanner reads on the location's label.")
@click.option("--count-every", "count_every", type=Whole(1, MAX_COUNT_DAYS), metavar="DAYS",
              help="Cycle count frequency.")
@click.pass_obj
def location_add(env: Env, parent: str, code: str, name: Optional[str], barcode: Optional[str],
                 count_every: Optional[int]) -> None:
    """A zone under a warehouse, an aisle under a zone or a bin under an aisle (PARENT/CODE)."""
    with env.session() as session:
        data = location_data(add_location(session, env.company(session), parent, code, name, barcode=barcode,
                                          count_every_days=count_every))
    env.emit(data, f"location {data['code']} added")


@location.command("list")
@click.option("--warehouse", "warehouse_code", help="One warehouse only.")
@click.option("--all", "everything", is_flag=True, help="The virtual locations too.")
@click.pass_obj
def location_list(env: Env, warehouse_code: Optional[str], everything: bool) -> None:
    """The company's locations, by code."""
    with env.session() as session:
        company = env.company(session)
        query = select(Location).where(Location.company_id == company.id).order_by(Location.code)
        if warehouse_code:
            query = query.where(Location.warehouse_id == find_warehouse(session, company, warehouse_code).id)
        elif not everything:
            query = query.where(Location.warehouse_id.is_not(None))
        data = [location_data(loc) for loc in session.scalars(query)]
    env.emit(
        data,
        lambda: env.table(
            ["code", "name", "kind", "level", "count every"],
            [
                [
                    d["code"],
                    d["name"],
                    d["kind"].value,
                    d["level"].value if d["level"] else "",
                    d["count_every_days"],
                ]
                for d in data
            ],
        ),
    )


@click.group()
def product() -> None:
    """How the warehouse treats products."""


@product.command("set")
@click.argument("sku")
@click.option("--tracking", type=click.Choice(["none", "lot", "serial"]))
@click.option("--removal", type=click.Choice(["fifo", "fefo", "default"]), help="default: the company's.")
@click.option(
    "--cost-method", type=click.Choice(["fifo", "average", "default"]), help="default: the company's."
)
@click.option("--standard-cost", metavar="AMOUNT", help="Cost of a unit when a receipt names none.")
@click.pass_obj
def product_set(env: Env, sku: str, tracking, removal, cost_method, standard_cost) -> None:
    """Tracking, removal strategy, cost method and standard cost of SKU."""
    with env.session() as session:
        rules = set_rules(session, env.company(session), sku, tracking=tracking, removal=removal,
                          cost_method=cost_method, standard_cost=standard_cost)
        data = {"product": rules.product.sku, "tracking": rules.tracking, "removal": rules.removal,
                "cost_method": rules.cost_method,
                "standard_cost": cost(rules.standard_cost) if rules.standard_cost is not None else None}
    env.emit(data, f"{data['product']}: tracking {data['tracking'].value}")


@click.group()
def putaway() -> None:
    """Putaway rules: where received goods go."""


@putaway.command("add")
@click.argument("location_code", metavar="LOCATION")
@click.option("--product", "sku", help="A product's rule.")
@click.option("--category", help="A category's rule.")
@click.pass_obj
def putaway_add(env: Env, location_code: str, sku: Optional[str], category: Optional[str]) -> None:
    """Send received goods of a product (or category) to LOCATION."""
    with env.session() as session:
        rule = add_rule(session, env.company(session), location_code, product=sku, category=category)
        data = _rule_data(rule)
    env.emit(data, f"putaway: {data['product'] or data['category']} -> {data['location']}")


@putaway.command("remove")
@click.argument("warehouse_code", metavar="WAREHOUSE")
@click.option("--product", "sku")
@click.option("--category")
@click.pass_obj
def putaway_remove(env: Env, warehouse_code: str, sku: Optional[str], category: Optional[str]) -> None:
    """Remove a product's (or category's) rule in WAREHOUSE."""
    with env.session() as session:
        remove_rule(session, env.company(session), warehouse_code, product=sku, category=category)
    env.emit({"removed": True}, "putaway rule removed")


@putaway.command("list")
@click.pass_obj
def putaway_list(env: Env) -> None:
    """Every putaway rule."""
    with env.session() as session:
        company = env.company(session)
        data = [_rule_data(r) for r in session.scalars(select(Putaway).where(Putaway.company_id == company.id)
                                                        .order_by(Putaway.id))]
    env.emit(data, lambda: env.table(["product", "category", "location"],
                                     [[d["product"], d["category"], d["location"]] for d in data]))


def _rule_data(rule: Putaway) -> dict:
    return {"product": rule.product.sku if rule.product else None, "category": rule.category,
            "location": rule.location.code}

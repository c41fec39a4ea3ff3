"""``jangbu wms replenish|rule|proposals|proposal``: reorder rules, the
replenishment run and its proposals, from the command line."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import click

from cli.context import Env
from core.values import parse_date
from plugins.wms.documents import Proposal, ReorderRule
from plugins.wms.replenishment import (
    Planned,
    dismiss,
    list_proposals,
    list_rules,
    remove_rule,
    set_rule,
)
from plugins.wms.replenishment import (
    replenish as run_replenishment,
)
from plugins.wms.values import money, quantity
from plugins.wms.views import planned_data

__all__ = ["replenish", "rule", "proposals", "proposal"]


def _planned_data(p: Planned) -> dict:
    return {"proposal": p.proposal_id, "state": p.state, "document": p.document, **planned_data(p)}


@click.command()
@click.option("--warehouse", "warehouse_code", help="One warehouse only (default: all).")
@click.option("--dry-run", is_flag=True, help="Show what would be proposed; write nothing.")
@click.option("--date", metavar="DATE", help="Plan as of DATE (default: today).")
@click.pass_obj
def replenish(env: Env, warehouse_code: Optional[str], dry_run: bool, date: Optional[str]) -> None:
    """Propose orders for every reorder rule at or below its reorder point."""
    today = parse_date(date) if date else None
    with env.session() as session:
        planned = run_replenishment(session, env.company(session), warehouse_code, today, dry_run)
        data = [_planned_data(p) for p in planned]

    def text() -> None:
        if not data:
            click.echo("nothing to replenish")
            return
        env.table(
            [
                "proposal",
                "state",
                "warehouse",
                "product",
                "quantity",
                "unit",
                "route",
                "needed by",
                "position",
                "reorder point",
                "document",
            ],
            [
                [
                    d["proposal"] or "-",
                    d["state"],
                    d["warehouse"],
                    d["product"],
                    d["quantity"],
                    d["unit"],
                    d["route"],
                    d["needed_by"],
                    d["position"],
                    d["reorder_point"],
                    d["document"],
                ]
                for d in data
            ],
            [4, 8, 9],
        )
        if dry_run:
            click.echo(f"dry run: {len(data)} proposal(s), nothing written")

    env.emit(data, text)


def _rule_data(company, rule: ReorderRule) -> dict:
    product = rule.product
    return {"warehouse": rule.warehouse.code, "product": product.sku, "unit": product.unit.code,
            "minimum": quantity(product, rule.minimum), "maximum": quantity(product, rule.maximum),
            "lead_time_days": rule.lead_time_days, "service_level": _percent(rule.service_level),
            "ordering_cost": money(rule.ordering_cost, company.currency),
            "holding_rate": _percent(rule.holding_rate), "automatic": rule.automatic, "route": rule.route}


def _percent(basis_points: int) -> Decimal:
    value = Decimal(basis_points).scaleb(-2)  # 9750 -> 97.5, 2000 -> 20 (never 2E+1)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@click.group()
def rule() -> None:
    """Reorder rules: when and how much to reorder a product for a warehouse."""


@rule.command("set")
@click.argument("sku")
@click.option("--warehouse", "warehouse_code", help="Default: the company's first warehouse.")
@click.option("--min", "minimum", metavar="Q", help="Reorder point (product units).")
@click.option("--max", "maximum", metavar="Q", help="Level an order fills up to.")
@click.option("--lead-time", "lead_time", metavar="DAYS", help="Days from order to receipt.")
@click.option("--service-level", metavar="PCT", help="Chance of not running out during the lead time (95).")
@click.option("--ordering-cost", metavar="AMOUNT", help="What placing one order costs.")
@click.option(
    "--holding-rate", metavar="PCT", help="Yearly cost of holding a unit, percent of its cost (25)."
)
@click.option(
    "--automatic/--manual", default=None, help="Reorder point from demand and safety stock, or as set."
)
@click.option("--route", metavar="purchase|manufacture", help="How the product is replenished.")
@click.pass_obj
def rule_set(env: Env, sku: str, warehouse_code, minimum, maximum, lead_time, service_level, ordering_cost,
             holding_rate, automatic, route) -> None:
    """Create or change the reorder rule of SKU."""
    with env.session() as session:
        company = env.company(session)
        found = set_rule(session, company, sku, warehouse_code, minimum=minimum, maximum=maximum,
                         lead_time_days=lead_time, service_level=service_level, ordering_cost=ordering_cost,
                         holding_rate=holding_rate, automatic=automatic, route=route)
        data = _rule_data(company, found)
    env.emit(
        data,
        f"rule {data['product']} in {data['warehouse']}: min {data['minimum']}, max {data['maximum']} "
        f"{data['unit']}, lead time {data['lead_time_days']} days, service level "
        f"{data['service_level']} %, {'automatic' if data['automatic'] else 'manual'}, {data['route']}",
    )


@rule.command("list")
@click.option("--warehouse", "warehouse_code")
@click.pass_obj
def rule_list(env: Env, warehouse_code: Optional[str]) -> None:
    """Every reorder rule, by warehouse and SKU."""
    with env.session() as session:
        company = env.company(session)
        data = [_rule_data(company, r) for r in list_rules(session, company, warehouse_code)]
    env.emit(
        data,
        lambda: env.table(
            [
                "warehouse",
                "product",
                "min",
                "max",
                "unit",
                "lead time",
                "service %",
                "ordering cost",
                "holding %",
                "mode",
                "route",
            ],
            [
                [
                    d["warehouse"],
                    d["product"],
                    d["minimum"],
                    d["maximum"],
                    d["unit"],
                    d["lead_time_days"],
                    d["service_level"],
                    d["ordering_cost"],
                    d["holding_rate"],
                    "automatic" if d["automatic"] else "manual",
                    d["route"],
                ]
                for d in data
            ],
            [2, 3, 5, 6, 7, 8],
        ),
    )


@rule.command("remove")
@click.argument("sku")
@click.option("--warehouse", "warehouse_code", help="Default: the company's first warehouse.")
@click.pass_obj
def rule_remove(env: Env, sku: str, warehouse_code: Optional[str]) -> None:
    """Remove the reorder rule of SKU."""
    with env.session() as session:
        remove_rule(session, env.company(session), sku, warehouse_code)
    env.emit({"removed": True}, f"reorder rule of {sku} removed")


def _proposal_data(p: Proposal) -> dict:
    return {"id": p.id, "state": p.state, "warehouse": p.warehouse.code, "product": p.product.sku,
            "quantity": quantity(p.product, p.quantity), "unit": p.product.unit.code, "route": p.route,
            "document": p.document, "created_at": p.created_at, "reason": p.reason}


@click.command()
@click.option("--state", help="open, ordered or dismissed.")
@click.option("--warehouse", "warehouse_code")
@click.pass_obj
def proposals(env: Env, state: Optional[str], warehouse_code: Optional[str]) -> None:
    """Replenishment proposals, newest first."""
    with env.session() as session:
        data = [
            _proposal_data(p) for p in list_proposals(session, env.company(session), state, warehouse_code)
        ]
    env.emit(data, lambda: env.table(
        ["id", "state", "warehouse", "product", "quantity", "unit", "route", "document"],
        [[d["id"], d["state"].value, d["warehouse"], d["product"], d["quantity"], d["unit"], d["route"],
          d["document"]] for d in data], [0, 4]))


@click.group()
def proposal() -> None:
    """One replenishment proposal."""


@proposal.command("dismiss")
@click.argument("proposal_id", metavar="ID")
@click.pass_obj
def proposal_dismiss(env: Env, proposal_id: str) -> None:
    """Dismiss an open proposal."""
    with env.session() as session:
        data = _proposal_data(dismiss(session, env.company(session), proposal_id))
    env.emit(data, f"proposal {data['id']} dismissed")

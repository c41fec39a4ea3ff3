"""``jangbu party`` and ``jangbu product``: the shared nouns."""

from __future__ import annotations

from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from core.catalog import create_party, create_product
from core.models import Party, Product


@click.group()
def party() -> None:
    """People and organisations the company deals with."""


@party.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option(
    "--kind", type=click.Choice(["organisation", "person"]), default="organisation", show_default=True
)
@click.option("--email")
@click.option("--phone")
@click.pass_obj
def party_create(
    env: Env, code: str, name: str, kind: str, email: Optional[str], phone: Optional[str]
) -> None:
    """Add party CODE."""
    with env.session() as session:
        p = create_party(session, env.company(session), code, name, kind=kind, email=email, phone=phone)
    env.emit({"code": p.code, "name": p.name, "kind": p.kind, "email": p.email, "phone": p.phone},
             f"party {p.code} created")


@party.command("list")
@click.pass_obj
def party_list(env: Env) -> None:
    """All parties of --company."""
    with env.session() as session:
        company = env.company(session)
        data = [
            {"code": p.code, "name": p.name, "kind": p.kind, "email": p.email, "phone": p.phone}
            for p in session.scalars(select(Party).where(Party.company_id == company.id).order_by(Party.code))
        ]
    env.emit(
        data,
        lambda: env.table(
            ["code", "name", "kind", "email"],
            [[d["code"], d["name"], d["kind"].value, d["email"] or ""] for d in data],
        ),
    )


@click.group()
def product() -> None:
    """Products and their units of measure."""


@product.command("create")
@click.argument("sku")
@click.option("--name", required=True)
@click.option("--unit", default="pcs", show_default=True, help="pcs, box, kg, g, l, m, m2 or h.")
@click.option("--category")
@click.option("--barcode")
@click.pass_obj
def product_create(
    env: Env, sku: str, name: str, unit: str, category: Optional[str], barcode: Optional[str]
) -> None:
    """Add product SKU (its stock is counted in the ledger under commodity SKU)."""
    with env.session() as session:
        p = create_product(
            session, env.company(session), sku, name, unit=unit, category=category, barcode=barcode
        )
        data = {
            "sku": p.sku,
            "name": p.name,
            "unit": p.unit.code,
            "category": p.category,
            "barcode": p.barcode,
        }
    env.emit(data, f"product {p.sku} created")


@product.command("list")
@click.pass_obj
def product_list(env: Env) -> None:
    """All products of --company."""
    with env.session() as session:
        company = env.company(session)
        data = [{"sku": p.sku, "name": p.name, "unit": p.unit.code, "category": p.category}
                for p in session.scalars(select(Product).where(Product.company_id == company.id)
                                         .order_by(Product.sku))]
    env.emit(data, lambda: env.table(["sku", "name", "unit", "category"],
                                     [[d["sku"], d["name"], d["unit"], d["category"] or ""] for d in data]))

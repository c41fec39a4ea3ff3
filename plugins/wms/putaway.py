"""Putaway rules: where received goods of a product (or a category) go in a warehouse.

A product's own rule wins over its category's; without either, goods stay
where the receipt brought them.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Conflict, Invalid
from core.models import Company, Product
from plugins.wms.documents import Putaway
from plugins.wms.models import Location
from plugins.wms.places import find_location, find_warehouse

__all__ = ["add_rule", "remove_rule", "destination_for"]


def add_rule(session: Session, company: Company, location: str, *, product: Optional[str] = None,
             category: Optional[str] = None) -> Putaway:
    """Send received ``product`` (or anything of ``category``) to ``location``."""
    if (product is None) == (category is None or not category.strip()):
        raise Invalid("a putaway rule names a product or a category, not both")
    target = find_location(session, company, location)
    if not target.internal or target.warehouse_id is None:
        raise Invalid(f"location {target.code} is not a warehouse location")
    item = get_product(session, company, product) if product else None
    category = category.strip() if category else None
    clash = select(Putaway.id).where(Putaway.warehouse_id == target.warehouse_id)
    clash = clash.where(Putaway.product_id == item.id) if item else clash.where(Putaway.category == category)
    if session.scalar(clash) is not None:
        raise Conflict(f"{'product ' + item.sku if item else 'category ' + category} has a putaway rule in "
                       f"this warehouse already; remove it first")
    rule = Putaway(
        company_id=company.id,
        warehouse_id=target.warehouse_id,
        product_id=item.id if item else None,
        category=category,
        location_id=target.id,
    )
    session.add(rule)
    session.flush()
    return rule


def remove_rule(session: Session, company: Company, warehouse: str, *, product: Optional[str] = None,
                category: Optional[str] = None) -> None:
    house = find_warehouse(session, company, warehouse)
    query = select(Putaway).where(Putaway.company_id == company.id, Putaway.warehouse_id == house.id)
    if product:
        query = query.where(Putaway.product_id == get_product(session, company, product).id)
    else:
        query = query.where(Putaway.category == (category or "").strip())
    rule = session.scalar(query)
    if rule is None:
        raise Invalid("no such putaway rule")
    session.delete(rule)
    session.flush()


def destination_for(session: Session, warehouse_id: int, product: Product, default: Location) -> Location:
    """Where a received ``product`` goes: its rule, its category's rule, else ``default``.

    A rule only applies when the receipt brings goods to the rule's
    location or above it (a receipt into a bin elsewhere stays there).
    """
    rules = session.scalars(select(Putaway).where(Putaway.warehouse_id == warehouse_id).where(
        (Putaway.product_id == product.id) | (Putaway.category == product.category))).all()
    rules.sort(key=lambda r: r.product_id is None)
    for rule in rules:
        target = rule.location
        if target.code == default.code or target.code.startswith(default.code + "/"):
            return target
    return default

"""The supplier catalogue: which supplier sells which product, under what
SKU, at what price (in the supplier's currency), with what lead time and
minimum order quantity, and which supplier is preferred for a product.

A party is a supplier when it has a catalogue row or a purchase order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import lengths
from core.catalog import get_party, get_product
from core.errors import Invalid
from core.models import Company, Party, Product
from core.scoping import find_one
from core.values import MAX_ID, parse_whole
from plugins.procurement.models import SupplierProduct
from plugins.procurement.settings import settings_of
from plugins.procurement.values import check_currency, money, money_units, quantity, quantity_units

__all__ = ["CatalogueRow", "set_supplier_product", "remove_supplier_product", "catalogue", "catalogue_row",
           "suppliers_of", "row_of"]

MAX_LEAD_TIME_DAYS = 3650


@attrs.frozen
class CatalogueRow:
    supplier: str
    supplier_name: str
    product: str
    product_name: str
    supplier_sku: Optional[str]
    currency: str
    price: Decimal
    lead_time_days: int
    min_quantity: Decimal
    unit: str
    preferred: bool
    active: bool


def row_of(item: SupplierProduct) -> CatalogueRow:
    return CatalogueRow(
        item.party.code,
        item.party.name,
        item.product.sku,
        item.product.name,
        item.supplier_sku,
        item.currency,
        money(item.price_units, item.currency),
        item.lead_time_days,
        quantity(item.product, item.min_quantity_units),
        item.product.unit.code,
        item.preferred,
        item.active,
    )


def _lead_time(value) -> int:
    try:
        days = parse_whole(value, "lead time", -MAX_ID, MAX_ID)
    except Invalid:
        raise Invalid(f"lead time must be a whole number of days, not {value!r}") from None
    if not 0 <= days <= MAX_LEAD_TIME_DAYS:
        raise Invalid(f"lead time must be between 0 and {MAX_LEAD_TIME_DAYS} days, not {days}")
    return days


def set_supplier_product(session: Session, company: Company, supplier: str, sku: str, *, price,
                         currency: Optional[str] = None, lead_time_days=0, min_quantity="0",
                         preferred: bool = False, supplier_sku: Optional[str] = None,
                         active: bool = True) -> CatalogueRow:
    """Add (or change) what ``supplier`` charges for ``sku``; ``preferred`` makes it the product's only
    preferred supplier."""
    settings_of(session, company)
    party = get_party(session, company, supplier)
    product = get_product(session, company, sku)
    currency = check_currency(currency or company.currency)
    price_units = money_units(price, currency, what=f"{product.sku}: price")
    days = _lead_time(lead_time_days)
    minimum = quantity_units(product, min_quantity, what="minimum order quantity", positive=False)
    code = (supplier_sku or "").strip() or None
    lengths.check(SupplierProduct.supplier_sku, code)
    item = session.scalar(select(SupplierProduct).where(
        SupplierProduct.company_id == company.id, SupplierProduct.party_id == party.id,
        SupplierProduct.product_id == product.id))
    if item is None:
        item = SupplierProduct(company_id=company.id, party=party, product=product)
        session.add(item)
    item.currency, item.price_units, item.lead_time_days = currency, price_units, days
    item.min_quantity_units, item.preferred, item.supplier_sku, item.active = minimum, preferred, code, active
    if preferred:
        for other in session.scalars(select(SupplierProduct).where(
                SupplierProduct.company_id == company.id, SupplierProduct.product_id == product.id,
                SupplierProduct.party_id != party.id, SupplierProduct.preferred.is_(True))):
            other.preferred = False
    session.flush()
    return row_of(item)


def remove_supplier_product(session: Session, company: Company, supplier: str, sku: str) -> None:
    """Take ``sku`` out of ``supplier``'s catalogue (kept, inactive: history refers to it)."""
    item = _item(session, company, supplier, sku)
    item.active, item.preferred = False, False
    session.flush()


def _item(session: Session, company: Company, supplier: str, sku: str) -> SupplierProduct:
    party = get_party(session, company, supplier)
    product = get_product(session, company, sku)
    return find_one(
        session, SupplierProduct, company, "catalogue row", party_id=party.id, product_id=product.id
    )


def catalogue(
    session: Session,
    company: Company,
    *,
    supplier: Optional[str] = None,
    product: Optional[str] = None,
    include_inactive: bool = False,
) -> list[CatalogueRow]:
    """The catalogue, by product then supplier (preferred first)."""
    query = (select(SupplierProduct).join(SupplierProduct.product).join(SupplierProduct.party)
             .where(SupplierProduct.company_id == company.id)
             .order_by(Product.sku, SupplierProduct.preferred.desc(), Party.code))
    if supplier:
        query = query.where(SupplierProduct.party_id == get_party(session, company, supplier).id)
    if product:
        query = query.where(SupplierProduct.product_id == get_product(session, company, product).id)
    if not include_inactive:
        query = query.where(SupplierProduct.active.is_(True))
    return [row_of(item) for item in session.scalars(query)]


def catalogue_row(
    session: Session, company: Company, party: Party, product: Product
) -> Optional[SupplierProduct]:
    """The active catalogue row of ``party`` for ``product``, if any."""
    return session.scalar(select(SupplierProduct).where(
        SupplierProduct.company_id == company.id, SupplierProduct.party_id == party.id,
        SupplierProduct.product_id == product.id, SupplierProduct.active.is_(True)))


def suppliers_of(session: Session, company: Company, product: Product) -> list[SupplierProduct]:
    """The active catalogue rows of ``product``, preferred first, then cheapest."""
    return list(
        session.scalars(
            select(SupplierProduct)
            .join(SupplierProduct.party)
            .where(
                SupplierProduct.company_id == company.id,
                SupplierProduct.product_id == product.id,
                SupplierProduct.active.is_(True),
            )
            .order_by(SupplierProduct.preferred.desc(), SupplierProduct.price_units, Party.code)
        )
    )

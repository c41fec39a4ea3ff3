"""Price lists: a product's price by quantity tier with a discount.

The price of a product for a customer comes from the order's price list,
else the customer's, else the company's default; within the list the tier
with the largest ``min_quantity`` not above the quantity ordered applies.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Invalid, NotFound
from core.models import Company, Product
from core.scoping import ensure_absent, find_one
from plugins.sales.crm_common import text
from plugins.sales.documents import PriceList, PriceListItem
from plugins.sales.order_values import discount, discount_bp, money, money_units, quantity, quantity_units

__all__ = ["create_price_list", "find_price_list", "set_price", "remove_price", "price_for",
           "price_list_data"]


def create_price_list(session: Session, company: Company, code: str, name: str, *,
                      currency: Optional[str] = None) -> PriceList:
    code = text(code, "price list code", 40)
    ensure_absent(session, PriceList, company, "price list", code=code)
    currency = (currency or company.currency).strip().upper()
    if currency != company.currency:
        raise Invalid(
            f"price list {code}: sales sells in the company currency {company.currency}, not {currency}"
        )
    row = PriceList(
        company_id=company.id,
        code=code,
        name=text(name, "price list name", 200),
        currency=currency,
        active=True,
    )
    session.add(row)
    session.flush()
    return row


def find_price_list(session: Session, company: Company, code: str) -> PriceList:
    return find_one(session, PriceList, company, "price list", code=code)


def set_price(session: Session, company: Company, code: str, sku: str, price, *, min_quantity="0",
              discount_percent="0") -> PriceListItem:
    """Set (or replace) the price of ``sku`` from ``min_quantity`` up in price list ``code``."""
    price_list = find_price_list(session, company, code)
    product = get_product(session, company, sku)
    minimum = 0 if str(min_quantity).strip() in ("", "0") else quantity_units(product, min_quantity,
                                                                               what="minimum quantity")
    item = session.scalar(select(PriceListItem).where(PriceListItem.price_list_id == price_list.id,
                                                      PriceListItem.product_id == product.id,
                                                      PriceListItem.min_quantity_units == minimum))
    if item is None:
        item = PriceListItem(company_id=company.id, price_list=price_list, product=product,
                             min_quantity_units=minimum)
        session.add(item)
    item.price_units = money_units(company, price, what="price")
    item.discount_bp = discount_bp(discount_percent)
    session.flush()
    return item


def remove_price(session: Session, company: Company, code: str, sku: str, *, min_quantity="0") -> None:
    price_list = find_price_list(session, company, code)
    product = get_product(session, company, sku)
    minimum = 0 if str(min_quantity).strip() in ("", "0") else quantity_units(product, min_quantity)
    item = session.scalar(select(PriceListItem).where(PriceListItem.price_list_id == price_list.id,
                                                      PriceListItem.product_id == product.id,
                                                      PriceListItem.min_quantity_units == minimum))
    if item is None:
        raise NotFound(f"price list {code} has no price of {sku} from {quantity(product, minimum)}")
    session.delete(item)
    session.flush()


def price_for(session: Session, price_list: Optional[PriceList], product: Product,
              units: int) -> Optional[tuple[int, int]]:
    """(price units, discount bp) of ``units`` of ``product`` in ``price_list``; ``None`` when it has none."""
    if price_list is None:
        return None
    item = session.scalar(select(PriceListItem).where(
        PriceListItem.price_list_id == price_list.id, PriceListItem.product_id == product.id,
        PriceListItem.min_quantity_units <= units).order_by(PriceListItem.min_quantity_units.desc()).limit(1))
    return None if item is None else (item.price_units, item.discount_bp)


def price_list_data(company: Company, row: PriceList) -> dict:
    items = sorted(row.items, key=lambda i: (i.product.sku, i.min_quantity_units))
    return {"code": row.code, "name": row.name, "currency": row.currency, "active": row.active,
            "items": [{"product": i.product.sku, "name": i.product.name,
                       "min_quantity": quantity(i.product, i.min_quantity_units),
                       "price": money(company, i.price_units), "discount": discount(i.discount_bp)}
                      for i in items]}

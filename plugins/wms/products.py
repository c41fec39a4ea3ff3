"""Products as the warehouse sees them: tracking, removal strategy, cost
method and standard cost; lots and serial numbers; finding a product by
what a scanner read."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Conflict, Invalid, NotFound
from core.models import Company, Product
from core.values import parse_date
from plugins.wms.models import CostMethod, Lot, ProductSettings, Removal, Settings, Stock, Tracking
from plugins.wms.setup import choice, settings_of
from plugins.wms.values import cost_units

__all__ = [
    "DEFAULT",
    "rules_of",
    "set_rules",
    "removal_of",
    "cost_method_of",
    "tracking_of",
    "find_lot",
    "lot_for_receipt",
    "scan_product",
]

# Follow the company's setting rather than the product's own.
DEFAULT = "default"


def rules_of(session: Session, product: Product) -> Optional[ProductSettings]:
    return session.get(ProductSettings, product.id)


def set_rules(session: Session, company: Company, sku: str, *, tracking: Optional[str] = None,
              removal: Optional[str] = None, cost_method: Optional[str] = None,
              standard_cost=None) -> ProductSettings:
    """Change how the warehouse treats a product; tracking and cost method only while it has no stock.

    ``removal`` and ``cost_method`` may be ``"default"``: the company's, whatever it is then.
    """
    product = get_product(session, company, sku)
    rules = rules_of(session, product)
    if rules is None:
        rules = ProductSettings(product_id=product.id, company_id=company.id, tracking=Tracking.NONE)
        session.add(rules)
    has_stock = session.scalar(select(Stock.id).where(Stock.product_id == product.id, Stock.on_hand != 0)
                               .limit(1)) is not None
    if tracking is not None:
        value = choice(Tracking, tracking, "tracking")
        if value is not rules.tracking and has_stock:
            raise Conflict(f"{product.sku} has stock: its tracking can change only when none is left")
        if value is Tracking.SERIAL and product.unit.scale != 0:
            raise Invalid(f"{product.sku} is counted in {product.unit.code}: serial numbers need whole units")
        rules.tracking = value
    if removal is not None:
        rules.removal = None if removal == DEFAULT else choice(Removal, removal, "removal strategy")
    if cost_method is not None:
        value = None if cost_method == DEFAULT else choice(CostMethod, cost_method, "cost method")
        if (value or settings_of(session, company).cost_method) is not cost_method_of(
            session, company, product
        ):
            from plugins.wms.valuation import refuse_if_costed

            refuse_if_costed(session, company, product)
        rules.cost_method = value
    if standard_cost is not None:
        rules.standard_cost = cost_units(standard_cost, what="standard cost")
    session.flush()
    return rules


def removal_of(session: Session, settings: Settings, product: Product) -> Removal:
    rules = rules_of(session, product)
    return rules.removal if rules is not None and rules.removal is not None else settings.removal


def cost_method_of(session: Session, company: Company, product: Product) -> CostMethod:
    rules = rules_of(session, product)
    if rules is not None and rules.cost_method is not None:
        return rules.cost_method
    return settings_of(session, company).cost_method


def tracking_of(session: Session, product: Product) -> Tracking:
    rules = rules_of(session, product)
    return rules.tracking if rules is not None else Tracking.NONE


def find_lot(session: Session, product: Product, name: str) -> Lot:
    found = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.name == (name or "").strip()))
    if found is None:
        raise NotFound(f"{product.sku} has no lot {name!r}")
    return found


def lot_for_receipt(session: Session, company: Company, product: Product, name: str,
                    expiry: Optional[dt.date | str] = None) -> Lot:
    """The lot ``name`` of ``product``, created on its first receipt (a serial number: only then)."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise Invalid(f"{product.sku}: a lot or serial number must have 1 to 80 characters")
    expiry = parse_date(expiry) if expiry else None
    lot = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.name == name))
    if lot is None:
        lot = Lot(company_id=company.id, product_id=product.id, name=name, expiry_date=expiry)
        session.add(lot)
        session.flush()
        return lot
    if tracking_of(session, product) is Tracking.SERIAL:
        held = session.scalar(select(Stock.id).where(Stock.lot_id == lot.id, Stock.on_hand != 0).limit(1))
        if held is not None:
            raise Conflict(f"{product.sku}: serial number {name} is in stock already")
    if expiry is not None and lot.expiry_date != expiry:
        if lot.expiry_date is not None:
            raise Conflict(f"{product.sku}: lot {name} expires on {lot.expiry_date}, not {expiry}")
        lot.expiry_date = expiry
    return lot


def scan_product(session: Session, company: Company, scanned: str) -> Product:
    """A product by what a scanner read: its barcode or its SKU."""
    text = (scanned or "").strip()
    found = session.scalars(select(Product).where(Product.company_id == company.id,
                                                  or_(Product.barcode == text, Product.sku == text))).all()
    if not found:
        raise NotFound(f"no product has the barcode or SKU {text!r}")
    return next((p for p in found if p.barcode == text), found[0])

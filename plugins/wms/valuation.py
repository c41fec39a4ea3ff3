"""Inventory valuation: FIFO layers and moving averages, per product, company-wide.

Value changes only when stock crosses the company's boundary (a receipt
from a supplier, a delivery to a customer, a count difference); internal
transfers move quantities, never value. Each change is posted in the same
ledger transaction as the quantities it values, so the sum of ``wms_cost``
equals the inventory account's balance, always. A product sold below zero
(where the company allows it) is valued at its last unit cost; the receipt
that fills the gap settles the difference against cost of goods sold.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.errors import Conflict
from core.ledger import Leg
from core.models import Company, Product
from plugins.wms.models import (
    Cost,
    CostMethod,
    Layer,
    Location,
    LocationKind,
    ProductSettings,
    Settings,
    Stock,
)
from plugins.wms.values import currency_scale, money, share, unit_cost_of, value_of

__all__ = ["open_costing", "refuse_if_costed", "receive", "issue", "unit_cost_now", "OWNED", "total_value",
           "value_legs"]

# Where the company's own stock is: value moves when stock crosses this boundary.
OWNED = frozenset({LocationKind.INTERNAL, LocationKind.TRANSIT})
_COST = Cost.__table__


def open_costing(session: Session, company: Company, settings: Settings) -> None:
    """Start costing with what is on hand now, at zero value (the books knew no value for it)."""
    owned = select(Location.id).where(Location.company_id == company.id, Location.kind.in_(OWNED))
    rows = session.execute(select(Stock.product_id, func.sum(Stock.on_hand)).where(
        Stock.company_id == company.id, Stock.location_id.in_(owned)).group_by(Stock.product_id)).all()
    today = dt.date.today()
    for product_id, units in rows:
        product = session.get(Product, product_id)
        cost = _cost_row(session, company, product)
        cost.quantity += units
        if cost.method is CostMethod.FIFO and units > 0:
            session.add(Layer(company_id=company.id, product_id=product_id, move_id=None, date=today,
                              quantity=units, value=0, remaining_quantity=units, remaining_value=0))
    session.flush()


def refuse_if_costed(session: Session, company: Company, product: Optional[Product]) -> None:
    """A cost method changes only while nothing is in stock (the layers would not mean the same)."""
    query = select(Cost.product_id).where(Cost.company_id == company.id, Cost.quantity != 0)
    if product is not None:
        query = query.where(Cost.product_id == product.id)
    if session.scalar(query.limit(1)) is not None:
        raise Conflict("the cost method can change only while no costed stock is on hand"
                       + (f" ({product.sku})" if product else ""))


def _method(session: Session, company: Company, product: Product) -> CostMethod:
    rules = session.get(ProductSettings, product.id)
    if rules is not None and rules.cost_method is not None:
        return rules.cost_method
    return session.get(Settings, company.id).cost_method


def _cost_row(session: Session, company: Company, product: Product) -> Cost:
    """The product's cost row, created at its first movement, locked."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(_COST).values(
        product_id=product.id, company_id=company.id, method=_method(session, company, product).value,
        quantity=0, value=0).on_conflict_do_nothing())
    return session.scalars(select(Cost).where(Cost.product_id == product.id).with_for_update()
                           .execution_options(populate_existing=True)).one()


def unit_cost_now(session: Session, company: Company, product: Product, cost: Optional[Cost] = None) -> int:
    """What one unit costs now (at ``COST_SCALE``): the average of what is on hand, else the last
    receipt's cost, else the standard cost, else nothing."""
    qscale, mscale = product.unit.scale, currency_scale(company.currency)
    cost = cost if cost is not None else session.get(Cost, product.id)
    if cost is not None and cost.quantity > 0:
        return unit_cost_of(cost.value, cost.quantity, qscale, mscale)
    last = session.execute(select(Layer.value, Layer.quantity).where(Layer.product_id == product.id,
                                                                     Layer.quantity > 0)
                           .order_by(Layer.id.desc()).limit(1)).first()
    if last is not None and last.value:
        return unit_cost_of(last.value, last.quantity, qscale, mscale)
    rules = session.get(ProductSettings, product.id)
    return rules.standard_cost if rules is not None and rules.standard_cost is not None else 0


def receive(session: Session, company: Company, product: Product, units: int, unit_cost: int,
            date: dt.date, move_id: Optional[int]) -> tuple[int, int]:
    """``units`` enter the company's stock at ``unit_cost``.

    :returns: ``(value, correction)``: the value that entered, and what of it
        settles stock sold below zero at another cost (to move from inventory
        to cost of goods sold; negative: the other way).
    """
    qscale, mscale = product.unit.scale, currency_scale(company.currency)
    value = value_of(unit_cost, units, qscale, mscale)
    cost = _cost_row(session, company, product)
    correction = 0
    layered = units
    if cost.quantity < 0:  # fill the gap of stock sold below zero first
        deficit = -cost.quantity
        filled = min(units, deficit)
        booked = share(cost.value, filled, deficit)       # what the gap was valued at (negative)
        paid = share(value, filled, units)                  # what the same units cost now
        correction = paid + booked                          # positive: inventory carries too much
        layered = units - filled
    cost.quantity += units
    cost.value += value - correction
    if cost.method is CostMethod.FIFO and layered > 0:
        layer_value = value - share(value, units - layered, units) if layered != units else value
        session.add(Layer(company_id=company.id, product_id=product.id, move_id=move_id, date=date,
                          quantity=layered, value=layer_value, remaining_quantity=layered,
                          remaining_value=layer_value))
    session.flush()
    return value, correction


def issue(session: Session, company: Company, product: Product, units: int) -> int:
    """``units`` leave the company's stock; returns the value that left with them."""
    qscale, mscale = product.unit.scale, currency_scale(company.currency)
    cost = _cost_row(session, company, product)
    covered = min(units, max(cost.quantity, 0))
    if cost.method is CostMethod.FIFO:
        value = _consume_layers(session, product, covered)
    else:
        value = share(cost.value, covered, cost.quantity) if covered else 0
    if units > covered:  # below zero: at the last known cost
        value += value_of(unit_cost_now(session, company, product, cost),
                          units - covered, qscale, mscale)
    cost.quantity -= units
    cost.value -= value
    session.flush()
    return value


def _consume_layers(session: Session, product: Product, units: int) -> int:
    value = 0
    if units <= 0:
        return 0
    layers = session.scalars(select(Layer).where(Layer.product_id == product.id, Layer.remaining_quantity > 0)
                             .order_by(Layer.id).with_for_update()).all()
    for layer in layers:
        if units == 0:
            break
        taken = min(units, layer.remaining_quantity)
        part = share(layer.remaining_value, taken, layer.remaining_quantity)
        layer.remaining_quantity -= taken
        layer.remaining_value -= part
        value += part
        units -= taken
    assert units == 0, "FIFO layers hold less than the cost row says"  # a broken invariant, not bad input
    return value


def total_value(session: Session, company: Company) -> int:
    return int(
        session.scalar(select(func.coalesce(func.sum(Cost.value), 0)).where(Cost.company_id == company.id))
    )


def value_legs(debit: str, credit: str, units: int, currency: str) -> list[Leg]:
    """The two ledger legs moving ``units`` of value from ``credit`` to ``debit`` (none for nothing)."""
    if units == 0 or debit == credit:
        return []
    amount = money(units, currency)
    return [Leg(debit, amount, currency), Leg(credit, -amount, currency)]

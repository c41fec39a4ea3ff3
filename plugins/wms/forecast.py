"""Replenishment's statistics: demand per day, safety stock, the economic
order quantity and what a unit costs, exact (``Decimal``) and set-based.

Quantities stay integers of the product unit's smallest step; a computed
quantity (safety stock, EOQ, reorder point) is rounded up to that step, so
replenishment errs on the side of having stock. Only the normal quantile
``z`` comes from a float (``statistics.NormalDist``); it enters the
arithmetic as the ``Decimal`` of its shortest repr.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from statistics import NormalDist
from typing import Optional

import attrs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Company, Product, Unit
from plugins.wms.models import Cost, Layer, ProductSettings
from plugins.wms.values import COST_SCALE, currency_scale, unit_cost_of

__all__ = ["DAYS_PER_YEAR", "Demand", "demand_of", "z_score", "ceil_units", "safety_stock", "eoq",
           "holding_cost", "unit_costs"]

DAYS_PER_YEAR = 365


@attrs.frozen
class Demand:
    """Units (smallest steps) delivered per day over ``days`` days: total, mean and standard deviation."""

    days: int
    total: int
    mean: Decimal
    sigma: Decimal

    @property
    def annual(self) -> Decimal:
        return self.mean * DAYS_PER_YEAR


def demand_of(per_day: Mapping[object, int], days: int) -> Demand:
    """The demand of a window of ``days`` days from its delivered units per day.

    Days missing from ``per_day`` count as zero demand. ``sigma`` is the
    sample standard deviation (n - 1), computed from exact integer sums.
    """
    if days <= 0:
        raise ValueError("a demand window has at least one day")
    total = sum(per_day.values())
    squares = sum(units * units for units in per_day.values())
    mean = Decimal(total) / days
    if days == 1:
        return Demand(days, total, mean, Decimal(0))
    variance = Decimal(days * squares - total * total) / (days * (days - 1))
    return Demand(days, total, mean, variance.sqrt() if variance > 0 else Decimal(0))


@lru_cache(maxsize=256)  # a handful of service levels, asked once per rule
def z_score(service_level: int) -> Decimal:
    """The standard normal quantile of a service level in basis points (9500 -> 1.6448536...)."""
    if not 0 < service_level < 10000:
        raise ValueError(f"service level {service_level} is outside 1..9999 basis points")
    return Decimal(repr(NormalDist().inv_cdf(service_level / 10000)))


def ceil_units(value: Decimal) -> int:
    """``value`` (in smallest steps) rounded up to a whole step."""
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def safety_stock(z: Decimal, sigma: Decimal, lead_time_days: int) -> int:
    """``z * sigma * sqrt(lead time)`` in smallest steps, rounded up; never below zero."""
    if lead_time_days <= 0 or sigma <= 0 or z <= 0:
        return 0
    return ceil_units(z * sigma * Decimal(lead_time_days).sqrt())


def eoq(annual_demand: Decimal, ordering_cost: Decimal, holding_cost: Decimal) -> Optional[Decimal]:
    """``sqrt(2 * D * S / H)``: demand per year, cost per order, holding cost per unit per year,
    all in the same units; ``None`` when any of them is not positive (no EOQ then)."""
    if annual_demand <= 0 or ordering_cost <= 0 or holding_cost <= 0:
        return None
    return (2 * annual_demand * ordering_cost / holding_cost).sqrt()


def holding_cost(holding_rate: int, unit_cost: int) -> Decimal:
    """Currency per product unit per year: ``holding_rate`` basis points of ``unit_cost`` (at COST_SCALE)."""
    return Decimal(holding_rate) * unit_cost / (10000 * 10**COST_SCALE)


def unit_costs(
    session: Session, company: Company, product_ids: Optional[Iterable[int]] = None
) -> dict[int, int]:
    """What a unit of each product costs now (at ``COST_SCALE``), in three grouped queries.

    The same answer as :func:`plugins.wms.valuation.unit_cost_now`, product by
    product: the average of what is on hand, else the last receipt layer's
    cost, else the standard cost; products with none of them are left out.
    """
    wanted = None if product_ids is None else set(product_ids)
    mscale = currency_scale(company.currency)
    scales = dict(session.execute(select(Product.id, Unit.scale).join(Unit, Unit.id == Product.unit_id)
                                  .where(Product.company_id == company.id)).all())
    found: dict[int, int] = {}
    for product_id, value in session.execute(
        select(ProductSettings.product_id, ProductSettings.standard_cost).where(
            ProductSettings.company_id == company.id, ProductSettings.standard_cost.is_not(None)
        )
    ):
        found[product_id] = value
    last = (select(func.max(Layer.id).label("id")).where(Layer.company_id == company.id, Layer.quantity > 0)
            .group_by(Layer.product_id).subquery())
    for product_id, value, units in session.execute(
            select(Layer.product_id, Layer.value, Layer.quantity).join(last, last.c.id == Layer.id)):
        if value:  # a layer received at no cost says nothing about the cost (as unit_cost_now)
            found[product_id] = unit_cost_of(value, units, scales[product_id], mscale)
    for product_id, units, value in session.execute(select(Cost.product_id, Cost.quantity, Cost.value).where(
            Cost.company_id == company.id, Cost.quantity > 0)):
        found[product_id] = unit_cost_of(value, units, scales[product_id], mscale)
    return found if wanted is None else {k: v for k, v in found.items() if k in wanted}


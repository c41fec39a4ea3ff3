"""WMS's exact numbers: quantities in the product's unit, unit costs at a fixed
scale, values in the company currency; rounding (half up) in one place.

Quantities are integers of the unit's smallest step (kg at scale 3: grams);
a unit cost is an integer at ``COST_SCALE`` decimal places of the company
currency per product unit; a value is an integer of the currency's smallest
unit. ``value_of`` and ``share`` are the only places a value is rounded.
"""

from __future__ import annotations

from decimal import Decimal

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Product
from core.values import from_units, normalise, parse_amount

__all__ = ["COST_SCALE", "quantity_units", "quantity", "cost_units", "cost", "value_of", "share", "money",
           "currency_scale", "rounded_div", "unit_cost_of"]

COST_SCALE = 6


def quantity_units(product: Product, value, *, what: str = "quantity", positive: bool = True) -> int:
    """A quantity typed by a person, in the product's smallest unit; refuses finer digits."""
    try:
        units = normalise(parse_amount(value), product.unit.scale, what=what)[0]
    except Invalid as exc:
        raise Invalid(f"{product.sku}: {exc}") from None
    if positive and units <= 0:
        raise Invalid(f"{product.sku}: {what} must be more than zero, not {value}")
    if units < 0:
        raise Invalid(f"{product.sku}: {what} must not be negative, not {value}")
    return units


def quantity(product: Product, units: int) -> Decimal:
    return from_units(units, product.unit.scale)


def cost_units(value, *, what: str = "unit cost") -> int:
    """A unit cost (company currency per product unit) at ``COST_SCALE``; never negative."""
    units = normalise(parse_amount(value), COST_SCALE, what=what)[0]
    if units < 0:
        raise Invalid(f"{what} must not be negative, not {value}")
    return units


def cost(units: int) -> Decimal:
    """A unit cost as a person writes it: ``Decimal("500")``, ``Decimal("12.5")`` (no exponent, no trailing
    zeros)."""
    value = from_units(units, COST_SCALE)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def currency_scale(code: str) -> int:
    return CURRENCIES[code][1]


def rounded_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in integers (exact at any size)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def value_of(unit_cost: int, units: int, quantity_scale: int, money_scale: int) -> int:
    """What ``units`` (at ``quantity_scale``) cost at ``unit_cost``, in smallest currency units."""
    return rounded_div(unit_cost * units * 10**money_scale, 10**(COST_SCALE + quantity_scale))


def share(total: int, part: int, whole: int) -> int:
    """The part of ``total`` that ``part`` of ``whole`` carries; all of it when ``part == whole``."""
    if part == whole:
        return total
    return rounded_div(total * part, whole)


def unit_cost_of(value: int, units: int, quantity_scale: int, money_scale: int) -> int:
    """The unit cost (at ``COST_SCALE``) of ``value`` spread over ``units``."""
    return rounded_div(value * 10**(COST_SCALE + quantity_scale), units * 10**money_scale)


def money(units: int, code: str) -> Decimal:
    return from_units(units, currency_scale(code))

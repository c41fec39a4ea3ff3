"""Procurement's exact numbers: quantities in the product's unit, prices and
amounts in the document currency's smallest unit; rounding (half up) in one
place (:func:`net_of`)."""

from __future__ import annotations

from decimal import Decimal

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Product
from core.values import from_units, normalise, parse_amount

__all__ = ["money_scale", "money_units", "money", "quantity_units", "quantity", "net_of", "rounded_div",
           "check_currency", "names_quantity"]


def check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in CURRENCIES:
        raise Invalid(f"unknown currency {code!r}")
    return code


def money_scale(code: str) -> int:
    return CURRENCIES[check_currency(code)][1]


def money_units(value, code: str, *, what: str = "price", positive: bool = False) -> int:
    """An amount typed by a person in ``code``'s smallest unit; refuses finer digits and negatives."""
    units = normalise(parse_amount(value), money_scale(code), what=what)[0]
    if units < 0 or (positive and units == 0):
        raise Invalid(f"{what} must be {'more than' if positive else 'at least'} zero, not {value}")
    return units


def money(units: int, code: str) -> Decimal:
    return from_units(units, money_scale(code))


def quantity_units(product: Product, value, *, what: str = "quantity", positive: bool = True) -> int:
    """A quantity typed by a person, in the product's smallest unit; refuses finer digits."""
    try:
        units = normalise(parse_amount(value), product.unit.scale, what=what)[0]
    except Invalid as exc:
        raise Invalid(f"{product.sku}: {exc}") from None
    if units < 0 or (positive and units == 0):
        raise Invalid(f"{product.sku}: {what} must be more than zero, not {value}")
    return units


def names_quantity(value) -> bool:
    """Whether a quantity typed in a form's line names one: blank and zero in any spelling (``0``,
    ``0.000``, ``-0``) do not. Text that is no number does, so that the service refuses it with its
    message."""
    text = str(value or "").strip()
    if not text:
        return False
    try:
        return parse_amount(text) != 0
    except Invalid:
        return True


def quantity(product: Product, units: int) -> Decimal:
    return from_units(units, product.unit.scale)


def rounded_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in integers (exact at any size)."""
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def net_of(price_units: int, quantity_units: int, quantity_scale: int) -> int:
    """What ``quantity_units`` (at ``quantity_scale``) cost at ``price_units`` per unit, in money units."""
    return rounded_div(price_units * quantity_units, 10**quantity_scale)

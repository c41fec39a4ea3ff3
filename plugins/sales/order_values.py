"""The order side's exact numbers: money in the company currency, quantities
in the product's unit, discounts in basis points (1250 = 12.50 %).

Integers in storage, ``Decimal`` at the API; ``net_units`` is the one place
an order line's amount is rounded (half away from zero).
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Optional

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Company, Product
from core.values import from_units, normalise, parse_amount

__all__ = ["scale", "money_units", "money", "quantity_units", "quantity", "discount_bp", "discount",
           "net_units", "part_of", "add_months", "origin_of", "number_of_origin"]

ORIGIN = "sales:"


def scale(company: Company) -> int:
    return CURRENCIES[company.currency][1]


def money_units(company: Company, value, *, what: str = "amount") -> int:
    """A non-negative amount of the company currency typed by a person, in its smallest unit."""
    units = normalise(parse_amount(value), scale(company), what=what)[0]
    if units < 0:
        raise Invalid(f"{what} must not be negative, not {value}")
    return units


def money(company: Company, units: Optional[int]) -> Optional[Decimal]:
    return None if units is None else from_units(units, scale(company))


def quantity_units(product: Product, value, *, what: str = "quantity") -> int:
    """A positive quantity of ``product`` in its unit's smallest step; finer digits are refused."""
    try:
        units = normalise(parse_amount(value), product.unit.scale, what=what)[0]
    except Invalid as exc:
        raise Invalid(f"{product.sku}: {exc}") from None
    if units <= 0:
        raise Invalid(f"{product.sku}: {what} must be more than zero, not {value}")
    return units


def quantity(product: Product, units: int) -> Decimal:
    return from_units(units, product.unit.scale)


def discount_bp(value) -> int:
    """A discount in percent (``"12.5"``) as basis points; 0 to 100 % with at most two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    try:
        units = normalise(parse_amount(value), 2, what="discount")[0]
    except Invalid as exc:
        raise Invalid(f"{exc} (a percentage with at most two decimals)") from None
    if not 0 <= units <= 10000:
        raise Invalid(f"discount must be from 0 to 100 %, not {value}")
    return units


def discount(bp: int) -> Decimal:
    """Basis points as a percentage: ``1250 -> Decimal("12.50")``."""
    return from_units(bp, 2)


def _rounded_div(numerator: int, denominator: int) -> int:
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def net_units(quantity_units_: int, quantity_scale: int, price_units: int, bp: int) -> int:
    """quantity × price less the discount, in smallest currency units (rounded half up)."""
    return _rounded_div(quantity_units_ * price_units * (10000 - bp), 10**quantity_scale * 10000)


def part_of(total: int, part: int, whole: int) -> int:
    """The share of ``total`` that ``part`` of ``whole`` carries (all of it when part == whole)."""
    if whole <= 0 or part == whole:
        return total if part == whole else 0
    return _rounded_div(total * part, whole)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def origin_of(number: str) -> str:
    """What sales writes in a partner's ``origin``: ``sales:SO00012``."""
    return ORIGIN + number


def number_of_origin(origin: Optional[str]) -> Optional[str]:
    """``sales:SO00012 -> SO00012``; ``None`` for anything sales did not create."""
    if not origin or not origin.startswith(ORIGIN):
        return None
    return origin[len(ORIGIN):]

"""Finance's exact numbers: fixed scales for what is not money, rounding for what is.

Quantities, unit prices, percentages and exchange rates are stored as
integers at fixed scales; money at its currency's scale. Rounding happens in
one place, :func:`round_money` (half up, like a calculator and Korean tax
practice), and nowhere else.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.values import from_units, parse_amount

__all__ = ["QUANTITY_SCALE", "PRICE_SCALE", "PERCENT_SCALE", "RATE_SCALE", "fixed", "unfixed", "scale_of",
           "round_money", "money_units", "percent", "trimmed"]

QUANTITY_SCALE = 6
PRICE_SCALE = 6
PERCENT_SCALE = 4
RATE_SCALE = 8


def fixed(value, scale: int, what: str) -> int:
    """``value`` as an integer at ``scale``; refuses more decimals than the scale holds."""
    amount = parse_amount(value)
    if amount and amount.adjusted() + scale >= 18:
        raise Invalid(f"{what} {value} is too large")
    with localcontext() as ctx:
        ctx.prec = 60
        scaled = amount.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise Invalid(f"{what} {value} has more than {scale} decimal places")
    return int(scaled)


def unfixed(units: int, scale: int) -> Decimal:
    return from_units(units, scale)


def scale_of(currency: str) -> int:
    try:
        return CURRENCIES[currency][1]
    except KeyError:
        raise Invalid(f"unknown currency {currency!r}") from None


def round_money(value: Decimal, scale: int) -> Decimal:
    """``value`` rounded half up to ``scale`` decimal places."""
    with localcontext() as ctx:
        ctx.prec = 60
        return value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)


def money_units(value: Decimal, scale: int) -> int:
    """An amount already at ``scale`` as integer units (rounds half up if it is not)."""
    return int(round_money(value, scale).scaleb(scale))


def percent(value, what: str = "percentage") -> int:
    """A percentage (``"10"``, ``"12.5"``) at PERCENT_SCALE, between 0 and 100."""
    units = fixed(value, PERCENT_SCALE, what)
    if not 0 <= units <= 100 * 10**PERCENT_SCALE:
        raise Invalid(f"{what} {value} must be between 0 and 100")
    return units


def trimmed(value: Decimal) -> Decimal:
    """A fixed-scale Decimal without its trailing zeros (``3.000000`` -> ``3``, ``1250.50`` -> ``1250.5``)."""
    normal = value.normalize()
    return normal.quantize(1) if normal == normal.to_integral_value() else normal

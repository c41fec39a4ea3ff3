"""Exact values: amounts as ``Decimal`` at the API, integers in storage.

A commodity has a *scale*: the number of decimal places of its smallest unit
(KRW 0, USD 2, kilograms perhaps 3). ``to_units`` and ``from_units`` are the
only two doors between the two representations; both refuse to round.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Context, Decimal, Inexact, InvalidOperation, Rounded
from typing import Any

import attrs

from core.errors import Invalid

__all__ = [
    "Money",
    "Quantity",
    "parse_amount",
    "parse_date",
    "to_units",
    "normalise",
    "from_units",
    "MAX_UNITS",
    "plain",
    "check_length",
    "MAX_ID",
    "as_id",
    "parse_whole",
]

_MAX_SCALE = 9
# The largest amount one posting may carry, in smallest units: KRW 10^15, or
# USD 10^13. Balances stay far inside the 64-bit integers the database stores.
MAX_UNITS = 10**15
_MAX_DIGITS = len(str(MAX_UNITS))
# Arithmetic that refuses to round: wide enough for any amount within MAX_UNITS
# written with a few dozen trailing zeros; anything longer raises.
_EXACT = Context(prec=60, traps=[Inexact, Rounded, InvalidOperation])


# ASCII digits only; thousands separators only where they belong ("1,200.50");
# no exponent: a person writes 1000, and "1e3" is more likely a slip. Jangbu
# itself writes Decimals without one (``plain``, ``format(value, "f")``).
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+", re.ASCII)
# The largest id a 64-bit integer column holds; an id is written one way only
# (no sign, no leading zero, ASCII digits), so no two texts name one row.
MAX_ID = 2**63 - 1
_ID = re.compile(r"[1-9][0-9]*", re.ASCII)
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_amount(text: str | int | Decimal) -> Decimal:
    """Read an amount written by a person (``"1,200.50"``, ``"-3"``) exactly.

    Anything ambiguous is refused rather than guessed: ``"1,50"`` is not
    150, full-width or other non-ASCII digits are not digits here.
    """
    if isinstance(text, (bool, float)):
        raise Invalid(f"amount {text!r} must be given as text or Decimal, never float")
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
    else:
        cleaned = str(text).strip()
        if not _AMOUNT.fullmatch(cleaned):
            raise Invalid(f"malformed amount {text!r}")
        value = Decimal(cleaned.replace(",", ""))
    if not value.is_finite():
        raise Invalid(f"malformed amount {text!r}")
    return value


def as_id(value: str | int) -> int | None:
    """The row id ``value`` names, or ``None`` when no row can have it.

    Ids come from URLs and arguments as text: only ASCII digits without a
    leading zero, within 1..``MAX_ID``, name a row (``"١٢٣"``, ``"007"``,
    ``"-1"`` and ``"99999999999999999999"`` name none). A lookup by "number
    or id" tries the id only when this gives one: anything else is simply not
    found, never an error of the database.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip()
    if not _ID.fullmatch(text) or int(text[:20]) > MAX_ID:
        return None
    return int(text)


def parse_whole(text: str | int, what: str, low: int = 0, high: int = MAX_ID) -> int:
    """A whole number from ``low`` to ``high`` in ASCII digits (a count, a limit, a position).

    One message for anything else: ``limit must be a whole number from 1 to
    100, not '١٢٣'``.
    """
    refusal = Invalid(f"{what} must be a whole number from {low} to {high}, not {text!r}")
    if isinstance(text, bool):
        raise refusal
    if isinstance(text, int):
        number = text
    else:
        cleaned = str(text).strip()
        if not _WHOLE.fullmatch(cleaned) or len(cleaned) > 40:  # no int() of a million digits
            raise refusal
        number = int(cleaned)
    if not low <= number <= high:
        raise refusal
    return number


def parse_date(text: str | dt.date) -> dt.date:
    """Read an ISO date (``2026-03-31``)."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    cleaned = str(text).strip()
    try:
        if not _DATE.fullmatch(cleaned):
            raise ValueError(cleaned)
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise Invalid(f"malformed date {text!r}: use YYYY-MM-DD") from None


def check_length(label: str, value: str | None, limit: int) -> None:
    """Refuse text longer than its column holds, the same on every engine.

    SQLite stores any length and PostgreSQL refuses past ``varchar(n)``; the
    services say so first, naming the field: ``account code must be at most
    40 characters (it has 42)``.
    """
    if value is not None and len(value) > limit:
        raise Invalid(f"{label} must be at most {limit} characters (it has {len(value)})")


def to_units(amount: Decimal, scale: int, *, what: str = "amount") -> int:
    """``Decimal("12.34"), 2 -> 1234``; refuses digits finer than the scale."""
    return normalise(amount, scale, what=what)[0]


def normalise(amount: Decimal, scale: int, *, what: str = "amount") -> tuple[int, Decimal]:
    """The amount in smallest units, and as a Decimal with exactly ``scale`` places.

    Refuses digits finer than the scale (never rounds) and amounts beyond
    ``MAX_UNITS``.
    """
    if not isinstance(amount, Decimal):
        amount = parse_amount(amount)
    if not amount.is_finite():
        raise Invalid(f"malformed {what} {amount}")
    if not 0 <= scale <= _MAX_SCALE:
        raise Invalid(f"scale {scale} out of range 0..{_MAX_SCALE}")
    if amount and amount.adjusted() + scale >= _MAX_DIGITS:  # before any arithmetic on a huge exponent
        raise Invalid(f"{what} {amount} is too large (at most {from_units(MAX_UNITS, scale)})")
    try:
        scaled = amount.scaleb(scale, context=_EXACT)
        units = int(scaled)
        exact = scaled == units
    except (Inexact, Rounded):  # more digits than the context holds (long trailing zeros?)
        units, exact = _units_by_digits(amount, scale)
    if not exact:
        raise Invalid(f"{what} {amount} has more than {scale} decimal places")
    if abs(units) > MAX_UNITS:
        raise Invalid(f"{what} {amount} is too large (at most {from_units(MAX_UNITS, scale)})")
    return units, Decimal(units).scaleb(-scale, context=_EXACT)


def _units_by_digits(amount: Decimal, scale: int) -> tuple[int, bool]:
    """Integer arithmetic on the digits: exact however many there are."""
    sign, digits, exponent = amount.as_tuple()
    shift = exponent + scale
    if shift < 0:
        if any(digits[shift:]):
            return 0, False
        digits, shift = digits[:shift] or (0,), 0
    units = int("".join(map(str, digits))) * 10**shift
    return (-units if sign else units), True


def from_units(units: int, scale: int) -> Decimal:
    """``1234, 2 -> Decimal("12.34")`` (always with exactly ``scale`` places)."""
    return Decimal(int(units)).scaleb(-scale, context=_EXACT)


@attrs.frozen
class Money:
    """An exact amount of a currency."""

    amount: Decimal = attrs.field(converter=parse_amount)
    currency: str

    def __add__(self, other: Money) -> Money:
        if self.currency != other.currency:
            raise Invalid(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


@attrs.frozen
class Quantity:
    """An exact quantity of a product in its unit of measure."""

    amount: Decimal = attrs.field(converter=parse_amount)
    unit: str

    def __str__(self) -> str:
        return f"{self.amount:,} {self.unit}"


def plain(value: Any) -> Any:
    """A value as JSON and CSV carry it exactly: Decimals as strings, dates ISO 8601, enums by value."""
    if isinstance(value, Decimal):
        return format(value, "f")  # never an exponent: what Jangbu writes, parse_amount reads back
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value

"""How commands read their parameters, core's and plugins' alike: a public
helper of the command line (``from cli.params import ID, Whole, parse_leg``).

``parse_leg`` reads a ledger posting written ``ACCOUNT:AMOUNT[:COMMODITY]``;
``split_fields`` cuts any such document line (``SKU:QUANTITY[:PRICE]``) into
its fields and ``parse_quantities`` reads repeated ``SKU:QUANTITY`` options,
each with the one ``malformed ...: use ...`` message.

``ID`` reads a row id (``jangbu ledger show 12``) as ``core.values.as_id``
does for the web's URLs; ``Whole(low, high)`` reads a count, a limit or a
position as ``core.values.parse_whole`` does. Both take ASCII digits only
(``١٢٣`` and ``１２`` are not numbers here), check the range before anything
reaches the database, and fail with one line that names the parameter.
Never use click's ``int`` or ``IntRange``: they take ``١٢٣`` as 123.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

import click

from core.errors import Invalid
from core.ledger import Leg
from core.values import MAX_ID, as_id, parse_whole

__all__ = ["ID", "IdType", "Whole", "parse_leg", "split_fields", "parse_quantities"]


class IdType(click.ParamType):
    """A row id: 1 to 2**63-1, no sign, no leading zero."""

    name = "id"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> int:
        number = as_id(value)
        if number is None:
            self.fail(f"{value!r} is no id (an id is a whole number from 1 to {MAX_ID})", param, ctx)
        return number


ID = IdType()


class Whole(click.ParamType):
    """A whole number from ``low`` to ``high`` (defaults: 0 and 2**63-1)."""

    name = "integer"

    def __init__(self, low: int = 0, high: int = MAX_ID):
        self.low, self.high = low, high

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> int:
        try:
            return parse_whole(value, "value", self.low, self.high)
        except Invalid:
            wanted = f"from {self.low} to {self.high}" if self.high < MAX_ID else f"of at least {self.low}"
            self.fail(f"{value!r} is not a whole number {wanted}", param, ctx)

    def __repr__(self) -> str:
        return f"Whole({self.low}, {self.high})"


def parse_leg(text: str) -> Leg:
    """``ACCOUNT:AMOUNT[:COMMODITY]``: positive debits, negative credits."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise Invalid(f"malformed posting {text!r}: use ACCOUNT:AMOUNT[:COMMODITY]")
    return Leg(parts[0], parts[1], parts[2] if len(parts) == 3 and parts[2] else None)


def split_fields(text: str, what: str, usage: str, least: int, most: int, *, sep: str = ":",
                 required: Optional[int] = None) -> list[Optional[str]]:
    """``text`` cut at ``sep`` into ``least`` to ``most`` stripped fields, padded with ``None`` to ``most``
    (a blank optional field is ``None`` too). The first ``required`` fields (all given, by default) must
    not be blank; else :class:`Invalid` ``malformed WHAT 'TEXT': use USAGE``."""
    parts = [part.strip() for part in text.split(sep)]
    needed = len(parts) if required is None else required
    if not least <= len(parts) <= most or not all(parts[:needed]):
        raise Invalid(f"malformed {what} {text!r}: use {usage}")
    return [part or None for part in parts] + [None] * (most - len(parts))


def parse_quantities(values: Iterable[str], what: str = "quantity") -> dict[str, str]:
    """Repeated ``SKU:QUANTITY`` as ``{sku: quantity}``; a product named twice is refused."""
    found: dict[str, str] = {}
    for text in values:
        sku, qty = split_fields(text, what, "SKU:QUANTITY", 2, 2)
        if sku in found:
            raise Invalid(f"{sku} is named twice")
        found[sku] = qty
    return found

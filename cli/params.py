"""Whole-number parameters of commands, read strictly: the click types every
command uses, core's and plugins' alike (``from cli.params import ID, Whole``).

``ID`` reads a row id (``jangbu ledger show 12``) as ``core.values.as_id``
does for the web's URLs; ``Whole(low, high)`` reads a count, a limit or a
position as ``core.values.parse_whole`` does. Both take ASCII digits only
(``١٢٣`` and ``１２`` are not numbers here), check the range before anything
reaches the database, and fail with one line that names the parameter.
Never use click's ``int`` or ``IntRange``: they take ``١٢٣`` as 123.
"""

from __future__ import annotations

from typing import Any, Optional

import click

from core.errors import Invalid
from core.values import MAX_ID, as_id, parse_whole

__all__ = ["ID", "IdType", "Whole"]


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

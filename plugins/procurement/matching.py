"""The three-way match of one bill line against its order line and what was received.

Pure integer arithmetic, no database: a line matches when

- quantity: everything billed on the order line (this bill included) is at
  most what was received and kept (received less returned), plus the
  quantity tolerance: ``billed * 10000 <= kept * (10000 + tolerance_bp)``;
- price: the billed unit price is within the price tolerance of the order's:
  ``|billed - ordered| * 10000 <= ordered * tolerance_bp``.

Anything else holds the bill, with one reason per problem.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import attrs

__all__ = ["LineFacts", "line_problems", "within_quantity", "within_price"]

_BP = 10000


@attrs.frozen
class LineFacts:
    """What the match knows of one bill line (quantities in product units, prices in money units)."""

    product: str
    unit: str
    quantity_scale: int
    money_scale: int
    currency: str
    ordered_price: int
    billed_price: int
    kept: int               # received less returned
    billed_before: int      # on the order line's other bills (posted or held)
    billed_now: int


def within_quantity(billed_total: int, kept: int, tolerance_bp: int) -> bool:
    return billed_total * _BP <= kept * (_BP + tolerance_bp)


def within_price(billed: int, ordered: int, tolerance_bp: int) -> bool:
    return abs(billed - ordered) * _BP <= ordered * tolerance_bp


def _q(units: int, scale: int) -> Decimal:
    return Decimal(units).scaleb(-scale)


def _pct(bp: int) -> str:
    return f"{Decimal(bp).scaleb(-2).normalize():f} %"


def line_problems(facts: LineFacts, quantity_tolerance_bp: int, price_tolerance_bp: int) -> list[str]:
    """The reasons this line does not match (empty: it matches)."""
    problems: list[str] = []
    total = facts.billed_before + facts.billed_now
    if not within_quantity(total, facts.kept, quantity_tolerance_bp):
        q = lambda units: f"{_q(units, facts.quantity_scale)}"  # noqa: E731
        before = f" ({q(facts.billed_before)} billed before)" if facts.billed_before else ""
        problems.append(f"{facts.product}: billed {q(total)} {facts.unit}{before} but received "
                        f"{q(facts.kept)} {facts.unit} (quantity tolerance {_pct(quantity_tolerance_bp)})")
    if not within_price(facts.billed_price, facts.ordered_price, price_tolerance_bp):
        m = lambda units: f"{_q(units, facts.money_scale)} {facts.currency}"  # noqa: E731
        difference = _difference(facts.billed_price, facts.ordered_price)
        problems.append(f"{facts.product}: billed at {m(facts.billed_price)} but ordered at "
                        f"{m(facts.ordered_price)}{difference} (price tolerance {_pct(price_tolerance_bp)})")
    return problems


def _difference(billed: int, ordered: int) -> str:
    if ordered == 0:
        return ""
    share: Optional[Decimal] = (Decimal(billed - ordered) * 100 / Decimal(ordered)).quantize(Decimal("0.01"))
    return f", {'+' if share > 0 else ''}{share} %"

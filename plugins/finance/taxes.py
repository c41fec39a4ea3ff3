"""Tax computation: the values the ``compute_taxes`` hook takes and gives,
and finance's own method (the one used unless a localisation replaces it).

Finance's method rounds per line, half up, to the currency: a line's net
amount, then each tax on it. A price-included tax is taken out of the gross
amount; when the net and its taxes, each rounded, do not add up to the
rounded gross, the difference goes to the document's rounding line, so the
document still balances to the unit.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import attrs

from plugins.finance.values import round_money

__all__ = ["TaxRate", "TaxableLine", "LineTaxes", "TaxResult", "compute"]

_HUNDRED = Decimal(100)


def _tuple(value) -> tuple:
    return tuple(value)


@attrs.frozen
class TaxRate:
    """A tax as the computation sees it: percent ``rate``, included in the price or not."""

    code: str
    rate: Decimal
    included: bool = False


@attrs.frozen
class TaxableLine:
    """``amount`` is quantity x unit price less the discount, not rounded yet."""

    amount: Decimal
    taxes: tuple[TaxRate, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen
class LineTaxes:
    """A line's net amount and each of its taxes (in the order of ``TaxableLine.taxes``), rounded."""

    net: Decimal
    taxes: tuple[Decimal, ...] = attrs.field(default=(), converter=_tuple)

    @property
    def tax(self) -> Decimal:
        return sum(self.taxes, Decimal(0))


@attrs.frozen
class TaxResult:
    """What a tax computation hands back: one ``LineTaxes`` per line and the
    document's rounding difference (added to the total on its own line)."""

    lines: tuple[LineTaxes, ...] = attrs.field(converter=_tuple)
    rounding: Decimal = Decimal(0)


def compute(lines: tuple[TaxableLine, ...], scale: int) -> TaxResult:
    """Finance's tax method: per line, half up, price-included taxes taken out first."""
    result, rounding = [], Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 60
        for line in lines:
            included = sum((t.rate for t in line.taxes if t.included), Decimal(0))
            exact_net = line.amount / (1 + included / _HUNDRED) if included else line.amount
            net = round_money(exact_net, scale)
            amounts = tuple(round_money((exact_net if t.included else net) * t.rate / _HUNDRED, scale)
                            for t in line.taxes)
            if included:
                inside = sum((a for a, t in zip(amounts, line.taxes) if t.included), Decimal(0))
                rounding += round_money(line.amount, scale) - net - inside
            result.append(LineTaxes(net, amounts))
    return TaxResult(tuple(result), rounding)

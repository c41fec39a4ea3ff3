"""The shape the statements share: lines with an amount, the comparison and the difference.

Every line names the ledger account codes behind it (``account`` for one
account's line, ``accounts`` for a total), so a page can link any line to
the postings that make it up (``/c/<company>/ledger/accounts/<code>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Optional

import attrs

from core.values import from_units
from plugins.finance.models import Section
from plugins.finance.reports.sums import ChartAccount

__all__ = ["ReportLine", "Statement", "LineBuilder", "ACCOUNT", "TOTAL", "RESULT"]

ACCOUNT, TOTAL, RESULT = "account", "total", "result"


@attrs.frozen
class ReportLine:
    """One line of a statement.

    :ivar key: stable name of the line (``revenue``, ``net_income``, ``account:401``).
    :ivar kind: ``account`` (one account), ``total`` (a section's sum) or ``result`` (computed from totals).
    :ivar group: the key of the part of the statement the line belongs to.
    :ivar compare: the amount in the comparison period (``None`` without one).
    :ivar difference: ``amount - compare`` (``None`` without a comparison).
    """

    key: str
    label: str
    kind: str
    group: str
    amount: Decimal
    compare: Optional[Decimal] = None
    difference: Optional[Decimal] = None
    account: Optional[str] = None
    accounts: tuple[str, ...] = ()
    level: int = 0


@attrs.frozen
class Statement:
    """A statement: the profit and loss, the balance sheet or the cash flow.

    Period statements cover ``start`` .. ``end``; the balance sheet has
    ``start`` ``None`` and is as of ``end``. ``compare_end`` (and
    ``compare_start``) say the comparison, when there is one.
    """

    title: str
    company: str
    currency: str
    start: Optional[dt.date]
    end: dt.date
    compare_start: Optional[dt.date]
    compare_end: Optional[dt.date]
    lines: tuple[ReportLine, ...]

    def line(self, key: str) -> ReportLine:
        """The line called ``key`` (``KeyError`` if there is none)."""
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    def amount(self, key: str) -> Decimal:
        return self.line(key).amount


class LineBuilder:
    """Collects lines in smallest units for the current and the comparison column."""

    def __init__(self, scale: int, compared: bool):
        self.scale, self.compared = scale, compared
        self.lines: list[ReportLine] = []

    def _money(self, units: int) -> Decimal:
        return from_units(units, self.scale)

    def add(self, key: str, label: str, kind: str, group: str, units: int, compare_units: Optional[int], *,
            account: Optional[str] = None, accounts: Iterable[str] = (), level: int = 0) -> None:
        amount = self._money(units)
        compare = self._money(compare_units or 0) if self.compared else None
        self.lines.append(ReportLine(key, label, kind, group, amount, compare,
                                     amount - compare if compare is not None else None, account,
                                     tuple(accounts), level))

    def section(self, key: str, label: str, accounts: Iterable[ChartAccount], sections: Iterable[Section],
                current: Mapping[int, int], previous: Optional[Mapping[int, int]], sign: int, *,
                group: Optional[str] = None, level: int = 1) -> tuple[int, int, tuple[str, ...]]:
        """One line per account of ``sections`` with something in either column, then their total.

        ``current`` and ``previous`` hold debit-positive units per account id;
        ``sign`` turns them into the amounts shown (-1: credits show positive).
        :returns: the total of each column as shown, and the accounts' codes.
        """
        wanted = set(sections)
        previous = previous or {}
        total = compare_total = 0
        codes = []
        for account in accounts:
            if account.section not in wanted:
                continue
            units, compare_units = sign * current.get(account.id, 0), sign * previous.get(account.id, 0)
            if not units and not compare_units:
                continue
            self.add(f"account:{account.code}", account.name, ACCOUNT, group or key, units, compare_units,
                     account=account.code, accounts=(account.code,), level=level + 1)
            total, compare_total = total + units, compare_total + compare_units
            codes.append(account.code)
        self.add(key, label, TOTAL, group or key, total, compare_total, accounts=codes, level=level)
        return total, compare_total, tuple(codes)

    def move(self, key: str, after: str) -> None:
        """Put line ``key`` right after line ``after`` (a result where a reader expects it)."""
        line = next(line for line in self.lines if line.key == key)
        self.lines.remove(line)
        self.lines.insert(next(i for i, other in enumerate(self.lines) if other.key == after) + 1, line)

    def build(self) -> tuple[ReportLine, ...]:
        return tuple(self.lines)

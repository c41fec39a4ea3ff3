"""Date ranges for the reports, and the period each is compared with.

A period report covers ``start .. end`` (both included); a point report (the
balance sheet, the aged balances) is as of one date. A comparison is another
range or date: the previous period of the same length, the same range a year
earlier, or one given explicitly (``2025-01-01..2025-12-31``, or a date).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional, Union

import attrs

from core.errors import Invalid
from core.models import Company
from core.values import parse_date
from plugins.finance.journals import add_months, month_end, year_bounds

__all__ = ["DateRange", "Compare", "date_range", "default_range", "compare_range", "compare_date",
           "PREVIOUS_PERIOD", "PREVIOUS_YEAR", "COMPARE_CHOICES"]

PREVIOUS_PERIOD = "previous-period"
PREVIOUS_YEAR = "previous-year"
COMPARE_CHOICES = (PREVIOUS_PERIOD, PREVIOUS_YEAR)
_MIN_DAY = dt.date(1900, 1, 1)  # far enough back for any books; keeps date arithmetic from overflowing


@attrs.frozen
class DateRange:
    """``start`` .. ``end``, both days included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> bool:
        """Whether the range starts on a month's first day and ends on a month's last."""
        return self.start.day == 1 and self.end == month_end(self.end)

    def __str__(self) -> str:
        return f"{self.start}..{self.end}"


# What a caller may pass as a comparison: a keyword, an explicit range or date, or nothing.
Compare = Union[None, str, DateRange, dt.date, tuple]


def date_range(start: dt.date | str, end: dt.date | str) -> DateRange:
    """A checked range: ``start`` on or before ``end``."""
    first, last = parse_date(start), parse_date(end)
    if first > last:
        raise Invalid(f"the period starts {first}, after it ends ({last})")
    if first < _MIN_DAY:
        raise Invalid(f"a report cannot start before {_MIN_DAY}")
    return DateRange(first, last)


def default_range(company: Company, today: Optional[dt.date] = None) -> DateRange:
    """The fiscal year containing ``today``, up to ``today``."""
    today = today or dt.date.today()
    start, _ = year_bounds(company, today)
    return DateRange(start, today)


def _shift_year(day: dt.date, years: int = -1) -> dt.date:
    """The same day ``years`` away; a month's last day stays its month's last day (Feb 29 -> 28)."""
    moved = add_months(day, 12 * years)
    return month_end(moved) if day == month_end(day) else moved


def _explicit_range(text: str) -> DateRange:
    parts = text.split("..")
    if len(parts) != 2:
        raise Invalid(f"unknown comparison {text!r}: use {', '.join(COMPARE_CHOICES)} or FROM..TO")
    return date_range(parts[0], parts[1])


def compare_range(period: DateRange, compare: Compare) -> Optional[DateRange]:
    """The range ``period`` is compared with, or ``None``.

    ``previous-period``: the range just before, as many whole months when
    ``period`` is whole months (so March is compared with February), else as
    many days. ``previous-year``: the same range a year earlier.
    """
    if compare is None or compare == "":
        return None
    if isinstance(compare, DateRange):
        return compare
    if isinstance(compare, tuple):
        return date_range(*compare)
    if isinstance(compare, dt.date):
        raise Invalid("a period is compared with another period (FROM..TO), not with a date")
    text = str(compare).strip().lower()
    try:
        if text == PREVIOUS_YEAR:
            return date_range(_shift_year(period.start), _shift_year(period.end))
        if text == PREVIOUS_PERIOD:
            end = period.start - dt.timedelta(days=1)
            if period.whole_months:
                months = (
                    (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
                )
                return date_range(add_months(period.start, -months), end)
            return date_range(end - dt.timedelta(days=period.days - 1), end)
    except (ValueError, OverflowError):  # before year 1
        raise Invalid(f"the {text} of {period} is outside the calendar") from None
    return _explicit_range(text)


def compare_date(as_of: dt.date, compare: Compare) -> Optional[dt.date]:
    """The date a point report as of ``as_of`` is compared with, or ``None``.

    ``previous-year``: a year earlier; ``previous-period``: a month earlier
    (periods are months; a month's last day stays a month's last day).
    """
    if compare is None or compare == "":
        return None
    if isinstance(compare, dt.date):
        return compare
    if isinstance(compare, DateRange):
        return compare.end
    text = str(compare).strip().lower()
    try:
        if text == PREVIOUS_YEAR:
            return _shift_year(as_of)
        if text == PREVIOUS_PERIOD:
            moved = add_months(as_of, -1)
            return month_end(moved) if as_of == month_end(as_of) else moved
    except (ValueError, OverflowError):  # before year 1
        raise Invalid(f"the {text} of {as_of} is outside the calendar") from None
    if ".." in text:
        return _explicit_range(text).end
    try:
        return parse_date(text)
    except Invalid:
        raise Invalid(f"unknown comparison {compare!r}: use {', '.join(COMPARE_CHOICES)} or a date") from None

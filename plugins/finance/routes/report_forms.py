"""What the report pages share: reading their query parameters, the words of
the statements, the drill-down links and the three answers (HTML, JSON, CSV).

A report's parameters come from a GET form, so a malformed one is a bad
request: it answers 400 with one message naming the parameter, never a 500.
The JSON is the report as the service returns it (``jangbu finance report
... --json`` prints the same), the CSV the service's machine table
(``as_table(..., for_csv=True)``) with exact amounts and the formula guard
of :func:`web.lists.csv_response`.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, Optional

import attrs
from flask import abort, g, request, url_for
from flask_babel import gettext as _

from core.errors import NotFound
from plugins.finance.journals import year_bounds
from plugins.finance.reports import PREVIOUS_PERIOD, PREVIOUS_YEAR, DateRange, as_table
from plugins.finance.routes.common import N_
from web.lists import AMOUNT, TEXT, Column, answer_format, csv_response, date_arg, detail_page, text_arg

__all__ = [
    "Query",
    "COMPARE_OPTIONS",
    "REPORT_WORDS",
    "period_query",
    "point_query",
    "flag",
    "bad_parameters",
    "answer",
    "postings_url",
    "ledger_url",
    "csv_url",
    "label_of",
]

DATES = "dates"
# The comparison choices of every report form: (value, label).
COMPARE_OPTIONS = (("", N_("No comparison")), (PREVIOUS_PERIOD, N_("Previous period")),
                   (PREVIOUS_YEAR, N_("Previous year")), (DATES, N_("Other dates")))

# The labels the report services give their lines (English, from
# plugins/finance/reports); the pages translate them with _(). Account lines
# carry the account's own name and are shown as they are.
REPORT_WORDS = (
    N_("Revenue"), N_("Cost of sales"), N_("Operating expenses"), N_("Other income"), N_("Other expenses"),
    N_("Gross profit"), N_("Operating result"), N_("Net income"),
    N_("Current assets"), N_("Cash and bank"), N_("Receivables"), N_("Other current assets"),
    N_("Non-current assets"), N_("Property and other non-current assets"), N_("Accumulated depreciation"),
    N_("Current liabilities"), N_("Payables"), N_("Other current liabilities"), N_("Non-current liabilities"),
    N_("Long-term liabilities"), N_("Equity"), N_("Capital and reserves"), N_("Retained earnings"),
    N_("Current year earnings (not yet closed)"), N_("Total assets"), N_("Total liabilities"),
    N_("Total liabilities and equity"),
    N_("Cash from operating activities"), N_("Depreciation (non-cash)"), N_("Change in receivables"),
    N_("Change in other current assets"), N_("Change in payables"), N_("Change in other current liabilities"),
    N_("Cash from investing activities"), N_("Non-current assets bought and sold"),
    N_("Change in other operating accounts"), N_("Other investments bought and sold"),
    N_("Cash from financing activities"), N_("Short-term borrowing and repayment"),
    N_("Long-term borrowing and repayment"), N_("Other financing"),
    N_("Capital paid in and withdrawn"), N_("Retained earnings (other than the year-end close)"),
    N_("Net change in cash"), N_("Cash at the beginning of the period"), N_("Cash at the end of the period"),
    # the aged balances' buckets
    N_("Not due"), N_("1-30"), N_("31-60"), N_("61-90"), N_("Over 90"),
)
_KNOWN = frozenset(REPORT_WORDS)


def label_of(line) -> str:
    """A statement line's label in the page's language (an account's name as it is)."""
    return _(line.label) if line.account is None and line.label in _KNOWN else line.label


@attrs.frozen
class Query:
    """A report's parameters, read and checked: a period (``start`` .. ``end``) or a day (``as_of``)."""

    start: Optional[dt.date]
    end: Optional[dt.date]
    as_of: Optional[dt.date]
    compare: str  # the choice: "", previous-period, previous-year or dates
    compare_value: Any  # what the service takes
    compare_from: Optional[dt.date] = None
    compare_to: Optional[dt.date] = None
    compare_as_of: Optional[dt.date] = None


def _choice() -> str:
    choice = text_arg("compare")
    allowed = [value for value, _label in COMPARE_OPTIONS if value]
    if choice and choice not in allowed:
        abort(400, _("compare must be one of: %(values)s", values=", ".join(allowed)))
    return choice


def flag(name: str) -> bool:
    """A checkbox of the form: absent or ``0`` is off, ``1``/``y``/``on`` on; anything else 400."""
    raw = text_arg(name).lower()
    if raw not in ("", "0", "1", "y", "on", "true"):
        abort(400, _("%(name)s must be 1 or 0", name=name))
    return raw not in ("", "0")


def period_query(*, today: Optional[dt.date] = None) -> Query:
    """``from`` .. ``to`` (default: the fiscal year to date) and the comparison period."""
    end = date_arg("to") or today or dt.date.today()
    start = date_arg("from") or year_bounds(g.company, end)[0]
    if start > end:
        abort(400, _("The period starts on %(start)s, after it ends (%(end)s).", start=start.isoformat(),
                     end=end.isoformat()))
    choice = _choice()
    value: Any = choice or None
    first = last = None
    if choice == DATES:
        first, last = date_arg("compare_from"), date_arg("compare_to")
        if first is None or last is None:
            abort(
                400, _("Give the first and the last day of the comparison period (compare_from, compare_to).")
            )
        if first > last:
            abort(400, _("The comparison period starts on %(start)s, after it ends (%(end)s).",
                         start=first.isoformat(), end=last.isoformat()))
        value = DateRange(first, last)
    return Query(start, end, None, choice, value, compare_from=first, compare_to=last)


def point_query(*, today: Optional[dt.date] = None) -> Query:
    """``as_of`` (default: today) and the date it is compared with."""
    as_of = date_arg("as_of") or today or dt.date.today()
    choice = _choice()
    value: Any = choice or None
    other = None
    if choice == DATES:
        other = date_arg("compare_as_of")
        if other is None:
            abort(400, _("Give the date to compare with (compare_as_of)."))
        value = other
    return Query(None, None, as_of, choice, value, compare_as_of=other)


@contextmanager
def bad_parameters():
    """An unknown account or budget named in the query is a bad request (400), not a missing page."""
    try:
        yield
    except NotFound as exc:
        abort(400, str(exc))


def postings_url(code: Optional[str]) -> Optional[str]:
    """The ledger page of an account's postings, for whoever may read the ledger."""
    if not code or "ledger.view" not in g.permissions:
        return None
    return url_for("ledger.account", code=code)


def ledger_url(code: Optional[str], start: Optional[dt.date], end: Optional[dt.date]) -> Optional[str]:
    """The general ledger of one account over ``start`` .. ``end``: the postings behind a figure."""
    if not code or end is None:
        return None
    start = start or year_bounds(g.company, end)[0]
    return url_for("finance.report_general_ledger", account=code, **{"from": start.isoformat(),
                                                                      "to": end.isoformat()})


def csv_url() -> str:
    args = {k: v for k, v in request.args.items() if k != "format"}
    return url_for(request.endpoint, **args, format="csv")


def _csv(report: Any, filename: str):
    table = as_table(report, for_csv=True)
    columns = [Column(header, header, kind=AMOUNT if i in table.right else TEXT, get=itemgetter(i))
               for i, header in enumerate(table.headers)]
    return csv_response(table.rows, columns, filename)


def answer(report: Any, template: str, filename: str, **context: Any):
    """The report as CSV (``?format=csv``), JSON (``Accept: application/json``) or its page."""
    if answer_format() == "csv":
        return _csv(report, filename)
    return detail_page(template, attrs.asdict(report), report=report, compare_options=COMPARE_OPTIONS,
                       label_of=label_of, postings_url=postings_url, ledger_url=ledger_url, csv_url=csv_url(),
                       **context)

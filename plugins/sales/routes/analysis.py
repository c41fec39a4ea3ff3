"""The sales dashboard (``sales.analysis``: revenue and margin by month, top
products and customers, this month's targets against actuals, the weighted
forecast) and the analysis table by product, customer, region, salesperson
or period, as HTML, JSON or CSV. Targets and the forecast have their pages
in :mod:`plugins.sales.routes.analysis_plans`.

Query parameters come from GET forms: a malformed one answers 400 with one
message naming it, never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from flask import abort, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import MenuItem
from plugins.sales.analysis import DIMENSIONS, PERIODS, Row, analyse
from plugins.sales.analysis_widgets import dashboard_charts, last_months
from plugins.sales.routes import blueprint
from web.access import permission
from web.context import db_session
from web.lists import (
    AMOUNT,
    NUMBER,
    TEXT,
    Column,
    answer_format,
    choice,
    csv_response,
    date_arg,
    detail_page,
    text_arg,
)

__all__ = ["MENU", "BY_LABELS", "text_arg", "date_arg", "answer_format"]

MENU = [
    MenuItem("Sales analysis", "sales.analysis", "sales.view", order=57),
    MenuItem("Targets", "sales.targets", "sales.view", order=58),
    MenuItem("Forecast", "sales.forecast", "sales.view", order=59),
]
BY_LABELS = {"product": _l("Product"), "customer": _l("Customer"), "region": _l("Region"),
             "salesperson": _l("Salesperson"), "period": _l("Period")}
TITLES = {
    "product": _l("Sales by product"),
    "customer": _l("Sales by customer"),
    "region": _l("Sales by region"),
    "salesperson": _l("Sales by salesperson"),
    "period": _l("Sales by period"),
}
PERIOD_LABELS = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year")}


def _range(today: dt.date) -> tuple[dt.date, dt.date]:
    """``from`` .. ``to`` (default: the last twelve months to today); 400 when it ends before it starts."""
    start, end = date_arg("from"), date_arg("to")
    if end is None:  # up to today, or to the day asked for when that is later
        end = today if start is None or start <= today else start
    start = start or last_months(end)[0]
    if start > end:
        abort(400, _("The period starts on %(start)s, after it ends (%(end)s).", start=start.isoformat(),
                     end=end.isoformat()))
    return start, end


@blueprint.get("/analysis", endpoint="analysis")
@permission("sales.view")
def dashboard():
    """The sales dashboard over ``from`` .. ``to`` (default: the last twelve months)."""
    today = dt.date.today()
    start, end = _range(today)
    charts = dashboard_charts(db_session(), g.company, start, end, today)
    record = {"start": start, "end": end, "total": attrs.asdict(charts["total"]),
              "other_currencies": list(charts["other_currencies"]),
              "targets": [attrs.asdict(a) for a in charts["attainment"]],
              "forecast": attrs.asdict(charts["forecast"])}
    links = [(TITLES[by], url_for("sales.analysis_table", by=by, **{"from": start.isoformat(),
                                                                        "to": end.isoformat()}))
             for by in DIMENSIONS]
    return detail_page("sales/analysis.html", record, title=_("Sales analysis"), start=start, end=end,
                       links=links, **charts)


def _link(by: str):
    """The page of a row's product or customer, for whoever may see it."""
    if by == "product" and "products.view" in g.permissions:
        return lambda r: url_for("products.product", sku=r.key) if r.key else None
    if by == "customer" and "parties.view" in g.permissions:
        return lambda r: url_for("parties.party", code=r.key) if r.key else None
    return None


def columns_of(by: str, currency: str) -> list[Column]:
    money = lambda _row: currency  # noqa: E731  (the orders' currency, not necessarily the company's)
    none = _("(none)")
    named = by in ("product", "customer", "salesperson")  # a period or a region is its own name
    return [
        Column("key", BY_LABELS[by], get=lambda r: r.key if r.key is not None else none, link=_link(by)),
        *([Column("name", _l("Name"))] if named else []),
        Column("orders", _l("Orders"), kind=NUMBER),
        Column("lines", _l("Lines"), kind=NUMBER),
        Column("revenue", _l("Revenue"), kind=AMOUNT, currency=money),
        Column("costed_lines", _l("Costed lines"), kind=NUMBER),
        Column("costed_revenue", _l("Costed revenue"), kind=AMOUNT, currency=money),
        Column("cost", _l("Cost"), kind=AMOUNT, currency=money),
        Column("margin", _l("Margin"), kind=AMOUNT, currency=money),
        Column("margin_percent", _l("Margin %"), kind=NUMBER),
    ]


def _record(row: Row) -> dict[str, Any]:
    return attrs.asdict(row)


@blueprint.get("/analysis/table", endpoint="analysis_table")
@permission("sales.view")
def table():
    """``by`` (product, customer, region, salesperson or period), ``from``, ``to``, ``period`` and
    ``currency``;
    CSV with ``format=csv``, JSON with ``Accept: application/json``."""
    by = choice("by", {d: d for d in DIMENSIONS}) or "product"
    period = choice("period", {p: p for p in PERIODS}) or "month"
    start, end = date_arg("from"), date_arg("to")
    if start and end and start > end:
        abort(400, _("The period starts on %(start)s, after it ends (%(end)s).", start=start.isoformat(),
                     end=end.isoformat()))
    currency = text_arg("currency").upper() or None
    wanted = answer_format()
    result = analyse(db_session(), g.company, by, start=start, end=end, period=period, currency=currency)
    columns = columns_of(by, result.currency)
    if wanted == "csv":
        name = f"sales-by-{by}{'-' + period if by == 'period' else ''}" + (
            f"-{start.isoformat()}" if start else "") + (f"-{end.isoformat()}" if end else "")
        total = attrs.evolve(result.total, key=_("Total"))
        return csv_response([*result.rows, total], columns, name)
    record = {**attrs.asdict(result, recurse=False), "rows": [_record(r) for r in result.rows],
              "total": _record(result.total)}
    kept = {k: v for k, v in request.args.items() if k not in ("by", "format")}
    tabs = [(BY_LABELS[d], url_for("sales.analysis_table", **{**kept, "by": d}), d == by) for d in DIMENSIONS]
    periods = [(PERIOD_LABELS[p], url_for("sales.analysis_table", **{**kept, "by": "period", "period": p}),
                p == period) for p in PERIODS]
    csv_url = url_for("sales.analysis_table", **{**request.args.to_dict(), "format": "csv"})
    return detail_page("sales/analysis_table.html", record, title=TITLES[by],
                       result=result, columns=columns, tabs=tabs, periods=periods, csv_url=csv_url, by=by,
                       by_labels=BY_LABELS, period_labels=PERIOD_LABELS, start=start, end=end,
                       currency=currency or "", kinds=(TEXT, NUMBER, AMOUNT))

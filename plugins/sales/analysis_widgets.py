"""The analysis's charts: revenue and margin by month, the top products and
customers, targets against actuals and the weighted pipeline forecast, for
the sales dashboard page and (the first and the last) for the company
dashboard.

Figures come from :mod:`plugins.sales.analysis`, :mod:`plugins.sales.targets`
and :mod:`plugins.sales.forecast`; charts are drawn by ``web.charts``
(imported when a chart is drawn, so the plugin imports without Flask).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Session

from core.contributions import Widget
from core.models import Company, User
from plugins.sales.analysis import Analysis, analyse
from plugins.sales.forecast import Forecast, forecast
from plugins.sales.targets import Attainment, month_key, months_between, targets_vs_actuals

__all__ = ["analysis_widgets", "last_months", "monthly", "revenue_chart", "top_chart", "targets_chart",
           "forecast_chart", "dashboard_charts", "MONTHS", "TOP"]

MONTHS = 12  # months of revenue on the charts
TOP = 5      # products and customers in the top charts
AHEAD = 6    # months of forecast on the company dashboard


def last_months(today: dt.date, months: int = MONTHS) -> tuple[dt.date, dt.date]:
    """The first day of the month ``months - 1`` before ``today``'s, and ``today``."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1), today


def monthly(
    session: Session, company: Company, start: dt.date, end: dt.date
) -> tuple[list[dt.date], Analysis]:
    """Every month of ``start`` .. ``end`` (those without sales too) and the analysis by month."""
    return months_between(start, end), analyse(
        session, company, "period", start=start, end=end, period="month"
    )


def _money(company: Company):
    from web.i18n import money

    return lambda value: money(value, company.currency)


def revenue_chart(company: Company, months: list[dt.date], result: Analysis):
    """Revenue and margin (over the costed lines) per month, months without sales at zero."""
    from flask_babel import gettext as _

    from web.charts import Series, bar_chart

    rows = {r.key: r for r in result.rows}
    found = [rows.get(month_key(m)) for m in months]
    return bar_chart([m.strftime("%y-%m") for m in months],
                     [Series(_("Revenue"), [r.revenue if r else Decimal(0) for r in found]),
                      Series(_("Margin (costed lines)"), [r.margin if r else Decimal(0) for r in found])],
                     title=_("Revenue and margin by month (%(currency)s)", currency=company.currency),
                     format_value=_money(company))


def top_chart(company: Company, result: Analysis, title: str):
    """The ``TOP`` largest rows by revenue."""
    from flask_babel import gettext as _

    from web.charts import hbar_chart

    return hbar_chart([(r.name or r.key or _("none"), r.revenue) for r in result.rows[:TOP]], title=title,
                      format_value=_money(company))


def targets_chart(company: Company, rows: list[Attainment]):
    """Target and actual per salesperson (summed over the months given)."""
    from flask_babel import gettext as _

    from web.charts import Series, bar_chart

    people: dict[str, list[Decimal]] = {}
    for row in rows:
        pair = people.setdefault(row.name, [Decimal(0), Decimal(0)])
        pair[0] += row.target or 0
        pair[1] += row.actual
    names = sorted(people)
    return bar_chart(names, [Series(_("Target"), [people[n][0] for n in names], color="#475569"),
                             Series(_("Actual"), [people[n][1] for n in names])],
                     title=_("Targets and actuals (%(currency)s)", currency=company.currency),
                     format_value=_money(company))


def forecast_chart(company: Company, result: Forecast, months: Optional[int] = None):
    """Weighted and expected revenue per month of expected close (the first ``months`` only when given)."""
    from flask_babel import gettext as _

    from web.charts import Series, bar_chart

    shown = [m for m in result.months if m.month is not None][:months]
    undated = [m for m in result.months if m.month is None] if months is None else []
    labels = [month_key(m.month) for m in shown] + [_("no date") for _m in undated]
    rows = shown + undated
    return bar_chart(labels, [Series(_("Weighted"), [m.weighted for m in rows]),
                              Series(_("Expected"), [m.expected for m in rows], color="#9ca3af")],
                     title=_("Weighted pipeline by month of expected close (%(currency)s)",
                             currency=company.currency), format_value=_money(company))


def analysis_widgets(
    session: Session, company: Company, user: User, today: Optional[dt.date] = None
) -> list[Widget]:
    """The company dashboard's: revenue and margin by month, and the weighted pipeline ahead."""
    from flask import url_for
    from flask_babel import gettext as _
    from markupsafe import Markup

    today = today or dt.date.today()
    months, result = monthly(session, company, *last_months(today))
    total = result.total
    revenue = Markup('{}<p><a href="{}">{}</a> · {}</p>').format(
        revenue_chart(company, months, result), url_for("sales.analysis"), _("Sales analysis"),
        _("Margin over %(costed)s of %(lines)s lines whose cost is known", costed=total.costed_lines,
          lines=total.lines))
    ahead = forecast(session, company, today=today)
    money = _money(company)
    pipeline = Markup('{}<p><a href="{}">{}</a> · {}</p>').format(
        forecast_chart(company, ahead, AHEAD), url_for("sales.forecast"), _("Forecast"),
        _("%(count)s open opportunities, %(weighted)s weighted", count=ahead.opportunities,
          weighted=money(ahead.weighted)))
    return [Widget("Sales by month", revenue, "sales.view", order=50, width=2),
            Widget("Weighted pipeline", pipeline, "sales.view", order=52, width=2)]


def dashboard_charts(
    session: Session, company: Company, start: dt.date, end: dt.date, today: dt.date
) -> dict:
    """Every chart of the sales dashboard page for ``start`` .. ``end``, and the figures behind them."""
    from flask_babel import gettext as _

    months, by_month = monthly(session, company, start, end)
    products = analyse(session, company, "product", start=start, end=end)
    customers = analyse(session, company, "customer", start=start, end=end)
    this_month = today.replace(day=1)
    attainment = targets_vs_actuals(session, company, this_month, this_month)
    ahead = forecast(session, company, today=today)
    return {
        "total": by_month.total, "other_currencies": by_month.other_currencies, "forecast": ahead,
        "attainment": attainment, "month": this_month,
        "revenue": revenue_chart(company, months, by_month),
        "products": top_chart(company, products, _("Top products by revenue")),
        "customers": top_chart(company, customers, _("Top customers by revenue")),
        "targets": targets_chart(company, attainment),
        "pipeline": forecast_chart(company, ahead),
    }

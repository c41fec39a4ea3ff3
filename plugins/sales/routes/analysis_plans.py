"""Targets and the forecast: salesperson targets against actuals per month
(with the form to set one and a button to remove one, for sales managers)
and the weighted pipeline by month of expected close. Both answer HTML,
JSON (``Accept: application/json``) or CSV (``format=csv``)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import attrs
from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from core.errors import Invalid, NotFound
from core.users import members
from core.values import parse_amount
from plugins.sales.analysis_widgets import forecast_chart, targets_chart
from plugins.sales.forecast import ForecastMonth
from plugins.sales.forecast import forecast as weighted_forecast
from plugins.sales.routes import blueprint
from plugins.sales.targets import month_key, month_of, remove_target, set_target, targets_vs_actuals
from web.access import permission
from web.context import db_session
from web.forms import submitted
from web.i18n import money
from web.lists import AMOUNT, NUMBER, Column, answer_format, csv_response, detail_page, text_arg

__all__ = ["TargetForm", "RemoveTargetForm"]


class TargetForm(FlaskForm):
    user = SelectField(_l("Salesperson"), validators=[DataRequired()])
    month = StringField(_l("Month"), validators=[DataRequired(), Length(max=10)])
    amount = StringField(_l("Target"), validators=[DataRequired(), Length(max=40)])


class RemoveTargetForm(FlaskForm):
    user = HiddenField(validators=[DataRequired(), Length(max=80)])
    month = HiddenField(validators=[DataRequired(), Length(max=10)])


@contextmanager
def bad_parameters():
    """A malformed month or an unknown salesperson in the query is a bad request (400), not a missing page."""
    try:
        yield
    except (Invalid, NotFound) as exc:
        abort(400, str(exc))


def _months() -> tuple[dt.date, dt.date]:
    """``from`` .. ``to`` as months (default: this year's)."""
    today = dt.date.today()
    with bad_parameters():
        first = month_of(text_arg("from")) if text_arg("from") else dt.date(today.year, 1, 1)
        last = month_of(text_arg("to")) if text_arg("to") else max(dt.date(today.year, 12, 1), first)
    return first, last


def _target_form() -> TargetForm:
    form = TargetForm()
    form.user.choices = [(user.username, user.full_name or user.username)
                         for user, _roles in members(db_session(), g.company)]
    return form


def _targets_page(form: TargetForm, status: int = 200):
    first, last = _months()
    user = text_arg("user") or None
    with bad_parameters():
        rows = targets_vs_actuals(db_session(), g.company, first, last, username=user)
    currency = g.company.currency
    columns = [Column("month", _l("Month"), get=lambda a: month_key(a.month)),
               Column("user", _l("Salesperson")), Column("name", _l("Name")),
               Column("target", _l("Target"), kind=AMOUNT), Column("actual", _l("Actual"), kind=AMOUNT),
               Column("attainment", _l("Attainment %"), kind=NUMBER)]
    if answer_format() == "csv":
        return csv_response(rows, columns, f"sales-targets-{month_key(first)}-{month_key(last)}")
    if request.method == "GET" and not form.month.data:
        form.month.data = month_key(dt.date.today())
    record = {"from": month_key(first), "to": month_key(last), "user": user,
              "rows": [attrs.asdict(a) for a in rows]}
    totals = (
        sum((a.target or Decimal(0) for a in rows), Decimal(0)),
        sum((a.actual for a in rows), Decimal(0)),
    )
    page = detail_page(
        "sales/targets.html",
        record,
        title=_("Targets and actuals"),
        rows=rows,
        columns=columns,
        first=first,
        last=last,
        user=user or "",
        form=form,
        remove=RemoveTargetForm(),
        chart=targets_chart(g.company, rows),
        totals=totals,
        currency=currency,
        people=form.user.choices,
        month_key=month_key,
        csv_url=url_for("sales.targets", **{**request.args.to_dict(), "format": "csv"}),
    )
    return page if status == 200 else (page, status)


@blueprint.get("/targets", endpoint="targets")
@permission("sales.view")
def targets():
    """Targets against actuals for the months ``from`` .. ``to`` (YYYY-MM; default this year), ``user`` one
    only."""
    return _targets_page(_target_form())


@blueprint.post("/targets", endpoint="set_target")
@permission("sales.manage")
def set_target_view():
    form = _target_form()

    def save():
        record = set_target(db_session(), g.company, form.user.data, form.month.data.strip(),
                            parse_amount(form.amount.data))
        flash(_("The target of %(user)s for %(month)s is %(amount)s.", user=record.name,
                month=month_key(record.month), amount=money(record.amount, g.company.currency)))
        return redirect(url_for("sales.targets", **{"from": month_key(record.month.replace(month=1)),
                                                    "to": month_key(record.month.replace(month=12))}))

    done = submitted(form, save)
    return done if done is not None else _targets_page(form, 400)


@blueprint.post("/targets/remove", endpoint="remove_target")
@permission("sales.manage")
def remove_target_view():
    form = RemoveTargetForm()
    if not form.validate_on_submit():
        abort(400, _("Say whose target of which month to remove."))
    with db_session().begin_nested():
        remove_target(db_session(), g.company, form.user.data, form.month.data)
    flash(_("The target of %(user)s for %(month)s is removed.", user=form.user.data,
            month=month_key(month_of(form.month.data))))
    return redirect(url_for("sales.targets"))


@blueprint.get("/forecast", endpoint="forecast")
@permission("sales.view")
def forecast():
    """The weighted pipeline by month of expected close; ``owner`` (a username) for one salesperson's."""
    owner = text_arg("owner") or None
    wanted = answer_format()
    with bad_parameters():
        result = weighted_forecast(db_session(), g.company, owner=owner)
    columns = [Column("month", _l("Month"), get=lambda m: month_key(m.month) if m.month else _("no date")),
               Column("opportunities", _l("Opportunities"), kind=NUMBER),
               Column("expected", _l("Expected revenue"), kind=AMOUNT),
               Column("weighted", _l("Weighted revenue"), kind=AMOUNT),
               Column("overdue", _l("Of them overdue"), kind=NUMBER)]
    if wanted == "csv":
        return csv_response(result.months, columns, "sales-forecast")
    total = ForecastMonth(None, result.opportunities, result.expected, result.weighted,
                          sum(m.overdue for m in result.months))
    return detail_page(
        "sales/forecast.html",
        attrs.asdict(result),
        title=_("Weighted pipeline forecast"),
        result=result,
        columns=columns,
        total=total,
        chart=forecast_chart(g.company, result),
        owner=owner or "",
        people=[(u.username, u.full_name or u.username) for u, _r in members(db_session(), g.company)],
        csv_url=url_for("sales.forecast", **{**request.args.to_dict(), "format": "csv"}),
        month_key=month_key,
    )

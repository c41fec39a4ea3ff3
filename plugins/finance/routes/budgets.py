"""Budgets: the list, a new budget for a fiscal year, a budget's amounts per
account and period (a grid) with a form to plan an amount for one period or
spread a year's amount over its periods. Budget against actual is a report
(:func:`plugins.finance.routes.reports.budget_report`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from core.errors import NotFound
from core.ledger import Account, AccountType
from core.values import parse_amount
from plugins.finance.budgets import budget_amounts, create_budget, set_amount, spread_amount
from plugins.finance.journals import year_bounds
from plugins.finance.models import Budget, FiscalYear
from plugins.finance.routes import blueprint
from plugins.finance.routes.editing import MAX_CHOICES
from plugins.finance.routes.forms import number_check
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.i18n import money
from web.lists import DATE, Column, detail_page, list_page

__all__ = ["BudgetForm", "AmountForm"]

SPREAD = ""  # the period choice that spreads a year's amount


class BudgetForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    year = StringField(_l("Fiscal year"), validators=[DataRequired(), Length(max=20)])


class AmountForm(FlaskForm):
    account = StringField(_l("Account"), validators=[DataRequired(), Length(max=40)])
    period = SelectField(_l("Period"))
    amount = StringField(_l("Amount"), validators=[DataRequired(), number_check()])


def budget_url(budget: Budget) -> str:
    return url_for("finance.budget", budget_id=budget.id)


@blueprint.get("/budgets", endpoint="budgets")
@permission("finance.view")
def budgets():
    query = (select(Budget).join(FiscalYear, FiscalYear.id == Budget.fiscal_year_id)
             .where(Budget.company_id == g.company.id))
    columns = [
        Column("name", _l("Name"), Budget.name, searchable=True, link=budget_url),
        Column("year", _l("Fiscal year"), FiscalYear.name, get=lambda b: b.fiscal_year.name),
        Column("start", _l("From"), FiscalYear.start, kind=DATE, get=lambda b: b.fiscal_year.start),
        Column("end", _l("To"), FiscalYear.end, kind=DATE, get=lambda b: b.fiscal_year.end),
    ]
    actions = [(_("Budget against actual"), url_for("finance.report_budget"))]
    if "finance.close" in g.permissions:
        actions.insert(0, (_("New budget"), url_for("finance.new_budget")))
    return list_page(query, columns, title=_("Budgets"), default_sort="-start", tiebreak=[Budget.name],
                     filename="budgets", template="finance/list.html", actions=actions)


def _this_year() -> str:
    """The name of the fiscal year of today (``2026``, or ``2026-27`` when the year starts later than
    January)."""
    start = year_bounds(g.company, dt.date.today())[0]
    return str(start.year) if start.month == 1 else f"{start.year}-{(start.year + 1) % 100:02d}"


@blueprint.route("/budgets/-/new", methods=["GET", "POST"], endpoint="new_budget")
@permission("finance.close")
def new_budget():
    form = BudgetForm()
    if request.method == "GET":
        form.year.data = _this_year()

    def create():
        budget = create_budget(db_session(), g.company, form.name.data, form.year.data.strip())
        flash(
            _(
                "Budget %(name)s for fiscal year %(year)s is created: plan its amounts below.",
                name=budget.name,
                year=budget.fiscal_year.name,
            )
        )
        return redirect(budget_url(budget))

    return form_page(
        form, create, title=_("New budget"), cancel=url_for("finance.budgets"), submit=_("Create")
    )


def find_budget_by_id(budget_id: int) -> Budget:
    """A budget of the URL's company (404 for another company's)."""
    budget = db_session().get(Budget, budget_id)
    if budget is None or budget.company_id != g.company.id:
        raise NotFound(_("No budget %(id)s.", id=budget_id))
    return budget


def _grid(budget: Budget) -> tuple[list, list[dict], dict]:
    """The periods, a row per account (its amount per period and its total) and the record for JSON."""
    periods = list(budget.fiscal_year.periods)
    amounts = budget_amounts(db_session(), g.company, budget)
    rows: dict[str, dict] = {}
    for a in amounts:
        row = rows.setdefault(
            a.account, {"account": a.account, "name": a.name, "amounts": {}, "total": Decimal(0)}
        )
        row["amounts"][a.period] = a.amount
        row["total"] += a.amount
    record = {"id": budget.id, "name": budget.name, "year": budget.fiscal_year.name,
              "periods": [p.name for p in periods],
              "amounts": [{"account": a.account, "name": a.name, "period": a.period, "amount": a.amount}
                          for a in amounts]}
    return periods, list(rows.values()), record


def _accounts():
    return db_session().execute(select(Account.code, Account.name).where(
        Account.company_id == g.company.id, Account.active, Account.type != AccountType.STOCK)
        .order_by(Account.code).limit(MAX_CHOICES)).all()


def _amount_form(periods) -> AmountForm:
    form = AmountForm()
    form.period.choices = [SelectChoice(SPREAD, _("The whole year, spread evenly"))] + [
        SelectChoice(p.name, p.name) for p in periods]
    return form


def _page_context(budget: Budget, periods, rows) -> dict:
    return dict(budget=budget, periods=periods, rows=rows, accounts=_accounts(),
                report=url_for("finance.report_budget", budget=budget.name))


@blueprint.get("/budgets/<int:budget_id>", endpoint="budget")
@permission("finance.view")
def budget(budget_id: int):
    found = find_budget_by_id(budget_id)
    periods, rows, record = _grid(found)
    return detail_page("finance/budget.html", record, form=_amount_form(periods),
                       **_page_context(found, periods, rows))


@blueprint.post("/budgets/<int:budget_id>/amounts", endpoint="budget_amount")
@permission("finance.close")
def budget_amount(budget_id: int):
    found = find_budget_by_id(budget_id)
    periods = list(found.fiscal_year.periods)
    form = _amount_form(periods)

    def plan():
        session, account, amount = db_session(), form.account.data.strip(), form.amount.data.strip()
        shown = money(parse_amount(amount), g.company.currency)
        if form.period.data == SPREAD:
            spread_amount(session, g.company, found, account, amount)
            flash(
                _(
                    "%(amount)s for account %(account)s is spread over the year.",
                    amount=shown,
                    account=account,
                )
            )
        else:
            set_amount(session, g.company, found, account, form.period.data, amount)
            flash(
                _(
                    "%(amount)s is planned for account %(account)s in %(period)s.",
                    amount=shown,
                    account=account,
                    period=form.period.data,
                )
            )
        return redirect(budget_url(found))

    _periods, rows, _record = _grid(found)
    return form_page(form, plan, template="finance/budget.html", **_page_context(found, periods, rows))

"""The report pages: trial balance, general ledger, profit and loss, balance
sheet, cash flow, aged receivables and payables, budget against actual.

Each reads its parameters (:mod:`plugins.finance.routes.report_forms`),
calls the report service the CLI calls and answers HTML, JSON or CSV. Every
line of one account links to that account's postings.
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from plugins.finance import reports
from plugins.finance.budgets import list_budgets
from plugins.finance.reports.statements import PNL_SECTIONS
from plugins.finance.routes import blueprint
from plugins.finance.routes.report_forms import (
    answer,
    bad_parameters,
    flag,
    label_of,
    period_query,
    point_query,
)
from web.access import permission
from web.charts import Series, bar_chart
from web.context import db_session
from web.i18n import money
from web.lists import date_arg, detail_page, text_arg

__all__ = ["REPORTS"]

# (endpoint, its arguments, title, what it shows): the reports index, in this order.
REPORTS = (
    ("finance.report_pnl", {}, _l("Profit and loss"), _l("Revenue, costs and the result of a period.")),
    ("finance.report_balance_sheet", {}, _l("Balance sheet"), _l("Assets, liabilities and equity on a day.")),
    (
        "finance.report_cash_flow",
        {},
        _l("Cash flow"),
        _l("Where the cash of a period came from and where it went (indirect method)."),
    ),
    (
        "finance.report_trial_balance",
        {},
        _l("Trial balance"),
        _l("Every account's opening balance, debits, credits and closing balance."),
    ),
    (
        "finance.report_general_ledger",
        {},
        _l("General ledger"),
        _l("Every posting of a period, account by account, with a running balance."),
    ),
    ("finance.report_aged", {}, _l("Aged receivables"), _l("What customers owe, by days past due.")),
    (
        "finance.report_aged",
        {"payables": "1"},
        _l("Aged payables"),
        _l("What we owe suppliers, by days past due."),
    ),
    (
        "finance.report_budget",
        {},
        _l("Budget against actual"),
        _l("A budget's amounts beside the actual ones, with the variance."),
    ),
)


@blueprint.get("/reports", endpoint="reports")
@permission("finance.view")
def index():
    return render_template("finance/reports/index.html", reports=REPORTS,
                           budgets=list_budgets(db_session(), g.company))


def _period_name(query) -> str:
    return f"{query.start.isoformat()}-{query.end.isoformat()}"


@blueprint.get("/reports/trial-balance", endpoint="report_trial_balance")
@permission("finance.view")
def trial_balance():
    """A period (``from``, ``to``), or the balances ``as_of`` a day."""
    session = db_session()
    if request.args.get("as_of"):
        if request.args.get("from") or request.args.get("to"):
            abort(400, _("Give either as_of or from and to, not both."))
        query = point_query()
        report = reports.trial_balance(session, g.company, None, query.as_of, compare=query.compare_value)
        name = f"trial-balance-{query.as_of.isoformat()}"
    else:
        query = period_query()
        report = reports.trial_balance(
            session, g.company, query.start, query.end, compare=query.compare_value
        )
        name = f"trial-balance-{_period_name(query)}"
    return answer(report, "finance/reports/trial_balance.html", name, query=query, title=_("Trial balance"),
                  point=query.as_of is not None)


@blueprint.get("/reports/general-ledger", endpoint="report_general_ledger")
@permission("finance.view")
def general_ledger():
    """Every account, or one (``account``: its code)."""
    query = period_query()
    account = text_arg("account") or None
    with bad_parameters():
        report = reports.general_ledger(db_session(), g.company, query.start, query.end, account=account,
                                        compare=query.compare_value)
    name = f"general-ledger-{account + '-' if account else ''}{_period_name(query)}"
    return answer(
        report,
        "finance/reports/general_ledger.html",
        _safe(name),
        query=query,
        account=account or "",
        title=_("General ledger"),
    )


def _safe(filename: str) -> str:
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "-" for c in filename)


def _pnl_chart(report):
    """The sections and the net income, this period beside the comparison."""
    lines = [report.line(key) for key in [key for key, *_rest in PNL_SECTIONS] + ["net_income"]]
    series = [Series(_("This period"), [line.amount for line in lines])]
    if report.compare_end is not None:
        series.append(Series(_("Comparison"), [line.compare or Decimal(0) for line in lines]))
    return bar_chart([label_of(line) for line in lines], series, title=_("Profit and loss"),
                     format_value=lambda value: money(value, report.currency))


@blueprint.get("/reports/profit-and-loss", endpoint="report_pnl")
@permission("finance.view")
def profit_and_loss():
    query = period_query()
    report = reports.profit_and_loss(
        db_session(), g.company, query.start, query.end, compare=query.compare_value
    )
    return answer(
        report,
        "finance/reports/statement.html",
        f"profit-and-loss-{_period_name(query)}",
        query=query,
        title=_("Profit and loss"),
        chart=_pnl_chart(report),
    )


@blueprint.get("/reports/balance-sheet", endpoint="report_balance_sheet")
@permission("finance.view")
def balance_sheet():
    query = point_query()
    report = reports.balance_sheet(db_session(), g.company, query.as_of, compare=query.compare_value)
    return answer(
        report,
        "finance/reports/statement.html",
        f"balance-sheet-{query.as_of.isoformat()}",
        query=query,
        title=_("Balance sheet"),
        point=True,
    )


@blueprint.get("/reports/cash-flow", endpoint="report_cash_flow")
@permission("finance.view")
def cash_flow():
    query = period_query()
    report = reports.cash_flow(db_session(), g.company, query.start, query.end, compare=query.compare_value)
    return answer(report, "finance/reports/statement.html", f"cash-flow-{_period_name(query)}", query=query,
                  title=_("Cash flow"))


@blueprint.get("/reports/aged", endpoint="report_aged")
@permission("finance.view")
def aged():
    """Receivables; ``payables=1`` (the form's switch) for payables."""
    payables = flag("payables")
    query = point_query()
    report = reports.aged_balances(db_session(), g.company, query.as_of, payables=payables,
                                   compare=query.compare_value)
    return answer(
        report,
        "finance/reports/aged.html",
        f"aged-{report.side}-{query.as_of.isoformat()}",
        query=query,
        title=_("Aged payables") if payables else _("Aged receivables"),
        payables=payables,
        documents="finance.bills" if payables else "finance.invoices",
        buckets=reports.BUCKETS,
    )


@blueprint.get("/reports/budget", endpoint="report_budget")
@permission("finance.view")
def budget_report():
    """Budget ``budget`` (by name; the newest by default) over its periods that overlap ``from`` .. ``to``;
    ``total=1`` for one row per account."""
    session = db_session()
    budgets = list_budgets(session, g.company)
    name = text_arg("budget") or (budgets[0].name if budgets else "")
    start, end, by_period = date_arg("from"), date_arg("to"), not flag("total")
    context = dict(
        budgets=budgets,
        title=_("Budget against actual"),
        by_period=by_period,
        start=start,
        end=end,
        new_budget=url_for("finance.new_budget"),
    )
    if not name:  # no budget yet: nothing to compare
        return detail_page(
            "finance/reports/budget.html", {"budget": None, "rows": []}, report=None, **context
        )
    if start and end and start > end:
        abort(400, _("The period starts on %(start)s, after it ends (%(end)s).", start=start.isoformat(),
                     end=end.isoformat()))
    with bad_parameters():
        report = reports.budget_vs_actual(session, g.company, name, start, end, by_period=by_period)
    filename = _safe(f"budget-{report.budget}-{report.start.isoformat()}-{report.end.isoformat()}")
    return answer(report, "finance/reports/budget.html", filename, **context)

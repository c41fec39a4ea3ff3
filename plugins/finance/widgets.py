"""Finance's dashboard: revenue and expenses by month, the cash position at
each month end, and what is open with customers and suppliers.

Everything is read from the ledger postings in the company currency, so the
figures are the books' own. The year-end closing entries are left out of
the monthly revenue and expenses: they move a whole year's result in one day.
Charts are drawn by ``web.charts`` (imported when a dashboard is drawn).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contributions import Widget
from core.ledger import Account, AccountType, Posting, find_commodity
from core.ledger.models import Balance
from core.models import Company
from core.values import from_units
from plugins.finance.company_setup import sections, settings_of
from plugins.finance.documents import Invoice, InvoiceKind
from plugins.finance.models import Entry, EntryKind, Section
from plugins.finance.overdue import overdue_condition

__all__ = ["finance_widgets", "month_starts", "revenue_and_expenses", "cash_position", "open_items"]

MONTHS = 12


def month_starts(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The first days of the last ``months`` months, this one last."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def revenue_and_expenses(session: Session, company: Company, today: dt.date
                         ) -> list[tuple[dt.date, Decimal, Decimal]]:
    """``(month, revenue, expenses)`` in the company currency, without closing entries."""
    starts = month_starts(today)
    money = find_commodity(session, company, company.currency, create=False)
    closing = select(Entry.transaction_id).where(
        Entry.company_id == company.id, Entry.kind == EntryKind.CLOSING
    )
    totals: dict[tuple[dt.date, AccountType], int] = defaultdict(int)
    # Grouped by day in SQL and folded into months here: the same statement on every engine.
    for day, type_, units in session.execute(
            select(Posting.date, Account.type, func.sum(Posting.amount))
            .join(Account, Account.id == Posting.account_id)
            .where(Posting.company_id == company.id, Posting.commodity_id == money.id,
                   Posting.date >= starts[0], Posting.date <= today,
                   Account.type.in_([AccountType.INCOME, AccountType.EXPENSE]),
                   Posting.transaction_id.not_in(closing))
            .group_by(Posting.date, Account.type)):
        totals[(_month(day), type_)] += int(units)
    return [(start, from_units(-totals[(start, AccountType.INCOME)], money.scale),
             from_units(totals[(start, AccountType.EXPENSE)], money.scale)) for start in starts]


def cash_position(session: Session, company: Company, today: dt.date) -> list[tuple[dt.date, Decimal]]:
    """``(month, balance)``: what the cash and bank accounts held at the end of each month (today for this
    one).

    From the maintained balances back: what they hold now, less what was posted
    after each month end, so the cost follows the last year's postings, not the ledger's size.
    """
    starts = month_starts(today)
    money = find_commodity(session, company, company.currency, create=False)
    cash = [
        account_id for account_id, section in sections(session, company).items() if section == Section.CASH
    ]
    if not cash:
        return [(start, Decimal(0)) for start in starts]
    now = int(
        session.scalar(
            select(func.coalesce(func.sum(Balance.amount), 0)).where(
                Balance.company_id == company.id,
                Balance.commodity_id == money.id,
                Balance.account_id.in_(cash),
            )
        )
        or 0
    )
    moves: dict[dt.date, int] = defaultdict(
        int
    )  # by month; postings after today count as one month past the last
    after_today = month_starts(today.replace(day=28) + dt.timedelta(days=4), 1)[0]
    for day, units in session.execute(select(Posting.date, func.sum(Posting.amount)).where(
            Posting.company_id == company.id, Posting.commodity_id == money.id, Posting.account_id.in_(cash),
            Posting.date >= starts[0]).group_by(Posting.date)):
        moves[after_today if day > today else _month(day)] += int(units)
    result, running = [], now - moves[after_today]
    for start in reversed(starts):
        result.append((start, from_units(running, money.scale)))
        running -= moves[start]
    return result[::-1]


def open_items(session: Session, company: Company, today: dt.date) -> dict:
    """The receivable and payable balances in the ledger, and the overdue documents of each side."""
    settings = settings_of(session, company)
    money = find_commodity(session, company, company.currency, create=False)

    def balance(account_id: int) -> Decimal:
        units = session.scalar(select(Balance.amount).where(Balance.account_id == account_id,
                                                            Balance.commodity_id == money.id)) or 0
        return from_units(units, money.scale)

    def overdue(kind: InvoiceKind) -> tuple[int, Decimal]:
        count, units = session.execute(
            select(func.count(), func.coalesce(func.sum(Invoice.residual_company), 0)).where(
                Invoice.company_id == company.id, Invoice.kind == kind, overdue_condition(today)
            )
        ).one()
        return int(count), from_units(int(units), money.scale)

    return {"receivable": balance(settings.receivable_id), "payable": -balance(settings.payable_id),
            "overdue_invoices": overdue(InvoiceKind.INVOICE), "overdue_bills": overdue(InvoiceKind.BILL)}


def finance_widgets(session: Session, company: Company, today: Optional[dt.date] = None) -> list[Widget]:
    from flask import url_for
    from flask_babel import gettext as _
    from flask_babel import ngettext

    from web.charts import Series, bar_chart, line_chart
    from web.i18n import money

    today = today or dt.date.today()
    currency = company.currency
    fmt = lambda value: money(value, currency)  # noqa: E731
    months = revenue_and_expenses(session, company, today)
    labels = [
        start.strftime("%y-%m") for start, _r, _e in months
    ]  # YY-MM keeps twelve labels readable on a phone
    flows = bar_chart(
        labels,
        [
            Series(_("Revenue"), [r for _m, r, _e in months]),
            Series(_("Expenses"), [e for _m, _r, e in months]),
        ],
        title=_("Revenue and expenses by month (%(currency)s)", currency=currency),
        format_value=fmt,
    )
    cash = cash_position(session, company, today)
    position = line_chart(
        [start.strftime("%y-%m") for start, _b in cash],
        [Series(_("Cash"), [b for _m, b in cash])],
        title=_("Cash and bank at each month end (%(currency)s)", currency=currency),
        format_value=fmt,
    )
    items = open_items(session, company, today)
    (late_invoices, late_in), (late_bills, late_out) = items["overdue_invoices"], items["overdue_bills"]
    summary = Markup(
        '<dl class="facts stacked open-items">'
        '<div><dt>{}</dt><dd class="figure">{}</dd><dd><a href="{}">{}</a> · {}</dd></div>'
        '<div><dt>{}</dt><dd class="figure">{}</dd><dd><a href="{}">{}</a> · {}</dd></div></dl>').format(
        _("Customers owe us"), fmt(items["receivable"]), url_for("finance.invoices", state="overdue"),
        ngettext("%(num)d overdue invoice", "%(num)d overdue invoices", late_invoices), fmt(late_in),
        _("We owe suppliers"), fmt(items["payable"]), url_for("finance.bills", state="overdue"),
        ngettext("%(num)d overdue bill", "%(num)d overdue bills", late_bills), fmt(late_out))
    return [
        Widget("Revenue and expenses", flows, "finance.view", order=20, width=2),
        Widget("Cash position", position, "finance.view", order=21, width=2),
        Widget("Receivables and payables", summary, "finance.view", order=22),
    ]

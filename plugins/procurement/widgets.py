"""Procurement's dashboard: orders waiting for approval, held supplier
bills, late receipts, and the spend by supplier over the last year.

Charts are drawn by ``web.charts`` (imported when a dashboard is drawn).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contributions import Widget
from core.models import Company, Party
from plugins.procurement.models import Bill, BillState, OrderLine, OrderState, PurchaseOrder
from plugins.procurement.performance import LIVE_STATES
from plugins.procurement.values import money

__all__ = [
    "procurement_widgets",
    "to_approve",
    "held_bills",
    "late_order_ids",
    "late_receipts",
    "spend_by_supplier",
    "SHOWN",
    "TOP",
    "TITLES",
]

SHOWN = 5   # documents listed per widget
TOP = 8     # suppliers in the spend chart; the rest are summed as "other"


def N_(text: str) -> str:
    return text


# Widget titles (the dashboard translates them).
TITLES = (N_("Orders to approve"), N_("Held supplier bills"), N_("Late receipts"), N_("Spend by supplier"))


def to_approve(session: Session, company: Company) -> tuple[int, list[PurchaseOrder]]:
    query = select(PurchaseOrder).where(PurchaseOrder.company_id == company.id,
                                        PurchaseOrder.state == OrderState.TO_APPROVE)
    count = session.scalar(select(func.count()).select_from(query.subquery()))
    return count, list(session.scalars(query.order_by(PurchaseOrder.id).limit(SHOWN)))


def held_bills(session: Session, company: Company) -> tuple[int, list[Bill]]:
    query = select(Bill).where(Bill.company_id == company.id, Bill.state == BillState.HELD)
    count = session.scalar(select(func.count()).select_from(query.subquery()))
    return count, list(session.scalars(query.order_by(Bill.id).limit(SHOWN)))


def late_order_ids(company: Company, today: dt.date):
    """A query of the ids of confirmed orders with a line expected before ``today`` and not all received."""
    return (select(OrderLine.order_id).join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id).where(
        PurchaseOrder.company_id == company.id, PurchaseOrder.state == OrderState.CONFIRMED,
        OrderLine.expected_date < today, OrderLine.received_units < OrderLine.quantity_units))


def late_receipts(session: Session, company: Company, today: dt.date) -> tuple[int, list[PurchaseOrder]]:
    """Confirmed orders with a line expected before ``today`` and not all received, oldest first."""
    query = select(PurchaseOrder).where(PurchaseOrder.id.in_(late_order_ids(company, today)))
    count = session.scalar(select(func.count()).select_from(query.subquery()))
    return count, list(session.scalars(query.order_by(PurchaseOrder.date, PurchaseOrder.id).limit(SHOWN)))


def spend_by_supplier(session: Session, company: Company, today: dt.date,
                      days: int = 365) -> list[tuple[str, Decimal]]:
    """Untaxed amount of confirmed and done orders in the company currency dated in the last ``days``
    days, per supplier, largest first (the rest beyond ``TOP`` as ``"\\x00other"``)."""
    start = today - dt.timedelta(days=days - 1)
    rows = session.execute(
        select(Party.code, func.sum(PurchaseOrder.untaxed_units))
        .join(Party, Party.id == PurchaseOrder.party_id)
        .where(
            PurchaseOrder.company_id == company.id,
            PurchaseOrder.state.in_(LIVE_STATES),
            PurchaseOrder.currency == company.currency,
            PurchaseOrder.date >= start,
            PurchaseOrder.date <= today,
        )
        .group_by(Party.code)
    ).all()
    ranked = sorted(((code, money(int(units or 0), company.currency)) for code, units in rows if units),
                    key=lambda item: (-item[1], item[0]))
    if len(ranked) > TOP:
        ranked = ranked[:TOP - 1] + [("\x00other", sum((v for _c, v in ranked[TOP - 1:]), Decimal(0)))]
    return ranked


def procurement_widgets(session: Session, company: Company, today: Optional[dt.date] = None) -> list[Widget]:
    from flask import url_for
    from flask_babel import gettext as _
    from markupsafe import Markup

    from web.charts import hbar_chart
    from web.i18n import money as shown

    today = today or dt.date.today()

    def listing(rows, link, text, empty: str, more_url: str, count: int) -> Markup:
        if not rows:
            return Markup("<p class=\"muted\">{}</p>").format(empty)
        items = Markup("").join(Markup('<li><a href="{}">{}</a> · {}</li>').format(link(r), r.number, text(r))
                                for r in rows)
        more = Markup('<p><a href="{}">{}</a></p>').format(more_url, _("All %(count)s", count=count)) \
            if count > len(rows) else Markup("")
        return Markup('<ul class="plain">{}</ul>{}').format(items, more)

    count, orders = to_approve(session, company)
    approve = Widget("Orders to approve", listing(
        orders, lambda o: url_for("procurement.order", number=o.number),
        lambda o: f"{o.party.code} · {shown(money(o.untaxed_units, o.currency), o.currency)}",
        _("No order waits for approval."), url_for("procurement.orders", state="to_approve"), count),
        "procurement.view", order=50)
    count, bills = held_bills(session, company)
    held = Widget(
        "Held supplier bills",
        listing(
            bills,
            lambda b: url_for("procurement.bill", number=b.number),
            lambda b: f"{b.party.code} · {(b.held_reason or '').splitlines()[0] if b.held_reason else ''}",
            _("No bill is held."),
            url_for("procurement.bills", state="held"),
            count,
        ),
        "procurement.view",
        order=51,
    )
    count, orders = late_receipts(session, company, today)
    late = Widget(
        "Late receipts",
        listing(
            orders,
            lambda o: url_for("procurement.order", number=o.number),
            lambda o: _(
                "%(supplier)s · expected %(date)s",
                supplier=o.party.code,
                date=min(line.expected_date for line in o.lines if line.received_units < line.quantity_units),
            ),
            _("Nothing is late."),
            url_for("procurement.orders", late="1"),
            count,
        ),
        "procurement.view",
        order=52,
    )
    items = [(_("other") if code == "\x00other" else code, value)
             for code, value in spend_by_supplier(session, company, today)]
    spend = Widget("Spend by supplier", hbar_chart(
        items, title=_("Spend by supplier over the last year (%(currency)s)", currency=company.currency),
        format_value=lambda v: shown(v, company.currency)), "procurement.view", order=53)
    return [approve, held, late, spend]

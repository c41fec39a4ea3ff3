"""WMS's dashboard: what the stock is worth by product category (units when
the company does not value its stock), the operations to do and the late
ones, and how fast the most delivered products turn over.

Charts are drawn by ``web.charts`` (imported when a dashboard is drawn).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.contributions import Widget
from core.models import Company, Product, Unit
from core.values import from_units
from plugins.wms.documents import Move, Operation, OperationKind, OperationState
from plugins.wms.models import Cost, Location, LocationKind, Stock
from plugins.wms.operations import OPEN, late_condition
from plugins.wms.queries import Turnover, turnover
from plugins.wms.setup import settings_of, valued
from plugins.wms.values import currency_scale

__all__ = ["wms_widgets", "stock_by_category", "operations_to_do", "top_turnover", "TOP", "CATEGORIES"]

TOP = 5          # products in the turnover chart
CATEGORIES = 8   # categories in the stock chart; the rest are summed as "other"


def stock_by_category(session: Session, company: Company) -> tuple[bool, list[tuple[Optional[str], Decimal]]]:
    """``(valued, [(category, amount)])``, largest first: the inventory value in the
    company currency when the stock is valued, else the units on hand."""
    totals: dict[Optional[str], Decimal] = defaultdict(Decimal)
    if valued(settings_of(session, company)):
        scale = currency_scale(company.currency)
        for category, units in session.execute(
                select(Product.category, func.sum(Cost.value)).join(Product, Product.id == Cost.product_id)
                .where(Cost.company_id == company.id).group_by(Product.category)):
            totals[category] += from_units(int(units or 0), scale)
        worth = True
    else:
        # Summed per product in SQL (one unit each), then per category here: units differ in scale.
        for category, scale, units in session.execute(
                select(Product.category, Unit.scale, func.sum(Stock.on_hand))
                .join(Product, Product.id == Stock.product_id).join(Unit, Unit.id == Product.unit_id)
                .join(Location, Location.id == Stock.location_id)
                .where(Stock.company_id == company.id, Location.kind == LocationKind.INTERNAL)
                .group_by(Product.id, Product.category, Unit.scale)):
            totals[category] += from_units(int(units or 0), scale)
        worth = False
    ranked = sorted(((c, v) for c, v in totals.items() if v), key=lambda item: (-item[1], item[0] or ""))
    if len(ranked) > CATEGORIES:
        ranked = ranked[: CATEGORIES - 1] + [
            ("\x00other", sum((v for _c, v in ranked[CATEGORIES - 1 :]), Decimal(0)))
        ]
    return worth, ranked


def operations_to_do(
    session: Session, company: Company, today: dt.date
) -> dict[OperationKind, tuple[int, int]]:
    """Per kind: ``(ready, late)`` — operations ready to do, and open ones past their scheduled day."""
    found = {kind: (0, 0) for kind in OperationKind}
    ready = func.sum(case((Operation.state == OperationState.READY, 1), else_=0))
    late = func.sum(case((late_condition(today), 1), else_=0))
    for kind, ready_count, late_count in session.execute(
            select(Operation.kind, ready, late)
            .where(Operation.company_id == company.id, Operation.state.in_(OPEN))
            .group_by(Operation.kind)):
        found[kind] = (int(ready_count), int(late_count))
    return found


def top_turnover(session: Session, company: Company, today: dt.date, days: int = 365) -> list[Turnover]:
    """Turnover and days of cover of the ``TOP`` products delivered most (in units) over ``days``."""
    start = today - dt.timedelta(days=days - 1)
    skus = session.scalars(
        select(Product.sku)
        .join(Move, Move.product_id == Product.id)
        .join(Operation, Operation.id == Move.operation_id)
        .where(
            Operation.company_id == company.id,
            Operation.kind == OperationKind.DELIVERY,
            Operation.state == OperationState.DONE,
            Operation.done_on >= start,
            Operation.done_on <= today,
        )
        .group_by(Product.sku)
        .order_by(func.sum(Move.done).desc(), Product.sku)
        .limit(TOP)
    ).all()
    return [turnover(session, company, sku, days=days, today=today) for sku in skus]


def wms_widgets(session: Session, company: Company, today: Optional[dt.date] = None) -> list[Widget]:
    from flask import url_for
    from flask_babel import gettext as _
    from markupsafe import Markup

    from web.charts import Series, bar_chart, hbar_chart
    from web.i18n import money, number

    today = today or dt.date.today()
    worth, categories = stock_by_category(session, company)
    items = [(_("other") if c == "\x00other" else c or _("no category"), v) for c, v in categories]
    if worth:
        stock = Widget("Stock value by category", hbar_chart(
            items, title=_("Stock value by category (%(currency)s)", currency=company.currency),
            format_value=lambda v: money(v, company.currency)), "wms.view", order=40)
    else:
        stock = Widget("Units in stock by category", hbar_chart(
            items, title=_("Units in stock by category"), format_value=number), "wms.view", order=40)

    todo = operations_to_do(session, company, today)
    kinds = [OperationKind.RECEIPT, OperationKind.DELIVERY, OperationKind.INTERNAL]
    labels = [_("Receipts"), _("Deliveries"), _("Transfers")]
    chart = bar_chart(labels, [Series(_("Ready"), [todo[k][0] for k in kinds]),
                               Series(_("Late"), [todo[k][1] for k in kinds], color="#be123c")],
                      title=_("Operations to do"), format_value=lambda v: number(v), height=180)
    links = Markup(" · ").join(
        Markup('<a href="{}">{}</a>').format(
            url_for("wms.operations", kind=kind.value, state="ready"),
            _("%(label)s: %(count)s ready", label=label, count=todo[kind][0]),
        )
        for kind, label in zip(kinds, labels)
    )
    late = sum(late for _ready, late in todo.values())
    late_link = Markup('<a href="{}">{}</a>').format(url_for("wms.operations", late="1"),
                                                    _("%(count)s late", count=late)) if late else ""
    operations = Widget("Operations to do", Markup("{}<p>{}{}{}</p>").format(
        chart, links, Markup(" · ") if late_link else "", late_link), "wms.view", order=41)

    rates = top_turnover(session, company, today)
    turns = hbar_chart([(r.product, r.turns or Decimal(0)) for r in rates],
                       title=_("Inventory turns over the last year"), format_value=number)
    cover = Markup("").join(
        Markup('<li><a href="{}">{}</a>: {}</li>').format(
            url_for("wms.card", sku=r.product), r.product,
            _("%(days)s days of cover", days=number(r.days_of_cover)) if r.days_of_cover is not None
            else _("no deliveries")) for r in rates)
    speed = Widget("Inventory turnover", Markup('{}<ul class="plain">{}</ul>').format(turns, cover),
                   "wms.view", order=42)
    return [stock, operations, speed]

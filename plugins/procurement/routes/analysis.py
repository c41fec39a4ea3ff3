"""Supplier performance, supplier risk and the single-source products,
with charts (web.charts) and the same figures as JSON and CSV."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

import attrs
from flask import g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from plugins.procurement.performance import SCORE_WEIGHTS, score_parts
from plugins.procurement.performance import performance as measure
from plugins.procurement.risk import RISK_WEIGHTS, supplier_risk
from plugins.procurement.risk import single_source as single_sourced
from plugins.procurement.routes import blueprint
from plugins.procurement.routes.common import N_
from web.access import permission
from web.auth import wants_json
from web.charts import Series, bar_chart, hbar_chart
from web.context import db_session
from web.lists import NUMBER, Column, csv_response

__all__ = ["FACTOR_LABELS", "PART_LABELS"]

FACTOR_LABELS = {"single_source": N_("Single-source products"), "lead_time": N_("Lead-time variability"),
                 "spend": N_("Share of spend")}
PART_LABELS = {"otif": N_("On time in full"), "lead_time": N_("Lead-time reliability"),
               "price": N_("Price"), "returns": N_("Returns")}
HUNDRED = Decimal(100)


def _period() -> dict[str, Optional[str]]:
    """``from`` and ``to`` of the query (ISO dates, or nothing)."""
    return {"start": request.args.get("from", "").strip()[:10] or None,
            "end": request.args.get("to", "").strip()[:10] or None}


def _pct(rate: Optional[Decimal]) -> Optional[Decimal]:
    return None if rate is None else (rate * HUNDRED).quantize(Decimal("0.1"))


def _answer(template: str, rows: list, columns: list[Column], filename: str, **context: Any):
    if request.args.get("format") == "csv":
        return csv_response(rows, columns, filename)
    if wants_json():
        return jsonify(items=[attrs.asdict(row) for row in rows])
    return render_template(template, rows=rows, columns=columns, **context)


@blueprint.get("/performance", endpoint="performance")
@permission("procurement.view")
def performance():
    session, company = db_session(), g.company
    period = _period()
    supplier = request.args.get("supplier", "").strip()[:40] or None
    rows = measure(session, company, supplier=supplier, **period)
    columns = [
        Column("supplier", _l("Supplier")), Column("supplier_name", _l("Name")),
        Column("orders", _l("Orders"), kind=NUMBER),
        Column("otif", _l("On time in full (%)"), kind=NUMBER, get=lambda r: _pct(r.otif)),
        Column("lines_due", _l("Lines due"), kind=NUMBER),
        Column("lead_time_mean", _l("Lead time (days)"), kind=NUMBER),
        Column("lead_time_stdev", _l("Standard deviation (days)"), kind=NUMBER),
        Column("billed_variance", _l("Billed vs ordered (%)"), kind=NUMBER),
        Column("catalogue_variance", _l("Ordered vs catalogue (%)"), kind=NUMBER),
        Column("returns_rate", _l("Returns (%)"), kind=NUMBER, get=lambda r: _pct(r.returns_rate)),
        Column("score", _l("Score"), kind=NUMBER),
    ]
    scored = [(r.supplier, r.score) for r in rows if r.score is not None]
    charts = []
    if scored:
        charts.append((_("Supplier score"), hbar_chart(sorted(scored, key=lambda item: -item[1]),
                                                       title=_("Supplier score"))))
    measured = [r for r in rows if r.otif is not None or r.returns_rate is not None]
    if measured:
        charts.append((_("On time in full and returns"), bar_chart(
            [r.supplier for r in measured],
            [Series(_("On time in full (%)"), [_pct(r.otif) or Decimal(0) for r in measured]),
             Series(_("Returns (%)"), [_pct(r.returns_rate) or Decimal(0) for r in measured])],
            title=_("On time in full and returns"))))
    parts = {r.supplier: score_parts(r) for r in rows}
    return _answer("procurement/performance.html", rows, columns, "supplier-performance", charts=charts,
                   parts=parts, part_labels=PART_LABELS, weights=SCORE_WEIGHTS, supplier=supplier,
                   period={"from": period["start"] or "", "to": period["end"] or ""})


@blueprint.get("/risk", endpoint="risk")
@permission("procurement.view")
def risk():
    session, company = db_session(), g.company
    period = _period()
    rows = supplier_risk(session, company, **period)
    columns = [
        Column("supplier", _l("Supplier")),
        Column("supplier_name", _l("Name")),
        Column("products", _l("Products"), kind=NUMBER),
        Column(
            "single_source", _l("Single-source products"), get=lambda r: ", ".join(r.single_source_products)
        ),
        Column(
            "lead_time_cv", _l("Lead-time variability (%)"), kind=NUMBER, get=lambda r: _pct(r.lead_time_cv)
        ),
        Column("spend_share", _l("Share of spend (%)"), kind=NUMBER),
        Column("score", _l("Risk"), kind=NUMBER),
    ]
    charts = []
    if rows:
        charts.append((_("Supplier risk"), bar_chart(
            [r.supplier for r in rows],
            [Series(_(FACTOR_LABELS[key]), [r.factors[i].contribution for r in rows])
             for i, key in enumerate(RISK_WEIGHTS)], title=_("Supplier risk"))))
        shares = [
            (r.supplier, r.spend_share) for r in sorted(rows, key=lambda r: -r.spend_share) if r.spend_share
        ]
        if shares:
            charts.append((_("Share of spend"), hbar_chart(shares, title=_("Share of spend"),
                                                           format_value=lambda v: f"{v} %")))
    return _answer("procurement/risk.html", rows, columns, "supplier-risk", charts=charts,
                   factor_labels=FACTOR_LABELS, weights=RISK_WEIGHTS,
                   period={"from": period["start"] or "", "to": period["end"] or ""})


@blueprint.get("/single-source", endpoint="single_source")
@permission("procurement.view")
def single_source():
    session, company = db_session(), g.company
    supplier = request.args.get("supplier", "").strip()[:40] or None
    rows = single_sourced(session, company, supplier=supplier)
    columns = [
        Column("product", _l("Product")),
        Column("product_name", _l("Name")),
        Column(
            "supplier", _l("Supplier"), link=lambda r: url_for("procurement.performance", supplier=r.supplier)
        ),
        Column("supplier_name", _l("Supplier name")),
        Column("in_catalogue", _l("In the catalogue"), get=lambda r: _("yes") if r.in_catalogue else _("no")),
        Column("in_history", _l("Bought before"), get=lambda r: _("yes") if r.in_history else _("no")),
        Column("price", _l("Price"), kind=NUMBER),
        Column("currency", _l("Currency")),
        Column("lead_time_days", _l("Lead time (days)"), kind=NUMBER),
        Column("last_ordered", _l("Last ordered"), kind="date"),
    ]
    return _answer("procurement/single_source.html", rows, columns, "single-source", supplier=supplier)

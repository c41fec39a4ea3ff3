"""Replenishment: reorder rules (list, set, remove), the plan's preview
with the reason behind each order, running it, and the proposals it wrote.

Reading needs ``wms.view``; setting rules, running replenishment and
dismissing proposals ``wms.approve``.
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.models import Product, Unit
from plugins.wms.documents import Proposal, ProposalState, ReorderRule
from plugins.wms.models import Warehouse
from plugins.wms.places import find_warehouse
from plugins.wms.products import scan_product
from plugins.wms.replenishment import ROUTES, dismiss, plan, remove_rule, replenish, set_rule
from plugins.wms.routes import blueprint
from plugins.wms.routes.common import (
    N_,
    ActionForm,
    checked,
    choice,
    filter_links,
    query_value,
    scanned_product,
    warehouse_choices,
    word,
)
from plugins.wms.routes.forms import ReorderRuleForm
from plugins.wms.values import money, quantity
from plugins.wms.views import planned_data
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, NUMBER, Column, csv_response, detail_page, jsonable, list_page

__all__ = ["REPLENISH_TABS"]

REPLENISH_TABS = [("wms.replenishment", N_("Plan")), ("wms.proposals", N_("Proposals")),
                  ("wms.reorder_rules", N_("Reorder rules"))]


def _may_approve() -> bool:
    return "wms.approve" in g.permissions


def _percent(basis_points: int) -> Decimal:
    value = Decimal(basis_points).scaleb(-2)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _typed(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _tabs() -> dict:
    return {"tabs": REPLENISH_TABS, "tabs_label": _("Replenishment")}


# -- reorder rules ------------------------------------------------------------------------------

@blueprint.get("/reorder-rules", endpoint="reorder_rules")
@permission("wms.view")
def reorder_rules():
    currency = g.company.currency
    query = (select(ReorderRule).join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
             .join(Product, Product.id == ReorderRule.product_id).join(Unit, Unit.id == Product.unit_id)
             .options(contains_eager(ReorderRule.warehouse),
                      contains_eager(ReorderRule.product).contains_eager(Product.unit))
             .where(ReorderRule.company_id == g.company.id))
    house = query_value("warehouse", lambda text: find_warehouse(db_session(), g.company, text))
    if house is not None:
        query = query.where(ReorderRule.warehouse_id == house.id)
    edit = (lambda r: url_for("wms.set_reorder_rule", product=r.product.sku, warehouse=r.warehouse.code)) \
        if _may_approve() else (lambda r: url_for("wms.card", sku=r.product.sku))
    columns = [
        Column("warehouse", _l("Warehouse"), Warehouse.code, get=lambda r: r.warehouse.code),
        Column(
            "product", _l("Product"), Product.sku, searchable=True, get=lambda r: r.product.sku, link=edit
        ),
        Column("name", _l("Name"), Product.name, searchable=True, get=lambda r: r.product.name),
        Column(
            "minimum",
            _l("Reorder point"),
            ReorderRule.minimum,
            kind=NUMBER,
            get=lambda r: quantity(r.product, r.minimum),
        ),
        Column(
            "maximum",
            _l("Fill up to"),
            ReorderRule.maximum,
            kind=NUMBER,
            get=lambda r: quantity(r.product, r.maximum),
        ),
        Column("unit", _l("Unit"), Unit.code, get=lambda r: r.product.unit.code),
        Column("lead_time_days", _l("Lead time (days)"), ReorderRule.lead_time_days, kind=NUMBER),
        Column(
            "service_level",
            _l("Service level (%)"),
            ReorderRule.service_level,
            kind=NUMBER,
            get=lambda r: _percent(r.service_level),
        ),
        Column(
            "ordering_cost",
            _l("Ordering cost"),
            ReorderRule.ordering_cost,
            kind=AMOUNT,
            get=lambda r: money(r.ordering_cost, currency),
        ),
        Column(
            "holding_rate",
            _l("Holding rate a year (%)"),
            ReorderRule.holding_rate,
            kind=NUMBER,
            get=lambda r: _percent(r.holding_rate),
        ),
        Column(
            "automatic",
            _l("Mode"),
            ReorderRule.automatic,
            get=lambda r: _("automatic") if r.automatic else _("manual"),
        ),
        Column("route", _l("Route"), ReorderRule.route, get=lambda r: word(r.route)),
    ]
    may = _may_approve()
    return list_page(
        query,
        columns,
        title=_("Reorder rules"),
        default_sort="product",
        tiebreak=[Warehouse.code, ReorderRule.id],
        filename="reorder-rules",
        template="wms/work_list.html",
        form=ActionForm(),
        **_tabs(),
        actions=[(_("Set a reorder rule"), url_for("wms.set_reorder_rule"))] if may else [],
        row_post=(lambda r: (_("Remove"), url_for("wms.remove_reorder_rule", reorder_id=r.id)))
        if may
        else None,
        note=_(
            "At or below the reorder point, replenishment proposes filling up to the maximum; "
            "an automatic rule sets its reorder point from recent demand and safety stock."
        ),
    )


@blueprint.route("/reorder-rules/-/set", methods=["GET", "POST"], endpoint="set_reorder_rule")
@permission("wms.approve")
def set_reorder_rule():
    session, company = db_session(), g.company
    form = ReorderRuleForm()
    form.warehouse.choices = warehouse_choices()
    form.route.choices = [(route, word(route)) for route in ROUTES]
    if request.method == "GET":
        _fill(form)

    def save():
        rule = set_rule(
            session,
            company,
            scanned_product(form.product.data.strip()),
            form.warehouse.data or None,
            minimum=_given(form.minimum),
            maximum=_given(form.maximum),
            lead_time_days=_given(form.lead_time),
            service_level=_given(form.service_level),
            ordering_cost=_given(form.ordering_cost),
            holding_rate=_given(form.holding_rate),
            automatic=form.automatic.data,
            route=form.route.data,
        )
        flash(
            _(
                "The reorder rule of %(sku)s in %(code)s is saved.",
                sku=rule.product.sku,
                code=rule.warehouse.code,
            )
        )
        return redirect(url_for("wms.reorder_rules"))

    return form_page(form, save, title=_("Set a reorder rule"), cancel=url_for("wms.reorder_rules"))


def _given(field):
    """A field's text, or ``None`` (the rule keeps its value) when empty."""
    return (field.data or "").strip() or None


def _fill(form: ReorderRuleForm) -> None:
    """The form of ``?product=&warehouse=``: the existing rule's values, if it has one."""
    session, company = db_session(), g.company
    product = query_value("product", lambda text: scan_product(session, company, text))
    house = query_value("warehouse", lambda text: find_warehouse(session, company, text))
    if house is not None:
        form.warehouse.data = house.code
    if product is None:
        return
    form.product.data = product.sku
    place = house or find_warehouse(session, company, None)  # the services' default: the first warehouse
    rule = session.scalar(select(ReorderRule).where(ReorderRule.product_id == product.id,
                                                    ReorderRule.warehouse_id == place.id))
    if rule is None:
        return
    form.minimum.data, form.maximum.data = (_typed(quantity(product, rule.minimum)),
                                            _typed(quantity(product, rule.maximum)))
    form.lead_time.data = str(rule.lead_time_days)
    form.service_level.data, form.holding_rate.data = str(_percent(rule.service_level)), str(
        _percent(rule.holding_rate))
    form.ordering_cost.data = _typed(money(rule.ordering_cost, company.currency))
    form.automatic.data, form.route.data = rule.automatic, rule.route


@blueprint.post("/reorder-rules/<int:reorder_id>/remove", endpoint="remove_reorder_rule")
@permission("wms.approve")
def remove_reorder_rule(reorder_id: int):
    checked(ActionForm())
    session = db_session()
    rule = session.scalar(select(ReorderRule).where(ReorderRule.company_id == g.company.id,
                                                    ReorderRule.id == reorder_id))
    if rule is None:
        abort(404, _("No such reorder rule."))
    sku, code = rule.product.sku, rule.warehouse.code
    remove_rule(session, g.company, sku, code)
    flash(_("The reorder rule of %(sku)s in %(code)s is removed.", sku=sku, code=code))
    return redirect(url_for("wms.reorder_rules"))


# -- the plan and the run ---------------------------------------------------------------------

_PLAN_COLUMNS = [Column("warehouse", _l("Warehouse")), Column("product", _l("Product")),
                 Column("quantity", _l("Quantity"), kind=NUMBER), Column("unit", _l("Unit")),
                 Column("route", _l("Route")), Column("needed_by", _l("Needed by"), kind=DATE),
                 Column("position", _l("Position"), kind=NUMBER),
                 Column("reorder_point", _l("Reorder point"), kind=NUMBER), Column("reason", _l("Reason"))]


@blueprint.get("/replenishment", endpoint="replenishment")
@permission("wms.view")
def replenishment():
    session, company = db_session(), g.company
    house = query_value("warehouse", lambda text: find_warehouse(session, company, text))
    rows = [planned_data(p) for p in plan(session, company, house.code if house else None)]
    if request.args.get("format") == "csv":
        return csv_response(rows, [_dict_column(c) for c in _PLAN_COLUMNS], "replenishment-plan")
    return detail_page(
        "wms/replenishment.html",
        {"items": [{k: jsonable(v) for k, v in r.items()} for r in rows]},
        rows=rows,
        word=word,
        warehouse=house,
        may_run=_may_approve(),
        buttons=ActionForm(),
        **_tabs(),
    )


def _dict_column(column: Column) -> Column:
    """A plan column reading a dict (the rows are records, not objects)."""
    return Column(column.key, column.label, kind=column.kind, get=lambda row, key=column.key: row[key])


@blueprint.post("/replenishment/run", endpoint="replenish")
@permission("wms.approve")
def replenish_now():
    checked(ActionForm())
    session, company = db_session(), g.company
    house = query_value("warehouse", lambda text: find_warehouse(session, company, text))
    written = replenish(session, company, house.code if house else None)
    if written:
        flash(_("%(count)s proposals are written.", count=len(written)))
    else:
        flash(_("Nothing to replenish."))
    return redirect(url_for("wms.proposals"))


# -- proposals ----------------------------------------------------------------------------------

@blueprint.get("/proposals", endpoint="proposals")
@permission("wms.view")
def proposals():
    query = (select(Proposal).join(Warehouse, Warehouse.id == Proposal.warehouse_id)
             .join(Product, Product.id == Proposal.product_id).join(Unit, Unit.id == Product.unit_id)
             .options(contains_eager(Proposal.warehouse),
                      contains_eager(Proposal.product).contains_eager(Product.unit))
             .where(Proposal.company_id == g.company.id))
    state = choice("state", {s.value: s for s in ProposalState})
    if state is not None:
        query = query.where(Proposal.state == state)
    columns = [
        Column("id", _l("Number"), Proposal.id, kind=NUMBER),
        Column("state", _l("State"), Proposal.state, get=lambda p: word(p.state)),
        Column("warehouse", _l("Warehouse"), Warehouse.code, get=lambda p: p.warehouse.code),
        Column("product", _l("Product"), Product.sku, searchable=True, get=lambda p: p.product.sku,
               link=lambda p: url_for("wms.card", sku=p.product.sku)),
        Column("quantity", _l("Quantity"), Proposal.quantity, kind=NUMBER,
               get=lambda p: quantity(p.product, p.quantity)),
        Column("unit", _l("Unit"), Unit.code, get=lambda p: p.product.unit.code),
        Column("route", _l("Route"), Proposal.route, get=lambda p: word(p.route)),
        Column("document", _l("Document"), Proposal.document, searchable=True),
        Column("created_at", _l("Created"), Proposal.created_at,
               get=lambda p: p.created_at.replace(microsecond=0)),
        Column("reason", _l("Reason"), Proposal.reason),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in ProposalState]
    may = _may_approve()
    return list_page(query, columns, title=_("Proposals"), default_sort="-id", tiebreak=[Proposal.id],
                     filename="proposals", template="wms/work_list.html", form=ActionForm(), **_tabs(),
                     row_post=(lambda p: (_("Dismiss"), url_for("wms.dismiss_proposal", proposal_id=p.id))
                               if p.state is ProposalState.OPEN else None) if may else None,
                     filter_groups=[(_("State"), filter_links("state", states))])


@blueprint.post("/proposals/<int:proposal_id>/dismiss", endpoint="dismiss_proposal")
@permission("wms.approve")
def dismiss_proposal(proposal_id: int):
    checked(ActionForm())
    found = dismiss(db_session(), g.company, proposal_id)
    flash(_("Proposal %(number)s is dismissed.", number=found.id))
    return redirect(url_for("wms.proposals"))

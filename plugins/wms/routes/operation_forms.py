"""The operation forms: a new receipt, delivery or transfer, and validating
one (what was done per product, the lots received, backorder or not).

Product fields take a barcode or SKU, location fields a barcode or code.
What the services refuse shows above the form and leaves nothing written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from plugins.wms.documents import OperationKind
from plugins.wms.models import Tracking, Warehouse
from plugins.wms.operations import LineInput, confirm, create_operation, find_operation, outgoing, reserved_of
from plugins.wms.products import tracking_of
from plugins.wms.routes import blueprint
from plugins.wms.routes.common import (
    operation_url,
    scanned_location,
    scanned_product,
    warehouse_choices,
    word,
)
from plugins.wms.routes.forms import BLANK_LOTS, OperationForm, ValidateForm
from plugins.wms.validation import LotInput, validate
from plugins.wms.values import quantity
from web.access import permission
from web.context import db_session
from web.forms import MAX_CHOICES, form_page, party_and_product_choices

__all__ = ["MAX_CHOICES"]



@blueprint.route("/operations/-/new", methods=["GET", "POST"], endpoint="new_operation")
@permission("wms.operate")
def new_operation():
    form = OperationForm()
    form.kind.choices = [(k.value, word(k).capitalize()) for k in OperationKind]
    form.warehouse.choices = warehouse_choices()
    if request.method == "GET":
        wanted = request.args.get("kind")
        form.kind.data = wanted if wanted in {k.value for k in OperationKind} else OperationKind.RECEIPT.value
        form.scheduled.data = dt.date.today()
        codes = [code for code, _label in form.warehouse.choices]
        house = request.args.get("warehouse", "").upper()
        form.warehouse.data = house if house in codes else _first_warehouse(codes)

    def create():
        session, company = db_session(), g.company
        lines = [LineInput(scanned_product(entry.form.product.data), entry.form.quantity.data.strip(),
                           (entry.form.unit_cost.data or "").strip() or None)
                 for entry in form.lines if entry.form.entered()]
        source, destination = (form.source.data or "").strip(), (form.destination.data or "").strip()
        op = create_operation(session, company, form.kind.data, lines, warehouse=form.warehouse.data or None,
                              party=(form.party.data or "").strip() or None,
                              source=scanned_location(source) if source else None,
                              destination=scanned_location(destination) if destination else None,
                              scheduled=form.scheduled.data, reference=(form.reference.data or "").strip())
        if form.confirm.data:
            confirm(session, company, op)
            flash(_("%(number)s is created and ready.", number=op.number))
        else:
            flash(_("Draft %(number)s is created.", number=op.number))
        return redirect(operation_url(op))

    return form_page(
        form,
        create,
        template="wms/operation_form.html",
        hints=party_and_product_choices(),
        title=_("New operation"),
        cancel=url_for("wms.operations"),
    )


def _first_warehouse(codes: list[str]) -> str:
    """The warehouse the services default to (the company's first), if it has one."""
    first = db_session().scalar(select(Warehouse.code).where(Warehouse.company_id == g.company.id)
                                .order_by(Warehouse.id).limit(1))
    return first or (codes[0] if codes else "")


def _typed(value: Decimal) -> str:
    """A quantity as a person types it: ``10``, not ``10.000``."""
    return f"{value.normalize():f}"


def _default_done(op, move) -> int:
    """What validating does of a move when nothing is typed (see plugins.wms.validation)."""
    if not outgoing(op):
        return move.demand
    return sum(line.picked for line in move.lines) or reserved_of(move)


@blueprint.route("/operations/<path:number>/validate", methods=["GET", "POST"], endpoint="validate")
@permission("wms.operate")
def validate_operation(number: str):
    session, company = db_session(), g.company
    op = find_operation(session, company, number)
    if request.method == "GET" and op.state.value in ("done", "cancelled"):
        flash(
            _(
                "%(number)s is %(state)s: there is nothing to validate.",
                number=op.number,
                state=word(op.state),
            ),
            "error",
        )
        return redirect(operation_url(op))
    tracked = [
        m.product
        for m in op.moves
        if not outgoing(op) and tracking_of(session, m.product) is not Tracking.NONE
    ]
    if request.method == "GET":
        form = ValidateForm(data={
            "date": dt.date.today(),
            "done": [{"product": m.product.sku, "quantity": _typed(quantity(m.product, _default_done(op, m)))}
                     for m in op.moves],
            "lots": [{"product": tracked[0].sku if len(tracked) == 1 else ""} for _i in range(BLANK_LOTS)]
            if tracked else []})
    else:
        form = ValidateForm()

    def done():
        quantities = {}
        for entry in form.done:
            quantities[entry.form.product.data.strip()] = entry.form.quantity.data.strip()
        lots = [LotInput(scanned_product(e.form.product.data), e.form.lot.data.strip(),
                         (e.form.quantity.data or "").strip() or "1",
                         e.form.expiry.data.isoformat() if e.form.expiry.data else None)
                for e in form.lots if e.form.entered()]
        validated, rest = validate(session, company, op, quantities, lots=lots, date=form.date.data,
                                   backorder=not form.no_backorder.data)
        if rest is not None:
            flash(_("%(number)s is done; what is left waits in backorder %(rest)s.", number=validated.number,
                    rest=rest.number))
        else:
            flash(_("%(number)s is done.", number=validated.number))
        return redirect(operation_url(validated))

    moves = {m.product.sku: m for m in op.moves}
    demand = {m.product.sku: quantity(m.product, m.demand) for m in op.moves}
    return form_page(
        form,
        done,
        template="wms/validate.html",
        op=op,
        moves=moves,
        demand=demand,
        tracked=tracked,
        title=_("Validate %(number)s", number=op.number),
        cancel=operation_url(op),
    )

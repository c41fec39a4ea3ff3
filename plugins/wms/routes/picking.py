"""Picking, packing and waves.

A delivery's pick page takes one scan at a time (location, product,
quantity, lot) and comes back for the next; packing puts what was picked
into a package. A wave gathers ready deliveries of one warehouse: its page
walks the pick list in location order, takes scans shared over its
deliveries, and finishing validates each delivery with what was picked.
Reading needs ``wms.view``; everything else ``wms.operate``.
"""

from __future__ import annotations

from typing import Optional

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from core.models import Party
from plugins.wms.documents import (
    Operation,
    OperationKind,
    OperationState,
    Package,
    Wave,
    WaveState,
)
from plugins.wms.models import Warehouse
from plugins.wms.operations import find_operation
from plugins.wms.picking import (
    cancel_wave,
    create_wave,
    find_wave,
    finish_wave,
    pack,
    pick,
    pick_list,
    pick_wave,
)
from plugins.wms.routes import blueprint
from plugins.wms.routes.common import (
    ActionForm,
    checked,
    choice,
    filter_links,
    operation_url,
    warehouse_choices,
    word,
)
from plugins.wms.routes.forms import MAX_LINES, PickForm, WaveForm
from plugins.wms.values import quantity
from web.access import permission
from web.context import db_session
from web.forms import form_page, submitted
from web.lists import Column, detail_page, list_page

__all__ = ["wave_url"]


def wave_url(wave: Wave) -> str:
    return url_for("wms.wave", wave_number=wave.number)


def _picked_message(picked) -> str:
    return "; ".join(_("picked %(quantity)s %(sku)s at %(code)s for %(number)s", quantity=p.quantity,
                       sku=p.product, code=p.location, number=p.operation) for p in picked)


# -- one delivery ---------------------------------------------------------------------------

def _packages(op: Operation) -> list[dict]:
    """The operation's packages with what each holds."""
    held: dict[int, list] = {}
    for move in op.moves:
        for line in move.lines:
            if line.package_id is not None:
                held.setdefault(line.package_id, []).append(
                    {"product": move.product.sku, "lot": line.lot.name if line.lot else None,
                     "quantity": quantity(move.product, line.picked), "unit": move.product.unit.code})
    packages = db_session().scalars(select(Package).where(Package.operation_id == op.id).order_by(Package.id))
    return [
        {"number": p.number, "weight_grams": p.weight_grams, "contents": held.get(p.id, [])} for p in packages
    ]


def _to_pick(op: Operation) -> list[dict]:
    """The operation's reserved lines: where to pick what, and how much is picked."""
    return [{"location": line.source.code, "product": move.product.sku, "name": move.product.name,
             "lot": line.lot.name if line.lot else None, "reserved": quantity(move.product, line.reserved),
             "picked": quantity(move.product, line.picked), "unit": move.product.unit.code,
             "packed": line.package_id is not None}
            for move in op.moves for line in move.lines if line.reserved or line.picked]


@blueprint.route("/operations/<path:number>/pick", methods=["GET", "POST"], endpoint="pick")
@permission("wms.operate")
def pick_operation(number: str):
    session, company = db_session(), g.company
    op = find_operation(session, company, number)
    form = PickForm()

    def scanned():
        picked = pick(session, company, op, form.location.data.strip(), form.product.data.strip(),
                      form.quantity.data.strip(), (form.lot.data or "").strip() or None)
        flash(_picked_message(picked))
        return redirect(url_for("wms.pick", number=op.number))  # ready for the next scan

    if request.method == "GET":
        form.location.data = request.args.get("location", "")[:64]
    return form_page(
        form,
        scanned,
        template="wms/pick.html",
        op=op,
        lines=_to_pick(op),
        packages=_packages(op),
        word=word,
        buttons=ActionForm(),
        title=_("Pick %(number)s", number=op.number),
        pickable=op.state is OperationState.READY and op.kind is not OperationKind.RECEIPT,
    )


@blueprint.post("/operations/<path:number>/pack", endpoint="pack")
@permission("wms.operate")
def pack_operation(number: str):
    checked(ActionForm())
    session = db_session()
    op = find_operation(session, g.company, number)
    package = pack(session, g.company, op)
    flash(_("What was picked is packed in %(package)s.", package=package.number))
    return redirect(url_for("wms.pick", number=op.number))


# -- waves ------------------------------------------------------------------------------------

@blueprint.get("/waves", endpoint="waves")
@permission("wms.view")
def waves():
    members = (select(func.count(Operation.id)).where(Operation.wave_id == Wave.id).correlate(Wave)
               .scalar_subquery())
    query = (select(Wave, members).join(Warehouse, Warehouse.id == Wave.warehouse_id)
             .options(contains_eager(Wave.warehouse)).where(Wave.company_id == g.company.id))
    state = choice("state", {s.value: s for s in WaveState})
    if state is not None:
        query = query.where(Wave.state == state)
    columns = [
        Column(
            "number",
            _l("Number"),
            Wave.number,
            searchable=True,
            get=lambda r: r[0].number,
            link=lambda r: wave_url(r[0]),
        ),
        Column("warehouse", _l("Warehouse"), Warehouse.code, get=lambda r: r[0].warehouse.code),
        Column("state", _l("State"), Wave.state, get=lambda r: word(r[0].state)),
        Column("operations", _l("Deliveries"), members, get=lambda r: r[1]),
        Column(
            "created_at", _l("Created"), Wave.created_at, get=lambda r: r[0].created_at.replace(microsecond=0)
        ),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in WaveState]
    actions = [(_("New wave"), url_for("wms.new_wave"))] if "wms.operate" in g.permissions else []
    return list_page(query, columns, title=_("Waves"), default_sort="-number", tiebreak=[Wave.id],
                     filename="waves", template="wms/list.html", actions=actions,
                     filter_groups=[(_("State"), filter_links("state", states))])


def _ready_deliveries() -> list[tuple[str, str]]:
    """Ready deliveries in no open wave: (number, label) for the new-wave form."""
    rows = (
        db_session()
        .execute(
            select(Operation.number, Warehouse.code, Party.code, Operation.scheduled)
            .join(Warehouse, Warehouse.id == Operation.warehouse_id)
            .outerjoin(Party, Party.id == Operation.party_id)
            .outerjoin(Wave, Wave.id == Operation.wave_id)
            .where(
                Operation.company_id == g.company.id,
                Operation.kind == OperationKind.DELIVERY,
                Operation.state == OperationState.READY,
                (Wave.id.is_(None)) | (Wave.state != WaveState.OPEN),
            )
            .order_by(Warehouse.code, Operation.id)
            .limit(MAX_LINES)
        )
        .all()
    )
    return [(number, " · ".join(str(part) for part in (number, house, party, scheduled) if part))
            for number, house, party, scheduled in rows]


@blueprint.route("/waves/-/new", methods=["GET", "POST"], endpoint="new_wave")
@permission("wms.operate")
def new_wave():
    form = WaveForm()
    form.warehouse.choices = warehouse_choices()
    form.operations.choices = _ready_deliveries()

    def create():
        wave = create_wave(db_session(), g.company, form.warehouse.data or None, form.operations.data)
        flash(_("Wave %(number)s is created.", number=wave.number))
        return redirect(wave_url(wave))

    return form_page(form, create, title=_("New wave"), submit=_("Create"), cancel=url_for("wms.waves"))


def _wave_page(wave: Wave, form: Optional[PickForm]):
    session = db_session()
    rows = pick_list(session, g.company, wave)
    ops = session.scalars(select(Operation).where(Operation.wave_id == wave.id).order_by(Operation.id)).all()
    shown = {"number": wave.number, "warehouse": wave.warehouse.code, "state": wave.state,
             "created_at": wave.created_at, "operations": [op.number for op in ops],
             "pick_list": [_row_data(row) for row in rows]}
    picking = wave.state is WaveState.OPEN and "wms.operate" in g.permissions
    return detail_page(
        "wms/wave.html",
        shown,
        wave=wave,
        rows=rows,
        ops=ops,
        word=word,
        operation_url=operation_url,
        form=form or (PickForm(formdata=None) if picking else None),
        picking=picking,
        buttons=ActionForm(),
    )


def _row_data(row) -> dict:
    return {
        "location": row.location,
        "product": row.product,
        "name": row.name,
        "unit": row.unit,
        "lot": row.lot,
        "quantity": row.quantity,
        "picked": row.picked,
        "operations": list(row.operations),
    }


@blueprint.get("/waves/<path:wave_number>", endpoint="wave")
@permission("wms.view")
def wave(wave_number: str):
    return _wave_page(find_wave(db_session(), g.company, wave_number), None)


@blueprint.post("/waves/<path:wave_number>/pick", endpoint="pick_wave")
@permission("wms.operate")
def pick_in_wave(wave_number: str):
    session, company = db_session(), g.company
    found = find_wave(session, company, wave_number)
    form = PickForm()

    def scanned():
        picked = pick_wave(session, company, found, form.location.data.strip(), form.product.data.strip(),
                           form.quantity.data.strip(), (form.lot.data or "").strip() or None)
        flash(_picked_message(picked))
        return redirect(wave_url(found))

    done = submitted(form, scanned)
    if done is not None:
        return done
    return _wave_page(found, form), 400


@blueprint.post("/waves/<path:wave_number>/finish", endpoint="finish_wave")
@permission("wms.operate")
def finish(wave_number: str):
    checked(ActionForm())
    session = db_session()
    found = find_wave(session, g.company, wave_number)
    result = finish_wave(session, g.company, found)
    message = _("Wave %(number)s is done: %(done)s.", number=result.wave, done=", ".join(result.done))
    if result.backorders:
        message += " " + _("Backorders: %(numbers)s.", numbers=", ".join(result.backorders))
    if result.left_out:
        message += " " + _("Left out, nothing picked: %(numbers)s.", numbers=", ".join(result.left_out))
    flash(message)
    return redirect(wave_url(found))


@blueprint.post("/waves/<path:wave_number>/cancel", endpoint="cancel_wave")
@permission("wms.operate")
def cancel(wave_number: str):
    checked(ActionForm())
    session = db_session()
    found = cancel_wave(session, g.company, find_wave(session, g.company, wave_number))
    flash(_("Wave %(number)s is cancelled; its deliveries stay ready.", number=found.number))
    return redirect(wave_url(found))

"""Operations: the list, one operation's page and what one does to it
(confirm, reserve, unreserve, cancel). Validating and creating are forms:
see :mod:`plugins.wms.routes.operation_forms`."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, contains_eager

from core.models import Party
from plugins.wms.documents import Operation, OperationKind, OperationState
from plugins.wms.models import Location, Warehouse
from plugins.wms.operations import (
    cancel,
    confirm,
    find_operation,
    is_late,
    late_condition,
    outgoing,
    reserve,
    reserved_of,
    unreserve,
)
from plugins.wms.places import find_warehouse
from plugins.wms.routes import blueprint
from plugins.wms.routes.common import (
    ActionForm,
    checked,
    choice,
    filter_links,
    operation_url,
    plain_decimal,
    query_value,
    word,
)
from plugins.wms.views import operation_data
from web.access import permission
from web.context import db_session
from web.lists import DATE, Column, detail_page, list_page

_LATE = {"1": True}


@blueprint.get("/operations", endpoint="operations")
@permission("wms.view")
def operations():
    source, destination = aliased(Location), aliased(Location)
    query = (select(Operation).join(Warehouse, Warehouse.id == Operation.warehouse_id)
             .join(source, source.id == Operation.source_id)
             .join(destination, destination.id == Operation.destination_id)
             .outerjoin(Party, Party.id == Operation.party_id)
             .options(contains_eager(Operation.warehouse), contains_eager(Operation.party),
                      contains_eager(Operation.source.of_type(source)),
                      contains_eager(Operation.destination.of_type(destination)))
             .where(Operation.company_id == g.company.id))
    kind = choice("kind", {k.value: k for k in OperationKind})
    if kind is not None:
        query = query.where(Operation.kind == kind)
    state = choice("state", {s.value: s for s in OperationState})
    if state is not None:
        query = query.where(Operation.state == state)
    house = query_value("warehouse", lambda text: find_warehouse(db_session(), g.company, text))
    if house is not None:
        query = query.where(Operation.warehouse_id == house.id)
    if choice("late", _LATE):
        query = query.where(late_condition())
    columns = [
        Column("number", _l("Number"), Operation.number, searchable=True, link=operation_url),
        Column("kind", _l("Kind"), Operation.kind, get=lambda op: word(op.kind)),
        Column(
            "state",
            _l("State"),
            Operation.state,
            get=lambda op: word(op.state) + (" · " + _("late") if is_late(op) else ""),
        ),
        Column("warehouse", _l("Warehouse"), Warehouse.code, get=lambda op: op.warehouse.code),
        Column(
            "party",
            _l("Party"),
            Party.code,
            searchable=True,
            get=lambda op: op.party.code if op.party else None,
        ),
        Column("source", _l("From"), source.code, get=lambda op: op.source.code),
        Column("destination", _l("To"), destination.code, get=lambda op: op.destination.code),
        Column("scheduled", _l("Scheduled"), Operation.scheduled, kind=DATE),
        Column("done_on", _l("Done on"), Operation.done_on, kind=DATE),
        Column("origin", _l("Origin"), Operation.origin, searchable=True),
    ]
    kinds = [("", _("All"))] + [(k.value, word(k).capitalize()) for k in OperationKind]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in OperationState]
    actions = [(_("New operation"), url_for("wms.new_operation"))] if "wms.operate" in g.permissions else []
    return list_page(query, columns, title=_("Operations"), default_sort="-number", tiebreak=[Operation.id],
                     filename="operations", template="wms/list.html", actions=actions,
                     filter_groups=[(_("Kind"), filter_links("kind", kinds)),
                                    (_("State"), filter_links("state", states))])


@blueprint.get("/operations/<path:number>", endpoint="operation")
@permission("wms.view")
def operation(number: str):
    session = db_session()
    op = find_operation(session, g.company, number)
    backorders = session.scalars(
        select(Operation)
        .where(Operation.company_id == g.company.id, Operation.backorder_of_id == op.id)
        .order_by(Operation.id)
    ).all()
    record = {**operation_data(g.company, op), "url": operation_url(op), "late": is_late(op),
              "backorders": [b.number for b in backorders]}
    for move in record["moves"]:
        move["unit_cost"] = plain_decimal(move["unit_cost"])
    missing = outgoing(op) and any(reserved_of(m) < m.demand for m in op.moves)
    return detail_page("wms/operation.html", record, op=op, data=record, backorders=backorders, word=word,
                       late=is_late(op), outgoing=outgoing(op), missing=missing,
                       any_reserved=any(reserved_of(m) for m in op.moves), form=ActionForm())


def _act(number: str):
    checked(ActionForm())
    return find_operation(db_session(), g.company, number)


@blueprint.post("/operations/<path:number>/confirm", endpoint="confirm")
@permission("wms.operate")
def confirm_operation(number: str):
    op = confirm(db_session(), g.company, _act(number))
    if outgoing(op) and any(reserved_of(m) < m.demand for m in op.moves):
        flash(_("%(number)s is ready; not everything could be reserved yet.", number=op.number), "error")
    else:
        flash(_("%(number)s is ready.", number=op.number))
    return redirect(operation_url(op))


@blueprint.post("/operations/<path:number>/reserve", endpoint="reserve")
@permission("wms.operate")
def reserve_operation(number: str):
    op = _act(number)
    if reserve(db_session(), g.company, op):
        flash(_("Everything %(number)s needs is reserved.", number=op.number))
    else:
        flash(_("Reserved what is available; %(number)s still lacks some.", number=op.number), "error")
    return redirect(operation_url(op))


@blueprint.post("/operations/<path:number>/unreserve", endpoint="unreserve")
@permission("wms.operate")
def unreserve_operation(number: str):
    op = _act(number)
    unreserve(db_session(), g.company, op)
    flash(_("The reservations of %(number)s are given back.", number=op.number))
    return redirect(operation_url(op))


@blueprint.post("/operations/<path:number>/cancel", endpoint="cancel")
@permission("wms.operate")
def cancel_operation(number: str):
    op = cancel(db_session(), g.company, _act(number))
    flash(_("%(number)s is cancelled.", number=op.number))
    return redirect(operation_url(op))



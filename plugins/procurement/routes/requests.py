"""Requisitions and requests for quotation: the lists, a requisition and
its RFQ, the quotes compared side by side (price per line, total, lead
time, validity, supplier score), a supplier's quote entered, one chosen."""

from __future__ import annotations

import datetime as dt

import attrs
from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from plugins.procurement.models import (
    PurchaseOrder,
    QuoteState,
    Requisition,
    RequisitionLine,
    RequisitionState,
    Rfq,
    RfqState,
)
from plugins.procurement.requisitions import (
    RequisitionLineInput,
    cancel_requisition,
    create_requisition,
    find_requisition,
)
from plugins.procurement.rfqs import cancel_rfq, choose_quote, compare, create_rfq, find_rfq, record_quote
from plugins.procurement.routes import blueprint
from plugins.procurement.routes.common import (
    ActionForm,
    checked,
    choice,
    filter_links,
    hints,
    me,
    order_url,
    requisition_url,
    rfq_url,
    state_word,
    typed,
    word,
)
from plugins.procurement.routes.forms import ChooseForm, QuoteForm, RequisitionForm, RfqForm
from plugins.procurement.values import money, quantity
from plugins.procurement.views import requisition_data, rfq_data
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import DATE, NUMBER, Column, detail_page, list_page

__all__: list[str] = []


@blueprint.get("/requisitions", endpoint="requisitions")
@permission("procurement.view")
def requisitions():
    lines = (select(func.count(RequisitionLine.id)).where(RequisitionLine.requisition_id == Requisition.id)
             .scalar_subquery())
    query = select(Requisition).where(Requisition.company_id == g.company.id)
    state = choice("state", {s.value: s for s in RequisitionState})
    if state is not None:
        query = query.where(Requisition.state == state)
    columns = [
        Column("number", _l("Number"), Requisition.number, searchable=True,
               link=lambda r: requisition_url(r.number)),
        Column("date", _l("Date"), Requisition.date, kind=DATE),
        Column("state", _l("State"), Requisition.state, get=lambda r: word(r.state)),
        Column("source", _l("Source"), Requisition.source, get=lambda r: word(r.source)),
        Column("lines", _l("Lines"), lines, kind=NUMBER, get=lambda r: len(r.lines)),
        Column("note", _l("Note"), Requisition.note, searchable=True),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in RequisitionState]
    actions = [(_("New requisition"), url_for("procurement.new_requisition"))] \
        if "procurement.buy" in g.permissions else []
    return list_page(
        query,
        columns,
        title=_("Requisitions"),
        default_sort="-number",
        tiebreak=[Requisition.id],
        filename="requisitions",
        template="procurement/list.html",
        actions=actions,
        links=[(_("Requests for quotation"), url_for("procurement.rfqs"))],
        filter_groups=[(_("State"), filter_links("state", states))],
    )


@blueprint.get("/requisitions/<number>", endpoint="requisition")
@permission("procurement.view")
def requisition(number: str):
    session = db_session()
    req = find_requisition(session, g.company, number)
    rfqs = session.scalars(select(Rfq).where(Rfq.requisition_id == req.id).order_by(Rfq.id)).all()
    orders = session.scalars(select(PurchaseOrder).where(PurchaseOrder.requisition_id == req.id)
                             .order_by(PurchaseOrder.id)).all()
    record = {**requisition_data(req), "url": requisition_url(req.number), "rfqs": [r.number for r in rfqs],
              "orders": [o.number for o in orders]}
    return detail_page("procurement/requisition.html", record, req=req, data=record, rfqs=rfqs, orders=orders,
                       word=word, form=ActionForm(), open=req.state in (RequisitionState.DRAFT,
                                                                        RequisitionState.OPEN),
                       has_open_rfq=any(r.state is RfqState.OPEN for r in rfqs))


@blueprint.route("/requisitions/-/new", methods=["GET", "POST"], endpoint="new_requisition")
@permission("procurement.buy")
def new_requisition():
    form = RequisitionForm()
    if request.method == "GET":
        form.date.data = dt.date.today()

    def create():
        lines = [RequisitionLineInput(e.form.product.data.strip(), e.form.quantity.data.strip(),
                                      (e.form.needed_by.data or "").strip() or None,
                                      (e.form.warehouse.data or "").strip() or None)
                 for e in form.lines if e.form.entered()]
        req = create_requisition(db_session(), g.company, lines, date=form.date.data, note=form.note.data,
                                 by=me())
        flash(_("Requisition %(number)s is written.", number=req.number))
        return redirect(requisition_url(req.number))

    return form_page(form, create, template="procurement/lines_form.html", hints=hints(),
                     title=_("New requisition"), cancel=url_for("procurement.requisitions"),
                     fields=["date", "note"], columns=["product", "quantity", "needed_by", "warehouse"])


@blueprint.post("/requisitions/<number>/cancel", endpoint="cancel_requisition")
@permission("procurement.buy")
def cancel_requisition_view(number: str):
    checked(ActionForm())
    req = cancel_requisition(db_session(), g.company, number)
    flash(_("Requisition %(number)s is cancelled.", number=req.number))
    return redirect(requisition_url(req.number))


@blueprint.route("/requisitions/<number>/rfq", methods=["GET", "POST"], endpoint="new_rfq")
@permission("procurement.buy")
def new_rfq(number: str):
    session = db_session()
    req = find_requisition(session, g.company, number)
    form = RfqForm()
    if request.method == "GET":
        form.date.data = dt.date.today()
        form.suppliers.data = ", ".join(_suggested(req))

    def send():
        codes = [code.strip() for code in form.suppliers.data.replace(";", ",").split(",") if code.strip()]
        rfq = create_rfq(
            session, g.company, req.number, codes, date=form.date.data, respond_by=form.respond_by.data
        )
        flash(_("%(number)s asks %(count)s suppliers for quotes.", number=rfq.number, count=len(rfq.quotes)))
        return redirect(rfq_url(rfq.number))

    return form_page(
        form,
        send,
        template="procurement/rfq_form.html",
        hints=hints(),
        req=req,
        title=_("Ask for quotes: %(number)s", number=req.number),
        cancel=requisition_url(req.number),
    )


def _suggested(req: Requisition) -> list[str]:
    """The suppliers whose catalogue has any of the requisition's products."""
    from plugins.procurement.catalogue import suppliers_of

    codes: list[str] = []
    for line in req.lines:
        for item in suppliers_of(db_session(), g.company, line.product):
            if item.party.code not in codes:
                codes.append(item.party.code)
    return codes


@blueprint.get("/rfqs", endpoint="rfqs")
@permission("procurement.view")
def rfqs():
    query = (select(Rfq).join(Requisition, Requisition.id == Rfq.requisition_id)
             .where(Rfq.company_id == g.company.id))
    state = choice("state", {s.value: s for s in RfqState})
    if state is not None:
        query = query.where(Rfq.state == state)
    columns = [
        Column("number", _l("Number"), Rfq.number, searchable=True, link=lambda r: rfq_url(r.number)),
        Column("requisition", _l("Requisition"), Requisition.number, searchable=True,
               get=lambda r: r.requisition.number, link=lambda r: requisition_url(r.requisition.number)),
        Column("date", _l("Date"), Rfq.date, kind=DATE),
        Column("respond_by", _l("Answers due"), Rfq.respond_by, kind=DATE),
        Column("state", _l("State"), Rfq.state, get=lambda r: word(r.state)),
        Column("answered", _l("Answered"), get=lambda r: f"{sum(q.total_units is not None for q in r.quotes)}"
                                                       f"/{len(r.quotes)}"),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in RfqState]
    return list_page(
        query,
        columns,
        title=_("Requests for quotation"),
        default_sort="-number",
        tiebreak=[Rfq.id],
        filename="rfqs",
        template="procurement/list.html",
        filter_groups=[(_("State"), filter_links("state", states))],
    )


@blueprint.get("/rfqs/<number>", endpoint="rfq")
@permission("procurement.view")
def rfq(number: str):
    session = db_session()
    found = find_rfq(session, g.company, number)
    comparison = compare(session, g.company, found.number)
    record = {**rfq_data(found), "url": rfq_url(found.number), "comparison": attrs.asdict(comparison)}
    return detail_page("procurement/rfq.html", record, rfq=found, cmp=comparison, form=ActionForm(),
                       quote_word=lambda value: state_word(QuoteState, value),
                       rfq_word=lambda value: state_word(RfqState, value), open=found.state is RfqState.OPEN)


@blueprint.route("/rfqs/<number>/quotes/<supplier>", methods=["GET", "POST"], endpoint="record_quote")
@permission("procurement.buy")
def record_quote_view(number: str, supplier: str):
    session = db_session()
    found = find_rfq(session, g.company, number)
    quote = next((q for q in found.quotes if q.party.code == supplier), None)
    if quote is None:
        abort(404, _("%(number)s was not sent to %(supplier)s.", number=found.number, supplier=supplier))
    if request.method == "GET":
        form = QuoteForm(
            data={
                "prices": [
                    {
                        "product": line.product.sku,
                        "price": typed(money(line.price_units, quote.currency))
                        if line.price_units is not None
                        else "",
                    }
                    for line in quote.lines
                ],
                "currency": quote.currency,
                "date": quote.received_on or dt.date.today(),
                "lead_time_days": "" if quote.lead_time_days is None else str(quote.lead_time_days),
                "valid_until": quote.valid_until,
                "reference": quote.reference or "",
            }
        )
    else:
        form = QuoteForm()

    def save():
        prices = {entry.form.product.data: entry.form.price.data.strip() for entry in form.prices}
        record_quote(
            session,
            g.company,
            found.number,
            supplier,
            prices,
            lead_time_days=form.lead_time_days.data,
            valid_until=form.valid_until.data,
            currency=(form.currency.data or "").strip() or None,
            date=form.date.data,
            reference=form.reference.data,
        )
        flash(_("%(supplier)s's quote is recorded.", supplier=supplier))
        return redirect(rfq_url(found.number))

    quantities = {line.product.sku: (quantity(line.product, line.quantity_units), line.product.unit.code)
                  for line in quote.lines}
    return form_page(form, save, template="procurement/quote_form.html", rfq=found, quote=quote,
                     quantities=quantities,
                     title=_("Quote of %(supplier)s for %(number)s", supplier=supplier, number=found.number),
                     cancel=rfq_url(found.number))


@blueprint.post("/rfqs/<number>/choose", endpoint="choose_quote")
@permission("procurement.buy")
def choose_quote_view(number: str):
    form = ChooseForm()
    checked(form)
    order = choose_quote(db_session(), g.company, number, form.supplier.data, by=me())
    flash(_("%(supplier)s's quote is chosen: purchase order %(number)s is a draft.",
            supplier=form.supplier.data, number=order.number))
    return redirect(order_url(order.number))


@blueprint.post("/rfqs/<number>/cancel", endpoint="cancel_rfq")
@permission("procurement.buy")
def cancel_rfq_view(number: str):
    checked(ActionForm())
    found = cancel_rfq(db_session(), g.company, number)
    flash(_("%(number)s is cancelled.", number=found.number))
    return redirect(rfq_url(found.number))

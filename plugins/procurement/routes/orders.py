"""Purchase orders: the list, one order (its receipt, bill and payment
status, with links to wms's receipts and finance's bills), a new order,
confirming, approving (``procurement.approve``), cancelling, receiving goods
and returning them."""

from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.errors import Invalid
from core.models import Party
from plugins.procurement.billing import bills_of
from plugins.procurement.models import OrderState, PaymentState, Progress, PurchaseOrder, Receipt
from plugins.procurement.orders import (
    OrderLineInput,
    approve_order,
    cancel_order,
    confirm_order,
    create_order,
    find_order,
    open_receipts,
)
from plugins.procurement.receiving import receive, still_expected
from plugins.procurement.returns import return_goods, returns_of
from plugins.procurement.routes import blueprint
from plugins.procurement.routes.common import (
    ActionForm,
    checked,
    choice,
    filter_links,
    has,
    hints,
    me,
    operation_word,
    order_url,
    receipt_url,
    typed,
    word,
)
from plugins.procurement.routes.forms import OrderForm, ReceiveForm, ReturnForm
from plugins.procurement.values import money, names_quantity, quantity
from plugins.procurement.views import order_data, return_data
from plugins.procurement.widgets import late_order_ids
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, Column, detail_page, list_page

__all__ = ["known"]

_LATE = {"1": True}


@blueprint.get("/orders", endpoint="orders")
@permission("procurement.view")
def orders():
    query = (select(PurchaseOrder).join(Party, Party.id == PurchaseOrder.party_id)
             .where(PurchaseOrder.company_id == g.company.id))
    state = choice("state", {s.value: s for s in OrderState})
    if state is not None:
        query = query.where(PurchaseOrder.state == state)
    received = choice("receipt", {p.value: p for p in Progress})
    if received is not None:
        query = query.where(PurchaseOrder.receipt_state == received)
    billed = choice("bill", {p.value: p for p in Progress})
    if billed is not None:
        query = query.where(PurchaseOrder.bill_state == billed)
    supplier = request.args.get("supplier", "").strip()[:40]
    if supplier:
        query = query.where(Party.code == supplier)
    if choice("late", _LATE):
        query = query.where(PurchaseOrder.id.in_(late_order_ids(g.company, dt.date.today())))
    columns = [
        Column(
            "number", _l("Number"), PurchaseOrder.number, searchable=True, link=lambda o: order_url(o.number)
        ),
        Column("date", _l("Date"), PurchaseOrder.date, kind=DATE),
        Column("supplier", _l("Supplier"), Party.code, searchable=True, get=lambda o: o.party.code),
        Column("supplier_name", _l("Supplier name"), Party.name, searchable=True, get=lambda o: o.party.name),
        Column("state", _l("State"), PurchaseOrder.state, get=lambda o: word(o.state)),
        Column(
            "receipt_state", _l("Received"), PurchaseOrder.receipt_state, get=lambda o: word(o.receipt_state)
        ),
        Column("bill_state", _l("Billed"), PurchaseOrder.bill_state, get=lambda o: word(o.bill_state)),
        Column("payment_state", _l("Paid"), PurchaseOrder.payment_state, get=lambda o: word(o.payment_state)),
        Column(
            "untaxed",
            _l("Untaxed"),
            PurchaseOrder.untaxed_units,
            kind=AMOUNT,
            get=lambda o: money(o.untaxed_units, o.currency),
            currency=lambda o: o.currency,
        ),
        Column("reference", _l("Reference"), PurchaseOrder.reference, searchable=True),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in OrderState]
    actions = [(_("New purchase order"), url_for("procurement.new_order"))] \
        if "procurement.buy" in g.permissions else []
    return list_page(
        query,
        columns,
        title=_("Purchase orders"),
        default_sort="-number",
        tiebreak=[PurchaseOrder.id],
        filename="purchase-orders",
        template="procurement/list.html",
        actions=actions,
        filter_groups=[(_("State"), filter_links("state", states))],
        links=[
            (_("Requests for quotation"), url_for("procurement.rfqs")),
            (_("Late receipts"), url_for("procurement.orders", late="1")),
        ],
    )


@blueprint.get("/orders/<number>", endpoint="order")
@permission("procurement.view")
def order(number: str):
    session, company = db_session(), g.company
    po = find_order(session, company, number)
    record = {**order_data(session, company, po), "url": order_url(po.number),
              "returns": [return_data(r) for r in returns_of(session, company, po)]}
    history = session.scalars(select(Receipt).where(Receipt.order_id == po.id).order_by(Receipt.id)).all()
    wms_receipts = []
    if has("wms"):
        from plugins.procurement.common import origin_of
        from plugins.procurement.partners import wms_api

        wms_receipts = [op for op in wms_api().operations_of_origin(session, company, origin_of(po.number))
                        if op.kind == "receipt"]
    return detail_page(
        "procurement/order.html",
        record,
        po=po,
        data=record,
        word=word,
        form=ActionForm(),
        bills=bills_of(session, company, po),
        history=history,
        wms_receipts=wms_receipts,
        receipt_url=receipt_url,
        operation_word=operation_word,
        waiting=open_receipts(session, company, po),
        money=money,
        quantity=quantity,
        with_wms=has("wms"),
        may_approve=po.state is OrderState.TO_APPROVE and "procurement.approve" in g.permissions,
        paid=po.payment_state is PaymentState.PAID,
    )


@blueprint.route("/orders/-/new", methods=["GET", "POST"], endpoint="new_order")
@permission("procurement.buy")
def new_order():
    form = OrderForm()
    if request.method == "GET":
        form.date.data = dt.date.today()
        form.supplier.data = request.args.get("supplier", "")[:40]
        form.requisition.data = request.args.get("requisition", "")[:20]
    if not has("wms"):
        del form.warehouse

    def create():
        session, company = db_session(), g.company
        lines = [OrderLineInput(e.form.product.data.strip(), e.form.quantity.data.strip(),
                                (e.form.price.data or "").strip() or None,
                                (e.form.expected.data or "").strip() or None)
                 for e in form.lines if e.form.entered()]
        po = create_order(
            session,
            company,
            form.supplier.data.strip(),
            lines,
            date=form.date.data,
            currency=(form.currency.data or "").strip() or None,
            requisition=(form.requisition.data or "").strip() or None,
            warehouse=(form.warehouse.data or "").strip() or None if "warehouse" in form else None,
            reference=form.reference.data,
            note=form.note.data,
            by=me(),
        )
        if form.confirm.data:
            po = confirm_order(session, company, po.number, date=form.date.data, by=me())
            flash(_("Purchase order %(number)s is %(state)s.", number=po.number, state=word(po.state)))
        else:
            flash(_("Draft purchase order %(number)s is written.", number=po.number))
        return redirect(order_url(po.number))

    fields = (
        ["supplier", "date", "currency", "requisition"]
        + (["warehouse"] if "warehouse" in form else [])
        + ["reference", "note"]
    )
    return form_page(
        form,
        create,
        template="procurement/lines_form.html",
        hints=hints(),
        title=_("New purchase order"),
        cancel=url_for("procurement.orders"),
        fields=fields,
        columns=["product", "quantity", "price", "expected"],
        after=["confirm"],
        help=_(
            "Leave the price empty for the supplier's catalogue price, the expected date empty "
            "for the order date plus the supplier's lead time. With a requisition and no lines, "
            "its lines are ordered."
        ),
    )


@blueprint.post("/orders/<number>/confirm", endpoint="confirm_order")
@permission("procurement.buy")
def confirm_order_view(number: str):
    checked(ActionForm())
    po = confirm_order(db_session(), g.company, number, by=me())
    if po.state is OrderState.TO_APPROVE:
        flash(_("%(number)s waits for a purchasing manager's approval.", number=po.number))
    else:
        flash(_("%(number)s is confirmed.", number=po.number))
    return redirect(order_url(po.number))


@blueprint.post("/orders/<number>/approve", endpoint="approve_order")
@permission("procurement.approve")
def approve_order_view(number: str):
    checked(ActionForm())
    po = approve_order(db_session(), g.company, number, me())
    flash(_("%(number)s is approved and confirmed.", number=po.number))
    return redirect(order_url(po.number))


@blueprint.post("/orders/<number>/cancel", endpoint="cancel_order")
@permission("procurement.buy")
def cancel_order_view(number: str):
    checked(ActionForm())
    po = cancel_order(db_session(), g.company, number)
    flash(_("%(number)s is cancelled.", number=po.number))
    return redirect(order_url(po.number))


@blueprint.route("/orders/<number>/receive", methods=["GET", "POST"], endpoint="receive")
@permission("procurement.buy")
def receive_view(number: str):
    session, company = db_session(), g.company
    po = find_order(session, company, number)
    if request.method == "GET":
        form = ReceiveForm(data={"date": dt.date.today(), "lines": [
            {"product": line.product.sku,
             "quantity": typed(quantity(line.product, still_expected(line)))}
            for line in po.lines]})
    else:
        form = ReceiveForm()
    if has("wms"):
        del form.reference  # the wms receipt's number is the reference (the service refuses one)

    def done():
        amounts: dict[str, str] = {}
        for entry in form.lines:
            if names_quantity(entry.form.quantity.data):
                amounts[entry.form.product.data] = entry.form.quantity.data.strip()
        if not amounts:
            raise Invalid(_("Enter at least one quantity received."))
        received = receive(session, company, po.number, amounts, date=form.date.data,
                           reference=form.reference.data or None if "reference" in form else None)
        flash(_("Goods of %(number)s are received (%(state)s).", number=received.number,
                state=word(received.receipt_state)))
        return redirect(order_url(received.number))

    return form_page(
        form,
        done,
        template="procurement/quantities_form.html",
        po=po,
        prices=False,
        known=known(po),
        title=_("Receive goods of %(number)s", number=po.number),
        cancel=order_url(po.number),
        help=_("What is not received now stays expected (with wms: on the receipt's backorder)."),
    )


def known(po: PurchaseOrder) -> dict:
    """Per product of the order: (ordered, received, unit) for the quantity forms."""
    found: dict = {}
    for line in po.lines:
        ordered, received, unit = found.get(line.product.sku, (0, 0, line.product.unit.code))
        found[line.product.sku] = (ordered + quantity(line.product, line.quantity_units),
                                   received + quantity(line.product, line.received_units), unit)
    return found


@blueprint.route("/orders/<number>/return", methods=["GET", "POST"], endpoint="return_goods")
@permission("procurement.buy")
def return_view(number: str):
    session, company = db_session(), g.company
    po = find_order(session, company, number)
    form = ReturnForm()
    if request.method == "GET":
        form.date.data = dt.date.today()
        form.product.data = po.lines[0].product.sku if len(po.lines) == 1 else ""

    def send_back():
        row = return_goods(session, company, po.number, form.product.data.strip(), form.quantity.data.strip(),
                           form.reason.data, date=form.date.data)
        flash(_("Return %(number)s is recorded.", number=row.number))
        return redirect(order_url(po.number))

    return form_page(form, send_back, title=_("Return goods of %(number)s", number=po.number),
                     cancel=order_url(po.number))

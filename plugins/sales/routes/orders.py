"""Quotations and orders: the list, one order's page (lines, delivery, invoices, payment) and what one
does to it: add and remove lines, send, confirm, deliver, invoice, cancel. Set-up pages (settings,
customer terms, price lists) are in :mod:`plugins.sales.routes.orders_setup`, contracts in
:mod:`plugins.sales.routes.orders_contracts`."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core import MenuItem
from core.errors import Invalid
from core.models import Party
from plugins.sales import partners
from plugins.sales.documents import Order, OrderState, Progress
from plugins.sales.order_common import check_editable, find_order, is_cancellable, is_editable
from plugins.sales.order_views import order_data, partner_data
from plugins.sales.orders import (
    LineSpec,
    add_line,
    cancel,
    confirm,
    create_quotation,
    remove_line,
    send,
    update_quotation,
)
from plugins.sales.routes import blueprint
from plugins.sales.routes.orders_common import (
    N_,
    ActionForm,
    AddLineForm,
    DeliverForm,
    HeaderForm,
    QuotationForm,
    checked,
    partner_url,
    text_of,
    word,
)
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, Column, choice, detail_page, filter_links, list_page

__all__ = ["MENU"]

MENU = [
    MenuItem(N_("Quotations and orders"), "sales.orders", "sales.view", order=54),
    MenuItem(N_("Contracts"), "sales.contracts", "sales.view", order=55),
    MenuItem(N_("Sales set-up"), "sales.order_settings", "sales.view", order=56),
]


# The states of wms's deliveries and finance's invoices as the order page shows them.
_PARTNER_WORDS = {
    "draft": N_("draft"),
    "ready": N_("ready"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
    "posted": N_("posted"),
    "not_paid": N_("not paid"),
    "partial": N_("partly paid"),
    "paid": N_("paid"),
}


def _partner_word(value: str) -> str:
    return _(_PARTNER_WORDS[value]) if value in _PARTNER_WORDS else value


def order_url(order: Order) -> str:
    return url_for("sales.order", number=order.number)


@blueprint.get("/orders", endpoint="orders")
@permission("sales.view")
def orders():
    query = (select(Order).join(Party, Party.id == Order.party_id).options(contains_eager(Order.party))
             .where(Order.company_id == g.company.id))
    state = choice("state", {s.value: s for s in OrderState})
    if state is not None:
        query = query.where(Order.state == state)
    delivery = choice("delivery", {p.value: p for p in Progress})
    if delivery is not None:
        query = query.where(Order.delivery_state == delivery)
    columns = [
        Column("number", _l("Number"), Order.number, searchable=True, link=order_url),
        Column("state", _l("State"), Order.state, get=lambda o: word(o.state)),
        Column("customer", _l("Customer"), Party.name, searchable=True, get=lambda o: o.party.name),
        Column("date", _l("Date"), Order.date, kind=DATE),
        Column("confirmed_on", _l("Confirmed"), Order.confirmed_on, kind=DATE),
        Column("untaxed", _l("Untaxed"), Order.untaxed_units, kind=AMOUNT,
               get=lambda o: order_data(g.company, o)["untaxed"]),
        Column("delivery_state", _l("Delivered"), Order.delivery_state, get=lambda o: word(o.delivery_state)),
        Column("invoice_state", _l("Invoiced"), Order.invoice_state, get=lambda o: word(o.invoice_state)),
        Column("payment_state", _l("Paid"), Order.payment_state, get=lambda o: word(o.payment_state)),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in OrderState]
    deliveries = [("", _("Any delivery"))] + [(p.value, word(p).capitalize()) for p in Progress]
    actions = [(_("New quotation"), url_for("sales.new_quotation"))] if "sales.sell" in g.permissions else []
    return list_page(
        query,
        columns,
        title=_("Quotations and orders"),
        default_sort="-number",
        tiebreak=[Order.id],
        filename="orders",
        template="sales/order_list.html",
        actions=actions,
        filter_groups=[
            (_("State"), filter_links("state", states)),
            (_("Delivered"), filter_links("delivery", deliveries)),
        ],
    )


@blueprint.get("/orders/<number>", endpoint="order")
@permission("sales.view")
def order(number: str):
    session = db_session()
    row = find_order(session, g.company, number)
    data = {**order_data(g.company, row), **partner_data(session, g.company, row)}
    for d in data["deliveries"]:
        d["url"] = partner_url("wms.operation", "wms.view", number=d["number"])
        d["state_word"] = _partner_word(d["state"])
    for i in data["invoices"]:
        i["url"] = partner_url("finance.document", "finance.view", ref=i["number"]) if i["number"] else None
        i["payment_word"] = _partner_word(i["payment_state"])
    return detail_page(
        "sales/order.html",
        data,
        order=row,
        data=data,
        word=word,
        editable=is_editable(row),
        cancellable=is_cancellable(row),
        finance=partners.installed(session, g.company, "finance"),
        wms=partners.installed(session, g.company, "wms"),
        form=ActionForm(),
        line_form=AddLineForm(formdata=None),
        deliver_form=DeliverForm(formdata=None),
    )


@blueprint.route("/orders/new", methods=["GET", "POST"], endpoint="new_quotation")
@permission("sales.sell")
def new_quotation():
    form = QuotationForm()
    if request.method == "GET" and request.args.get("party"):
        form.party.data = request.args["party"][:40]

    def create():
        specs = [LineSpec(text_of(line.product) or "", text_of(line.quantity) or "", text_of(line.price),
                          text_of(line.discount)) for line in (entry.form for entry in form.lines)
                 if line.entered()]
        for spec in specs:
            if not spec.product or not spec.quantity:
                raise Invalid(_("Each line needs a product and a quantity."))
        created = create_quotation(db_session(), g.company, form.party.data.strip(), specs,
                                   date=text_of(form.date), valid_until=text_of(form.valid_until),
                                   commitment=text_of(form.commitment), price_list=text_of(form.price_list),
                                   salesperson=text_of(form.salesperson), note=text_of(form.note))
        flash(_("Quotation %(number)s is written.", number=created.number))
        return redirect(order_url(created))

    return form_page(form, create, template="sales/order_form.html", title=_("New quotation"),
                     cancel=url_for("sales.orders"))


@blueprint.route("/orders/<number>/edit", methods=["GET", "POST"], endpoint="edit_quotation")
@permission("sales.sell")
def edit_quotation(number: str):
    row = find_order(db_session(), g.company, number)
    check_editable(row)
    form = HeaderForm(data={"valid_until": row.valid_until.isoformat() if row.valid_until else "",
                            "commitment": row.commitment.isoformat() if row.commitment else "",
                            "salesperson": row.salesperson.username if row.salesperson else "",
                            "note": row.note or ""})

    def save():
        update_quotation(db_session(), g.company, row.number, valid_until=text_of(form.valid_until),
                         commitment=text_of(form.commitment), salesperson=text_of(form.salesperson),
                         note=text_of(form.note))
        flash(_("%(number)s is saved.", number=row.number))
        return redirect(order_url(row))

    return form_page(form, save, title=_("Quotation %(number)s", number=row.number), cancel=order_url(row))


def _act(number: str) -> Order:
    checked(ActionForm())
    return find_order(db_session(), g.company, number)


@blueprint.post("/orders/<number>/lines", endpoint="add_line")
@permission("sales.sell")
def add_order_line(number: str):
    form = AddLineForm()
    checked(form)
    row = add_line(
        db_session(),
        g.company,
        number,
        LineSpec(
            form.product.data.strip(), form.quantity.data.strip(), text_of(form.price), text_of(form.discount)
        ),
    )
    flash(_("The line is added."))
    return redirect(order_url(row))


@blueprint.post("/orders/<number>/lines/<int:position>/remove", endpoint="remove_line")
@permission("sales.sell")
def remove_order_line(number: str, position: int):
    row = remove_line(db_session(), g.company, _act(number).number, position)
    flash(_("The line is removed."))
    return redirect(order_url(row))


@blueprint.post("/orders/<number>/send", endpoint="send")
@permission("sales.sell")
def send_quotation(number: str):
    row = send(db_session(), g.company, _act(number).number)
    flash(_("%(number)s is sent.", number=row.number))
    return redirect(order_url(row))


@blueprint.post("/orders/<number>/confirm", endpoint="confirm")
@permission("sales.sell")
def confirm_order(number: str):
    row = confirm(db_session(), g.company, _act(number).number)
    flash(_("%(number)s is confirmed.", number=row.number))
    return redirect(order_url(row))


@blueprint.post("/orders/<number>/cancel", endpoint="cancel")
@permission("sales.sell")
def cancel_order(number: str):
    row = cancel(db_session(), g.company, _act(number).number)
    flash(_("%(number)s is cancelled.", number=row.number))
    return redirect(order_url(row))


@blueprint.post("/orders/<number>/deliver", endpoint="deliver")
@permission("sales.sell")
def deliver_order(number: str):
    from plugins.sales.fulfilment import deliver

    form = DeliverForm()
    checked(form)
    row = deliver(db_session(), g.company, find_order(db_session(), g.company, number).number,
                  date=text_of(form.date))
    flash(_("What was ready of %(number)s is delivered.", number=row.number))
    return redirect(order_url(row))


@blueprint.post("/orders/<number>/invoice", endpoint="invoice")
@permission("sales.sell")
def invoice_order(number: str):
    from plugins.sales.billing import invoice_order as invoice

    doc = invoice(db_session(), g.company, _act(number).number)
    flash(_("Invoice %(invoice)s is posted.", invoice=doc.number))
    return redirect(url_for("sales.order", number=number))




from plugins.sales.routes import orders_contracts, orders_setup  # noqa: E402,F401

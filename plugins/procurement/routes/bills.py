"""Supplier bills: the list (held ones with their reasons), one bill with
the three-way match per line, entering a bill of an order, releasing a held
bill (``procurement.approve``, with the reason) and paying a posted one."""

from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.models import Party
from plugins.procurement.billing import (
    BillLineInput,
    enter_bill,
    find_bill,
    pay_bill,
    refuse_bill,
    release_bill,
    still_to_bill,
)
from plugins.procurement.models import Bill, BillState, PurchaseOrder
from plugins.procurement.orders import find_order
from plugins.procurement.routes import blueprint
from plugins.procurement.routes.common import (
    ActionForm,
    bill_url,
    checked,
    choice,
    document_url,
    filter_links,
    has,
    me,
    order_url,
    typed,
    word,
)
from plugins.procurement.routes.forms import BillForm, PayForm, RefuseForm, ReleaseForm
from plugins.procurement.routes.orders import known
from plugins.procurement.values import money, names_quantity, quantity
from plugins.procurement.views import bill_data
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, Column, detail_page, list_page

__all__: list[str] = []

_PAID = {"1": True, "0": False}


@blueprint.get("/bills", endpoint="bills")
@permission("procurement.view")
def bills():
    query = (select(Bill).join(Party, Party.id == Bill.party_id)
             .join(PurchaseOrder, PurchaseOrder.id == Bill.order_id).where(Bill.company_id == g.company.id))
    state = choice("state", {s.value: s for s in BillState})
    if state is not None:
        query = query.where(Bill.state == state)
    paid = choice("paid", _PAID)
    if paid is not None:
        query = query.where(Bill.paid.is_(paid))
    columns = [
        Column("number", _l("Number"), Bill.number, searchable=True, link=lambda b: bill_url(b.number)),
        Column("date", _l("Date"), Bill.date, kind=DATE),
        Column("supplier", _l("Supplier"), Party.code, searchable=True, get=lambda b: b.party.code),
        Column("reference", _l("Supplier's number"), Bill.reference, searchable=True),
        Column(
            "order",
            _l("Purchase order"),
            PurchaseOrder.number,
            searchable=True,
            get=lambda b: b.order.number,
            link=lambda b: order_url(b.order.number),
        ),
        Column("state", _l("State"), Bill.state, get=lambda b: word(b.state)),
        Column(
            "untaxed",
            _l("Untaxed"),
            Bill.untaxed_units,
            kind=AMOUNT,
            get=lambda b: money(b.untaxed_units, b.currency),
            currency=lambda b: b.currency,
        ),
        Column("paid", _l("Paid"), Bill.paid, get=lambda b: _("paid") if b.paid else ""),
        Column(
            "held_reason",
            _l("Held because"),
            Bill.held_reason,
            get=lambda b: (
                b.held_reason.replace("\n", "; ") if b.state is BillState.HELD and b.held_reason else None
            ),
        ),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in BillState]
    return list_page(query, columns, title=_("Supplier bills"), default_sort="-number", tiebreak=[Bill.id],
                     filename="supplier-bills", template="procurement/list.html",
                     filter_groups=[(_("State"), filter_links("state", states))])


@blueprint.get("/bills/<number>", endpoint="bill")
@permission("procurement.view")
def bill(number: str):
    found = find_bill(db_session(), g.company, number)
    record = {**bill_data(found), "url": bill_url(found.number)}
    ref = found.document_number or found.document_id
    return detail_page("procurement/bill.html", record, bill=found, data=record, word=word, form=ActionForm(),
                       release=ReleaseForm(), refuse=RefuseForm(), pay=PayForm(date=dt.date.today()),
                       document_link=document_url(ref) if has("finance") else None, document_ref=ref)


@blueprint.route("/orders/<number>/bill", methods=["GET", "POST"], endpoint="new_bill")
@permission("procurement.buy")
def new_bill(number: str):
    session, company = db_session(), g.company
    po = find_order(session, company, number)
    if request.method == "GET":
        form = BillForm(data={"date": dt.date.today(), "lines": [
            {"product": line.product.sku,
             "quantity": typed(quantity(line.product, still_to_bill(session, line))),
             "price": typed(money(line.price_units, po.currency))} for line in po.lines]})
    else:
        form = BillForm()

    def enter():
        lines = []
        for entry in form.lines:
            if names_quantity(entry.form.quantity.data):
                price = (entry.form.price.data or "").strip() or None
                lines.append(BillLineInput(entry.form.product.data, entry.form.quantity.data.strip(), price))
        if not lines:
            from core.errors import Invalid

            raise Invalid(_("Enter at least one quantity billed."))
        entered = enter_bill(
            session, company, po.number, form.reference.data, lines, date=form.date.data, by=me()
        )
        if entered.state is BillState.HELD:
            flash(_("Bill %(number)s does not match the order and what was received: it is held.",
                    number=entered.number), "error")
        else:
            flash(_("Bill %(number)s matches and is posted.", number=entered.number))
        return redirect(bill_url(entered.number))

    return form_page(
        form,
        enter,
        template="procurement/quantities_form.html",
        po=po,
        prices=True,
        known=known(po),
        title=_("Supplier bill of %(number)s", number=po.number),
        cancel=order_url(po.number),
        help=_(
            "A bill is matched against the order and what was received, within the company's "
            "tolerances; one that does not match is held until a purchasing manager releases it."
        ),
    )


@blueprint.post("/bills/<number>/release", endpoint="release_bill")
@permission("procurement.approve")
def release_bill_view(number: str):
    form = ReleaseForm()
    checked(form)
    released = release_bill(db_session(), g.company, number, me(), form.note.data)
    flash(_("Bill %(number)s is released and posted.", number=released.number))
    return redirect(bill_url(released.number))


@blueprint.post("/bills/<number>/refuse", endpoint="refuse_bill")
@permission("procurement.approve")
def refuse_bill_view(number: str):
    form = RefuseForm()
    checked(form)
    refused = refuse_bill(db_session(), g.company, number, me(), form.note.data)
    flash(_("Bill %(number)s is refused: nothing of it reaches the books.", number=refused.number))
    return redirect(bill_url(refused.number))


@blueprint.post("/bills/<number>/pay", endpoint="pay_bill")
@permission("procurement.approve")
def pay_bill_view(number: str):
    form = PayForm()
    checked(form)
    paid = pay_bill(db_session(), g.company, number, date=form.date.data)
    flash(_("Bill %(number)s is paid.", number=paid.number) if paid.paid else
          _("The payment of bill %(number)s is registered.", number=paid.number))
    return redirect(bill_url(paid.number))


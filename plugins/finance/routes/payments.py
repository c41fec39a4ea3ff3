"""Payments: the list, a payment with what it settled, registering one and
settling more with what is left of it."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from wtforms.fields.choices import SelectChoice

from core.catalog import get_party
from core.errors import NotFound
from core.models import Party
from core.values import plain
from plugins.finance.documents import Allocation, Direction, Invoice, InvoiceState, Payment
from plugins.finance.invoices import find_invoice
from plugins.finance.models import Journal, JournalKind
from plugins.finance.routes import blueprint
from plugins.finance.routes.common import (
    choice,
    document_ref,
    document_url,
    filter_links,
    find_payment,
    money_of,
    payment_url,
    word,
)
from plugins.finance.routes.editing import MAX_CHOICES
from plugins.finance.routes.forms import AllocateForm, PaymentForm
from plugins.finance.settlement import allocate, register_payment
from plugins.finance.views import payment_data
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, Column, detail_page, list_page

__all__ = ["open_documents_of"]


@blueprint.get("/payments", endpoint="payments")
@permission("finance.view")
def payments():
    query = (select(Payment).join(Party, Party.id == Payment.party_id).options(contains_eager(Payment.party))
             .where(Payment.company_id == g.company.id))
    direction = choice("direction", {d.value: d for d in Direction})
    if direction is not None:
        query = query.where(Payment.direction == direction)
    if choice("open", {"1": True}):
        query = query.where(Payment.unallocated_units > 0)
    if request.args.get("party"):
        query = query.where(Payment.party_id == get_party(db_session(), g.company, request.args["party"]).id)
    columns = [
        Column("number", _l("Number"), Payment.number, searchable=True, link=payment_url),
        Column("date", _l("Date"), Payment.date, kind=DATE),
        Column("party", _l("Party"), Party.code, searchable=True, get=lambda p: p.party.code),
        Column("party_name", _l("Name"), Party.name, searchable=True, get=lambda p: p.party.name),
        Column("direction", _l("Direction"), Payment.direction, get=lambda p: word(p.direction)),
        Column("amount", _l("Amount"), Payment.amount_units, kind=AMOUNT, currency=lambda p: p.currency,
               get=lambda p: money_of(p.amount_units, p.currency)),
        Column("unallocated", _l("Unallocated"), Payment.unallocated_units, kind=AMOUNT,
               currency=lambda p: p.currency, get=lambda p: money_of(p.unallocated_units, p.currency)),
        Column("currency", _l("Currency"), Payment.currency),
        Column("reference", _l("Reference"), Payment.reference, searchable=True),
    ]
    actions = (
        [(_("Register a payment"), url_for("finance.new_payment"))]
        if "finance.payment" in g.permissions
        else []
    )
    filters = filter_links(
        "direction", [("", _("All")), ("inbound", _("Paid in")), ("outbound", _("Paid out"))]
    )
    return list_page(query, columns, title=_("Payments"), default_sort="-date", tiebreak=[Payment.id],
                     filename="payments", template="finance/list.html", actions=actions, filters=filters)


def open_documents_of(party: Party) -> list[Invoice]:
    """The party's posted documents with something left to settle, oldest due first."""
    return list(
        db_session().scalars(
            select(Invoice)
            .where(
                Invoice.company_id == g.company.id,
                Invoice.party_id == party.id,
                Invoice.state == InvoiceState.POSTED,
                Invoice.residual_units > 0,
            )
            .order_by(Invoice.due_date, Invoice.id)
        )
    )


@blueprint.get("/payments/<path:number>", endpoint="payment")
@permission("finance.view")
def payment(number: str):
    session = db_session()
    paid = find_payment(number)
    record = {**payment_data(session, paid), "url": payment_url(paid)}
    allocations = {a["invoice"]: url_for("finance.document", ref=a["invoice"]) for a in record["allocations"]}
    sign = 1 if paid.direction == Direction.INBOUND else -1
    candidates = [
        i for i in open_documents_of(paid.party) if i.kind.sign == sign and i.currency == paid.currency
    ]
    form = AllocateForm()
    form.invoice.choices = [SelectChoice(str(i.id), _document_choice(i)) for i in candidates]
    return detail_page("finance/payment.html", record, pay=paid, data=record, links=allocations, form=form,
                       direction=word(paid.direction), candidates=candidates)


def _document_choice(invoice: Invoice) -> str:
    from web.i18n import day, money

    return _("%(number)s · due %(day)s · %(open)s open", number=invoice.number, day=day(invoice.due_date),
             open=money(money_of(invoice.residual_units, invoice.currency), invoice.currency))


@blueprint.post("/payments/<path:number>/allocate", endpoint="allocate_payment")
@permission("finance.payment")
def allocate_payment(number: str):
    session = db_session()
    paid = find_payment(number)
    form = AllocateForm()
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))
    invoice = find_invoice(session, g.company, form.invoice.data)
    allocate(session, g.company, paid, invoice, (form.amount.data or "").strip() or None)
    flash(_("%(payment)s now settles %(number)s.", payment=paid.number, number=invoice.number))
    return redirect(payment_url(paid))


def _journals() -> list[Journal]:
    return list(db_session().scalars(select(Journal).where(
        Journal.company_id == g.company.id, Journal.kind.in_([JournalKind.BANK, JournalKind.CASH]),
        Journal.account_id.is_not(None)).order_by(Journal.id)))


def _preset(form: PaymentForm) -> None:
    """A GET: today, the company currency; ``?invoice=`` presets its party, direction, currency and
    open amount and ticks it; ``?party=`` lists that party's open documents."""
    form.date.data = dt.date.today()
    form.currency.data = g.company.currency
    form.direction.data = Direction.INBOUND.value
    chosen = None
    if request.args.get("invoice"):
        chosen = find_invoice(db_session(), g.company, request.args["invoice"])
        form.party.data = chosen.party.code
        form.currency.data = chosen.currency
        form.direction.data = (Direction.INBOUND if chosen.kind.sign == 1 else Direction.OUTBOUND).value
        form.amount.data = plain(
            money_of(chosen.residual_units, chosen.currency)
        )  # read back by parse_amount
    elif request.args.get("party"):
        form.party.data = get_party(db_session(), g.company, request.args["party"]).code
        if request.args.get("direction") in {d.value for d in Direction}:
            form.direction.data = request.args["direction"]
    if form.party.data:
        for invoice in open_documents_of(get_party(db_session(), g.company, form.party.data)):
            form.documents.append_entry({"invoice": str(invoice.id), "settle": chosen is not None
                                         and invoice.id == chosen.id})


def _rows(form: PaymentForm) -> list[tuple]:
    """Each document row of the form with its document (``None`` if it is not one of this company's)."""
    rows = []
    for entry in form.documents:
        try:
            invoice = find_invoice(db_session(), g.company, entry.form.invoice.data or "")
        except NotFound:
            invoice = None
        rows.append((entry.form, invoice))
    return rows


@blueprint.route("/payments/-/new", methods=["GET", "POST"], endpoint="new_payment")
@permission("finance.payment")
def new_payment():
    session = db_session()
    form = PaymentForm()
    form.direction.choices = [SelectChoice(d.value, word(d)) for d in Direction]
    journals = _journals()
    form.journal.choices = [SelectChoice(j.code, f"{j.code} · {j.name}") for j in journals]
    if request.method == "GET":
        _preset(form)
    rows = _rows(form)

    def register():
        if any(invoice is None for _form, invoice in rows):
            raise NotFound(_("A document to settle is not one of this company's."))
        chosen = [(invoice, (row.amount.data or "").strip() or None) for row, invoice in rows if row.chosen()]
        paid = register_payment(session, g.company, form.party.data.strip(), form.amount.data.strip(),
                                form.date.data, direction=form.direction.data, journal=form.journal.data,
                                currency=form.currency.data.strip().upper(), invoices=chosen or None,
                                reference=form.reference.data or "", memo=form.memo.data or "")
        settled = ", ".join(a.invoice.number for a in _allocations(paid)) or _("nothing yet")
        flash(_("Payment %(number)s is registered; it settles %(documents)s.", number=paid.number,
                documents=settled))
        return redirect(payment_url(paid))

    return form_page(form, register, template="finance/payment_form.html", title=_("Register a payment"),
                     rows=rows, word=word, cancel=url_for("finance.payments"), document_ref=document_ref,
                     document_url=document_url, money_of=money_of, parties=_parties())


def _allocations(paid: Payment):
    return db_session().scalars(
        select(Allocation).where(Allocation.payment_id == paid.id).order_by(Allocation.id)
    )


def _parties():
    return db_session().execute(select(Party.code, Party.name).where(Party.company_id == g.company.id)
                                .order_by(Party.code).limit(MAX_CHOICES)).all()


"""Invoices and bills: the two lists, a document's page and what one does to
it (post, delete a draft, credit a posted one)."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.catalog import get_party
from core.models import Party
from plugins.finance.documents import Invoice, InvoiceState, PaymentState
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import delete_draft, find_invoice
from plugins.finance.overdue import is_overdue, overdue_condition
from plugins.finance.routes import blueprint
from plugins.finance.routes.common import (
    PURCHASE_KINDS,
    SALE_KINDS,
    choice,
    document_ref,
    document_title,
    document_url,
    filter_links,
    money_of,
    status_word,
    word,
)
from plugins.finance.routes.forms import ActionForm, CreditForm
from plugins.finance.views import invoice_data
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, Column, detail_page, list_page

__all__ = ["tax_summary", "credit_notes_of"]

_STATES = {state: state for state in ("draft", "posted", "open", "overdue", "paid")}


def _filtered(query, kinds):
    state = choice("state", _STATES)
    if state == "draft":
        query = query.where(Invoice.state == InvoiceState.DRAFT)
    elif state == "posted":
        query = query.where(Invoice.state == InvoiceState.POSTED)
    elif state == "open":
        query = query.where(Invoice.state == InvoiceState.POSTED, Invoice.residual_units > 0)
    elif state == "overdue":
        query = query.where(overdue_condition())
    elif state == "paid":
        query = query.where(Invoice.state == InvoiceState.POSTED, Invoice.payment_state == PaymentState.PAID)
    kind = choice("kind", {k.value: k for k in kinds})
    if kind is not None:
        query = query.where(Invoice.kind == kind)
    if request.args.get("party"):
        query = query.where(Invoice.party_id == get_party(db_session(), g.company, request.args["party"]).id)
    return query


def _document_list(kinds, title: str, new_endpoint: str, filename: str):
    query = (select(Invoice).join(Party, Party.id == Invoice.party_id).options(contains_eager(Invoice.party))
             .where(Invoice.company_id == g.company.id, Invoice.kind.in_(kinds)))
    columns = [
        Column(
            "number",
            _l("Number"),
            Invoice.number,
            searchable=True,
            link=document_url,
            get=lambda r: r.number or _("Draft #%(id)s", id=r.id),
        ),
        Column("kind", _l("Kind"), Invoice.kind, get=lambda r: word(r.kind)),
        Column("party", _l("Party"), Party.code, searchable=True, get=lambda r: r.party.code),
        Column("party_name", _l("Name"), Party.name, searchable=True, get=lambda r: r.party.name),
        Column("reference", _l("Reference"), Invoice.reference, searchable=True),
        Column("date", _l("Date"), Invoice.date, kind=DATE),
        Column("due_date", _l("Due"), Invoice.due_date, kind=DATE),
        Column(
            "total",
            _l("Total"),
            Invoice.total_units,
            kind=AMOUNT,
            currency=lambda r: r.currency,
            get=lambda r: money_of(r.total_units, r.currency),
        ),
        Column(
            "residual",
            _l("Open"),
            Invoice.residual_units,
            kind=AMOUNT,
            currency=lambda r: r.currency,
            get=lambda r: money_of(r.residual_units, r.currency) if r.state == InvoiceState.POSTED else None,
        ),
        Column("currency", _l("Currency"), Invoice.currency),
        Column(
            "status",
            _l("Status"),
            get=lambda r: status_word(r) + (" · " + _("overdue") if is_overdue(r) else ""),
        ),
    ]
    states = [("", _("All")), ("draft", _("Drafts")), ("open", _("Open")), ("overdue", _("Overdue")),
              ("paid", _("Paid"))]
    actions = [(_("New"), url_for(new_endpoint))] if "finance.invoice" in g.permissions else []
    return list_page(_filtered(query, kinds), columns, title=title, default_sort="-date",
                     tiebreak=[Invoice.id], filename=filename, template="finance/list.html", actions=actions,
                     filters=filter_links("state", states))


@blueprint.get("/invoices", endpoint="invoices")
@permission("finance.view")
def invoices():
    return _document_list(SALE_KINDS, _("Invoices"), "finance.new_invoice", "invoices")


@blueprint.get("/bills", endpoint="bills")
@permission("finance.view")
def bills():
    return _document_list(PURCHASE_KINDS, _("Bills"), "finance.new_bill", "bills")


def tax_summary(invoice: Invoice) -> list[dict]:
    """Per tax: its code, name, rate, the net amount it applies to and the tax, in the document currency."""
    by_tax: OrderedDict[str, dict] = OrderedDict()
    for line in invoice.lines:
        for line_tax in line.taxes:
            tax = line_tax.tax
            entry = by_tax.setdefault(tax.code, {"code": tax.code, "name": tax.name, "base": 0, "amount": 0})
            entry["base"] += line.net_units
            entry["amount"] += line_tax.amount_units
    return [{**entry, "base": money_of(entry["base"], invoice.currency),
             "amount": money_of(entry["amount"], invoice.currency)} for entry in by_tax.values()]


def credit_notes_of(invoice: Invoice) -> list[Invoice]:
    return list(db_session().scalars(select(Invoice).where(
        Invoice.company_id == invoice.company_id, Invoice.credited_id == invoice.id).order_by(Invoice.id)))


def _settlement_links(record: dict) -> dict[str, str]:
    """The page each settling payment or document leads to."""
    return {s["by"]: url_for("finance.payment", number=s["by"]) if s["source"] == "payment"
            else url_for("finance.document", ref=s["by"]) for s in record["settlements"] if s["by"]}


@blueprint.get("/invoices/<path:ref>", endpoint="document")
@permission("finance.view")
def document(ref: str):
    session = db_session()
    invoice = find_invoice(session, g.company, ref)
    credits = credit_notes_of(invoice)
    record = {**invoice_data(session, invoice), "url": document_url(invoice),
              "credit_notes": [c.number or c.id for c in credits], "overdue": is_overdue(invoice)}
    today = dt.date.today()
    return detail_page(
        "finance/document.html",
        record,
        doc=invoice,
        data=record,
        credits=credits,
        heading=document_title(invoice),
        ref=document_ref(invoice),
        taxes=tax_summary(invoice),
        links=_settlement_links(record),
        status=status_word(invoice),
        form=ActionForm(),
        credit_form=CreditForm(date=max(invoice.date, today)),
    )


def _checked(form: ActionForm) -> None:
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))


@blueprint.post("/invoices/<path:ref>/post", endpoint="post_document")
@permission("finance.invoice")
def post_document(ref: str):
    _checked(ActionForm())
    invoice = post_invoice(db_session(), g.company, find_invoice(db_session(), g.company, ref))
    flash(_("Posted as %(number)s.", number=invoice.number))
    return redirect(document_url(invoice))


@blueprint.post("/invoices/<path:ref>/delete", endpoint="delete_document")
@permission("finance.invoice")
def delete_document(ref: str):
    _checked(ActionForm())
    invoice = find_invoice(db_session(), g.company, ref)
    back = url_for("finance.invoices" if invoice.kind in SALE_KINDS else "finance.bills")
    number = invoice.id
    delete_draft(db_session(), g.company, invoice)
    flash(_("Draft #%(id)s is deleted.", id=number))
    return redirect(back)


@blueprint.route("/invoices/<path:ref>/credit", methods=["GET", "POST"], endpoint="credit_document")
@permission("finance.invoice")
def credit_document(ref: str):
    invoice = find_invoice(db_session(), g.company, ref)
    form = CreditForm()
    if request.method == "GET":
        form.date.data = max(invoice.date, dt.date.today())

    def credited():
        credit = credit_note(
            db_session(), g.company, invoice, date=form.date.data, reason=form.reason.data or ""
        )
        flash(_("Draft credit note #%(id)s for %(number)s is created: check it and post it.", id=credit.id,
                number=invoice.number))
        return redirect(document_url(credit))

    return form_page(form, credited, title=_("Credit %(number)s", number=invoice.number or invoice.id),
                     submit=_("Create the credit note"), cancel=document_url(invoice))

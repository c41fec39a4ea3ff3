"""The document forms: a new invoice or bill, and changing a draft (its
header and its lines).

A fixed number of blank line rows, like the journal entry form; the taxes of
a blank row are filled with the side's default tax, and a row counts once
anything else is typed on it. What the services refuse shows above the form
and leaves nothing written.
"""

from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.currencies import CURRENCIES
from core.ledger import Account, AccountType
from core.values import plain
from plugins.finance.chart_templates import DEFAULT_TAX
from plugins.finance.documents import Invoice, InvoiceState
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import create_invoice, find_invoice, set_lines, update_draft
from plugins.finance.models import PaymentTerm, Rate, Tax, TaxScope
from plugins.finance.routes import blueprint
from plugins.finance.routes.common import KIND_WORDS, PURCHASE_KINDS, SALE_KINDS, document_url, word
from plugins.finance.routes.forms import BLANK_LINES, DocumentForm, HeaderForm, LinesForm
from plugins.finance.values import PERCENT_SCALE, PRICE_SCALE, QUANTITY_SCALE, trimmed, unfixed
from web.access import permission
from web.context import db_session
from web.forms import MAX_CHOICES, form_page, party_and_product_choices

__all__ = ["MAX_CHOICES"]



def _suggestions(sale: bool) -> dict:
    """What the inputs suggest (datalists), the payment terms and the default tax of the side."""
    session, company = db_session(), g.company
    scope = TaxScope.SALE if sale else TaxScope.PURCHASE
    kind = AccountType.INCOME if sale else AccountType.EXPENSE
    currencies = {company.currency, *session.scalars(select(Rate.currency).where(
        Rate.company_id == company.id).distinct())}
    return {
        **party_and_product_choices(),
        "accounts": session.execute(select(Account.code, Account.name).where(
            Account.company_id == company.id, Account.active, Account.type == kind)
            .order_by(Account.code).limit(MAX_CHOICES)).all(),
        "taxes": session.execute(select(Tax.code, Tax.name).where(
            Tax.company_id == company.id, Tax.scope == scope, Tax.active).order_by(Tax.code)).all(),
        "terms": session.execute(select(PaymentTerm.code, PaymentTerm.name).where(
            PaymentTerm.company_id == company.id).order_by(PaymentTerm.code)).all(),
        "currencies": sorted(code for code in currencies if code in CURRENCIES),
        "default_tax": DEFAULT_TAX[scope.value],
    }


def _fill_blank_taxes(form: LinesForm, default_tax: str) -> None:
    for entry in form.lines:
        if not entry.form.entered() and not entry.form.taxes.data:
            entry.form.taxes.data = default_tax


def _header(form: HeaderForm) -> dict:
    return {
        "currency": form.currency.data.strip().upper(),
        "term": form.term.data or "",
        "due": form.due.data,
        "reference": form.reference.data or "",
        "memo": form.memo.data or "",
    }


def _saved(invoice: Invoice, message: str):
    """Post it too when the form's "Save and post" was pressed."""
    if request.form.get("then") == "post":
        post_invoice(db_session(), g.company, invoice)
        flash(_("Posted as %(number)s.", number=invoice.number))
    else:
        flash(message)
    return redirect(document_url(invoice))


def _new(sale: bool):
    session = db_session()
    kinds = SALE_KINDS if sale else PURCHASE_KINDS
    hints = _suggestions(sale)
    form = DocumentForm()
    form.set_kinds([(k.value, _(KIND_WORDS[k])) for k in kinds])
    form.set_terms(hints["terms"])
    if request.method == "GET":
        form.date.data = dt.date.today()
        form.currency.data = g.company.currency
        wanted = request.args.get("kind")
        form.kind.data = wanted if wanted in {k.value for k in kinds} else kinds[0].value
        form.party.data = request.args.get("party", "")[:40]
        _fill_blank_taxes(form, hints["default_tax"])

    def create():
        header = _header(form)
        invoice = create_invoice(session, g.company, form.kind.data, form.party.data.strip(), form.date.data,
                                 form.entered(), currency=header["currency"], term=header["term"] or None,
                                 due=header["due"], reference=header["reference"], memo=header["memo"])
        return _saved(invoice, _("Draft %(kind)s #%(id)s is saved.", kind=word(invoice.kind), id=invoice.id))

    return form_page(form, create, template="finance/document_form.html", hints=hints, doc=None,
                     title=_("New invoice") if sale else _("New bill"),
                     cancel=url_for("finance.invoices" if sale else "finance.bills"))


@blueprint.route("/invoices/-/new", methods=["GET", "POST"], endpoint="new_invoice")
@permission("finance.invoice")
def new_invoice():
    return _new(sale=True)


@blueprint.route("/bills/-/new", methods=["GET", "POST"], endpoint="new_bill")
@permission("finance.invoice")
def new_bill():
    return _new(sale=False)


def _as_typed(invoice: Invoice) -> dict:
    """The draft as the form shows it, with blank rows to add lines."""
    lines = [{"product": line.product.sku if line.product else "", "description": line.description,
              "quantity": plain(trimmed(unfixed(line.quantity, QUANTITY_SCALE))),
              "unit_price": plain(trimmed(unfixed(line.unit_price, PRICE_SCALE))),
              "discount": plain(trimmed(unfixed(line.discount, PERCENT_SCALE))) if line.discount else "",
              "taxes": ", ".join(lt.tax.code for lt in line.taxes), "account": line.account.code}
             for line in invoice.lines]
    return {
        "party": invoice.party.code,
        "date": invoice.date,
        "currency": invoice.currency,
        "term": invoice.term.code if invoice.term else "",
        "due": None if invoice.term else invoice.due_date,
        "reference": invoice.reference,
        "memo": invoice.memo,
        "lines": lines + [{}] * max(BLANK_LINES - len(lines), 3),
    }


@blueprint.route("/invoices/<path:ref>/edit", methods=["GET", "POST"], endpoint="edit_document")
@permission("finance.invoice")
def edit_document(ref: str):
    session = db_session()
    invoice = find_invoice(session, g.company, ref)
    if invoice.state != InvoiceState.DRAFT and request.method == "GET":
        flash(_("%(number)s is posted: correct it with a credit note.", number=invoice.number), "error")
        return redirect(document_url(invoice))
    hints = _suggestions(invoice.kind in SALE_KINDS)
    form = HeaderForm(data=_as_typed(invoice)) if request.method == "GET" else HeaderForm()
    form.set_terms(hints["terms"])
    if request.method == "GET":
        _fill_blank_taxes(form, hints["default_tax"])

    def change():
        update_draft(session, g.company, invoice, party=form.party.data.strip(), date=form.date.data,
                     **_header(form))
        set_lines(session, g.company, invoice, form.entered())
        return _saved(invoice, _("Draft #%(id)s is saved.", id=invoice.id))

    return form_page(form, change, template="finance/document_form.html", hints=hints, doc=invoice,
                     title=_("Edit draft %(kind)s #%(id)s", kind=word(invoice.kind), id=invoice.id),
                     cancel=document_url(invoice))

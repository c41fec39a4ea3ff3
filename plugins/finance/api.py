"""What other plugins may use of finance: the only module they import.

Sales invoices its orders and procurement posts its bills through these
functions, which take codes and exact values and hand back frozen records,
never finance's tables. Events come the other way, through the hooks in
:mod:`plugins.finance.hookspecs` (``invoice_posted``, ``invoice_paid``, ``invoice_partly_paid``)::

    from plugins.finance import api

    doc = api.create_document(session, company, "invoice", "C-HANBIT", order.date,
                              [api.LineInput("A4 paper", "26000", "10", product="A4-BOX")],
                              origin=f"sales:{order.number}", post=True)
    ...
    @hookimpl(optionalhook=True)
    def invoice_paid(session, company, event):
        if event.origin and event.origin.startswith("sales:"): ...
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional, Sequence

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Company
from core.values import from_units
from plugins.finance.company_setup import ensure_journal as _ensure_journal
from plugins.finance.documents import Direction, Invoice
from plugins.finance.events import InvoicePaid, InvoicePartlyPaid, InvoicePosted, PeriodClosed
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import LineInput, create_invoice, delete_draft, find_invoice
from plugins.finance.models import JournalKind
from plugins.finance.settlement import party_balance as _party_balance
from plugins.finance.settlement import register_payment as _register_payment
from plugins.finance.taxes import LineTaxes, TaxableLine, TaxRate, TaxResult
from plugins.finance.values import scale_of

__all__ = [
    "LineInput",
    "Document",
    "create_document",
    "ensure_journal",
    "post_document",
    "delete_draft_document",
    "document",
    "documents_of_origin",
    "register_payment",
    "party_balance",
    "InvoicePosted",
    "InvoicePaid",
    "InvoicePartlyPaid",
    "PeriodClosed",
    "TaxableLine",
    "TaxRate",
    "LineTaxes",
    "TaxResult",
]


@attrs.frozen
class Document:
    """An invoice, bill or credit note as other plugins see it."""

    id: int
    number: Optional[str]
    kind: str
    state: str
    payment_state: str
    party: str
    date: dt.date
    due_date: dt.date
    currency: str
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    residual: Decimal
    origin: Optional[str]


def _document(invoice: Invoice) -> Document:
    scale = scale_of(invoice.currency)
    return Document(
        invoice.id,
        invoice.number,
        invoice.kind.value,
        invoice.state.value,
        invoice.payment_state.value,
        invoice.party.code,
        invoice.date,
        invoice.due_date,
        invoice.currency,
        from_units(invoice.untaxed_units, scale),
        from_units(invoice.tax_units, scale),
        from_units(invoice.total_units, scale),
        from_units(invoice.residual_units, scale),
        invoice.origin,
    )


def create_document(session: Session, company: Company, kind: str, party: str, date: dt.date | str,
                    lines: Sequence[LineInput], *, currency: Optional[str] = None, term: Optional[str] = None,
                    due: Optional[dt.date | str] = None, reference: str = "", origin: Optional[str] = None,
                    post: bool = False, journal: Optional[str] = None) -> Document:
    """Create an ``invoice``, ``credit_note``, ``bill`` or ``refund`` (a draft, or posted with ``post``).

    :param origin: your reference, handed back in the events (``sales:SO00012``).
    :param journal: the code of the journal that numbers it (see :func:`ensure_journal`); the company's
        first sale or purchase journal by default.
    """
    invoice = create_invoice(
        session,
        company,
        kind,
        party,
        date,
        lines,
        currency=currency,
        term=term,
        due=due,
        reference=reference,
        origin=origin,
        journal=journal,
    )
    if post:
        post_invoice(session, company, invoice)
    return _document(invoice)


def ensure_journal(session: Session, company: Company, code: str, name: str, kind: str) -> str:
    """A ``sale`` or ``purchase`` journal ``code`` of the company (created if it has none), for documents
    numbered apart from the others; returns its code."""
    return _ensure_journal(session, company, code, name, JournalKind(kind)).code


def post_document(session: Session, company: Company, ref: str | int) -> Document:
    """Post a draft by id (or number)."""
    return _document(post_invoice(session, company, find_invoice(session, company, ref)))


def delete_draft_document(session: Session, company: Company, ref: str | int) -> None:
    """Delete a draft by id (or number); a posted document is refused (``Conflict``): correct it
    with a credit note instead."""
    delete_draft(session, company, find_invoice(session, company, ref))


def document(session: Session, company: Company, ref: str | int) -> Document:
    return _document(find_invoice(session, company, ref))


def documents_of_origin(session: Session, company: Company, origin: str) -> list[Document]:
    """Every document another plugin created with ``origin``, oldest first."""
    rows = session.scalars(select(Invoice).where(Invoice.company_id == company.id, Invoice.origin == origin)
                           .order_by(Invoice.id))
    return [_document(row) for row in rows]


def register_payment(
    session: Session,
    company: Company,
    party: str,
    amount: Decimal | str,
    date: dt.date | str,
    *,
    outbound: bool = False,
    currency: Optional[str] = None,
    documents: Sequence[str] = (),
) -> str:
    """Record a payment received (or made, ``outbound``) settling ``documents`` (numbers), or the
    party's open documents oldest first; returns the payment's number."""
    invoices = [(find_invoice(session, company, ref), None) for ref in documents] or None
    payment = _register_payment(session, company, party, amount, date, currency=currency, invoices=invoices,
                                direction=Direction.OUTBOUND if outbound else Direction.INBOUND)
    return payment.number


def party_balance(session: Session, company: Company, party: str) -> dict[str, Decimal]:
    """``{"receivable": ..., "payable": ...}`` of a party, in the company currency."""
    from core.catalog import get_party

    return _party_balance(session, company, get_party(session, company, party))


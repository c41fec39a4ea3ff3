"""What the finance pages share: words for enum values, links, lookups, filters.

Enum values become words a reader knows (``credit_note`` -> "credit note")
through ``N_`` so that Babel extracts them; the templates and columns
translate them at run time with ``_()``.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.errors import NotFound
from core.values import as_id, from_units
from plugins.finance.documents import Direction, Invoice, InvoiceKind, InvoiceState, Payment, PaymentState
from plugins.finance.models import EntryKind, JournalKind, PeriodState, TaxScope
from plugins.finance.values import scale_of
from web.context import db_session
from web.lists import choice, filter_links  # noqa: F401  (the pages import them from here)

__all__ = [
    "N_",
    "KIND_WORDS",
    "word",
    "status_word",
    "document_title",
    "document_ref",
    "document_url",
    "payment_url",
    "find_payment",
    "choice",
    "filter_links",
    "money_of",
    "SALE_KINDS",
    "PURCHASE_KINDS",
]


def N_(text: str) -> str:
    return text


KIND_WORDS = {InvoiceKind.INVOICE: N_("invoice"), InvoiceKind.CREDIT_NOTE: N_("credit note"),
              InvoiceKind.BILL: N_("bill"), InvoiceKind.REFUND: N_("refund")}
_WORDS: dict[Any, str] = {
    **KIND_WORDS,
    InvoiceState.DRAFT: N_("draft"),
    InvoiceState.POSTED: N_("posted"),
    PaymentState.NOT_PAID: N_("not paid"),
    PaymentState.PARTIAL: N_("partly paid"),
    PaymentState.PAID: N_("paid"),
    Direction.INBOUND: N_("received"),
    Direction.OUTBOUND: N_("paid out"),
    PeriodState.OPEN: N_("open"),
    PeriodState.CLOSED: N_("closed"),
    JournalKind.SALE: N_("sales"),
    JournalKind.PURCHASE: N_("purchases"),
    JournalKind.BANK: N_("bank"),
    JournalKind.CASH: N_("cash"),
    JournalKind.GENERAL: N_("general"),
    EntryKind.INVOICE: N_("document"),
    EntryKind.PAYMENT: N_("payment"),
    EntryKind.MANUAL: N_("manual"),
    EntryKind.REVALUATION: N_("revaluation"),
    EntryKind.CLOSING: N_("closing"),
    TaxScope.SALE: N_("sales"),
    TaxScope.PURCHASE: N_("purchases"),
}
SALE_KINDS = (InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE)
PURCHASE_KINDS = (InvoiceKind.BILL, InvoiceKind.REFUND)


def word(value: Any) -> str:
    """An enum value in the page's language."""
    return _(_WORDS[value])


def status_word(invoice: Invoice) -> str:
    if invoice.state == InvoiceState.DRAFT:
        return word(InvoiceState.DRAFT)
    return word(invoice.payment_state)


def document_title(invoice: Invoice) -> str:
    """``Invoice INV/2026/00001``, ``Draft bill #7``."""
    if invoice.number:
        return _("%(kind)s %(number)s", kind=word(invoice.kind).capitalize(), number=invoice.number)
    return _("Draft %(kind)s #%(id)s", kind=word(invoice.kind), id=invoice.id)


def document_ref(invoice: Invoice) -> str:
    """How URLs name a document: its number once posted, a draft by its id."""
    return invoice.number or str(invoice.id)


def document_url(invoice: Invoice, endpoint: str = "finance.document", **args: Any) -> str:
    return url_for(endpoint, ref=document_ref(invoice), **args)


def payment_url(payment: Payment) -> str:
    return url_for("finance.payment", number=payment.number)


def money_of(units: int, currency: str):
    return from_units(units, scale_of(currency))


def find_payment(number: str) -> Payment:
    """A payment of the URL's company by its number (or id)."""
    query = select(Payment).where(Payment.company_id == g.company.id)
    found = db_session().scalar(query.where(Payment.number == number))
    if found is None and as_id(number) is not None:
        found = db_session().scalar(query.where(Payment.id == as_id(number)))
    if found is None:
        raise NotFound(f"unknown payment {number!r} in company {g.company.code}")
    return found



"""Posting a draft invoice or bill: one numbered entry, one balanced ledger
transaction in the company currency; and credit notes, which correct a
posted document (posted documents never change)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid
from core.ledger import Account, Leg
from core.models import Company
from core.plugins import plugins_of
from core.values import from_units, parse_date
from plugins.finance.company_setup import settings_of
from plugins.finance.documents import Invoice, InvoiceState, PaymentState
from plugins.finance.events import InvoicePosted
from plugins.finance.invoices import LineInput, compute_totals, create_invoice
from plugins.finance.journals import post_entry
from plugins.finance.models import EntryKind
from plugins.finance.rates import rate_units_on, to_company_units
from plugins.finance.settlement import apply_credit, partner_account_id
from plugins.finance.values import PERCENT_SCALE, PRICE_SCALE, QUANTITY_SCALE, scale_of, unfixed

__all__ = ["post_invoice", "credit_note", "partner_account_id"]


def post_invoice(session: Session, company: Company, invoice: Invoice) -> Invoice:
    """Number and post a draft; announce ``invoice_posted``.

    A credit note made from an invoice settles that invoice as far as both allow.
    """
    if invoice.state != InvoiceState.DRAFT:
        raise Conflict(f"{invoice.number} is posted already")
    if not invoice.lines:
        raise Invalid("a document needs at least one line")
    invoice.rate_units = rate_units_on(session, company, invoice.currency, invoice.date)
    compute_totals(session, company, invoice)
    if invoice.total_units <= 0:
        raise Invalid(f"the total of a {invoice.kind.value.replace('_', ' ')} must be positive "
                      f"(it is {from_units(invoice.total_units, scale_of(invoice.currency))}); "
                      "a negative one is a credit note")
    legs, total_company = _legs(session, company, invoice)
    entry, posted = post_entry(session, company, invoice.journal, invoice.date, legs, kind=EntryKind.INVOICE,
                               memo=invoice.party.name)
    invoice.number, invoice.transaction_id, invoice.state = entry.name, posted.id, InvoiceState.POSTED
    invoice.total_company = invoice.residual_company = total_company
    invoice.residual_units, invoice.payment_state = invoice.total_units, PaymentState.NOT_PAID
    session.flush()
    scale, company_scale = scale_of(invoice.currency), scale_of(company.currency)
    event = InvoicePosted(company_id=company.id, invoice_id=invoice.id, number=invoice.number,
                          kind=invoice.kind.value, party_id=invoice.party_id, date=invoice.date,
                          currency=invoice.currency, total=from_units(invoice.total_units, scale),
                          total_company=from_units(total_company, company_scale), origin=invoice.origin)
    plugins_of(session).for_company(session, company).invoice_posted(
        session=session, company=company, event=event
    )
    if invoice.credited_id is not None:
        original = session.get(Invoice, invoice.credited_id)
        if original.residual_units > 0:
            apply_credit(session, company, invoice, original)
    return invoice


def _legs(session: Session, company: Company, invoice: Invoice) -> tuple[list[Leg], int]:
    """The ledger legs in the company currency: lines by account, taxes by
    account, the rounding line, and the receivable or payable for the rest."""
    settings = settings_of(session, company)
    by_account: dict[int, int] = defaultdict(int)
    for line in invoice.lines:
        by_account[line.account_id] += line.net_units
        for line_tax in line.taxes:
            by_account[line_tax.tax.account_id] += line_tax.amount_units
    by_account[settings.rounding_id] += invoice.rounding_units
    converted = {account_id: to_company_units(units, invoice.currency, invoice.rate_units, company)
                 for account_id, units in by_account.items()}
    # The total converts as a whole; what the parts' separate rounding leaves over goes to the rounding
    # account.
    total_company = to_company_units(invoice.total_units, invoice.currency, invoice.rate_units, company)
    converted[settings.rounding_id] += total_company - sum(converted.values())
    if total_company <= 0:
        raise Invalid(
            f"the total {from_units(invoice.total_units, scale_of(invoice.currency))} {invoice.currency} "
            f"is worth nothing in {company.currency} at the rate of {invoice.date}"
        )
    partner = partner_account_id(session, company, invoice.kind)
    codes = dict(session.execute(select(Account.id, Account.code).where(
        Account.id.in_([*converted, partner]))).all())
    scale, sign = scale_of(company.currency), invoice.kind.sign
    legs = [Leg(codes[partner], from_units(sign * total_company, scale))]
    legs += [Leg(codes[account_id], from_units(-sign * units, scale))
             for account_id, units in sorted(converted.items()) if units]
    return legs, total_company


def credit_note(session: Session, company: Company, invoice: Invoice, *, date: Optional[dt.date | str] = None,
                reason: str = "", lines: Optional[list[LineInput]] = None) -> Invoice:
    """A draft credit note (or supplier refund) for a posted invoice or bill: all of it by default."""
    if invoice.state != InvoiceState.POSTED:
        raise Conflict("only a posted document can be credited; change or delete the draft instead")
    if invoice.kind.is_credit:
        raise Invalid(f"{invoice.number} is itself a credit note")
    day = parse_date(date) if date is not None else max(invoice.date, dt.date.today())
    if day < invoice.date:
        raise Invalid(f"a credit note cannot be dated {day}, before {invoice.number} of {invoice.date}")
    copied = lines is None
    if copied:
        lines = [LineInput(line.description, unfixed(line.unit_price, PRICE_SCALE),
                           unfixed(line.quantity, QUANTITY_SCALE), None, _code(session, line.account_id),
                           unfixed(line.discount, PERCENT_SCALE), tuple(lt.tax.code for lt in line.taxes))
                 for line in invoice.lines]
    credit = create_invoice(session, company, invoice.kind.credit_kind, invoice.party, day, lines,
                            currency=invoice.currency, reference=invoice.number, origin=invoice.origin,
                            memo=reason or f"Credit note for {invoice.number}", journal=invoice.journal.code)
    for new, old in zip(credit.lines if copied else (), invoice.lines):
        new.product_id = old.product_id
    credit.credited_id = invoice.id
    session.flush()
    return credit


def _code(session: Session, account_id: int) -> str:
    return session.scalar(select(Account.code).where(Account.id == account_id))

"""Payments and reconciliation: who paid what, and what is still open.

A payment posts one entry: the bank (or cash) account against the
receivable or payable, at the payment's rate. It then settles invoices,
fully or partly, oldest due first unless told which. Settling is one rule
for payments and credit notes alike: the part settled comes off the
document at the document's rate and off the payment (or credit note) at
its own; in a foreign currency the two differ, and the difference is the
realised exchange gain or loss, posted in its own entry. When a document's
last unit is settled, ``invoice_paid`` is announced.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.catalog import get_party
from core.errors import Conflict, Invalid, NotFound
from core.ledger import Account, Leg
from core.models import Company, Party
from core.plugins import plugins_of
from core.values import from_units, parse_amount, parse_date
from plugins.finance.company_setup import find_journal, journal_of_kind, settings_of
from plugins.finance.documents import (
    Allocation,
    Direction,
    Invoice,
    InvoiceKind,
    InvoiceState,
    Payment,
    PaymentState,
)
from plugins.finance.events import InvoicePaid, InvoicePartlyPaid
from plugins.finance.invoices import open_documents
from plugins.finance.journals import check_open, post_entry
from plugins.finance.models import EntryKind, JournalKind
from plugins.finance.rates import rate_units_on, to_company_units
from plugins.finance.values import fixed, scale_of

__all__ = [
    "register_payment",
    "allocate",
    "apply_credit",
    "party_balance",
    "PAYABLE_KINDS",
    "RECEIVABLE_KINDS",
]

RECEIVABLE_KINDS = (InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE)
PAYABLE_KINDS = (InvoiceKind.BILL, InvoiceKind.REFUND)


def partner_account_id(session: Session, company: Company, kind: InvoiceKind) -> int:
    settings = settings_of(session, company)
    return settings.receivable_id if kind.is_sale else settings.payable_id


def _direction(value: Direction | str) -> Direction:
    if isinstance(value, Direction):
        return value
    try:
        return Direction(str(value).strip().lower())
    except ValueError:
        raise Invalid(f"unknown payment direction {value!r} (inbound or outbound)") from None


def _sign(direction: Direction) -> int:
    return 1 if direction == Direction.INBOUND else -1


def register_payment(
    session: Session,
    company: Company,
    party: str | Party,
    amount,
    date: dt.date | str,
    *,
    direction: Direction | str = Direction.INBOUND,
    journal: Optional[str] = None,
    currency: Optional[str] = None,
    invoices: Optional[list[tuple[Invoice, Optional[Decimal]]]] = None,
    supplier: Optional[bool] = None,
    reference: str = "",
    memo: str = "",
) -> Payment:
    """Record money received or paid and settle invoices with it.

    :param invoices: ``(invoice, amount or None for all it can)`` to settle;
        ``None`` settles the party's open documents oldest due first, and an
        empty list settles nothing (the payment stays on the party).
    :param supplier: whether the party pays or is paid as a supplier (the
        payable side); by default outbound payments are, inbound are not.
    """
    direction = _direction(direction)
    date = parse_date(date)
    party_row = party if isinstance(party, Party) else get_party(session, company, party)
    if party_row.company_id != company.id:
        raise NotFound(f"unknown party in company {company.code}")
    code = (currency or company.currency).strip().upper()
    scale = scale_of(code)
    units = fixed(parse_amount(amount), scale, "payment amount")
    if units <= 0:
        raise Invalid("a payment amount must be positive")
    if invoices:
        sides = {invoice.kind.is_sale for invoice, _ in invoices}
        if len(sides) > 1:
            raise Invalid("one payment settles either customer documents or supplier documents, not both")
        supplier = not sides.pop()
    elif supplier is None:
        supplier = direction == Direction.OUTBOUND
    book = (
        find_journal(session, company, journal)
        if journal
        else journal_of_kind(session, company, JournalKind.BANK)
    )
    if book.kind not in (JournalKind.BANK, JournalKind.CASH) or book.account_id is None:
        raise Invalid(f"journal {book.code} is not a bank or cash journal")
    rate = rate_units_on(session, company, code, date)
    value = to_company_units(units, code, rate, company)
    account_id = partner_account_id(session, company, InvoiceKind.BILL if supplier else InvoiceKind.INVOICE)
    d, company_scale = _sign(direction), scale_of(company.currency)
    codes = _codes(session, [book.account_id, account_id])
    entry, posted = post_entry(
        session,
        company,
        book,
        date,
        [
            Leg(codes[book.account_id], from_units(d * value, company_scale)),
            Leg(codes[account_id], from_units(-d * value, company_scale)),
        ],
        kind=EntryKind.PAYMENT,
        memo=party_row.name,
    )
    payment = Payment(company_id=company.id, direction=direction, party_id=party_row.id, journal_id=book.id,
                      number=entry.name, date=date, currency=code, rate_units=rate, amount_units=units,
                      amount_company=value, unallocated_units=units, unallocated_company=value,
                      account_id=account_id, reference=reference.strip()[:100], memo=memo.strip(),
                      transaction_id=posted.id)
    session.add(payment)
    session.flush()
    if invoices is None:
        kinds = [k for k in (PAYABLE_KINDS if supplier else RECEIVABLE_KINDS) if k.sign == d]
        invoices = [(invoice, None) for invoice in open_documents(session, company, party_row, kinds, code)]
    for invoice, part in invoices:
        if payment.unallocated_units == 0:
            break
        allocate(session, company, payment, invoice, part)
    return payment


def allocate(session: Session, company: Company, payment: Payment, invoice: Invoice,
             amount: Optional[Decimal] = None, *, date: Optional[dt.date] = None) -> Allocation:
    """Settle (part of) ``invoice`` with what is left of ``payment``."""
    if invoice.kind.sign != _sign(payment.direction):
        raise Invalid(f"an {payment.direction.value} payment cannot settle {invoice.number or 'a draft'} "
                      f"({invoice.kind.value.replace('_', ' ')})")
    if partner_account_id(session, company, invoice.kind) != payment.account_id:
        raise Invalid(
            f"payment {payment.number} is on the other side (customer/supplier) from {invoice.number}"
        )
    source = _Source(payment.unallocated_units, payment.unallocated_company, payment.rate_units, payment.date,
                     payment.party_id, payment.currency, payment.number, {"payment_id": payment.id})
    _, units, value = allocation = _settle(session, company, invoice, source, amount, date)
    payment.unallocated_units -= units
    payment.unallocated_company -= value
    session.flush()
    return allocation[0]


def apply_credit(session: Session, company: Company, credit: Invoice, invoice: Invoice,
                 amount: Optional[Decimal] = None, *, date: Optional[dt.date] = None) -> Allocation:
    """Settle (part of) ``invoice`` with a posted credit note (or supplier refund) of the same party."""
    if credit.state != InvoiceState.POSTED or not credit.kind.is_credit:
        raise Invalid(f"{credit.number or 'the draft'} is not a posted credit note")
    if invoice.kind.credit_kind != credit.kind:
        raise Invalid(f"{credit.number} cannot settle {invoice.number}: one is a sale, the other a purchase")
    source = _Source(credit.residual_units, credit.residual_company, credit.rate_units, credit.date,
                     credit.party_id, credit.currency, credit.number, {"credit_id": credit.id})
    allocation, units, value = _settle(session, company, invoice, source, amount, date)
    _reduce(session, company, credit, units, value, allocation.date)
    session.flush()
    return allocation


class _Source:
    """What settles: an open amount and its carrying value in the company currency."""

    def __init__(self, units: int, company_units: int, rate: int, date: dt.date, party_id: int, currency: str,
                 name: str, link: dict[str, int]):
        self.units, self.company_units, self.rate, self.date = units, company_units, rate, date
        self.party_id, self.currency, self.name, self.link = party_id, currency, name, link


def _carrying(
    units: int, open_units: int, open_company: int, rate: int, currency: str, company: Company
) -> int:
    """The company-currency value of ``units`` out of an open amount: all of it when it is all of it."""
    return open_company if units == open_units else to_company_units(units, currency, rate, company)


def _settle(session: Session, company: Company, invoice: Invoice, source: _Source, amount: Optional[Decimal],
            date: Optional[dt.date]) -> tuple[Allocation, int, int]:
    if invoice.state != InvoiceState.POSTED:
        raise Invalid("only a posted document can be settled")
    if source.party_id != invoice.party_id:
        raise Invalid(f"{source.name} and {invoice.number} belong to different parties")
    if source.currency != invoice.currency:
        raise Invalid(f"{source.name} is in {source.currency}, {invoice.number} in {invoice.currency}")
    units = min(source.units, invoice.residual_units)
    if amount is not None:
        asked = fixed(parse_amount(amount), scale_of(invoice.currency), "amount to settle")
        if asked <= 0 or asked > units:
            raise Invalid(
                f"cannot settle {from_units(asked, scale_of(invoice.currency))} {invoice.currency} of "
                f"{invoice.number}: at most {from_units(units, scale_of(invoice.currency))} is open"
            )
        units = asked
    if units <= 0:
        raise Conflict(f"nothing left to settle between {source.name} and {invoice.number}")
    day = date or max(source.date, invoice.date)
    check_open(session, company, day, "a settlement")
    carried = _carrying(units, invoice.residual_units, invoice.residual_company, invoice.rate_units,
                        invoice.currency, company)
    value = _carrying(units, source.units, source.company_units, source.rate, source.currency, company)
    # Partner account after clearing both sides must be untouched: the
    # invoice put sign x carried there, the source -sign x value.
    difference = invoice.kind.sign * (value - carried)
    if difference:
        _post_exchange_difference(session, company, invoice, difference, day)
    # The exchange leg is minus the partner leg: a credit (the partner leg positive) is a gain.
    allocation = Allocation(company_id=company.id, invoice_id=invoice.id, date=day, amount_units=units,
                            amount_company=carried, source_company=value, fx_units=difference, **source.link)
    session.add(allocation)
    _reduce(session, company, invoice, units, carried, day)
    return allocation, units, value


def _post_exchange_difference(session: Session, company: Company, invoice: Invoice, partner_leg: int,
                              day: dt.date) -> None:
    settings = settings_of(session, company)
    partner = partner_account_id(session, company, invoice.kind)
    fx = settings.fx_gain_id if partner_leg > 0 else settings.fx_loss_id
    codes = _codes(session, [partner, fx])
    scale = scale_of(company.currency)
    post_entry(session, company, journal_of_kind(session, company, JournalKind.GENERAL), day, [
        Leg(codes[partner], from_units(partner_leg, scale)), Leg(codes[fx], from_units(-partner_leg, scale))],
        kind=EntryKind.MANUAL, memo=f"Exchange difference on {invoice.number}")


def _reduce(
    session: Session, company: Company, document: Invoice, units: int, value: int, day: dt.date
) -> None:
    document.residual_units -= units
    document.residual_company -= value
    scale = scale_of(document.currency)
    common = dict(
        company_id=company.id,
        invoice_id=document.id,
        number=document.number,
        kind=document.kind.value,
        party_id=document.party_id,
        paid_on=day,
        currency=document.currency,
        total=from_units(document.total_units, scale),
        origin=document.origin,
    )
    hooks = plugins_of(session).for_company(session, company)
    if document.residual_units == 0:
        document.payment_state = PaymentState.PAID
        session.flush()
        hooks.invoice_paid(session=session, company=company, event=InvoicePaid(**common))
    else:
        document.payment_state = PaymentState.PARTIAL
        session.flush()
        hooks.invoice_partly_paid(session=session, company=company, event=InvoicePartlyPaid(
            **common, residual=from_units(document.residual_units, scale)))
    session.flush()


def _codes(session: Session, ids: list[int]) -> dict[int, str]:
    return dict(session.execute(select(Account.id, Account.code).where(Account.id.in_(ids))).all())


def party_balance(session: Session, company: Company, party: Party) -> dict[str, Decimal]:
    """What ``party`` owes us (``receivable``) and we owe it (``payable``), in the company currency.

    Open documents count with their sign; unallocated payments count against them.
    """
    settings = settings_of(session, company)
    signed = case((Invoice.kind.in_([InvoiceKind.INVOICE, InvoiceKind.REFUND]), Invoice.residual_company),
                  else_=-Invoice.residual_company)
    totals = {settings.receivable_id: 0, settings.payable_id: 0}
    for kinds, account_id in (
        (RECEIVABLE_KINDS, settings.receivable_id),
        (PAYABLE_KINDS, settings.payable_id),
    ):
        totals[account_id] += (
            session.scalar(
                select(func.coalesce(func.sum(signed), 0)).where(
                    Invoice.company_id == company.id,
                    Invoice.party_id == party.id,
                    Invoice.state == InvoiceState.POSTED,
                    Invoice.kind.in_(kinds),
                )
            )
            or 0
        )
    paid = case((Payment.direction == Direction.INBOUND, -Payment.unallocated_company),
                else_=Payment.unallocated_company)
    for account_id, units in session.execute(select(Payment.account_id, func.sum(paid)).where(
            Payment.company_id == company.id, Payment.party_id == party.id).group_by(Payment.account_id)):
        totals[account_id] = totals.get(account_id, 0) + int(units)
    scale = scale_of(company.currency)
    return {"receivable": from_units(totals[settings.receivable_id], scale),
            "payable": from_units(-totals[settings.payable_id], scale)}

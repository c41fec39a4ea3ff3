"""Reconciling bank statement lines: :func:`match` one, :func:`auto_match` a statement.

:func:`match` links a payment registered already, or registers one through
:func:`~plugins.finance.settlement.register_payment` (direction by the
line's sign, in the statement's journal, on the line's date and in its
currency) that settles the given documents. A line matches once; there is
no unmatching (a wrong match is corrected by a reversing payment, as any
posted entry is). :func:`auto_match` takes a line's suggestion only when it
is the line's one strong suggestion (:mod:`plugins.finance.bank_suggestions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party
from core.errors import Conflict, Invalid, JangbuError, NotFound
from core.models import Company, Party
from core.values import from_units
from plugins.finance.bank import list_lines
from plugins.finance.bank_suggestions import (
    REFERENCE_POINTS,
    Pool,
    check_line,
    direction_of,
    money,
    sign_of,
    suggest_from,
)
from plugins.finance.documents import Invoice, InvoiceState, Payment
from plugins.finance.invoices import find_invoice
from plugins.finance.models import BankLine, BankLineState, BankStatement
from plugins.finance.settlement import allocate, register_payment
from plugins.finance.values import scale_of

__all__ = ["AutoMatched", "AutoMatchReport", "match", "auto_match", "DECISIVE_LEAD"]

# How far the best strong suggestion must lead the next strong one for
# auto_match to take it: what a reference confirming it is worth. Two
# candidates confirmed alike (the same amount, the same party) are a
# question for a person.
DECISIVE_LEAD = REFERENCE_POINTS


@attrs.frozen
class AutoMatched:
    """A line :func:`auto_match` reconciled, and with what."""

    line_id: int
    payment: str
    linked: bool  # an existing payment linked (True) or a new one registered
    invoices: tuple[str, ...]
    score: int
    reasons: tuple[str, ...]


@attrs.frozen
class AutoMatchReport:
    matched: tuple[AutoMatched, ...]
    left: tuple[tuple[int, str], ...]  # (line id, why it was left open)


def match(
    session: Session,
    company: Company,
    line: BankLine,
    invoices: Optional[Sequence[Invoice | str]] = None,
    *,
    payment: Optional[Payment | str] = None,
    party: Optional[Party | str] = None,
    supplier: Optional[bool] = None,
) -> Payment:
    """Reconcile ``line`` and return the payment that accounts for it.

    With ``payment`` (a row or its number): link that payment, which must be
    of the statement's journal, the line's direction, currency and amount,
    and not linked to another line; ``invoices`` are then settled with what
    it has unallocated. Otherwise register a new payment on the line's date,
    in its currency and the statement's journal, settling ``invoices`` in
    the order given (the last perhaps in part). The party comes from the
    invoices (all of one party) or from ``party``; a payment without
    invoices stays unallocated for its party (``supplier`` says on which
    side when the direction does not: by default money in is a customer's).

    :raises Conflict: the line is matched already, or the payment is linked.
    :raises Invalid: a payment or document that does not fit the line.
    """
    check_line(company, line)
    # Lock the line: of two processes matching it, the second finds it matched.
    session.execute(select(BankLine.id).where(BankLine.id == line.id).with_for_update())
    session.refresh(line)
    if line.state != BankLineState.OPEN:
        raise Conflict(f"statement line {line.id} is matched already")
    documents = _documents(session, company, line, invoices or [])
    party_row = _party(session, company, party)
    if payment is not None:
        paid = _link(session, company, line, payment, party_row)
        for document in documents:
            allocate(session, company, paid, document)
    else:
        owners = {d.party_id for d in documents}
        if len(owners) > 1:
            raise Invalid("the documents belong to different parties; a payment is from or to one party")
        if party_row is not None and owners and owners != {party_row.id}:
            raise Invalid(f"the documents are not of party {party_row.code}")
        if party_row is None and not documents:
            raise Invalid(
                "say who paid or was paid: give the documents settled, a party, or a payment to link"
            )
        who = party_row or documents[0].party
        statement = line.statement
        paid = register_payment(
            session,
            company,
            who,
            from_units(abs(line.amount_units), scale_of(line.currency)),
            line.date,
            direction=direction_of(line),
            journal=statement.journal.code,
            currency=line.currency,
            invoices=[(d, None) for d in documents],
            supplier=supplier,
            reference=line.reference,
            memo=f"bank statement {statement.name!r}, line {line.id}",
        )
    line.state, line.payment_id = BankLineState.MATCHED, paid.id
    session.flush()
    return paid


def _documents(session: Session, company: Company, line: BankLine,
               given: Sequence[Invoice | str]) -> list[Invoice]:
    documents: list[Invoice] = []
    for item in given:
        document = item if isinstance(item, Invoice) else find_invoice(session, company, item)
        if document.company_id != company.id:
            raise Invalid(f"document {document.number} is not of company {company.code}")
        if document.state != InvoiceState.POSTED:
            raise Invalid(f"draft #{document.id} is not posted; only posted documents are settled")
        if any(d.id == document.id for d in documents):
            raise Invalid(f"{document.number} is named twice")
        if document.kind.sign != sign_of(line):
            side = "money in" if sign_of(line) > 0 else "money out"
            raise Invalid(f"{document.number} is a {document.kind.value.replace('_', ' ')}: "
                          f"line {line.id} is {side} and cannot settle it")
        if document.currency != line.currency:
            raise Invalid(f"{document.number} is in {document.currency}, line {line.id} in {line.currency}")
        if document.residual_units == 0:
            raise Conflict(f"{document.number} is settled in full already")
        documents.append(document)
    return documents


def _party(session: Session, company: Company, party: Optional[Party | str]) -> Optional[Party]:
    if party is None or isinstance(party, Party):
        return party
    return get_party(session, company, party)


def _link(session: Session, company: Company, line: BankLine, payment: Payment | str,
          party: Optional[Party]) -> Payment:
    if not isinstance(payment, Payment):
        number = str(payment).strip()
        payment = session.scalar(
            select(Payment).where(Payment.company_id == company.id, Payment.number == number)
        )
        if payment is None:
            raise NotFound(f"unknown payment {number!r} in company {company.code}")
    if payment.company_id != company.id:
        raise Invalid(f"payment {payment.number} is not of company {company.code}")
    # Lock the payment: two lines linking it at once meet here.
    session.execute(select(Payment.id).where(Payment.id == payment.id).with_for_update())
    taken = session.scalar(select(BankLine.id).where(BankLine.payment_id == payment.id))
    if taken is not None:
        raise Conflict(f"payment {payment.number} is linked to statement line {taken} already")
    journal = line.statement.journal
    if payment.journal_id != journal.id:
        raise Invalid(
            f"payment {payment.number} is in journal {payment.journal.code}, the statement in {journal.code}"
        )
    if payment.direction != direction_of(line):
        raise Invalid(f"payment {payment.number} is {payment.direction.value}, line {line.id} is "
                      f"{direction_of(line).value}")
    if payment.currency != line.currency or payment.amount_units != abs(line.amount_units):
        raise Invalid(f"payment {payment.number} is {money(payment.amount_units, payment.currency)}, line "
                      f"{line.id} {money(abs(line.amount_units), line.currency)}")
    if party is not None and party.id != payment.party_id:
        raise Invalid(f"payment {payment.number} is not of party {party.code}")
    return payment


def auto_match(session: Session, company: Company, statement: BankStatement) -> AutoMatchReport:
    """Match every open line of ``statement`` whose best suggestion is unambiguous.

    Unambiguous: the line's only strong suggestion, or a strong one that
    leads the next strong one by :data:`DECISIVE_LEAD` points (the document
    the reference names, against another combination of the party's
    documents). Each line is matched in a savepoint: a line that cannot be (a closed
    period, a missing exchange rate) is left open with the reason, and the
    others are still matched.
    """
    if statement.company_id != company.id:
        raise Invalid(f"bank statement {statement.id} is not of company {company.code}")
    pool = Pool(session, company)
    matched, left = [], []
    for line in list_lines(session, company, statement=statement, only_open=True):
        strong = [s for s in suggest_from(session, company, line, pool, None) if s.strong]  # best first
        if not strong:
            left.append((line.id, "no strong suggestion"))
            continue
        if len(strong) > 1 and strong[0].score - strong[1].score < DECISIVE_LEAD:
            close = [s.score for s in strong if strong[0].score - s.score < DECISIVE_LEAD]
            left.append((line.id, f"{len(close)} strong suggestions too close to call "
                                  f"(scores {', '.join(map(str, close))})"))
            continue
        best = strong[0]
        try:
            with session.begin_nested():
                paid = match(session, company, line, [session.get(Invoice, i) for i in best.invoice_ids],
                             payment=session.get(Payment, best.payment_id) if best.payment_id else None)
        except JangbuError as exc:
            left.append((line.id, str(exc)))
            continue
        matched.append(AutoMatched(line_id=line.id, payment=paid.number, linked=best.payment_id is not None,
                                   invoices=best.invoices, score=best.score, reasons=best.reasons))
    return AutoMatchReport(tuple(matched), tuple(left))


"""Suggestions: what might account for a bank statement line, and why.

:func:`suggest` ranks the candidates for an open line and says why: open
documents on the line's side (money in: customer invoices and supplier
refunds; money out: bills and customer credit notes), several open
documents of one party whose open amounts add up to the line, and payments
already registered in the statement's journal but not yet linked to a line.
Every signal adds points and a reason:

=================================================  ======
the amount is exactly what is open (or the sum)      50
the reference mentions the document number           40
the reference mentions the document's reference      30
the counterparty is the party (name or code)      25-30
the counterparty resembles the party's name        <20
the date is near the due (or payment) date          3-10
=================================================  ======

A suggestion is *strong* when the amount is exact and either the reference
or the counterparty (20 points or more) confirms it: an amount alone is a
coincidence waiting to happen. :func:`auto_match` takes a line's
suggestion only when it is the line's one strong suggestion.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid
from core.models import Company, Party
from core.values import from_units
from plugins.finance.documents import Direction, Invoice, InvoiceKind, InvoiceState, Payment
from plugins.finance.models import BankLine, BankLineState
from plugins.finance.values import scale_of

__all__ = [
    "Suggestion",
    "suggest",
    "suggest_from",
    "suggestion_data",
    "mentions",
    "Pool",
    "sign_of",
    "direction_of",
    "check_line",
    "money",
    "AMOUNT_POINTS",
    "NUMBER_POINTS",
    "REFERENCE_POINTS",
    "STRONG_PARTY_POINTS",
]

AMOUNT_POINTS = 50
NUMBER_POINTS = 40
REFERENCE_POINTS = 30
STRONG_PARTY_POINTS = 20  # from here on the counterparty confirms an exact amount
_COMBINATION_SEARCH = 12  # open documents of one party searched exhaustively for a sum
_COMBINATIONS_SHOWN = 3
# Legal forms say nothing about who paid: "(주)한빛" and "한빛 주식회사" are one name.
_LEGAL_FORMS = frozenset(
    {
        "co",
        "ltd",
        "inc",
        "corp",
        "llc",
        "plc",
        "gmbh",
        "company",
        "corporation",
        "limited",
        "주",
        "주식회사",
        "유한회사",
        "유",
    }
)


@attrs.frozen
class Suggestion:
    """One way to account for a line: documents to settle, or a payment to link.

    ``amount`` is what the candidate has open (documents) or is (a payment),
    in ``currency``; ``reasons`` say where each point of ``score`` came from.
    """

    score: int
    strong: bool
    reasons: tuple[str, ...]
    party: str
    party_name: str
    amount: Decimal
    currency: str
    invoices: tuple[str, ...] = ()
    invoice_ids: tuple[int, ...] = ()
    payment: Optional[str] = None
    payment_id: Optional[int] = None


def suggestion_data(suggestion: Suggestion) -> dict:
    """A suggestion as a plain record for JSON and templates."""
    return attrs.asdict(suggestion, recurse=False)


# -- text signals -------------------------------------------------------------------

def _words(text: str) -> list[str]:
    """Case-folded words without punctuation or legal forms (Hangul counts as letters)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in re.sub(r"[\W_]+", " ", folded).split() if w not in _LEGAL_FORMS]


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def mentions(haystack: str, needle: str) -> bool:
    """Whether ``needle`` appears in ``haystack``, ignoring case, spaces and punctuation
    (``INV/2026/00012`` in ``"inv 2026-00012 thanks"``), but not as part of a longer number."""
    text, word = _squash(haystack), _squash(needle)
    if len(word) < 3:  # a reference "7" is everywhere
        return False
    for found in re.finditer(re.escape(word), text):
        before = text[found.start() - 1] if found.start() else ""
        after = text[found.end()] if found.end() < len(text) else ""
        if not (word[0].isdigit() and before.isdigit()) and not (word[-1].isdigit() and after.isdigit()):
            return True
    return False


def _party_signal(counterparty: str, party: Party) -> tuple[int, str]:
    """Points and a reason for how well the statement's counterparty text names ``party``."""
    said, name = _words(counterparty), _words(party.name)
    if not said:
        return 0, ""
    shown, joined, who = " ".join(said), " ".join(name), f"{party.code} {party.name}"
    if name and _squash(shown) == _squash(joined):  # "한빛 리테일" is "한빛리테일"
        return 30, f"counterparty {counterparty!r} is the name of {who}"
    code = " ".join(_words(party.code))
    if len(_squash(code)) >= 2 and f" {code} " in f" {shown} ":
        return 25, f"counterparty {counterparty!r} names party code {party.code}"
    if name and f" {joined} " in f" {shown} ":
        return 25, f"counterparty {counterparty!r} contains the name of {who}"
    if name and len(shown) >= 5 and joined.startswith(shown):
        return 25, f"counterparty {counterparty!r} is the start of the name of {who} (cut short by the bank)"
    if not name:
        return 0, ""
    overlap = len(set(said) & set(name)) / len(set(name))
    similarity = max(overlap, SequenceMatcher(None, shown, joined).ratio())
    if similarity < 0.6:
        return 0, ""
    return min(STRONG_PARTY_POINTS - 1, round(20 * similarity)), \
        f"counterparty {counterparty!r} resembles the name of {who} ({similarity:.0%})"


def _date_signal(line: BankLine, day, what: str) -> tuple[int, str]:
    days = (line.date - day).days
    points = 10 if abs(days) <= 3 else 6 if abs(days) <= 10 else 3 if abs(days) <= 31 else 0
    if not points:
        return 0, ""
    when = (f"on the {what}" if days == 0 else
            f"{abs(days)} day{'s' if abs(days) > 1 else ''} {'after' if days > 0 else 'before'} the {what}")
    return points, f"dated {when}"


def money(units: int, currency: str) -> str:
    return f"{from_units(units, scale_of(currency)):,} {currency}"


# -- the candidates -----------------------------------------------------------------

class Pool:
    """The open documents on each side, loaded once for the lines of one call.

    It holds ORM rows, so a settlement made meanwhile (in :func:`auto_match`)
    shows in their residuals; what is settled in full drops out.
    """

    def __init__(self, session: Session, company: Company):
        self.session, self.company = session, company
        self._documents: dict[tuple[int, str], list[Invoice]] = {}
        self._party_points: dict[tuple[str, int], tuple[int, str]] = {}

    def documents(self, sign: int, currency: str) -> list[Invoice]:
        key = (sign, currency)
        if key not in self._documents:
            kinds = [k for k in InvoiceKind if k.sign == sign]
            self._documents[key] = list(self.session.scalars(select(Invoice).where(
                Invoice.company_id == self.company.id, Invoice.state == InvoiceState.POSTED,
                Invoice.kind.in_(kinds), Invoice.currency == currency, Invoice.residual_units > 0)
                .order_by(Invoice.due_date, Invoice.id)))
        return [d for d in self._documents[key] if d.residual_units > 0]

    def party_signal(self, counterparty: str, party: Party) -> tuple[int, str]:
        key = (counterparty, party.id)
        if key not in self._party_points:
            self._party_points[key] = _party_signal(counterparty, party)
        return self._party_points[key]


def sign_of(line: BankLine) -> int:
    return 1 if line.amount_units > 0 else -1


def suggest(session: Session, company: Company, line: BankLine, limit: Optional[int] = 5) -> list[Suggestion]:
    """The best ways to account for open ``line``, best first (``limit=None``: all of them)."""
    return suggest_from(session, company, line, Pool(session, company), limit)


def suggest_from(session: Session, company: Company, line: BankLine, pool: Pool,
                 limit: Optional[int]) -> list[Suggestion]:
    """:func:`suggest` with the open documents taken from ``pool`` (shared by the lines of one statement)."""
    check_line(company, line)
    if line.state != BankLineState.OPEN:
        raise Conflict(f"statement line {line.id} is matched already")
    found = [*_document_suggestions(line, pool), *_payment_suggestions(session, company, line, pool)]
    found.sort(key=lambda s: (-s.score, -s.strong, len(s.invoices), s.payment or "", s.invoices))
    return found if limit is None else found[:limit]


def _document_suggestions(line: BankLine, pool: Pool) -> list[Suggestion]:
    amount = abs(line.amount_units)
    by_party: dict[int, list[Invoice]] = {}
    named: set[int] = set()  # the documents the reference names
    result = []
    for document in pool.documents(sign_of(line), line.currency):
        by_party.setdefault(document.party_id, []).append(document)
        points, reasons = 0, []
        if document.residual_units == amount:
            points += AMOUNT_POINTS
            reasons.append(f"the amount {money(amount, line.currency)} is what {document.number} has open")
        referenced = _reference_signal(line, document)
        if referenced[0]:
            named.add(document.id)
        party_points, party_reason = pool.party_signal(line.counterparty, document.party)
        if not points and not referenced[0] and not party_points:
            continue  # nothing but perhaps the date: no candidate
        if document.residual_units != amount:
            how = "the line pays part of it" if amount < document.residual_units else "less than the line"
            reasons.append(
                f"{document.number} has {money(document.residual_units, line.currency)} open ({how})"
            )
        date_points, date_reason = _date_signal(line, document.due_date, "due date")
        points += referenced[0] + party_points + date_points
        reasons += [r for r in (referenced[1], party_reason, date_reason) if r]
        strong = document.residual_units == amount and (
            referenced[0] > 0 or party_points >= STRONG_PARTY_POINTS
        )
        result.append(_of_documents(line, [document], points, strong, reasons))
    for documents in by_party.values():
        result += _combinations(line, documents, pool, named)
    return result


def _reference_signal(line: BankLine, document: Invoice) -> tuple[int, str]:
    if mentions(line.reference, document.number):
        return NUMBER_POINTS, f"the reference mentions {document.number}"
    if document.reference and mentions(line.reference, document.reference):
        return (
            REFERENCE_POINTS,
            f"the reference mentions {document.number}'s reference {document.reference!r}",
        )
    return 0, ""


def _of_documents(line: BankLine, documents: Sequence[Invoice], points: int, strong: bool,
                  reasons: list[str]) -> Suggestion:
    party = documents[0].party
    return Suggestion(
        score=points,
        strong=strong,
        reasons=tuple(reasons),
        party=party.code,
        party_name=party.name,
        amount=from_units(sum(d.residual_units for d in documents), scale_of(line.currency)),
        currency=line.currency,
        invoices=tuple(d.number for d in documents),
        invoice_ids=tuple(d.id for d in documents),
    )


def _combinations(line: BankLine, documents: list[Invoice], pool: Pool, named: set[int]) -> list[Suggestion]:
    """Several open documents of one party that add up to the line exactly.

    Searched only for a party the counterparty or the reference points at
    (a sum found among everybody's documents proves nothing).
    """
    amount = abs(line.amount_units)
    party_points, party_reason = pool.party_signal(line.counterparty, documents[0].party)
    referenced = {d.id for d in documents if d.id in named}
    if party_points < STRONG_PARTY_POINTS and not referenced:
        return []
    parts = [d for d in documents if d.residual_units < amount]
    if len(parts) < 2:
        return []
    if len(parts) <= _COMBINATION_SEARCH:
        tried = (c for size in range(2, len(parts) + 1) for c in itertools.combinations(parts, size))
    else:  # too many to try every subset: the oldest first, and those the reference names
        tried = itertools.chain((parts[:n] for n in range(2, len(parts) + 1)),
                                [[d for d in parts if d.id in referenced]])
    found, seen = [], set()
    for combination in tried:
        ids = frozenset(d.id for d in combination)
        if len(ids) >= 2 and ids not in seen and sum(d.residual_units for d in combination) == amount:
            seen.add(ids)
            found.append(combination)
            if len(found) == _COMBINATIONS_SHOWN:
                break
    result = []
    for combination in found:
        names = [d.number for d in combination]
        named = [d.number for d in combination if d.id in referenced]
        points = AMOUNT_POINTS + party_points - 2 * (len(combination) - 2)  # fewer documents: likelier
        reasons = [f"the open amounts of {', '.join(names)} add up to {money(amount, line.currency)}"]
        if named:
            points += NUMBER_POINTS if len(named) == len(names) else NUMBER_POINTS // 2
            reasons.append(f"the reference mentions {', '.join(named)}")
        if party_reason:
            reasons.append(party_reason)
        strong = party_points >= STRONG_PARTY_POINTS or len(named) == len(names)
        result.append(_of_documents(line, combination, points, strong, reasons))
    return result


def _payment_suggestions(session: Session, company: Company, line: BankLine, pool: Pool) -> list[Suggestion]:
    """Payments of the statement's journal with the line's amount and direction, not linked to a line."""
    linked = select(BankLine.payment_id).where(
        BankLine.company_id == company.id, BankLine.payment_id.is_not(None)
    )
    payments = session.scalars(
        select(Payment)
        .where(
            Payment.company_id == company.id,
            Payment.journal_id == line.statement.journal_id,
            Payment.direction == direction_of(line),
            Payment.currency == line.currency,
            Payment.amount_units == abs(line.amount_units),
            Payment.id.not_in(linked),
        )
        .order_by(Payment.date, Payment.id)
    )
    result = []
    for payment in payments:
        reasons = [f"payment {payment.number} of {money(payment.amount_units, line.currency)} "
                   f"is not linked to a statement line yet"]
        if mentions(line.reference, payment.number):
            reference = NUMBER_POINTS, f"the reference mentions {payment.number}"
        elif payment.reference and mentions(line.reference, payment.reference):
            reference = (
                REFERENCE_POINTS,
                f"the reference mentions the payment's reference {payment.reference!r}",
            )
        else:
            reference = 0, ""
        party = session.get(Party, payment.party_id)
        party_points, party_reason = pool.party_signal(line.counterparty, party)
        date_points, date_reason = _date_signal(line, payment.date, "payment date")
        reasons += [r for r in (reference[1], party_reason, date_reason) if r]
        result.append(
            Suggestion(
                score=AMOUNT_POINTS + reference[0] + party_points + date_points,
                strong=reference[0] > 0 or party_points >= STRONG_PARTY_POINTS,
                reasons=tuple(reasons),
                party=party.code,
                party_name=party.name,
                amount=from_units(payment.amount_units, scale_of(line.currency)),
                currency=line.currency,
                payment=payment.number,
                payment_id=payment.id,
            )
        )
    return result


def direction_of(line: BankLine) -> Direction:
    return Direction.INBOUND if line.amount_units > 0 else Direction.OUTBOUND


def check_line(company: Company, line: BankLine) -> None:
    if line.company_id != company.id:
        raise Invalid(f"statement line {line.id} is not of company {company.code}")

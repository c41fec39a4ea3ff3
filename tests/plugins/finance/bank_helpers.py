"""What the bank statement tests share: the plain CSV header, a posted document,
the row counts of statements and lines, and an import from text."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from plugins.finance.bank import import_statement
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.models import BankLine, BankStatement

HEADER = "date,amount,reference,counterparty\n"


def document(s, company, party, amount, *, kind="invoice", date="2026-03-02", due=None, reference=""):
    """A posted document of ``amount`` (no tax, so the total is the amount)."""
    draft = create_invoice(s, company, kind, party, date, [LineInput("Goods", Decimal(amount), taxes=())],
                           due=due, reference=reference)
    return post_invoice(s, company, draft)


def rows(s):
    return (s.scalar(select(func.count()).select_from(BankStatement)),
            s.scalar(select(func.count()).select_from(BankLine)))


def import_text(db, company, text, name="march.csv", **options):
    with db.session() as s:
        result = import_statement(s, company, "BANK", text, name=name, **options)
        return result.statement.id, [line.id for line in result.statement.lines], result.skipped

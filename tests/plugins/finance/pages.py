"""What the finance page tests share: a document made through the services, a
payment, the books-are-sound check, row counts, and the document form's fields.

The fixtures (``fin``, ``app``, ``ann``) are in conftest.py.
"""

from __future__ import annotations

from sqlalchemy import func, select

from core.companies import get_company
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.settlement import register_payment
from tests.conftest import templated
from tests.plugins.finance.conftest import assert_books_sound

PAPER = [LineInput("A4 paper", "26000", "10", product="PAPER"), LineInput("Delivery", "15000", discount="10")]


@templated
def document(
    db, *, kind="invoice", party="C1", date="2026-01-10", lines=PAPER, post=True, code="ACME", **options
):
    """A document made through the services: (id, number or None)."""
    with db.session() as s:
        company = get_company(s, code)
        made = create_invoice(s, company, kind, party, date, lines, **options)
        if post:
            post_invoice(s, company, made)
        return made.id, made.number


@templated
def pay(db, party="C1", amount="100000", date="2026-01-20", code="ACME", **options) -> str:
    with db.session() as s:
        return register_payment(s, get_company(s, code), party, amount, date, **options).number


def sound(db, *codes: str) -> None:
    with db.session() as s:
        for code in codes or ("ACME",):
            assert_books_sound(s, get_company(s, code))


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def lines(*rows, start: int = 0) -> dict:
    """Line rows of the document form: each a dict of the LineForm's fields."""
    data = {}
    for i, row in enumerate(rows, start=start):
        data.update({f"lines-{i}-{key}": value for key, value in row.items()})
    return data


def new_document(kind="invoice", party="C1", date="2026-02-01", currency="KRW", *rows, **fields) -> dict:
    return {
        "kind": kind,
        "party": party,
        "date": date,
        "currency": currency,
        "term": "",
        **fields,
        **lines(
            *(rows or ({"description": "Pens", "quantity": "3", "unit_price": "1,000", "taxes": "VAT10-S"},))
        ),
    }

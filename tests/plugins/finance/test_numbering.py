"""Gapless numbering: processes posting invoices and payments at once, some
rolling back on purpose, leave numbers 1..n per journal and year with no gap
and no duplicate. On PostgreSQL the processes really run at once and meet on
the counter row; on SQLite they queue for the write lock."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

import plugins.finance as finance
from core import transaction
from core.companies import get_company
from plugins.finance.documents import Invoice, Payment
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.models import Entry
from plugins.finance.settlement import register_payment
from tests.core.test_concurrency import TIMEOUT, contestant, race_between
from tests.plugins.finance.conftest import assert_books_sound, make_books


class Rollback(Exception):
    """Raised on purpose after numbering, inside the transaction."""


def _post_documents(url: str, company_code: str, rounds: int, seed: int, barrier, results) -> None:
    with contestant(url, company_code, results, plugins=(finance,), committed=[], rolled_back=0) as (
            factory, company, outcome):
        rng = random.Random(seed)
        barrier.wait(TIMEOUT)
        for n in range(rounds):
            try:
                with transaction(factory) as s:
                    invoice = create_invoice(s, company, "invoice", "C1", "2026-05-04",
                                             [LineInput(f"Item {seed}/{n}", "1000")])
                    post_invoice(s, company, invoice)
                    payment = register_payment(
                        s, company, "C1", "1100", "2026-05-05", invoices=[(invoice, None)]
                    )
                    numbers = (invoice.number, payment.number)
                    if rng.random() < 0.3:
                        raise Rollback(numbers)
                outcome["committed"].append(numbers)
            except Rollback:
                outcome["rolled_back"] += 1


@pytest.mark.slow
@pytest.mark.parametrize("processes, rounds", [(2, 40), (6, 15)])
def test_concurrent_posts_with_rollbacks_leave_no_gap_and_no_duplicate(fdb, processes, rounds):
    company = make_books(fdb, "NUM")
    outcomes = race_between(
        [(_post_documents, (fdb.url, company.code, rounds, seed)) for seed in range(processes)]
    )
    assert [e for o in outcomes for e in o["errors"]] == []
    committed = [numbers for o in outcomes for numbers in o["committed"]]
    assert sum(o["rolled_back"] for o in outcomes) > 0 and committed
    with fdb.session() as s:
        invoices = s.scalars(select(Invoice.number).where(Invoice.company_id == company.id)).all()
        payments = s.scalars(select(Payment.number).where(Payment.company_id == company.id)).all()
        for names, prefix in ((invoices, "INV/2026/"), (payments, "BANK/2026/")):
            numbers = sorted(int(name.removeprefix(prefix)) for name in names)
            assert numbers == list(range(1, len(committed) + 1)), f"{prefix}: gaps or duplicates"
        assert sorted(invoices) == sorted(i for i, _ in committed)
        assert s.scalar(select(Entry.id).where(Entry.company_id == company.id).order_by(Entry.id.desc())) > 0
        assert_books_sound(s, get_company(s, "NUM"))


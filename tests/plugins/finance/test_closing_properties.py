"""After a close, whatever happens next leaves the closed period's trial
balance identical: later documents, payments, credit notes, revaluations and
entries go through; anything dated inside the closed period is refused."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core import ledger
from core.errors import JangbuError, LockedPeriod
from core.ledger import Leg
from core.models import Company
from plugins.finance.closing import close_period, revalue
from plugins.finance.company_setup import journal_of_kind
from plugins.finance.documents import Invoice, InvoiceKind, InvoiceState
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.journals import post_entry
from plugins.finance.models import EntryKind, JournalKind
from plugins.finance.rates import set_rate
from plugins.finance.settlement import register_payment
from tests.plugins.finance.conftest import assert_books_sound, make_books

CLOSED_END = dt.date(2026, 2, 28)
days = st.integers(min_value=0, max_value=120).map(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
operations = st.lists(
    st.tuples(
        st.sampled_from(["invoice", "bill", "usd", "pay", "credit", "entry", "reverse", "revalue"]),
        days,
        st.integers(1, 500),
    ),
    min_size=1,
    max_size=12,
)


def _books(fdb):
    """One company with January and February closed, and activity in them (once per test database)."""
    with fdb.session() as s:
        company = s.scalar(select(Company).where(Company.code == "CLOSE"))
    if company is not None:
        return company
    company = make_books(fdb, "CLOSE")
    with fdb.session() as s:
        set_rate(s, company, "USD", dt.date(2026, 1, 1), "1300")
        for day, amount in ((dt.date(2026, 1, 5), "100000"), (dt.date(2026, 2, 10), "250000")):
            post_invoice(
                s, company, create_invoice(s, company, "invoice", "C1", day, [LineInput("Goods", amount)])
            )
            post_invoice(s, company, create_invoice(s, company, "invoice", "C2", day,
                                                    [LineInput("Export", "75.50", taxes=())], currency="USD"))
        register_payment(s, company, "C1", "50000", dt.date(2026, 2, 20))
        close_period(s, company, "2026-01")
        close_period(s, company, "2026-02")
    return company


def _apply(s, company, kind: str, day: dt.date, n: int) -> None:
    if kind in ("invoice", "bill", "usd"):
        doc = create_invoice(
            s,
            company,
            "bill" if kind == "bill" else "invoice",
            "S1" if kind == "bill" else "C1",
            day,
            [
                LineInput(
                    "Item", str(n * 100) if kind != "usd" else f"{n}.25", taxes=() if kind == "usd" else None
                )
            ],
            currency="USD" if kind == "usd" else None,
        )
        post_invoice(s, company, doc)
    elif kind == "pay":
        register_payment(s, company, "C2" if n % 2 else "C1", "0.50" if n % 2 else str(n * 10), day,
                         currency="USD" if n % 2 else None)
    elif kind == "credit":
        posted = s.scalars(
            select(Invoice)
            .where(
                Invoice.company_id == company.id,
                Invoice.kind == InvoiceKind.INVOICE,
                Invoice.state == InvoiceState.POSTED,
            )
            .order_by(Invoice.id)
        ).all()
        post_invoice(s, company, credit_note(s, company, posted[n % len(posted)], date=day))
    elif kind == "entry":
        post_entry(s, company, journal_of_kind(s, company, JournalKind.GENERAL), day,
                   [Leg("819", n), Leg("103", -n)], kind=EntryKind.MANUAL)
    elif kind == "reverse":
        ids = s.scalars(select(ledger.Transaction.id).where(ledger.Transaction.company_id == company.id)
                        .order_by(ledger.Transaction.id)).all()
        ledger.reverse(s, company, ids[n % len(ids)], day)
    else:
        revalue(s, company, day)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_nothing_after_a_close_changes_the_closed_trial_balance(fdb, ops):
    company = _books(fdb)
    with fdb.session() as s:
        closed = ledger.trial_balance(s, company, CLOSED_END)
    for kind, day, n in ops:
        try:
            with fdb.session() as s:
                _apply(s, company, kind, day, n)
        except LockedPeriod:
            assert day <= CLOSED_END or kind in ("credit", "reverse")  # the closed months refuse
        except JangbuError:
            pass  # a refusal for another reason (nothing to credit or reverse, already reversed...)
        else:
            assert day > CLOSED_END, f"{kind} dated {day} went into a closed period"
        with fdb.session() as s:
            assert ledger.trial_balance(s, company, CLOSED_END) == closed
    with fdb.session() as s:
        assert_books_sound(s, company)

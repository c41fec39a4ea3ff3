"""Foreign currencies: documents keep their own amount and post in the company
currency; settling realises the exchange difference; period-end revaluation
posts the unrealised one and takes it back the next day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import ledger
from core.errors import Invalid
from plugins.finance.closing import revalue
from plugins.finance.documents import Allocation, PaymentState
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.models import Entry, EntryKind
from plugins.finance.rates import rate_on, set_rate
from plugins.finance.settlement import register_payment
from tests.plugins.finance.conftest import assert_books_sound

D = Decimal


@pytest.fixture
def usd(books):
    db, company = books
    with db.session() as s:
        set_rate(s, company, "USD", dt.date(2026, 3, 1), "1300")
        set_rate(s, company, "USD", dt.date(2026, 3, 15), "1350.25")
        set_rate(s, company, "USD", dt.date(2026, 3, 31), "1280")
    return db, company


def _usd_invoice(s, company, kind="invoice", party="C1", amount="1000.00", date="2026-03-02"):
    doc = create_invoice(
        s, company, kind, party, date, [LineInput("Consulting", amount, taxes=())], currency="USD"
    )
    return post_invoice(s, company, doc)


def test_rates_hold_from_their_date_until_the_next(usd):
    db, company = usd
    with db.session() as s:
        assert rate_on(s, company, "USD", dt.date(2026, 3, 14)) == D("1300")
        assert rate_on(s, company, "USD", dt.date(2026, 3, 15)) == D("1350.25")
        assert rate_on(s, company, "KRW", dt.date(2020, 1, 1)) == 1
        with pytest.raises(Invalid, match="no exchange rate for USD on or before 2026-02-28"):
            rate_on(s, company, "USD", dt.date(2026, 2, 28))
        with pytest.raises(Invalid, match="company currency"):
            set_rate(s, company, "KRW", dt.date(2026, 3, 1), "1")
        with pytest.raises(Invalid, match="positive"):
            set_rate(s, company, "USD", dt.date(2026, 3, 1), "0")


def test_a_foreign_invoice_keeps_its_amount_and_posts_in_won(usd):
    db, company = usd
    with db.session() as s:
        doc = _usd_invoice(s, company)
        assert (doc.total_units, doc.currency, doc.total_company) == (100000, "USD", 1300000)
        assert ledger.balance(s, company, "108") == D(1300000)
        assert ledger.balance(s, company, "401") == D(-1300000)
        assert_books_sound(s, company)


@pytest.mark.parametrize("kind, party, direction, account, gain", [
    ("invoice", "C1", "inbound", "108", True),    # the dollar rose: we receive more won
    ("bill", "S1", "outbound", "251", False),     # the dollar rose: we pay more won
])
def test_settling_at_another_rate_realises_the_difference(usd, kind, party, direction, account, gain):
    db, company = usd
    with db.session() as s:
        doc = _usd_invoice(s, company, kind, party)
        first = register_payment(
            s, company, party, "400.00", "2026-03-16", currency="USD", direction=direction
        )
        assert doc.payment_state == PaymentState.PARTIAL and doc.residual_units == 60000
        register_payment(s, company, party, "600.00", "2026-03-20", currency="USD", direction=direction)
        assert doc.payment_state == PaymentState.PAID and doc.residual_company == 0
        assert ledger.balance(s, company, account) == 0  # cleared exactly, however it was rounded
        difference = 1000 * D("1350.25") - 1300000
        fx = ledger.balance(s, company, "907") if gain else ledger.balance(s, company, "932")
        assert fx == (-difference if gain else difference)
        gains = s.scalars(select(Allocation.fx_units).where(Allocation.invoice_id == doc.id)).all()
        assert sum(gains) == (1 if gain else -1) * difference
        assert first.amount_company == 540100
        assert_books_sound(s, company)


def test_revaluation_posts_the_unrealised_difference_and_reverses_it(usd):
    db, company = usd
    with db.session() as s:
        doc = _usd_invoice(s, company)
        bill = _usd_invoice(s, company, "bill", "S1", "500.00")
        names = revalue(s, company, "2026-03-31")
        assert len(names) == 2
        # At 1280 the receivable is worth 20,000 less and the payable 10,000 less.
        assert ledger.balance(s, company, "108", as_of="2026-03-31") == D(1280000)
        assert ledger.balance(s, company, "251", as_of="2026-03-31") == D(-640000)
        assert ledger.balance(s, company, "108") == D(1300000)  # taken back on April 1st
        kinds = s.scalars(select(Entry.kind).where(Entry.name.in_(names))).all()
        assert kinds == [EntryKind.REVALUATION] * 2
        assert (doc.residual_company, bill.residual_company) == (1300000, 650000)  # booked values unchanged
        assert revalue(s, company, "2026-03-02") == []  # nothing moved at the documents' own rate
        assert_books_sound(s, company)


def test_a_foreign_credit_note_at_another_rate_clears_the_receivable_exactly(usd):
    db, company = usd
    with db.session() as s:
        doc = _usd_invoice(s, company)
        credit = credit_note(s, company, doc, date="2026-03-20")
        post_invoice(s, company, credit)
        assert credit.total_company == 1350250
        assert doc.payment_state == credit.payment_state == PaymentState.PAID
        assert ledger.balance(s, company, "108") == 0
        assert ledger.balance(s, company, "907") == D(-50250)  # the exchange difference entry
        assert_books_sound(s, company)


def test_payments_and_documents_in_different_currencies_do_not_mix(usd):
    db, company = usd
    with db.session() as s:
        doc = _usd_invoice(s, company)
        with pytest.raises(Invalid, match="USD"):
            register_payment(s, company, "C1", "1300000", "2026-03-16", invoices=[(doc, None)])

"""End to end: invoice -> payment -> reconciliation -> period close -> year close,
with the books sound after every step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import ledger
from core.catalog import get_party
from core.errors import Conflict, Invalid, LockedPeriod
from core.ledger import Leg
from core.models import Company
from plugins.finance.closing import close_period, close_year, find_year
from plugins.finance.company_setup import journal_of_kind
from plugins.finance.documents import Invoice, InvoiceState, PaymentState
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import LineInput, create_invoice, delete_draft, set_lines
from plugins.finance.journals import post_entry
from plugins.finance.models import Entry, EntryKind, JournalKind
from plugins.finance.settlement import party_balance, register_payment
from tests.plugins.finance.conftest import assert_books_sound

D = Decimal


def test_invoice_to_year_close(books):
    db, company = books
    with db.session() as s:
        post_entry(
            s,
            company,
            journal_of_kind(s, company, JournalKind.GENERAL),
            dt.date(2026, 1, 2),
            [Leg("103", "50000000"), Leg("331", "-50000000")],
            kind=EntryKind.MANUAL,
            memo="Capital paid in",
        )
        assert_books_sound(s, company)

        invoice = create_invoice(s, company, "invoice", "C1", "2026-01-10", [
            LineInput("A4 paper", "26000", "10", product="PAPER"),
            LineInput("Delivery", "15000", discount="10")], term="NET30")
        assert invoice.state == InvoiceState.DRAFT and invoice.number is None
        assert (invoice.untaxed_units, invoice.tax_units, invoice.total_units) == (273500, 27350, 300850)
        assert invoice.due_date == dt.date(2026, 2, 9)
        assert ledger.balance(s, company, "108") == 0  # a draft touches nothing
        post_invoice(s, company, invoice)
        assert invoice.number == "INV/2026/00001"
        assert ledger.balance(s, company, "108") == D(300850)
        assert ledger.balance(s, company, "401") == D(-273500)
        assert ledger.balance(s, company, "255") == D(-27350)
        assert_books_sound(s, company)

        bill = create_invoice(
            s,
            company,
            "bill",
            "S1",
            "2026-01-12",
            [LineInput("Paper stock", "120000", "1")],
            reference="NAMSAN-778",
        )
        post_invoice(s, company, bill)
        assert bill.number == "BILL/2026/00001"
        assert ledger.balance(s, company, "251") == D(-132000) and ledger.balance(s, company, "135") == D(
            12000
        )
        assert_books_sound(s, company)

        first = register_payment(s, company, "C1", "100000", "2026-01-20")
        assert invoice.payment_state == PaymentState.PARTIAL and invoice.residual_units == 200850
        assert_books_sound(s, company)
        second = register_payment(s, company, "C1", "200850", "2026-02-03")
        assert invoice.payment_state == PaymentState.PAID and invoice.residual_units == 0
        assert (first.number, second.number) == ("BANK/2026/00001", "BANK/2026/00002")
        assert ledger.balance(s, company, "108") == 0
        register_payment(s, company, "S1", "132000", "2026-02-05", direction="outbound")
        assert bill.payment_state == PaymentState.PAID and ledger.balance(s, company, "251") == 0
        assert_books_sound(s, company)
        assert party_balance(s, company, get_party(s, company, "C1")) == {"receivable": 0, "payable": 0}

        close_period(s, company, "2026-01")
        assert_books_sound(s, company)
        january = ledger.trial_balance(s, company, "2026-01-31")

    with pytest.raises(LockedPeriod):
        with db.session() as s:
            create_invoice(s, company, "invoice", "C1", "2026-01-31", [LineInput("Late", "1000")])
    with pytest.raises(LockedPeriod):
        with db.session() as s:
            ledger.post(s, company, "2026-01-15", [Leg("101", "1"), Leg("401", "-1")])

    with db.session() as s:
        late = create_invoice(s, company, "invoice", "C2", "2026-03-01", [LineInput("Consulting", "500000")])
        post_invoice(s, company, late)
        credit = credit_note(s, company, late, date="2026-03-05", reason="Service not delivered")
        post_invoice(s, company, credit)
        assert late.payment_state == PaymentState.PAID and credit.payment_state == PaymentState.PAID
        assert ledger.balance(s, company, "108") == 0
        post_entry(s, company, journal_of_kind(s, company, JournalKind.GENERAL), dt.date(2026, 6, 30),
                   [Leg("819", "1800000"), Leg("103", "-1800000")], kind=EntryKind.MANUAL, memo="Rent")
        assert_books_sound(s, company)
        assert ledger.trial_balance(s, company, "2026-01-31") == january  # later work leaves January alone

        income_expense = [r for r in ledger.trial_balance(s, company, "2026-12-31")
                          if r.type in (ledger.AccountType.INCOME, ledger.AccountType.EXPENSE)]
        net_income = -sum(r.balance for r in income_expense)
        retained_before = ledger.balance(s, company, "375")
        year = close_year(s, company, "2026")
        assert_books_sound(s, company)
        assert year.closing_transaction_id is not None
        # Net income is what retained earnings gained; income and expenses start the next year at zero.
        assert (
            -(ledger.balance(s, company, "375") - retained_before)
            == net_income
            == D(273500 - 120000 - 1800000)
        )
        after = ledger.trial_balance(s, company)
        assert all(r.type not in (ledger.AccountType.INCOME, ledger.AccountType.EXPENSE) for r in after)
        assert s.get(Company, company.id).lock_date == dt.date(2026, 12, 31)
        closing = s.scalar(select(Entry).where(Entry.transaction_id == year.closing_transaction_id))
        assert closing.kind == EntryKind.CLOSING and closing.date == dt.date(2026, 12, 31)
        december = ledger.trial_balance(s, company, "2026-12-31")

    with db.session() as s:
        post_invoice(s, company, create_invoice(s, company, "invoice", "C1", "2027-01-04",
                                                [LineInput("New year", "1000")]))
        assert find_year(s, company, "2027").start == dt.date(2027, 1, 1)
        assert ledger.trial_balance(s, company, "2026-12-31") == december
        assert s.scalar(select(Invoice.number).where(Invoice.date == dt.date(2027, 1, 4))) == "INV/2027/00001"
        assert_books_sound(s, company)


def test_posted_documents_do_not_change_and_drafts_do(books):
    db, company = books
    with db.session() as s:
        draft = create_invoice(s, company, "invoice", "C1", "2026-04-01", [LineInput("One", "1000")])
        set_lines(s, company, draft, [LineInput("Two", "2000", "2")])
        assert draft.total_units == 4400
        post_invoice(s, company, draft)
        with pytest.raises(Conflict, match="credit note"):
            set_lines(s, company, draft, [LineInput("Three", "1")])
        with pytest.raises(Conflict):
            delete_draft(s, company, draft)
        with pytest.raises(Conflict, match="posted already"):
            post_invoice(s, company, draft)
        other = create_invoice(s, company, "invoice", "C1", "2026-04-01", [LineInput("Gone", "5")])
        delete_draft(s, company, other)
        assert s.get(Invoice, other.id) is None


@pytest.mark.parametrize("lines, message", [
    ([], "at least one line"),
    ([LineInput("Refund", "-1000")], "must be positive"),
    ([LineInput("Less than a won", "0.4", "1", taxes=())], "must be positive"),
    ([LineInput("Wrong tax", "1000", taxes=("VAT10-P",))], "purchases"),
    ([LineInput("", "1000")], "description"),
    ([LineInput("Zero", "1000", "0")], "quantity must not be zero"),
    ([LineInput("Too fine", "1000", "0.0000001")], "decimal places"),
    ([LineInput("Discount", "1000", discount="120")], "between 0 and 100"),
])
def test_bad_documents_are_refused_and_write_nothing(books, lines, message):
    db, company = books
    with pytest.raises(Invalid, match=message):
        with db.session() as s:
            invoice = create_invoice(s, company, "invoice", "C1", "2026-04-01", lines)
            post_invoice(s, company, invoice)
    with db.session() as s:
        assert s.scalar(select(Invoice.id)) is None
        assert ledger.verify(s, company).transactions == 0


def test_closing_refuses_out_of_order_and_with_drafts_inside(books):
    db, company = books
    with db.session() as s:
        create_invoice(s, company, "invoice", "C1", "2026-02-10", [LineInput("Draft", "1000")])
    with pytest.raises(Conflict, match="close period 2026-01 first"):
        with db.session() as s:
            close_period(s, company, "2026-02")
    with db.session() as s:
        close_period(s, company, "2026-01")
    with pytest.raises(Conflict, match="draft"):
        with db.session() as s:
            close_period(s, company, "2026-02")
    with pytest.raises(Conflict, match="closed already"):
        with db.session() as s:
            close_period(s, company, "2026-01")


def test_a_draft_header_changes_and_its_totals_follow(books):
    db, company = books
    with db.session() as s:
        from plugins.finance.invoices import update_draft
        from plugins.finance.rates import set_rate

        draft = create_invoice(
            s, company, "invoice", "C1", "2026-04-01", [LineInput("One", "100")], term="NET30"
        )
        set_rate(s, company, "USD", dt.date(2026, 4, 1), "1400")
        update_draft(s, company, draft, party="C2", date="2026-04-10", currency="USD", reference="PO-9")
        assert (draft.party.code, draft.currency, draft.due_date, draft.total_units) == (
            "C2",
            "USD",
            dt.date(2026, 5, 10),
            11000,
        )
        update_draft(s, company, draft, term="", due="2026-04-20")
        assert draft.term_id is None and draft.due_date == dt.date(2026, 4, 20)
        with pytest.raises(Invalid, match="before the document date"):
            update_draft(s, company, draft, due="2026-04-01")
        post_invoice(s, company, draft)
        with pytest.raises(Conflict):
            update_draft(s, company, draft, memo="too late")

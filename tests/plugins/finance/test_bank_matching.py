"""Bank statements: suggesting what accounts for each line and why, and matching
lines to payments (by hand, automatically, and by processes at once)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

import plugins.finance as finance
from core import transaction
from core.errors import Conflict, Invalid
from core.ledger import balance
from plugins.finance.bank import find_line, import_statement, list_lines
from plugins.finance.bank_matching import auto_match, match
from plugins.finance.bank_suggestions import mentions, suggest
from plugins.finance.closing import close_period
from plugins.finance.documents import Payment, PaymentState
from plugins.finance.models import BankLine, BankLineState
from plugins.finance.settlement import register_payment
from tests.core.test_concurrency import TIMEOUT, contestant, race
from tests.plugins.finance.bank_helpers import HEADER, document, import_text, rows
from tests.plugins.finance.conftest import assert_books_sound

# -- suggestions ----------------------------------------------------------------------

def test_mentions_ignores_case_and_punctuation_but_not_digits():
    assert mentions("pay inv 2026-00012 thanks", "INV/2026/00012")
    assert mentions("INV/2026/00012,INV/2026/00013", "INV/2026/00013")
    assert not mentions("INV/2026/000123", "INV/2026/00012")
    assert not mentions("order 17", "7") and not mentions("", "INV/2026/00001")


def test_suggestions_find_the_document_the_reference_names_among_equal_amounts(books):
    """A generated set: many open documents, several of one amount; each line names its
    document in the reference (in the bank's spelling), so the right answer is known."""
    db, company = books
    rng = random.Random(7)
    parties = ["C1", "C2"]
    with db.session() as s:
        made = [document(s, company, rng.choice(parties), rng.choice([1000, 1000, 2500, 4000]),
                         due=f"2026-03-{rng.randint(1, 28):02d}") for _ in range(12)]
        bill = document(s, company, "S1", 1000, kind="bill")
        expected = [(d.number, d.id, d.residual_units, d.party.name) for d in made]
        refs = [f"{d.number.replace('/', ' ').lower()} thank you" for d in made]
        text = HEADER + "".join(f"2026-03-10,{units},{ref},{rng.choice(['', name.upper()])}\n"
                                for (_, _, units, name), ref in zip(expected, refs))
        statement = import_statement(s, company, "BANK", text, name="gen").statement
        for line, (number, _, units, _) in zip(statement.lines, expected):
            found = suggest(s, company, line)
            best = found[0]
            assert best.invoices == (number,) and best.strong
            assert f"the reference mentions {number}" in best.reasons
            assert any("is what" in r for r in best.reasons)
            assert all(best.score > other.score for other in found[1:])
            assert all(bill.number not in sug.invoices for sug in found)  # a bill is never money in


def test_counterparty_and_customer_reference_rank_and_explain(books):
    db, company = books
    with db.session() as s:
        a = document(s, company, "C1", 1000, due="2026-03-10")
        b = document(s, company, "C2", 1000, due="2026-03-10", reference="PO-4471")
        c = document(s, company, "C1", 3000, due="2026-03-10")
        text = HEADER + ("2026-03-11,1000,transfer,(주) SEOUL OFFICE SUPPLY\n"
                         "2026-03-11,1000,order po 4471,\n"
                         "2026-03-11,1000,transfer,Hanbit Retail Co.\n"
                         "2026-03-11,1000,transfer,someone else\n"
                         "2026-03-11,-1000,refund,Hanbit Retail\n")
        lines = import_statement(s, company, "BANK", text, name="s").statement.lines

        best = suggest(s, company, lines[0])[0]
        assert best.invoices == (b.number,) and best.strong and best.party == "C2"
        assert any("is the name of C2 Seoul Office Supply" in r for r in best.reasons)
        assert "dated 1 day after the due date" in best.reasons

        best = suggest(s, company, lines[1])[0]
        assert best.invoices == (b.number,) and best.strong
        assert f"the reference mentions {b.number}'s reference 'PO-4471'" in best.reasons

        found = suggest(s, company, lines[2])
        # Hanbit has two documents; only the one of the line's amount is strong.
        assert [x.invoices for x in found if x.strong] == [(a.number,)]
        assert (c.number,) in [x.invoices for x in found]  # named by the counterparty, but 3000 open
        assert any(
            "the line pays part of it" in r for x in found if x.invoices == (c.number,) for r in x.reasons
        )

        found = suggest(s, company, lines[3])  # the amount alone: candidates, none strong
        assert {x.invoices for x in found} == {(a.number,), (b.number,)} and not any(x.strong for x in found)

        assert suggest(s, company, lines[4]) == []  # money out: no customer invoice fits


def test_a_korean_counterparty_is_recognised_whatever_its_legal_form_and_spacing(books):
    db, company = books
    with db.session() as s:
        from core.catalog import create_party

        create_party(s, company, "K1", "한빛리테일 주식회사")
        invoice = document(s, company, "K1", 3300)
        line = import_statement(s, company, "BANK", HEADER + "2026-03-09,3300,입금,(주)한빛 리테일\n",
                                name="s").statement.lines[0]
        best, = [x for x in suggest(s, company, line) if x.strong]
        assert best.invoices == (invoice.number,)
        assert "counterparty '(주)한빛 리테일' is the name of K1 한빛리테일 주식회사" in best.reasons


def test_several_documents_of_one_party_that_add_up(books):
    db, company = books
    with db.session() as s:
        small = document(s, company, "C1", 300, due="2026-03-05")
        large = document(s, company, "C1", 700, due="2026-03-06")
        document(s, company, "C1", 450)
        document(s, company, "C2", 700)  # another party's: no part of a sum
        statement = import_statement(s, company, "BANK", HEADER + "2026-03-08,1000,march,HANBIT RETAIL\n",
                                     name="s").statement
        found = suggest(s, company, statement.lines[0])
        best = found[0]
        assert best.invoices == (small.number, large.number) and best.strong
        assert best.amount == Decimal("1000")
        assert f"the open amounts of {small.number}, {large.number} add up to 1,000 KRW" in best.reasons
        report = auto_match(s, company, statement)
        assert [m.invoices for m in report.matched] == [(small.number, large.number)]
        assert small.payment_state == large.payment_state == PaymentState.PAID
        assert_books_sound(s, company)


# -- matching -------------------------------------------------------------------------

def test_matching_registers_a_payment_that_settles_the_invoice(books):
    db, company = books
    with db.session() as s:
        invoice = document(s, company, "C1", 1200)
        statement = import_statement(
            s, company, "BANK", HEADER + f'2026-03-09,"1,200",{invoice.number},x\n', name="s"
        ).statement
        line = statement.lines[0]
        bank_before, receivable_before = balance(s, company, "103"), balance(s, company, "108")
        paid = match(s, company, line, [invoice])
        assert (paid.direction.value, paid.amount_units, paid.date, paid.journal.code) == (
            "inbound", 1200, dt.date(2026, 3, 9), "BANK")
        assert paid.reference == invoice.number and paid.unallocated_units == 0
        assert invoice.residual_units == 0 and invoice.payment_state == PaymentState.PAID
        assert line.state == BankLineState.MATCHED and line.payment_id == paid.id
        assert balance(s, company, "103") - bank_before == Decimal(1200)
        assert receivable_before - balance(s, company, "108") == Decimal(1200)
        assert_books_sound(s, company)
        with pytest.raises(Conflict, match="matched already"):
            match(s, company, line, [invoice])
        with pytest.raises(Conflict, match="matched already"):
            suggest(s, company, line)


def test_an_outbound_line_pays_a_bill(books):
    db, company = books
    with db.session() as s:
        bill = document(s, company, "S1", 550, kind="bill", reference="NP-88")
        invoice = document(s, company, "C1", 550)
        statement = import_statement(s, company, "BANK", HEADER + "2026-03-09,-550,NP-88,Namsan Paper\n",
                                     name="s").statement
        line = statement.lines[0]
        best = suggest(s, company, line)[0]
        assert best.invoices == (bill.number,) and best.strong
        assert invoice.number not in {n for x in suggest(s, company, line, None) for n in x.invoices}
        bank_before, payable_before = balance(s, company, "103"), balance(s, company, "251")
        with pytest.raises(Invalid, match="cannot settle it"):
            match(s, company, line, [invoice])
        paid = match(s, company, line, [bill])
        assert paid.direction.value == "outbound" and bill.payment_state == PaymentState.PAID
        assert balance(s, company, "103") - bank_before == Decimal(-550)
        assert balance(s, company, "251") - payable_before == Decimal(
            550
        )  # a liability's balance is a credit
        assert_books_sound(s, company)


def test_a_payment_without_documents_needs_a_party_and_stays_unallocated(books):
    db, company = books
    with db.session() as s:
        document(s, company, "C1", 500)
        line = import_statement(
            s, company, "BANK", HEADER + "2026-03-09,800,advance,?\n", name="s"
        ).statement.lines[0]
        with pytest.raises(Invalid, match="say who paid"):
            match(s, company, line)
        paid = match(s, company, line, party="C1")
        assert paid.unallocated_units == 800  # not the oldest open invoice: nobody said so
        assert_books_sound(s, company)


def test_documents_of_two_parties_or_another_party_are_refused(books):
    db, company = books
    with db.session() as s:
        a, b = document(s, company, "C1", 500), document(s, company, "C2", 500)
        line = import_statement(
            s, company, "BANK", HEADER + "2026-03-09,1000,x,y\n", name="s"
        ).statement.lines[0]
        with pytest.raises(Invalid, match="different parties"):
            match(s, company, line, [a, b])
        with pytest.raises(Invalid, match="not of party C2"):
            match(s, company, line, [a.number], party="C2")
        with pytest.raises(Invalid, match="named twice"):
            match(s, company, line, [a, a])
        assert line.state == BankLineState.OPEN and s.scalar(select(func.count()).select_from(Payment)) == 0


def test_a_registered_payment_is_suggested_and_linked_once(books):
    db, company = books
    with db.session() as s:
        registered = register_payment(s, company, "C1", "800", "2026-03-07", invoices=[], reference="ADV-1")
        cash = register_payment(s, company, "C1", "800", "2026-03-07", invoices=[], journal="CASH")
        text = (
            HEADER
            + "2026-03-09,800,adv 1,Hanbit Retail\n2026-03-09,800,again,Hanbit Retail\n2026-03-09,900,x,y\n"
        )
        first, second, third = import_statement(s, company, "BANK", text, name="s").statement.lines
        found = suggest(s, company, first)
        assert [x.payment for x in found] == [registered.number]  # the cash journal's payment is no candidate
        assert (
            found[0].strong and "the reference mentions the payment's reference 'ADV-1'" in found[0].reasons
        )
        assert "dated 2 days after the payment date" in found[0].reasons
        payments = s.scalar(select(func.count()).select_from(Payment))
        bank_before = balance(s, company, "103")
        with pytest.raises(Invalid, match="is in journal CASH"):
            match(s, company, first, payment=cash.number)
        with pytest.raises(Invalid, match="is 800 KRW, line .* 900 KRW"):
            match(s, company, third, payment=registered.number)
        assert match(s, company, first, payment=registered.number).id == registered.id
        assert first.payment_id == registered.id and first.state == BankLineState.MATCHED
        assert s.scalar(select(func.count()).select_from(Payment)) == payments  # linked, nothing new posted
        assert balance(s, company, "103") == bank_before
        with pytest.raises(Conflict, match=f"linked to statement line {first.id} already"):
            match(s, company, second, payment=registered)
        assert all(x.payment is None for x in suggest(s, company, second, None))


def test_a_linked_payment_can_settle_the_documents_given(books):
    db, company = books
    with db.session() as s:
        invoice = document(s, company, "C2", 800)
        registered = register_payment(s, company, "C2", "800", "2026-03-07", invoices=[])
        line = import_statement(
            s, company, "BANK", HEADER + "2026-03-09,800,x,y\n", name="s"
        ).statement.lines[0]
        match(s, company, line, [invoice.number], payment=registered.number)
        assert invoice.payment_state == PaymentState.PAID and registered.unallocated_units == 0
        assert_books_sound(s, company)


def test_auto_match_takes_only_the_unambiguous(books):
    db, company = books
    with db.session() as s:
        named = document(s, company, "C2", 1500)
        twin_a, twin_b = document(s, company, "C1", 900), document(s, company, "C1", 900)
        bill = document(s, company, "S1", 320, kind="bill")
        lone = document(s, company, "C2", 640)
        registered = register_payment(s, company, "C1", "777", "2026-03-07", invoices=[], reference="R-777")
        text = HEADER + (f"2026-03-09,1500,{named.number},\n"      # strong, alone
                         "2026-03-09,900,march,Hanbit Retail\n"    # two documents of 900: ambiguous
                         "2026-03-09,-320,paper,Namsan Paper Mill\n"  # strong by the counterparty
                         "2026-03-09,777,r 777,\n"                  # the registered payment
                         "2026-03-09,5,interest,Bank\n"             # nothing
                         "2026-03-09,640,transfer,somebody\n")      # the amount alone proves nothing
        statement = import_statement(s, company, "BANK", text, name="s").statement
        lines = statement.lines
        report = auto_match(s, company, statement)
        assert [(m.line_id, m.invoices, m.linked) for m in report.matched] == [
            (lines[0].id, (named.number,), False), (lines[2].id, (bill.number,), False),
            (lines[3].id, (), True)]
        assert dict(report.left) == {lines[1].id: "2 strong suggestions too close to call (scores 86, 86)",
                                     lines[4].id: "no strong suggestion", lines[5].id: "no strong suggestion"}
        assert lines[3].payment_id == registered.id
        assert twin_a.residual_units == twin_b.residual_units == 900 and lone.residual_units == 640
        assert [line.id for line in list_lines(s, company, statement=statement, only_open=True)] == [
            lines[1].id, lines[4].id, lines[5].id]
        assert_books_sound(s, company)
        again = auto_match(s, company, statement)  # what is matched stays matched; the rest still left
        assert again.matched == () and len(again.left) == 3


def test_auto_match_takes_a_strong_suggestion_that_leads_decisively(books):
    db, company = books
    with db.session() as s:
        named = document(s, company, "C1", 1200)
        small, large = document(s, company, "C1", 300), document(s, company, "C1", 900)
        text = HEADER + f"2026-03-09,1200,{named.number},HANBIT RETAIL\n2026-03-10,1200,x,Hanbit Retail\n"
        statement = import_statement(s, company, "BANK", text, name="s").statement
        first, second = statement.lines
        strong = [x for x in suggest(s, company, first) if x.strong]
        assert [x.invoices for x in strong] == [(named.number,), (small.number, large.number)]
        assert strong[0].score - strong[1].score >= 30  # the reference decides
        strong = [x for x in suggest(s, company, second) if x.strong]
        assert len(strong) == 2 and strong[0].score - strong[1].score < 30  # the party alone does not
        report = auto_match(s, company, statement)
        # The first line takes the document it names; then the second has only the pair left.
        assert [(m.line_id, m.invoices) for m in report.matched] == [
            (first.id, (named.number,)), (second.id, (small.number, large.number))]
        assert_books_sound(s, company)


def test_auto_match_leaves_a_line_it_cannot_post_and_goes_on(books):
    db, company = books
    with db.session() as s:
        early = document(s, company, "C1", 100, date="2026-01-05")
        late = document(s, company, "C2", 200, date="2026-03-02")
        text = HEADER + f"2026-01-20,100,{early.number},\n2026-03-09,200,{late.number},\n"
        statement = import_statement(s, company, "BANK", text, name="s").statement
        close_period(s, company, "2026-01")  # closed after the import
        report = auto_match(s, company, statement)
        assert [m.invoices for m in report.matched] == [(late.number,)]
        (line_id, why), = report.left
        assert line_id == statement.lines[0].id and "closed" in why
        assert early.residual_units == 100 and statement.lines[0].state == BankLineState.OPEN
        assert_books_sound(s, company)


def test_lines_of_another_company_are_not_found(books):
    db, company = books
    from tests.plugins.finance.conftest import make_books

    other = make_books(db, "OTHER")
    _, (line_id,), _ = import_text(db, company, HEADER + "2026-03-02,100,a,b\n")
    with db.session() as s:
        with pytest.raises(Exception, match="unknown bank statement line"):
            find_line(s, other, line_id)
        assert find_line(s, company, str(line_id)).id == line_id


def _import_then_match(url, company_code, text, barrier, results):
    """One process: import ``text``, then match the first line, each at once with the others."""
    with contestant(url, company_code, results, plugins=(finance,), imported=0, matched=0, conflicts=[]) as (
            factory, company, outcome):
        for step in ("imported", "matched"):
            barrier.wait(TIMEOUT)
            try:
                with transaction(factory) as s:
                    if step == "imported":
                        import_statement(s, company, "BANK", text, name="race")
                    else:
                        match(s, company, s.scalar(select(BankLine).order_by(BankLine.id)), party="C1")
                outcome[step] += 1
            except Conflict as exc:
                outcome["conflicts"].append(str(exc))


@pytest.mark.slow
def test_processes_importing_and_matching_at_once_do_each_once(books):
    """On PostgreSQL the imports meet on the journal's row and the matches on the line's;
    on SQLite they queue for the write lock. Either way: one statement, one payment."""
    db, company = books
    outcomes = race(_import_then_match, 3, db.url, company.code, HEADER + "2026-03-09,500,adv,Hanbit\n")
    assert [e for o in outcomes for e in o["errors"]] == []
    assert sum(o["imported"] for o in outcomes) == 1 and sum(o["matched"] for o in outcomes) == 1
    conflicts = [c for o in outcomes for c in o["conflicts"]]
    assert len(conflicts) == 4 and sum("already" in c for c in conflicts) == 4
    with db.session() as s:
        assert rows(s) == (1, 1) and s.scalar(select(func.count()).select_from(Payment)) == 1
        assert_books_sound(s, company)

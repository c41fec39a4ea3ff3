"""Finance's reports: exact figures for a year of business, and the invariants
they must keep whatever happens (the balance sheet balances, the cash flow
explains the change in cash, the close moves net income to retained
earnings, comparisons are the other period's report), from the services and
from the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from core import ledger
from core.catalog import create_party
from core.errors import Invalid, NotFound
from core.ledger import Balance, Leg
from core.ledger.models import Account
from core.values import parse_date
from plugins.finance.closing import close_year
from plugins.finance.company_setup import journal_of_kind
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.journals import ensure_fiscal_year, post_entry
from plugins.finance.models import EntryKind, JournalKind
from plugins.finance.reports import (
    DateRange, aged_balances, as_table, balance_sheet, cash_flow, compare_date, compare_range, general_ledger,
    profit_and_loss, trial_balance,
)
from plugins.finance.settlement import register_payment
from tests.plugins.finance.conftest import assert_books_sound, make_books

Y25, Y26 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
CASH, PNL_ACCOUNTS = ("101", "103"), ("401", "412", "451", "801", "818", "830", "901", "931", "907", "932", "980")


class Ops:
    """Business as the services do it, one call a line."""

    def __init__(self, session, company):
        self.s, self.company = session, company

    def document(self, kind, party, day, amount, account=None, term=None):
        doc = create_invoice(self.s, self.company, kind, party, day, [LineInput("goods", amount, account=account)],
                             term=term)
        return post_invoice(self.s, self.company, doc)

    def sale(self, day, amount, party="C1", term=None):
        return self.document("invoice", party, day, amount, term=term)

    def bill(self, day, amount, account="830", party="S1", term=None):
        return self.document("bill", party, day, amount, account, term)

    def receive(self, day, amount, party="C1"):
        return register_payment(self.s, self.company, party, amount, day)

    def pay(self, day, amount, party="S1"):
        return register_payment(self.s, self.company, party, amount, day, direction="outbound")

    def entry(self, day, debit, credit, amount):
        journal = journal_of_kind(self.s, self.company, JournalKind.GENERAL)
        post_entry(self.s, self.company, journal, parse_date(day), [Leg(debit, D(amount)), Leg(credit, -D(amount))],
                   kind=EntryKind.MANUAL)


def year_of_business(s, company):
    """2025: capital, a loan, a machine, sales, purchases, a credit note, payments, depreciation."""
    o = Ops(s, company)
    o.entry("2025-01-02", "103", "331", 50_000_000)            # capital paid in
    o.entry("2025-01-10", "103", "293", 20_000_000)            # long-term loan
    o.bill("2025-02-01", 10_000_000, "212")                     # a machine: 11,000,000 with VAT
    o.pay("2025-02-15", 11_000_000)
    o.sale("2025-03-01", 1_000_000, "C1", "NET30")              # 1,100,000, due 03-31
    o.sale("2025-04-01", 2_000_000, "C2", "NET30")              # 2,200,000, due 05-01
    o.bill("2025-05-01", 1_200_000, "451", term="NET60")        # 1,320,000, due 06-30
    returned = o.sale("2025-06-01", 500_000, "C1")              # 550,000 ...
    post_invoice(s, company, credit_note(s, company, returned, date="2025-06-15"))  # ... credited in full
    o.receive("2025-07-01", 1_100_000, "C1")
    o.receive("2025-08-01", 1_000_000, "C2")                    # part of 2,200,000
    o.entry("2025-10-01", "931", "103", 50_000)                 # interest
    o.receive("2025-11-01", 300_000, "C1")                      # nothing open: unallocated
    o.bill("2025-11-20", 300_000, "830", term="NET30")          # 330,000, due 12-20
    o.entry("2025-12-01", "293", "103", 5_000_000)              # loan repaid in part
    for month in range(1, 13):
        end = dt.date(2025, month, 28) if month == 2 else dt.date(2025, month, 30 if month in (4, 6, 9, 11) else 31)
        o.entry(end, "818", "213", 100_000)                     # depreciation


def next_months(s, company):
    o = Ops(s, company)
    o.sale("2026-01-15", 3_000_000, "C1")
    o.receive("2026-01-20", 1_200_000, "C2")
    o.entry("2026-01-31", "818", "213", 100_000)
    o.pay("2026-02-10", 1_650_000)
    o.entry("2026-02-28", "818", "213", 100_000)


@pytest.fixture
def business(books):
    db, company = books
    with db.session() as s:
        year_of_business(s, s.merge(company))
    return db, company


def test_the_profit_and_loss_of_the_year(business):
    db, company = business
    with db.session() as s:
        pnl = profit_and_loss(s, s.merge(company), *Y25)
    assert [(line.key, line.amount) for line in pnl.lines if line.kind != "account"] == [
        ("revenue", 3_000_000), ("cost_of_sales", 1_200_000), ("gross_profit", 1_800_000),
        ("expenses", 1_500_000), ("operating_result", 300_000), ("other_income", 0), ("other_expenses", 50_000),
        ("net_income", 250_000)]
    assert pnl.line("account:818").amount == 1_200_000 and pnl.line("account:818").account == "818"
    assert set(pnl.line("net_income").accounts) == {"401", "451", "818", "830", "931"}
    assert pnl.compare_end is None and pnl.line("revenue").compare is None


def test_the_balance_sheet_balances_and_shows_unclosed_earnings(business):
    db, company = business
    with db.session() as s:
        bs = balance_sheet(s, s.merge(company), "2025-12-31")
    amounts = {line.key: line.amount for line in bs.lines}
    assert amounts["cash"] == 56_350_000 and amounts["receivables"] == 900_000
    assert amounts["depreciation"] == -1_200_000 and amounts["fixed_assets"] == 10_000_000
    assert amounts["payables"] == 1_650_000 and amounts["long_term_liabilities"] == 15_000_000
    assert amounts["capital"] == 50_000_000 and amounts["current_earnings"] == 250_000
    assert amounts["total_assets"] == amounts["total_liabilities_and_equity"] == 67_200_000
    keys = [line.key for line in bs.lines if line.kind != "account"]
    assert keys.index("total_assets") == keys.index("non_current_assets") + 1


def test_the_cash_flow_explains_the_change_in_cash(business):
    db, company = business
    with db.session() as s:
        cf = cash_flow(s, s.merge(company), *Y25)
    amounts = {line.key: line.amount for line in cf.lines}
    assert amounts["net_income"] == 250_000 and amounts["depreciation"] == 1_200_000
    assert amounts["receivables"] == -900_000 and amounts["payables"] == 1_650_000
    assert amounts["operating"] == 1_350_000 and amounts["investing"] == -10_000_000
    assert amounts["financing"] == 65_000_000
    assert amounts["net_change"] == amounts["cash_closing"] - amounts["cash_opening"] == 56_350_000


def test_aged_balances_by_days_past_due_equal_the_ledger(business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        receivables = aged_balances(s, company, "2025-12-31")
        payables = aged_balances(s, company, "2025-12-31", payables=True)
        before = aged_balances(s, company, "2025-07-31")
    c1, c2 = receivables.rows
    assert (c1.party, c1.unallocated, c1.total) == ("C1", -300_000, -300_000)
    assert (c2.party, c2.over_90, c2.total) == ("C2", 1_200_000, 1_200_000)
    assert receivables.totals.total == receivables.ledger_balance == 900_000 and receivables.account == "108"
    (s1,) = payables.rows
    assert (s1.over_90, s1.days_1_30, s1.total) == (1_320_000, 330_000, 1_650_000)
    assert payables.totals.total == payables.ledger_balance == 1_650_000 and payables.account == "251"
    # As of July: C2's invoice (due 05-01) was 91 days late and not yet paid in part.
    assert [(r.party, r.over_90, r.total) for r in before.rows] == [("C2", 2_200_000, 2_200_000)]
    assert before.totals.total == before.ledger_balance


def test_the_trial_balance_of_a_period_adds_up_and_matches_the_ledger(business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        next_months(s, company)
        tb = trial_balance(s, company, "2026-01-01", "2026-02-28")
        opening = trial_balance(s, company, None, "2025-12-31")
        closing = trial_balance(s, company, None, "2026-02-28")
        for row in tb.rows:
            assert row.closing == row.opening + row.debit - row.credit
            assert row.closing == ledger.balance(s, company, row.account, as_of="2026-02-28")
            assert row.closing == row.closing_debit - row.closing_credit
        assert tb.totals.debit == tb.totals.credit > 0
        assert tb.totals.closing_debit == tb.totals.closing_credit
        assert {r.account: r.opening for r in tb.rows if r.opening} == {r.account: r.closing for r in opening.rows}
        assert {r.account: r.closing for r in tb.rows if r.closing} == {r.account: r.closing for r in closing.rows}
        assert tb.row("108").debit == 3_300_000 and tb.row("108").credit == 1_200_000
        # As of a date, like core's trial balance (company currency only).
        core_rows = {(r.account, r.debit - r.credit) for r in ledger.trial_balance(s, company, "2026-02-28")}
        assert {(r.account, r.closing) for r in closing.rows} == core_rows


def test_the_trial_balance_reads_the_maintained_balances(business):
    """Shift one maintained balance (a test database may): the closing figures follow it, so they
    come from ``ledger_balance``, not from summing every posting."""
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        bank = s.scalar(select(Account.id).where(Account.company_id == company.id, Account.code == "103"))
        s.execute(update(Balance).where(Balance.account_id == bank).values(amount=Balance.amount + 7))
        assert trial_balance(s, company, None, "2025-06-30").row("103").closing == \
            ledger.balance(s, company, "103", as_of="2025-06-30")
        assert trial_balance(s, company, *Y25).row("103").closing == 56_350_007
        assert balance_sheet(s, company, "2025-12-31").amount("cash") == 56_350_007
        assert not ledger.verify(s, company).ok  # and verify sees the tampering
        s.rollback()


def test_closing_the_year_moves_net_income_to_retained_earnings(business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        before = profit_and_loss(s, company, *Y25)
        retained_before = ledger.balance(s, company, "375", as_of="2025-12-31")
        close_year(s, company, "2025")
    with db.session() as s:
        company = s.merge(company)
        after = profit_and_loss(s, company, *Y25)
        assert after == before  # the closing entry is left out: the closed year keeps its result
        retained = ledger.balance(s, company, "375", as_of="2025-12-31")
        assert -(retained - retained_before) == after.amount("net_income") == 250_000
        bs = balance_sheet(s, company, "2025-12-31")
        assert bs.amount("current_earnings") == 0 and bs.amount("retained_earnings") == 250_000
        assert bs.amount("total_assets") == bs.amount("total_liabilities_and_equity")
        cf = cash_flow(s, company, *Y25)
        assert cf.amount("net_income") == 250_000 and cf.amount("retained_earnings") == 0
        assert cf.amount("net_change") == cf.amount("cash_closing") - cf.amount("cash_opening")
        # The trial balance is the ledger: the close shows, income accounts end at zero.
        assert trial_balance(s, company, *Y25).row("401").closing == 0
        gl = general_ledger(s, company, *Y25, account="375")
        assert [line.entry.startswith("MISC/2025/") for line in gl.of("375").lines] == [True]


@pytest.mark.parametrize("compare", ["previous-period", "previous-year", "2025-01-01..2025-01-31"])
def test_a_comparison_is_the_report_of_the_other_period(business, compare):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        next_months(s, company)
        period = DateRange(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
        other = compare_range(period, compare)
        for report in (profit_and_loss, cash_flow):
            both = report(s, company, period.start, period.end, compare=compare)
            alone, then = report(s, company, period.start, period.end), report(s, company, other.start, other.end)
            assert (both.compare_start, both.compare_end) == (other.start, other.end)
            shown = {line.key: line for line in both.lines}
            assert {k: line.amount for k, line in shown.items() if line.amount or line.kind != "account"} == \
                {line.key: line.amount for line in alone.lines}
            assert {k: line.compare for k, line in shown.items() if line.compare or line.kind != "account"} == \
                {line.key: line.amount for line in then.lines}
            assert all(line.difference == line.amount - line.compare for line in both.lines)
        tb = trial_balance(s, company, period.start, period.end, compare=compare)
        then = trial_balance(s, company, other.start, other.end)
        assert {r.account: (r.compare_debit, r.compare_credit, r.compare_closing) for r in tb.rows
                if r.compare_closing or r.compare_debit or r.compare_credit} == \
            {r.account: (r.debit, r.credit, r.closing) for r in then.rows}
        day = compare_date(period.end, compare)
        bs, then_bs = balance_sheet(s, company, period.end, compare=compare), balance_sheet(s, company, day)
        assert bs.compare_end == day
        assert {line.key: line.compare for line in bs.lines if line.compare or line.kind != "account"} == \
            {line.key: line.amount for line in then_bs.lines}
        aged = aged_balances(s, company, period.end, compare=compare)
        assert aged.totals.compare_total == aged_balances(s, company, day).totals.total


def test_the_general_ledger_runs_from_opening_to_closing(business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        next_months(s, company)
        gl = general_ledger(s, company, "2026-01-01", "2026-02-28")
        tb = trial_balance(s, company, "2026-01-01", "2026-02-28")
        assert [part.account for part in gl.accounts] == [row.account for row in tb.rows]
        for part in gl.accounts:
            balance = part.opening
            for line in part.lines:
                balance += line.debit - line.credit
                assert line.balance == balance
            assert balance == part.closing == tb.row(part.account).closing
            assert (part.debit, part.credit) == (tb.row(part.account).debit, tb.row(part.account).credit)
        receivable = gl.of("108")
        assert receivable.opening == 900_000
        assert [(line.date, line.entry[:4], line.debit, line.credit) for line in receivable.lines] == [
            (dt.date(2026, 1, 15), "INV/", 3_300_000, 0), (dt.date(2026, 1, 20), "BANK", 0, 1_200_000)]
        assert "Hanbit" in receivable.lines[0].memo
        with pytest.raises(NotFound):
            general_ledger(s, company, "2026-01-01", "2026-02-28", account="NOPE")


def test_comparison_periods():
    march, ytd = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), DateRange(dt.date(2026, 1, 1),
                                                                                  dt.date(2026, 3, 15))
    assert compare_range(march, "previous-period") == DateRange(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert compare_range(march, "previous-year") == DateRange(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert compare_range(ytd, "previous-period") == DateRange(dt.date(2025, 10, 19), dt.date(2025, 12, 31))
    q1 = DateRange(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert compare_range(q1, "previous-period") == DateRange(dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert compare_range(DateRange(dt.date(2024, 2, 1), dt.date(2024, 2, 29)), "previous-year") == \
        DateRange(dt.date(2023, 2, 1), dt.date(2023, 2, 28))
    assert compare_range(march, None) is None
    assert compare_date(dt.date(2026, 3, 31), "previous-period") == dt.date(2026, 2, 28)
    assert compare_date(dt.date(2024, 2, 29), "previous-year") == dt.date(2023, 2, 28)
    assert compare_date(dt.date(2026, 3, 15), "2025-12-31") == dt.date(2025, 12, 31)
    for bad in ("last-week", "2026-01-01..", "2026-03-01..2026-01-01"):
        with pytest.raises(Invalid):
            compare_range(march, bad)
    for bad in (lambda: compare_date(march.end, "yesterday"), lambda: compare_date(dt.date(1, 6, 1), "previous-year"),
                lambda: compare_range(DateRange(dt.date(1900, 1, 1), dt.date(1900, 1, 31)), "previous-period")):
        with pytest.raises(Invalid):
            bad()


def test_an_empty_company_reports_zeros(books):
    db, company = books
    with db.session() as s:
        company = s.merge(company)
        assert trial_balance(s, company, *Y26).rows == () and trial_balance(s, company).rows == ()
        assert profit_and_loss(s, company, *Y26).amount("net_income") == 0
        assert balance_sheet(s, company, "2026-12-31").amount("total_assets") == 0
        assert cash_flow(s, company, *Y26).amount("net_change") == 0
        assert aged_balances(s, company, "2026-12-31").rows == ()
        assert general_ledger(s, company, *Y26).accounts == ()
        with pytest.raises(Invalid):
            profit_and_loss(s, company, "2026-12-31", "2026-01-01")


def test_money_in_a_stock_location_still_balances_the_sheet(books):
    """A plugin valuing stock where it keeps it: the money counts as a current asset."""
    db, company = books
    with db.session() as s:
        company = s.merge(company)
        ledger.create_account(s, company, "WH", "Warehouse", "stock")
        ledger.post(s, company, "2026-01-05", [Leg("WH", D(700)), Leg("103", D(-700)), Leg("WH", D(3), "PAPER"),
                                              Leg("451", D(-3), "PAPER")])
        bs = balance_sheet(s, company, "2026-01-31")
        assert bs.line("account:WH").amount == 700 and bs.amount("total_assets") == \
            bs.amount("total_liabilities_and_equity") == 0
        cf = cash_flow(s, company, "2026-01-01", "2026-01-31")
        assert cf.amount("net_change") == cf.amount("cash_closing") - cf.amount("cash_opening") == -700


# -- invariants over random activity ------------------------------------------

days = st.integers(min_value=0, max_value=729).map(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n))
amounts = st.integers(min_value=1, max_value=5_000_000)
operations = st.lists(st.tuples(st.sampled_from(["sale", "sale2", "cogs", "expense", "machine", "receive", "pay",
                                                 "depreciation", "loan", "capital", "interest",
                                                 "dividend"]), days, amounts),
                      min_size=1, max_size=12)
_counter = iter(range(10**6))


def apply(s, company, kind, day, amount):
    o = Ops(s, company)
    {"sale": lambda: o.sale(day, amount, "C1", "NET30"), "sale2": lambda: o.sale(day, amount, "C2"),
     "cogs": lambda: o.bill(day, amount, "451", term="NET60"), "expense": lambda: o.bill(day, amount, "830"),
     "machine": lambda: o.bill(day, amount, "212"), "receive": lambda: o.receive(day, amount, "C1"),
     "pay": lambda: o.pay(day, amount), "depreciation": lambda: o.entry(day, "818", "213", amount),
     "loan": lambda: o.entry(day, "103", "293", amount), "capital": lambda: o.entry(day, "103", "331", amount),
     "interest": lambda: o.entry(day, "931", "103", amount), "dividend": lambda: o.entry(day, "375", "103", amount),
     }[kind]()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations, close=st.booleans())
def test_invariants_over_random_activity(fdb, ops, close):
    company = make_books(fdb, f"R{next(_counter)}")
    ops = sorted(ops, key=lambda op: op[1])
    with fdb.session() as s:
        company = s.merge(company)
        ensure_fiscal_year(s, company, Y25[0])
        closed = False
        for kind, day, amount in ops:
            if close and not closed and day > Y25[1]:
                close_year(s, company, "2025")
                closed = True
            apply(s, company, kind, day, amount)
        if close and not closed:
            close_year(s, company, "2025")
        assert_books_sound(s, company)
        dates = sorted({day for _, day, _ in ops} | {Y25[1], Y26[0], Y26[1]})
        for day in dates:
            bs = balance_sheet(s, company, day)
            assert bs.amount("total_assets") == bs.amount("total_liabilities_and_equity")
            for payables in (False, True):
                aged = aged_balances(s, company, day, payables=payables)
                assert aged.totals.total == aged.ledger_balance
            tb = trial_balance(s, company, None, day)
            assert tb.totals.closing_debit == tb.totals.closing_credit
        for start, end in (Y25, Y26, (Y25[0], Y26[1]), (dates[0], dates[-1])):
            cf = cash_flow(s, company, start, end)
            cash = sum(ledger.balance(s, company, code, as_of=end) for code in CASH)
            assert cf.amount("cash_closing") == cash
            assert cf.amount("net_change") == cash - sum(
                ledger.balance(s, company, code, as_of=start - dt.timedelta(days=1)) for code in CASH)
            pnl = profit_and_loss(s, company, start, end)
            assert cf.amount("net_income") == pnl.amount("net_income")
            tb = trial_balance(s, company, start, end)
            assert tb.totals.debit == tb.totals.credit
            assert all(r.closing == r.opening + r.debit - r.credit for r in tb.rows)
        net_2025 = profit_and_loss(s, company, *Y25).amount("net_income")
        retained = -ledger.balance(s, company, "375", as_of=Y25[1])
        paid_out = sum(amount for kind, day, amount in ops if kind == "dividend" and day <= Y25[1])
        assert retained == (net_2025 if close else 0) - paid_out
        bs = balance_sheet(s, company, Y25[1])
        assert bs.amount("current_earnings") == (0 if close else net_2025)
        assert bs.amount("retained_earnings") + bs.amount("current_earnings") == net_2025 - paid_out


# -- the command line ----------------------------------------------------------

@pytest.fixture
def cli(business, run):
    db, company = business

    def jangbu(*args):
        result = run(*args)
        assert "Traceback" not in result.output
        return result

    return jangbu


def ok(result):
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


def test_every_report_prints_a_table(cli):
    out = ok(cli("finance", "report", "pnl", "--from", "2025-01-01", "--to", "2025-12-31")).stdout
    assert "Profit and loss of ACME, 2025-01-01..2025-12-31" in out and "250,000" in out and "Net income" in out
    out = ok(cli("finance", "report", "trial-balance", "--from", "2025-01-01", "--to", "2025-12-31")).stdout
    assert "opening" in out and "Total" in out and "56,350,000" in out
    out = ok(cli("finance", "report", "trial-balance", "--as-of", "2025-12-31", "--compare", "previous-year")).stdout
    assert "as of 2025-12-31 (compared with 2024-12-31)" in out and "difference" in out
    out = ok(cli("finance", "report", "balance-sheet", "--as-of", "2025-12-31")).stdout
    assert "Total liabilities and equity" in out and "67,200,000" in out
    out = ok(cli("finance", "report", "cash-flow", "--from", "2025-01-01", "--to", "2025-12-31",
                 "--compare", "previous-year")).stdout
    assert "Net change in cash" in out and "compared with 2024-01-01..2024-12-31" in out
    out = ok(cli("finance", "report", "aged", "--as-of", "2025-12-31", "--payables")).stdout
    assert "Aged payables" in out and "1,650,000" in out and "over 90" in out
    out = ok(cli("finance", "report", "general-ledger", "--from", "2025-01-01", "--to", "2025-12-31",
                 "--account", "108")).stdout
    assert "Opening balance" in out and "INV/2025/00001" in out and "Closing balance" in out
    out = ok(cli("finance", "report", "pnl")).stdout  # the fiscal year to date
    assert f"{dt.date.today().year}-01-01..{dt.date.today()}" in out


def test_reports_as_json(cli):
    data = json.loads(ok(cli("--json", "finance", "report", "pnl", "--from", "2025-01-01", "--to", "2025-12-31",
                             "--compare", "previous-year")).stdout)
    net = next(line for line in data["lines"] if line["key"] == "net_income")
    assert net["amount"] == "250000" and net["compare"] == "0" and net["difference"] == "250000"
    assert data["compare_start"] == "2024-01-01" and "401" in net["accounts"]
    data = json.loads(ok(cli("--json", "finance", "report", "trial-balance", "--as-of", "2025-12-31")).stdout)
    assert data["totals"]["closing_debit"] == data["totals"]["closing_credit"] and data["start"] is None
    data = json.loads(ok(cli("--json", "finance", "report", "aged", "--as-of", "2025-12-31")).stdout)
    assert data["totals"]["total"] == data["ledger_balance"] == "900000"
    data = json.loads(ok(cli("--json", "finance", "report", "general-ledger", "--from", "2025-07-01",
                             "--to", "2025-07-31", "--account", "103")).stdout)
    assert data["accounts"][0]["lines"][0]["entry"].startswith("BANK/2025/")


def test_reports_as_csv_keep_exact_amounts_and_quote_formulas(cli, business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        create_party(s, company, "=EVIL", "=HYPERLINK(\"http://x\")")
        Ops(s, company).sale("2025-12-01", 123_456, "=EVIL")
    rows = list(csv.reader(io.StringIO(ok(cli("finance", "report", "aged", "--as-of", "2025-12-31",
                                                  "--csv")).stdout)))
    assert rows[0][:3] == ["party", "name", "not due"]
    evil = next(row for row in rows if row[0] == "'=EVIL")
    assert evil[1].startswith("'=HYPERLINK") and evil[-1] == "135802"
    rows = list(csv.DictReader(io.StringIO(ok(cli("finance", "report", "balance-sheet", "--as-of", "2025-12-31",
                                                  "--csv")).stdout)))
    assert {r["key"]: r["amount"] for r in rows}["depreciation"] == "-1200000"  # a negative amount stays a number
    rows = list(csv.DictReader(io.StringIO(ok(cli("finance", "report", "trial-balance", "--from", "2025-01-01",
                                                  "--to", "2025-12-31", "--csv")).stdout)))
    assert sum(D(r["debit"]) for r in rows) == sum(D(r["credit"]) for r in rows)
    assert "Total" not in {r["name"] for r in rows}


@pytest.mark.parametrize("args, message", [
    (("pnl", "--from", "2025-13-01"), "malformed date"),
    (("pnl", "--from", "2025-12-31", "--to", "2025-01-01"), "after it ends"),
    (("pnl", "--compare", "last-week"), "unknown comparison"),
    (("balance-sheet", "--compare", "someday"), "unknown comparison"),
    (("trial-balance", "--as-of", "2025-12-31", "--from", "2025-01-01"), "either --as-of"),
    (("general-ledger", "--account", "NOPE"), "NOPE"),
    (("budget", "NOBUDGET"), "unknown budget"),
    (("pnl", "--csv"), None),
])
def test_bad_input_is_one_line_and_non_zero(cli, args, message):
    if message is None:  # --csv with the global --json
        result = cli("--json", "finance", "report", *args)
        message = "choose one"
    else:
        result = cli("finance", "report", *args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_tables_of_every_report(business):
    db, company = business
    with db.session() as s:
        company = s.merge(company)
        for report in (trial_balance(s, company, *Y25, compare="previous-year"), trial_balance(s, company),
                       general_ledger(s, company, *Y25), profit_and_loss(s, company, *Y25),
                       balance_sheet(s, company, Y25[1], compare="previous-year"), cash_flow(s, company, *Y25),
                       aged_balances(s, company, Y25[1], compare="2025-06-30")):
            for for_csv in (False, True):
                table = as_table(report, for_csv=for_csv)
                assert table.rows and all(len(row) == len(table.headers) for row in table.rows)
        with pytest.raises(TypeError):
            as_table(object())

"""Finance's reports from the services: exact figures for a year of business (the
balance sheet balances, the cash flow explains the change in cash, the close
moves net income to retained earnings, comparisons are the other period's
report), comparison periods, an empty company, and money kept in a stock location.

The invariants over random activity are in test_report_properties.py and the
command line in test_report_commands.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import select, update

from core import ledger
from core.errors import Invalid, NotFound
from core.ledger import Balance, Leg
from core.ledger.models import Account
from plugins.finance.closing import close_year
from plugins.finance.reports import (
    DateRange,
    aged_balances,
    balance_sheet,
    cash_flow,
    compare_date,
    compare_range,
    general_ledger,
    profit_and_loss,
    trial_balance,
)
from tests.plugins.finance.report_helpers import Y25, Y26, next_months


def test_the_profit_and_loss_of_the_year(business):
    db, company = business
    with db.session() as s:
        pnl = profit_and_loss(s, s.merge(company), *Y25)
    assert [(line.key, line.amount) for line in pnl.lines if line.kind != "account"] == [
        ("revenue", 3_000_000),
        ("cost_of_sales", 1_200_000),
        ("gross_profit", 1_800_000),
        ("expenses", 1_500_000),
        ("operating_result", 300_000),
        ("other_income", 0),
        ("other_expenses", 50_000),
        ("net_income", 250_000),
    ]
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
        assert {r.account: r.opening for r in tb.rows if r.opening} == {
            r.account: r.closing for r in opening.rows
        }
        assert {r.account: r.closing for r in tb.rows if r.closing} == {
            r.account: r.closing for r in closing.rows
        }
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
            alone, then = (
                report(s, company, period.start, period.end),
                report(s, company, other.start, other.end),
            )
            assert (both.compare_start, both.compare_end) == (other.start, other.end)
            shown = {line.key: line for line in both.lines}
            assert {k: line.amount for k, line in shown.items() if line.amount or line.kind != "account"} == \
                {line.key: line.amount for line in alone.lines}
            assert {
                k: line.compare for k, line in shown.items() if line.compare or line.kind != "account"
            } == {line.key: line.amount for line in then.lines}
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
    for bad in (
        lambda: compare_date(march.end, "yesterday"),
        lambda: compare_date(dt.date(1, 6, 1), "previous-year"),
        lambda: compare_range(DateRange(dt.date(1900, 1, 1), dt.date(1900, 1, 31)), "previous-period"),
    ):
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
        ledger.post(
            s,
            company,
            "2026-01-05",
            [Leg("WH", D(700)), Leg("103", D(-700)), Leg("WH", D(3), "PAPER"), Leg("451", D(-3), "PAPER")],
        )
        bs = balance_sheet(s, company, "2026-01-31")
        assert bs.line("account:WH").amount == 700 and bs.amount("total_assets") == \
            bs.amount("total_liabilities_and_equity") == 0
        cf = cash_flow(s, company, "2026-01-01", "2026-01-31")
        assert cf.amount("net_change") == cf.amount("cash_closing") - cf.amount("cash_opening") == -700


"""Finance's reports over random activity: whatever happens, the balance sheet
balances, the aged balances equal the ledger, the cash flow explains the change in
cash, and the close moves net income to retained earnings."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import ledger
from core.ledger import find_account
from plugins.finance.closing import close_year
from plugins.finance.company_setup import classify, section_of
from plugins.finance.journals import ensure_fiscal_year
from plugins.finance.models import Activity
from plugins.finance.reports import aged_balances, balance_sheet, cash_flow, profit_and_loss, trial_balance
from tests.plugins.finance.conftest import assert_books_sound, make_books
from tests.plugins.finance.report_helpers import CASH, Y25, Y26, Ops

# -- invariants over random activity ------------------------------------------

days = st.integers(min_value=0, max_value=729).map(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n))
amounts = st.integers(min_value=1, max_value=5_000_000)
operations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "sale",
                "sale2",
                "cogs",
                "expense",
                "machine",
                "receive",
                "pay",
                "depreciation",
                "loan",
                "capital",
                "interest",
                "dividend",
                "short_loan",
                "repay",
            ]
        ),
        days,
        amounts,
    ),
    min_size=1,
    max_size=12,
)
_counter = iter(range(10**6))
_CHART_FLOWS = {"260": Activity.FINANCING, "212": Activity.INVESTING, "293": Activity.FINANCING,
                "331": Activity.FINANCING, "375": Activity.FINANCING}


def default_flow(code):
    return _CHART_FLOWS.get(code, Activity.OPERATING)


def apply(s, company, kind, day, amount):
    o = Ops(s, company)
    {
        "sale": lambda: o.sale(day, amount, "C1", "NET30"),
        "sale2": lambda: o.sale(day, amount, "C2"),
        "cogs": lambda: o.bill(day, amount, "451", term="NET60"),
        "expense": lambda: o.bill(day, amount, "830"),
        "machine": lambda: o.bill(day, amount, "212"),
        "receive": lambda: o.receive(day, amount, "C1"),
        "pay": lambda: o.pay(day, amount),
        "depreciation": lambda: o.entry(day, "818", "213", amount),
        "loan": lambda: o.entry(day, "103", "293", amount),
        "capital": lambda: o.entry(day, "103", "331", amount),
        "interest": lambda: o.entry(day, "931", "103", amount),
        "dividend": lambda: o.entry(day, "375", "103", amount),
        "short_loan": lambda: o.entry(day, "103", "260", amount),
        "repay": lambda: o.entry(day, "260", "103", amount),
    }[kind]()


# Any balance-sheet account may be given any cash-flow activity: the cash flow still explains cash.
activity_choices = st.dictionaries(
    st.sampled_from(["108", "135", "212", "213", "251", "255", "260", "293", "331", "375"]),
    st.sampled_from(list(Activity)),
    max_size=4,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations, close=st.booleans(), flows=activity_choices)
def test_invariants_over_random_activity(fdb, ops, close, flows):
    company = make_books(fdb, f"R{next(_counter)}")
    ops = sorted(ops, key=lambda op: op[1])
    with fdb.session() as s:
        company = s.merge(company)
        for code, activity in flows.items():
            account = find_account(s, company, code)
            classify(s, company, account, section_of(s, company, code), activity)
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
            shown = [line.account for line in cf.lines if line.account]
            assert len(shown) == len(set(shown))  # each account in one line, under its own activity
            assert all(line.group == flows.get(line.account, default_flow(line.account)).value
                       for line in cf.lines if line.account)
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


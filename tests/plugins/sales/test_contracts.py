"""Contracts bill every period that has begun, once, with or without finance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.errors import Invalid
from plugins.sales.contracts import ContractLineSpec, bill_due, create_contract, end_contract, find_contract
from plugins.sales.documents import ContractBilling, ContractState
from tests.plugins.sales.conftest import assert_books_sound, make_sales_company
from tests.plugins.sales.orders_common import count, receivable

START = dt.date(2026, 1, 31)


def test_bill_due_bills_each_period_once(combo):
    sdb, company, plugins = combo
    with sdb.session() as s:
        number = create_contract(s, company, "C1", [ContractLineSpec("PAPER", "2", "25000")], start=START,
                                 end=dt.date(2026, 6, 30)).number
    with sdb.session() as s:
        billed = bill_due(s, company, dt.date(2026, 4, 15))
        assert [(b.period_start, b.period_end, b.amount_units) for b in billed] == [
            (dt.date(2026, 1, 31), dt.date(2026, 2, 27), 50000),
            (dt.date(2026, 2, 28), dt.date(2026, 3, 30), 50000),
            (dt.date(2026, 3, 31), dt.date(2026, 4, 29), 50000),
        ]
        assert find_contract(s, company, number).next_billing == dt.date(2026, 4, 30)
    with sdb.session() as s:
        assert bill_due(s, company, dt.date(2026, 4, 15)) == []  # run twice: billed once
        assert count(s, ContractBilling, company) == 3
    with sdb.session() as s:
        bill_due(s, company, dt.date(2027, 1, 1))
        contract = find_contract(s, company, number)
        assert (contract.state, contract.next_billing) == (ContractState.ENDED, None)
        rows = s.scalars(select(ContractBilling).order_by(ContractBilling.period_start)).all()
        assert rows[-1].period_end == dt.date(2026, 6, 30) and len(rows) == 6
        if "finance" in plugins:
            from plugins.finance import api as finance_api

            docs = finance_api.documents_of_origin(s, company, f"sales:{number}")
            assert [d.number for d in docs] == [r.invoice for r in rows]
            assert receivable(s, company, "C1") == Decimal(6 * 55000)
        else:
            assert all(r.invoice is None for r in rows)
        assert_books_sound(s, company)


def test_quarterly_contract_ended_early(sdb):
    company = make_sales_company(sdb)
    with sdb.session() as s:
        number = create_contract(
            s, company, "C2", [ContractLineSpec("PEN", "100", "500")], start="2026-01-01", interval="quarter"
        ).number
        bill_due(s, company, "2026-04-01")
        end_contract(s, company, number, date="2026-05-01")
        assert bill_due(s, company, "2027-01-01") == []
        contract = find_contract(s, company, number)
        assert contract.state is ContractState.ENDED
        assert [b.period_start for b in s.scalars(select(ContractBilling))] == [dt.date(2026, 1, 1),
                                                                                 dt.date(2026, 4, 1)]


@pytest.mark.parametrize("args, message", [
    (dict(lines=[], start="2026-01-01"), "at least one line"),
    (dict(start="2026-01-01", end="2025-01-01"), "before it starts"),
    (dict(start="2026-01-01", interval="week"), "interval"),
    (dict(start="2026-13-01"), "malformed"),
])
def test_bad_contracts_are_refused(sdb, args, message):
    company = make_sales_company(sdb)
    args.setdefault("lines", [ContractLineSpec("PEN", "1", "500")])
    with pytest.raises(Invalid, match=message):
        with sdb.session() as s:
            create_contract(s, company, "C1", **args)


def test_a_period_begun_in_closed_books_is_invoiced_on_the_first_open_day(sdb):
    from core.companies import set_lock_date
    from plugins.finance import api as finance_api

    company = make_sales_company(sdb, plugins=("finance", "sales"))
    with sdb.session() as s:
        number = create_contract(s, company, "C1", [ContractLineSpec("PAPER", "1", "25000")],
                                 start=dt.date(2026, 1, 1)).number
        set_lock_date(s, company, dt.date(2026, 2, 28))
    with sdb.session() as s:
        billed = bill_due(s, company, dt.date(2026, 3, 15))
        assert [b.period_start for b in billed] == [
            dt.date(2026, 1, 1),
            dt.date(2026, 2, 1),
            dt.date(2026, 3, 1),
        ]
        docs = finance_api.documents_of_origin(s, company, f"sales:{number}")
        assert [d.date for d in docs] == [dt.date(2026, 3, 1)] * 3
        assert_books_sound(s, company)

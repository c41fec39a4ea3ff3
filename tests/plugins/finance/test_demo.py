"""``jangbu demo`` with finance: a year of books, sound, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.sales as sales
import plugins.wms as wms
from cli import create_cli
from core import ledger, make_engine, make_session_factory, transaction
from core.companies import get_company
from core.ledger import Account, trial_balance
from plugins.finance.company_setup import activities
from plugins.finance.documents import Invoice, InvoiceKind, PaymentState
from plugins.finance.journals import year_bounds
from plugins.finance.models import Activity, BudgetLine, Entry, FiscalYear, Journal, JournalKind, PeriodState
from plugins.finance.reports import cash_flow
from plugins.wms.models import Settings as WmsSettings
from tests.conftest import make_plugins
from tests.plugins.finance.conftest import assert_books_sound

pytestmark = pytest.mark.slow


def _build(url):
    result = CliRunner().invoke(create_cli(make_plugins(finance)), ["--database", url, "--json", "demo"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _books(url):
    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine, make_plugins(finance))) as s:
            company = get_company(s, "DEMO")
            assert_books_sound(s, company)
            counts = dict(s.execute(select(Invoice.kind, func.count()).where(Invoice.company_id == company.id)
                                    .group_by(Invoice.kind)).all())
            assert counts[InvoiceKind.INVOICE] > 300 and counts[InvoiceKind.BILL] > 50
            states = set(s.scalars(select(Invoice.payment_state).where(Invoice.kind == InvoiceKind.INVOICE)))
            assert states == {PaymentState.PAID, PaymentState.PARTIAL, PaymentState.NOT_PAID}
            assert s.scalar(select(func.count()).select_from(Invoice).where(Invoice.currency == "USD")) > 0
            years = s.scalars(select(FiscalYear).where(FiscalYear.company_id == company.id)
                              .order_by(FiscalYear.start)).all()
            assert years[0].state == PeriodState.CLOSED and years[-1].state == PeriodState.OPEN
            assert company.lock_date is not None
            assert (
                s.scalar(
                    select(func.count()).select_from(BudgetLine).where(BudgetLine.company_id == company.id)
                )
                > 12
            )
            # The demo is kept in finance's Korean chart only: core's small chart stays out of it.
            assert (
                s.scalar(select(Account.id).where(Account.company_id == company.id, Account.code == "1000"))
                is None
            )
            return [(r.account, r.debit, r.credit) for r in trial_balance(s, company)]
    finally:
        engine.dispose()


def _as_an_accountant_reads_them(url, *, with_stock):
    """What a buyer's accountant checks first: borrowings, capital and dividends are financing in the
    cash flow; goods received not invoiced is a credit within the inventory it relates to; each sale,
    purchase and general journal numbers its documents in date order."""
    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine, make_plugins(finance, wms))) as s:
            company = get_company(s, "DEMO")
            flows = activities(s, company)
            codes = dict(
                s.execute(select(Account.id, Account.code).where(Account.company_id == company.id)).all()
            )
            financing = {codes[i] for i, activity in flows.items() if activity == Activity.FINANCING}
            assert {"260", "331", "375"} <= financing
            first = s.scalar(select(func.min(Entry.date)).where(Entry.company_id == company.id))
            for start, end in ((first, dt.date.today()), year_bounds(company, dt.date.today())):
                cf = cash_flow(s, company, start, end)
                groups = {line.account: line.group for line in cf.lines if line.account}
                assert groups and all(
                    group == "financing" for code, group in groups.items() if code in financing
                )
                assert all(group != "financing" for code, group in groups.items() if code not in financing)
                assert cf.amount("net_change") == cf.amount("cash_closing") - cf.amount("cash_opening")
                if start == first:  # the bank loan of the demo's fifth month
                    assert groups["260"] == "financing" and cf.amount("short_term_borrowings") > 0
            if with_stock:
                stock = s.get(WmsSettings, company.id)
                grni, inventory = (-ledger.balance(s, company, codes[stock.received_account_id]),
                                   ledger.balance(s, company, codes[stock.inventory_account_id]))
                assert 0 <= grni <= inventory, (grni, inventory)  # a credit, within the inventory received
            # (the bank journal's payments are booked by each plugin as it goes: not in date order yet)
            journals = s.scalars(select(Journal).where(Journal.company_id == company.id, Journal.kind.in_(
                [JournalKind.SALE, JournalKind.PURCHASE, JournalKind.GENERAL]))).all()
            assert len(journals) >= 5
            for journal in journals:
                rows = s.execute(select(Entry.fiscal_year_id, Entry.date, Entry.name).where(
                    Entry.journal_id == journal.id).order_by(Entry.fiscal_year_id, Entry.number)).all()
                for (year, day, name), (next_year, next_day, next_name) in zip(rows, rows[1:]):
                    assert year != next_year or day <= next_day, (
                        f"{next_name} of {next_day} after {name} of {day}"
                    )
    finally:
        engine.dispose()


def test_the_demo_keeps_a_year_of_sound_books(shared_demo):
    # The demo with every plugin (shared with the other plugins' demo tests; the
    # rebuild is tested once, in tests/cli/test_demo.py).
    url = shared_demo(finance, wms, sales, procurement)
    _books(url)
    _as_an_accountant_reads_them(url, with_stock=True)


def test_the_demo_builds_on_postgresql(fresh_postgres):
    _build(fresh_postgres)
    _books(fresh_postgres)
    _as_an_accountant_reads_them(fresh_postgres, with_stock=False)

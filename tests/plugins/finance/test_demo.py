"""``jangbu demo`` with finance: a year of books, sound, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from click.testing import CliRunner
from sqlalchemy import func, select

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.sales as sales
import plugins.wms as wms
from cli import create_cli
from core import make_engine, make_session_factory, transaction
from core.companies import get_company
from core.ledger import Account, trial_balance
from plugins.finance.documents import Invoice, InvoiceKind, PaymentState
from plugins.finance.models import BudgetLine, FiscalYear, PeriodState
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
            assert s.scalar(select(func.count()).select_from(BudgetLine).where(BudgetLine.company_id == company.id)) > 12
            # The demo is kept in finance's Korean chart only: core's small chart stays out of it.
            assert s.scalar(select(Account.id).where(Account.company_id == company.id, Account.code == "1000")) is None
            return [(r.account, r.debit, r.credit) for r in trial_balance(s, company)]
    finally:
        engine.dispose()


def test_the_demo_keeps_a_year_of_sound_books(shared_demo):
    # The demo with every plugin (shared with the other plugins' demo tests; the
    # rebuild is tested once, in tests/cli/test_demo.py).
    _books(shared_demo(finance, wms, sales, procurement))


def test_the_demo_builds_on_postgresql(fresh_postgres):
    _build(fresh_postgres)
    _books(fresh_postgres)

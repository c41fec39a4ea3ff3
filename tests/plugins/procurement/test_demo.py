"""Procurement's demo data on a company with finance and wms: suppliers and
their catalogue, months of buying through every step, what waits at the
end (a held bill, an order to approve, a late one), all dated after the
lock date, with books that verify and stock that agrees with them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.sales as sales
import plugins.wms as wms
from core import make_engine, make_session_factory, transaction
from core.companies import create_company, get_company, set_lock_date
from core.demo import core_demo_data
from plugins.procurement.demo import procurement_demo_data
from plugins.procurement.models import (
    Bill,
    BillState,
    OrderState,
    PaymentState,
    PurchaseOrder,
    Quote,
    QuoteState,
    Receipt,
    Return,
    Rfq,
)
from plugins.procurement.performance import performance
from plugins.procurement.risk import single_source, supplier_risk
from plugins.procurement.widgets import held_bills, late_receipts, spend_by_supplier, to_approve
from tests.conftest import make_plugins
from tests.plugins.procurement.conftest import assert_books_sound, ledger_transactions

pytestmark = pytest.mark.slow


def _check(s, company, lock=None):
    assert_books_sound(s, company)
    orders = dict(s.execute(select(PurchaseOrder.state, func.count()).where(
        PurchaseOrder.company_id == company.id).group_by(PurchaseOrder.state)).all())
    assert orders[OrderState.DONE] >= 5 and orders[OrderState.TO_APPROVE] == 1
    assert orders[OrderState.CONFIRMED] >= 2  # one expected later, one late
    assert s.scalar(select(func.count()).select_from(PurchaseOrder).where(
        PurchaseOrder.payment_state == PaymentState.PAID)) >= 3
    assert s.scalar(select(func.count()).select_from(Quote).where(Quote.state == QuoteState.CHOSEN)) >= 2
    assert s.scalar(select(func.count()).select_from(Rfq)) >= 2
    assert s.scalar(select(func.count()).select_from(Return)) >= 1
    held = s.scalars(select(Bill).where(Bill.state == BillState.HELD)).all()
    assert len(held) == 1 and "TAPE-48: billed at 880" in held[0].held_reason
    assert held[0].document_number is None  # nothing in the books for it
    assert s.scalar(select(func.count()).select_from(Receipt).where(Receipt.on_time.is_(False))) >= 1
    if lock is not None:
        assert s.scalar(select(func.min(PurchaseOrder.date))) > lock
        assert s.scalar(select(func.min(Receipt.date))) > lock
        assert s.scalar(select(func.min(Bill.date))) > lock
    today = dt.date.today()
    assert to_approve(s, company)[0] == 1 and held_bills(s, company)[0] == 1
    assert late_receipts(s, company, today)[0] >= 1
    assert spend_by_supplier(s, company, today)
    rows = performance(s, company)
    assert len(rows) == 4 and all(row.score is not None for row in rows if row.receipts)
    assert {r.product for r in single_source(s, company)} >= {"NOTE-A5", "TAPE-48", "CLIP-KG", "INK-CART"}
    assert len(supplier_risk(s, company)) == 4


def test_the_demo_buys_for_months_and_keeps_the_books_sound(pdb):
    lock = dt.date.today() - dt.timedelta(days=60)
    with pdb.session() as s:
        company = create_company(
            s, "DEMO", "Demo Co", "KRW", country="KR", plugins=["finance", "wms", "procurement"]
        )
        core_demo_data(s, company, lambda _text: None)
        from plugins.wms.places import create_warehouse

        create_warehouse(s, company, "SEOUL", "Seoul distribution centre")
        set_lock_date(s, company, lock)
        before = ledger_transactions(s, company)
    steps = []
    with pdb.session() as s:
        company = get_company(s, "DEMO")
        procurement_demo_data(s, company, steps.append)
    assert steps and all(step.startswith("procurement:") for step in steps)
    with pdb.session() as s:
        company = get_company(s, "DEMO")
        assert ledger_transactions(s, company) > before  # receipts and bills are in the books
        _check(s, company, lock)


def test_the_demo_command_with_finance_wms_and_procurement(shared_demo):
    plugins = make_plugins(finance, wms, procurement)
    engine = make_engine(shared_demo(finance, wms, sales, procurement))
    try:
        with transaction(make_session_factory(engine, plugins)) as s:
            company = get_company(s, "DEMO")
            _check(s, company)
            # Finance closes its months once every plugin booked its demo (demo_finished), so the
            # months of purchasing reach back before the lock date.
            assert company.lock_date is not None
            assert s.scalar(select(func.min(PurchaseOrder.date))) <= company.lock_date
    finally:
        engine.dispose()

"""``jangbu demo`` with finance and wms: two warehouses, a few hundred products
with history, every kind of document, and stock that agrees with the books."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.sales as sales
import plugins.wms as wms
from core import make_engine, make_session_factory, transaction
from core.companies import get_company
from core.models import Product
from plugins.wms.documents import Count, CountState, Operation, OperationKind, OperationState, Proposal, Wave
from plugins.wms.models import Lot, Warehouse
from tests.conftest import make_plugins
from tests.plugins.wms.conftest import assert_stock_sound

pytestmark = pytest.mark.slow


def test_the_demo_stocks_two_warehouses_with_a_season_of_history(shared_demo):
    plugins = make_plugins(finance, wms)
    engine = make_engine(shared_demo(finance, wms, sales, procurement))
    try:
        with transaction(make_session_factory(engine, plugins)) as s:
            company = get_company(s, "DEMO")
            assert_stock_sound(s, company)
            assert s.scalar(select(func.count()).select_from(Warehouse)) == 2
            assert s.scalar(select(func.count()).select_from(Product)) > 200
            states = dict(s.execute(select(Operation.kind, func.count()).where(
                Operation.state == OperationState.DONE).group_by(Operation.kind)).all())
            assert states[OperationKind.RECEIPT] > 100 and states[OperationKind.DELIVERY] > 100
            assert s.scalar(select(func.count()).select_from(Operation).where(
                Operation.state == OperationState.READY, Operation.kind == OperationKind.RECEIPT)) >= 6
            assert s.scalar(select(func.count()).select_from(Operation).where(
                Operation.backorder_of_id.is_not(None))) > 0
            assert s.scalar(select(func.count()).select_from(Lot).where(Lot.expiry_date.is_not(None))) > 20
            assert (
                s.scalar(select(func.count()).select_from(Count).where(Count.state == CountState.APPROVED))
                == 1
            )
            assert s.scalar(select(func.count()).select_from(Wave)) == 1
            assert s.scalar(select(func.count()).select_from(Proposal)) >= 1
    finally:
        engine.dispose()

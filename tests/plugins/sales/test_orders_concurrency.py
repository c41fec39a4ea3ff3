"""Processes confirming orders of one customer at once never pass its credit limit together.

Each child confirms its own orders of C1; the limit has room for exactly
LIMIT / ORDER of them. On PostgreSQL they really run at the same time and
meet on the customer's row lock; on SQLite they queue for its one write
lock. Either way exactly that many are confirmed, each with its delivery
reserved, and the refused ones write nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import transaction
from core.companies import get_company
from core.errors import Invalid
from plugins.sales.customers import set_terms
from plugins.sales.documents import Order, OrderState
from plugins.sales.orders import LineSpec, confirm, create_quotation
from tests.core.test_concurrency import _describe, contestant, race_between
from tests.plugins.sales.conftest import assert_books_sound, make_sales_company

ORDER = 10000  # 10 pens at 1,000
LIMIT = 30000


def _confirm_each(url: str, company_code: str, numbers: list[str], barrier, results) -> None:
    import plugins.finance as finance
    import plugins.sales as sales
    import plugins.wms as wms

    with contestant(url, company_code, results, plugins=(finance, wms, sales), confirmed=0, refused=0) as (
            factory, company, outcome):
        barrier.wait(120)
        for number in numbers:
            try:
                with transaction(factory) as s:
                    confirm(s, company, number)
                outcome["confirmed"] += 1
            except Invalid:
                outcome["refused"] += 1
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
                outcome["errors"].append(_describe(exc))


@pytest.mark.slow
@pytest.mark.parametrize("processes", [2, 4])
def test_racing_confirmations_never_pass_the_credit_limit(sdb, processes):
    company = make_sales_company(sdb, plugins=("finance", "wms", "sales"))
    plan = []
    with sdb.session() as s:
        set_terms(s, company, "C1", credit_limit=str(LIMIT))
        for _ in range(processes):
            numbers = [
                create_quotation(s, company, "C1", [LineSpec("PEN", "10", "1000")]).number for _ in range(3)
            ]
            plan.append((_confirm_each, (sdb.url, company.code, numbers)))
    outcomes = race_between(plan)
    assert [o["errors"] for o in outcomes] == [[]] * processes
    assert sum(o["confirmed"] for o in outcomes) == LIMIT // ORDER
    assert sum(o["refused"] for o in outcomes) == 3 * processes - LIMIT // ORDER
    with sdb.session() as s:
        company = get_company(s, "ACME")
        assert (
            s.scalar(select(func.count()).select_from(Order).where(Order.state == OrderState.CONFIRMED)) == 3
        )
        from plugins.wms import api as wms_api
        from plugins.wms.queries import check_stock

        assert wms_api.available(s, company, "PEN") == 100 - 3 * 10
        assert check_stock(s, company) == []
        assert_books_sound(s, company)

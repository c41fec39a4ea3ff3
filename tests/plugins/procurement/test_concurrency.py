"""Real processes racing: an order approved by several managers at once is
confirmed once (one wms receipt); bills for the same received goods entered at
once are posted once, the rest held; an order received through procurement and
through wms at the same time is received once per wms operation."""

from __future__ import annotations

import datetime as dt

import pytest

from core import transaction
from core.companies import get_company
from core.errors import Conflict
from tests.core.test_concurrency import _describe, contestant, race_between
from tests.plugins.procurement.conftest import assert_books_sound, grni, make_buying_company, make_users

D = dt.date(2026, 8, 3)
BOTH = ("finance", "wms", "procurement")


def _plugins():
    import plugins.finance as finance
    import plugins.procurement as procurement
    import plugins.wms as wms

    return finance, wms, procurement


def _approve(url: str, company_code: str, user: str, barrier, results) -> None:
    from plugins.procurement.orders import approve_order

    with contestant(url, company_code, results, plugins=_plugins(), approved=0, refused=0) as (
            factory, company, outcome):
        barrier.wait(120)
        try:
            with transaction(factory) as s:
                approve_order(s, company, "PO00001", user, date=D)
            outcome["approved"] += 1
        except Conflict:
            outcome["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
            outcome["errors"].append(_describe(exc))


def _bill(url: str, company_code: str, reference: str, barrier, results) -> None:
    from plugins.procurement.billing import BillLineInput, enter_bill
    from plugins.procurement.models import BillState

    with contestant(url, company_code, results, plugins=_plugins(), posted=0, held=0) as (
            factory, company, outcome):
        barrier.wait(120)
        try:
            with transaction(factory) as s:
                bill = enter_bill(s, company, "PO00001", reference, [BillLineInput("PEN", "100")], date=D)
                outcome["posted" if bill.state is BillState.POSTED else "held"] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
            outcome["errors"].append(_describe(exc))


def _receive(url: str, company_code: str, through: str, barrier, results) -> None:
    from plugins.procurement.receiving import receive

    with contestant(url, company_code, results, plugins=_plugins(), received=0, refused=0) as (
            factory, company, outcome):
        barrier.wait(120)
        try:
            with transaction(factory) as s:
                if through == "wms":
                    from plugins.wms import api as wms_api

                    wms_api.validate_operation(s, company, "MAIN/IN/00001", {"PEN": "100"}, date=D)
                else:
                    receive(s, company, "PO00001", {"PEN": "100"}, date=D)
            outcome["received"] += 1
        except Conflict:
            outcome["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
            outcome["errors"].append(_describe(exc))


@pytest.fixture
def ordered(pdb):
    from plugins.procurement.orders import OrderLineInput, confirm_order, create_order
    from plugins.procurement.settings import update_settings

    company = make_buying_company(pdb, plugins=BOTH)
    make_users(pdb, company, buyer="kim", manager="lee")
    make_users(pdb, company, buyer="choi", manager="park")
    with pdb.session() as s:
        update_settings(s, company, approval_threshold="10000")
        create_order(s, company, "S1", [OrderLineInput("PEN", "100")], date=D)
        confirm_order(s, company, "PO00001", date=D)
    return pdb, company


@pytest.mark.slow
def test_an_order_approved_by_several_at_once_is_confirmed_once(ordered):
    pdb, company = ordered
    outcomes = race_between(
        [(_approve, (pdb.url, company.code, user)) for user in ("lee", "park", "lee", "park")]
    )
    assert [o["errors"] for o in outcomes] == [[]] * 4
    assert sum(o["approved"] for o in outcomes) == 1 and sum(o["refused"] for o in outcomes) == 3
    with pdb.session() as s:
        from plugins.wms import api as wms_api

        company = get_company(s, company.code)
        assert [op.kind for op in wms_api.operations_of_origin(s, company, "procurement:PO00001")] == [
            "receipt"
        ]
        assert_books_sound(s, company)


@pytest.mark.slow
def test_bills_for_the_same_goods_entered_at_once_are_posted_once(ordered):
    pdb, company = ordered
    from plugins.procurement.orders import approve_order
    from plugins.procurement.receiving import receive

    with pdb.session() as s:
        approve_order(s, company, "PO00001", "lee", date=D)
        receive(s, company, "PO00001", date=D)
    outcomes = race_between([(_bill, (pdb.url, company.code, f"INV-{n}")) for n in range(4)])
    assert [o["errors"] for o in outcomes] == [[]] * 4
    assert sum(o["posted"] for o in outcomes) == 1 and sum(o["held"] for o in outcomes) == 3
    with pdb.session() as s:
        company = get_company(s, company.code)
        assert grni(s, company) == 0
        assert_books_sound(s, company)


@pytest.mark.slow
def test_received_through_procurement_and_wms_at_once_is_received_once(ordered):
    pdb, company = ordered
    from plugins.procurement.orders import approve_order, find_order

    with pdb.session() as s:
        approve_order(s, company, "PO00001", "lee", date=D)
    outcomes = race_between([(_receive, (pdb.url, company.code, through))
                             for through in ("wms", "procurement", "wms", "procurement")])
    assert [o["errors"] for o in outcomes] == [[]] * 4
    assert sum(o["received"] for o in outcomes) == 1 and sum(o["refused"] for o in outcomes) == 3
    with pdb.session() as s:
        company = get_company(s, company.code)
        assert find_order(s, company, "PO00001").lines[0].received_units == 100
        from plugins.wms import api as wms_api

        assert wms_api.available(s, company, "PEN") == 100
        assert_books_sound(s, company)

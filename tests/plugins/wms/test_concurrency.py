"""Real processes racing for the last units: never oversold, exact at the end.

The parent receives STOCK units and prepares one-unit deliveries for every
child; at the barrier the children race: half of them reserve in one
transaction and deliver in the next (cancelling when nothing was left to
reserve), the other half deliver at once in one transaction. On PostgreSQL
they really run at the same time and meet on the stock rows' locks; on
SQLite they queue for its one write lock. Either way exactly STOCK units
leave, nothing goes below zero, every reservation is accounted for and the
values leave with them.
"""

from __future__ import annotations

import pytest

from core import transaction
from core.companies import get_company
from core.errors import Conflict, LimitExceeded
from core.ledger import balance
from plugins.wms.operations import LineInput, cancel, confirm, create_operation, find_operation, reserved_of
from plugins.wms.validation import validate
from tests.core.test_concurrency import _describe, contestant, race_between
from tests.plugins.wms.conftest import assert_stock_sound

STOCK = 10
UNIT_COST = 700


def _reserve_then_deliver(url: str, company_code: str, numbers: list[str], barrier, results) -> None:
    import plugins.finance as finance
    import plugins.wms as wms

    with contestant(url, company_code, results, plugins=(finance, wms), delivered=0, short=0) as (
            factory, company, outcome):
        barrier.wait(120)
        for number in numbers:
            try:
                with transaction(factory) as s:
                    op = confirm(s, company, find_operation(s, company, number))
                    complete = all(reserved_of(move) == move.demand for move in op.moves)
                with transaction(factory) as s:
                    op = find_operation(s, company, number)
                    if complete:
                        validate(s, company, op)
                        outcome["delivered"] += 1
                    else:
                        cancel(s, company, op)
                        outcome["short"] += 1
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
                outcome["errors"].append(_describe(exc))


def _deliver_at_once(url: str, company_code: str, numbers: list[str], barrier, results) -> None:
    import plugins.finance as finance
    import plugins.wms as wms

    with contestant(url, company_code, results, plugins=(finance, wms), delivered=0, short=0) as (
            factory, company, outcome):
        barrier.wait(120)
        for number in numbers:
            try:
                with transaction(factory) as s:
                    validate(s, company, find_operation(s, company, number), {"PEN": "1"})
                outcome["delivered"] += 1
            except LimitExceeded:
                outcome["short"] += 1
                with transaction(factory) as s:
                    cancel(s, company, find_operation(s, company, number))
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
                outcome["errors"].append(_describe(exc))


@pytest.mark.slow
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_for_the_last_units_never_oversells(valued, processes):
    db, company = valued
    attempts = -(-STOCK * 3 // 2 // processes)  # together half again as many as there are
    plan = []
    with db.session() as s:
        company = get_company(s, "ACME")
        receipt = create_operation(s, company, "receipt", [LineInput("PEN", str(STOCK), str(UNIT_COST))])
        validate(s, company, receipt)
        for child in range(processes):
            numbers = [create_operation(s, company, "delivery", [LineInput("PEN", "1")], party="C1").number
                       for _ in range(attempts)]
            plan.append((_reserve_then_deliver if child % 2 == 0 else _deliver_at_once,
                         (db.url, company.code, numbers)))
    outcomes = race_between(plan)
    assert [o["errors"] for o in outcomes] == [[]] * processes
    delivered = sum(o["delivered"] for o in outcomes)
    assert delivered == STOCK  # every unit left, none twice
    assert delivered + sum(o["short"] for o in outcomes) == attempts * processes
    with db.session() as s:
        company = get_company(s, "ACME")
        assert balance(s, company, "MAIN", commodity="PEN") == 0
        assert balance(s, company, "VIRTUAL/CUSTOMERS", commodity="PEN") == STOCK
        assert balance(s, company, "451") == STOCK * UNIT_COST  # the value left with the units
        assert balance(s, company, "147") == 0
        assert_stock_sound(s, company)


def _validate_same(url: str, company_code: str, number: str, barrier, results) -> None:
    import plugins.finance as finance
    import plugins.wms as wms

    with contestant(url, company_code, results, plugins=(finance, wms), validated=0, refused=0) as (
            factory, company, outcome):
        barrier.wait(120)
        try:
            with transaction(factory) as s:
                validate(s, company, find_operation(s, company, number), {"PEN": "2"})
            outcome["validated"] += 1
        except Conflict:
            outcome["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
            outcome["errors"].append(_describe(exc))


@pytest.mark.slow
def test_one_operation_validated_at_once_by_several_is_done_once(valued):
    db, company = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        validate(s, company, create_operation(s, company, "receipt", [LineInput("PEN", "10", "100")]))
        number = confirm(s, company, create_operation(s, company, "delivery", [LineInput("PEN", "5")],
                                                      party="C1")).number
    outcomes = race_between([(_validate_same, (db.url, company.code, number))] * 3)
    assert [o["errors"] for o in outcomes] == [[]] * 3
    assert sum(o["validated"] for o in outcomes) == 1 and sum(o["refused"] for o in outcomes) == 2
    with db.session() as s:
        company = get_company(s, "ACME")
        assert balance(s, company, "MAIN", commodity="PEN") == 8  # two left once, not six
        assert_stock_sound(s, company)


def _open_deliveries(url: str, company_code: str, rounds: int, barrier, results) -> None:
    """Number a delivery (the counter row), then reserve it (stock rows): in that order."""
    import plugins.finance as finance
    import plugins.wms as wms

    with contestant(url, company_code, results, plugins=(finance, wms), done=0) as (
        factory,
        company,
        outcome,
    ):
        barrier.wait(120)
        for _ in range(rounds):
            try:
                with transaction(factory) as s:
                    confirm(s, company, create_operation(s, company, "delivery", [LineInput("PEN", "1")],
                                                         party="C1"))
                outcome["done"] += 1
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
                outcome["errors"].append(_describe(exc))


def _deliver_part(url: str, company_code: str, numbers: list[str], barrier, results) -> None:
    """Deliver part of an order (stock rows), leaving a backorder (which once took the counter row)."""
    import plugins.finance as finance
    import plugins.wms as wms

    with contestant(url, company_code, results, plugins=(finance, wms), done=0) as (
        factory,
        company,
        outcome,
    ):
        barrier.wait(120)
        for number in numbers:
            try:
                with transaction(factory) as s:
                    _op, rest = validate(s, company, find_operation(s, company, number), {"PEN": "1"})
                    assert rest.number == f"{number}-1"
                outcome["done"] += 1
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
                outcome["errors"].append(_describe(exc))


@pytest.mark.slow
def test_backorders_and_new_deliveries_at_once_never_deadlock(valued):
    db, company = valued
    rounds = 6
    with db.session() as s:
        company = get_company(s, "ACME")
        validate(s, company, create_operation(s, company, "receipt", [LineInput("PEN", "100", "100")]))
        numbers = [confirm(s, company, create_operation(s, company, "delivery", [LineInput("PEN", "3")],
                                                        party="C2")).number for _ in range(rounds)]
    outcomes = race_between([(_open_deliveries, (db.url, company.code, rounds)),
                             (_deliver_part, (db.url, company.code, numbers))])
    assert [o["errors"] for o in outcomes] == [[], []]
    assert [o["done"] for o in outcomes] == [rounds, rounds]
    with db.session() as s:
        assert_stock_sound(s, get_company(s, "ACME"))

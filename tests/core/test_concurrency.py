"""Real processes racing on the same rows, on every engine.

Each child is a separate interpreter (the "spawn" start method) with its own
engine, plugin manager and connection, as two CLI runs or two web workers
would be. The children connect first, wait at a barrier, then race; each
reports what happened through a queue, and anything other than the expected
refusals fails the test.

On SQLite the writers queue for its one write lock (busy timeout); on
PostgreSQL they really run at once and meet on row locks.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
import traceback
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from core import ledger, make_engine, make_session_factory, transaction
from core.catalog import create_product
from core.companies import get_company, set_lock_date
from core.errors import JangbuError, LimitExceeded, LockedPeriod
from core.ledger import Draft, Leg
from tests.conftest import make_plugins

SPAWN = multiprocessing.get_context("spawn")
TIMEOUT = 120  # seconds for any one wait: a hung child fails the test instead of hanging it
SALE = (Leg("WH", "-1", "WIDGET"), Leg("OUT", "1", "WIDGET"))
STOCK = 150


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {str(exc).splitlines()[0] if str(exc) else ''}"


# -- children (module level, so "spawn" can import them) ----------------------

@contextmanager
def contestant(url: str, company_code: str, results, *, plugins=(), **counters):
    """A child's own engine, session factory (core, memo and ``plugins``) and
    company; its outcome goes back to the parent whatever happens (a failed
    setup is an error, not a hang)."""
    outcome = {**counters, "errors": []}
    engine = None
    try:
        engine = make_engine(url, pool_size=1, max_overflow=0)
        factory = make_session_factory(engine, make_plugins(*plugins))
        with transaction(factory) as s:
            company = get_company(s, company_code)
        yield factory, company, outcome
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails
        outcome["errors"].append(traceback.format_exc())
    finally:
        if engine is not None:
            engine.dispose()
        results.put(outcome)


def _sell_one_at_a_time(url: str, company_code: str, attempts: int, barrier, results) -> None:
    """Try ``attempts`` times to take one unit from WH, each in its own transaction."""
    with contestant(url, company_code, results, sold=0, refused=0) as (factory, company, outcome):
        barrier.wait(TIMEOUT)
        for _ in range(attempts):
            try:
                with transaction(factory) as s:
                    ledger.post(s, company, "2026-03-02", SALE)
                outcome["sold"] += 1
            except LimitExceeded:
                outcome["refused"] += 1
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
                outcome["errors"].append(_describe(exc))


def _post_the_same_keys(url: str, company_code: str, rounds: int, bulk: bool, barrier, results) -> None:
    """In each round, all children post the same content under the same key at once."""
    with contestant(url, company_code, results, created=[], replayed=[], refused=[]) as (
        factory,
        company,
        outcome,
    ):
        for r in range(rounds):
            key = f"PAY-{r}"
            legs = [Leg("1100", "1000"), Leg("4000", "-1000")]
            barrier.wait(TIMEOUT)
            try:
                with transaction(factory) as s:
                    if bulk:
                        (posted,) = ledger.post_many(s, company, [Draft("2026-03-01", legs, "same", key)])
                    else:
                        posted = ledger.post(s, company, "2026-03-01", legs, memo="same", key=key)
                outcome["created" if posted.created else "replayed"].append((key, posted.id))
            except JangbuError as exc:
                outcome["refused"].append((key, _describe(exc)))
            except Exception as exc:  # noqa: BLE001 - reported to the parent
                outcome["errors"].append((key, _describe(exc)))


def race(target, processes: int, *args) -> list[dict]:
    """Run ``target(*args, barrier, results)`` in ``processes`` fresh interpreters."""
    return race_between([(target, args)] * processes)


def race_between(contestants: list[tuple]) -> list[dict]:
    """Run each ``(target, args)`` as ``target(*args, barrier, results)`` in a fresh interpreter."""
    barrier = SPAWN.Barrier(len(contestants))
    results = SPAWN.Queue()
    children = [SPAWN.Process(target=target, args=(*args, barrier, results), daemon=True)
                for target, args in contestants]
    for child in children:
        child.start()
    try:
        return [results.get(timeout=TIMEOUT) for _ in children]
    finally:
        for child in children:
            child.join(timeout=TIMEOUT)
            if child.is_alive():
                child.terminate()
                child.join()


# -- the last units --------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("processes, attempts", [(2, 200), (8, 50)])
def test_processes_racing_for_the_last_units_never_oversell(db, processes, attempts):
    company = db.company("RACE")
    with db.session() as s:
        create_product(s, company, "WIDGET", "Widget")
        ledger.post(
            s, company, "2026-03-01", [Leg("WH", str(STOCK), "WIDGET"), Leg("OUT", f"-{STOCK}", "WIDGET")]
        )

    outcomes = race(_sell_one_at_a_time, processes, db.url, company.code, attempts)

    errors = [e for o in outcomes for e in o["errors"]]
    assert errors == [], "only LimitExceeded may refuse a sale"
    sold = [o["sold"] for o in outcomes]
    assert sum(sold) == STOCK, f"sold per process: {sold}"
    assert sum(o["refused"] for o in outcomes) == processes * attempts - STOCK
    with db.session() as s:
        assert ledger.balance(s, company, "WH", "WIDGET") == 0
        assert ledger.balance(s, company, "OUT", "WIDGET") == 0  # -150 received, +150 sold
        report = ledger.verify(s, company)  # includes: WH's postings never sum below zero
        assert report.ok, report.problems
        assert report.transactions == 1 + STOCK


# -- the same idempotency key at once ----------------------------------------------

class LeakedDatabaseError(AssertionError):
    """A raw database error escaped the ledger instead of a JangbuError."""


@pytest.mark.slow
@pytest.mark.parametrize("bulk", [
    pytest.param(False, id="post"),
    pytest.param(True, id="post_many"),
])
def test_processes_posting_the_same_key_at_once_post_it_once(db, bulk):
    processes, rounds = 4, 25
    company = db.company("KEYS")

    outcomes = race(_post_the_same_keys, processes, db.url, company.code, rounds, bulk)

    setup = [e for o in outcomes for k, e in o["errors"] if k == "setup"]
    assert setup == [], setup[0] if setup else None
    created = [c for o in outcomes for c in o["created"]]
    replayed = [c for o in outcomes for c in o["replayed"]]
    by_key = {}
    for key, txn_id in created:
        assert key not in by_key, f"{key} was created twice"
        by_key[key] = txn_id
    assert sorted(by_key) == sorted(f"PAY-{r}" for r in range(rounds))
    for key, txn_id in replayed:
        assert by_key[key] == txn_id, f"a replay of {key} returned another transaction"
    with db.session() as s:
        report = ledger.verify(s, company)
        assert report.ok, report.problems
        assert report.transactions == rounds
        assert ledger.balance(s, company, "1100") == 1000 * rounds

    leaked = [f"{key}: {error}" for o in outcomes for key, error in o["errors"]]
    if leaked:
        raise LeakedDatabaseError(
            f"{len(leaked)} of {processes * rounds} posts leaked a raw error, e.g. {leaked[0]}"
        )
    refused = [r for o in outcomes for r in o["refused"]]
    assert len(created) + len(replayed) + len(refused) == processes * rounds


# -- the same reversal at once ---------------------------------------------------

def _reverse_once(url: str, company_code: str, transaction_id: int, barrier, results) -> None:
    with contestant(url, company_code, results, reversed=[], refused=[]) as (factory, company, outcome):
        barrier.wait(TIMEOUT)
        try:
            with transaction(factory) as s:
                outcome["reversed"].append(ledger.reverse(s, company, transaction_id, "2026-03-02").id)
        except JangbuError as exc:
            outcome["refused"].append(_describe(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            outcome["errors"].append(_describe(exc))


@pytest.mark.slow
def test_processes_reversing_one_transaction_at_once_reverse_it_once(db):
    company = db.company("REV")
    with db.session() as s:
        original = ledger.post(s, company, "2026-03-01", [Leg("1100", "700"), Leg("4000", "-700")])

    outcomes = race(_reverse_once, 4, db.url, company.code, original.id)

    assert [e for o in outcomes for e in o["errors"]] == [], "only a clear refusal may stop a reversal"
    assert len([r for o in outcomes for r in o["reversed"]]) == 1
    assert all("already reversed" in r for o in outcomes for r in o["refused"])
    with db.session() as s:
        assert ledger.balance(s, company, "1100") == 0
        assert ledger.verify(s, company).ok


# -- closing a period while posts are in flight ------------------------------------

CLOSE = "2026-03-31"


def _post_into_the_period(url: str, company_code: str, attempts: int, barrier, results) -> None:
    """Post into March until the close has refused a few (or ``attempts`` ran out)."""
    with contestant(url, company_code, results, posted=0, locked=0) as (factory, company, outcome):
        barrier.wait(TIMEOUT)
        for _ in range(attempts):
            if outcome["locked"] >= 3:
                break
            try:
                with transaction(factory) as s:
                    ledger.post(s, company, "2026-03-15", [Leg("1100", "1"), Leg("4000", "-1")])
                outcome["posted"] += 1
            except LockedPeriod:
                outcome["locked"] += 1
            except Exception as exc:  # noqa: BLE001 - reported to the parent
                outcome["errors"].append(_describe(exc))


def _close_the_period(url: str, company_code: str, barrier, results) -> None:
    """Close March while posts run; note the last transaction the close could see."""
    with contestant(url, company_code, results, last_seen=None) as (factory, company, outcome):
        barrier.wait(TIMEOUT)
        time.sleep(0.3)  # let the posts get going
        with transaction(factory) as s:
            set_lock_date(s, company, dt.date.fromisoformat(CLOSE))
            outcome["last_seen"] = s.scalar(select(func.max(ledger.Transaction.id)))


@pytest.mark.slow
def test_closing_a_period_waits_for_posts_in_flight_and_stops_the_rest(db):
    company = db.company("CLOSE")
    outcomes = race_between([(_post_into_the_period, (db.url, company.code, 50_000))] * 2
                            + [(_close_the_period, (db.url, company.code))])

    assert [e for o in outcomes for e in o["errors"]] == []
    (last_seen,) = [o["last_seen"] for o in outcomes if "last_seen" in o]
    posts = [o for o in outcomes if "posted" in o]
    assert sum(o["posted"] for o in posts) > 0 and sum(o["locked"] for o in posts) > 0
    with db.session() as s:
        # Every posting inside the closed period was committed before the close
        # took its lock: none came after the last one the close saw.
        late = s.scalar(select(func.count()).select_from(ledger.Transaction).where(
            ledger.Transaction.company_id == company.id, ledger.Transaction.id > (last_seen or 0),
            ledger.Transaction.date <= dt.date.fromisoformat(CLOSE)))
        assert late == 0
        assert ledger.verify(s, company).ok

"""Big ledger imports: streamed, chunked, all or nothing, bounded locks; zero
legs; the ledger's length checks. On every engine.

The big tests run a real ``jangbu ledger import`` process: on PostgreSQL it
is watched through ``pg_locks`` while it runs (its backend must hold a
bounded number of locks, and a transaction in another database on the same
server must succeed meanwhile), and it is killed with SIGKILL at random
moments (afterwards the ledger holds all of the file or none of it and
``verify`` is clean).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
import tracemalloc
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text

from core import ledger
from core.errors import IdempotencyConflict, Invalid, LimitExceeded, NotFound
from core.ledger import Draft, Leg, Transaction
from core.ledger.importing import import_drafts
from core.ledger.writer import KEY_LOCKS

COMPANIES = itertools.count(1)
JANGBU = Path(sys.executable).with_name("jangbu")
KINDS = (("1000", 1000, "4000", "Cash sale"), ("5000", 300, "1000", "Paid in cash"),
         ("1100", 2500, "4000", "Card sale"))


def write_csv(path: Path, n: int, *, prefix: str = "T") -> dict[str, int]:
    """``n`` transactions (a zero leg on every 100th) and each account's sum."""
    sums: dict[str, int] = defaultdict(int)
    with path.open("w", encoding="utf-8") as out:
        out.write("txn,date,account,amount,memo\n")
        for i in range(n):
            debit, units, credit, memo = KINDS[i % 3]
            legs = [(debit, units), (credit, -units)] + ([("5000", 0)] if i % 100 == 99 else [])
            date = dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000)
            for number, (account, amount) in enumerate(legs):
                out.write(
                    f"{prefix}{i},{date},{account},{amount},{memo + ' ' + str(i) if number == 0 else ''}\n"
                )
                sums[account] += amount
    return sums


def jangbu(db, *args: str, company: str = "ACME") -> list[str]:
    return [str(JANGBU), "--database", db.url, "--company", company, *args]


def balances(db, company) -> dict[str, int]:
    """Each account's kept balance in KRW units."""
    with db.session() as s:
        return {code: int(ledger.balance(s, company, code)) for code in ("1000", "1100", "4000", "5000")}


def verified(db, company) -> int:
    """The number of transactions; fails unless ``verify`` is clean."""
    with db.session() as s:
        report = ledger.verify(s, company)
    assert report.ok, report.problems
    return report.transactions


def drafts(n: int, *, prefix: str = "D"):
    for i in range(n):
        debit, units, credit, memo = KINDS[i % 3]
        yield f"item {i}", Draft("2026-03-01", [Leg(debit, units), Leg(credit, -units)], memo, f"{prefix}{i}")


# -- the big import --------------------------------------------------------------

@pytest.mark.slow
def test_a_50000_transaction_import_holds_few_locks_and_leaves_other_databases_working(db, tmp_path, request):
    company = db.company()
    n = 50_000
    sums = write_csv(tmp_path / "big.csv", n)
    pg = db.dialect == "postgresql"
    # On PostgreSQL: another database on the same server, and a watcher of the import's locks.
    other = create_engine(request.getfixturevalue("fresh_postgres"), pool_size=1) if pg else None
    watcher = create_engine(db.url, pool_size=1) if pg else None
    most_locks = most_advisory = seen_copying = 0
    other_commits = 0
    process = subprocess.Popen(jangbu(db, "--json", "ledger", "import", str(tmp_path / "big.csv")),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while process.poll() is None:
            if pg:
                with watcher.connect() as w:
                    rows = w.execute(
                        text(
                            "SELECT l.pid, count(*), count(*) FILTER (WHERE l.locktype = 'advisory') FROM "
                            "pg_locks l "
                            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.datname = current_database() "
                            "AND l.pid <> pg_backend_pid() GROUP BY l.pid"
                        )
                    ).all()
                for _, total, advisory in rows:
                    most_locks, most_advisory = max(most_locks, total), max(most_advisory, advisory)
                    seen_copying += advisory == KEY_LOCKS
                # A transaction in another database on the same server, taking locks of its own.
                with other.begin() as o:
                    o.execute(text("CREATE TABLE IF NOT EXISTS t (id serial PRIMARY KEY, v int)"))
                    o.execute(text("INSERT INTO t (v) VALUES (1)"))
                    o.execute(text("LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE"))
                other_commits += 1
            time.sleep(0.05)
        out, err = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
        for engine in (other, watcher):
            if engine is not None:
                engine.dispose()
    assert process.returncode == 0, err
    assert json.loads(out) == {
        "file": str(tmp_path / "big.csv"),
        "transactions": n,
        "created": n,
        "existing": 0,
    }
    assert verified(db, company) == n
    assert balances(db, company) == {code: sums[code] for code in ("1000", "1100", "4000", "5000")}
    if pg:
        assert other_commits > 0
        assert seen_copying > 0, "the import was never seen holding its key locks"
        assert most_advisory <= KEY_LOCKS
        # Besides the key locks: one per table, index, sequence and catalogue it touches (about 60, a
        # constant). One lock per key, as before, would be 50,000 and fill the server's lock table.
        assert most_locks <= KEY_LOCKS + 100, f"the import's backend held {most_locks} locks"
    again = subprocess.run(jangbu(db, "--json", "ledger", "import", str(tmp_path / "big.csv")),
                           capture_output=True, text=True, timeout=600)
    assert json.loads(again.stdout) == {"file": str(tmp_path / "big.csv"), "transactions": n, "created": 0,
                                        "existing": n}, again.stderr
    assert verified(db, company) == n


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_all_or_nothing(db, tmp_path):
    db.company("TIMED")
    company = db.company()
    n = 8_000
    sums = write_csv(tmp_path / "kill.csv", n)
    started = time.monotonic()
    timed = subprocess.run(jangbu(db, "ledger", "import", str(tmp_path / "kill.csv"), company="TIMED"),
                           capture_output=True, text=True, timeout=600)
    assert timed.returncode == 0, timed.stderr
    duration = time.monotonic() - started
    seed = random.randrange(10**6)
    moments = sorted(random.Random(seed).uniform(0.1, 1.0) * duration for _ in range(4))
    for moment in moments:
        process = subprocess.Popen(jangbu(db, "ledger", "import", str(tmp_path / "kill.csv")),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(moment)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        found = verified(db, company)
        assert found in (0, n), (
            f"seed {seed}: a kill after {moment:.2f} s of {duration:.2f} s left {found} of {n}"
        )
        if found == n:
            break
    done = subprocess.run(jangbu(db, "--json", "ledger", "import", str(tmp_path / "kill.csv")),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert verified(db, company) == n
    assert balances(db, company) == {code: sums[code] for code in ("1000", "1100", "4000", "5000")}


@pytest.mark.slow
def test_memory_does_not_grow_with_the_number_of_transactions(db):
    """Peak memory reaches a plateau once the chunks are full (~7.5 MB on PostgreSQL from about 12,000
    transactions on, measured up to 30,000); keeping anything per transaction would show here."""
    company = db.company()
    with db.session() as s:  # one-time costs first (compiled statements, the driver's caches)
        import_drafts(s, company, drafts(2_500, prefix="W"))
    peaks = []
    for n, prefix in ((12_000, "A"), (36_000, "B")):
        gc.collect()
        tracemalloc.start()
        with db.session() as s:
            assert import_drafts(s, company, drafts(n, prefix=prefix)).created == n
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.25 * peaks[0], f"peak memory {peaks[0]:,} B for 12,000, {peaks[1]:,} B for 36,000"
    assert verified(db, company) == 50_500


# -- the rules across chunks ------------------------------------------------------

def test_the_no_negative_limit_holds_across_chunks_and_a_refusal_writes_nothing(db):
    company = db.company()
    stream = [("first", Draft("2026-03-01", [Leg("1000", 100), Leg("4000", -100)], "in", "N1")),
              ("second", Draft("2026-03-02", [Leg("5000", 60), Leg("1000", -60)], "out", "N2")),
              ("third", Draft("2026-03-03", [Leg("5000", 60), Leg("1000", -60)], "out", "N3"))]
    with pytest.raises(
        LimitExceeded, match="^third: account 1000 must not go negative: 40 KRW available, 60"
    ):
        with db.session() as s:
            import_drafts(s, company, stream, chunk=1)
    assert verified(db, company) == 0
    with db.session() as s:
        done = import_drafts(s, company, stream[:2], chunk=1)
    assert (done.transactions, done.created, done.existing) == (2, 2, 0)
    with db.session() as s:  # known keys with the same content are counted, not posted again
        done = import_drafts(s, company, stream[:2], chunk=1)
    assert (done.created, done.existing) == (0, 2)
    assert balances(db, company)["1000"] == 40


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_a_key_that_comes_back_later_is_refused_naming_where(db, chunk):
    company = db.company()
    legs = [Leg("1100", 5), Leg("4000", -5)]
    stream = [
        ("line 2", Draft("2026-03-01", legs, "", "K1")),
        ("line 4", Draft("2026-03-01", legs, "", "K2")),
        ("line 6", Draft("2026-03-01", legs, "", "K1")),
    ]
    with pytest.raises(Invalid, match="^line 6: comes again after other transactions"):
        with db.session() as s:
            import_drafts(s, company, stream, chunk=chunk)
    assert verified(db, company) == 0


def test_an_import_refuses_other_content_under_a_known_key_and_unknown_accounts_naming_where(db):
    company = db.company()
    with db.session() as s:
        ledger.post(s, company, "2026-03-01", [Leg("1100", 5), Leg("4000", -5)], key="K1")
    with pytest.raises(IdempotencyConflict, match="^at K1: idempotency key 'K1' was already used"):
        with db.session() as s:
            import_drafts(
                s, company, [("at K1", Draft("2026-03-01", [Leg("1100", 6), Leg("4000", -6)], "", "K1"))]
            )
    stream = [("fine", Draft("2026-03-01", [Leg("1100", 5), Leg("4000", -5)], "", "K2")),
              ("bad", Draft("2026-03-01", [Leg("1100", 5), Leg("9999", -5)], "", "K3"))]
    with pytest.raises(NotFound, match="^bad: unknown account '9999'"):
        with db.session() as s:
            import_drafts(s, company, stream)
    assert verified(db, company) == 1


def test_the_csv_lines_of_a_transaction_must_be_together(db, run, tmp_path):
    db.company()
    path = tmp_path / "apart.csv"
    path.write_text("txn,date,account,amount\nT1,2026-03-01,1100,5\nT1,2026-03-01,4000,-5\n"
                    "T2,2026-03-01,1100,7\nT2,2026-03-01,4000,-7\nT1,2026-03-01,1100,1\nT1,2026-03-01,4000,-1\n")
    result = run("ledger", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "jangbu: error: apart.csv line 6: transaction T1: comes again after other "
        "transactions; a transaction's lines must be together, and each key once"
    )
    assert verified(db, db.load()) == 0


# -- zero legs --------------------------------------------------------------------

balanced_legs = st.lists(st.tuples(st.sampled_from(["1100", "4000", "5000"]), st.integers(1, 10**6)),
                         min_size=1, max_size=4).map(
    lambda pairs: [(a, u) for a, u in pairs] + [("4000", -sum(u for _, u in pairs))])
zero_legs = st.lists(st.sampled_from(["1000", "1100", "4000", "5000"]), min_size=1, max_size=3)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(legs=balanced_legs, zeros=zero_legs, data=st.data())
def test_zero_legs_are_kept_in_a_valid_transaction_and_change_nothing(db, legs, zeros, data):
    company = db.company(
        f"Z{next(COMPANIES)}"
    )  # one per example: a company per example, the database per test
    with db.session() as s:
        before = {code: ledger.balance(s, company, code) for code in ("1000", "1100", "4000", "5000")}
    mixed = [Leg(a, u) for a, u in legs]
    for account in zeros:
        zero = data.draw(st.sampled_from(["0", "0.00", "-0"]))
        mixed.insert(data.draw(st.integers(0, len(mixed))), Leg(account, zero))
    with db.session() as s:
        posted = ledger.post(s, company, "2026-03-01", mixed, memo="with zero legs")
        loaded = ledger.load(s, company, posted.id)
        after = {code: ledger.balance(s, company, code) for code in ("1000", "1100", "4000", "5000")}
    assert [(leg.account, leg.amount) for leg in loaded.legs] == [
        (leg.account, Decimal(leg.amount)) for leg in mixed
    ]
    moved = defaultdict(int)
    for account, units in legs:
        moved[account] += units
    assert after == {code: before[code] + moved[code] for code in before}
    with db.session() as s:
        assert ledger.verify(s, company).ok


@pytest.mark.parametrize("how", ["post", "import"])
def test_a_transaction_of_zero_legs_only_is_refused(db, how):
    company = db.company()
    legs = [Leg("1100", "0"), Leg("4000", "0.00"), Leg("5000", "-0")]
    with pytest.raises(Invalid, match="every posting has a zero amount"):
        with db.session() as s:
            if how == "post":
                ledger.post(s, company, "2026-03-01", legs)
            else:
                import_drafts(s, company, [("here", Draft("2026-03-01", legs, "", "Z"))])
    assert verified(db, company) == 0


def test_an_import_keeps_zero_legs(db, run, tmp_path):
    company = db.company()
    path = tmp_path / "zero.csv"
    path.write_text("txn,date,account,amount,memo\nT1,2026-03-01,1100,5,paid\nT1,2026-03-01,4000,-5,\n"
                    "T1,2026-03-01,5000,0.00,rounding note\n")
    assert run("ledger", "import", str(path)).exit_code == 0
    with db.session() as s:
        (txn_id,) = s.scalars(select(Transaction.id)).all()
        legs = ledger.load(s, company, txn_id).legs
    assert [(leg.account, leg.amount) for leg in legs] == [("1100", 5), ("4000", -5), ("5000", 0)]
    assert verified(db, company) == 1


# -- lengths ------------------------------------------------------------------------

@pytest.mark.parametrize("field, make, message", [
    ("key", lambda legs: dict(key="k" * 240), "idempotency key must be at most 200 characters (it has 240)"),
    ("origin", lambda legs: dict(origin="o" * 201), "origin must be at most 200 characters (it has 201)"),
])
def test_too_long_text_gets_the_same_message_on_every_engine(db, field, make, message):
    company = db.company()
    legs = [Leg("1100", 5), Leg("4000", -5)]
    with pytest.raises(Invalid, match=f"^{message}$".replace("(", r"\(").replace(")", r"\)")):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", legs, **make(legs))
    with pytest.raises(Invalid, match="at most 200 characters"):
        with db.session() as s:
            ledger.post_many(s, company, [Draft("2026-03-01", legs, **make(legs))])
    assert verified(db, company) == 0


def test_a_too_long_account_code_is_named(db):
    company = db.company()
    with pytest.raises(Invalid, match=r"^account code must be at most 40 characters \(it has 41\)$"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", 5), Leg("x" * 41, -5)])


def test_a_too_long_key_in_a_csv_names_the_line(db, run, tmp_path):
    db.company()
    key = "K" * 240
    path = tmp_path / "long.csv"
    path.write_text(f"txn,date,account,amount\n{key},2026-03-01,1100,5\n{key},2026-03-01,4000,-5\n")
    result = run("ledger", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"jangbu: error: long.csv line 2: transaction {key}: "
                                     "idempotency key must be at most 200 characters (it has 240)")

"""Ledger posting speed: the public API against raw sqlite3, in one run.

    python bench/ledger_post.py [--n-bulk 100000] [--n-single 5000] [--repeat 3] [--dir TMPDIR] [--profile]

SQLite only, a fresh database file per measurement. Each transaction has two
lines (Bank 1100 +1000 KRW, Sales 4000 -1000 KRW) and its own idempotency key.

* bulk:   ``core.ledger.post_many`` of N drafts in one database transaction,
          against raw ``sqlite3`` ``executemany`` of the same rows.
* single: ``core.ledger.post`` N times by a worker that keeps one connection
          and one session and commits after every post (one database
          transaction per post: BEGIN IMMEDIATE .. COMMIT), against raw BEGIN;
          insert txn; insert 2 postings; upsert 2 balances; COMMIT on one
          connection.
* request: the same, but a new session per post (``with core.transaction(factory)``,
          as each web request or CLI call does); printed for information, no target.

Why the baseline is fair: all databases are copies of one template migrated
by ``core.migrate.upgrade`` (same tables, indexes, unique keys, triggers) with
the company and accounts created through the API; raw connections use the
engine's PRAGMAs (WAL, synchronous=NORMAL, foreign_keys=ON). Both sides write
the same rows: one ledger_transaction (key, 64-hex fingerprint, created_at),
two ledger_posting, and the ledger_balance upsert (ON CONFLICT DO UPDATE
amount = amount + excluded.amount), aggregated per account in bulk as the API
does. Each side runs ``--repeat`` times on fresh copies, alternating, and its best
run counts (other load on the machine only ever slows a run down). Inputs are
built before the clock starts (Draft/Leg objects for the
API, encoded tuples for raw); commit is timed on both sides. Afterwards
``verify`` must pass everywhere and API and raw databases must hold identical
rows (every column except the fingerprint's and created_at's values).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import os
import pstats
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy  # noqa: E402

import core  # noqa: E402
from core.companies import create_company, get_company  # noqa: E402
from core.ledger import Draft, Leg, create_account, post, post_many, verify  # noqa: E402
from core.migrate import upgrade  # noqa: E402

ACCOUNTS = (("1100", "Bank", "asset", 1000), ("4000", "Sales", "income", -1000))
TXN_SQL = (
    "INSERT INTO ledger_transaction (id, company_id, date, memo, key, fingerprint, origin, reverses_id,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
POSTING_SQL = (
    "INSERT INTO ledger_posting (company_id, transaction_id, account_id, commodity_id, date, amount)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
BALANCE_SQL = ("INSERT INTO ledger_balance (account_id, commodity_id, company_id, amount) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (account_id, commodity_id) DO UPDATE SET amount = amount + excluded.amount")


def make_template(path: Path, plugins) -> None:
    engine = core.make_engine(f"sqlite:///{path}")
    upgrade(engine, plugins)
    with core.transaction(core.make_session_factory(engine, plugins)) as s:
        company = create_company(s, "BENCH", "Bench", "KRW")
        for code, name, kind, _ in ACCOUNTS:
            create_account(s, company, code, name, kind)
    engine.dispose()  # the last connection checkpoints the WAL: the file alone is the database


def inputs(n: int) -> list[tuple[dt.date, str, str]]:
    start = dt.date(2025, 1, 1)
    return [(start + dt.timedelta(days=i % 365), f"Bench sale {i}", f"bench-{i:07d}") for i in range(n)]


def raw_connect(path: Path):
    con = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT below
    for pragma in ("foreign_keys = ON", "busy_timeout = 30000", "synchronous = NORMAL", "journal_mode = WAL"):
        con.execute(f"PRAGMA {pragma}")
    company = con.execute("SELECT id FROM core_company WHERE code = 'BENCH'").fetchone()[0]
    commodity = con.execute(
        "SELECT id FROM ledger_commodity WHERE company_id IS NULL AND code = 'KRW'"
    ).fetchone()[0]
    ids = dict(con.execute("SELECT code, id FROM ledger_account WHERE company_id = ?", (company,)))
    legs = [(ids[code], amount) for code, _, _, amount in ACCOUNTS]
    return con, company, commodity, legs


def raw_rows(rows):
    return [(d.isoformat(), memo, key, hashlib.sha256(f"{d}|{memo}|{key}".encode()).hexdigest())
            for d, memo, key in rows]


def stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite format


def raw_bulk(path: Path, rows) -> float:
    con, company, commodity, legs = raw_connect(path)
    encoded = raw_rows(rows)
    t0 = time.perf_counter()
    con.execute("BEGIN")
    first = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_transaction").fetchone()[0]
    now = stamp()
    con.executemany(TXN_SQL, [(first + i, company, d, memo, key, fp, None, None, now)
                              for i, (d, memo, key, fp) in enumerate(encoded)])
    con.executemany(POSTING_SQL, [(company, first + i, account, commodity, d, amount)
                                  for i, (d, *_) in enumerate(encoded) for account, amount in legs])
    deltas = defaultdict(int)
    for _ in encoded:
        for account, amount in legs:
            deltas[account] += amount
    con.executemany(BALANCE_SQL, [(a, commodity, company, deltas[a]) for a in sorted(deltas)])
    con.execute("COMMIT")
    return time.perf_counter() - t0


def raw_single(path: Path, rows) -> float:
    con, company, commodity, legs = raw_connect(path)
    encoded = raw_rows(rows)
    balances = sorted(legs)
    t0 = time.perf_counter()
    for d, memo, key, fp in encoded:
        con.execute("BEGIN")
        txn_id = con.execute(TXN_SQL, (None, company, d, memo, key, fp, None, None, stamp())).lastrowid
        con.executemany(
            POSTING_SQL, [(company, txn_id, account, commodity, d, amount) for account, amount in legs]
        )
        con.executemany(BALANCE_SQL, [(account, commodity, company, amount) for account, amount in balances])
        con.execute("COMMIT")
    return time.perf_counter() - t0


def api_run(path: Path, plugins, rows, mode: str, profile: bool) -> float:
    engine = core.make_engine(f"sqlite:///{path}")
    factory = core.make_session_factory(engine, plugins)
    with core.transaction(factory) as s:
        company = get_company(s, "BENCH")  # detached afterwards; expire_on_commit=False keeps it usable
    legs = [Leg(code, str(amount)) for code, _, _, amount in ACCOUNTS]
    drafts = [Draft(d, legs, memo, key) for d, memo, key in rows] if mode == "bulk" else None
    profiler = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    profiler and profiler.enable()
    if mode == "bulk":
        with core.transaction(factory) as s:
            post_many(s, company, drafts)
    elif mode == "single":
        # A worker: one connection and one session for all its posts, like the
        # raw side's one connection; every post is its own committed transaction.
        with engine.connect() as connection, factory(bind=connection) as s:
            for d, memo, key in rows:
                post(s, company, d, legs, memo=memo, key=key)
                s.commit()
    else:
        for d, memo, key in rows:
            with core.transaction(factory) as s:
                post(s, company, d, legs, memo=memo, key=key)
    profiler and profiler.disable()
    elapsed = time.perf_counter() - t0
    if profiler:
        print(f"\n--- cProfile, API {mode} (top 30 by cumulative time) ---")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    engine.dispose()
    return elapsed


def check(path: Path, plugins) -> tuple[str, tuple[int, int, int], str]:
    """(verify result, row counts, digest of the stored rows) of one database."""
    engine = core.make_engine(f"sqlite:///{path}")
    with core.transaction(core.make_session_factory(engine, plugins)) as s:
        report = verify(s, get_company(s, "BENCH"))
    engine.dispose()
    con = sqlite3.connect(path)
    counts = tuple(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                   for t in ("ledger_transaction", "ledger_posting", "ledger_balance"))
    digest = hashlib.sha256()
    for query in ("SELECT id, company_id, date, memo, key, length(fingerprint), origin, reverses_id,"
                  " typeof(created_at), length(created_at) FROM ledger_transaction ORDER BY id",
                  "SELECT * FROM ledger_posting ORDER BY id", "SELECT * FROM ledger_balance ORDER BY 1, 2"):
        for row in con.execute(query):
            digest.update(repr(row).encode())
    con.close()
    return ("ok" if report.ok else f"FAILED: {report.problems[:3]}"), counts, digest.hexdigest()[:12]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-bulk", type=int, default=100_000)
    parser.add_argument("--n-single", type=int, default=5_000)
    parser.add_argument("--dir", help="where the temporary databases go (default: the system temp dir)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the API runs")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per side; the best one counts (default 3)"
    )
    args = parser.parse_args()
    plugins = core.get_plugin_manager(entry_points=False)
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, SQLAlchemy "
        f"{sqlalchemy.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other processes skew the figures)"
    )
    print("two-line KRW transactions, a distinct idempotency key on every transaction on both sides;")
    print("single = a worker's session on one connection committing after every post, request = a new "
          "session from the pool per post; both against raw BEGIN..COMMIT per transaction on one connection")
    ok = True
    with tempfile.TemporaryDirectory(prefix="jangbu-bench-", dir=args.dir) as tmp:
        template = Path(tmp) / "template.db"
        make_template(template, plugins)
        results = []
        for mode, n, target in (("bulk", args.n_bulk, 0.50), ("single", args.n_single, 0.30),
                                ("request", args.n_single, None)):
            rows = inputs(n)
            api_db, raw_db = Path(tmp) / f"api-{mode}.db", Path(tmp) / f"raw-{mode}.db"
            api_s = raw_s = float("inf")
            for attempt in range(args.repeat):  # best of N, alternating sides, fresh databases each time
                for path in (api_db, raw_db):
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                    shutil.copy(template, path)
                api_s = min(api_s, api_run(api_db, plugins, rows, mode, args.profile and attempt == 0))
                raw_s = min(raw_s, (raw_bulk if mode == "bulk" else raw_single)(raw_db, rows))
            api, raw = check(api_db, plugins), check(raw_db, plugins)
            same = api[0] == raw[0] == "ok" and api[1:] == raw[1:]
            ok &= same
            print(
                f"  {mode:<7} verify api {api[0]}, raw {raw[0]}; rows (txn, postings, balances) api {api[1]} "
                f"raw {raw[1]}; content digests {api[2]} {raw[2]}: {'same' if same else 'DIFFERENT'}"
            )
            results.append((mode, n, n / api_s, n / raw_s, target))
    print()
    for mode, n, api_rate, raw_rate, target in results:
        ratio = api_rate / raw_rate
        verdict = "(no target)"
        if target is not None:
            ok &= ratio >= target
            verdict = f"(target >= {target:.2f}) {'met' if ratio >= target else 'NOT MET'}"
        print(f"{mode:<7} N={n:<7} api {api_rate:9,.0f} tx/s   raw {raw_rate:9,.0f} tx/s   "
              f"ratio {ratio:4.2f}  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

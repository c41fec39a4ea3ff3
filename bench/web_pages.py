"""Web page speed over a 1,000,000-posting ledger: each page against the raw SQL it runs, in one run.

    python bench/web_pages.py [--database URL] [--transactions 500000] [--requests 200] [--warmup 20]
                              [--rebuild] [--sql] [--profile]

One company (BENCH, KRW) with 50 accounts and ``--transactions`` two-leg
transactions (1,000,000 postings by default), dated evenly over two years
(2024-11-01 .. 2026-10-31) in date order, written with ``core.ledger.post_many``
in chunks. Bank (1100) is in about two thirds of them: the busy account.
The database (``bench/big_ledger.py``) is built once and reused while it holds
exactly that data (the company's name spells the build's parameters, and the
transaction and posting counts must match); the default is an SQLite file
under the system temp dir.
``--database postgresql+psycopg://postgres@127.0.0.1:5432/bench`` runs on
PostgreSQL (an empty database, or any database with ``--rebuild``, which drops
everything in it first). On PostgreSQL the build ends with VACUUM ANALYZE,
as autovacuum would.

Pages, requested through the Flask test client of the real app (core plugins,
CSRF on, signed in through /login as an admin of BENCH), as HTML (real
templates, as a person gets it) and as JSON (``Accept: application/json``):

* the transactions list, page 1 and page 200 (sorted by -date, per-page totals);
* the account page of 1100, page 1 (running balance);
* the trial balance now (maintained balances) and as of 2025-10-31 (the
  maintained balances minus the year of postings after that date).

The raw side: one request per page is recorded with SQLAlchemy's
``before_cursor_execute`` event (the SQL text and parameters exactly as the
driver gets them). The statements that read the ledger (``ledger_*`` tables)
are the page's queries: "raw" runs them with those parameters on a DBAPI
connection of its own (``sqlite3`` with the engine's PRAGMAs, or ``psycopg``
in autocommit), fetching every row. The other statements of the request are
the shell around every page (the signed-in user, the company, membership,
permissions and menu); they are timed the same way and shown as "shell",
outside the ratio. Page and raw alternate request by request after
``--warmup`` of each; p50/p95 by nearest rank. Targets (p95): lists
(transactions, account) <= 10 x raw and < 200 ms; trial balances <= 1.25 x raw
and < 1 s; the exit status is 1 when one is missed. For context: "naive" is
the raw time of the trial balance a ledger without maintained balances would
run (GROUP BY over all postings), and "floor" a signed-in request to a company
view that does nothing (a route this script adds to its own app instance).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import core  # noqa: E402
from big_ledger import BUSY, COMPANY, PASSWORD, USER, build, state, wipe  # noqa: E402  (bench/ is on sys.path)
from core.ledger.models import Posting  # noqa: E402
from core.models import Company  # noqa: E402

AS_OF = "2025-10-31"  # a year back: the trial balance takes off a year of postings


PAGES = [  # label, path, kind (targets)
    ("transactions, page 1", "/c/BENCH/ledger/transactions", "list"),
    ("transactions, page 200", "/c/BENCH/ledger/transactions?page=200", "list"),
    (f"account {BUSY}, page 1", f"/c/BENCH/ledger/accounts/{BUSY}", "list"),
    ("trial balance, now", "/c/BENCH/ledger/trial-balance", "report"),
    (f"trial balance, {AS_OF}", f"/c/BENCH/ledger/trial-balance?as_of={AS_OF}", "report"),
]
TARGETS = {"list": (10.0, 0.200), "report": (1.25, 1.0)}  # (p95 ratio to raw, p95 seconds)
FORMATS = {
    "html": {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    "json": {"Accept": "application/json"},
}


# -- the raw side -------------------------------------------------------------

class Raw:
    """A DBAPI connection of its own; runs recorded statements as the driver got them."""

    def __init__(self, engine):
        self.dialect = engine.dialect.name
        if self.dialect == "sqlite":
            self.con = sqlite3.connect(engine.url.database, isolation_level=None)
            for pragma in ("foreign_keys = ON", "busy_timeout = 30000", "synchronous = NORMAL",
                           "recursive_triggers = ON", "journal_mode = WAL"):
                self.con.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self.con = psycopg.connect(dsn, autocommit=True)

    def run(self, statements) -> int:
        rows = 0
        for sql, params in statements:
            if self.dialect == "sqlite":
                rows += len(self.con.execute(sql, params).fetchall())
            else:
                with self.con.cursor() as cur:
                    cur.execute(sql, params)
                    rows += len(cur.fetchall())
        return rows

    def timed(self, statements) -> float:
        t0 = time.perf_counter()
        self.run(statements)
        return time.perf_counter() - t0

    def close(self):
        self.con.close()


class Recorder:
    """The statements an engine sends while ``on``."""

    def __init__(self, engine):
        self.on, self.statements = False, []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, executemany):
        if self.on:
            assert not executemany, statement
            self.statements.append((statement, parameters))

    def record(self, fn):
        self.on, self.statements = True, []
        try:
            fn()
        finally:
            self.on = False
        return list(self.statements)


def naive_trial_balance(engine, company_id: int) -> list[tuple[str, object]]:
    """The trial balance from the postings alone, compiled for the engine like the app's."""
    from core.ledger.models import Account, Commodity

    sums = (
        select(Posting.account_id, Posting.commodity_id, func.sum(Posting.amount).label("units"))
        .where(Posting.company_id == company_id)
        .group_by(Posting.account_id, Posting.commodity_id)
        .subquery()
    )
    query = (
        select(sums.c.units, Account.code, Account.name, Account.type, Commodity.code, Commodity.scale)
        .join(Account, Account.id == sums.c.account_id)
        .join(Commodity, Commodity.id == sums.c.commodity_id)
        .where(sums.c.units != 0)
        .order_by(Account.code, Commodity.code)
    )
    recorder = Recorder(engine)
    with engine.connect() as c:
        return recorder.record(lambda: c.execute(query).all())


# -- measuring ----------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def sign_in(client) -> None:
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"username": USER, "password": PASSWORD, **({"csrf_token": token.group(1)} if token else {})}
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def fetch(client, path: str, headers: dict, fmt: str) -> None:
    response = client.get(path, headers=headers)
    body = response.get_data()
    if response.status_code != 200:
        raise SystemExit(f"{path} ({fmt}) answered {response.status_code}: {body[:300]!r}")
    if fmt == "json":
        data = json.loads(body)
        if not (data.get("items") or data.get("rows")):
            raise SystemExit(f"{path} (json) came back empty: {body[:300]!r}")
    elif b"<table" not in body:
        raise SystemExit(f"{path} (html) has no table: {body[:300]!r}")


def measure(args, engine, plugins, company_id: int) -> tuple[list[dict], dict, list[str]]:
    from web import create_app
    from web.access import permission

    app = create_app({"SECRET_KEY": "bench", "ENGINE": engine}, plugins)

    @permission("ledger.view")
    def floor():  # context: what every company page pays before its view does anything
        return "ok"

    app.add_url_rule("/c/<company>/bench-floor", "bench_floor", floor)
    client = app.test_client()
    sign_in(client)
    recorder, raw = Recorder(engine), Raw(engine)
    results, notes = [], []
    for label, path, kind in PAGES:
        for fmt, headers in FORMATS.items():
            request = lambda: fetch(client, path, headers, fmt)  # noqa: E731
            for _ in range(2):  # warm the caches before the one recorded request
                request()
            statements = recorder.record(request)
            page_sql = [s for s in statements if "ledger_" in s[0]]
            shell_sql = [s for s in statements if "ledger_" not in s[0]]
            for _ in range(args.warmup):
                request()
                raw.run(page_sql)
                raw.run(shell_sql)
            page_t, raw_t, shell_t = [], [], []
            profiler = cProfile.Profile() if args.profile else None
            for _ in range(args.requests):
                profiler and profiler.enable()
                t0 = time.perf_counter()
                request()
                page_t.append(time.perf_counter() - t0)
                profiler and profiler.disable()
                raw_t.append(raw.timed(page_sql))
                shell_t.append(raw.timed(shell_sql))
            results.append({"label": label, "fmt": fmt, "kind": kind, "page": page_t, "raw": raw_t,
                            "shell": shell_t, "n_page": len(page_sql), "n_shell": len(shell_sql)})
            print(f"  {label:<26} {fmt:<4} page p50 {pct(page_t, .5) * 1e3:8.2f} ms, raw p50 "
                  f"{pct(raw_t, .5) * 1e3:8.2f} ms", file=sys.stderr)
            if args.sql:
                notes.append(f"--- {label} ({fmt}): {len(statements)} statements")
                for sql, params in statements:
                    times = [raw.timed([(sql, params)]) for _ in range(max(5, min(args.requests, 50)))]
                    where = "page " if "ledger_" in sql else "shell"
                    notes.append(
                        f"  {where} p50 {pct(times, 0.5) * 1e3:8.3f} ms  {' '.join(sql.split())[:150]}"
                        f"  {str(params)[:80]}"
                    )
            if profiler:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
                notes.append(
                    f"--- cProfile, {label} ({fmt}), {args.requests} requests, top 25 by cumulative time"
                )
                notes.append(out.getvalue())
    for _ in range(args.warmup):
        client.get("/c/BENCH/bench-floor")
    floor_t = []
    for _ in range(args.requests):
        t0 = time.perf_counter()
        assert client.get("/c/BENCH/bench-floor").status_code == 200
        floor_t.append(time.perf_counter() - t0)
    naive_sql = naive_trial_balance(engine, company_id)
    runs = max(5, args.requests // 10)
    raw.run(naive_sql)
    naive = [raw.timed(naive_sql) for _ in range(runs)]
    raw.close()
    return results, {"runs": runs, "times": naive, "floor": floor_t}, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: an SQLite file under the temp dir)")
    parser.add_argument(
        "--transactions", type=int, default=500_000, help="two-leg transactions (default 500000)"
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page and format")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page and format first")
    parser.add_argument(
        "--rebuild", action="store_true", help="drop whatever the database holds and build it anew"
    )
    parser.add_argument("--sql", action="store_true", help="print each page's statements with their raw p50")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of each page's timed requests"
    )
    args = parser.parse_args()
    n = args.transactions
    default_file = Path(tempfile.gettempdir()) / "jangbu-bench" / f"web-pages-{n}.db"
    if args.database:
        url = args.database
    else:
        default_file.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{default_file}"
    plugins = core.get_plugin_manager(entry_points=False)

    found = state(url, n)
    shown = make_url(url).render_as_string(hide_password=True)
    build_s = None
    if found != "ready" or args.rebuild:
        if found == "other" and not args.rebuild:
            print(f"{shown} holds other data; pass --rebuild to drop everything in it", file=sys.stderr)
            return 2
        if found != "empty":
            wipe(url)
        print(f"building {shown}: {n:,} transactions, {2 * n:,} postings", file=sys.stderr)
        build_s = build(url, plugins, n)

    engine = core.make_engine(url)
    with engine.connect() as c:
        company_id = c.scalar(select(Company.id).where(Company.code == COMPANY))
        version = c.exec_driver_sql("SELECT sqlite_version()" if engine.dialect.name == "sqlite"
                                    else "SHOW server_version").scalar()
    print(
        f"Python {sys.version.split()[0]}, {engine.dialect.name} {version}, SQLAlchemy "
        f"{sqlalchemy.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other processes skew the figures)"
    )
    print(f"database {shown}: {n:,} transactions, {2 * n:,} postings, 50 accounts; "
          + (f"built in {build_s:.1f} s ({n / build_s:,.0f} tx/s)" if build_s is not None
             else "reused (built before, same data)"))
    print(
        f"{args.requests} timed requests per row after {args.warmup} warm-ups; page = Flask test client, "
        "signed in; "
        f"raw = the page's ledger SQL on the bare driver; shell = the request's other SQL, bare driver"
    )
    results, naive, notes = measure(args, engine, plugins, company_id)
    engine.dispose()

    ok = True
    print()
    print(f"{'page':<26} {'fmt':<4} {'SQL':>5} {'page p50':>9} {'p95':>9} {'raw p50':>9} {'p95':>9} "
          f"{'shell p50':>9} {'p95/raw':>8}  target (p95)            verdict")
    for r in results:
        ratio_max, limit = TARGETS[r["kind"]]
        p95_page, p95_raw = pct(r["page"], .95), pct(r["raw"], .95)
        ratio = p95_page / p95_raw
        met = ratio <= ratio_max and p95_page < limit
        ok &= met
        why = [] if met else ([f"ratio > {ratio_max:g}"] if ratio > ratio_max else []) + (
            [f">= {limit * 1e3:.0f} ms"] if p95_page >= limit else [])
        print(
            f"{r['label']:<26} {r['fmt']:<4} {r['n_page']:>2}+{r['n_shell']:<2} "
            f"{pct(r['page'], 0.5) * 1e3:6.2f} ms {p95_page * 1e3:6.2f} ms "
            f"{pct(r['raw'], 0.5) * 1e3:6.2f} ms {p95_raw * 1e3:6.2f} ms {pct(r['shell'], 0.5) * 1e3:6.2f} "
            "ms "
            f"{ratio:7.2f}x  <= {ratio_max:g}x raw, < {limit * 1e3:4.0f} ms  "
            + ("PASS" if met else "MISS (" + ", ".join(why) + ")")
        )
    t = naive["times"]
    print(
        f"{'naive trial balance (raw)':<31} {'':>5} {'':>9} {'':>9} {pct(t, 0.5) * 1e3:6.2f} ms "
        f"{pct(t, 0.95) * 1e3:6.2f} ms   GROUP BY over all {2 * n:,} postings, {naive['runs']} runs (context)"
    )
    t = naive["floor"]
    print(f"{'floor (empty company view)':<37} {pct(t, .5) * 1e3:6.2f} ms {pct(t, .95) * 1e3:6.2f} ms{'':>24}"
          "a signed-in request to a view that does nothing: user, company, membership, permission (context)")
    print(
        "SQL = statements per request: the page's ledger queries + the shell's (sign-in, company, "
        "permissions, menu)"
    )
    for line in notes:
        print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

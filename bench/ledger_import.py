"""Importing a big ledger: ``jangbu ledger import`` against raw bulk writes, in one run.

    python bench/ledger_import.py [--n 1000000] [--engines sqlite,postgresql]
                                  [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                                  [--dir TMPDIR]

Generates a CSV of N transactions (three kinds, two legs each, a zero leg
carrying a note on every 100th, a must-not-go-negative cash account that
the file keeps above zero), then per engine:

* api: a real ``jangbu ledger import FILE`` process (reading and checking
  the CSV included), timed from start to exit;
* raw: the same rows written by the driver in one transaction on a fresh
  copy of the same schema: PostgreSQL ``COPY`` of pre-rendered text (the
  fastest way rows reach PostgreSQL), SQLite ``executemany``; then the
  balance upsert. Inputs are built before the clock starts, so the raw side
  pays for nothing but the writing.

Target: api >= 0.3 of raw on each engine. Afterwards ``jangbu ledger verify``
must be clean on the api database, both databases must hold the same number
of transactions, postings and balances, and the balances must equal the
CSV's sums. PostgreSQL databases are created and dropped by the script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
import sqlalchemy  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import core  # noqa: E402
from core.companies import create_company  # noqa: E402
from core.ledger import create_account  # noqa: E402
from core.migrate import upgrade  # noqa: E402

JANGBU = Path(sys.executable).with_name("jangbu")
ACCOUNTS = (("1000", "Cash", "asset", True), ("1100", "Bank", "asset", False),
            ("4000", "Sales", "income", False), ("5000", "Costs", "expense", False),
            ("3900", "Notes", "equity", False))
KINDS = (("1000", 1000, "4000", "Cash sale"), ("5000", 300, "1000", "Paid in cash"),
         ("1100", 2500, "4000", "Card sale"))
START = dt.date(2016, 1, 1)
TXN_COLUMNS = "id, company_id, date, memo, key, fingerprint, origin, reverses_id, created_at"
POSTING_COLUMNS = "company_id, transaction_id, account_id, commodity_id, date, amount"
BALANCE_SQL = (
    "INSERT INTO ledger_balance (account_id, commodity_id, company_id, amount) VALUES ({0}, {0}, {0}, {0})"
    " ON CONFLICT (account_id, commodity_id) DO UPDATE SET amount = ledger_balance.amount + excluded.amount"
)


def transactions(n: int):
    """(key, date, memo, [(account, units), ...]) of the file, in order."""
    for i in range(n):
        debit, units, credit, memo = KINDS[i % 3]
        legs = [(debit, units), (credit, -units)]
        if i % 100 == 99:
            legs.append(("3900", 0))  # a zero leg: kept, it carries the line of the source
        yield f"imp-{i:08d}", START + dt.timedelta(days=i * 3650 // max(n, 1)), f"{memo} {i}", legs


def write_csv(path: Path, n: int) -> dict[str, int]:
    """The file, and each account's sum over it."""
    sums: dict[str, int] = defaultdict(int)
    with path.open("w", encoding="utf-8") as out:
        out.write("txn,date,account,amount,memo\n")
        for key, date, memo, legs in transactions(n):
            for number, (account, units) in enumerate(legs):
                out.write(f"{key},{date},{account},{units},{memo if number == 0 else ''}\n")
                sums[account] += units
    return dict(sums)


def prepare(url: str, plugins) -> None:
    engine = core.make_engine(url)
    upgrade(engine, plugins)
    with core.transaction(core.make_session_factory(engine, plugins)) as s:
        company = create_company(s, "BENCH", "Bench", "KRW")
        for code, name, kind, no_negative in ACCOUNTS:
            create_account(s, company, code, name, kind, no_negative=no_negative)
    engine.dispose()


def ids(con, paramstyle: str):
    mark = "%s" if paramstyle == "pg" else "?"
    run = lambda sql, *p: con.execute(sql.replace("?", mark), p).fetchone()  # noqa: E731
    company = run("SELECT id FROM core_company WHERE code = 'BENCH'")[0]
    commodity = run("SELECT id FROM ledger_commodity WHERE company_id IS NULL AND code = 'KRW'")[0]
    accounts = {code: run("SELECT id FROM ledger_account WHERE company_id = ? AND code = ?", company, code)[0]
                for code, *_ in ACCOUNTS}
    return company, commodity, accounts


def raw_rows(n: int, company: int, commodity: int, accounts: dict[str, int], first: int):
    """Transaction and posting tuples as the ledger stores them, and the balance deltas."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    txns, postings, deltas = [], [], defaultdict(int)
    for offset, (key, date, memo, legs) in enumerate(transactions(n)):
        txn_id = first + offset
        fingerprint = hashlib.sha256(repr((date, memo, legs)).encode()).hexdigest()
        txns.append((txn_id, company, date, memo, key, fingerprint, None, None, now))
        for account, units in legs:
            postings.append((company, txn_id, accounts[account], commodity, date, units))
            deltas[accounts[account]] += units
    return txns, postings, [(a, commodity, company, u) for a, u in sorted(deltas.items()) if u]


def copy_text(rows) -> bytes:
    out = io.StringIO()
    for row in rows:
        out.write("\t".join(r"\N" if v is None else str(v) for v in row))
        out.write("\n")
    return out.getvalue().encode()


def raw_postgres(dsn: str, n: int) -> float:
    with psycopg.connect(dsn) as con:
        company, commodity, accounts = ids(con, "pg")
        first = con.execute("SELECT nextval(pg_get_serial_sequence('ledger_transaction', 'id'))").fetchone()[
            0
        ]
        con.execute("SELECT setval(pg_get_serial_sequence('ledger_transaction', 'id'), %s)", (first + n,))
        con.commit()
        txns, postings, balances = raw_rows(n, company, commodity, accounts, first)
        txn_data, posting_data = copy_text(txns), copy_text(postings)
        del txns, postings
        t0 = time.perf_counter()
        with con.cursor() as cur:
            with cur.copy(f"COPY ledger_transaction ({TXN_COLUMNS}) FROM STDIN") as copy:
                copy.write(txn_data)
            with cur.copy(f"COPY ledger_posting ({POSTING_COLUMNS}) FROM STDIN") as copy:
                copy.write(posting_data)
            cur.executemany(BALANCE_SQL.format("%s"), balances)
        con.commit()
        return time.perf_counter() - t0


def raw_sqlite(path: Path, n: int) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys = ON", "busy_timeout = 30000", "synchronous = NORMAL", "journal_mode = WAL"):
        con.execute(f"PRAGMA {pragma}")
    company, commodity, accounts = ids(con, "sqlite")
    txns, postings, balances = raw_rows(n, company, commodity, accounts, 1)
    stamp = txns[0][-1].isoformat(" ", timespec="microseconds") if txns else ""
    txns = [(*t[:2], t[2].isoformat(), *t[3:8], stamp) for t in txns]
    postings = [(*p[:4], p[4].isoformat(), p[5]) for p in postings]
    t0 = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(f"INSERT INTO ledger_transaction ({TXN_COLUMNS}) VALUES ({', '.join('?' * 9)})", txns)
    con.executemany(f"INSERT INTO ledger_posting ({POSTING_COLUMNS}) VALUES ({', '.join('?' * 6)})", postings)
    con.executemany(BALANCE_SQL.format("?"), balances)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def api_import(url: str, csv: Path) -> tuple[float, str, int]:
    """Seconds, what the command said, and its peak memory (MB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        process = subprocess.Popen([str(JANGBU), "--database", url, "--company", "BENCH", "ledger", "import",
                                    str(csv)], stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - t0
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(f"jangbu ledger import failed: {err.read().strip()}")
        return elapsed, out.read().strip(), usage.ru_maxrss // 1024


def check(url: str, sums: dict[str, int]) -> tuple[bool, str]:
    verify = subprocess.run([str(JANGBU), "--database", url, "--company", "BENCH", "ledger", "verify"],
                            capture_output=True, text=True)
    engine = core.make_engine(url)
    with engine.connect() as con:
        counts = tuple(con.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar()
                       for t in ("ledger_transaction", "ledger_posting", "ledger_balance"))
        kept = dict(con.exec_driver_sql("SELECT a.code, b.amount FROM ledger_balance b "
                                        "JOIN ledger_account a ON a.id = b.account_id").all())
    engine.dispose()
    wanted = {code: units for code, units in sums.items() if units}
    ok = verify.returncode == 0 and kept == wanted
    return ok, (f"verify {'clean' if verify.returncode == 0 else 'FAILED'}, rows (txn, postings, balances) "
                f"{counts}, balances {'equal' if kept == wanted else 'DIFFER from'} the CSV's sums")


def counts(url: str) -> tuple:
    engine = core.make_engine(url)
    with engine.connect() as con:
        found = tuple(con.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar()
                      for t in ("ledger_transaction", "ledger_posting", "ledger_balance"))
    engine.dispose()
    return found


def bench_sqlite(tmp: Path, plugins, n: int, csv: Path, sums) -> tuple[float, float, bool]:
    template = tmp / "template.db"
    prepare(f"sqlite:///{template}", plugins)
    api_db, raw_db = tmp / "api.db", tmp / "raw.db"
    shutil.copy(template, api_db)
    shutil.copy(template, raw_db)
    api_s, said, peak = api_import(f"sqlite:///{api_db}", csv)
    raw_s = raw_sqlite(raw_db, n)
    ok, report = check(f"sqlite:///{api_db}", sums)
    same = counts(f"sqlite:///{api_db}") == counts(f"sqlite:///{raw_db}")
    print(f"  sqlite: {said} (peak memory {peak} MB)\n"
          f"  sqlite api: {report}; raw rows {'the same' if same else 'DIFFERENT'}")
    return api_s, raw_s, ok and same


def bench_postgres(admin_url: str, plugins, n: int, csv: Path, sums) -> tuple[float, float, bool]:
    base = make_url(admin_url)
    names = [f"jangbu_bench_import_{side}_{os.getpid()}" for side in ("api", "raw")]
    admin = psycopg.connect(base.set(drivername="postgresql").render_as_string(hide_password=False),
                            autocommit=True)
    try:
        for name in names:
            admin.execute(f"CREATE DATABASE {name}")
            prepare(base.set(database=name).render_as_string(hide_password=False), plugins)
        api_url, raw_url = (base.set(database=name).render_as_string(hide_password=False) for name in names)
        api_s, said, peak = api_import(api_url, csv)
        raw_s = raw_postgres(
            make_url(raw_url).set(drivername="postgresql").render_as_string(hide_password=False), n
        )
        ok, report = check(api_url, sums)
        same = counts(api_url) == counts(raw_url)
        print(f"  postgresql: {said} (peak memory {peak} MB)\n"
              f"  postgresql api: {report}; raw rows {'the same' if same else 'DIFFERENT'}")
        return api_s, raw_s, ok and same
    finally:
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=1_000_000, help="transactions in the file (default 1,000,000)"
    )
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("JANGBU_BENCH_PG_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server to create the throw-away databases on")
    parser.add_argument("--dir", help="where the file and SQLite databases go (default: the system temp dir)")
    args = parser.parse_args()
    plugins = core.get_plugin_manager(entry_points=False)
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, SQLAlchemy "
        f"{sqlalchemy.__version__}, "
        f"psycopg {psycopg.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
        "(other processes skew the figures)"
    )
    ok, results = True, []
    with tempfile.TemporaryDirectory(prefix="jangbu-import-", dir=args.dir) as name:
        tmp = Path(name)
        csv = tmp / "ledger.csv"
        sums = write_csv(csv, args.n)
        print(f"{csv.name}: {args.n:,} transactions, {csv.stat().st_size / 1e6:,.0f} MB")
        for engine in args.engines.split(","):
            run = bench_sqlite(tmp, plugins, args.n, csv, sums) if engine == "sqlite" else \
                bench_postgres(args.pg_url, plugins, args.n, csv, sums)
            ok &= run[2]
            results.append((engine, *run[:2]))
    print()
    for engine, api_s, raw_s in results:
        ratio = raw_s / api_s
        ok &= ratio >= 0.3
        print(f"{engine:<10} N={args.n:<8,} import {api_s:7.1f} s {args.n / api_s:9,.0f} tx/s   "
              f"raw {raw_s:6.1f} s {args.n / raw_s:9,.0f} tx/s   ratio {ratio:4.2f}  "
              f"(target >= 0.30) {'met' if ratio >= 0.3 else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

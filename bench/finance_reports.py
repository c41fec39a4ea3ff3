"""Finance reports over a 1,000,000-posting ledger, each next to the raw SQL a ledger without
maintained balances would run, in one run.

    python bench/finance_reports.py [--database URL] [--transactions 500000] [--runs 10] [--warmup 2]
                                    [--rebuild]

The ledger is ``bench/big_ledger.py``'s: company BENCH (KRW), 50 accounts,
``--transactions`` two-leg transactions (1,000,000 postings by default) dated
evenly 2024-11-01 .. 2026-10-31, built once and reused while the database
holds exactly that data (default: an SQLite file of its own under the system
temp dir, so the page benchmark's file stays core-only;
``--database postgresql+psycopg://postgres@127.0.0.1:5432/bench`` runs on
PostgreSQL). Finance is then installed for BENCH (once): its chart keeps the
50 accounts and classifies them by type (1100 Bank as cash, 1000..1900
mostly current assets, and so on), which changes no posting.

Timed, through the services a page or the CLI calls (one database
transaction each, as a request has):

* the trial balance now (the maintained balances as they are), as of
  2025-10-31 (minus a year of postings) and for the month of 2026-10 and the
  fiscal year 2026 to date (opening, debits, credits, closing);
* the balance sheet as of 2026-10-31 (the last day with postings: the
  maintained balances) and as of 2025-10-31;
* for context, the profit and loss of 2026 to date (a sum over its postings).

Next to each, in the same run: "naive", the raw SQL that answers the same
question from the postings alone (GROUP BY over every posting up to the
date; for the balance sheet the classification by section is a 50-row
dictionary lookup left out of the SQL), and "own", the report's own
statements replayed on the bare driver (what the report costs beyond its
SQL). Reports and raw SQL alternate run by run after ``--warmup`` rounds;
best and median of ``--runs``. Before timing, each report's figures are
checked against the naive SQL's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy  # noqa: E402
from sqlalchemy import and_, case, func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from web_pages import Raw, Recorder  # noqa: E402  (the page benchmark's bare-driver runner)

import core  # noqa: E402
import plugins.finance as finance  # noqa: E402
from big_ledger import COMPANY, build, state, wipe  # noqa: E402  (bench/ is on sys.path)
from core.installation import install  # noqa: E402
from core.ledger.models import Account, Commodity, Posting  # noqa: E402
from core.models import Company  # noqa: E402
from plugins.finance import reports  # noqa: E402

AS_OF = dt.date(2025, 10, 31)     # a year back
LAST = dt.date(2026, 10, 31)      # the last day with postings
MONTH = (dt.date(2026, 10, 1), LAST)
YEAR = (dt.date(2026, 1, 1), LAST)


def naive_balances(company_id: int, money: int, until: dt.date | None):
    """Every account's balance from its postings alone (up to ``until``)."""
    where = [Posting.company_id == company_id, Posting.commodity_id == money]
    if until is not None:
        where.append(Posting.date <= until)
    sums = (select(Posting.account_id, func.sum(Posting.amount).label("units")).where(*where)
            .group_by(Posting.account_id).subquery())
    return (select(Account.code, sums.c.units).join(Account, Account.id == sums.c.account_id)
            .where(sums.c.units != 0).order_by(Account.code))


def naive_period(company_id: int, money: int, start: dt.date, end: dt.date):
    """Opening, debits and credits per account from the postings alone."""
    before, inside = Posting.date < start, Posting.date >= start
    sums = (
        select(
            Posting.account_id,
            func.sum(case((before, Posting.amount), else_=0)).label("opening"),
            func.sum(case((and_(inside, Posting.amount > 0), Posting.amount), else_=0)).label("debit"),
            func.sum(case((and_(inside, Posting.amount < 0), -Posting.amount), else_=0)).label("credit"),
        )
        .where(Posting.company_id == company_id, Posting.commodity_id == money, Posting.date <= end)
        .group_by(Posting.account_id)
        .subquery()
    )
    return (select(Account.code, sums.c.opening, sums.c.debit, sums.c.credit)
            .join(Account, Account.id == sums.c.account_id).order_by(Account.code))


def install_finance(factory, company_id: int) -> bool:
    with core.transaction(factory) as s:
        company = s.get(Company, company_id)
        return bool(install(s, company, ["finance"]))


def cases(company_id: int, money: int):
    """(label, report call, naive SQL, check(report, naive rows))."""
    def same_balances(report, rows):
        mine = {r.account: r.closing for r in report.rows}
        return mine == {code: int(units) for code, units in rows}

    def same_period(report, rows):
        mine = {r.account: (r.opening, r.debit, r.credit) for r in report.rows}
        return mine == {code: (int(o), int(d), int(c)) for code, o, d, c in rows if o or d or c}

    def sheet_total(report, rows):  # total assets: every asset-type account's balance
        return report.amount("total_assets") == sum(int(u) for code, u in rows if code.startswith("1"))

    def pnl_total(report, rows):
        return report.amount("net_income") == -sum(int(u) for code, u in rows if code[0] in "45")

    return [
        ("trial balance, now", lambda s, c: reports.trial_balance(s, c),
         naive_balances(company_id, money, None), same_balances),
        (f"trial balance, as of {AS_OF}", lambda s, c: reports.trial_balance(s, c, None, AS_OF),
         naive_balances(company_id, money, AS_OF), same_balances),
        ("trial balance, 2026-10", lambda s, c: reports.trial_balance(s, c, *MONTH),
         naive_period(company_id, money, *MONTH), same_period),
        ("trial balance, 2026 to date", lambda s, c: reports.trial_balance(s, c, *YEAR),
         naive_period(company_id, money, *YEAR), same_period),
        (f"balance sheet, {LAST}", lambda s, c: reports.balance_sheet(s, c, LAST),
         naive_balances(company_id, money, LAST), sheet_total),
        (f"balance sheet, {AS_OF}", lambda s, c: reports.balance_sheet(s, c, AS_OF),
         naive_balances(company_id, money, AS_OF), sheet_total),
        ("profit and loss, 2026 (context)", lambda s, c: reports.profit_and_loss(s, c, *YEAR),
         _naive_range(company_id, money, *YEAR), pnl_total),
    ]


def _naive_range(company_id: int, money: int, start: dt.date, end: dt.date):
    sums = (select(Posting.account_id, func.sum(Posting.amount).label("units"))
            .where(Posting.company_id == company_id, Posting.commodity_id == money, Posting.date >= start,
                   Posting.date <= end).group_by(Posting.account_id).subquery())
    return (
        select(Account.code, sums.c.units)
        .join(Account, Account.id == sums.c.account_id)
        .order_by(Account.code)
    )


def measure(args, engine, factory, company_id: int) -> list[dict]:
    with engine.connect() as c:
        money = c.scalar(select(Commodity.id).where(Commodity.code == "KRW", Commodity.company_id.is_(None)))
    recorder, raw = Recorder(engine), Raw(engine)
    results = []
    for label, call, naive_query, check in cases(company_id, money):
        def run_report():
            with factory() as s, s.begin():
                return call(s, s.get(Company, company_id))

        report = run_report()
        own_sql = recorder.record(run_report)
        naive_sql = recorder.record(lambda: _fetch(engine, naive_query))
        naive_rows = _fetch(engine, naive_query)
        if not check(report, naive_rows):
            raise SystemExit(f"{label}: the report and the naive SQL disagree")
        for _ in range(args.warmup):
            run_report()
            raw.run(own_sql)
            raw.run(naive_sql)
        times = {"report": [], "own": [], "naive": []}
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run_report()
            times["report"].append(time.perf_counter() - t0)
            times["own"].append(raw.timed(own_sql))
            times["naive"].append(raw.timed(naive_sql))
        rows = len(getattr(report, "rows", getattr(report, "lines", ())))
        results.append({"label": label, "rows": rows, "statements": len(own_sql), **times})
        print(f"  {label:<34} report best {min(times['report']) * 1e3:8.2f} ms, naive best "
              f"{min(times['naive']) * 1e3:8.2f} ms", file=sys.stderr)
    raw.close()
    return results


def _fetch(engine, query):
    with engine.connect() as c:
        return c.execute(query).all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: an SQLite file under the temp dir)")
    parser.add_argument(
        "--transactions", type=int, default=500_000, help="two-leg transactions (default 500000)"
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs per report (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs of each first (default 2)")
    parser.add_argument(
        "--rebuild", action="store_true", help="drop whatever the database holds and build it anew"
    )
    args = parser.parse_args()
    n = args.transactions
    if args.database:
        url = args.database
    else:
        path = Path(tempfile.gettempdir()) / "jangbu-bench" / f"finance-reports-{n}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    plugins = core.get_plugin_manager([finance], entry_points=False)
    shown = make_url(url).render_as_string(hide_password=True)
    found = state(url, n)
    build_s = None
    if found != "ready" or args.rebuild:
        if found == "other" and not args.rebuild:
            print(f"{shown} holds other data; pass --rebuild to drop everything in it", file=sys.stderr)
            return 2
        if found != "empty":
            wipe(url)
        print(f"building {shown}: {n:,} transactions, {2 * n:,} postings", file=sys.stderr)
        build_s = build(url, core.get_plugin_manager(entry_points=False), n)

    engine = core.make_engine(url)
    factory = core.make_session_factory(engine, plugins)
    with engine.connect() as c:
        company_id = c.scalar(select(Company.id).where(Company.code == COMPANY))
        version = c.exec_driver_sql("SELECT sqlite_version()" if engine.dialect.name == "sqlite"
                                    else "SHOW server_version").scalar()
    installed = install_finance(factory, company_id)
    print(
        f"Python {sys.version.split()[0]}, {engine.dialect.name} {version}, SQLAlchemy "
        f"{sqlalchemy.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other processes skew the figures)"
    )
    print(f"database {shown}: {n:,} transactions, {2 * n:,} postings, 50 accounts; "
          + (f"built in {build_s:.1f} s" if build_s is not None else "reused (built before, same data)")
          + ("; finance installed now" if installed else "; finance installed before"))
    print(
        f"best and median of {args.runs} runs after {args.warmup} warm-ups; report = the service in a "
        "database "
        "transaction of its own; own = its SQL on the bare driver; naive = GROUP BY over the postings, "
        "bare driver"
    )
    results = measure(args, engine, factory, company_id)
    engine.dispose()
    print()
    print(f"{'report':<34} {'rows':>4} {'SQL':>3} {'report best':>11} {'median':>9} {'own SQL':>9} "
          f"{'naive best':>10} {'median':>9} {'naive/report':>12}")
    for r in results:
        best, naive = min(r["report"]), min(r["naive"])
        print(f"{r['label']:<34} {r['rows']:>4} {r['statements']:>3} {best * 1e3:8.2f} ms "
              f"{statistics.median(r['report']) * 1e3:6.2f} ms {min(r['own']) * 1e3:6.2f} ms "
              f"{naive * 1e3:7.2f} ms {statistics.median(r['naive']) * 1e3:6.2f} ms {naive / best:11.1f}x")
    print("rows = accounts (trial balance) or lines (statements); SQL = statements the report runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

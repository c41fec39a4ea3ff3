"""WMS availability and replenishment over 10,000 products, each next to the
same (or an equivalent) SQL on the bare driver, in one run.

    python bench/wms_stock.py [--database URL] [--products 10000] [--locations 50] [--runs 10] [--warmup 2]
                              [--rebuild]

The data, built once and reused while the database holds exactly it
(default: an SQLite file of its own under the system temp dir;
``--database postgresql+psycopg://postgres@127.0.0.1:5432/bench_wms`` runs on
PostgreSQL): company WMSB with wms alone (quantities, no valuation),
warehouse MAIN with ``--locations`` zones, ``--products`` products each on
hand in every zone (``wms_stock`` rows and ledger balances from receipts
posted with ``post_many``), 90 days of done deliveries to customers (one
delivery a day, about one product in five a day, each a ledger
transaction), a ready delivery holding reservations on one product in ten,
a ready receipt bringing one product in five, open proposals for one in
twenty, a standard cost per product and a reorder rule per product (half
automatic, half manual). ``check_stock`` proves the build sound.

Timed, each in a database transaction of its own, as a CLI call has:

* availability of one product across every location: ``queries.availability``
  and ``api.available``;
* the availability list of one location (every product in it:
  ``queries.availability`` has no paging);
* the replenishment ``plan`` over every rule (positions, 90 days of demand,
  safety stock, EOQ, reasons).

Next to each: "own", the statements the service ran, replayed on a bare
``sqlite3`` / ``psycopg`` connection, and for the plan "raw", one
hand-written SQL statement that computes every rule's position and demand
sums (what the plan reads, without its arithmetic). Best and median of
``--runs`` after ``--warmup`` rounds; the plan's positions are checked
against the raw SQL's before timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy  # noqa: E402
from sqlalchemy import func, insert, inspect, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from web_pages import Raw, Recorder  # noqa: E402  (the page benchmark's bare-driver runner)

import core  # noqa: E402
import plugins.wms as wms  # noqa: E402
from big_ledger import wipe  # noqa: E402  (bench/ is on sys.path)
from core.catalog import create_party, create_product  # noqa: E402
from core.companies import create_company  # noqa: E402
from core.ledger import Draft, Leg, post_many  # noqa: E402
from core.migrate import upgrade  # noqa: E402
from core.models import Company  # noqa: E402
from plugins.wms import api, queries  # noqa: E402
from plugins.wms.documents import (  # noqa: E402
    Move,
    MoveLine,
    Operation,
    OperationKind,
    OperationState,
    Proposal,
    ProposalState,
    ReorderRule,
)
from plugins.wms.models import Counter, ProductSettings, Stock  # noqa: E402
from plugins.wms.places import add_location, create_warehouse  # noqa: E402
from plugins.wms.replenishment import plan  # noqa: E402
from plugins.wms.setup import settings_of  # noqa: E402

COMPANY = "WMSB"
TODAY = dt.date(2026, 10, 31)
DAYS = 90
SEED = 20261031
BUILD_VERSION = 1  # bump when the generated data changes
PRODUCT, LOCATION = "P00042", "MAIN/Z07"


def spec(n: int, m: int) -> str:
    return f"Bench wms v{BUILD_VERSION}: {n} products x {m} locations, {DAYS}d to {TODAY}, seed {SEED}"


def sku(p: int) -> str:
    return f"P{p:05d}"


# -- the database -------------------------------------------------------------

def state(url: str, n: int, m: int) -> str:
    """"ready", "empty", "bench" (another build of this benchmark) or "other"."""
    engine = core.make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables:
            return "empty"
        if not {"core_company", "wms_stock", "wms_reorder_rule"} <= tables:
            return "other"
        with engine.connect() as c:
            names = dict(c.execute(select(Company.code, Company.name)).all())
            if set(names) != {COMPANY} or not names[COMPANY].startswith("Bench wms"):
                return "other"
            rules = c.scalar(select(func.count()).select_from(ReorderRule))
        return "ready" if names[COMPANY] == spec(n, m) and rules == n else "bench"
    finally:
        engine.dispose()


def _say(message: str) -> None:
    print(f"\r  {message}", end="", file=sys.stderr, flush=True)


def build(url: str, plugins, n: int, m: int) -> float:
    t0 = time.perf_counter()
    engine = core.make_engine(url)
    upgrade(engine, plugins)
    factory = core.make_session_factory(engine, plugins)
    rng = random.Random(SEED)
    automatic = [p % 2 == 0 for p in range(n)]
    # On hand at the end, per product and zone: automatic rules see a few units a zone (about half of
    # them fall below their reorder point), manual ones more, against reorder points drawn below.
    final = [[rng.randint(1, 3) if automatic[p] else rng.randint(5, 40) for _ in range(m)] for p in range(n)]
    sold = [{day: rng.randint(1, 12) for day in range(DAYS) if rng.random() < 0.2} for _ in range(n)]
    source = [p % m for p in range(n)]
    first = TODAY - dt.timedelta(days=DAYS - 1)

    with core.transaction(factory) as s:
        company = create_company(s, COMPANY, spec(n, m), "KRW", plugins=["wms"])
        create_party(s, company, "SUP", "Bench supplier")
        create_party(s, company, "CUS", "Bench customer")
        root = create_warehouse(s, company, "MAIN", "Main warehouse").location_id
        zones = [add_location(s, company, "MAIN", f"Z{z + 1:02d}") for z in range(m)]
        zone_ids, zone_codes = [z.id for z in zones], [z.code for z in zones]
        for p in range(n):
            create_product(s, company, sku(p), f"Bench product {p}")
            if p % 1000 == 999:
                _say(f"products {p + 1:,}/{n:,}")
        company_id, warehouse_id = company.id, zones[0].warehouse_id
        settings = settings_of(s, company)
        supplier, customer = settings.supplier_id, settings.customer_id
    print(file=sys.stderr)
    with engine.connect() as c:
        pids = dict(
            c.execute(text("SELECT sku, id FROM core_product WHERE company_id = :c"), {"c": company_id}).all()
        )
    product_ids = [pids[sku(p)] for p in range(n)]

    # Receipts: one ledger transaction per product into every zone (its source zone also gets what the
    # deliveries take later), then one delivery a day; post_many in chunks, a transaction each.
    def receipt(p: int) -> Draft:
        units = [final[p][z] + (sum(sold[p].values()) if z == source[p] else 0) for z in range(m)]
        legs = [Leg(zone_codes[z], units[z], sku(p)) for z in range(m)]
        return Draft(first - dt.timedelta(days=1), legs + [Leg("VIRTUAL/SUPPLIERS", -sum(units), sku(p))],
                     f"opening receipt {sku(p)}", key=f"bench:in:{sku(p)}")

    for start in range(0, n, 1000):
        with core.transaction(factory) as s:
            post_many(s, s.get(Company, company_id), [receipt(p) for p in range(start, min(n, start + 1000))])
        _say(f"receipts {min(n, start + 1000):,}/{n:,}")
    print(file=sys.stderr)
    by_day = defaultdict(list)
    for p in range(n):
        for day, units in sold[p].items():
            by_day[day].append((p, units))
    for day in range(DAYS):
        date = first + dt.timedelta(days=day)
        number = f"MAIN/OUT/{day + 1:05d}"
        legs = []
        for p, units in by_day[day]:
            legs += [Leg(zone_codes[source[p]], -units, sku(p)), Leg("VIRTUAL/CUSTOMERS", units, sku(p))]
        with core.transaction(factory) as s:
            posted = post_many(
                s,
                s.get(Company, company_id),
                [Draft(date, legs, f"{number} (delivery)", key=f"wms:{number}", origin=f"wms:{number}")],
            )
            op = Operation(company_id=company_id, number=number, kind=OperationKind.DELIVERY,
                           state=OperationState.DONE, warehouse_id=warehouse_id, source_id=root,
                           destination_id=customer, scheduled=date, done_on=date, transaction_id=posted[0].id)
            s.add(op)
            s.flush()
            _moves(
                s,
                company_id,
                op.id,
                [
                    (product_ids[p], units, units, zone_ids[source[p]], customer, 0, units)
                    for p, units in by_day[day]
                ],
            )
        _say(f"deliveries {day + 1}/{DAYS} days")
    print(file=sys.stderr)

    with core.transaction(factory) as s:
        # A ready delivery holding 3 units (of 5) of one product in ten, in its source zone.
        held = {p: min(3, final[p][source[p]]) for p in range(0, n, 10)}
        out = Operation(company_id=company_id, number=f"MAIN/OUT/{DAYS + 1:05d}", kind=OperationKind.DELIVERY,
                        state=OperationState.READY, warehouse_id=warehouse_id, source_id=root,
                        destination_id=customer, scheduled=TODAY)
        receipt_op = Operation(company_id=company_id, number="MAIN/IN/00001", kind=OperationKind.RECEIPT,
                               state=OperationState.READY, warehouse_id=warehouse_id, source_id=supplier,
                               destination_id=root, scheduled=TODAY)
        s.add_all([out, receipt_op])
        s.flush()
        _moves(s, company_id, out.id, [(product_ids[p], 5, 0, zone_ids[source[p]], customer, units, 0)
                                       for p, units in held.items()])
        _moves(s, company_id, receipt_op.id, [(product_ids[p], 50, 0, supplier, zone_ids[source[p]], 0, 0)
                                              for p in range(1, n, 5)])
        s.execute(insert(Counter), [{"company_id": company_id, "prefix": "MAIN/OUT", "last": DAYS + 1},
                                    {"company_id": company_id, "prefix": "MAIN/IN", "last": 1}])
        rows = [
            {
                "company_id": company_id,
                "location_id": zone_ids[z],
                "product_id": product_ids[p],
                "lot_id": None,
                "on_hand": final[p][z],
                "reserved": held.get(p, 0) if z == source[p] else 0,
                "in_date": first - dt.timedelta(days=1),
            }
            for p in range(n)
            for z in range(m)
        ]
        for chunk in range(0, len(rows), 50_000):
            s.execute(insert(Stock), rows[chunk:chunk + 50_000])
        s.execute(
            insert(Proposal),
            [
                {
                    "company_id": company_id,
                    "warehouse_id": warehouse_id,
                    "product_id": product_ids[p],
                    "quantity": 30,
                    "route": "purchase",
                    "reason": "bench",
                    "state": ProposalState.OPEN,
                }
                for p in range(2, n, 20)
            ],
        )
        s.execute(
            insert(ProductSettings),
            [
                {
                    "product_id": product_ids[p],
                    "company_id": company_id,
                    "standard_cost": rng.randint(1, 100) * 10**9,
                }
                for p in range(n)
            ],
        )
        s.execute(insert(ReorderRule), [_rule(rng, company_id, warehouse_id, product_ids[p], automatic[p])
                                        for p in range(n)])
        problems = queries.check_stock(s, s.get(Company, company_id))
        if problems:
            raise SystemExit(f"the bench data is not sound: {problems[:3]}")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return time.perf_counter() - t0


def _moves(s, company_id: int, operation_id: int, lines) -> None:
    """(product, demand, done, source, destination, reserved, line done) -> a move and its line each."""
    ids = s.scalars(
        insert(Move).returning(Move.id, sort_by_parameter_order=True),
        [
            {
                "company_id": company_id,
                "operation_id": operation_id,
                "product_id": pid,
                "demand": demand,
                "done": done,
            }
            for pid, demand, done, *_ in lines
        ],
    ).all()
    s.execute(
        insert(MoveLine),
        [
            {
                "company_id": company_id,
                "move_id": move_id,
                "source_id": src,
                "destination_id": dst,
                "lot_id": None,
                "reserved": reserved,
                "picked": 0,
                "done": line_done,
            }
            for move_id, (_pid, _d, _done, src, dst, reserved, line_done) in zip(ids, lines)
        ],
    )


def _rule(rng: random.Random, company_id: int, warehouse_id: int, product_id: int, automatic: bool) -> dict:
    minimum = rng.randint(200, 1500)
    return {"company_id": company_id, "warehouse_id": warehouse_id, "product_id": product_id,
            "minimum": 0 if automatic else minimum, "maximum": 100 if automatic else minimum + 500,
            "lead_time_days": rng.randint(3, 14), "service_level": 9500, "ordering_cost": 50_000,
            "holding_rate": 2500, "automatic": automatic, "route": "purchase"}


# -- the raw baseline ---------------------------------------------------------

POSITIONS = """
WITH st AS (SELECT l.warehouse_id, s.product_id, SUM(s.on_hand) AS on_hand, SUM(s.reserved) AS reserved
            FROM wms_stock s JOIN wms_location l ON l.id = s.location_id
            WHERE s.company_id = :c AND l.kind = 'internal' GROUP BY l.warehouse_id, s.product_id),
inc AS (SELECT o.warehouse_id, m.product_id, SUM(m.demand - m.done) AS units
        FROM wms_move m JOIN wms_operation o ON o.id = m.operation_id
        WHERE o.company_id = :c AND o.kind = 'receipt' AND o.state = 'ready'
        GROUP BY o.warehouse_id, m.product_id),
prop AS (SELECT warehouse_id, product_id, SUM(quantity) AS units FROM wms_proposal
         WHERE company_id = :c AND state = 'open' GROUP BY warehouse_id, product_id),
daily AS (SELECT o.warehouse_id, m.product_id, o.done_on, SUM(m.done) AS units
          FROM wms_move m JOIN wms_operation o ON o.id = m.operation_id
          WHERE o.company_id = :c AND o.state = 'done' AND o.destination_id = :customer
            AND o.done_on >= :start AND o.done_on <= :end GROUP BY o.warehouse_id, m.product_id, o.done_on),
dem AS (SELECT warehouse_id, product_id, SUM(units) AS total, SUM(units * units) AS squares
        FROM daily GROUP BY warehouse_id, product_id)
SELECT r.warehouse_id, r.product_id, r.minimum, r.maximum, r.lead_time_days, r.automatic,
       COALESCE(st.on_hand, 0) - COALESCE(st.reserved, 0) + COALESCE(inc.units, 0) + COALESCE(prop.units, 0),
       COALESCE(dem.total, 0), COALESCE(dem.squares, 0)
FROM wms_reorder_rule r
LEFT JOIN st ON st.warehouse_id = r.warehouse_id AND st.product_id = r.product_id
LEFT JOIN inc ON inc.warehouse_id = r.warehouse_id AND inc.product_id = r.product_id
LEFT JOIN prop ON prop.warehouse_id = r.warehouse_id AND prop.product_id = r.product_id
LEFT JOIN dem ON dem.warehouse_id = r.warehouse_id AND dem.product_id = r.product_id
WHERE r.company_id = :c
"""


def raw_positions(raw: Raw, company_id: int, customer: int) -> list[tuple[str, object]]:
    start = TODAY - dt.timedelta(days=DAYS - 1)
    params = {"c": company_id, "customer": customer, "start": start, "end": TODAY}
    if raw.dialect == "sqlite":
        return [(POSITIONS, {**params, "start": start.isoformat(), "end": TODAY.isoformat()})]
    return [(re.sub(r":(\w+)", r"%(\1)s", POSITIONS), params)]


# -- measuring ----------------------------------------------------------------

def measure(args, engine, factory, company_id: int) -> list[dict]:
    recorder, raw = Recorder(engine), Raw(engine)
    with factory() as s, s.begin():
        customer = settings_of(s, s.get(Company, company_id)).customer_id
    baseline = raw_positions(raw, company_id, customer)

    def service(call):
        def run():
            with factory() as s, s.begin():
                return call(s, s.get(Company, company_id))
        return run

    cases = [
        (f"availability of {PRODUCT}, every location", service(
            lambda s, c: queries.availability(s, c, product=PRODUCT)), None),
        (f"api.available({PRODUCT})", service(lambda s, c: api.available(s, c, PRODUCT)), None),
        (f"availability list of {LOCATION}", service(
            lambda s, c: queries.availability(s, c, location=LOCATION)), None),
        (f"replenishment plan, {args.products:,} rules", service(
            lambda s, c: plan(s, c, today=TODAY)), baseline),
    ]
    results = []
    for label, run, naive in cases:
        found = run()
        own = recorder.record(run)
        if naive is not None:
            _check_plan(found, raw, naive)
        for _ in range(args.warmup):
            run()
            raw.run(own)
            if naive is not None:
                raw.run(naive)
        times = {"service": [], "own": [], "raw": []}
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run()
            times["service"].append(time.perf_counter() - t0)
            times["own"].append(raw.timed(own))
            if naive is not None:
                times["raw"].append(raw.timed(naive))
        rows = len(found) if isinstance(found, list) else 1
        results.append({"label": label, "rows": rows, "statements": len(own), **times})
        print(f"  {label:<44} best {min(times['service']) * 1e3:8.2f} ms", file=sys.stderr)
    raw.close()
    return results


def _check_plan(planned, raw: Raw, naive) -> None:
    """The plan's positions are the raw SQL's, rule by rule."""
    if raw.dialect == "sqlite":
        rows = raw.con.execute(*naive[0]).fetchall()
    else:
        with raw.con.cursor() as cur:
            cur.execute(*naive[0])
            rows = cur.fetchall()
    positions = {(r[0], r[1]): int(r[6]) for r in rows}
    for p in planned:
        if positions[(p.warehouse_id, p.product_id)] != p.position:
            raise SystemExit(f"{p.product}: the plan's position {p.position} is not the raw SQL's")
    if not planned:
        raise SystemExit("the plan proposed nothing: the bench data is wrong")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: an SQLite file under the temp dir)")
    parser.add_argument(
        "--products", type=int, default=10_000, help="products, each with a rule (default 10000)"
    )
    parser.add_argument("--locations", type=int, default=50, help="zones holding every product (default 50)")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per case (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs of each first (default 2)")
    parser.add_argument(
        "--rebuild", action="store_true", help="drop whatever the database holds and build it anew"
    )
    args = parser.parse_args()
    n, m = args.products, args.locations
    if n < 100 or not 1 <= m <= 99:
        parser.error("--products must be at least 100 and --locations 1..99")
    if args.database:
        url = args.database
    else:
        path = Path(tempfile.gettempdir()) / "jangbu-bench" / f"wms-stock-{n}x{m}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    plugins = core.get_plugin_manager([wms], entry_points=False)
    shown = make_url(url).render_as_string(hide_password=True)
    found = state(url, n, m)
    build_s = None
    if found != "ready" or args.rebuild:
        if found == "other" and not args.rebuild:
            print(f"{shown} holds other data; pass --rebuild to drop everything in it", file=sys.stderr)
            return 2
        if found != "empty":
            wipe(url)
        print(f"building {shown}: {n:,} products x {m} locations, {DAYS} days of deliveries", file=sys.stderr)
        build_s = build(url, plugins, n, m)

    engine = core.make_engine(url)
    factory = core.make_session_factory(engine, plugins)
    with engine.connect() as c:
        company_id = c.scalar(select(Company.id).where(Company.code == COMPANY))
        version = c.exec_driver_sql("SELECT sqlite_version()" if engine.dialect.name == "sqlite"
                                    else "SHOW server_version").scalar()
        counts = {name: c.scalar(text(f"SELECT count(*) FROM {name}"))
                  for name in ("wms_stock", "ledger_posting", "wms_move")}
    print(
        f"Python {sys.version.split()[0]}, {engine.dialect.name} {version}, SQLAlchemy "
        f"{sqlalchemy.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other processes skew the figures)"
    )
    print(f"database {shown}: {n:,} products x {m} locations ({counts['wms_stock']:,} stock rows, "
          f"{counts['ledger_posting']:,} postings, {counts['wms_move']:,} moves); "
          + (f"built in {build_s:.1f} s" if build_s is not None else "reused (built before, same data)"))
    print(
        f"best and median of {args.runs} runs after {args.warmup} warm-ups; service = the function in a "
        "database "
        "transaction of its own; own = its SQL on the bare driver; raw = one hand-written positions query"
    )
    results = measure(args, engine, factory, company_id)
    engine.dispose()
    print()
    print(f"{'case':<44} {'rows':>6} {'SQL':>3} {'service best':>12} {'median':>9} {'own SQL':>9} "
          f"{'raw best':>9} {'service/raw':>11}")
    for r in results:
        best = min(r["service"])
        base = min(r["raw"]) if r["raw"] else min(r["own"])
        print(f"{r['label']:<44} {r['rows']:>6} {r['statements']:>3} {best * 1e3:9.2f} ms "
              f"{statistics.median(r['service']) * 1e3:6.2f} ms {min(r['own']) * 1e3:6.2f} ms "
              + (f"{min(r['raw']) * 1e3:6.2f} ms" if r["raw"] else f"{'-':>9}") + f" {best / base:10.1f}x")
    print(
        "rows = stock rows or proposals returned; SQL = statements the service runs; service/raw divides by "
        "the raw query where there is one, else by the service's own SQL on the bare driver"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

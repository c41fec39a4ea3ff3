"""What a test's database costs before the test starts: the ways to give a
test "a company with every plugin installed", timed side by side in one run.

    python bench/fixture_reset.py [--postgres URL] [--runs 20]

The state is the sales tests' richest one: core, memo, finance, wms, sales
and procurement registered (86 tables), company ACME with all four plugins
installed (the Korean chart, taxes, journals, warehouse places). Each round
first writes what a typical test writes (a party, a product, a ledger
transaction), then puts the state back:

SQLite
* ``seed``: what the suite did before: a copy of core's migrated template,
  then ``create_company`` with the plugins (Alembic upgrades every plugin's
  branch, each plugin seeds the company);
* ``copy``: what it does now: the state's template file copied into place
  (``Databases.sqlite_copy``) - the raw baseline is ``shutil.copyfile`` of the
  same file.

PostgreSQL (``--postgres``, a server URL; databases named ``bench_fixtures_*``
are created and dropped)
* ``truncate + seed``: what the suite did before: ``TRUNCATE`` every table
  ``RESTART IDENTITY CASCADE``, then ``create_company`` again;
* ``template db``: ``CREATE DATABASE ... TEMPLATE`` of a database holding the
  state, a connection to it, ``DROP DATABASE`` afterwards;
* ``reset``: what the suite does now (``PostgresFamily.restore``): DELETE every
  table and copy the state's rows back from a snapshot schema, in one round trip.

Prints the best and median of ``--runs`` per way and each one's ratio to a
baseline: on SQLite the bare ``shutil.copyfile``, on PostgreSQL the reset.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, inspect, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import plugins.finance as finance  # noqa: E402
import plugins.procurement as procurement  # noqa: E402
import plugins.sales as sales  # noqa: E402
import plugins.wms as wms  # noqa: E402
from core import make_engine, make_session_factory, transaction  # noqa: E402
from core.catalog import create_party, create_product  # noqa: E402
from core.companies import create_company, get_company  # noqa: E402
from core.ledger import Leg, post  # noqa: E402
from core.migrate import upgrade  # noqa: E402
from tests.conftest import make_plugins  # noqa: E402
from tests.databases import Databases, PostgresFamily, family_of  # noqa: E402

PLUGINS = ("finance", "wms", "sales", "procurement")


def seed(factory) -> None:
    with transaction(factory) as s:
        create_company(s, "ACME", "ACME Co", "KRW", country="KR", plugins=list(PLUGINS))


def scribble(factory, n: int) -> None:
    """What a test writes before the next one starts."""
    with transaction(factory) as s:
        company = get_company(s, "ACME")
        create_party(s, company, f"P{n}", "A party")
        create_product(s, company, f"SKU{n}", "A product")
        post(s, company, "2026-03-01", [Leg("101", "1000"), Leg("401", "-1000")])


def timed(runs: int, before, action) -> list[float]:
    times = []
    for n in range(runs):
        before(n)
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def report(rows: list[tuple[str, list[float]]], baseline: str) -> None:
    base = min(min(t) for name, t in rows if name == baseline)
    print(f"{'way':<22}{'best ms':>10}{'median ms':>12}{'x ' + baseline:>22}")
    for name, times in rows:
        print(f"{name:<22}{min(times) * 1000:>10.1f}{statistics.median(times) * 1000:>12.1f}"
              f"{min(times) / base:>22.1f}")


def sqlite(runs: int, folder: Path) -> None:
    plugins = make_plugins(finance, wms, sales, procurement)
    databases = Databases(folder, None)
    family = family_of(plugins)
    core_template = folder / "core.db"
    engine = make_engine(f"sqlite:///{core_template}")
    upgrade(engine, make_plugins(), "core@head")
    engine.dispose()
    base = databases.sqlite.base(family, plugins)
    engine = databases.sqlite_copy(base)
    seed(make_session_factory(engine, plugins))
    databases.sqlite.capture(family, "acme", databases.sqlite_path)
    state = databases.sqlite.file(family, "acme")
    factory = make_session_factory(engine, plugins)

    def old_way():
        engine = databases.sqlite_copy(core_template)
        seed(make_session_factory(engine, plugins))

    rows = [
        ("seed", timed(max(3, runs // 4), lambda n: scribble(factory, n), old_way)),
        ("copy", timed(runs, lambda n: scribble(factory, n), lambda: databases.sqlite_copy(state))),
        ("raw copyfile", timed(runs, lambda n: None, lambda: shutil.copyfile(state, folder / "raw.db"))),
    ]
    print(f"SQLite, {len(inspect(engine).get_table_names())} tables")
    report(rows, "raw copyfile")
    databases.close()


def postgres(runs: int, url: str) -> None:
    plugins = make_plugins(finance, wms, sales, procurement)
    server = make_url(url)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    family = PostgresFamily(admin, server, "bench_fixtures_state", plugins)
    factory = make_session_factory(family.engine, plugins)
    seed(factory)
    family.capture("acme")
    tables = family.tables

    def truncate_and_seed():
        with family.engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            names = ", ".join(f'"{t}"' for t in tables if t != "alembic_version")
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        seed(factory)

    def template_database():
        with admin.connect() as connection:
            connection.execute(text('CREATE DATABASE "bench_fixtures_copy" TEMPLATE "bench_fixtures_state"'))
        copy = make_engine(server.set(database="bench_fixtures_copy").render_as_string(hide_password=False))
        with copy.connect() as connection:
            connection.execute(text("SELECT 1"))
        copy.dispose()
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE "bench_fixtures_copy" WITH (FORCE)'))

    def scribbled(n):
        family.restore("acme")
        scribble(factory, n)

    rows = [("truncate + seed", timed(max(3, runs // 4), scribbled, truncate_and_seed))]
    family.restore("acme")
    family.engine.dispose()  # CREATE DATABASE ... TEMPLATE wants nobody connected to the template
    rows.append(("template db", timed(max(3, runs // 4), lambda n: None, template_database)))
    rows.append(("reset", timed(runs, lambda n: scribble(factory, n), lambda: family.restore("acme"))))
    print(f"PostgreSQL, {len(tables)} tables")
    report(rows, "reset")
    family.drop()
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (postgresql+psycopg://user@host:port/db)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sqlite(args.runs, Path(folder))
    if args.postgres:
        postgres(args.runs, args.postgres)


if __name__ == "__main__":
    main()

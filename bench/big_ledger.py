"""A big ledger for benchmarks: one company, 50 accounts, ``n`` two-leg
transactions over two years (1,000,000 postings by default), posted through
``post_many`` in chunks, built once and reused while the database holds
exactly that data (the company's name spells the build's parameters).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

import core
from core.companies import create_company
from core.ledger import Draft, Leg, create_account, post_many
from core.ledger.models import Posting, Transaction
from core.migrate import upgrade
from core.models import Company
from core.users import create_user, grant

COMPANY = "BENCH"
USER, PASSWORD = "bench", "bench pages password"
START, DAYS = dt.date(2024, 11, 1), 730  # through 2026-10-31
BUSY = "1100"
SEED = 20261126
CHUNK = 50_000  # drafts per post_many call (one database transaction each)
BUILD_VERSION = 1  # bump when the generated data changes

CHART = {
    "asset": [
        "Cash",
        "Bank",
        "Savings",
        "Receivables",
        "Inventory",
        "Prepaid",
        "Equipment",
        "Vehicles",
        "Furniture",
        "Deposits",
        "Loans given",
        "Other assets",
    ],
    "liability": [
        "Payables",
        "Credit card",
        "VAT payable",
        "Wages payable",
        "Short-term loan",
        "Long-term loan",
        "Accrued",
        "Deferred revenue",
    ],
    "equity": ["Capital", "Retained earnings", "Drawings"],
    "income": [
        "Sales",
        "Services",
        "Subscriptions",
        "Interest",
        "Rent received",
        "Commissions",
        "Other income",
    ],
    "expense": [
        "Purchases",
        "Wages",
        "Rent",
        "Utilities",
        "Telephone",
        "Internet",
        "Insurance",
        "Fuel",
        "Repairs",
        "Travel",
        "Meals",
        "Office",
        "Postage",
        "Advertising",
        "Fees",
        "Bank charges",
        "Training",
        "Licences",
        "Depreciation",
        "Other costs",
    ],
}
PREFIX = {"asset": 1, "liability": 2, "equity": 3, "income": 4, "expense": 5}


def chart() -> list[tuple[str, str, str]]:
    """50 accounts: (code, name, type); Bank is 1100."""
    out = []
    for kind, names in CHART.items():
        for n, name in enumerate(names):
            out.append((str(PREFIX[kind] * 1000 + n % 10 * 100 + n // 10 * 50), name, kind))
    assert len(out) == 50 and len({c for c, _, _ in out}) == 50 and (BUSY, "Bank", "asset") in out
    return out


def spec(n: int) -> str:
    return f"Bench web pages v{BUILD_VERSION}: {n} txns x 2 legs, seed {SEED}, {START}+{DAYS}d"


def drafts(
    rng: random.Random, accounts: list[tuple[str, str, str]], first: int, last: int, n: int
) -> list[Draft]:
    """Transactions ``first`` .. ``last - 1`` of ``n``, in date order."""
    income = [c for c, _, k in accounts if k == "income"]
    expense = [c for c, _, k in accounts if k == "expense"]
    codes = [c for c, _, _ in accounts]
    out = []
    for i in range(first, last):
        date = START + dt.timedelta(days=i * (DAYS + 1) // n)
        r, amount = rng.random(), rng.randrange(1_000, 5_000_000)
        if r < 0.35:
            debit, credit, memo = BUSY, rng.choice(income), "Sale"
        elif r < 0.65:
            debit, credit, memo = rng.choice(expense), BUSY, "Expense"
        else:
            debit, credit = rng.sample(codes, 2)
            memo = "Transfer"
        out.append(Draft(date, (Leg(debit, str(amount)), Leg(credit, str(-amount))), f"{memo} {i}"))
    return out


# -- the database -------------------------------------------------------------

def state(url: str, n: int) -> str:
    """"ready" (exactly the bench data), "empty", "bench" (an older or partial bench build) or "other"."""
    engine = core.make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables:
            return "empty"
        if not {"core_company", "core_user", "ledger_transaction", "ledger_posting"} <= tables:
            return "other"
        with engine.connect() as c:
            names = dict(c.execute(select(Company.code, Company.name)).all())
            if set(names) != {COMPANY} or not names[COMPANY].startswith("Bench web pages"):
                return "other"
            if names[COMPANY] != spec(n):
                return "bench"
            company_id = c.scalar(select(Company.id).where(Company.code == COMPANY))
            txns = c.scalar(
                select(func.count()).select_from(Transaction).where(Transaction.company_id == company_id)
            )
            postings = c.scalar(
                select(func.count()).select_from(Posting).where(Posting.company_id == company_id)
            )
            users = c.scalar(text("SELECT count(*) FROM core_user WHERE username = :u"), {"u": USER})
        return "ready" if (txns, postings, users) == (n, 2 * n, 1) else "bench"
    finally:
        engine.dispose()


def wipe(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    engine = core.make_engine(url)
    with engine.begin() as c:  # everything in the database: it held only bench data, or --rebuild said so
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build(url: str, plugins, n: int) -> float:
    t0 = time.perf_counter()
    engine = core.make_engine(url)
    upgrade(engine, plugins)
    factory = core.make_session_factory(engine, plugins)
    accounts = chart()
    with core.transaction(factory) as s:
        company = create_company(s, COMPANY, spec(n), "KRW")
        for code, name, kind in accounts:
            create_account(s, company, code, name, kind)
        grant(s, create_user(s, USER, PASSWORD), company, "admin")
    rng = random.Random(SEED)
    postgres = engine.dialect.name == "postgresql"
    # (post_many analyses a fresh ledger itself: without statistics PostgreSQL's foreign-key
    # check of each posting scans every earlier transaction.)
    bounds = sorted({0, n, *range(CHUNK, n, CHUNK)})
    done, t_post = 0, time.perf_counter()
    for first, last in zip(bounds, bounds[1:]):
        batch = drafts(rng, accounts, first, last, n)
        with core.transaction(factory) as s:
            post_many(s, company, batch)
        done += len(batch)
        rate = done / (time.perf_counter() - t_post)
        print(f"\r  posted {done:,}/{n:,} transactions ({2 * done:,} postings), {rate:,.0f} tx/s",
              end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if postgres:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    engine.dispose()  # SQLite: the last connection checkpoints the WAL
    return time.perf_counter() - t0

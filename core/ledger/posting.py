"""Posting to the ledger: ``post``, ``post_many`` and ``reverse``.

A transaction is accepted only when, for each commodity, its postings sum to
exactly zero, every account belongs to the company, and its date is after
the company's lock date. Rows are written with Core statements (the hot
path), balances are upserted in the same database transaction in a fixed
order (no deadlocks), and accounts flagged must-not-go-negative are checked
on the row the upsert locked, so two processes can never take the same last
unit. Callers own the database transaction: on any error they roll back and
nothing was written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from core.errors import (
    Conflict,
    IdempotencyConflict,
    Invalid,
    JangbuError,
    LimitExceeded,
    LockedPeriod,
    NotFound,
    Unbalanced,
)
from core.events import TransactionPosted
from core.ledger.accounts import accounts_by_code, find_commodity
from core.ledger.models import Account, Balance, Commodity, Posting, Transaction
from core.ledger.values import Posted, PostedLeg
from core.models import Company, utcnow
from core.plugins import plugins_of
from core.values import from_units, parse_amount, parse_date, to_units

__all__ = ["Leg", "Draft", "Posted", "post", "post_many", "reverse", "load"]

_TXN = Transaction.__table__
_POSTING = Posting.__table__
_BALANCE = Balance.__table__
_REFS = "jangbu.commodity_refs"
_CHUNK = 2000


@attrs.frozen
class Leg:
    """One line to post: positive debits, negative credits.

    ``commodity`` is a commodity code; ``None`` means the company's currency.
    """

    account: str
    amount: Decimal = attrs.field(converter=parse_amount)
    commodity: Optional[str] = None


def _legs(value: Iterable[Leg]) -> tuple[Leg, ...]:
    return tuple(value)


@attrs.frozen
class Draft:
    """A transaction to post with ``post_many``."""

    date: dt.date = attrs.field(converter=parse_date)
    legs: tuple[Leg, ...] = attrs.field(converter=_legs)
    memo: str = ""
    key: Optional[str] = None
    origin: Optional[str] = None


@attrs.frozen
class _CommodityRef:
    id: int
    code: str
    scale: int


@attrs.frozen
class _Prepared:
    draft: Draft
    reverses_id: Optional[int]
    rows: tuple[tuple[int, int, int], ...]  # account id, commodity id, units
    legs: tuple[PostedLeg, ...]
    fingerprint: str


# -- public API -------------------------------------------------------------

def post(session: Session, company: Company, date: dt.date | str, legs: Iterable[Leg], *,
         memo: str = "", key: Optional[str] = None, origin: Optional[str] = None) -> Posted:
    """Post one transaction; with a known ``key`` return the earlier one."""
    return _post_one(session, company, Draft(date, legs, memo, key, origin), reverses_id=None)


def post_many(session: Session, company: Company, drafts: Iterable[Draft], *,
              progress: Optional[Callable[[int], None]] = None) -> list[Posted]:
    """Post many transactions, all or nothing (imports).

    Drafts whose key was posted before with the same content are returned
    as they stand (``created=False``) and not posted again.
    :param progress: called with the number of drafts done after each chunk.
    """
    drafts = list(drafts)
    if not drafts:
        return []
    lock_date = _lock_date(session, company)
    accounts = accounts_by_code(session, company, {leg.account for d in drafts for leg in d.legs})
    prepared = []
    for number, draft in enumerate(drafts, start=1):
        try:
            prepared.append(_prepare(session, company, draft, accounts, lock_date, None))
        except JangbuError as exc:  # say which one, keeping the kind of refusal
            raise type(exc)(f"transaction {draft.key or f'#{number}'}: {exc}") from None
    existing = _existing_keys(session, company, prepared)
    results: dict[int, Posted] = {}
    new = [(i, p) for i, p in enumerate(prepared) if p.draft.key not in existing]
    for i, p in enumerate(prepared):
        if p.draft.key in existing:
            results[i] = existing[p.draft.key]
    deltas: dict[tuple[int, int], list[int]] = defaultdict(list)
    hooks = plugins_of(session).for_company(session, company)
    for start in range(0, len(new), _CHUNK):
        chunk = new[start:start + _CHUNK]
        ids = _insert_transactions(session, company, [p for _, p in chunk])
        postings = []
        for (i, p), txn_id in zip(chunk, ids):
            for account_id, commodity_id, units in p.rows:
                postings.append({"company_id": company.id, "transaction_id": txn_id, "account_id": account_id,
                                 "commodity_id": commodity_id, "date": p.draft.date, "amount": units})
                deltas[(account_id, commodity_id)].append(units)
            results[i] = _posted(company, txn_id, p)
        session.execute(insert(_POSTING), postings)
        if progress:
            progress(len(chunk))
    limited = {id_ for id_, flag in accounts.values() if flag}
    _apply_balances(session, company, deltas, limited, accounts)
    for i, _p in new:
        hooks.transaction_posted(session=session, company=company, event=_event(results[i]))
    return [results[i] for i in range(len(prepared))]


def reverse(session: Session, company: Company, transaction_id: int, date: dt.date | str, *,
            memo: Optional[str] = None) -> Posted:
    """Post the mirror of a transaction, linked to it both ways."""
    original = load(session, company, transaction_id)
    if original.reverses_id is not None:
        raise Conflict(f"transaction {transaction_id} is itself the reversal of {original.reverses_id}")
    done = session.scalar(select(_TXN.c.id).where(_TXN.c.reverses_id == original.id))
    if done is not None:
        raise Conflict(f"transaction {transaction_id} is already reversed by transaction {done}")
    date = parse_date(date)
    if date < original.date:
        raise Invalid(f"a reversal cannot be dated {date}, before the original's {original.date}")
    legs = [Leg(leg.account, -leg.amount, leg.commodity) for leg in original.legs]
    memo = memo if memo is not None else f"Reversal of #{original.id}" + (f": {original.memo}" if original.memo else "")
    return _post_one(session, company, Draft(date, legs, memo, None, original.origin), reverses_id=original.id)


def load(session: Session, company: Company, transaction_id: int) -> Posted:
    """A posted transaction of ``company`` by id."""
    row = session.execute(select(_TXN).where(_TXN.c.id == transaction_id, _TXN.c.company_id == company.id)).first()
    if row is None:
        raise NotFound(f"unknown transaction {transaction_id} in company {company.code}")
    legs = session.execute(
        select(Account.code, Posting.amount, Commodity.code, Commodity.scale)
        .join(Account, Account.id == Posting.account_id)
        .join(Commodity, Commodity.id == Posting.commodity_id)
        .where(Posting.transaction_id == transaction_id).order_by(Posting.id)).all()
    reversed_by = session.scalar(select(_TXN.c.id).where(_TXN.c.reverses_id == transaction_id))
    return Posted(id=row.id, company_id=row.company_id, date=row.date, memo=row.memo, key=row.key,
                  origin=row.origin, reverses_id=row.reverses_id, created=False, reversed_by_id=reversed_by,
                  legs=tuple(PostedLeg(code, from_units(units, scale), commodity)
                             for code, units, commodity, scale in legs))


# -- the pipeline -----------------------------------------------------------

def _post_one(session: Session, company: Company, draft: Draft, *, reverses_id: Optional[int]) -> Posted:
    lock_date = _lock_date(session, company)
    accounts = accounts_by_code(session, company, {leg.account for leg in draft.legs})
    prepared = _prepare(session, company, draft, accounts, lock_date, reverses_id)
    if draft.key is not None:
        earlier = _existing_keys(session, company, [prepared])
        if draft.key in earlier:
            return earlier[draft.key]
    txn_id = _insert_transaction(session, company, prepared)
    if txn_id is None:  # a concurrent post with the same key committed first
        return _existing_keys(session, company, [prepared])[draft.key]
    session.execute(insert(_POSTING), [
        {"company_id": company.id, "transaction_id": txn_id, "account_id": account_id,
         "commodity_id": commodity_id, "date": draft.date, "amount": units}
        for account_id, commodity_id, units in prepared.rows])
    deltas: dict[tuple[int, int], list[int]] = defaultdict(list)
    for account_id, commodity_id, units in prepared.rows:
        deltas[(account_id, commodity_id)].append(units)
    limited = {id_ for id_, flag in accounts.values() if flag}
    _apply_balances(session, company, deltas, limited, accounts)
    posted = _posted(company, txn_id, prepared)
    plugins_of(session).for_company(session, company).transaction_posted(
        session=session, company=company, event=_event(posted))
    return posted


def _lock_date(session: Session, company: Company) -> Optional[dt.date]:
    # Read fresh: another process may have closed a period since ``company`` was loaded.
    return session.scalar(select(Company.lock_date).where(Company.id == company.id))


def _prepare(session: Session, company: Company, draft: Draft, accounts: dict[str, tuple[int, bool]],
             lock_date: Optional[dt.date], reverses_id: Optional[int]) -> _Prepared:
    if lock_date is not None and draft.date <= lock_date:
        raise LockedPeriod(f"date {draft.date} is on or before the lock date {lock_date} of {company.code}")
    if len(draft.legs) < 2:
        raise Unbalanced("a transaction needs at least two postings")
    if draft.key is not None and not draft.key.strip():
        raise Invalid("an idempotency key must not be blank")
    rows, legs, sums = [], [], defaultdict(int)
    for leg in draft.legs:
        ref = _commodity(session, company, leg.commodity)
        units = to_units(leg.amount, ref.scale, what=f"amount for {leg.account}")
        if units == 0:
            raise Invalid(f"posting to {leg.account} has a zero amount")
        account_id, _ = accounts[leg.account]
        rows.append((account_id, ref.id, units))
        legs.append(PostedLeg(leg.account, from_units(units, ref.scale), ref.code))
        sums[ref] += units
    off = [f"{from_units(total, ref.scale)} {ref.code}" for ref, total in sums.items() if total != 0]
    if off:
        raise Unbalanced("transaction does not balance: off by " + ", ".join(off))
    content = [draft.date.isoformat(), draft.memo, draft.origin, reverses_id,
               sorted((leg.account, leg.commodity, str(leg.amount)) for leg in legs)]
    fingerprint = hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()
    return _Prepared(draft, reverses_id, tuple(rows), tuple(legs), fingerprint)


def _commodity(session: Session, company: Company, code: Optional[str]) -> _CommodityRef:
    cache = session.info.setdefault(_REFS, {})
    ref = cache.get((company.id, code))
    if ref is None:
        commodity = find_commodity(session, company, code)
        ref = _CommodityRef(commodity.id, commodity.code, commodity.scale)
        cache[(company.id, code)] = ref
    return ref


def _existing_keys(session: Session, company: Company, prepared: Sequence[_Prepared]) -> dict[str, Posted]:
    keyed = [p for p in prepared if p.draft.key is not None]
    seen: set[str] = set()
    for p in keyed:
        if p.draft.key in seen:
            raise Invalid(f"idempotency key {p.draft.key!r} appears twice in one batch")
        seen.add(p.draft.key)
    found: dict[str, Posted] = {}
    by_key = {p.draft.key: p for p in keyed}
    keys = list(by_key)
    for start in range(0, len(keys), 500):
        rows = session.execute(select(_TXN.c.key, _TXN.c.id, _TXN.c.fingerprint).where(
            _TXN.c.company_id == company.id, _TXN.c.key.in_(keys[start:start + 500]))).all()
        for key, txn_id, fingerprint in rows:
            if fingerprint != by_key[key].fingerprint:
                raise IdempotencyConflict(
                    f"idempotency key {key!r} was already used by transaction {txn_id} with other content")
            found[key] = load(session, company, txn_id)
    return found


def _transaction_row(company: Company, p: _Prepared, now: dt.datetime) -> dict:
    return {"company_id": company.id, "date": p.draft.date, "memo": p.draft.memo, "key": p.draft.key,
            "fingerprint": p.fingerprint, "origin": p.draft.origin, "reverses_id": p.reverses_id,
            "created_at": now}


def _insert_transaction(session: Session, company: Company, p: _Prepared) -> Optional[int]:
    """Insert one transaction row; ``None`` when its key was taken meanwhile."""
    if p.draft.key is None:
        statement = insert(_TXN)
    else:
        # Waits for a concurrent holder of the key, then skips instead of failing.
        statement = _dialect_insert(session, _TXN).on_conflict_do_nothing(
            index_elements=[_TXN.c.company_id, _TXN.c.key])
    row = session.execute(statement.returning(_TXN.c.id), _transaction_row(company, p, utcnow())).first()
    return row[0] if row else None


def _insert_transactions(session: Session, company: Company, prepared: Sequence[_Prepared]) -> list[int]:
    now = utcnow()
    params = [_transaction_row(company, p, now) for p in prepared]
    result = session.execute(insert(_TXN).returning(_TXN.c.id, sort_by_parameter_order=True), params)
    return list(result.scalars())


def _apply_balances(session: Session, company: Company, deltas: dict[tuple[int, int], list[int]],
                    limited: set[int], accounts: dict[str, tuple[int, bool]]) -> None:
    upsert = _upsert_statement(session)
    plain = []
    # A fixed order: two processes lock balance rows the same way round.
    for (account_id, commodity_id) in sorted(deltas):
        steps = deltas[(account_id, commodity_id)]
        params = {"account_id": account_id, "commodity_id": commodity_id,
                  "company_id": company.id, "amount": sum(steps)}
        if account_id not in limited:
            plain.append(params)
            continue
        after = session.execute(upsert.returning(_BALANCE.c.amount), params).scalar_one()
        lowest, running = 0, 0
        for units in steps:
            running += units
            lowest = min(lowest, running)
        before = after - sum(steps)
        if lowest < 0 and before + lowest < 0:
            code = next(c for c, (i, _) in accounts.items() if i == account_id)
            ref = next(r for r in session.info[_REFS].values() if r.id == commodity_id)
            raise LimitExceeded(
                f"account {code} must not go negative: {from_units(before, ref.scale)} {ref.code} "
                f"available, {from_units(-lowest, ref.scale)} {ref.code} asked")
    if plain:
        session.execute(upsert, plain)


def _dialect_insert(session: Session, table):
    """An INSERT that knows ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        raise Invalid(f"the ledger supports SQLite and PostgreSQL, not {dialect}")
    return dialect_insert(table)


def _upsert_statement(session: Session):
    statement = _dialect_insert(session, _BALANCE)
    return statement.on_conflict_do_update(
        index_elements=[_BALANCE.c.account_id, _BALANCE.c.commodity_id],
        set_={"amount": _BALANCE.c.amount + statement.excluded.amount})


def _posted(company: Company, txn_id: int, p: _Prepared) -> Posted:
    d = p.draft
    return Posted(id=txn_id, company_id=company.id, date=d.date, memo=d.memo, legs=p.legs, key=d.key,
                  origin=d.origin, reverses_id=p.reverses_id, created=True)


def _event(posted: Posted) -> TransactionPosted:
    return TransactionPosted(company_id=posted.company_id, transaction=posted)


@event.listens_for(Session, "after_rollback")
def _forget_commodities(session: Session) -> None:
    # A currency created inside a rolled-back transaction no longer exists.
    session.info.pop(_REFS, None)

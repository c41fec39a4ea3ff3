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
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple, Optional

import attrs
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core import audit
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
from core.ledger.accounts import find_commodity
from core.ledger.models import BALANCE_LIMIT, Account, Commodity, Posting, Transaction
from core.ledger.values import Posted, PostedLeg
from core.ledger.writer import writer_for
from core.models import Company, utcnow
from core.plugins import plugins_of
from core.values import check_length, from_units, normalise, parse_amount, parse_date

__all__ = ["Leg", "Draft", "Posted", "post", "post_many", "reverse", "load", "load_many"]

_TXN = Transaction.__table__
_REFS = "jangbu.commodity_refs"
_CHUNK = 2000
_KEYS_PER_QUERY = 2000  # within SQLite's and PostgreSQL's limits on bound parameters
# What the ledger writes below the ORM is checked against its columns first, so
# both engines refuse too-long text with the same message (SQLite would store it).
_KEY_LENGTH = _TXN.c.key.type.length
_ORIGIN_LENGTH = _TXN.c.origin.type.length
_MEMO_LENGTH = getattr(_TXN.c.memo.type, "length", None)  # Text: no limit today
_CODE_LENGTH = Account.__table__.c.code.type.length


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


class _CommodityRef(NamedTuple):
    id: int
    code: str
    scale: int


class _Prepared(NamedTuple):
    """A validated draft, ready to write."""

    draft: Draft
    reverses_id: Optional[int]
    rows: tuple[tuple[int, int, int], ...]  # account id, commodity id, units
    legs: tuple[tuple[str, Decimal, str], ...]  # account code, amount, commodity code (see ``_posted``)
    fingerprint: str
    net: dict[tuple[int, int], int]  # (account id, commodity id) -> net units


class _Context(NamedTuple):
    """What every draft of one call is checked against."""

    session: Session
    company: Company
    company_id: int
    accounts: dict[str, tuple[int, bool]]
    lock_date: Optional[dt.date]
    refs: dict  # (company id, commodity code) -> _CommodityRef, the session's cache


def _context(session: Session, write, company: Company, codes: set[str]) -> _Context:
    session.flush()  # the writer reads below the ORM: let it see this session's changes
    # The lock date is read fresh: another process may have closed a period since ``company`` was loaded.
    lock_date = _learn_accounts(write, company, accounts := {}, codes)
    return _Context(session, company, company.id, accounts, lock_date, session.info.setdefault(_REFS, {}))


def _learn_accounts(write, company: Company, accounts: dict[str, tuple[int, bool]], codes: set[str]):
    """Look up ``codes`` (all must be active accounts of ``company``) into
    ``accounts``; return the company's lock date, read at the same time."""
    for code in sorted(codes):
        check_length("account code", code, _CODE_LENGTH)
    lock_date, found = write.lookup(company.id, sorted(codes))
    missing = sorted(codes - found.keys())
    if missing:
        raise NotFound(f"unknown account {', '.join(map(repr, missing))} in company {company.code}")
    inactive = sorted(code for code, (_, _, active) in found.items() if not active)
    if inactive:
        raise Conflict(f"account {', '.join(map(repr, inactive))} of {company.code} is inactive")
    accounts.update((code, (id_, no_negative)) for code, (id_, no_negative, _) in found.items())
    return lock_date


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
    write = writer_for(session.connection())
    ctx = _context(session, write, company, {leg.account for d in drafts for leg in d.legs})
    prepared = []
    for number, draft in enumerate(drafts, start=1):
        try:
            prepared.append(_prepare(ctx, draft, None))
        except JangbuError as exc:  # say which one, keeping the kind of refusal
            raise type(exc)(f"transaction {draft.key or f'#{number}'}: {exc}") from None
    keys = [p.draft.key for p in prepared if p.draft.key is not None]
    if keys:
        write.lock_keys(ctx.company_id, keys)
    existing = _existing_keys(session, write, company, prepared)
    results: list[Optional[Posted]] = [existing.get(p.draft.key) for p in prepared]
    new = [i for i, posted in enumerate(results) if posted is None]
    for start in range(0, len(new), _CHUNK):
        chunk = new[start:start + _CHUNK]
        ids = _write_chunk(ctx, write, [prepared[i] for i in chunk])
        for i, txn_id in zip(chunk, ids):
            results[i] = _posted(ctx.company_id, txn_id, prepared[i])
        if progress:
            progress(len(chunk))
    _announce(session, company, [results[i] for i in new])
    return results


def reverse(session: Session, company: Company, transaction_id: int, date: dt.date | str, *,
            memo: Optional[str] = None) -> Posted:
    """Post the mirror of a transaction, linked to it both ways."""
    # Lock the original (a select, not an update): a concurrent reversal of it waits, then finds ours.
    session.execute(select(_TXN.c.id).where(_TXN.c.id == transaction_id).with_for_update())
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
    memo = (
        memo
        if memo is not None
        else f"Reversal of #{original.id}" + (f": {original.memo}" if original.memo else "")
    )
    return _post_one(
        session, company, Draft(date, legs, memo, None, original.origin), reverses_id=original.id
    )


def load(session: Session, company: Company, transaction_id: int) -> Posted:
    """A posted transaction of ``company`` by id."""
    found = load_many(session, company, [transaction_id])
    if transaction_id not in found:
        raise NotFound(f"unknown transaction {transaction_id} in company {company.code}")
    return found[transaction_id]


def load_many(session: Session, company: Company, ids: Sequence[int]) -> dict[int, Posted]:
    """Posted transactions of ``company`` by id, legs in the order posted; unknown ids are left out."""
    found: dict[int, Posted] = {}
    for start in range(0, len(ids), _KEYS_PER_QUERY):
        chunk = ids[start:start + _KEYS_PER_QUERY]
        legs: dict[int, list[PostedLeg]] = defaultdict(list)
        for txn_id, code, units, commodity, scale in session.execute(
            select(Posting.transaction_id, Account.code, Posting.amount, Commodity.code, Commodity.scale)
            .join(Account, Account.id == Posting.account_id)
            .join(Commodity, Commodity.id == Posting.commodity_id)
            .where(Posting.company_id == company.id, Posting.transaction_id.in_(chunk))
            .order_by(Posting.id)
        ):
            legs[txn_id].append(PostedLeg(code, from_units(units, scale), commodity))
        reversed_by = dict(session.execute(select(_TXN.c.reverses_id, _TXN.c.id).where(
            _TXN.c.reverses_id.in_(chunk))).all())
        for row in session.execute(select(_TXN).where(_TXN.c.company_id == company.id, _TXN.c.id.in_(chunk))):
            found[row.id] = Posted(row.id, row.company_id, row.date, row.memo, tuple(legs[row.id]), row.key,
                                   row.origin, row.reverses_id, False, reversed_by.get(row.id))
    return found


# -- the pipeline -----------------------------------------------------------

def _post_one(session: Session, company: Company, draft: Draft, *, reverses_id: Optional[int]) -> Posted:
    write = writer_for(session.connection())
    ctx = _context(session, write, company, {leg.account for leg in draft.legs})
    prepared = _prepare(ctx, draft, reverses_id)
    if draft.key is not None:
        write.lock_keys(ctx.company_id, [draft.key])  # meet a concurrent post_many of the same key
    txn_id = write.insert_transaction(_transaction_row(ctx.company_id, prepared, utcnow()))
    if txn_id is None:  # the key exists: the same content returns it, other content is refused
        return _existing_keys(session, write, company, [prepared])[draft.key]
    write.insert_postings([(ctx.company_id, txn_id, account_id, commodity_id, draft.date, units)
                           for account_id, commodity_id, units in prepared.rows])
    _apply_balances(ctx, write, {pair: [units] for pair, units in prepared.net.items()})
    posted = _posted(ctx.company_id, txn_id, prepared)
    _announce(session, company, [posted])
    return posted


def _announce(session: Session, company: Company, posted: list[Posted]) -> None:
    _audit(session, company, [(p.id, p.reverses_id) for p in posted])
    if not posted or not _hooked(session):
        return  # nobody listens: skip the per-company lookup
    plugins = plugins_of(session)
    hooks = plugins.for_company(session, company)
    for p in posted:
        hooks.transaction_posted(session=session, company=company, event=_event(p))


def _audit(session: Session, company: Company, posted: list[tuple[int, Optional[int]]]) -> None:
    """Audit (transaction id, id it reverses) pairs, when a person acts."""
    for txn_id, reverses_id in posted:
        if reverses_id is None:
            audit.by_actor(session, audit.POSTED, company=company, detail=f"transaction {txn_id}")
        else:
            audit.by_actor(
                session, audit.REVERSED, company=company, detail=f"transaction {reverses_id} by {txn_id}"
            )


def _hooked(session: Session) -> bool:
    """Whether a plugin listens for posted transactions."""
    return bool(plugins_of(session).hook.transaction_posted.get_hookimpls())


def _prepare(ctx: _Context, draft: Draft, reverses_id: Optional[int]) -> _Prepared:
    """Check a draft against the rules; turn its amounts into integer units."""
    if ctx.lock_date is not None and draft.date <= ctx.lock_date:
        raise LockedPeriod(f"date {draft.date} is on or before the lock date {ctx.lock_date} "
                           f"of {ctx.company.code}")
    if len(draft.legs) < 2:
        raise Unbalanced("a transaction needs at least two postings")
    if draft.key is not None:
        if not draft.key.strip():
            raise Invalid("an idempotency key must not be blank")
        check_length("idempotency key", draft.key, _KEY_LENGTH)
    check_length("origin", draft.origin, _ORIGIN_LENGTH)
    if _MEMO_LENGTH is not None:
        check_length("memo", draft.memo, _MEMO_LENGTH)
    rows, legs = [], []
    sums: dict[_CommodityRef, int] = defaultdict(int)
    moves = False
    for leg in draft.legs:
        ref = ctx.refs.get((ctx.company_id, leg.commodity)) or _commodity(ctx, leg.commodity)
        try:
            units, amount = normalise(leg.amount, ref.scale)
        except Invalid as exc:
            raise Invalid(f"posting to {leg.account}: {exc}") from None
        moves = (
            moves or units != 0
        )  # a zero leg is kept (it carries a line of the source), alone it says nothing
        pair = (ctx.accounts[leg.account][0], ref.id)
        rows.append((*pair, units))
        legs.append((leg.account, amount, ref.code))
        sums[ref] += units
    if not moves:
        raise Invalid("every posting has a zero amount: a transaction needs a non-zero one")
    off = [f"{from_units(total, ref.scale)} {ref.code}" for ref, total in sums.items() if total]
    if off:
        raise Unbalanced("transaction does not balance: off by " + ", ".join(off))
    return _Prepared(draft, reverses_id, tuple(rows), tuple(legs), _fingerprint(draft, reverses_id, rows),
                     _net(rows))


def _net(rows: list[tuple[int, int, int]]) -> dict[tuple[int, int], int]:
    """Units per (account, commodity): what the transaction changes, legs
    summed, zero changes left out."""
    net = {(a, c): u for a, c, u in rows}
    if len(net) < len(rows) or not all(net.values()):  # an account twice, or a zero leg
        net = defaultdict(int)
        for a, c, u in rows:
            net[(a, c)] += u
        net = {pair: units for pair, units in net.items() if units}
    return net


def _fingerprint(draft: Draft, reverses_id: Optional[int], rows: list[tuple[int, int, int]]) -> str:
    """What "the same content" means for an idempotency key: date, memo,
    origin, reversal link and the postings in any order."""
    content = (draft.date.isoformat(), draft.memo, draft.origin, reverses_id, sorted(rows))
    return hashlib.sha256(repr(content).encode()).hexdigest()


def _commodity(ctx: _Context, code: Optional[str]) -> _CommodityRef:
    commodity = find_commodity(ctx.session, ctx.company, code)
    ref = ctx.refs[(ctx.company_id, code)] = _CommodityRef(commodity.id, commodity.code, commodity.scale)
    return ref


def _existing_keys(
    session: Session, write, company: Company, prepared: Sequence[_Prepared]
) -> dict[str, Posted]:
    keyed = [p for p in prepared if p.draft.key is not None]
    seen: set[str] = set()
    for p in keyed:
        if p.draft.key in seen:
            raise Invalid(f"idempotency key {p.draft.key!r} appears twice in one batch")
        seen.add(p.draft.key)
    by_key = {p.draft.key: p for p in keyed}
    ids: dict[str, int] = {}
    for key, (txn_id, fingerprint) in _known_keys(write, company.id, list(by_key)).items():
        _same_content(by_key[key], txn_id, fingerprint)
        ids[key] = txn_id
    loaded = load_many(session, company, list(ids.values()))
    return {key: loaded[txn_id] for key, txn_id in ids.items()}


def _known_keys(write, company_id: int, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
    """The id and fingerprint of each of ``keys`` already posted."""
    if not keys:
        return {}
    return {key: (txn_id, fingerprint) for key, txn_id, fingerprint in write.known_keys(company_id, keys)}


def _same_content(p: _Prepared, txn_id: int, fingerprint: str) -> None:
    if fingerprint != p.fingerprint:
        raise IdempotencyConflict(
            f"idempotency key {p.draft.key!r} was already used by transaction {txn_id} with other content")


def _write_chunk(ctx: _Context, write, new: Sequence[_Prepared]) -> list[int]:
    """Rows, postings and balances of checked drafts; returns their ids, in order."""
    now, company_id = utcnow(), ctx.company_id
    ids = write.insert_transactions([_transaction_row(company_id, p, now) for p in new])
    postings, steps = [], defaultdict(list)
    for txn_id, p in zip(ids, new):
        date = p.draft.date
        postings.extend((company_id, txn_id, account_id, commodity_id, date, units)
                        for account_id, commodity_id, units in p.rows)
        for pair, units in p.net.items():
            steps[pair].append(units)
    write.insert_postings(postings)
    _apply_balances(ctx, write, steps)
    return ids


def _transaction_row(company_id: int, p: _Prepared, now: dt.datetime) -> tuple:
    d = p.draft
    return (company_id, d.date, d.memo, d.key, p.fingerprint, d.origin, p.reverses_id, now)


def _apply_balances(ctx: _Context, write, steps: dict[tuple[int, int], list[int]]) -> None:
    """Add each transaction's net change (a step) to the balances.

    A must-not-go-negative account may not dip below zero after any step;
    within one transaction only the net change counts, whatever the order of
    its legs.
    """
    for units in steps.values():
        if abs(sum(units)) > BALANCE_LIMIT:
            raise Invalid(f"a balance would exceed the largest storable amount ({BALANCE_LIMIT} units)")
    limited = {id_ for id_, flag in ctx.accounts.values() if flag}
    watched = {pair for pair, units in steps.items() if pair[0] in limited and min(units) < 0}
    after = write.add_to_balances(
        ctx.company_id, {pair: sum(units) for pair, units in steps.items()}, watched
    )
    for pair in sorted(watched):
        lowest = running = 0
        for units in steps[pair]:
            running += units
            lowest = min(lowest, running)
        before = after[pair] - running
        if before + lowest < 0:
            code = next(c for c, (i, _) in ctx.accounts.items() if i == pair[0])
            ref = next(r for r in ctx.refs.values() if r.id == pair[1])
            refusal = LimitExceeded(
                f"account {code} must not go negative: {from_units(before, ref.scale)} {ref.code} "
                f"available, {from_units(-lowest, ref.scale)} {ref.code} asked")
            # Which step went below zero first, for callers that can name its transaction.
            refusal.step = (pair, next(k for k, total in enumerate(itertools.accumulate(steps[pair]))
                                       if before + total < 0))
            raise refusal


def _posted(company_id: int, txn_id: int, p: _Prepared) -> Posted:
    d = p.draft
    legs = tuple(PostedLeg(*leg) for leg in p.legs)
    return Posted(txn_id, company_id, d.date, d.memo, legs, d.key, d.origin, p.reverses_id, True)


def _event(posted: Posted) -> TransactionPosted:
    return TransactionPosted(company_id=posted.company_id, transaction=posted)


@event.listens_for(Session, "after_rollback")
def _forget_commodities(session: Session) -> None:
    # A currency created inside a rolled-back transaction no longer exists.
    session.info.pop(_REFS, None)

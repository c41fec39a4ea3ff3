"""Importing a stream of transactions: chunk by chunk, all or nothing.

``import_drafts`` takes drafts one at a time (a file of a million
transactions never sits in memory), checks and writes them ``CHUNK`` at a
time inside the caller's one database transaction, adds each chunk to the
balances (the must-not-go-negative check sees every step, across chunks
too), and returns counts rather than what it posted. The same rules as
``post`` apply: ``posting._prepare`` checks every draft.

On PostgreSQL it holds every idempotency-key lock of the company for the
whole import (``writer.KEY_LOCKS`` of them, taken at once): a bounded
number, and a concurrent post of one of the keys waits for the outcome.
A key that comes back after other transactions (its lines are not
together, or it is there twice) is refused, naming where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Optional

import attrs
from sqlalchemy.orm import Session

from core.errors import Invalid, JangbuError, LimitExceeded
from core.ledger.posting import (
    Draft,
    _announce,
    _audit,
    _context,
    _hooked,
    _known_keys,
    _learn_accounts,
    _posted,
    _prepare,
    _same_content,
    _write_chunk,
)
from core.ledger.writer import writer_for
from core.models import Company

__all__ = ["Imported", "import_drafts", "CHUNK"]

CHUNK = 2000  # drafts checked and written together: bounded memory, few round trips


@attrs.frozen
class Imported:
    transactions: int
    created: int

    @property
    def existing(self) -> int:
        return self.transactions - self.created


def import_drafts(session: Session, company: Company, drafts: Iterable[tuple[str, Draft]], *,
                  progress: Optional[Callable[[int], None]] = None, chunk: int = CHUNK) -> Imported:
    """Post ``drafts`` (each with where it comes from, for messages) in the
    caller's database transaction; keys posted before with the same content
    are counted as existing and not posted again.

    :param progress: called with the number of drafts done after each chunk.
    """
    batches = _batches(iter(drafts), chunk)
    first = next(batches, None)
    if first is None:
        return Imported(0, 0)
    write = writer_for(session.connection())
    ctx = _context(session, write, company, set())
    write.lock_all_keys(ctx.company_id)
    total = created = 0
    ours_from: Optional[int] = None  # the first id this import wrote: a key found from there on is ours
    for batch in _chain(first, batches):
        _learn(write, ctx, batch)
        known = _known_keys(write, ctx.company_id, [d.key for _, d in batch if d.key is not None])
        new, wheres, seen = [], [], set()
        for where, draft in batch:
            key = draft.key
            if key is not None:
                if key in seen or (key in known and ours_from is not None and known[key][0] >= ours_from):
                    raise Invalid(f"{where}: comes again after other transactions; "
                                  "a transaction's lines must be together, and each key once")
                seen.add(key)
            try:
                prepared = _prepare(ctx, draft, None)
                if key in known:
                    _same_content(prepared, *known[key])
                    continue
            except JangbuError as exc:  # say which one, keeping the kind of refusal
                raise type(exc)(f"{where}: {exc}") from None
            new.append(prepared)
            wheres.append(where)
        if new:
            try:
                ids = _write_chunk(ctx, write, new)
            except LimitExceeded as exc:  # name the transaction that went below zero
                pair, k = exc.step
                raise LimitExceeded(
                    f"{[w for w, p in zip(wheres, new) if pair in p.net][k]}: {exc}"
                ) from None
            ours_from = min(ids) if ours_from is None else ours_from
            if _hooked(session):
                _announce(session, company, [_posted(ctx.company_id, i, p) for i, p in zip(ids, new)])
            else:  # no Posted values to build
                _audit(session, company, [(i, None) for i in ids])
        total, created = total + len(batch), created + len(new)
        if progress:
            progress(len(batch))
    return Imported(total, created)


def _learn(write, ctx, batch: list[tuple[str, Draft]]) -> None:
    """Look up the accounts this chunk uses for the first time; a refusal
    names the first draft that uses a bad one."""
    codes = {leg.account for _, d in batch for leg in d.legs} - ctx.accounts.keys()
    if not codes:
        return
    try:
        _learn_accounts(write, ctx.company, ctx.accounts, codes)
    except JangbuError:
        for where, draft in batch:  # the slow way, only to say where
            try:
                if codes := {leg.account for leg in draft.legs} - ctx.accounts.keys():
                    _learn_accounts(write, ctx.company, ctx.accounts, codes)
            except JangbuError as exc:
                raise type(exc)(f"{where}: {exc}") from None
        raise


def _batches(drafts: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(drafts, size)):
        yield batch


def _chain(first: list, rest: Iterator[list]) -> Iterator[list]:
    yield first
    yield from rest

"""Property tests of the ledger against a pure-Python model, on every engine.

A hypothesis state machine drives one company per example through random
sequences of balanced posts (two currencies, 2-5 legs), refused posts
(unbalanced, finer than the scale, a single leg, taking the must-not-go-
negative cash account 1000 below zero), reversals, ``post_many`` imports (all
or nothing) and idempotent replays. The test keeps its own model of every
transaction and balance; after every step the database must agree with it:
each commodity sums to zero over the whole ledger, ``verify`` is clean, the
trial balance (current and as of a date) equals the model's, and the number
of transactions and postings is the model's.

The model checks the must-not-go-negative limit on each transaction's net
change (a transaction may credit and debit cash in any order), and, in an
import, after every transaction of the batch in turn.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from decimal import Decimal
from typing import Optional

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from core import ledger
from core.errors import Conflict, IdempotencyConflict, Invalid, LimitExceeded, Unbalanced
from core.ledger import Draft, Leg
from core.values import from_units, to_units

ACCOUNTS = ("1000", "1100", "4000", "5000")
LIMITED = frozenset({"1000"})  # no_negative in Db.company()
CURRENCY = "KRW"  # the company currency
SCALES = {"KRW": 0, "USD": 2}
DAY0 = dt.date(2026, 1, 1)
DAYS = 60
MEMOS = ("", "sale", "재고 이동", "a memo, with punctuation")
COMPANIES = itertools.count(1)

# -- strategies -------------------------------------------------------------

# Mostly small amounts (so the cash limit is hit both ways), sometimes large
# ones (a posting may carry at most core.values.MAX_UNITS).
magnitudes = st.one_of(st.integers(1, 300), st.integers(1, 10**12))
signed_units = st.builds(lambda m, negative: -m if negative else m, magnitudes, st.booleans())
dates = st.integers(0, DAYS).map(lambda n: DAY0 + dt.timedelta(days=n))
memos = st.sampled_from(MEMOS)

# A model leg: (account code, commodity code, signed units).
MLeg = tuple[str, str, int]


@st.composite
def commodity_group(draw, commodity: str, size: int) -> list[MLeg]:
    """``size`` (or ``size - 1``) legs in one commodity summing to zero, none zero."""
    accounts = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=size, max_size=size))
    amounts = [draw(signed_units) for _ in range(size - 1)]
    last = -sum(amounts)
    if last == 0:  # only possible for size >= 3: the first size-1 legs balance already
        return [(a, commodity, u) for a, u in zip(accounts, amounts)]
    return [(a, commodity, u) for a, u in zip(accounts, [*amounts, last])]


@st.composite
def balanced_legs(draw) -> tuple[MLeg, ...]:
    commodities = draw(st.sampled_from([("KRW",), ("USD",), ("KRW", "USD"), ("USD", "KRW")]))
    if len(commodities) == 1:
        sizes = [draw(st.integers(2, 5))]
    else:
        sizes = list(draw(st.sampled_from([(2, 2), (2, 3), (3, 2)])))
    legs: list[MLeg] = []
    for commodity, size in zip(commodities, sizes):
        legs += draw(commodity_group(commodity, size))
    if len(commodities) > 1 and draw(st.booleans()):
        legs = list(draw(st.permutations(legs)))  # commodities interleaved
    return tuple(legs)


def amount_text(units: int, scale: int, style: int) -> Decimal | str:
    """The same amount written in different ways (all equal in value)."""
    exact = from_units(units, scale)
    if style == 0:
        return exact  # Decimal("12.30")
    if style == 1:
        return format(exact.normalize(), "f")  # "12.3"
    return f"{exact:,}"  # "1,234.50"


def to_api(legs: tuple[MLeg, ...], style: int = 0, currency_as_none: bool = True) -> list[Leg]:
    return [Leg(account, amount_text(units, SCALES[commodity], style),
                None if (commodity == CURRENCY and currency_as_none) else commodity)
            for account, commodity, units in legs]


def from_api(posted_legs) -> tuple[MLeg, ...]:
    return tuple(
        (leg.account, leg.commodity, to_units(leg.amount, SCALES[leg.commodity])) for leg in posted_legs
    )


# -- the model ----------------------------------------------------------------

@attrs.define
class MTxn:
    id: int
    date: dt.date
    legs: tuple[MLeg, ...]
    reverses: Optional[int] = None
    reversed_by: Optional[int] = None


@attrs.frozen
class Keyed:
    """What was posted under an idempotency key, to replay it."""

    txn_id: int
    date: dt.date
    legs: tuple[MLeg, ...]
    memo: str


def breaches(balances: Counter, batches: list[tuple[MLeg, ...]]) -> bool:
    """Would posting these transactions in order take a limited account below
    zero after any one of them (legs inside a transaction in any order)?"""
    running = Counter(balances)
    for legs in batches:
        for account, commodity, units in legs:
            running[(account, commodity)] += units
        if any(running[(a, c)] < 0 for a, c, _ in legs if a in LIMITED):
            return True
    return False


class LedgerMachine(RuleBasedStateMachine):
    """One fresh company per example; ``db`` is set by the test."""

    db = None

    def __init__(self):
        super().__init__()
        self.company = self.db.company(f"PROP-{next(COMPANIES)}")
        self.txns: dict[int, MTxn] = {}
        self.balances: Counter = Counter()
        self.keyed: dict[str, Keyed] = {}
        self.keys = itertools.count(1)
        self.steps = 0

    # -- model bookkeeping --------------------------------------------------

    def record(self, posted, date: dt.date, legs: tuple[MLeg, ...], reverses: Optional[int] = None) -> None:
        assert posted.created, posted
        assert posted.date == date
        assert posted.id not in self.txns
        assert from_api(posted.legs) == legs, (posted.legs, legs)
        assert posted.reverses_id == reverses
        self.txns[posted.id] = MTxn(posted.id, date, legs, reverses)
        for account, commodity, units in legs:
            self.balances[(account, commodity)] += units
        if reverses is not None:
            self.txns[reverses].reversed_by = posted.id

    def fresh_key(self) -> str:
        return f"K-{next(self.keys)}"

    def remember(self, key: str, posted, date: dt.date, legs, memo: str) -> None:
        self.keyed[key] = Keyed(posted.id, date, legs, memo)

    def refused(self, error: type[Exception], call, match: Optional[str] = None) -> None:
        with pytest.raises(error, match=match):
            with self.db.session() as s:
                call(s)

    # -- rules -----------------------------------------------------------------

    @rule(
        legs=balanced_legs(),
        date=dates,
        memo=memos,
        keyed=st.booleans(),
        style=st.integers(0, 2),
        broken=st.sampled_from([None, None, None, None, "unbalanced", "too fine", "one leg"]),
        data=st.data(),
    )
    def post(self, legs, date, memo, keyed, style, broken, data):
        key = self.fresh_key() if keyed else None
        if broken:
            self.post_broken(legs, date, key, broken, data)
            return
        call = lambda s: ledger.post(s, self.company, date, to_api(legs, style), memo=memo, key=key)  # noqa: E731
        if breaches(self.balances, [legs]):
            self.refused(LimitExceeded, call, "must not go negative")
            return
        with self.db.session() as s:
            posted = call(s)
        self.record(posted, date, legs)
        if key:
            self.remember(key, posted, date, legs, memo)

    def post_broken(self, legs, date, key, kind, data):
        """Refused before anything is written, whatever the balances."""
        legs = list(legs)
        if kind == "unbalanced":
            i = data.draw(st.integers(0, len(legs) - 1))
            delta = data.draw(st.integers(-1000, 1000).filter(bool))
            account, commodity, units = legs[i]
            legs[i] = (account, commodity, units + delta if units + delta else units + 2 * delta)
            error, match = Unbalanced, "does not balance"
        elif kind == "one leg":
            legs = legs[:1]
            error, match = Unbalanced, "at least two"
        else:
            error, match = Invalid, "more than 2 decimal places"
        api = to_api(tuple(legs))
        if kind == "too fine":  # a tenth of a cent, balanced, among valid legs
            fine = Decimal(data.draw(st.integers(1, 9))).scaleb(-3)
            api.insert(data.draw(st.integers(0, len(api))), Leg("1100", fine, "USD"))
            api.append(Leg("4000", -fine, "USD"))
        self.refused(error, lambda s: ledger.post(s, self.company, date, api, key=key), match)

    @precondition(lambda self: self.txns)
    @rule(pick=st.integers(0, 10**6), offset=st.integers(-3, 20))
    def reverse(self, pick, offset):
        ids = sorted(self.txns)
        original = self.txns[ids[pick % len(ids)]]
        date = original.date + dt.timedelta(days=offset)
        call = lambda s: ledger.reverse(s, self.company, original.id, date)  # noqa: E731
        mirror = tuple((a, c, -u) for a, c, u in original.legs)
        if original.reverses is not None:
            self.refused(Conflict, call, "itself the reversal")
        elif original.reversed_by is not None:
            self.refused(Conflict, call, "already reversed")
        elif offset < 0:
            self.refused(Invalid, call, "before the original")
        elif breaches(self.balances, [mirror]):
            self.refused(LimitExceeded, call, "must not go negative")
        else:
            with self.db.session() as s:
                posted = call(s)
            self.record(posted, date, mirror, reverses=original.id)
            with self.db.session() as s:
                assert ledger.load(s, self.company, original.id).reversed_by_id == posted.id

    @rule(data=st.data())
    def post_many(self, data):
        size = data.draw(st.integers(1, 4), label="batch size")
        poison = data.draw(st.sampled_from(
            [None, None, "unbalanced", "dupkey"] + (["conflict"] if self.keyed else [])), label="poison")
        items = []  # ("new", legs, date, memo, key) or ("replay", key)
        for _ in range(size):
            unused = sorted(self.keyed.keys() - {item[1] for item in items})
            if unused and data.draw(st.integers(0, 3)) == 0:
                items.append(("replay", data.draw(st.sampled_from(unused))))
            else:
                key = self.fresh_key() if data.draw(st.booleans()) else None
                items.append(("new", data.draw(balanced_legs()), data.draw(dates), data.draw(memos), key))
        if data.draw(st.integers(0, 3), label="dip") == 0:
            # Cash out beyond what is there, and back in: fine only in that order
            # if the refill comes first; the limit holds after every transaction.
            commodity = data.draw(st.sampled_from(sorted(SCALES)))
            out = self.balances[("1000", commodity)] + data.draw(st.integers(1, 100))
            back = out + data.draw(st.integers(0, 100))
            pair = [(("1000", commodity, -out), ("5000", commodity, out)),
                    (("1000", commodity, back), ("4000", commodity, -back))]
            if data.draw(st.booleans(), label="refill first"):
                pair.reverse()
            at = data.draw(st.integers(0, len(items)))
            day = data.draw(dates)
            items[at:at] = [("new", legs, day, "dip", None) for legs in pair]
        replayed = [item[1] for item in items if item[0] == "replay"]
        drafts = [self.draft(item, data) for item in items]
        position = data.draw(st.integers(0, len(drafts)), label="poison position")
        if poison == "unbalanced":
            legs = list(data.draw(balanced_legs()))
            account, commodity, units = legs[0]
            legs[0] = (account, commodity, units + 1 if units != -1 else units + 2)
            drafts.insert(position, Draft(data.draw(dates), to_api(tuple(legs)), key=self.fresh_key()))
            self.refused(Unbalanced, lambda s: ledger.post_many(s, self.company, drafts), "does not balance")
            return
        if poison == "dupkey":  # a fresh key twice, or a replayed key twice
            if replayed and data.draw(st.booleans()):
                drafts.insert(position, self.same(self.keyed[replayed[0]], replayed[0], data))
            else:
                twin = self.fresh_key()
                for _ in range(2):
                    drafts.insert(
                        position, Draft(data.draw(dates), to_api(data.draw(balanced_legs())), key=twin)
                    )
            self.refused(Invalid, lambda s: ledger.post_many(s, self.company, drafts), "appears twice")
            return
        if poison == "conflict":
            key = data.draw(st.sampled_from(sorted(self.keyed)))
            if key in replayed:
                drafts = [d for d in drafts if d.key != key]
            drafts.insert(position, self.changed(self.keyed[key], key, data))
            self.refused(
                IdempotencyConflict, lambda s: ledger.post_many(s, self.company, drafts), "other content"
            )
            return
        new = [item[1] for item in items if item[0] == "new"]
        call = lambda s: ledger.post_many(s, self.company, drafts)  # noqa: E731
        if breaches(self.balances, new):
            self.refused(LimitExceeded, call, "must not go negative")
            return
        with self.db.session() as s:
            results = call(s)
        assert len(results) == len(items)
        for item, draft, posted in zip(items, drafts, results):
            if item[0] == "replay":
                known = self.keyed[item[1]]
                assert not posted.created and posted.id == known.txn_id
                assert from_api(posted.legs) == known.legs
            else:
                _, legs, date, memo, key = item
                self.record(posted, date, legs)
                if key:
                    self.remember(key, posted, date, legs, memo)

    def draft(self, item, data) -> Draft:
        if item[0] == "new":
            _, legs, date, memo, key = item
            return Draft(date, to_api(legs), memo, key)
        return self.same(self.keyed[item[1]], item[1], data)

    def same(self, known: Keyed, key: str, data) -> Draft:
        """The same content as first posted: legs reordered, amounts written otherwise."""
        legs = data.draw(st.permutations(known.legs))
        style = data.draw(st.integers(0, 2))
        return Draft(known.date, to_api(tuple(legs), style, data.draw(st.booleans())), known.memo, key)

    def changed(self, known: Keyed, key: str, data) -> Draft:
        what = data.draw(st.sampled_from(["memo", "date", "amounts"]))
        date, memo, legs = known.date, known.memo, known.legs
        if what == "memo":
            memo += " (changed)"
        elif what == "date":
            date += dt.timedelta(days=1)
        else:
            legs = tuple((a, c, 2 * u) for a, c, u in legs)
        return Draft(date, to_api(legs), memo, key)

    @precondition(lambda self: self.keyed)
    @rule(data=st.data())
    def replay(self, data):
        key = data.draw(st.sampled_from(sorted(self.keyed)))
        known = self.keyed[key]
        if data.draw(st.booleans()):
            d = self.same(known, key, data)
            with self.db.session() as s:
                again = ledger.post(s, self.company, d.date, d.legs, memo=d.memo, key=key)
            assert not again.created and again.id == known.txn_id
            assert from_api(again.legs) == known.legs
        else:
            d = self.changed(known, key, data)
            self.refused(IdempotencyConflict, lambda s: ledger.post(
                s, self.company, d.date, d.legs, memo=d.memo, key=key), f"{key}' was already used")

    # -- what must hold after every step ---------------------------------------

    def model_as_of(self, as_of: dt.date) -> Counter:
        totals: Counter = Counter()
        for txn in self.txns.values():
            if txn.date <= as_of:
                for account, commodity, units in txn.legs:
                    totals[(account, commodity)] += units
        return totals

    @invariant()
    def database_agrees_with_the_model(self):
        self.steps += 1
        company = self.company
        with self.db.session() as s:
            off = s.execute(text(
                "SELECT commodity_id, SUM(amount) FROM ledger_posting GROUP BY commodity_id "
                "HAVING SUM(amount) <> 0")).all()
            assert off == [], f"the whole ledger does not sum to zero: {off}"
            counts = s.execute(text(
                "SELECT (SELECT COUNT(*) FROM ledger_transaction WHERE company_id = :c), "
                "(SELECT COUNT(*) FROM ledger_posting WHERE company_id = :c)"), {"c": company.id}).one()
            assert tuple(counts) == (len(self.txns), sum(len(t.legs) for t in self.txns.values()))

            report = ledger.verify(s, company)
            assert report.ok, report.problems
            assert report.transactions == len(self.txns)

            current = {(r.account, r.commodity): to_units(r.balance, SCALES[r.commodity])
                       for r in ledger.trial_balance(s, company)}
            assert current == {k: v for k, v in self.balances.items() if v}
            as_of = DAY0 + dt.timedelta(days=(self.steps * 7) % (DAYS + 1))
            past = {(r.account, r.commodity): to_units(r.balance, SCALES[r.commodity])
                    for r in ledger.trial_balance(s, company, as_of=as_of)}
            assert past == {k: v for k, v in self.model_as_of(as_of).items() if v}, as_of
            for account, commodity in {("1000", "KRW"), ("1100", "USD")}:
                assert ledger.balance(s, company, account, commodity) == from_units(
                    self.balances[(account, commodity)], SCALES[commodity])


def test_ledger_agrees_with_a_model_after_every_step(db):
    machine = type("Ledger", (LedgerMachine,), {"db": db})
    run_state_machine_as_test(machine, settings=settings(
        max_examples=30 if db.dialect == "sqlite" else 12,
        stateful_step_count=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.filter_too_much],
    ))

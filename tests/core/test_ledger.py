"""The ledger's rules, one by one, on every engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from core import ledger
from core.catalog import create_product
from core.companies import get_company, set_lock_date
from core.errors import (
    Conflict,
    IdempotencyConflict,
    Invalid,
    LimitExceeded,
    LockedPeriod,
    NotFound,
    Unbalanced,
)
from core.ledger import Draft, Leg, Posting, Transaction
from core.ledger.models import BALANCE_LIMIT
from core.values import MAX_UNITS, from_units


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def sale(amount="1000"):
    return [Leg("1100", amount), Leg("4000", f"-{amount}")]


def test_post_keeps_balances_and_verify_is_clean(db):
    company = db.company()
    with db.session() as s:
        posted = ledger.post(s, company, "2026-03-01", sale("1500"), memo="first sale")
        assert posted.created and posted.memo == "first sale"
        assert [leg.amount for leg in posted.legs] == [Decimal("1500"), Decimal("-1500")]
    with db.session() as s:
        assert ledger.balance(s, company, "1100") == Decimal("1500")
        assert ledger.balance(s, company, "4000") == Decimal("-1500")
        assert ledger.verify(s, company).ok


def test_unbalanced_post_is_refused_and_writes_nothing(db):
    company = db.company()
    with pytest.raises(Unbalanced, match="off by 1 KRW"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "1001"), Leg("4000", "-1000")])
    assert count(db, Transaction) == 0 and count(db, Posting) == 0


def test_each_commodity_must_balance_on_its_own(db):
    company = db.company(currency="USD")
    with pytest.raises(Unbalanced, match="KRW"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "10.00"), Leg("4000", "-10.00"),
                                                   Leg("1100", "100", "KRW"), Leg("4000", "-99", "KRW")])
    with db.session() as s:
        posted = ledger.post(
            s,
            company,
            "2026-03-01",
            [
                Leg("1100", "10.25"),
                Leg("4000", "-10.25"),
                Leg("1100", "100", "KRW"),
                Leg("4000", "-100", "KRW"),
            ],
        )
        assert {leg.commodity for leg in posted.legs} == {"USD", "KRW"}
        assert ledger.balance(s, company, "1100", "KRW") == Decimal("100")
        assert ledger.balance(s, company, "1100") == Decimal("10.25")


def test_amounts_finer_than_the_commodity_scale_are_refused(db):
    company = db.company(currency="USD")
    with pytest.raises(Invalid, match="more than 2 decimal places"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "0.005"), Leg("4000", "-0.005")])


def test_floats_are_refused_at_the_api():
    with pytest.raises(Invalid, match="never float"):
        Leg("1100", 0.1)


def test_unknown_account_and_zero_amount_and_single_leg(db):
    company = db.company()
    with pytest.raises(NotFound, match="unknown account '9999'"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "5"), Leg("9999", "-5")])
    with pytest.raises(Invalid, match="zero amount"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "0"), Leg("4000", "0")])
    with pytest.raises(Unbalanced, match="at least two"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "5")])
    assert count(db, Transaction) == 0


def test_lock_date_refuses_posts_on_or_before_it(db):
    company = db.company()
    with db.session() as s:
        set_lock_date(s, get_company(s, "ACME"), dt.date(2026, 3, 31))
    for day in ("2026-03-31", "2026-01-01"):
        with pytest.raises(LockedPeriod, match="lock date 2026-03-31"):
            with db.session() as s:
                ledger.post(s, company, day, sale())
    with db.session() as s:
        assert ledger.post(s, company, "2026-04-01", sale()).created
    with pytest.raises(Conflict, match="cannot move back"):
        with db.session() as s:
            set_lock_date(s, get_company(s, "ACME"), dt.date(2026, 1, 1))


def test_idempotency_key_returns_the_first_and_refuses_other_content(db):
    company = db.company()
    with db.session() as s:
        first = ledger.post(s, company, "2026-03-01", sale(), key="INV-1")
    with db.session() as s:
        again = ledger.post(s, company, "2026-03-01", list(reversed(sale())), key="INV-1")
    assert again.id == first.id and not again.created
    with pytest.raises(IdempotencyConflict, match="INV-1"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", sale("2000"), key="INV-1")
    assert count(db, Transaction) == 1


def test_no_negative_account_refuses_to_go_below_zero(db):
    company = db.company()
    with db.session() as s:
        ledger.post(s, company, "2026-03-01", [Leg("1000", "100"), Leg("4000", "-100")])
    with pytest.raises(LimitExceeded, match="100 KRW available, 101 KRW asked"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-02", [Leg("1000", "-101"), Leg("5000", "101")])
    with db.session() as s:
        ledger.post(s, company, "2026-03-02", [Leg("1000", "-100"), Leg("5000", "100")])
        assert ledger.balance(s, company, "1000") == 0
        assert ledger.verify(s, company).ok


def test_stock_is_a_commodity_in_its_product_unit(db):
    company = db.company()
    with db.session() as s:
        create_product(s, company, "FLOUR", "Flour", unit="kg")
        ledger.post(s, company, "2026-03-01", [Leg("WH", "12.5", "FLOUR"), Leg("OUT", "-12.5", "FLOUR")])
    with pytest.raises(LimitExceeded, match="WH must not go negative"):
        with db.session() as s:
            ledger.post(
                s, company, "2026-03-02", [Leg("WH", "-12.501", "FLOUR"), Leg("OUT", "12.501", "FLOUR")]
            )
    with db.session() as s:
        assert ledger.balance(s, company, "WH", "FLOUR") == Decimal("12.500")


def test_reverse_mirrors_and_links_both_ways(db):
    company = db.company()
    with db.session() as s:
        original = ledger.post(s, company, "2026-03-01", sale("700"), memo="oops")
    with db.session() as s:
        mirror = ledger.reverse(s, company, original.id, "2026-03-02")
    assert mirror.reverses_id == original.id
    assert [leg.amount for leg in mirror.legs] == [-leg.amount for leg in original.legs]
    with db.session() as s:
        assert ledger.load(s, company, original.id).reversed_by_id == mirror.id
        txn = s.get(Transaction, original.id)
        assert txn.reversed_by.id == mirror.id and txn.reversed_by.reverses.id == original.id
        assert ledger.balance(s, company, "1100") == 0
        assert ledger.balance(s, company, "1100", as_of="2026-03-01") == Decimal("700")
    with pytest.raises(Conflict, match="already reversed"):
        with db.session() as s:
            ledger.reverse(s, company, original.id, "2026-03-03")
    with pytest.raises(Conflict, match="itself the reversal"):
        with db.session() as s:
            ledger.reverse(s, company, mirror.id, "2026-03-03")
    with pytest.raises(Invalid, match="before the original"):
        with db.session() as s:
            ledger.reverse(s, company, ledger.post(s, company, "2026-03-05", sale()).id, "2026-03-04")


def test_balances_and_trial_balance_as_of_a_date(db):
    company = db.company()
    with db.session() as s:
        for day, amount in [("2026-01-10", "100"), ("2026-02-10", "200"), ("2026-03-10", "400")]:
            ledger.post(s, company, day, sale(amount))
    with db.session() as s:
        assert ledger.balance(s, company, "1100", as_of="2026-02-28") == Decimal("300")
        assert ledger.balance(s, company, "1100", as_of="2025-12-31") == 0
        rows = ledger.trial_balance(s, company, as_of="2026-01-31")
        assert [(r.account, r.debit, r.credit) for r in rows] == [("1100", 100, 0), ("4000", 0, 100)]
        rows = ledger.trial_balance(s, company)
        assert sum(r.debit for r in rows) == sum(r.credit for r in rows) == Decimal("700")


def test_post_many_is_all_or_nothing(db):
    company = db.company()
    good = [ledger.Draft("2026-03-01", sale(str(n)), key=f"imp-{n}") for n in range(1, 6)]
    bad = ledger.Draft("2026-03-01", [Leg("1100", "5"), Leg("4000", "-4")], key="imp-bad")
    with pytest.raises(Unbalanced):
        with db.session() as s:
            ledger.post_many(s, company, [*good, bad])
    assert count(db, Transaction) == 0
    with db.session() as s:
        posted = ledger.post_many(s, company, good)
    assert [p.created for p in posted] == [True] * 5
    with db.session() as s:
        again = ledger.post_many(s, company, good)
        assert [p.id for p in again] == [p.id for p in posted] and not any(p.created for p in again)
        assert ledger.balance(s, company, "1100") == Decimal("15")
        assert ledger.verify(s, company).ok


def test_post_many_checks_limits_at_every_step_not_only_at_the_end(db):
    company = db.company()
    drafts = [ledger.Draft("2026-03-01", [Leg("1000", "-5"), Leg("5000", "5")]),
              ledger.Draft("2026-03-01", [Leg("1000", "10"), Leg("4000", "-10")])]
    with pytest.raises(LimitExceeded):
        with db.session() as s:
            ledger.post_many(s, company, drafts)
    with db.session() as s:
        ledger.post_many(s, company, list(reversed(drafts)))
        assert ledger.balance(s, company, "1000") == Decimal("5")


def test_verify_reports_a_tampered_balance(db):
    company = db.company()
    with db.session() as s:
        ledger.post(s, company, "2026-03-01", sale("100"))
        s.execute(text("UPDATE ledger_balance SET amount = amount + 1 WHERE account_id = "
                       "(SELECT id FROM ledger_account WHERE code = '1100')"))
    with db.session() as s:
        report = ledger.verify(s, company)
    assert not report.ok
    kinds = {p.kind for p in report.problems}
    assert kinds == {"balance"}
    assert "keeps 101 KRW but its postings sum to 100 KRW" in report.problems[0].message


def test_inactive_accounts_take_no_postings(db):
    company = db.company()
    with db.session() as s:
        ledger.find_account(s, company, "5000").active = False
    with pytest.raises(Conflict, match="'5000' of ACME is inactive"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("5000", "5"), Leg("1100", "-5")])


def test_a_product_cannot_take_a_currency_code(db):
    company = db.company()
    with pytest.raises(Invalid, match="is a currency code"):
        with db.session() as s:
            create_product(s, company, "EUR", "Euro-pallet")


def test_a_post_sees_what_its_session_has_not_flushed_yet(db):
    company = db.company()
    with db.session() as s:
        # the ORM object below is not flushed yet when post() runs
        s.add(ledger.Account(company_id=company.id, code="1200", name="Receivables",
                             type=ledger.AccountType.ASSET))
        posted = ledger.post(s, company, "2026-03-01", [Leg("1200", "5"), Leg("4000", "-5")])
        assert posted.legs[0].account == "1200"


# -- limits: net change per transaction, storable range -----------------------

def test_limit_counts_a_transactions_net_change_whatever_the_order_of_legs(db):
    company = db.company()
    with db.session() as s:  # on an empty cash account: -5 then +10 is a net +5
        ledger.post(
            s, company, "2026-03-01", [Leg("1000", "-5"), Leg("1000", "10"), Leg("4000", "-5")], key="A"
        )
    with db.session() as s:  # the same content in another order is the same transaction
        again = ledger.post(
            s, company, "2026-03-01", [Leg("1000", "10"), Leg("4000", "-5"), Leg("1000", "-5")], key="A"
        )
        assert not again.created
        ledger.post(s, company, "2026-03-02", [Leg("1000", "5"), Leg("1000", "-10"), Leg("5000", "5")])
    with pytest.raises(LimitExceeded, match="0 KRW available, 1 KRW asked"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-03", [Leg("1000", "10"), Leg("1000", "-11"), Leg("5000", "1")])
    with db.session() as s:
        assert ledger.balance(s, company, "1000") == 0 and ledger.verify(s, company).ok


def test_one_posting_beyond_max_units_is_refused_and_writes_nothing(db):
    company = db.company()
    top = from_units(MAX_UNITS, 0)
    for amount in (top + 1, Decimal("10000000000000000000"), Decimal("1E+40")):
        with pytest.raises(Invalid, match="too large"):
            with db.session() as s:
                ledger.post(s, company, "2026-03-01", [Leg("1100", amount), Leg("4000", -amount)])
    with db.session() as s:
        ledger.post(s, company, "2026-03-01", [Leg("1100", top), Leg("4000", -top)])
        report = ledger.verify(s, company)
        assert report.ok and report.transactions == 1


def test_a_balance_never_leaves_the_storable_range(db):
    company = db.company()
    top = from_units(MAX_UNITS, 0)
    n = BALANCE_LIMIT // MAX_UNITS
    drafts = [Draft("2026-03-01", [Leg("1100", top), Leg("4000", -top)]) for _ in range(n)]
    with db.session() as s:  # exactly at the limit
        ledger.post_many(s, company, drafts)
    with pytest.raises(Invalid, match="largest storable amount"):  # one more unit, checked by the database
        with db.session() as s:
            ledger.post(s, company, "2026-03-02", [Leg("1100", "1"), Leg("4000", "-1")])
    with db.session() as s:
        assert ledger.balance(s, company, "1100") == from_units(BALANCE_LIMIT, 0)
        report = ledger.verify(s, company)
        assert report.ok and report.transactions == n

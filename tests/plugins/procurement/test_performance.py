"""Supplier performance: on time in full, lead time mean and spread, price
variances, returns and the supplier score, checked against figures worked
out by hand, and a property: OTIF is a fraction between 0 and 1 equal to a
naive recount of the order lines, whatever the receipts."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.companies import get_company
from core.errors import Invalid
from plugins.procurement.billing import BillLineInput, enter_bill
from plugins.procurement.models import BillState
from plugins.procurement.orders import OrderLineInput, cancel_order, confirm_order, create_order
from plugins.procurement.performance import performance, performance_of, score_parts, supplier_score
from plugins.procurement.receiving import receive
from plugins.procurement.returns import return_goods
from tests.plugins.procurement.conftest import make_buying_company

D = dt.date
TODAY = D(2026, 3, 1)


def _order(s, company, supplier, lines, date, confirm=True):
    order = create_order(s, company, supplier, [OrderLineInput(*line) for line in lines], date=date)
    if confirm:
        confirm_order(s, company, order.number, date=date)
    return order.number


def _history(pdb, company):
    """S1: three orders (one late, partly), a return, three bills; S2: one order never received, one
    cancelled, one not due yet; S3: a draft only."""
    with pdb.session() as s:
        po1 = _order(s, company, "S1", [("PEN", "100", None, D(2026, 1, 10))], D(2026, 1, 5))
        po2 = _order(s, company, "S1", [("PAPER", "10", None, D(2026, 1, 17))], D(2026, 1, 10))
        po3 = _order(s, company, "S1", [("PEN", "50", "330", D(2026, 2, 6))], D(2026, 2, 1))
        _order(s, company, "S2", [("PEN", "20", None, D(2026, 1, 8))], D(2026, 1, 5))
        gone = _order(s, company, "S2", [("PEN", "30", None, D(2026, 1, 8))], D(2026, 1, 5))
        cancel_order(s, company, gone)
        _order(s, company, "S2", [("PAPER", "5", None, D(2026, 4, 1))], D(2026, 2, 20))
        _order(s, company, "S3", [("INK", "2", None, D(2026, 1, 20))], D(2026, 1, 6), confirm=False)
    with pdb.session() as s:
        receive(s, company, po1, date=D(2026, 1, 9))                       # 4 days, on time in full
        receive(s, company, po2, {"PAPER": "6"}, date=D(2026, 1, 16))     # 6 days, on time, not in full
        receive(s, company, po2, {"PAPER": "4"}, date=D(2026, 1, 20))     # 10 days, late
        receive(s, company, po3, date=D(2026, 2, 6))                       # 5 days, on the day
        return_goods(s, company, po3, "PEN", "5", "broken", date=D(2026, 2, 10))
    with pdb.session() as s:
        assert enter_bill(s, company, po1, "S1-100", date=D(2026, 1, 12)).state is BillState.POSTED
        assert enter_bill(s, company, po2, "S1-101", [BillLineInput("PAPER", "10", "18300")],
                          date=D(2026, 1, 21)).state is BillState.POSTED  # +1.67 %, within 2 %
        assert enter_bill(s, company, po3, "S1-102", date=D(2026, 2, 12)).state is BillState.POSTED
        # a held bill is not counted: +50 % on PEN
        held = _order(s, company, "S1", [("PEN", "10", None, D(2026, 2, 20))], D(2026, 2, 15))
        receive(s, company, held, date=D(2026, 2, 25))
        assert enter_bill(s, company, held, "S1-103", [BillLineInput("PEN", "10", "450")],
                          date=D(2026, 2, 26)).state is BillState.HELD


@pytest.fixture
def history(pdb):
    company = make_buying_company(pdb)
    _history(pdb, company)
    return pdb, company


def test_performance_worked_out_by_hand(history):
    pdb, company = history
    with pdb.session() as s:
        company = get_company(s, "ACME")
        rows = {row.supplier: row for row in performance(s, company, today=TODAY)}
        assert set(rows) == {"S1", "S2"}  # S3 has a draft only
        s1 = rows["S1"]
        # Lines due: PO1 PEN (in full on time), PO2 PAPER (6 of 10 by the 17th), PO3 PEN (on the day),
        # the fourth order's PEN (received the 25th, due the 20th).
        assert (s1.lines_due, s1.lines_otif, s1.otif) == (4, 2, Decimal("0.5000"))
        # Lead times 4, 6, 10, 5 and 10 days: mean 7, population sd sqrt(32/5) = 2.5298, cv 0.3614
        assert s1.receipts == 5
        assert (s1.lead_time_mean, s1.lead_time_stdev, s1.lead_time_cv) == (
            Decimal("7.00"), Decimal("2.53"), Decimal("0.3614"))
        # Billed vs ordered on posted bills: 0 %, +300/18000 = 1.6667 %, 0 % -> mean 0.56 %; 3,000 KRW more
        assert (s1.billed_lines, s1.billed_variance) == (3, Decimal("0.56"))
        assert s1.billed_difference == {"KRW": Decimal(3000)}
        # Ordered vs catalogue: 0, 0, +10 % (330 vs 300), 0 -> 2.5 %
        assert (s1.catalogue_lines, s1.catalogue_variance) == (4, Decimal("2.50"))
        # Returns: 5 of 100 + 10 + 50 + 10 received
        assert (s1.received, s1.returned, s1.returns_rate) == (Decimal(170), Decimal(5), Decimal("0.0294"))
        assert s1.orders == 4 and s1.spend == {"KRW": Decimal(30000 + 180000 + 16500 + 3000)}
        # The score: 50 % OTIF (50), 20 % lead time 100 * (1 - 0.3614), 15 % price 100 - 10 * 0.56,
        # 15 % returns 100 - 5 * 2.94: (2500 + 1277.2 + 1416 + 1279.5) / 100 = 64.727
        assert score_parts(s1) == {"otif": Decimal("50.00"), "lead_time": Decimal("63.86"),
                                   "price": Decimal("94.40"), "returns": Decimal("85.30")}
        assert s1.score == Decimal("64.7")
        # S2: one line due (never received), the cancelled order is left out, the April line not due yet
        s2 = rows["S2"]
        assert (s2.lines_due, s2.lines_otif, s2.otif) == (1, 0, Decimal(0))
        assert s2.receipts == 0 and s2.lead_time_mean is None and s2.returns_rate is None
        assert s2.orders == 2 and s2.spend == {"KRW": Decimal(6400 + 87500)}
        assert s2.score == Decimal("0.0")  # only OTIF is known, and it is zero


def test_period_and_supplier_filter(history):
    pdb, company = history
    with pdb.session() as s:
        company = get_company(s, "ACME")
        feb = performance_of(s, company, "S1", start="2026-02-01", end="2026-02-28", today=TODAY)
        assert (feb.lines_due, feb.lines_otif) == (2, 1)
        assert (feb.receipts, feb.lead_time_mean, feb.lead_time_stdev) == (
            2,
            Decimal("7.50"),
            Decimal("2.50"),
        )
        assert (feb.received, feb.returned, feb.returns_rate) == (Decimal(60), Decimal(5), Decimal("0.0833"))
        assert feb.spend == {"KRW": Decimal(16500 + 3000)}
        assert [row.supplier for row in performance(s, company, supplier="S2", today=TODAY)] == ["S2"]
        # nothing yet: no score
        nothing = performance_of(s, company, "S3", today=TODAY)
        assert nothing.score is None and nothing.otif is None and nothing.orders == 0
        assert supplier_score(s, company, _party(s, company, "S3")) is None
        assert supplier_score(s, company, _party(s, company, "S1")) is not None
        with pytest.raises(Invalid):
            performance(s, company, start="2026-03-01", end="2026-02-01")


def _party(s, company, code):
    from core.catalog import get_party

    return get_party(s, company, code)


def test_a_company_sees_only_its_own_history(history):
    pdb, _ = history
    other = make_buying_company(pdb, "OTHER")
    with pdb.session() as s:
        other = get_company(s, "OTHER")
        assert performance(s, other, today=TODAY) == []
        assert supplier_score(s, other, _party(s, other, "S1")) is None


_codes = itertools.count(1)
# per order: quantity, expected offset (days after the order), and receipts (day offset, quantity)
orders = st.lists(st.tuples(st.integers(1, 20), st.integers(0, 10),
                            st.lists(st.tuples(st.integers(0, 20), st.integers(1, 8)), max_size=3)),
                  min_size=1, max_size=5)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=orders, today_offset=st.integers(0, 30))
def test_otif_is_a_fraction_equal_to_a_naive_recount(pdb, plan, today_offset):
    code = f"P{next(_codes)}"
    company = make_buying_company(pdb, code)
    start = D(2026, 1, 1)
    today = start + dt.timedelta(days=today_offset)
    expected_due = expected_hits = 0
    with pdb.session() as s:
        company = get_company(s, code)
        for quantity, expected_in, receipts in plan:
            expected = start + dt.timedelta(days=expected_in)
            number = _order(s, company, "S2", [("PEN", str(quantity), None, expected)], start)
            received = by_expected = 0
            for day_in, amount in sorted(receipts):
                amount = min(amount, quantity - received)
                if amount <= 0:
                    break
                when = start + dt.timedelta(days=day_in)
                receive(s, company, number, {"PEN": str(amount)}, date=when)
                received += amount
                by_expected += amount if when <= expected else 0
            if expected <= today or received >= quantity:
                expected_due += 1
                expected_hits += by_expected >= quantity
    with pdb.session() as s:
        company = get_company(s, code)
        row = performance_of(s, company, "S2", today=today)
        assert row.lines_due == expected_due and row.lines_otif == expected_hits
        if expected_due:
            assert Decimal(0) <= row.otif <= Decimal(1)
            assert row.otif == (Decimal(expected_hits) / expected_due).quantize(Decimal("0.0001"))
        else:
            assert row.otif is None
        if row.score is not None:
            assert Decimal(0) <= row.score <= Decimal(100)


def test_the_analysis_commands(history, run):
    pdb, _company = history
    out = run("--json", "procurement", "performance", "--today", "2026-03-01")
    assert out.exit_code == 0, out.output
    rows = {row["supplier"]: row for row in json.loads(out.stdout)}
    assert (rows["S1"]["otif"], rows["S1"]["score"], rows["S1"]["spend"]) == (
        "0.5000",
        "64.7",
        {"KRW": "229500"},
    )
    out = run("procurement", "performance", "--supplier", "S1", "--from", "2026-02-01", "--to", "2026-02-28")
    assert out.exit_code == 0 and "S1" in out.output and "S2" not in out.output and "50.0 %" in out.output
    risk = json.loads(run("--json", "procurement", "risk").stdout)
    assert [r["supplier"] for r in risk][:1] == ["S3"] and risk[0]["factors"][0]["key"] == "single_source"
    text = run("procurement", "risk").output
    assert "weights: single_source 40 %, lead_time 30 %, spend 30 %" in text
    single = json.loads(run("--json", "procurement", "single-source").stdout)
    assert [(r["product"], r["supplier"]) for r in single] == [("INK", "S3")]
    assert "INK" in run("procurement", "single-source", "--supplier", "S3").output
    for args in (
        ("performance", "--from", "2026-03-01", "--to", "2026-02-01"),
        ("performance", "--supplier", "NOPE"),
        ("single-source", "--supplier", "NOPE"),
        ("risk", "--from", "someday"),
    ):
        refused = run("procurement", *args)
        assert refused.exit_code != 0 and "Traceback" not in refused.output, args
        assert len(refused.output.strip().splitlines()) == 1, refused.output

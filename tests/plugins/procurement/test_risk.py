"""Supplier risk: the single-source products (from the catalogue and the
purchase history), lead-time variability and share of spend, each factor
with its weight, checked against figures worked out by hand; and properties:
the shares of spend add up to 100 %, every factor and score lies in 0..100
and a score is the sum of its factors' contributions."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.companies import get_company
from plugins.procurement.catalogue import set_supplier_product
from plugins.procurement.orders import OrderLineInput, cancel_order, confirm_order, create_order
from plugins.procurement.receiving import receive
from plugins.procurement.risk import RISK_WEIGHTS, single_source, supplier_risk
from tests.plugins.procurement.conftest import make_buying_company

D = dt.date
TODAY = D(2026, 3, 1)


def _order(s, company, supplier, sku, qty, price, date, *, currency=None, confirm=True):
    order = create_order(
        s, company, supplier, [OrderLineInput(sku, qty, price)], date=date, currency=currency
    )
    if confirm:
        confirm_order(s, company, order.number, date=date)
    return order.number


def test_risk_worked_out_by_hand(pdb):
    company = make_buying_company(pdb)
    with pdb.session() as s:
        tape = _order(s, company, "S1", "TAPE", "50", "1000", D(2026, 1, 5))   # 50,000: TAPE from S1 only
        pen = _order(s, company, "S2", "PEN", "100", "300", D(2026, 1, 5))     # 30,000
        _order(s, company, "S3", "INK", "4", None, D(2026, 1, 6))              # 20,000
        _order(s, company, "S2", "PEN", "10", "0.25", D(2026, 1, 7), currency="USD")  # not in the shares
        cancel_order(s, company, _order(s, company, "S3", "TAPE", "5", "900", D(2026, 1, 7)))
        _order(s, company, "S2", "TAPE", "5", "900", D(2026, 1, 7), confirm=False)   # a draft: no history
    with pdb.session() as s:
        receive(s, company, tape, {"TAPE": "25"}, date=D(2026, 1, 10))  # 5 days
        receive(s, company, tape, {"TAPE": "25"}, date=D(2026, 1, 20))  # 15 days: mean 10, sd 5, cv 0.5
        receive(s, company, pen, date=D(2026, 1, 8))                     # 3 days: cv 0
    with pdb.session() as s:
        company = get_company(s, "ACME")
        rows = supplier_risk(s, company, today=TODAY)
        assert [r.supplier for r in rows] == ["S3", "S1", "S2"]  # riskiest first
        by = {r.supplier: r for r in rows}
        s1, s2, s3 = by["S1"], by["S2"], by["S3"]
        # S1 sells PEN and PAPER (so does S2) and TAPE (bought from S1 only): 1 of 3 products
        assert (s1.products, s1.single_source_products) == (3, ("TAPE",))
        assert (s2.products, s2.single_source_products) == (2, ())
        assert (s3.products, s3.single_source_products) == (1, ("INK",))
        assert [(f.key, f.weight) for f in s1.factors] == list(RISK_WEIGHTS.items())
        assert [(f.measure, f.score, f.contribution) for f in s1.factors] == [
            (Decimal(1), Decimal("33.33"), Decimal("13.33")),
            (Decimal("0.5000"), Decimal("50.00"), Decimal("15.00")),
            (Decimal("50.00"), Decimal("50.00"), Decimal("15.00"))]
        assert s1.score == Decimal("43.3")
        assert (s1.spend, s1.spend_share, s1.other_spend) == (Decimal(50000), Decimal("50.00"), {})
        assert (s2.spend, s2.spend_share, s2.other_spend) == (Decimal(30000), Decimal("30.00"),
                                                              {"USD": Decimal("2.50")})
        assert s2.lead_time_cv == Decimal(0) and s2.score == Decimal("9.0")    # 30 % of spend x 30 %
        assert s3.lead_time_cv is None and s3.factors[1].measure is None       # no receipts: 0
        assert s3.score == Decimal("46.0")                                     # 100 x 40 % + 20 x 30 %

        single = single_source(s, company)
        assert [(r.product, r.supplier, r.in_catalogue, r.in_history) for r in single] == [
            ("INK", "S3", True, True), ("TAPE", "S1", False, True)]
        ink, tape_row = single
        assert (ink.price, ink.currency, ink.lead_time_days, ink.last_ordered) == (
            Decimal(5000), "KRW", 14, D(2026, 1, 6))
        assert (tape_row.price, tape_row.lead_time_days, tape_row.last_ordered) == (
            Decimal(1000),
            None,
            D(2026, 1, 5),
        )
        assert [r.product for r in single_source(s, company, supplier="S1")] == ["TAPE"]
        # a second supplier in the catalogue ends the single source
        set_supplier_product(s, company, "S2", "INK", price="5100", lead_time_days=9)
        assert [r.product for r in single_source(s, company)] == ["TAPE"]
        # the spend factor follows the period: February has no orders
        feb = {r.supplier: r for r in supplier_risk(s, company, start="2026-02-01", today=TODAY)}
        assert all(r.spend_share == 0 for r in feb.values())


def test_a_company_without_purchases_has_only_catalogue_risk(pdb):
    company = make_buying_company(pdb)
    make_buying_company(pdb, "EMPTY", catalogue=False)
    with pdb.session() as s:
        rows = {r.supplier: r for r in supplier_risk(s, get_company(s, "ACME"))}
        assert rows["S3"].score == Decimal("40.0") and rows["S1"].score == Decimal("0.0")
        assert supplier_risk(s, get_company(s, "EMPTY")) == []
        assert single_source(s, get_company(s, "EMPTY")) == []
        assert [r.product for r in single_source(s, get_company(s, company.code))] == ["INK"]


_codes = itertools.count(1)
purchases = st.lists(
    st.tuples(
        st.sampled_from(["S1", "S2", "S3"]),
        st.sampled_from(["PEN", "PAPER", "INK", "TAPE"]),
        st.integers(10, 40),
        st.integers(1, 30000),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=purchases)
def test_shares_add_up_and_scores_stay_in_range(pdb, plan):
    code = f"R{next(_codes)}"
    make_buying_company(pdb, code)
    with pdb.session() as s:
        company = get_company(s, code)
        for n, (supplier, sku, qty, price) in enumerate(plan):
            _order(s, company, supplier, sku, str(qty), str(price), D(2026, 1, 1) + dt.timedelta(days=n))
        rows = supplier_risk(s, company, today=TODAY)
        spent = sum(qty * price for _, _, qty, price in plan)
        assert sum(r.spend for r in rows) == spent
        assert abs(sum(r.spend_share for r in rows) - 100) <= Decimal("0.005") * len(rows)
        for r in rows:
            assert Decimal(0) <= r.score <= Decimal(100)
            assert all(Decimal(0) <= f.score <= Decimal(100) for f in r.factors)
            assert abs(r.score - sum(f.contribution for f in r.factors)) <= Decimal("0.06")
        # every single-source product has exactly one supplier among the rows' products
        single = single_source(s, company)
        assert sorted(p for r in rows for p in r.single_source_products) == sorted(r.product for r in single)

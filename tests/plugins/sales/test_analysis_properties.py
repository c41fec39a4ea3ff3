"""Properties of the analysis and the forecast on generated data: every
dimension's rows sum to the same grand total, each row matches a naive
line-by-line computation in Python, and the forecast matches a hand
computation over generated opportunities."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from core.catalog import create_party
from core.companies import get_company
from plugins.sales.analysis import DIMENSIONS, PERIODS, analyse
from plugins.sales.documents import Order, OrderLine
from plugins.sales.forecast import forecast
from plugins.sales.models import Opportunity
from plugins.sales.pipeline import DEFAULT_STAGES
from tests.plugins.sales.analysis_rows import (
    Sale,
    add_opportunity,
    add_sales,
    add_salespeople,
    naive,
    regions_of,
)
from tests.plugins.sales.conftest import make_sales_company

FIELDS = ("revenue", "costed_revenue", "cost")
days = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))


@st.composite
def lines(draw):
    quantity = draw(st.integers(1, 50))
    net = draw(st.integers(0, 10**9))
    cost = draw(st.one_of(st.none(), st.integers(0, 2 * 10**9)))
    delivered = draw(st.sampled_from([0, quantity, quantity - 1 if quantity > 1 else 0, quantity + 1]))
    return (draw(st.sampled_from(["PEN", "PAPER"])), quantity, net, cost, delivered)


@st.composite
def sales(draw):
    count = draw(st.integers(0, 14))
    return [
        Sale(
            f"SO{i:05d}",
            draw(st.sampled_from(["C1", "C2", "C3", "C4"])),
            draw(days),
            tuple(draw(st.lists(lines(), min_size=1, max_size=3))),
            draw(st.sampled_from(["draft", "sent", "confirmed", "done", "cancelled", "confirmed", "done"])),
            draw(st.sampled_from([None, "ann", "bob"])),
            draw(st.sampled_from([None, None, None, "USD"])),
        )
        for i in range(count)
    ]


@pytest.fixture
def acme(sdb):
    """ACME with C4 (no address) and the salespeople ann and bob; each example wipes its orders and deals."""
    company = make_sales_company(sdb)
    with sdb.session() as s:
        create_party(s, get_company(s, "ACME"), "C4", "Nowhere Trading")
    add_salespeople(sdb, "ACME", "ann", "bob")
    return company


def _wipe(sdb, company):
    with sdb.session() as s:
        s.execute(delete(OrderLine).where(OrderLine.company_id == company.id))
        s.execute(delete(Order).where(Order.company_id == company.id))
        s.execute(delete(Opportunity).where(Opportunity.company_id == company.id))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=sales(), start=st.one_of(st.none(), days), length=st.one_of(st.none(), st.integers(0, 400)),
       period=st.sampled_from(PERIODS))
def test_every_dimension_sums_to_the_grand_total_and_matches_a_naive_sum(
    sdb, acme, generated, start, length, period
):
    company = acme
    _wipe(sdb, company)
    add_sales(sdb, "ACME", generated)
    end = start + dt.timedelta(days=length) if start is not None and length is not None else None
    regions = regions_of(sdb, "ACME")
    expected_total = [sum(v[i] for v in naive(generated, "product", regions, start=start, end=end).values())
                      for i in range(3)]
    with sdb.session() as s:
        totals = set()
        for by in DIMENSIONS:
            result = analyse(s, company, by, start=start, end=end, period=period)
            want = naive(generated, by, regions, start=start, end=end, period=period)
            got = {r.key: (int(r.revenue), int(r.costed_revenue), int(r.cost)) for r in result.rows}
            assert got == want, by
            for field in FIELDS + ("margin",):
                assert sum((getattr(r, field) for r in result.rows), Decimal(0)) == getattr(
                    result.total, field
                )
            assert sum(r.lines for r in result.rows) == result.total.lines
            assert sum(r.costed_lines for r in result.rows) == result.total.costed_lines
            for r in result.rows:
                assert (
                    r.margin == r.costed_revenue - r.cost
                    and r.costed_lines <= r.lines
                    and r.orders <= r.lines
                )
            total = result.total
            totals.add(
                (total.orders, total.lines, total.revenue, total.costed_revenue, total.cost, total.margin)
            )
        assert len(totals) == 1
        assert [int(x) for x in list(totals)[0][2:5]] == expected_total
        counted = {
            sale.number
            for sale in generated
            if sale.state in ("confirmed", "done")
            and not sale.currency
            and (start is None or sale.day >= start)
            and (end is None or sale.day <= end)
        }
        assert list(totals)[0][0] == len(counted)


STAGES = [name for name, _p in DEFAULT_STAGES]
PROBABILITY = dict(DEFAULT_STAGES)


@st.composite
def opportunities(draw):
    return [(f"OP{i:05d}", draw(st.integers(0, 10**10)), draw(st.one_of(st.none(), days)),
             draw(st.sampled_from(STAGES)), draw(st.one_of(st.none(), st.integers(0, 100))),
             draw(st.sampled_from(["open", "open", "open", "won", "lost"])))
            for i in range(draw(st.integers(0, 15)))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=opportunities(), today=days)
def test_the_forecast_matches_a_hand_computation(sdb, acme, generated, today):
    company = acme
    _wipe(sdb, company)
    for number, expected, close, stage, probability, state in generated:
        add_opportunity(sdb, "ACME", number, expected, close, stage, probability, state)
    want: dict = defaultdict(lambda: [0, Decimal(0), Decimal(0), 0])
    for _number, expected, close, stage, probability, state in generated:
        if state != "open":
            continue
        month = None if close is None else max(close, today).replace(day=1)
        weight = Decimal(expected) * (PROBABILITY[stage] if probability is None else probability) / 100
        want[month][0] += 1
        want[month][1] += expected
        want[month][2] += weight
        want[month][3] += 1 if close is not None and close < today else 0
    with sdb.session() as s:
        result = forecast(s, company, today=today)
    got = {m.month: [m.opportunities, m.expected, m.weighted, m.overdue] for m in result.months}
    assert got == {k: v for k, v in want.items()}
    months = [m.month for m in result.months]
    assert months == sorted(m for m in months if m is not None) + ([None] if None in months else [])
    assert all(m is None or m >= today.replace(day=1) for m in months)
    assert result.weighted == sum((m.weighted for m in result.months), Decimal(0))
    assert result.expected == sum(v[1] for v in want.values())
    assert result.opportunities == sum(v[0] for v in want.values())

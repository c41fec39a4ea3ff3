"""Sales analysis, targets and the forecast on hand-computed examples: what
counts (confirmed and done orders in the company currency), the margin over
costed lines only, every dimension, the date range, targets against
actuals, the weighted forecast, and a company never seeing another's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.catalog import create_party
from core.companies import get_company
from core.errors import Invalid, NotFound
from plugins.sales.analysis import analyse, period_key
from plugins.sales.forecast import forecast
from plugins.sales.targets import list_targets, month_of, remove_target, set_target, targets_vs_actuals
from tests.plugins.sales.analysis_rows import Sale, add_opportunity, add_sales, add_salespeople
from tests.plugins.sales.conftest import make_sales_company

D = dt.date
SALES = [
    Sale(
        "SO1",
        "C1",
        D(2026, 1, 10),
        (("PEN", 10, 10_000, 3_000, 10), ("PAPER", 2, 50_000, 36_000, 2)),
        salesperson="ann",
    ),
    Sale("SO2", "C2", D(2026, 2, 5), (("PEN", 5, 6_000, None, 5),), state="done", salesperson="bob"),
    Sale(
        "SO3", "C2", D(2026, 4, 20), (("PAPER", 4, 100_000, 18_000, 1),), salesperson="ann"
    ),  # partly delivered
    Sale("SO4", "C3", D(2026, 2, 28), (("PEN", 1, 999, None, 0),), state="draft", salesperson="ann"),
    Sale("SO5", "C1", D(2026, 3, 1), (("PEN", 1, 5_000, None, 0),), state="cancelled"),
    Sale("SO6", "C3", D(2026, 3, 15), (("PEN", 20, 20_000, 6_000, 20),)),
    Sale("SO7", "C1", D(2026, 3, 20), (("PEN", 1, 1_500, None, 0),), currency="USD", salesperson="ann"),
    Sale("SO8", "C4", D(2026, 5, 2), (("PAPER", 1, 30_000, 20_000, 1),), salesperson="bob"),
]


@pytest.fixture
def shop(sdb):
    company = make_sales_company(sdb)
    with sdb.session() as s:
        create_party(s, get_company(s, "ACME"), "C4", "Nowhere Trading")  # no address: no region
    add_salespeople(sdb, "ACME", "ann", "bob")
    add_sales(sdb, "ACME", SALES)
    return sdb, company


def table(result):
    return [(r.key, r.orders, r.lines, r.revenue, r.costed_lines, r.costed_revenue, r.cost, r.margin,
             r.margin_percent) for r in result.rows]


def test_by_product_margin_only_over_costed_lines(shop):
    db, company = shop
    with db.session() as s:
        result = analyse(s, company, "product")
    assert result.currency == "KRW" and result.other_currencies == ("USD",)
    assert table(result) == [
        (
            "PAPER",
            3,
            3,
            Decimal(180_000),
            2,
            Decimal(80_000),
            Decimal(56_000),
            Decimal(24_000),
            Decimal("30.0"),
        ),
        ("PEN", 3, 3, Decimal(36_000), 2, Decimal(30_000), Decimal(9_000), Decimal(21_000), Decimal("70.0")),
    ]
    assert [r.name for r in result.rows] == ["A4 paper box", "Ballpoint pen"]
    t = result.total
    assert (
        t.orders,
        t.lines,
        t.revenue,
        t.costed_lines,
        t.costed_revenue,
        t.cost,
        t.margin,
        t.margin_percent,
    ) == (5, 6, Decimal(216_000), 4, Decimal(110_000), Decimal(65_000), Decimal(45_000), Decimal("40.9"))


def test_by_customer_region_and_salesperson(shop):
    db, company = shop
    with db.session() as s:
        customers = analyse(s, company, "customer")
        regions = analyse(s, company, "region")
        people = analyse(s, company, "salesperson")
    assert [(r.key, r.name, r.revenue, r.margin) for r in customers.rows] == [
        ("C2", "Busan Foods", 106_000, 0), ("C1", "Hanbit Retail", 60_000, 21_000),
        ("C4", "Nowhere Trading", 30_000, 10_000), ("C3", "Daegu Office", 20_000, 14_000)]
    assert [(r.key, r.revenue, r.orders) for r in regions.rows] == [
        ("Busan", 106_000, 2), ("Seoul", 60_000, 1), (None, 30_000, 1), ("Daegu", 20_000, 1)]
    assert [(r.key, r.name, r.revenue, r.costed_revenue) for r in people.rows] == [
        ("ann", "Ann", 160_000, 60_000), ("bob", "Bob", 36_000, 30_000), (None, "", 20_000, 20_000)]
    for result in (customers, regions, people):
        assert result.total.revenue == 216_000 and result.total.margin == 45_000


def test_by_period_months_quarters_years_and_a_date_range(shop):
    db, company = shop
    with db.session() as s:
        months = analyse(s, company, "period")
        quarters = analyse(s, company, "period", period="quarter")
        years = analyse(s, company, "period", period="year")
        spring = analyse(s, company, "period", start="2026-02-01", end=D(2026, 3, 31))
        usd = analyse(s, company, "product", currency="usd")
    assert [(r.key, r.revenue) for r in months.rows] == [
        ("2026-01", 60_000),
        ("2026-02", 6_000),
        ("2026-03", 20_000),
        ("2026-04", 100_000),
        ("2026-05", 30_000),
    ]
    assert [(r.key, r.revenue, r.orders) for r in quarters.rows] == [
        ("2026-Q1", 86_000, 3),
        ("2026-Q2", 130_000, 2),
    ]
    assert [(r.key, r.revenue, r.margin) for r in years.rows] == [("2026", 216_000, 45_000)]
    assert [(r.key, r.revenue) for r in spring.rows] == [("2026-02", 6_000), ("2026-03", 20_000)]
    assert (spring.start, spring.end, spring.total.revenue) == (D(2026, 2, 1), D(2026, 3, 31), 26_000)
    assert [(r.key, r.revenue) for r in usd.rows] == [("PEN", Decimal("15.00"))]
    assert usd.other_currencies == ("KRW",) and usd.total.margin_percent is None


def test_period_keys():
    assert period_key(D(2026, 12, 31), "month") == "2026-12"
    assert period_key(D(2026, 12, 31), "quarter") == "2026-Q4"
    assert period_key(D(2026, 4, 1), "quarter") == "2026-Q2"
    assert period_key(D(2026, 3, 31), "year") == "2026"


@pytest.mark.parametrize("options, message", [
    ({"by": "colour"}, "analyse by one of"), ({"by": "period", "period": "week"}, "period must be one of"),
    ({"by": "product", "start": "2026-13-01"}, "malformed date"),
    ({"by": "product", "start": "2026-03-01", "end": "2026-02-01"}, "after it ends"),
    ({"by": "product", "currency": "XYZ"}, "unknown currency"),
])
def test_bad_requests_are_refused_with_one_message(sdb, options, message):
    company = make_sales_company(sdb)
    with sdb.session() as s, pytest.raises(Invalid, match=message):
        analyse(s, company, **options)


def test_nothing_sold_is_all_zero(sdb):
    company = make_sales_company(sdb)
    with sdb.session() as s:
        result = analyse(s, company, "customer")
    assert result.rows == () and result.total.revenue == 0 and result.total.margin_percent is None


def test_targets_against_actuals(shop):
    db, company = shop
    with db.session() as s:
        set_target(s, company, "ann", "2026-01", "50,000")
        set_target(s, company, "ann", "2026-02", 100_000)
        set_target(s, company, "bob", "2026-05-17", "0")
        set_target(s, company, "bob", "2026-06", "70000")
        set_target(s, company, "ann", "2026-02", "80000")  # replaces
    with db.session() as s:
        assert [(t.user, t.month, t.amount) for t in list_targets(s, company)] == [
            ("ann", D(2026, 1, 1), 50_000), ("ann", D(2026, 2, 1), 80_000), ("bob", D(2026, 5, 1), 0),
            ("bob", D(2026, 6, 1), 70_000)]
        assert len(list_targets(s, company, start="2026-02", end="2026-05", username="bob")) == 1
        rows = targets_vs_actuals(s, company, "2026-01", "2026-06")
        assert [(a.month.month, a.user, a.target, a.actual, a.attainment) for a in rows] == [
            (1, "ann", 50_000, 60_000, Decimal("120.0")),
            (2, "ann", 80_000, 0, Decimal("0.0")),
            (2, "bob", None, 6_000, None),
            (4, "ann", None, 100_000, None),
            (5, "bob", 0, 30_000, None),
            (6, "bob", 70_000, 0, Decimal("0.0"))]
        assert [
            a.month.month for a in targets_vs_actuals(s, company, "2026-02", "2026-02", username="bob")
        ] == [2]
        remove_target(s, company, "bob", "2026-06")
        assert [t.month.month for t in list_targets(s, company, username="bob")] == [5]


@pytest.mark.parametrize("call, error, message", [
    (lambda s, c: set_target(s, c, "zed", "2026-01", "1"), NotFound, "unknown salesperson 'zed'"),
    (lambda s, c: set_target(s, c, "ann", "2026-13", "1"), Invalid, "malformed month"),
    (lambda s, c: set_target(s, c, "ann", "March", "1"), Invalid, "malformed month"),
    (lambda s, c: set_target(s, c, "ann", "2026-02-30", "1"), Invalid, "malformed date"),
    (lambda s, c: set_target(s, c, "ann", "2026-01", "-5"), Invalid, "must not be negative"),
    (lambda s, c: set_target(s, c, "ann", "2026-01", "1.5"), Invalid, "more than 0 decimal places"),
    (lambda s, c: set_target(s, c, "ann", "2026-01", "lots"), Invalid, "malformed amount"),
    (lambda s, c: remove_target(s, c, "ann", "2026-01"), NotFound, "no target for 2026-01"),
    (lambda s, c: targets_vs_actuals(s, c, "2026-05", "2026-01"), Invalid, "the first is after the last"),
    (lambda s, c: targets_vs_actuals(s, c, "2000-01", "2026-01"), Invalid, "at most 120 months"),
])
def test_bad_targets_are_refused_and_write_nothing(shop, call, error, message):
    db, company = shop
    with db.session() as s, pytest.raises(error, match=message):
        call(s, company)
    with db.session() as s:
        assert list_targets(s, company) == []


def test_the_weighted_forecast_by_month(shop):
    db, company = shop
    add_opportunity(db, "ACME", "OP1", 1_000_000, D(2026, 3, 25), "New", owner="ann")   # 10 %
    add_opportunity(db, "ACME", "OP2", 500_000, D(2026, 2, 1), "Proposal", 80)       # overdue, own 80 %
    add_opportunity(db, "ACME", "OP3", 333, D(2026, 5, 5), "Negotiation", owner="ann")  # 75 %
    add_opportunity(db, "ACME", "OP4", 9_000_000, D(2026, 4, 1), "Proposal", state="won")
    add_opportunity(db, "ACME", "OP5", 9_000_000, D(2026, 4, 1), "Proposal", state="lost")
    add_opportunity(db, "ACME", "OP6", 40_000, None, "Qualified")                    # 25 %, no date
    with db.session() as s:
        result = forecast(s, company, today=D(2026, 3, 10))
        mine = forecast(s, company, today="2026-03-10", owner="ann")
    assert [(m.month, m.opportunities, m.expected, m.weighted, m.overdue) for m in result.months] == [
        (D(2026, 3, 1), 2, 1_500_000, Decimal(500_000), 1), (D(2026, 5, 1), 1, 333, Decimal("249.75"), 0),
        (None, 1, 40_000, Decimal(10_000), 0)]
    assert (result.opportunities, result.expected, result.weighted) == (4, 1_540_333, Decimal("510249.75"))
    assert str(result.weighted) == "510249.75"
    assert [(m.month, m.weighted) for m in mine.months] == [(D(2026, 3, 1), 100_000),
                                                            (D(2026, 5, 1), Decimal("249.75"))]
    with db.session() as s, pytest.raises(NotFound, match="unknown salesperson"):
        forecast(s, company, owner="zed")


def test_a_company_sees_only_its_own_sales_targets_and_pipeline(shop):
    db, acme = shop
    other = make_sales_company(db, "OTHER")
    add_salespeople(db, "OTHER", "ann")
    add_sales(db, "OTHER", [Sale("SO1", "C1", D(2026, 1, 10), (("PEN", 1, 777, 1, 1),), salesperson="ann")])
    add_opportunity(db, "OTHER", "OP1", 10_000, D(2026, 3, 25))
    with db.session() as s:
        set_target(s, other, "ann", "2026-01", "5")
        for by in ("product", "customer", "region", "salesperson", "period"):
            assert analyse(s, acme, by).total.revenue == 216_000
            assert analyse(s, other, by).total.revenue == 777
        assert list_targets(s, acme) == []
        assert [(a.target, a.actual) for a in targets_vs_actuals(s, other, "2026-01", "2026-01")] == [
            (5, 777)
        ]
        assert [(a.target, a.actual) for a in targets_vs_actuals(s, acme, "2026-01", "2026-01")] == [
            (None, 60_000)
        ]
        assert forecast(s, acme, today=D(2026, 3, 1)).opportunities == 0
        assert forecast(s, other, today=D(2026, 3, 1)).weighted == 1_000
        with pytest.raises(NotFound, match="not a member"):
            set_target(s, other, "bob", "2026-01", "5")  # bob works for ACME only


def test_month_of():
    assert month_of("2026-03") == month_of("2026-03-31") == month_of(D(2026, 3, 9)) == D(2026, 3, 1)


def test_the_analysis_works_beside_any_partner(combo):
    db, company, plugins = combo
    add_salespeople(db, "ACME", "ann", "bob")
    add_sales(db, "ACME", [s for s in SALES if s.customer != "C4"])
    add_opportunity(db, "ACME", "OP1", 1_000, D(2026, 3, 25), "Proposal")
    with db.session() as s:
        set_target(s, company, "ann", "2026-01", "1000")
        assert analyse(s, company, "region").total.revenue == 186_000
        assert [a.attainment for a in targets_vs_actuals(s, company, "2026-01", "2026-01")] == [
            Decimal("6000.0")
        ]
        assert forecast(s, company, today=D(2026, 3, 1)).weighted == 500


def test_the_demo_sets_targets_near_what_each_salesperson_sold(sdb):
    from plugins.sales.analysis_demo import analysis_demo_data, round_target

    company = make_sales_company(sdb)
    add_salespeople(sdb, "ACME", "ann", "bob")
    this_month = dt.date.today().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    add_sales(
        sdb,
        "ACME",
        [
            Sale("SO1", "C1", last_month, (("PEN", 1, 60_000, None, 0),), salesperson="ann"),
            Sale("SO2", "C2", this_month, (("PEN", 1, 100_000, None, 0),), salesperson="ann"),
        ],
    )
    runs = []
    for _ in range(2):
        with sdb.session() as s:
            analysis_demo_data(s, company, lambda _text: None)
            runs.append([(t.user, t.month, t.amount) for t in list_targets(s, company)])
    assert runs[0] == runs[1] and len(runs[0]) == 14
    assert {user for user, _m, _a in runs[0]} == {"ann"}  # bob sold nothing: no target to aim at
    assert all(
        Decimal(72_000) <= amount <= Decimal(96_000) and amount % 1000 == 0 for _u, _m, amount in runs[0]
    )
    assert runs[0][-1][1] > this_month
    assert [round_target(Decimal(x)) for x in ("1234567", "99", "0", "100.5")] == [1_300_000, 99, 0, 110]

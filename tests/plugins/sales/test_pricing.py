"""Price lists: tiers, discounts, which list applies; credit terms; a plugin manager with sales alone."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.errors import Invalid, NotFound
from plugins.sales import api
from plugins.sales.customers import set_terms
from plugins.sales.documents import Order
from plugins.sales.fulfilment import deliver
from plugins.sales.order_values import net_units, part_of
from plugins.sales.orders import LineSpec, add_line, confirm, create_quotation, remove_line
from plugins.sales.pricing import create_price_list, set_price
from plugins.sales.settings import update_settings
from tests.plugins.sales.conftest import make_sales_company
from tests.plugins.sales.orders_common import sales_only_db


@pytest.fixture
def only_sales(db):
    return sales_only_db(db)


def test_tiers_discounts_and_which_list_applies(sdb):
    company = make_sales_company(sdb)
    with sdb.session() as s:
        create_price_list(s, company, "RETAIL", "Retail")
        create_price_list(s, company, "VIP", "Key accounts")
        set_price(s, company, "RETAIL", "PEN", "1200")
        set_price(s, company, "RETAIL", "PEN", "1000", min_quantity="100", discount_percent="5")
        set_price(s, company, "VIP", "PEN", "900")
        update_settings(s, company, price_list="RETAIL")
        set_terms(s, company, "C2", price_list="VIP")
        small = create_quotation(s, company, "C1", [LineSpec("PEN", "10")])
        big = create_quotation(s, company, "C1", [LineSpec("PEN", "150")])
        vip = create_quotation(s, company, "C2", [LineSpec("PEN", "10")])
        given = create_quotation(s, company, "C2", [LineSpec("PEN", "10", "700", discount="12.5")])
        assert [
            (l.price_units, l.discount_bp, l.net_units) for o in (small, big, vip, given) for l in o.lines
        ] == [(1200, 0, 12000), (1000, 500, 142500), (900, 0, 9000), (700, 1250, 6125)]
        with pytest.raises(Invalid, match="no price"):
            create_quotation(s, company, "C1", [LineSpec("PAPER", "1")])
        order = add_line(s, company, small.number, LineSpec("PAPER", "1", "30000"))
        assert order.untaxed_units == 42000
        order = remove_line(s, company, small.number, 1)
        assert order.untaxed_units == 30000 and [l.position for l in order.lines] == [2]


@pytest.mark.parametrize("bad", ["-1", "1.5", "abc", "1e400"])
def test_malformed_amounts_are_refused(sdb, bad):
    company = make_sales_company(sdb)
    with sdb.session() as s:
        with pytest.raises(Invalid):
            create_quotation(s, company, "C1", [LineSpec("PEN", "1", bad)])
        with pytest.raises(Invalid):
            set_terms(s, company, "C1", credit_limit=bad)


def test_net_is_rounded_half_up():
    assert net_units(3, 0, 333, 5000) == 500  # 499.5 -> 500
    assert net_units(1500, 3, 999, 0) == 1499  # 1.5 kg at 999 = 1498.5 -> 1499
    assert net_units(7, 0, 100, 10000) == 0


def test_companies_never_see_each_others_orders(sdb):
    a = make_sales_company(sdb, "A")
    b = make_sales_company(sdb, "B")
    with sdb.session() as s:
        number = create_quotation(s, a, "C1", [LineSpec("PEN", "1", "10")]).number
        with pytest.raises(NotFound):
            api.order(s, b, number)
        assert api.orders_of_party(s, b, "C1") == []
        assert [o.number for o in api.orders_of_party(s, a, "C1")] == [number]


def test_sales_registered_alone_never_reaches_for_partners(only_sales):
    company = make_sales_company(only_sales, plugins=("sales",))
    with only_sales.session() as s:
        set_terms(s, company, "C1", credit_limit="100000")
        number = create_quotation(
            s, company, "C1", [LineSpec("PEN", "3", "1000")], date=dt.date.today()
        ).number
        confirm(s, company, number)
        deliver(s, company, number)
        record = api.order(s, company, number)
        assert (record.state, record.delivery_state, record.invoice_state) == ("done", "full", "nothing")
        assert s.scalar(select(Order.untaxed_units)) == 3000


@settings(max_examples=300, deadline=None)
@given(
    units=st.integers(1, 10**7),
    qscale=st.integers(0, 3),
    price=st.integers(0, 10**7),
    bp=st.integers(0, 10000),
)
def test_net_is_the_exact_amount_rounded_half_up(units, qscale, price, bp):
    exact = Decimal(units).scaleb(-qscale) * price * (10000 - bp) / 10000
    assert net_units(units, qscale, price, bp) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 10**9), parts=st.lists(st.integers(1, 1000), min_size=1, max_size=6))
def test_shares_taken_in_turn_add_up_to_the_total(total, parts):
    """How a delivery's value is spread over order lines of one product: nothing lost, nothing made up."""
    left, whole, taken = total, sum(parts), []
    for part in parts:
        share = part_of(left, part, whole)
        taken.append(share)
        left, whole = left - share, whole - part
    assert sum(taken) == total and all(t >= 0 for t in taken)

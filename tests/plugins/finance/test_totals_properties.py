"""Properties of document totals: for random lines, discounts, taxes and
currencies the total is the sum of the lines, every amount sits on its
currency's scale, and every posted transaction balances exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core import ledger
from core.errors import Invalid
from core.models import Company
from core.values import from_units
from plugins.finance.company_setup import settings_of
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.rates import set_rate, to_company_units
from plugins.finance.taxes import TaxableLine, TaxRate, compute
from plugins.finance.values import round_money, scale_of
from tests.plugins.finance.conftest import assert_books_sound, make_books

CURRENCIES = ["KRW", "USD", "KWD", "JPY"]
TAX_SETS = [(), ("VAT10-S",), ("VAT10-SI",), ("VAT0-S",), ("VAT10-S", "VAT0-S"), ("VAT10-SI", "VAT10-S")]

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(5000), places=3)
prices = st.decimals(min_value=Decimal("-50000"), max_value=Decimal("2000000"), places=4)
discounts = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)
lines = st.lists(st.builds(lambda q, p, d, t: LineInput("Line", p, q, discount=d, taxes=t),
                           quantities, prices, discounts, st.sampled_from(TAX_SETS)), min_size=1, max_size=8)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("5000"), places=4)


def _on_scale(value: Decimal, scale: int) -> bool:
    return round_money(value, scale) == value


@settings(max_examples=200, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal(-(10**9)), max_value=Decimal(10**9), places=6),
    taxes=st.lists(
        st.tuples(st.decimals(min_value=Decimal(0), max_value=Decimal(30), places=2), st.booleans()),
        max_size=3,
    ),
    scale=st.sampled_from([0, 2, 3]),
)
def test_the_tax_method_rounds_every_amount_and_loses_nothing(amount, taxes, scale):
    line = TaxableLine(
        amount, tuple(TaxRate(f"T{i}", rate, included) for i, (rate, included) in enumerate(taxes))
    )
    result = compute((line,), scale)
    (computed,) = result.lines
    assert all(_on_scale(v, scale) for v in (computed.net, *computed.taxes, result.rounding))
    if any(t.included for t in line.taxes):
        # Price-included: net, included taxes and the rounding line make up the rounded gross exactly.
        inside = sum((a for a, t in zip(computed.taxes, line.taxes) if t.included), Decimal(0))
        assert computed.net + inside + result.rounding == round_money(amount, scale)
    else:
        assert computed.net == round_money(amount, scale) and result.rounding == 0


def _company(fdb):
    """One company for all examples (hypothesis reuses the function's database)."""
    with fdb.session() as s:
        found = s.scalar(select(Company).where(Company.code == "PROP"))
    return found or make_books(fdb, "PROP")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batch=st.lists(
        st.tuples(lines, st.sampled_from(CURRENCIES), rates, st.sampled_from(["invoice", "bill"])),
        min_size=1,
        max_size=4,
    ),
    cash_rounding=st.sampled_from([0, 10]),
)
def test_random_documents_total_their_lines_and_post_balanced(fdb, batch, cash_rounding):
    company = _company(fdb)
    with fdb.session() as s:
        settings_of(s, company).cash_rounding = cash_rounding
        for given_lines, currency, rate, kind in batch:
            if currency != company.currency:
                set_rate(s, company, currency, dt.date(2026, 1, 1), rate)
            if kind == "bill":  # the same lines with the purchase side's taxes
                given_lines = [attrs.evolve(line, taxes=PURCHASE_TAXES[line.taxes]) for line in given_lines]
            doc = create_invoice(
                s,
                company,
                kind,
                "C1" if kind == "invoice" else "S1",
                "2026-02-01",
                given_lines,
                currency=currency,
            )
            assert doc.total_units == doc.untaxed_units + doc.tax_units + doc.rounding_units
            assert doc.untaxed_units == sum(line.net_units for line in doc.lines)
            assert doc.tax_units == sum(lt.amount_units for line in doc.lines for lt in line.taxes)
            assert all(line.tax_units == sum(lt.amount_units for lt in line.taxes) for line in doc.lines)
            if currency == "KRW" and cash_rounding:
                assert doc.total_units % cash_rounding == 0
            worth = to_company_units(doc.total_units, currency, doc.rate_units, company)
            if doc.total_units <= 0 or worth <= 0:
                with pytest.raises(Invalid):
                    with s.begin_nested():
                        post_invoice(s, company, doc)
                continue
            post_invoice(s, company, doc)
            posted = ledger.load(s, company, doc.transaction_id)
            company_scale = scale_of(company.currency)
            assert sum(leg.amount for leg in posted.legs) == 0
            assert all(_on_scale(leg.amount, company_scale) for leg in posted.legs)
            assert doc.total_company == worth  # the total converts as a whole
            partner = [leg for leg in posted.legs if leg.account in ("108", "251")]
            assert len(partner) == 1 and abs(partner[0].amount) == from_units(worth, company_scale)
        assert_books_sound(s, company)


PURCHASE_TAXES = {(): (), ("VAT10-S",): ("VAT10-P",), ("VAT10-SI",): ("VAT10-P",), ("VAT0-S",): (),
                  ("VAT10-S", "VAT0-S"): ("VAT10-P",), ("VAT10-SI", "VAT10-S"): ("VAT10-P",)}

"""Exact amounts: the two doors between Decimal and integer units (core.values)."""

from __future__ import annotations

import time
from decimal import Context, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Invalid
from core.values import MAX_UNITS, from_units, normalise, to_units

WIDE = Context(prec=1000)  # builds test inputs without rounding
IN_RANGE = st.integers(-MAX_UNITS, MAX_UNITS)  # what one posting may carry


def written(exact: Decimal, scale: int, pad: int, form: str) -> Decimal | str:
    """``exact`` with ``pad`` trailing zeros beyond the scale, as a Decimal,
    as text, or normalised (which may give a positive exponent: 1.5E+3)."""
    amount = exact.quantize(Decimal(1).scaleb(-(scale + pad)), context=WIDE)
    if form == "text":
        return str(amount)
    if form == "normalised":
        return amount.normalize(context=WIDE)
    return amount


@given(scale=st.integers(0, 9), units=IN_RANGE, pad=st.integers(0, 40),
       form=st.sampled_from(["decimal", "text", "normalised"]))
def test_to_units_and_from_units_round_trip(scale, units, pad, form):
    exact = Decimal(units).scaleb(-scale, context=WIDE)
    # Trailing zeros beyond the scale are not places ("1.50" is fine at scale 1),
    # however many digits that makes (Decimal's default context rounds past 28).
    amount = written(exact, scale, pad, form)
    assert to_units(amount, scale) == units
    assert normalise(amount, scale) == (units, exact) and normalise(amount, scale)[1].as_tuple().exponent == -scale
    back = from_units(units, scale)
    assert back == exact and back.as_tuple().exponent == -scale
    assert to_units(back, scale) == units


@given(scale=st.integers(0, 9), units=IN_RANGE, extra=st.integers(1, 3), pad=st.integers(0, 20), data=st.data())
def test_amounts_finer_than_the_scale_are_refused(scale, units, extra, pad, data):
    rest = data.draw(st.integers(1, 10**extra - 1))  # a non-zero digit beyond the scale
    fine = units * 10**extra + (rest if units >= 0 else -rest)
    amount = Decimal(fine).scaleb(-(scale + extra), context=WIDE)
    amount = written(amount, scale + extra, pad, data.draw(st.sampled_from(["decimal", "text"])))
    with pytest.raises(Invalid, match=f"more than {scale} decimal places"):
        to_units(amount, scale)


@given(scale=st.integers(0, 9), units=st.integers(MAX_UNITS + 1, 10**60), negative=st.booleans(),
       pad=st.integers(0, 20), form=st.sampled_from(["decimal", "text", "normalised"]))
def test_amounts_beyond_max_units_are_refused_never_rounded(scale, units, negative, pad, form):
    exact = Decimal(-units if negative else units).scaleb(-scale, context=WIDE)
    with pytest.raises(Invalid, match="too large"):
        to_units(written(exact, scale, pad, form), scale)


def test_a_huge_exponent_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(Invalid, match="too large"):
        to_units(Decimal("1E+1000000"), 2)
    assert time.perf_counter() - start < 0.02



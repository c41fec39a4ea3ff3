"""Exact amounts: the two doors between Decimal and integer units (core.values)."""

from __future__ import annotations

import time
from decimal import Context, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Invalid
from core.values import (
    MAX_ID,
    MAX_UNITS,
    as_id,
    from_units,
    normalise,
    parse_amount,
    parse_whole,
    plain,
    to_units,
)

WIDE = Context(prec=1000)  # builds test inputs without rounding
IN_RANGE = st.integers(-MAX_UNITS, MAX_UNITS)  # what one posting may carry


def written(exact: Decimal, scale: int, pad: int, form: str) -> Decimal | str:
    """``exact`` with ``pad`` trailing zeros beyond the scale, as a Decimal,
    as text as Jangbu writes it (``plain``: never an exponent), or normalised
    (which may give a positive exponent: 1.5E+3)."""
    amount = exact.quantize(Decimal(1).scaleb(-(scale + pad)), context=WIDE)
    if form == "text":
        return plain(amount)
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
    assert (
        normalise(amount, scale) == (units, exact)
        and normalise(amount, scale)[1].as_tuple().exponent == -scale
    )
    back = from_units(units, scale)
    assert back == exact and back.as_tuple().exponent == -scale
    assert to_units(back, scale) == units


@given(
    scale=st.integers(0, 9), units=IN_RANGE, extra=st.integers(1, 3), pad=st.integers(0, 20), data=st.data()
)
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




# -- what Jangbu writes it reads back; what a person writes is read one way only ------------------

@given(units=st.integers(-MAX_UNITS, MAX_UNITS), scale=st.integers(0, 9), normalised=st.booleans())
def test_every_amount_jangbu_writes_as_text_is_read_back_exactly(units, scale, normalised):
    amount = from_units(units, scale)
    amount = amount.normalize(context=WIDE) if normalised else amount  # 1E+3, 1E-9: Decimal's own exponents
    assert "E" not in plain(amount) and parse_amount(plain(amount)) == amount


@pytest.mark.parametrize(
    "text", ["1e3", "1E+3", "2.5e-2", "1,000e1", "١٢٣", "１２", "1_000", "Infinity", "NaN", ""]
)
def test_an_amount_in_text_has_no_exponent_and_ascii_digits_only(text):
    with pytest.raises(Invalid, match="malformed amount"):
        parse_amount(text)


@given(st.integers(1, MAX_ID))
def test_every_id_in_range_reads_as_itself(number):
    assert as_id(str(number)) == number == as_id(number)


@given(st.text(max_size=25))
def test_text_names_an_id_only_in_its_one_spelling(text):
    number = as_id(text)
    assert number is None or str(number) == text.strip()


@pytest.mark.parametrize("text", ["0", "007", "-1", "+1", "1.0", "١٢٣", "１２", "1_0", "abc", str(MAX_ID + 1),
                                  "99999999999999999999", "9" * 5000, ""])
def test_no_row_has_these_ids(text):
    assert as_id(text) is None


@given(low=st.integers(-10**6, 10**6), span=st.integers(0, 10**6), number=st.integers(-3 * 10**6, 3 * 10**6))
def test_a_whole_number_is_read_within_its_range_only(low, span, number):
    high = low + span
    if low <= number <= high:
        assert (
            parse_whole(str(number), "n", low, high) == number == parse_whole(f" {number} ", "n", low, high)
        )
    else:
        with pytest.raises(Invalid, match=f"n must be a whole number from {low} to {high}"):
            parse_whole(str(number), "n", low, high)


@pytest.mark.parametrize("text", ["١٢٣", "１２", "1_000", "1e3", "1.0", "", "9" * 5000, True])
def test_a_whole_number_is_ascii_digits(text):
    with pytest.raises(Invalid, match="must be a whole number"):
        parse_whole(text, "limit", 0, 10**30)

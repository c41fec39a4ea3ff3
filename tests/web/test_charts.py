"""Inline SVG charts: well-formed, escaped, proportional, and never dividing by zero."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from core.contributions import Widget
from web.charts import PALETTE, Series, bar_chart, format_plain, hbar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.05  # geometry is written with two decimals


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    return root


def of_class(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if css in (e.get("class") or "").split()]


def bars(root: ET.Element) -> list[ET.Element]:
    return of_class(root, "rect", "chart-bar")


def box(rect: ET.Element) -> tuple[float, float, float, float]:
    return tuple(float(rect.get(name)) for name in ("x", "y", "width", "height"))  # type: ignore[return-value]


def tooltip(element: ET.Element) -> str:
    return element.find(f"{SVG}title").text


def baseline_y(root: ET.Element) -> float:
    (line,) = of_class(root, "line", "chart-baseline")
    assert line.get("y1") == line.get("y2")
    return float(line.get("y1"))


def tick_values(root: ET.Element) -> list[Decimal]:
    return [Decimal(t.text.replace(",", "")) for t in of_class(root, "text", "chart-tick")]


def texts(root: ET.Element) -> list[str]:
    return [e.text for e in root.iter(f"{SVG}text")]


def two_series() -> list[Series]:
    return [Series("Revenue", [Decimal("120.50"), 300, 80]), Series("Expenses", [Decimal(90), 150, 200])]


# -- Series -------------------------------------------------------------------


def test_series_converts_to_a_tuple_of_decimals():
    series = Series("x", (v for v in [1, Decimal("2.50")]))
    assert series.values == (Decimal(1), Decimal("2.50"))
    assert all(type(v) is Decimal for v in series.values)
    assert series.color is None


@pytest.mark.parametrize("values", [[1.5], [Decimal(1), 2.0], [True], ["3"], [None]])
def test_series_refuses_floats_and_other_non_numbers(values):
    with pytest.raises(TypeError):
        Series("x", values)


def test_series_refuses_nan_and_infinity():
    with pytest.raises(ValueError):
        Series("x", [Decimal("NaN")])
    with pytest.raises(ValueError):
        Series("x", [Decimal("Infinity")])


def test_series_colour_must_be_a_colour():
    assert Series("x", [1], color="#0f766e").color == "#0f766e"
    with pytest.raises(ValueError):
        Series("x", [1], color='red" onload="alert(1)')


# -- the SVG itself -----------------------------------------------------------


@pytest.mark.parametrize("chart", [
    lambda: bar_chart(["Jan", "Feb", "Mar"], two_series(), title="Revenue vs expenses"),
    lambda: line_chart(["Jan", "Feb", "Mar"], two_series(), title="Revenue vs expenses"),
    lambda: hbar_chart([("Acme", Decimal(5)), ("Globex", Decimal(3))], title="Revenue vs expenses"),
    lambda: bar_chart([], [], title="Revenue vs expenses"),
])
def test_svg_is_accessible_and_scales(chart):
    root = parse(chart())
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Revenue vs expenses"
    assert root.find(f"{SVG}title").text == "Revenue vs expenses"
    assert root.get("width") == "100%"
    assert [float(n) for n in root.get("viewBox").split()][:3] == [0, 0, 600]
    assert "chart" in root.get("class").split()


def test_a_chart_is_a_widget_body():
    chart = bar_chart(["Jan"], [Series("Revenue", [1])], title="Revenue")
    widget = Widget(title="Revenue", html=chart, permission="ledger.read")
    assert widget.html.__html__() == str(chart)


def test_every_text_is_escaped():
    nasty = "<script>alert('x')</script> & co"
    series = [Series(nasty, [1, 2]), Series("R&D", [3, 4])]
    for chart in (bar_chart([nasty, "Feb"], series, title=f"P&L {nasty}"),
                  line_chart([nasty, "Feb"], series, title=f"P&L {nasty}"),
                  hbar_chart([(nasty, Decimal(1)), ("R&D", Decimal(2))], title=f"P&L {nasty}"),
                  bar_chart([], [], title=f"P&L {nasty}")):
        assert "<script>" not in chart and "& " not in chart
        root = parse(chart)
        assert root.get("aria-label") == f"P&L {nasty}"
    root = parse(bar_chart([nasty, "Feb"], series, title="t", format_value=lambda v: f"<{v}>&"))
    assert nasty in texts(root) and "R&D" in texts(root)
    assert tooltip(bars(root)[0]) == f"{nasty} · {nasty}: <1>&"


# -- bar_chart ----------------------------------------------------------------


def test_one_bar_per_label_and_series():
    root = parse(bar_chart(["Jan", "Feb", "Mar"], two_series(), title="t"))
    assert len(bars(root)) == 3 * 2
    assert [r.get("fill") for r in bars(root)[:2]] == [PALETTE[0], PALETTE[1]]


def test_bar_heights_are_proportional_to_values():
    root = parse(bar_chart(["a", "b", "c"], [Series("s", [Decimal("12.5"), 25, Decimal("37.5")])], title="t"))
    heights = [box(r)[3] for r in bars(root)]
    assert heights[1] == pytest.approx(2 * heights[0], abs=TOLERANCE)
    assert heights[2] == pytest.approx(3 * heights[0], abs=TOLERANCE)
    zero = baseline_y(root)
    for rect in bars(root):  # positive bars stand on the baseline
        x, y, w, h = box(rect)
        assert y + h == pytest.approx(zero, abs=TOLERANCE)


def test_negative_bars_hang_below_the_baseline():
    root = parse(bar_chart(["profit", "loss"], [Series("result", [50, -25])], title="t"))
    zero = baseline_y(root)
    (_, up_y, _, up_h), (_, down_y, _, down_h) = (box(r) for r in bars(root))
    assert up_y < zero and up_y + up_h == pytest.approx(zero, abs=TOLERANCE)
    assert down_y == pytest.approx(zero, abs=TOLERANCE) and down_h > 0
    assert up_h == pytest.approx(2 * down_h, abs=TOLERANCE)
    assert min(tick_values(root)) <= -25


def test_each_bar_has_a_tooltip():
    root = parse(bar_chart(["Jan", "Feb", "Mar"], two_series(), title="t",
                           format_value=lambda v: f"₩{v:,.0f}"))
    assert [tooltip(r) for r in bars(root)][:2] == ["Jan · Revenue: ₩120", "Jan · Expenses: ₩90"]
    assert "₩300" in texts(root)  # tick labels use the formatter too


def test_legend_only_with_two_or_more_series():
    one = parse(bar_chart(["Jan"], [Series("Revenue", [1])], title="t"))
    assert of_class(one, "g", "chart-legend") == []
    (legend,) = of_class(
        parse(bar_chart(["Jan", "Feb", "Mar"], two_series(), title="t")), "g", "chart-legend"
    )
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["Revenue", "Expenses"]
    assert [r.get("fill") for r in legend.iter(f"{SVG}rect")] == [PALETTE[0], PALETTE[1]]


def test_series_colour_is_used():
    root = parse(bar_chart(["Jan"], [Series("Revenue", [1], color="#123456")], title="t"))
    assert bars(root)[0].get("fill") == "#123456"


@pytest.mark.parametrize("labels, series", [
    ([], []),
    (["Jan", "Feb"], []),
    (["Jan", "Feb"], [Series("s", [0, 0]), Series("t", [Decimal("0.00"), Decimal("-0")])]),
])
def test_empty_charts_say_no_data(labels, series):
    for chart in (bar_chart, line_chart):
        root = parse(chart(labels, series, title="t"))
        assert "No data" in texts(root)
        assert bars(root) == [] and of_class(root, "polyline", "chart-line") == []


@pytest.mark.parametrize("chart", [bar_chart, line_chart])
def test_series_must_match_the_labels(chart):
    with pytest.raises(ValueError, match="3 values for 2 labels"):
        chart(["Jan", "Feb"], [Series("s", [1, 2, 3])], title="t")
    with pytest.raises(ValueError):
        chart([], [Series("s", [1])], title="t")


def test_ticks_cover_the_values_in_the_svg():
    root = parse(bar_chart(["a", "b"], [Series("s", [Decimal("1234.56"), 77])], title="t"))
    ticks = tick_values(root)
    assert ticks[0] == 0 and ticks[-1] >= Decimal("1234.56")
    assert_nice(ticks)
    assert len(of_class(root, "line", "chart-grid")) == len(ticks)


# -- nice_ticks -----------------------------------------------------------------


def assert_nice(ticks) -> None:
    assert len(ticks) >= 2
    step = ticks[1] - ticks[0]
    assert step.normalize().as_tuple().digits in {(1,), (2,), (5,)}
    for tick in ticks:
        assert (tick / step) == (tick / step).to_integral_value()
    assert all(b - a == step for a, b in zip(ticks, ticks[1:]))


@pytest.mark.parametrize("lo, hi, expected", [
    ("0", "1234", ["0", "500", "1,000", "1,500"]),
    ("0.003", "0.0071", ["0.003", "0.004", "0.005", "0.006", "0.007", "0.008"]),
    ("-1E+40", "3E+40", [f"{n * 10**40:,}" for n in range(-1, 4)]),
    ("-7", "30", ["-10", "0", "10", "20", "30"]),
    ("0", "2.3", ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"]),
    ("5", "5", ["0", "1", "2", "3", "4", "5"]),
    ("0", "0", ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
])
def test_nice_ticks(lo, hi, expected):
    ticks = nice_ticks(Decimal(lo), Decimal(hi))
    assert [format_plain(t) for t in ticks] == expected


def test_nice_ticks_refuses_an_upside_down_range():
    with pytest.raises(ValueError):
        nice_ticks(Decimal(2), Decimal(1))


def test_format_plain():
    assert format_plain(Decimal("1234567.50")) == "1,234,567.50"
    assert format_plain(Decimal("1E+6")) == "1,000,000"
    assert format_plain(Decimal("-0")) == "0"
    assert format_plain(Decimal("1.5E-7")) == "0.00000015"


# -- line_chart and hbar_chart ----------------------------------------------------


def test_line_chart_draws_one_line_per_series_with_tooltips():
    root = parse(line_chart(["Jan", "Feb", "Mar"], two_series(), title="Cash"))
    lines = of_class(root, "polyline", "chart-line")
    assert len(lines) == 2
    assert all(len(line.get("points").split()) == 3 for line in lines)
    points = of_class(root, "circle", "chart-point")
    assert [tooltip(p) for p in points][:3] == [
        "Jan · Revenue: 120.50",
        "Feb · Revenue: 300",
        "Mar · Revenue: 80",
    ]


def test_line_chart_axis_follows_the_values():
    root = parse(line_chart(["a", "b"], [Series("cash", [1_000_000, 1_020_000])], title="t"))
    ticks = tick_values(root)
    assert ticks[0] == 1_000_000 and ticks[-1] == 1_020_000
    assert_nice(ticks)


def test_hbar_chart_ranks_with_label_and_value():
    root = parse(hbar_chart([("Acme", Decimal(500)), ("Globex", Decimal(250)), ("<Initech>", Decimal(-100))],
                            title="Top customers"))
    rects = bars(root)
    assert len(rects) == 3
    widths = [box(r)[2] for r in rects]
    assert widths[0] == pytest.approx(2 * widths[1], abs=TOLERANCE)
    assert widths[1] == pytest.approx(2.5 * widths[2], abs=TOLERANCE)
    assert box(rects[2])[0] < box(rects[0])[0]  # the negative one extends left of zero
    assert [t.text for t in of_class(root, "text", "chart-label")] == ["Acme", "Globex", "<Initech>"]
    assert [t.text for t in of_class(root, "text", "chart-value")] == ["500", "250", "-100"]
    assert tooltip(rects[0]) == "Acme: 500"


def test_hbar_chart_empty_and_float():
    assert "No data" in texts(parse(hbar_chart([], title="t")))
    assert "No data" in texts(parse(hbar_chart([("a", Decimal(0))], title="t")))
    with pytest.raises(TypeError):
        hbar_chart([("a", 1.5)], title="t")  # type: ignore[list-item]
    with pytest.raises(ValueError):
        hbar_chart([("a", Decimal(1))], title="t", color='"/><script>')
    assert bars(parse(hbar_chart([("a", Decimal(1))], title="t", color="#123")))[0].get("fill") == "#123"


# -- property: any values, well-formed XML, nothing outside the viewBox -----------

decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.builds(lambda c, e: Decimal(c).scaleb(e), st.integers(-10**12, 10**12), st.integers(-40, 40)),
    st.just(Decimal(0)),
)


def assert_inside(root: ET.Element) -> None:
    _, _, width, height = (float(n) for n in root.get("viewBox").split())
    for rect in bars(root):
        x, y, w, h = box(rect)
        assert w >= 0 and h >= 0
        assert -TOLERANCE <= x and x + w <= width + TOLERANCE
        assert -TOLERANCE <= y and y + h <= height + TOLERANCE
    for point in of_class(root, "circle", "chart-point"):
        assert 0 <= float(point.get("cx")) <= width and 0 <= float(point.get("cy")) <= height


@given(st.lists(decimals, min_size=1, max_size=14), st.booleans())
def test_any_values_stay_inside_the_viewbox(values, two):
    labels = [f"L{i}" for i in range(len(values))]
    series = [Series("a", values)] + ([Series("b", list(reversed(values)))] if two else [])
    for chart in (bar_chart, line_chart):
        root = parse(chart(labels, series, title="t"))
        assert_inside(root)
        if any(values) and chart is bar_chart:
            assert len(bars(root)) == len(labels) * len(series)
            ticks = tick_values(root)
            assert_nice(ticks)
    root = parse(hbar_chart(list(zip(labels, values)), title="t"))
    assert_inside(root)


@given(decimals, decimals)
def test_nice_ticks_always_cover_the_range(a, b):
    lo, hi = min(a, b), max(a, b)
    ticks = nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi
    assert_nice(ticks)

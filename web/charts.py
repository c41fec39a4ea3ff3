"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, works offline.

``bar_chart`` (grouped vertical bars), ``line_chart`` (one polyline per series)
and ``hbar_chart`` (ranked horizontal bars) return ``Markup`` a dashboard
widget or a report template can embed as is. Every text is XML-escaped; the
SVG scales to its container (``viewBox``, ``width="100%"``), is named for
screen readers (``role="img"``, ``<title>``, ``aria-label``) and carries both
CSS classes (``chart``, ``chart-bar``, ``chart-axis``, ``chart-legend`` ...)
and inline colours, so it renders without any stylesheet. The title is not
drawn: the widget or page around the chart shows it.

Values are ``Decimal`` (ints accepted, floats refused); floats appear only in
the geometry, which is display.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Callable, Iterable, Optional, Sequence

import attrs
from flask_babel import gettext
from markupsafe import Markup, escape

__all__ = ["Series", "bar_chart", "line_chart", "hbar_chart", "nice_ticks", "format_plain", "PALETTE"]

# Accessible on white (contrast >= 4.5:1), led by the teal accent of the UI.
PALETTE = ("#0f766e", "#b45309", "#4338ca", "#be123c", "#0369a1", "#4d7c0f", "#7e22ce", "#475569")
WIDTH = 600  # of the viewBox; the SVG itself is 100% wide
_CHAR = 6.2  # rough width of one character at font-size 11
_MUTED, _GRID, _BASE = "#6b7280", "#e5e7eb", "#9ca3af"
_COLOR = r"#[0-9a-fA-F]{3,8}|[a-z]+"  # "#0f766e" or "teal": nothing that could leave the attribute
Formatter = Callable[[Decimal], str]


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"chart value {value!r} is a float: give a Decimal (money is never float)")
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"chart value {value!r} must be a Decimal or an int")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"chart value {value!r} is not a finite number")
    return number


def _to_values(values: Iterable[object]) -> tuple[Decimal, ...]:
    return tuple(_to_decimal(value) for value in values)


@attrs.frozen
class Series:
    """One named row of values, one per label; ``color`` overrides the palette."""

    name: str
    values: tuple[Decimal, ...] = attrs.field(converter=_to_values)
    color: Optional[str] = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.matches_re(_COLOR)))


def _unsigned_zero(value: Decimal) -> Decimal:
    return value if value else abs(value)  # never "-0"


def format_plain(value: Decimal) -> str:
    """``Decimal("1234567.5") -> "1,234,567.5"``: thousands separated, never an exponent."""
    return f"{_unsigned_zero(value):,f}"


def nice_ticks(lo: Decimal, hi: Decimal, target: int = 5) -> tuple[Decimal, ...]:
    """Ascending ticks, a 1/2/5 x 10^n step apart, from at or below ``lo`` to at or above ``hi``."""
    if lo > hi:
        raise ValueError(f"nice_ticks: {lo} > {hi}")
    if lo == hi:  # a flat line: reach for zero, or show 0..1
        lo, hi = min(lo, Decimal(0)), max(hi, Decimal(0))
        hi = hi if hi > lo else lo + 1
    raw = (hi - lo) / target
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw).normalize()
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (hi / step).to_integral_value(rounding=ROUND_CEILING)
    while first * step > lo:  # the divisions above may have rounded
        first -= 1
    while last * step < hi:
        last += 1
    places = min(int(step.as_tuple().exponent), 0)  # ticks 0.5 apart read 0.0, 0.5, 1.0
    ticks = (k * step for k in range(int(first), int(last) + 1))
    return tuple(
        _unsigned_zero(tick.quantize(Decimal(1).scaleb(places)) if places else tick) for tick in ticks
    )


def _text(value: object) -> str:
    return str(escape(str(value)))


def _clip(text: str, chars: int) -> str:
    chars = max(chars, 2)
    return text if len(text) <= chars else text[: chars - 1] + "\u2026"


def _n(x: float) -> str:
    return f"{x:.2f}"


def _svg(kind: str, title: str, height: float, body: Iterable[str]) -> Markup:
    name = _text(title)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {WIDTH} '
        f'{_n(height)}" '
        f'width="100%" role="img" aria-label="{name}" font-family="system-ui, sans-serif" font-size="11">'
        f"<title>{name}</title>{''.join(body)}</svg>"
    )


def _empty(title: str) -> Markup:
    nothing = _text(gettext("No data"))
    return _svg(
        "empty",
        title,
        48,
        [
            f'<text class="chart-empty-text" x="{WIDTH / 2}" y="28" text-anchor="middle" '
            f'fill="{_MUTED}">{nothing}</text>'
        ],
    )


def _color(series: Series, index: int) -> str:
    return series.color or PALETTE[index % len(PALETTE)]


def _legend(series: Sequence[Series]) -> tuple[list[str], float]:
    """The legend (only for 2+ series) along the top, and the height it takes."""
    if len(series) < 2:
        return [], 8.0
    parts, x, y = ['<g class="chart-legend">'], 8.0, 8.0
    for index, one in enumerate(series):
        name = _clip(one.name, 40)
        width = 14 + _CHAR * len(name) + 14
        if x + width > WIDTH and x > 8:
            x, y = 8.0, y + 16
        parts.append(
            f'<rect class="chart-swatch" x="{_n(x)}" y="{_n(y)}" width="10" height="10" '
            f'fill="{_color(one, index)}"/><text x="{_n(x + 14)}" y="{_n(y + 9)}">{_text(name)}</text>'
        )
        x += width
    parts.append("</g>")
    return parts, y + 22


@attrs.frozen
class _Frame:
    """The plot area in viewBox units and the value range of its y axis."""

    left: float
    top: float
    right: float
    bottom: float
    ticks: tuple[Decimal, ...]

    def y(self, value: Decimal) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        share = min(max(float((high - value) / (high - low)), 0.0), 1.0)
        return self.top + share * (self.bottom - self.top)

    def slot(self, count: int) -> float:  # the width each label gets
        return (self.right - self.left) / count


def _cartesian(kind: str, labels: Sequence[str], series: Sequence[Series], title: str, height: int,
               format_value: Optional[Formatter], with_zero: bool,
               marks: Callable[[_Frame, Sequence[str], Sequence[Series], Formatter], list[str]]) -> Markup:
    """What bar and line charts share: checks, legend, axes, gridlines, labels."""
    labels = [str(label) for label in labels]
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(f"series {one.name!r} has {len(one.values)} values for {len(labels)} labels")
    values = [value for one in series for value in one.values]
    if not labels or not any(values):
        return _empty(title)
    fmt = format_value or format_plain
    lo, hi = min(values), max(values)
    ticks = nice_ticks(min(lo, Decimal(0)), max(hi, Decimal(0))) if with_zero else nice_ticks(lo, hi)
    tick_texts = [fmt(tick) for tick in ticks]  # a clipped number would be a wrong one
    legend, top = _legend(series)
    left = min(max(10 + _CHAR * max(map(len, tick_texts)), 32), WIDTH / 3)
    frame = _Frame(left, top, WIDTH - 12, max(height, top + 100) - 22, ticks)
    parts = [*legend, '<g class="chart-axis">']
    for tick, text in zip(ticks, tick_texts):
        y = _n(frame.y(tick))
        parts.append(
            f'<line class="chart-grid" x1="{_n(frame.left)}" x2="{_n(frame.right)}" y1="{y}" y2="{y}" '
            f'stroke="{_GRID}"/><text class="chart-tick" x="{_n(frame.left - 6)}" y="{y}" dy="4" '
            f'text-anchor="end" fill="{_MUTED}">{_text(text)}</text>'
        )
    slot = frame.slot(len(labels))
    chars = min(max(map(len, labels)), 16)
    every = math.ceil(len(labels) / max(1, int((frame.right - frame.left) // (_CHAR * chars + 8))))
    for index in range(0, len(labels), every):
        parts.append(f'<text class="chart-label" x="{_n(frame.left + (index + 0.5) * slot)}" '
                     f'y="{_n(frame.bottom + 16)}" text-anchor="middle" fill="{_MUTED}">'
                     f"{_text(_clip(labels[index], chars))}</text>")
    parts.append("</g>")
    parts += marks(frame, labels, series, fmt)
    if ticks[0] <= 0 <= ticks[-1]:
        zero = _n(frame.y(Decimal(0)))
        parts.append(f'<line class="chart-baseline" x1="{_n(frame.left)}" x2="{_n(frame.right)}" '
                     f'y1="{zero}" y2="{zero}" stroke="{_BASE}"/>')
    return _svg(kind, title, frame.bottom + 22, parts)


def _tip(label: str, series: Series, value: Decimal, fmt: Formatter) -> str:
    return f"<title>{_text(f'{label} · {series.name}: {fmt(value)}')}</title>"


def _bars(frame: _Frame, labels: Sequence[str], series: Sequence[Series], fmt: Formatter) -> list[str]:
    slot, zero = frame.slot(len(labels)), frame.y(Decimal(0))
    width = slot * 0.8 / len(series)
    parts = []
    for i, label in enumerate(labels):
        for j, one in enumerate(series):
            y = frame.y(one.values[i])
            parts.append(f'<rect class="chart-bar" x="{_n(frame.left + i * slot + slot * 0.1 + j * width)}" '
                         f'y="{_n(min(y, zero))}" width="{_n(width * 0.9)}" height="{_n(abs(y - zero))}" '
                         f'fill="{_color(one, j)}">{_tip(label, one, one.values[i], fmt)}</rect>')
    return parts


def _lines(frame: _Frame, labels: Sequence[str], series: Sequence[Series], fmt: Formatter) -> list[str]:
    slot, parts = frame.slot(len(labels)), []
    for j, one in enumerate(series):
        points = [(frame.left + (i + 0.5) * slot, frame.y(value)) for i, value in enumerate(one.values)]
        parts.append(
            f'<g class="chart-series"><polyline class="chart-line" fill="none" stroke="{_color(one, j)}" '
            f'stroke-width="2" points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}"/>'
        )
        parts += [f'<circle class="chart-point" cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{_color(one, j)}">'
                  f"{_tip(labels[i], one, one.values[i], fmt)}</circle>" for i, (x, y) in enumerate(points)]
        parts.append("</g>")
    return parts


def bar_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, height: int = 220,
              format_value: Optional[Formatter] = None) -> Markup:
    """Grouped vertical bars: one group per label, one bar per series; negatives hang below zero."""
    return _cartesian("bars", labels, series, title, height, format_value, True, _bars)


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, height: int = 220,
               format_value: Optional[Formatter] = None) -> Markup:
    """One line per series across the labels; the y axis spans the values, not necessarily zero."""
    return _cartesian("lines", labels, series, title, height, format_value, False, _lines)


def hbar_chart(items: Sequence[tuple[str, Decimal]], *, title: str, format_value: Optional[Formatter] = None,
               color: Optional[str] = None) -> Markup:
    """Horizontal bars in the order given (rank them first), label left, value beside each bar.

    The height follows the number of rows.
    """
    if color is not None and not re.fullmatch(_COLOR, color):
        raise ValueError(f"not a colour: {color!r}")
    rows = [(str(label), _to_decimal(value)) for label, value in items]
    if not any(value for _, value in rows):
        return _empty(title)
    fmt, fill, row = format_value or format_plain, color or PALETTE[0], 26
    texts = [fmt(value) for _, value in rows]
    label_width = min(12 + _CHAR * max(len(label) for label, _ in rows), WIDTH * 0.35)
    start, end = label_width, WIDTH - min(12 + _CHAR * max(map(len, texts)), WIDTH * 0.25)
    lo, hi = min(Decimal(0), *(v for _, v in rows)), max(Decimal(0), *(v for _, v in rows))

    def x(value: Decimal) -> float:
        return start + float((value - lo) / (hi - lo)) * (end - start)

    parts, zero = [], x(Decimal(0))
    for index, ((label, value), text) in enumerate(zip(rows, texts)):
        y, tip = 8 + index * row, _text(f"{label}: {fmt(value)}")
        parts.append(
            f'<text class="chart-label" x="{_n(start - 8)}" y="{y + 17}" text-anchor="end" fill="{_MUTED}">'
            f"{_text(_clip(label, int((label_width - 12) // _CHAR)))}</text>"
            f'<rect class="chart-bar" x="{_n(min(x(value), zero))}" y="{y + 4}" '
            f'width="{_n(abs(x(value) - zero))}" height="{row - 8}" fill="{fill}"><title>{tip}</title></rect>'
            f'<text class="chart-value" x="{_n(max(x(value), zero) + 4)}" y="{y + 17}">{_text(text)}</text>'
        )
    parts.append(f'<line class="chart-baseline chart-axis" x1="{_n(zero)}" x2="{_n(zero)}" y1="8" '
                 f'y2="{8 + row * len(rows)}" stroke="{_BASE}"/>')
    return _svg("hbars", title, 16 + row * len(rows), parts)

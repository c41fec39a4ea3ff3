"""A line per area of the suite (core, web, cli, each plugin, browser) at the
end of a run: how many tests, how they ended and the time they took.

The time is what the area's tests spent in setup, call and teardown, summed
over every xdist worker: the share of the machine each area costs, which is
what a plugin's CI budget counts (the README states the budget).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

_seconds: dict[str, float] = defaultdict(float)
_outcomes: dict[str, Counter] = defaultdict(Counter)


def area_of(nodeid: str) -> str:
    """``tests/plugins/wms/test_x.py::t`` -> ``wms``; ``tests/core/...`` -> ``core``; top-level files ->
    ``project``."""
    parts = nodeid.split("::")[0].split("/")
    if len(parts) > 3 and parts[1] == "plugins":
        return parts[2]
    return parts[1] if len(parts) > 2 else "project"


def pytest_runtest_logreport(report) -> None:
    area = area_of(report.nodeid)
    _seconds[area] += report.duration
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _outcomes[area][report.outcome] += 1
    elif report.when == "teardown" and report.outcome == "failed":
        _outcomes[area]["error"] += 1


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    if not _seconds:
        return
    order = ["project", "core", "cli", "web"] + sorted(
        set(_seconds) - {"project", "core", "cli", "web", "browser"}
    )
    order += ["browser"]
    terminalreporter.section("time per area (test seconds, summed over workers)")
    for area in order:
        if area not in _seconds:
            continue
        counts = _outcomes[area]
        ended = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        terminalreporter.write_line(
            f"area {area:<12} {sum(counts.values()):>5} tests  {_clock(_seconds[area]):>8}  ({ended})"
        )
    terminalreporter.write_line(
        f"area {'all':<12} {sum(sum(c.values()) for c in _outcomes.values()):>5} tests  "
        f"{_clock(sum(_seconds.values())):>8}"
    )

"""``jangbu sales analysis``, ``sales target set|list|remove`` and ``sales
forecast``: their JSON and text, and bad input as one clear message with a
non-zero exit that writes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.companies import get_company
from plugins.sales.targets import list_targets
from tests.plugins.sales.analysis_rows import Sale, add_opportunity, add_sales, add_salespeople
from tests.plugins.sales.conftest import make_sales_company

D = dt.date


@pytest.fixture
def shop(sdb):
    make_sales_company(sdb)
    add_salespeople(sdb, "ACME", "sue")
    add_sales(sdb, "ACME", [
        Sale("SO1", "C1", D(2026, 1, 10), (("PEN", 10, 10_000, 3_000, 10), ("PAPER", 2, 50_000, 36_000, 2)),
             salesperson="sue"),
        Sale("SO2", "C2", D(2026, 2, 5), (("PAPER", 4, 100_000, 18_000, 1),), state="done"),
        Sale("SO3", "C3", D(2026, 2, 6), (("PEN", 1, 999, None, 0),), state="sent"),
    ])
    add_opportunity(sdb, "ACME", "OP1", 1_000_000, D(2026, 4, 2), "Proposal", owner="sue")
    add_opportunity(sdb, "ACME", "OP2", 333, D(2026, 1, 2), "Negotiation")
    return sdb


def ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def refused(result, message):
    assert result.exit_code != 0, result.output
    assert message in result.output and "Traceback" not in result.output, result.output


def targets_of(db):
    with db.session() as s:
        return list_targets(s, get_company(s, "ACME"))


def test_analysis_as_json_and_text(shop, run):
    data = json.loads(ok(run("--json", "sales", "analysis", "--by", "customer")))
    assert [(r["key"], r["revenue"], r["margin"]) for r in data["rows"]] == [("C2", "100000", "0"),
                                                                            ("C1", "60000", "21000")]
    assert data["total"]["revenue"] == "160000" and data["total"]["costed_lines"] == 2
    text = ok(run("sales", "analysis", "--by", "period", "--period", "quarter", "--from", "2026-01-01"))
    assert "sales by period (quarter), 2026-01-01 to …, in KRW" in text
    assert "2026-Q1" in text and "160,000" in text and "21,000" in text and "35.0%" in text
    assert "margin over 2 of 3 lines whose cost is known (60,000 of 160,000 revenue)" in text
    regions = json.loads(ok(run("--json", "sales", "analysis", "--by", "region", "--to", "2026-01-31")))
    assert [(r["key"], r["revenue"]) for r in regions["rows"]] == [("Seoul", "60000")]
    text = ok(run("sales", "analysis", "--by", "salesperson"))
    assert "sue" in text and "-" in text.splitlines()[3]


@pytest.mark.parametrize("args, message", [
    (("--by", "colour"), "Invalid value for '--by'"),
    (("--period", "week"), "Invalid value for '--period'"),
    (("--from", "2026-13-01"), "malformed date '2026-13-01'"),
    (("--from", "2026-03-01", "--to", "2026-01-01"), "after it ends"),
    (("--currency", "XYZ"), "unknown currency 'XYZ'"),
])
def test_bad_analysis_options(shop, run, args, message):
    refused(run("sales", "analysis", *args), message)


def test_targets_set_list_and_remove(shop, run):
    record = json.loads(ok(run("--json", "sales", "target", "set", "sue", "2026-01", "50,000")))
    assert record == {"user": "sue", "name": "Sue", "month": "2026-01-01", "amount": "50000"}
    assert (
        ok(run("sales", "target", "set", "sue", "2026-02", "80000")) == "target of sue for 2026-02: 80,000\n"
    )
    rows = json.loads(ok(run("--json", "sales", "target", "list", "--from", "2026-01", "--to", "2026-03")))
    assert [(r["month"], r["target"], r["actual"], r["attainment"]) for r in rows] == [
        ("2026-01-01", "50000", "60000", "120.0"), ("2026-02-01", "80000", "0", "0.0")]
    text = ok(run("sales", "target", "list", "--from", "2026-01", "--to", "2026-03"))
    assert "2026-01  sue   Sue   50,000  60,000      120.0%" in text
    only = json.loads(ok(run("--json", "sales", "target", "list", "--targets-only", "--user", "sue")))
    assert [(t["month"], t["amount"]) for t in only] == [("2026-01-01", "50000"), ("2026-02-01", "80000")]
    assert "removed" in ok(run("sales", "target", "remove", "sue", "2026-02"))
    assert [t.month for t in targets_of(shop)] == [D(2026, 1, 1)]


@pytest.mark.parametrize("args, message", [
    (("set", "zed", "2026-01", "1"), "unknown salesperson 'zed' in company ACME"),
    (("set", "sue", "2026-13", "1"), "malformed month '2026-13'"),
    (("set", "sue", "2026-01", "--", "-1"), "must not be negative"),
    (("set", "sue", "2026-01", "-1"), "No such option '-1'"),
    (("set", "sue", "2026-01", "ten"), "malformed amount 'ten'"),
    (("set", "sue", "2026-01"), "Missing argument 'AMOUNT'"),
    (("remove", "sue", "2026-01"), "sue has no target for 2026-01"),
    (("list", "--from", "2026-05", "--to", "2026-01"), "the first is after the last"),
    (("list", "--user", "zed"), "unknown salesperson 'zed'"),
])
def test_bad_targets(shop, run, args, message):
    refused(run("sales", "target", *args), message)
    assert targets_of(shop) == []


def test_forecast(shop, run):
    data = json.loads(ok(run("--json", "sales", "forecast", "--today", "2026-03-10")))
    assert [(m["month"], m["weighted"], m["overdue"]) for m in data["months"]] == [
        ("2026-03-01", "249.75", 1), ("2026-04-01", "500000.00", 0)]
    assert data["weighted"] == "500249.75" and data["opportunities"] == 2
    text = ok(run("sales", "forecast", "--today", "2026-03-10", "--owner", "sue"))
    assert (
        "weighted pipeline on 2026-03-10, in KRW" in text
        and "2026-04" in text
        and "2026-03" not in text.split("\n", 1)[1]
    )
    refused(run("sales", "forecast", "--owner", "zed"), "unknown salesperson 'zed'")
    refused(run("sales", "forecast", "--today", "soon"), "malformed date 'soon'")


def test_a_company_without_sales_is_told_so(shop, run):
    shop.company("PLAIN")
    refused(run("sales", "analysis", company="PLAIN"), "plugin 'sales' is not installed for company PLAIN")

"""``jangbu wms``: the set-up and operation commands, their JSON, and bad
input answered with one line, a non-zero exit and nothing written."""

from __future__ import annotations

import json

import pytest

from core.companies import get_company
from core.ledger import balance
from tests.plugins.wms.conftest import assert_stock_sound


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_receive_deliver_and_look(valued, run):
    db, _company = valued
    ok(run("wms", "location", "add", "MAIN/A/01", "B3", "--count-every", "30"))
    ok(run("wms", "putaway", "add", "MAIN/A/01/B3", "--product", "PEN"))
    created = json.loads(ok(run("--json", "wms", "operation", "create", "receipt", "--party", "S1",
                                "--line", "PEN:100:500", "--confirm")).stdout)
    assert created["state"] == "ready" and created["moves"][0]["unit_cost"] == "500"
    done = json.loads(
        ok(run("--json", "wms", "operation", "validate", created["number"], "--done", "PEN:60")).stdout
    )
    assert (
        done["backorder"] == "MAIN/IN/00001-1"
        and done["moves"][0]["lines"][0]["destination"] == "MAIN/A/01/B3"
    )
    out = json.loads(ok(run("--json", "wms", "operation", "create", "delivery", "--party", "C1",
                            "--line", "PEN:25", "--confirm")).stdout)
    assert out["moves"][0]["reserved"] == "25"
    ok(run("wms", "operation", "validate", out["number"]))
    stock = json.loads(ok(run("--json", "wms", "stock", "--product", "PEN")).stdout)
    assert [(r["location"], r["on_hand"], r["available"]) for r in stock] == [("MAIN/A/01/B3", "35", "35")]
    card = json.loads(ok(run("--json", "wms", "card", "PEN")).stdout)
    assert [m["balance"] for m in card["moves"]] == ["60", "35"]
    assert "ok" in ok(run("wms", "check")).output
    assert json.loads(ok(run("--json", "wms", "settings")).stdout)["inventory_account"] == "147"
    report = json.loads(ok(run("--json", "wms", "valuation")).stdout)
    assert (report["total"], report["ledger"], report["agrees"]) == ("17500", "17500", True)
    assert [(r["product"], r["quantity"], r["unit_cost"], r["value"]) for r in report["rows"]] == [
        ("PEN", "35", "500", "17500")]
    with db.session() as s:
        company = get_company(s, "ACME")
        assert balance(s, company, "147") == 17500
        assert_stock_sound(s, company)


@pytest.mark.parametrize(
    "args, message",
    [
        (("operation", "create", "receipt", "--line", "PEN"), "malformed line"),
        (("operation", "create", "receipt", "--line", "PEN:1.5:10"), "more than 0 decimal places"),
        (("operation", "create", "receipt", "--line", "GHOST:1:10"), "unknown product"),
        (("operation", "create", "delivery", "--line", "PEN:1:10"), "only a receipt names a unit cost"),
        (
            ("operation", "create", "internal", "--line", "PEN:1", "--from", "MAIN", "--to", "MAIN"),
            "same location",
        ),
        (("operation", "validate", "MAIN/OUT/99999"), "unknown operation"),
        (("location", "add", "MAIN/A/01/B1", "X"), "is a bin"),
        (("warehouse", "create", "MAIN", "Again"), "exists already"),
        (("putaway", "add", "VIRTUAL/CUSTOMERS", "--product", "PEN"), "not a warehouse location"),
        (("product", "set", "MILK", "--tracking", "serial"), "whole units"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(valued, run, args, message):
    db, _company = valued
    result = run("wms", *args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert json.loads(ok(run("--json", "wms", "operation", "list")).stdout) == []


def test_a_delivery_beyond_stock_is_refused(valued, run):
    ok(run("wms", "operation", "create", "receipt", "--party", "S1", "--line", "PEN:3:100", "--confirm"))
    ok(run("wms", "operation", "validate", "MAIN/IN/00001"))
    ok(run("wms", "operation", "create", "delivery", "--party", "C1", "--line", "PEN:5"))
    result = run("wms", "operation", "validate", "MAIN/OUT/00001", "--done", "PEN:5")
    assert result.exit_code == 1 and "only 3 available" in result.output
    listed = json.loads(ok(run("--json", "wms", "operation", "list", "--kind", "delivery")).stdout)
    assert listed[0]["state"] == "draft"


def test_valuation_needs_finance(plain, run):
    result = run("wms", "valuation")
    assert result.exit_code == 1 and "does not value its stock" in result.output

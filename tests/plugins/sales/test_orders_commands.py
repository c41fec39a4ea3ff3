"""``jangbu sales``: the order commands, their JSON, and bad input answered with one line, a non-zero
exit and nothing written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from plugins.sales.documents import Order
from tests.plugins.sales.conftest import make_sales_company
from tests.plugins.sales.orders_common import count


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def js(result):
    return json.loads(ok(result).stdout)


def test_quote_to_cash_from_the_command_line(sdb, run):
    make_sales_company(sdb, plugins=("finance", "wms", "sales"))
    ok(run("sales", "pricelist", "create", "RETAIL", "Retail"))
    ok(run("sales", "pricelist", "set", "RETAIL", "PEN", "1000", "--min-quantity", "50", "--discount", "10"))
    ok(run("sales", "pricelist", "set", "RETAIL", "PEN", "1100"))
    assert js(run("--json", "sales", "settings", "--price-list", "RETAIL"))["price_list"] == "RETAIL"
    assert (
        js(run("--json", "sales", "customer", "set", "C1", "--credit-limit", "500000"))["credit_limit"]
        == "500000"
    )
    quote = js(run("--json", "sales", "quote", "create", "C1", "--line", "PEN:60", "--line", "PAPER:2:30000"))
    assert [(l["price"], l["discount"], l["net"]) for l in quote["lines"]] == [
        ("1000", "10.00", "54000"), ("30000", "0.00", "60000")]
    number = quote["number"]
    changed = js(
        run("--json", "sales", "quote", "update", number, "--commitment", "2030-02-01", "--note", "Gate 3")
    )
    assert (changed["commitment"], changed["note"]) == ("2030-02-01", "Gate 3")
    ok(run("sales", "quote", "add-line", number, "PAPER:1:100"))
    assert len(js(run("--json", "sales", "quote", "remove-line", number, "3"))["lines"]) == 2
    ok(run("sales", "quote", "send", number))
    confirmed = js(run("--json", "sales", "order", "confirm", number))
    assert confirmed["state"] == "confirmed" and confirmed["deliveries"][0]["state"] == "ready"
    part = js(run("--json", "sales", "deliver", number, "--done", "PEN:10"))
    assert (part["delivery_state"], part["invoice_state"]) == ("partial", "partial")
    assert [d["state"] for d in part["deliveries"]] == ["done", "ready"] and len(part["invoices"]) == 1
    done = js(run("--json", "sales", "deliver", number))
    assert (done["state"], done["delivery_state"], done["invoice_state"]) == ("done", "full", "full")
    listed = js(run("--json", "sales", "order", "list", "--customer", "C1"))
    assert [r["number"] for r in listed] == [number]
    assert "C1" in ok(run("sales", "customer", "list")).output
    assert "RETAIL" in ok(run("sales", "pricelist", "show", "RETAIL")).output
    assert number in ok(run("sales", "order", "show", number)).output


def test_contracts_and_bill_due_from_the_command_line(sdb, run):
    make_sales_company(sdb, plugins=("finance", "sales"))
    created = js(
        run(
            "--json",
            "sales",
            "contract",
            "create",
            "C2",
            "--line",
            "PAPER:1:20000",
            "--start",
            "2026-01-01",
            "--interval",
            "quarter",
        )
    )
    first = js(run("--json", "sales", "bill-due", "--date", "2026-07-01"))
    assert [(b["contract"], b["period_start"]) for b in first] == [
        (created["number"], "2026-01-01"),
        (created["number"], "2026-04-01"),
        (created["number"], "2026-07-01"),
    ]
    assert all(b["invoice"] for b in first)
    assert js(run("--json", "sales", "bill-due", "--date", "2026-07-01")) == []
    shown = js(run("--json", "sales", "contract", "show", created["number"]))
    assert shown["next_billing"] == "2026-10-01" and len(shown["billings"]) == 3
    assert created["number"] in ok(run("sales", "contract", "list")).output
    assert "billed" in ok(run("sales", "bill-due", "--date", "2026-07-02")).output


@pytest.mark.parametrize("args, message", [
    (("quote", "create", "C1", "--line", "PEN"), "malformed line"),
    (("quote", "create", "C1", "--line", "PEN:1:-5"), "must not be negative"),
    (("quote", "create", "NOPE", "--line", "PEN:1:5"), "unknown party"),
    (("quote", "create", "C1", "--line", "PEN:1"), "no price"),
    (("quote", "create", "C1", "--line", "PEN:1:5:101"), "discount"),
    (("order", "confirm", "SO99999"), "unknown order"),
    (("invoice", "SO99999"), "finance"),
    (("contract", "create", "C1", "--line", "PEN:1", "--start", "2026-01-01"), "malformed line"),
    (("settings", "--quotation-days", "-3"), "quotation validity"),
    (("settings", "--warehouse", "MAIN"), "install wms"),
])
def test_bad_input_is_one_line_and_writes_nothing(sdb, run, args, message):
    company = make_sales_company(sdb)
    result = run("sales", *args)
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    with sdb.session() as s:
        assert count(s, Order, company) == 0


def test_the_delivery_warehouse_must_be_one_of_wms(sdb, run):
    make_sales_company(sdb, plugins=("wms", "sales"))
    result = run("sales", "settings", "--warehouse", "NOPE")
    assert result.exit_code != 0 and "unknown warehouse 'NOPE'" in result.output and "MAIN" in result.output
    assert js(run("--json", "sales", "settings"))["warehouse"] is None
    ok(run("sales", "settings", "--warehouse", "MAIN"))
    assert js(run("--json", "sales", "settings"))["warehouse"] == "MAIN"


def test_a_refused_confirmation_writes_nothing(sdb, run):
    company = make_sales_company(sdb, plugins=("finance", "wms", "sales"))
    ok(run("sales", "customer", "set", "C1", "--credit-limit", "1000"))
    number = js(run("--json", "sales", "quote", "create", "C1", "--line", "PEN:5:1000"))["number"]
    result = run("sales", "order", "confirm", number)
    assert result.exit_code != 0 and "credit limit" in result.output
    with sdb.session() as s:
        assert s.scalar(select(Order.state).where(Order.number == number)).value == "draft"
    from plugins.wms import api as wms_api

    with sdb.session() as s:
        assert wms_api.operations_of_origin(s, company, f"sales:{number}") == []

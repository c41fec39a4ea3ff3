"""``jangbu procurement``: procure to pay from the command line in every
combination, the JSON, and bad input answered with one line, a non-zero exit
and nothing written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from plugins.procurement.models import Bill, PurchaseOrder, Receipt, Requisition, Return, Rfq, SupplierProduct
from tests.plugins.procurement.conftest import (  # noqa: F401
    assert_books_sound,
    combo,
    grni,
    ledger_transactions,
    make_buying_company,
    make_users,
)


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def js(result):
    return json.loads(ok(result).stdout)


def refused(result, message: str):
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert message in lines[0], result.output
    assert "Traceback" not in result.output


def test_procure_to_pay_from_the_command_line(combo, prun):
    pdb, company, plugins = combo
    make_users(pdb, company)
    assert js(prun("--json", "procurement", "settings", "--threshold", "1000000",
                   "--price-tolerance", "1.5"))["price_tolerance"] == "1.50"
    listing = js(prun("--json", "procurement", "supplier", "list", "--product", "PEN"))
    assert [(r["supplier"], r["price"], r["preferred"]) for r in listing] == [
        ("S1", "300", True),
        ("S2", "320", False),
    ]
    req = js(prun("--json", "procurement", "requisition", "new", "--line", "PEN=1000", "--line", "PAPER=50",
                  "--needed-by", "2026-03-20", "--date", "2026-03-02"))
    assert req["number"] == "REQ00001" and req["state"] == "draft"
    rfq = js(prun("--json", "procurement", "rfq", "new", "REQ00001", "--supplier", "S1", "--supplier", "S2",
                  "--date", "2026-03-02"))
    assert [q["state"] for q in rfq["quotes"]] == ["requested", "requested"]
    ok(prun("procurement", "rfq", "quote", "RFQ00001", "S1", "--price", "PEN=310", "--price", "PAPER=18000",
            "--lead-time", "5", "--date", "2026-03-03"))
    ok(prun("procurement", "rfq", "quote", "RFQ00001", "S2", "--price", "PEN=300", "--price", "PAPER=17500",
            "--lead-time", "7", "--date", "2026-03-03"))
    shown = ok(prun("procurement", "rfq", "compare", "RFQ00001")).output
    assert "1175000 KRW *" in shown and "5 d *" in shown
    cmp = js(prun("--json", "procurement", "rfq", "compare", "RFQ00001"))
    assert [q["total"] for q in cmp["quotes"]] == ["1210000", "1175000"]
    po = js(prun("--json", "procurement", "rfq", "choose", "RFQ00001", "S2", "--date", "2026-03-04"))
    assert (po["number"], po["state"], po["untaxed"]) == ("PO00001", "draft", "1175000")
    assert js(prun("--json", "procurement", "order", "confirm", "PO00001", "--date", "2026-03-04"))["state"] \
        == "to_approve"
    refused(prun("procurement", "order", "approve", "PO00001", "--by", "kim"), "may not procurement.approve")
    approved = js(
        prun("--json", "procurement", "order", "approve", "PO00001", "--by", "lee", "--date", "2026-03-04")
    )
    assert (approved["state"], approved["approved_by"]) == ("confirmed", "lee")
    part = js(prun("--json", "procurement", "receive", "PO00001", "--line", "PEN=600", "--line", "PAPER=50",
                   "--date", "2026-03-10"))
    assert (part["receipt_state"], [l["received"] for l in part["lines"]]) == ("partial", ["600", "50"])
    assert len(part["waiting_receipts"]) == ("wms" in plugins)
    rest = js(prun("--json", "procurement", "receive", "PO00001", "--date", "2026-03-12"))
    assert rest["receipt_state"] == "full" and rest["waiting_receipts"] == []
    bill = js(
        prun(
            "--json", "procurement", "bill", "new", "PO00001", "--reference", "INV-9", "--date", "2026-03-13"
        )
    )
    assert (bill["state"], bill["matched"], bill["untaxed"]) == ("posted", True, "1175000")
    assert (bill["document"] is not None) == ("finance" in plugins)
    paid = js(prun("--json", "procurement", "bill", "pay", bill["number"], "--date", "2026-03-31"))
    assert paid["paid"] is True
    final = js(prun("--json", "procurement", "order", "show", "PO00001"))
    assert (final["state"], final["receipt_state"], final["bill_state"], final["payment_state"]) == (
        "done", "full", "full", "paid")
    assert "PO00001  2026-03-04  S2        1175000  KRW       done   full      full    paid" \
        in ok(prun("procurement", "order", "list")).output
    assert "REQ00001" in ok(prun("procurement", "requisition", "list", "--state", "ordered")).output
    assert "INV-9" in ok(prun("procurement", "bill", "list")).output
    with pdb.session() as s:
        assert_books_sound(s, company)
        assert grni(s, company) == 0


def test_a_held_bill_from_the_command_line(pdb, prun):
    company = make_buying_company(pdb, plugins=("finance", "wms", "procurement"))
    make_users(pdb, company)
    ok(prun("procurement", "order", "new", "S1", "--line", "PEN=100", "--confirm", "--date", "2026-03-02"))
    ok(prun("procurement", "receive", "PO00001", "--date", "2026-03-05"))
    with pdb.session() as s:
        count = ledger_transactions(s, company)
    out = ok(prun("procurement", "bill", "new", "PO00001", "--reference", "S1-1", "--line", "PEN=100@330",
                  "--date", "2026-03-06")).output
    assert (
        "[held]" in out
        and "PEN: billed at 330 KRW but ordered at 300 KRW, +10.00 % (price tolerance 2 %)" in out
    )
    with pdb.session() as s:
        assert ledger_transactions(s, company) == count
    assert "held" in ok(prun("procurement", "bill", "show", "BILL00001")).output
    refused(prun("procurement", "bill", "release", "BILL00001", "--by", "kim", "--note", "ok"),
            "may not procurement.approve")
    released = js(prun("--json", "procurement", "bill", "release", "BILL00001", "--by", "lee", "--note",
                       "price rise agreed by phone"))
    assert (released["state"], released["released_by"]) == ("posted", "lee") and released["document"]
    with pdb.session() as s:
        assert ledger_transactions(s, company) == count + 1
        assert_books_sound(s, company)
    # A second bill for the same goods is held too; this one the manager refuses.
    ok(prun("procurement", "bill", "new", "PO00001", "--reference", "S1-2", "--line", "PEN=10",
            "--date", "2026-03-07"))
    refused(prun("procurement", "bill", "refuse", "BILL00002", "--by", "kim", "--note", "twice"),
            "may not procurement.approve")
    gone = js(prun("--json", "procurement", "bill", "refuse", "BILL00002", "--by", "lee", "--note",
                   "billed twice"))
    assert (gone["state"], gone["released_by"], gone["document"]) == ("cancelled", "lee", None)
    assert "refused by lee: billed twice" in ok(prun("procurement", "bill", "show", "BILL00002")).output
    with pdb.session() as s:
        assert ledger_transactions(s, company) == count + 1
        assert_books_sound(s, company)


def _counts(pdb, company):
    with pdb.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model).where(model.company_id == company.id))
            for model in (Requisition, Rfq, PurchaseOrder, Bill, SupplierProduct, Receipt, Return)
        ) + (ledger_transactions(s, company),)


@pytest.mark.parametrize(
    "args, message",
    [
        (("requisition", "new", "--line", "PEN"), "malformed line 'PEN': use SKU=QTY"),
        (("requisition", "new", "--line", "PEN=abc"), "malformed amount 'abc'"),
        (("requisition", "new", "--line", "NOPE=3"), "unknown product 'NOPE'"),
        (("requisition", "new", "--line", "PEN=-3"), "PEN: quantity must be more than zero"),
        (("requisition", "new", "--line", "PEN=1.5"), "more than 0 decimal places"),
        (("requisition", "show", "REQ09999"), "unknown requisition 'REQ09999'"),
        (("rfq", "new", "REQ00002", "--supplier", "S1", "--supplier", "S1"), "a supplier is named twice"),
        (("rfq", "new", "REQ00002", "--supplier", "ZZ"), "unknown party 'ZZ'"),
        (
            ("rfq", "new", "REQ00001", "--supplier", "S3"),
            "REQ00001 has an open request for quotation already",
        ),
        (
            ("rfq", "quote", "RFQ00001", "S3", "--price", "PEN=1", "--lead-time", "2"),
            "RFQ00001 was not sent to 'S3'",
        ),
        (
            ("rfq", "quote", "RFQ00001", "S1", "--price", "PEN=1", "--lead-time", "2"),
            "the quote has no price for PAPER",
        ),
        (
            ("rfq", "quote", "RFQ00001", "S1", "--price", "PEN=1", "--price", "PAPER=2", "--lead-time", "x"),
            "lead time must be a whole number",
        ),
        (("rfq", "choose", "RFQ00001", "S2"), "S2 has not answered RFQ00001 yet"),
        (("order", "new", "S3", "--line", "PEN=10"), "PEN: S3 has no catalogue price for it; give the price"),
        (("order", "new", "S1", "--line", "PEN=5"), "PEN: S1 sells at least 10 pcs, not 5"),
        (("order", "new", "S1", "--line", "PEN=50@-1"), "PEN: price must be at least zero"),
        (("order", "new", "S1", "--line", "PEN=50", "--currency", "XXX"), "unknown currency 'XXX'"),
        (
            ("order", "confirm", "PO00002"),
            "purchase order PO00002 is confirmed: only a draft can be confirmed",
        ),
        (("order", "approve", "PO00002", "--by", "lee"), "only one waiting for approval can be approved"),
        (("order", "approve", "PO00002", "--by", "nobody"), "unknown user 'nobody'"),
        (("order", "cancel", "PO00002"), "has goods received: it can no longer be cancelled"),
        (("receive", "PO00001"), "purchase order PO00001 is draft: only a confirmed order receives goods"),
        (
            ("receive", "PO00002", "--line", "PEN=500"),
            "PEN: 500 received but only 50 pcs still expected on PO00002",
        ),
        (("receive", "PO00002", "--line", "TAPE=1"), "purchase order PO00002 has no line for TAPE"),
        (
            ("return", "PO00002", "PEN", "60", "--reason", "broken"),
            "only 50 pcs received and kept on PO00002",
        ),
        (("return", "PO00002", "PEN", "1", "--reason", " "), "a return's reason must not be empty"),
        (
            ("bill", "new", "PO00001", "--reference", "X"),
            "PO00001 is draft: only a confirmed order is billed",
        ),
        (("bill", "new", "PO00002", "--reference", "X", "--line", "PEN=1@"), "malformed line 'PEN=1@'"),
        (("bill", "new", "PO00002", "--reference", " "), "the supplier's bill reference must not be empty"),
        (("bill", "release", "BILL00009", "--by", "lee", "--note", "x"), "unknown bill 'BILL00009'"),
        (("bill", "pay", "BILL00009"), "unknown bill 'BILL00009'"),
        (("settings", "--price-tolerance", "150"), "price tolerance must be between 0 and 100 %"),
        (("settings", "--threshold", "-5"), "approval threshold must not be negative"),
        (("settings", "--quote-days", "0"), "quote days must be between 1 and 3650"),
        (("supplier", "add", "S1", "PEN", "--price", "1.5"), "PEN: price 1.5 has more than 0 decimal places"),
        (
            ("supplier", "add", "S1", "PEN", "--price", "10", "--lead-time", "-1"),
            "lead time must be between 0",
        ),
        (("supplier", "remove", "S3", "PEN"), "unknown catalogue row"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(pdb, prun, args, message):
    company = make_buying_company(pdb, plugins=("procurement",))
    make_users(pdb, company)
    ok(prun("procurement", "requisition", "new", "--line", "PEN=100", "--line", "PAPER=5"))
    ok(prun("procurement", "rfq", "new", "REQ00001", "--supplier", "S1", "--supplier", "S2"))
    ok(prun("procurement", "requisition", "new", "--line", "INK=3"))
    ok(prun("procurement", "order", "new", "S1", "--line", "PEN=20"))
    ok(prun("procurement", "order", "new", "S1", "--line", "PEN=100", "--confirm"))
    ok(prun("procurement", "receive", "PO00002", "--line", "PEN=50"))
    before = _counts(pdb, company)
    refused(prun("procurement", *args), message)
    assert _counts(pdb, company) == before


def test_a_company_without_procurement_is_refused(pdb, prun):
    with pdb.session() as s:
        from core.companies import create_company

        create_company(s, "ACME", "Acme", "KRW", plugins=["finance"])
    result = prun("procurement", "order", "list")
    assert result.exit_code != 0 and "procurement" in result.output


def test_return_and_catalogue_commands(pdb, prun):
    company = make_buying_company(pdb, plugins=("finance", "procurement"))
    added = js(
        prun(
            "--json",
            "procurement",
            "supplier",
            "add",
            "S3",
            "PEN",
            "--price",
            "280",
            "--lead-time",
            "9",
            "--min",
            "50",
            "--preferred",
            "--supplier-sku",
            "DI-PEN",
        )
    )
    assert (added["price"], added["lead_time_days"], added["min_quantity"], added["preferred"]) == (
        "280",
        9,
        "50",
        True,
    )
    assert [
        r["supplier"] for r in js(prun("--json", "procurement", "supplier", "list", "--product", "PEN"))
    ] == ["S3", "S1", "S2"]
    ok(prun("procurement", "supplier", "remove", "S3", "PEN"))
    assert "S3" not in ok(prun("procurement", "supplier", "list", "--product", "PEN")).output
    ok(prun("procurement", "order", "new", "S1", "--line", "PEN=100", "--confirm", "--date", "2026-03-02"))
    ok(prun("procurement", "receive", "PO00001", "--date", "2026-03-05"))
    ok(prun("procurement", "bill", "new", "PO00001", "--reference", "R-1", "--date", "2026-03-06"))
    ret = js(
        prun(
            "--json",
            "procurement",
            "return",
            "PO00001",
            "PEN",
            "4",
            "--reason",
            "bent",
            "--date",
            "2026-03-07",
        )
    )
    assert (ret["number"], ret["quantity"], ret["credited"], ret["reason"]) == ("RET00001", "4", "4", "bent")
    assert ret["credit_note"]
    line = js(prun("--json", "procurement", "order", "show", "PO00001"))["lines"][0]
    assert (line["received"], line["returned"], line["billed"], line["credited"]) == ("100", "4", "100", "4")
    with pdb.session() as s:
        assert_books_sound(s, company)

"""Finance's documents through the web: the invoice and bill lists, a document's
page, its print view and PDF, and the forms that make, edit, post, delete and
credit a document, with good and bad input (a refusal writes nothing).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types

import pytest

from core.companies import get_company
from plugins.finance.invoices import LineInput
from tests.plugins.finance.pages import document, lines, new_document, pay, sound
from tests.web.pages import get_json, read_csv, signed_in, snapshot

# -- lists ------------------------------------------------------------------------------------------

def test_invoice_and_bill_lists_filter_sort_search_and_export(app, fin, ann):
    _a, first = document(fin, date="2026-01-10")
    _b, second = document(fin, party="C2", date="2026-01-12", lines=[LineInput("Chairs", "100000")])
    draft, _none = document(fin, date="2026-01-15", post=False)
    _c, bill = document(
        fin, kind="bill", party="S1", date="2026-01-11", lines=[LineInput("Paper stock", "120000")]
    )
    pay(fin, amount="300850")  # pays the first invoice of C1 in full
    items = get_json(ann, "/c/ACME/finance/invoices")["items"]
    assert [i["number"] for i in items] == ["Draft #%d" % draft, second, first]  # newest first
    assert items[2]["total"] == "300850" and items[2]["residual"] == "0" and items[2]["status"] == "paid"
    assert (
        items[1]["residual"] == "110000"
        and items[1]["party"] == "C2"
        and items[1]["status"] == "not paid · overdue"
    )
    assert items[0]["residual"] is None and items[0]["status"] == "draft"
    assert items[2]["url"] == f"/c/ACME/finance/invoices/{first}"
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/invoices?state=open")["items"]] == [second]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/invoices?state=paid")["items"]] == [first]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/invoices?state=draft")["items"]] == [
        f"Draft #{draft}"
    ]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/invoices?sort=total")["items"]] == [
        second, first, f"Draft #{draft}"]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/invoices?q=seoul")["items"]] == [second]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/invoices?party=C2")["items"]] == [second]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/bills")["items"]] == [bill]
    header, *rows = read_csv(ann.get("/c/ACME/finance/invoices?format=csv&state=posted&sort=date"))
    assert header[:3] == ["Number", "Kind", "Party"] and [r[0] for r in rows] == [first, second]
    page = ann.get("/c/ACME/finance/invoices?state=open").get_data(True)
    assert second in page and first not in page and "₩110,000" in page
    assert 'href="/c/ACME/finance/invoices/-/new"' in page
    for bad in ("state=nope", "kind=bill", "sort=nope", "page=0"):
        assert ann.get(f"/c/ACME/finance/invoices?{bad}").status_code == 400, bad
    assert ann.get("/c/ACME/finance/invoices?party=NOPE").status_code == 404


def test_overdue_documents_are_flagged(app, fin, ann):
    today = dt.date.today()
    _a, late = document(fin, date=(today - dt.timedelta(days=60)).isoformat(), term="NET30")
    _b, fresh = document(fin, date=today.isoformat(), term="NET30")
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/invoices?state=overdue")["items"]] == [late]
    assert get_json(ann, f"/c/ACME/finance/invoices/{late}")["overdue"] is True
    assert get_json(ann, f"/c/ACME/finance/invoices/{fresh}")["overdue"] is False


# -- a document -------------------------------------------------------------------------------------

def test_a_document_page_shows_lines_taxes_totals_and_links(app, fin, ann):
    invoice_id, number = document(fin)
    record = get_json(ann, f"/c/ACME/finance/invoices/{number}")
    assert record["number"] == number and record["kind"] == "invoice" and record["state"] == "posted"
    assert (record["untaxed"], record["tax"], record["total"], record["residual"]) == (
        "273500",
        "27350",
        "300850",
        "300850",
    )
    assert [(l["description"], l["quantity"], l["unit_price"], l["discount"], l["net"], l["taxes"])
            for l in record["lines"]] == [("A4 paper", "10", "26000", "0", "260000", ["VAT10-S"]),
                                          ("Delivery", "1", "15000", "10", "13500", ["VAT10-S"])]
    assert get_json(ann, f"/c/ACME/finance/invoices/{invoice_id}") == record  # by id as well
    page = ann.get(f"/c/ACME/finance/invoices/{number}").get_data(True)
    assert f"<h1>Invoice {number}" in page
    assert f'href="/c/ACME/ledger/transactions/{record["transaction_id"]}"' in page
    assert 'href="/c/ACME/parties/C1"' in page and "Hanbit Retail" in page
    assert "₩300,850" in page and "₩27,350" in page and "VAT10-S" in page
    assert f'href="/c/ACME/finance/payments/-/new?invoice={invoice_id}"' in page
    assert "Credit this document" in page and "Edit the draft" not in page


def test_another_companys_document_or_payment_is_404(app, fin, ann):
    other_id, other_number = document(fin, code="OTHER")
    other_payment = pay(fin, code="OTHER", amount="1000")
    document(fin)  # ACME's first document: the same number as OTHER's, another id
    for url in (
        f"/c/ACME/finance/invoices/{other_id}",
        f"/c/ACME/finance/invoices/{other_id}/print",
        f"/c/ACME/finance/invoices/{other_id}/pdf",
        f"/c/ACME/finance/invoices/{other_id}/edit",
        f"/c/ACME/finance/payments/{other_payment}",
        f"/c/ACME/finance/payments/-/new?invoice={other_id}",
    ):
        assert ann.get(url).status_code == 404, url
    assert oli_sees(app, other_number)
    assert get_json(ann, f"/c/ACME/finance/invoices/{other_id + 100}", 404)["error"]
    before = snapshot(fin)
    assert ann.post(f"/c/ACME/finance/invoices/{other_id + 100}/post").status_code == 404
    assert (
        ann.post(
            "/c/ACME/finance/payments/-/new",
            data={
                "party": "C1",
                "direction": "inbound",
                "amount": "10",
                "date": "2026-03-01",
                "journal": "BANK",
                "currency": "KRW",
                "documents-0-invoice": str(other_id),
                "documents-0-settle": "y",
            },
        ).status_code
        == 400
    )
    assert snapshot(fin) == before


def oli_sees(app, number) -> bool:
    """OTHER's own admin opens the same document that ACME's users cannot."""
    return get_json(signed_in(app, "oli"), f"/c/OTHER/finance/invoices/{number}")["number"] == number


def test_the_print_view_has_the_number_lines_taxes_and_totals(app, fin, ann):
    _id, number = document(fin)
    page = ann.get(f"/c/ACME/finance/invoices/{number}/print")
    assert page.status_code == 200
    text = page.get_data(True)
    assert "@media print" in text and "ACME Co" in text and "Hanbit Retail" in text
    assert f"Invoice {number}" in text and "A4 paper" in text
    assert "₩273,500" in text and "₩27,350" in text and "₩300,850" in text
    assert re.search(r"VAT10-S.*?₩273,500.*?₩27,350", text, re.S)  # the tax, its base and its amount
    korean = ann.get(f"/c/ACME/finance/invoices/{number}/print", headers={"Accept-Language": "ko"}).get_data(
        True
    )
    assert '<html lang="ko">' in korean and "₩300,850" in korean and "합계" in korean


def test_the_pdf_without_a_pdf_library_points_at_the_print_view(app, fin, ann, monkeypatch):
    _id, number = document(fin)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # "import weasyprint" raises ImportError
    answer = ann.get(f"/c/ACME/finance/invoices/{number}/pdf")
    assert answer.status_code == 501
    text = answer.get_data(True)
    assert "WeasyPrint" in text and f'href="/c/ACME/finance/invoices/{number}/print"' in text
    assert ann.get("/c/ACME/finance/invoices/999/pdf").status_code == 404


def test_the_pdf_with_a_pdf_library_is_the_print_view_rendered(app, fin, ann, monkeypatch):
    _id, number = document(fin)
    rendered = []

    class HTML:
        def __init__(self, string, base_url):
            rendered.append((string, base_url))

        def write_pdf(self):
            return b"%PDF-1.7 fake"

    monkeypatch.setitem(sys.modules, "weasyprint", types.SimpleNamespace(HTML=HTML))
    answer = ann.get(f"/c/ACME/finance/invoices/{number}/pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data == b"%PDF-1.7 fake"
    assert answer.headers["Content-Disposition"] == f'inline; filename="{number.replace("/", "-")}.pdf"'
    (html, base), = rendered
    assert "₩300,850" in html and number in html and "window.print" not in html  # no toolbar in the PDF
    assert base == "http://localhost/"


# -- the new-document form, editing, posting, deleting, crediting ----------------------------------------

def test_the_new_invoice_form_saves_a_draft_with_exact_amounts(app, fin, ann):
    page = ann.get("/c/ACME/finance/invoices/-/new").get_data(True)
    assert 'name="lines-5-description"' in page and 'value="VAT10-S"' in page and 'list="parties"' in page
    data = new_document("invoice", "C1", "2026-02-01", "KRW",
                        {"product": "PAPER", "quantity": "2.5", "unit_price": "1,234.5", "discount": "10",
                         "taxes": "VAT10-S"},
                        {"description": "Delivery", "unit_price": "3000", "taxes": ""},
                        {"taxes": "VAT10-S"},  # a blank row with its pre-filled tax: not a line
                        term="NET30", reference="PO-7")
    response = ann.post("/c/ACME/finance/invoices/-/new", data=data)
    assert response.status_code == 302, response.get_data(True)
    record = get_json(ann, response.headers["Location"])
    assert record["state"] == "draft" and record["number"] is None and record["reference"] == "PO-7"
    assert record["due_date"] == "2026-03-03"
    assert [
        (l["product"], l["description"], l["quantity"], l["unit_price"], l["discount"], l["taxes"], l["net"])
        for l in record["lines"]
    ] == [
        ("PAPER", "A4 paper box", "2.5", "1234.5", "10", ["VAT10-S"], "2778"),
        (None, "Delivery", "1", "3000", "0", [], "3000"),
    ]
    assert record["total"] == str(2778 + 278 + 3000)
    assert "is saved" in ann.get(response.headers["Location"]).get_data(True)
    sound(fin)


def test_save_and_post_posts_at_once_and_a_bill_goes_to_the_purchase_journal(app, fin, ann):
    data = new_document(
        "bill",
        "S1",
        "2026-02-02",
        "KRW",
        {"description": "Paper stock", "unit_price": "120000", "taxes": "VAT10-P"},
        then="post",
        reference="NAMSAN-778",
    )
    response = ann.post("/c/ACME/finance/bills/-/new", data=data)
    assert response.status_code == 302, response.get_data(True)
    assert response.headers["Location"] == "/c/ACME/finance/invoices/BILL/2026/00001"
    record = get_json(ann, response.headers["Location"])
    assert record["kind"] == "bill" and record["state"] == "posted" and record["total"] == "132000"
    assert "Posted as BILL/2026/00001." in ann.get(response.headers["Location"]).get_data(True)
    sound(fin)


@pytest.mark.parametrize(
    "change, error",
    [
        ({"lines-0-unit_price": "12abc"}, "malformed amount"),
        ({"lines-0-unit_price": "1e5"}, "Write the number in digits"),
        ({"lines-0-quantity": "0"}, "Enter a number other than zero."),
        ({"lines-0-discount": "150"}, "Enter a percentage from 0 to 100."),
        ({"lines-0-unit_price": ""}, "Enter the unit price."),
        ({"lines-0-description": "", "lines-0-product": ""}, "Enter a description or a product."),
        (
            {"lines-0-description": "", "lines-0-unit_price": "", "lines-0-quantity": ""},
            "Enter at least one line.",
        ),
        ({"lines-0-product": "NOPE"}, "unknown product"),
        ({"lines-0-taxes": "VAT10-P"}, "tax VAT10-P is for purchases"),
        ({"lines-0-taxes": "NOPE"}, "unknown tax"),
        ({"lines-0-account": "9999"}, "unknown account"),
        ({"party": "NOPE"}, "unknown party"),
        ({"party": ""}, "This field is required."),
        ({"date": "2026-02-30"}, "Not a valid date value."),
        ({"currency": "XYZ"}, "unknown currency"),
        ({"currency": "USD"}, "no exchange rate for USD"),
        ({"due": "2026-01-01"}, "before the document date"),
        ({"kind": "bill"}, "Not a valid choice."),
        ({"term": "NOPE"}, "Not a valid choice."),
    ],
)
def test_a_refused_document_answers_400_with_the_reason_and_writes_nothing(app, fin, ann, change, error):
    before = snapshot(fin)
    response = ann.post("/c/ACME/finance/invoices/-/new", data={**new_document(), **change})
    assert response.status_code == 400
    assert error in response.get_data(True)
    assert snapshot(fin) == before


def test_a_document_in_a_closed_period_is_refused_above_the_form(app, fin, ann):
    document(fin, date="2026-01-05")
    with fin.session() as s:
        from plugins.finance.closing import close_period

        close_period(s, get_company(s, "ACME"), "2026-01")
    before = snapshot(fin)
    response = ann.post("/c/ACME/finance/invoices/-/new", data=new_document(date="2026-01-31"))
    assert (
        response.status_code == 400
        and "the books of ACME are closed up to 2026-01-31" in response.get_data(True)
    )
    assert snapshot(fin) == before


def test_editing_a_draft_changes_its_header_and_lines_and_keeps_its_id(app, fin, ann):
    draft, _none = document(fin, post=False, term="NET30")
    page = ann.get(f"/c/ACME/finance/invoices/{draft}/edit").get_data(True)
    assert 'value="A4 paper"' in page and 'value="PAPER"' in page and 'name="lines-5-description"' in page
    assert 'value="C1"' in page and '<option selected value="NET30">' in page and 'name="kind"' not in page
    data = {"party": "C2", "date": "2026-01-12", "currency": "KRW", "term": "", "due": "2026-02-28",
            "reference": "PO-9", **lines({"description": "Toner", "quantity": "2", "unit_price": "50000",
                                          "taxes": "VAT10-S"})}
    response = ann.post(f"/c/ACME/finance/invoices/{draft}/edit", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/c/ACME/finance/invoices/{draft}"
    record = get_json(ann, response.headers["Location"])
    assert (record["party"], record["date"], record["due_date"], record["reference"]) == (
        "C2", "2026-01-12", "2026-02-28", "PO-9")
    assert [(l["description"], l["net"]) for l in record["lines"]] == [("Toner", "100000")]
    assert record["total"] == "110000"
    before = snapshot(fin)
    for change, error in (
        ({"lines-0-unit_price": "x"}, "malformed amount"),
        ({"party": "NOPE"}, "unknown party"),
        ({"due": "2026-01-01"}, "before the document date"),
        ({"currency": "USD"}, "no exchange rate for USD"),
    ):
        refused = ann.post(f"/c/ACME/finance/invoices/{draft}/edit", data={**data, **change})
        assert refused.status_code == 400 and error in refused.get_data(True), change
    assert snapshot(fin) == before
    posted = ann.post(f"/c/ACME/finance/invoices/{draft}/edit", data={**data, "then": "post"})
    assert posted.status_code == 302 and get_json(ann, posted.headers["Location"])["state"] == "posted"
    number = get_json(ann, posted.headers["Location"])["number"]
    assert ann.get(f"/c/ACME/finance/invoices/{number}/edit").status_code == 302  # back to it, with a message
    before = snapshot(fin)
    again = ann.post(f"/c/ACME/finance/invoices/{number}/edit", data=data)
    assert again.status_code == 400 and "correct it with a credit note" in again.get_data(True)
    assert snapshot(fin) == before
    sound(fin)


def test_post_and_delete_drafts_and_neither_twice(app, fin, ann):
    draft, _none = document(fin, post=False)
    page = ann.get(f"/c/ACME/finance/invoices/{draft}").get_data(True)
    assert "<h1>Draft invoice #%d" % draft in page and "Edit the draft" in page and "Post</button>" in page
    response = ann.post(f"/c/ACME/finance/invoices/{draft}/post")
    assert (
        response.status_code == 302
        and response.headers["Location"] == "/c/ACME/finance/invoices/INV/2026/00001"
    )
    before = snapshot(fin)
    twice = ann.post(f"/c/ACME/finance/invoices/{draft}/post")
    assert twice.status_code == 400 and "is posted already" in twice.get_data(True)
    gone = ann.post("/c/ACME/finance/invoices/INV/2026/00001/delete")
    assert gone.status_code == 400 and "correct it with a credit note" in gone.get_data(True)
    assert snapshot(fin) == before
    other, _none = document(fin, post=False)
    response = ann.post(f"/c/ACME/finance/invoices/{other}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/c/ACME/finance/invoices"
    assert ann.get(f"/c/ACME/finance/invoices/{other}").status_code == 404
    sound(fin)


def test_a_credit_note_is_drafted_from_the_form_and_settles_the_invoice_once_posted(app, fin, ann):
    invoice_id, number = document(fin)
    assert "Reason" in ann.get(f"/c/ACME/finance/invoices/{number}/credit").get_data(True)
    before = snapshot(fin)
    early = ann.post(f"/c/ACME/finance/invoices/{number}/credit", data={"date": "2026-01-01", "reason": "x"})
    assert early.status_code == 400 and "before" in early.get_data(True) and snapshot(fin) == before
    assert ann.post(f"/c/ACME/finance/invoices/{number}/credit", data={"date": "soon"}).status_code == 400
    assert snapshot(fin) == before
    response = ann.post(f"/c/ACME/finance/invoices/{number}/credit", data={"date": "2026-01-20",
                                                                           "reason": "Damaged in transit"})
    assert response.status_code == 302
    credit = get_json(ann, response.headers["Location"])
    assert credit["kind"] == "credit_note" and credit["state"] == "draft" and credit["credited"] == number
    assert credit["memo"] == "Damaged in transit" and credit["total"] == "300850"
    assert get_json(ann, f"/c/ACME/finance/invoices/{number}")["credit_notes"] == [credit["id"]]
    posted = ann.post(f"/c/ACME/finance/invoices/{credit['id']}/post")
    credit_number = get_json(ann, posted.headers["Location"])["number"]
    original = get_json(ann, f"/c/ACME/finance/invoices/{number}")
    assert original["payment_state"] == "paid" and original["credit_notes"] == [credit_number]
    assert original["settlements"] == [{"date": "2026-01-20", "by": credit_number, "source": "credit_note",
                                        "amount": "300850"}]
    page = ann.get(f"/c/ACME/finance/invoices/{number}").get_data(True)
    assert f'href="/c/ACME/finance/invoices/{credit_number}"' in page
    credit_page = ann.get(f"/c/ACME/finance/invoices/{credit_number}").get_data(True)
    assert (
        f'href="/c/ACME/finance/invoices/{number}"' in credit_page
        and "Credit this document" not in credit_page
    )
    refused = ann.post(f"/c/ACME/finance/invoices/{credit_number}/credit", data={"date": "2026-01-21"})
    assert refused.status_code == 400 and "is itself a credit note" in refused.get_data(True)
    sound(fin)

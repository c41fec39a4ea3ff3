"""Payments through the web: the list, a payment's page, registering one
(oldest first, or the documents ticked, with amounts) and settling more
with what is left of it."""

from __future__ import annotations

import pytest

from plugins.finance.documents import Payment
from plugins.finance.invoices import LineInput
from tests.plugins.finance.pages import count, document, pay, sound
from tests.web.pages import get_json, read_csv, signed_in, snapshot


def payment_form(party="C1", amount="100,000", date="2026-02-10", **fields) -> dict:
    return {"party": party, "direction": "inbound", "amount": amount, "date": date, "journal": "BANK",
            "currency": "KRW", **fields}


def settle(*rows) -> dict:
    data = {}
    for i, (invoice_id, ticked, amount) in enumerate(rows):
        data[f"documents-{i}-invoice"] = str(invoice_id)
        if ticked:
            data[f"documents-{i}-settle"] = "y"
        data[f"documents-{i}-amount"] = amount
    return data


def test_a_payment_from_a_document_is_preset_and_pays_it(app, fin, ann):
    invoice_id, number = document(fin)
    page = ann.get(f"/c/ACME/finance/payments/-/new?invoice={invoice_id}").get_data(True)
    assert 'value="C1"' in page and 'value="300850"' in page and number in page
    assert f'name="documents-0-invoice" type="hidden" value="{invoice_id}"' in page
    assert 'name="documents-0-settle" type="checkbox" value="y" checked' in page or "checked" in page
    response = ann.post("/c/ACME/finance/payments/-/new", data={**payment_form(amount="300,850"),
                                                                  **settle((invoice_id, True, ""))})
    assert response.status_code == 302, response.get_data(True)
    assert response.headers["Location"] == "/c/ACME/finance/payments/BANK/2026/00001"
    record = get_json(ann, response.headers["Location"])
    assert record["amount"] == "300850" and record["unallocated"] == "0" and record["direction"] == "inbound"
    assert record["allocations"] == [{"invoice": number, "date": "2026-02-10", "amount": "300850"}]
    page = ann.get(response.headers["Location"]).get_data(True)
    assert "Payment BANK/2026/00001 is registered; it settles " + number in page
    assert f'href="/c/ACME/finance/invoices/{number}"' in page
    invoice = get_json(ann, f"/c/ACME/finance/invoices/{number}")
    assert invoice["payment_state"] == "paid" and invoice["residual"] == "0"
    assert 'href="/c/ACME/finance/payments/BANK/2026/00001"' in ann.get(
        f"/c/ACME/finance/invoices/{number}").get_data(True)
    sound(fin)


def test_without_a_choice_the_oldest_due_is_settled_first(app, fin, ann):
    _a, older = document(fin, date="2026-01-05", lines=[LineInput("A", "10000")])
    _b, newer = document(fin, date="2026-01-09", lines=[LineInput("B", "20000")])
    page = ann.get("/c/ACME/finance/payments/-/new?party=C1").get_data(True)
    assert page.index(older) < page.index(newer)
    response = ann.post("/c/ACME/finance/payments/-/new", data=payment_form(amount="15000"))
    assert response.status_code == 302, response.get_data(True)
    record = get_json(ann, response.headers["Location"])
    assert [(a["invoice"], a["amount"]) for a in record["allocations"]] == [(older, "11000"), (newer, "4000")]
    assert get_json(ann, f"/c/ACME/finance/invoices/{newer}")["payment_state"] == "partial"
    sound(fin)


def test_the_documents_ticked_with_their_amounts_are_settled(app, fin, ann):
    a, older = document(fin, date="2026-01-05", lines=[LineInput("A", "10000")])
    b, newer = document(fin, date="2026-01-09", lines=[LineInput("B", "20000")])
    response = ann.post("/c/ACME/finance/payments/-/new", data={
        **payment_form(amount="25000"), **settle((a, False, ""), (b, True, "5,000"))})
    assert response.status_code == 302, response.get_data(True)
    record = get_json(ann, response.headers["Location"])
    assert [(x["invoice"], x["amount"]) for x in record["allocations"]] == [(newer, "5000")]
    assert record["unallocated"] == "20000"
    # what is left settles the older one from the payment's page
    page = ann.get(response.headers["Location"]).get_data(True)
    assert "Settle a document with what is left" in page and older in page
    url = f"/c/ACME/finance/payments/{record['number']}/allocate"
    before = snapshot(fin)
    for data, error in (({"invoice": str(a), "amount": "99999"}, "at most 11000 is open"),
                        ({"invoice": str(a), "amount": "-1"}, "Enter a positive amount."),
                        ({"invoice": "999"}, "unknown invoice")):
        refused = ann.post(url, data=data)
        assert refused.status_code in (400, 404) and error in refused.get_data(True), (
            data,
            refused.status_code,
        )
    assert snapshot(fin) == before
    done = ann.post(url, data={"invoice": str(a)})
    assert done.status_code == 302
    record = get_json(ann, done.headers["Location"])
    assert record["unallocated"] == "9000" and [x["invoice"] for x in record["allocations"]] == [newer, older]
    sound(fin)


def test_an_outbound_payment_settles_a_bill(app, fin, ann):
    bill_id, bill = document(fin, kind="bill", party="S1", lines=[LineInput("Paper stock", "120000")])
    page = ann.get(f"/c/ACME/finance/payments/-/new?invoice={bill_id}").get_data(True)
    assert '<option selected value="outbound">' in page or 'value="outbound" selected' in page
    data = {**payment_form(party="S1", amount="132000", direction="outbound", journal="CASH"),
            **settle((bill_id, True, ""))}
    before = snapshot(fin)
    refused = ann.post("/c/ACME/finance/payments/-/new", data=data)  # the till is empty
    assert refused.status_code == 400 and "account 101 must not go negative" in refused.get_data(True)
    assert snapshot(fin) == before
    response = ann.post("/c/ACME/finance/payments/-/new", data={**data, "journal": "BANK"})
    assert response.status_code == 302, response.get_data(True)
    assert get_json(ann, f"/c/ACME/finance/invoices/{bill}")["payment_state"] == "paid"
    assert get_json(ann, response.headers["Location"])["journal"] == "BANK"
    sound(fin)


@pytest.mark.parametrize("change, error", [
    ({"amount": "0"}, "Enter a positive amount."),
    ({"amount": "12abc"}, "malformed amount"),
    ({"amount": ""}, "This field is required."),
    ({"party": "NOPE"}, "unknown party"),
    ({"date": "yesterday"}, "Not a valid date value."),
    ({"journal": "INV"}, "Not a valid choice."),
    ({"direction": "sideways"}, "Not a valid choice."),
    ({"currency": "USD"}, "no exchange rate for USD"),
    ({"date": "2025-12-31"}, "the books of ACME are closed up to"),
])
def test_a_refused_payment_answers_400_and_writes_nothing(app, fin, ann, change, error):
    document(fin)
    if "2025" in change.get("date", ""):
        from core.companies import get_company, set_lock_date

        with fin.session() as s:
            import datetime as dt
            set_lock_date(s, get_company(s, "ACME"), dt.date(2025, 12, 31))
    before = snapshot(fin)
    response = ann.post("/c/ACME/finance/payments/-/new", data={**payment_form(), **change})
    assert response.status_code == 400
    assert error in response.get_data(True)
    assert snapshot(fin) == before


def test_settling_more_than_is_open_or_another_partys_document_is_refused(app, fin, ann):
    invoice_id, _n = document(fin)
    other_id, _m = document(fin, party="C2")
    before = snapshot(fin)
    for rows, error in ((((invoice_id, True, "400000"),), "at most 300850 is open"),
                        (((other_id, True, ""),), "belong to different parties"),
                        (((invoice_id, True, "-5"),), "Enter a positive amount.")):
        response = ann.post(
            "/c/ACME/finance/payments/-/new", data={**payment_form(amount="500000"), **settle(*rows)}
        )
        assert response.status_code == 400 and error in response.get_data(True), error
    assert snapshot(fin) == before and count(fin, Payment) == 0


def test_the_payment_list_filters_and_exports(app, fin, ann):
    document(fin)
    received = pay(fin, amount="1000")
    paid_out = pay(fin, party="S1", amount="2000", direction="outbound", date="2026-01-21")
    items = get_json(ann, "/c/ACME/finance/payments")["items"]
    assert [(i["number"], i["direction"], i["amount"]) for i in items] == [(paid_out, "paid out", "2000"),
                                                                           (received, "received", "1000")]
    assert items[0]["url"] == f"/c/ACME/finance/payments/{paid_out}"
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/payments?direction=inbound")["items"]] == [
        received
    ]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/payments?open=1")["items"]] == [paid_out]
    assert [i["number"] for i in get_json(ann, "/c/ACME/finance/payments?q=namsan")["items"]] == [paid_out]
    header, *rows = read_csv(ann.get("/c/ACME/finance/payments?format=csv&sort=date"))
    assert header[0] == "Number" and [r[0] for r in rows] == [received, paid_out]
    assert ann.get("/c/ACME/finance/payments?direction=up").status_code == 400
    assert ann.get("/c/ACME/finance/payments/BANK/2026/00099").status_code == 404
    viv = signed_in(app, "viv")
    page = viv.get(f"/c/ACME/finance/payments/{paid_out}").get_data(True)
    assert "Settle a document with what is left" not in page  # reading, not settling
    assert "Register a payment" not in viv.get("/c/ACME/finance/payments").get_data(True)

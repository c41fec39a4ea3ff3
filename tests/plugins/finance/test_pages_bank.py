"""Bank statements through the web: importing a CSV export (all or nothing,
duplicates, encodings, size), a statement and its lines, the suggestions for
a line with their scores and reasons, matching a line (documents, a payment,
a party), auto-matching a statement; who may do what, CSRF, isolation."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from core.companies import get_company
from plugins.finance.bank import import_statement, statement_data
from plugins.finance.documents import Payment
from plugins.finance.invoices import LineInput
from plugins.finance.models import BankLine, BankLineState, BankStatement
from plugins.finance.routes.bank import MAX_UPLOAD
from tests.plugins.finance.pages import document, pay, sound
from tests.web.conftest import PASSWORD, make_app
from tests.web.pages import JSON, get_json, signed_in, snapshot

HEADER = "date,amount,reference,counterparty\n"
MARCH = (HEADER +
         "2026-03-05,300850,INV/2026/00001,Hanbit Retail\n"   # C1's invoice: amount, number and name
         "2026-03-06,-5000,Fee,Kookmin Bank\n"                 # nothing to match
         "2026-03-07,110000,thanks,Seoul Office Supply\n")      # C2's invoice: amount and name
IMPORT = "/c/ACME/finance/bank/-/import"


def upload(client, text, filename="march.csv", **fields):
    data = text.encode("utf-8") if isinstance(text, str) else text
    form = {
        "file": (io.BytesIO(data), filename),
        "journal": "BANK",
        "encoding": "utf-8-sig",
        "delimiter": "comma",
        **fields,
    }
    return client.post(IMPORT, data=form, content_type="multipart/form-data")


@pytest.fixture
def books(fin):
    """C1 owes INV/2026/00001 (300,850) and C2 INV/2026/00002 (110,000)."""
    document(fin)
    document(fin, party="C2", date="2026-01-12", lines=[LineInput("Chairs", "100000")])
    return fin


def imported(db, text=MARCH, code="ACME", name="march.csv") -> tuple[int, list[int]]:
    with db.session() as s:
        statement = import_statement(s, get_company(s, code), "BANK", text, name=name).statement
        return statement.id, [line.id for line in statement.lines]


def books_of(db) -> dict:
    """Everything but the audit trail (which keeps every refusal)."""
    return {table: rows for table, rows in snapshot(db).items() if table != "core_audit"}


def statement_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(True)[-800:]
    return int(re.fullmatch(r"/c/ACME/finance/bank/(\d+)", response.headers["Location"])[1])


# -- who may do what --------------------------------------------------------------------------

def test_bank_pages_need_sign_in_finance_and_the_right_permission(app, books):
    statement, (line, *_rest) = imported(books)
    gets = [
        "/c/ACME/finance/bank",
        IMPORT,
        f"/c/ACME/finance/bank/{statement}",
        f"/c/ACME/finance/bank/lines/{line}",
    ]
    posts = [
        IMPORT,
        f"/c/ACME/finance/bank/lines/{line}/match",
        f"/c/ACME/finance/bank/{statement}/auto-match",
    ]
    anonymous, abe, viv, bob = (app.test_client(), signed_in(app, "abe"), signed_in(app, "viv"),
                                signed_in(app, "bob"))
    ann, oli = signed_in(app, "ann"), signed_in(app, "oli")
    before = books_of(books)
    for method, url in [("GET", u) for u in gets] + [("POST", u) for u in posts]:
        answer = anonymous.open(url, method=method)
        assert answer.status_code == 302 and "/login?next=" in answer.headers["Location"], url
        assert anonymous.open(url, method=method, headers=JSON).status_code == 401, url
        assert ann.open(url.replace("/c/ACME/", "/c/PLAIN/"), method=method).status_code == 404, url
        assert oli.open(url, method=method).status_code == 404, url
        assert abe.open(url, method=method).status_code == 403, url
    for url in gets:
        expected = 403 if url == IMPORT else 200  # importing needs finance.payment
        assert viv.get(url).status_code == expected, url
        assert bob.get(url).status_code == 200, url
    for url in posts:
        assert viv.post(url).status_code == 403, url
    assert books_of(books) == before
    page = viv.get(f"/c/ACME/finance/bank/lines/{line}").get_data(True)
    assert "Suggestions" in page and "Match by hand" not in page and "<button" not in page.split("<main>")[1]
    assert "Import a statement" not in viv.get("/c/ACME/finance/bank").get_data(True)
    assert "Import a statement" in bob.get("/c/ACME/finance/bank").get_data(True)


def test_every_bank_post_needs_the_csrf_token(fin):
    document(fin)
    document(fin, party="C2", date="2026-01-12", lines=[LineInput("Chairs", "100000")])
    app = make_app(fin)  # CSRF on
    statement, (line, *_rest) = imported(fin, HEADER + "2026-03-05,300850,INV/2026/00001,Hanbit Retail\n"
                                              "2026-03-06,110000,INV/2026/00002,Seoul Office Supply\n")
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(True))[1]
    client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token})
    calls = [
        (
            IMPORT,
            lambda: {
                "file": (io.BytesIO(b"date,amount,reference,counterparty\n2026-03-09,5,x,y\n"), "a.csv"),
                "journal": "BANK",
                "encoding": "utf-8-sig",
                "delimiter": "comma",
            },
        ),
        (f"/c/ACME/finance/bank/lines/{line}/match", lambda: {"invoices": "INV/2026/00001"}),
        (f"/c/ACME/finance/bank/{statement}/auto-match", dict),
    ]
    for url, data in calls:
        before = snapshot(fin)
        for forged in ({}, {"csrf_token": "not-a-token"}):
            refused = client.post(url, data={**data(), **forged}, content_type="multipart/form-data")
            assert refused.status_code == 400 and "did not come from this site" in refused.get_data(True), url
        assert snapshot(fin) == before, url
        page = client.get(f"/c/ACME/finance/bank/lines/{line}").get_data(True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        done = client.post(url, data={**data(), "csrf_token": token}, content_type="multipart/form-data")
        assert done.status_code in (200, 302), (url, done.status_code, done.get_data(True)[-600:])
        assert snapshot(fin) != before, url
    sound(fin)


# -- importing --------------------------------------------------------------------------------

def test_an_import_writes_the_statement_and_shows_its_lines(app, books, ann):
    form = ann.get(IMPORT).get_data(True)
    assert (
        'enctype="multipart/form-data"' in form and 'type="file"' in form and '<option value="BANK">' in form
    )
    statement = statement_id_of(upload(ann, MARCH))
    page = ann.get(f"/c/ACME/finance/bank/{statement}").get_data(True)
    assert "Statement march.csv: 3 lines imported." in page
    assert "₩300,850" in page and "-₩5,000" in page and "Kookmin Bank" in page and "Auto-match" in page
    record = get_json(ann, f"/c/ACME/finance/bank/{statement}")
    with books.session() as s:
        expected = statement_data(s, s.get(BankStatement, statement))
    assert record["open"] == 3 and record["name"] == "march.csv" and record["journal"] == "BANK"
    assert [(l["date"], l["amount"], l["reference"], l["state"]) for l in record["lines"]] == [
        (str(l["date"]), str(l["amount"]), l["reference"], l["state"].value) for l in expected["lines"]]
    items = get_json(ann, "/c/ACME/finance/bank")["items"]
    assert [(i["id"], i["name"], i["journal"], i["lines"], i["open"]) for i in items] == [
        (statement, "march.csv", "BANK", 3, 3)]
    assert items[0]["url"] == f"/c/ACME/finance/bank/{statement}"
    sound(books)


def test_duplicates_are_refused_or_skipped_when_asked(app, books, ann):
    statement_id_of(upload(ann, MARCH))
    before = snapshot(books)
    again = upload(ann, MARCH + "2026-03-09,7000,new,Someone\n", filename="march-2.csv")
    assert again.status_code == 400 and "3 of 4 lines are in journal BANK already" in again.get_data(True)
    assert snapshot(books) == before
    statement = statement_id_of(upload(ann, MARCH + "2026-03-09,7000,new,Someone\n", filename="march-2.csv",
                                       skip_duplicates="y", name="March, again"))
    record = get_json(ann, f"/c/ACME/finance/bank/{statement}")
    assert record["name"] == "March, again" and [l["reference"] for l in record["lines"]] == ["new"]
    assert "1 lines imported, 3 imported already and skipped" in ann.get(
        f"/c/ACME/finance/bank/{statement}").get_data(True)


@pytest.mark.parametrize(
    "text, fields, message",
    [
        (HEADER + "2026-03-02,100,a,b\n2026-02-30,100,a,b\n", {}, "line 3: malformed date"),
        (HEADER + "2026-03-02,12a,a,b\n", {}, "line 2: malformed amount"),
        ("date,reference,counterparty\n2026-03-02,a,b\n", {}, "missing column(s) debit, credit"),
        ("", {}, "the file is empty"),
        ("한글,금액\n".encode("cp949"), {}, "The file is not UTF-8 text"),
        (MARCH, {"journal": "SALE"}, "Not a valid choice"),
        (MARCH, {"currency": "XY"}, "Field must be exactly 3 characters long."),
        (
            MARCH.replace("2026-03-05", "2026-03-05").replace(",300850,", ",1.5,"),
            {},
            "more than 0 decimal places",
        ),
        (MARCH, {"columns": "when=Date"}, "Write each column as FIELD=HEADER"),
        (MARCH, {"delimiter": "pipe"}, "Not a valid choice"),
    ],
)
def test_a_bad_file_answers_400_naming_the_problem_and_writes_nothing(app, books, ann, text, fields, message):
    before = snapshot(books)
    answer = upload(ann, text, **fields)
    assert answer.status_code == 400
    assert message in answer.get_data(True).replace("&#39;", "'"), answer.get_data(True)[-1500:]
    assert snapshot(books) == before


def test_no_file_or_a_file_too_large_is_refused(app, books, ann):
    before = snapshot(books)
    missing = ann.post(IMPORT, data={"journal": "BANK", "encoding": "utf-8-sig", "delimiter": "comma"},
                       content_type="multipart/form-data")
    assert missing.status_code == 400 and "This field is required." in missing.get_data(True)
    large = upload(ann, HEADER + "x" * (MAX_UPLOAD - len(HEADER) + 1))
    assert large.status_code == 400 and "larger than 5 MB" in large.get_data(True)
    huge = upload(ann, HEADER + "x" * (MAX_UPLOAD + 100_000))
    assert huge.status_code == 413
    assert snapshot(books) == before


def test_a_korean_banks_export_in_cp949_with_its_own_headers(app, books, ann):
    text = "거래일,출금,입금,적요,보낸분\n2026-03-05,,\"300,850\",INV/2026/00001,한빛리테일\n"
    statement = statement_id_of(upload(ann, text.encode("cp949"), encoding="cp949",
                                       columns="date=거래일\ndebit=출금\ncredit=입금\nreference=적요\ncounterparty=보낸분"))
    (line,) = get_json(ann, f"/c/ACME/finance/bank/{statement}")["lines"]
    assert (line["amount"], line["counterparty"]) == ("300850", "한빛리테일")


# -- suggestions and matching -------------------------------------------------------------------

def test_a_line_shows_its_suggestions_with_scores_and_reasons_and_matches_one(app, books, ann):
    statement, (first, fee, second) = imported(books)
    record = get_json(ann, f"/c/ACME/finance/bank/lines/{first}")
    assert record["line"]["amount"] == "300850" and record["line"]["state"] == "open"
    best = record["suggestions"][0]
    assert best["invoices"] == ["INV/2026/00001"] and best["strong"] is True and best["score"] >= 90
    assert any("the reference mentions INV/2026/00001" in reason for reason in best["reasons"])
    page = ann.get(f"/c/ACME/finance/bank/lines/{first}").get_data(True)
    assert f"<td data-label=\"Score\">{best['score']} <span class=\"badge installed\">strong</span>" in page
    assert "the reference mentions INV/2026/00001" in page
    assert 'name="invoices" value="INV/2026/00001"' in page and "Match by hand" in page
    assert get_json(ann, f"/c/ACME/finance/bank/lines/{fee}")["suggestions"] == []
    assert "No suggestion" in ann.get(f"/c/ACME/finance/bank/lines/{fee}").get_data(True)
    done = ann.post(f"/c/ACME/finance/bank/lines/{first}/match", data={"invoices": "INV/2026/00001"})
    assert done.status_code == 302 and done.headers["Location"] == f"/c/ACME/finance/bank/{statement}"
    page = ann.get(done.headers["Location"]).get_data(True)
    assert f"Line {first} is matched: payment BANK/2026/00001." in page
    assert 'href="/c/ACME/finance/payments/BANK/2026/00001"' in page
    matched = get_json(ann, f"/c/ACME/finance/bank/lines/{first}")
    assert matched["line"]["state"] == "matched" and matched["line"]["payment"] == "BANK/2026/00001"
    assert matched["suggestions"] == []
    assert get_json(ann, "/c/ACME/finance/invoices/INV/2026/00001")["payment_state"] == "paid"
    payment = get_json(ann, "/c/ACME/finance/payments/BANK/2026/00001")
    assert (
        payment["amount"] == "300850"
        and payment["date"] == "2026-03-05"
        and payment["reference"] == "INV/2026/00001"
    )
    before = snapshot(books)
    twice = ann.post(f"/c/ACME/finance/bank/lines/{first}/match", data={"invoices": "INV/2026/00001"})
    assert twice.status_code == 400 and "is matched already" in twice.get_data(True)
    assert snapshot(books) == before
    sound(books)


def test_a_line_matches_an_existing_payment_or_only_a_party(app, books, ann):
    registered = pay(books, party="C2", amount="110000", date="2026-03-07")
    statement, (first, fee, second) = imported(books)
    suggestions = get_json(ann, f"/c/ACME/finance/bank/lines/{second}")["suggestions"]
    assert any(s["payment"] == registered for s in suggestions)
    linked = ann.post(f"/c/ACME/finance/bank/lines/{second}/match", data={"payment": registered})
    assert linked.status_code == 302, linked.get_data(True)[-800:]
    assert get_json(ann, f"/c/ACME/finance/bank/lines/{second}")["line"]["payment"] == registered
    payments = len(get_json(ann, "/c/ACME/finance/payments")["items"])
    fee_match = ann.post(f"/c/ACME/finance/bank/lines/{fee}/match", data={"party": "S1", "supplier": "y"})
    assert fee_match.status_code == 302, fee_match.get_data(True)[-800:]
    line = get_json(ann, f"/c/ACME/finance/bank/lines/{fee}")["line"]
    paid = get_json(ann, f"/c/ACME/finance/payments/{line['payment']}")
    assert (paid["party"], paid["direction"], paid["amount"], paid["unallocated"]) == (
        "S1",
        "outbound",
        "5000",
        "5000",
    )
    assert len(get_json(ann, "/c/ACME/finance/payments")["items"]) == payments + 1
    sound(books)


@pytest.mark.parametrize("data, message", [
    ({}, "Say what the line is"),
    ({"invoices": "INV/2026/00099"}, "unknown"),
    ({"invoices": "INV/2026/00001, INV/2026/00002"}, "belong to different parties"),
    ({"payment": "BANK/2026/00077"}, "unknown payment"),
    ({"party": "NOPE"}, "unknown party"),
    ({"invoices": "INV/2026/00001", "party": "C2"}, "are not of party C2"),
])
def test_a_refused_match_answers_400_with_the_reason_and_writes_nothing(app, books, ann, data, message):
    _statement, (first, *_rest) = imported(books)
    before = snapshot(books)
    answer = ann.post(f"/c/ACME/finance/bank/lines/{first}/match", data=data)
    assert answer.status_code == 400
    assert message in answer.get_data(True), answer.get_data(True)[-1500:]
    assert "Suggestions" in answer.get_data(True)  # the line's page again, with the reason
    assert snapshot(books) == before


def test_auto_match_matches_the_clear_lines_and_says_why_it_left_the_others(app, books, ann):
    statement, (first, fee, second) = imported(books)
    page = ann.post(f"/c/ACME/finance/bank/{statement}/auto-match")
    assert page.status_code == 200
    text = page.get_data(True)
    assert "2 lines matched, 1 left open." in text
    assert f'<tr data-matched="{first}">' in text and f'<tr data-matched="{second}">' in text
    assert f'<tr data-left="{fee}">' in text and "no strong suggestion" in text
    assert 'href="/c/ACME/finance/invoices/INV/2026/00002"' in text
    with books.session() as s:
        states = {line.id: line.state for line in s.scalars(select(BankLine))}
        assert states == {
            first: BankLineState.MATCHED,
            fee: BankLineState.OPEN,
            second: BankLineState.MATCHED,
        }
        assert len(s.scalars(select(Payment)).all()) == 2
    again = ann.post(f"/c/ACME/finance/bank/{statement}/auto-match", headers=JSON)
    assert again.status_code == 200
    assert again.get_json() == {"statement": statement, "matched": [],
                                "left": [{"line": fee, "why": "no strong suggestion"}]}
    assert get_json(ann, "/c/ACME/finance/invoices/INV/2026/00002")["payment_state"] == "paid"
    sound(books)


def test_another_companys_statement_or_line_is_404(app, books, ann):
    document(books, code="OTHER")
    other_statement, (other_line, *_rest) = imported(books, code="OTHER")
    imported(books)  # ACME's own
    before = snapshot(books)
    for method, url in (("GET", f"/c/ACME/finance/bank/{other_statement}"),
                        ("GET", f"/c/ACME/finance/bank/lines/{other_line}"),
                        ("POST", f"/c/ACME/finance/bank/lines/{other_line}/match"),
                        ("POST", f"/c/ACME/finance/bank/{other_statement}/auto-match"),
                        ("GET", "/c/ACME/finance/bank/999999"), ("GET", "/c/ACME/finance/bank/lines/999999")):
        answer = ann.open(url, method=method, data={"invoices": "INV/2026/00001"})
        assert answer.status_code == 404, (method, url, answer.status_code)
    assert snapshot(books) == before
    assert (
        get_json(signed_in(app, "oli"), f"/c/OTHER/finance/bank/{other_statement}")["id"] == other_statement
    )
    with books.session() as s:
        assert s.get(BankLine, other_line).state == BankLineState.OPEN

"""The list helper: CSV that a spreadsheet cannot run, JSON that carries amounts exactly."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import html
import io
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.catalog import create_party, create_product
from core.companies import get_company
from core.ledger import Draft, Leg
from tests.web.conftest import add_user, make_app
from tests.web.pages import (
    JSON,
    get_json,
    read_csv,
    seed,
    signed_in,
    snapshot,
)
from web.lists import AMOUNT, DATE, NUMBER, TEXT, Column, csv_response, jsonable

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [Column("memo", "Memo"), Column("amount", "Amount", kind=AMOUNT), Column("qty", "Qty", kind=NUMBER),
           Column("day", "Day", kind=DATE), Column("code", "Code", kind=TEXT, get=lambda r: r.memo.upper())]


def exported(rows, columns=COLUMNS, decorate=None) -> list[list[str]]:
    response = csv_response(rows, columns, "x", decorate)
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'
    return list(csv.reader(io.StringIO(response.get_data(True), newline="")))


def row(memo, amount=Decimal("0"), qty=Decimal("0"), day=dt.date(2024, 1, 2)):
    return SimpleNamespace(memo=memo, amount=amount, qty=qty, day=day)


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+1+2", "-2-3", "@cmd", "\tx", "\r=1", "=HYPERLINK(\"http://x\")",
                                  " =padded", "  @cmd", " \t1"])  # spreadsheets strip leading spaces first
def test_csv_text_cells_that_a_spreadsheet_would_run_are_quoted(text):
    header, line = exported([row(text)])
    assert header == ["Memo", "Amount", "Qty", "Day", "Code"]
    assert line[0] == "'" + text and line[4] == "'" + text.upper()


@pytest.mark.parametrize("text", ["plain", "a=b", "1+1", "", " padded", "'already"])
def test_csv_harmless_text_is_left_as_it_is(text):
    assert exported([row(text)])[1][0] == text


def test_csv_amounts_numbers_and_dates_are_never_quoted():
    (_, line) = exported([row("x", Decimal("-12.50"), Decimal("-0.125"), dt.date(2024, 2, 29))])
    assert line[1:4] == ["-12.50", "-0.125", "2024-02-29"]
    (_, line) = exported([SimpleNamespace(memo=None, amount=None, qty=Decimal("1E+3"), day=None)],
                         COLUMNS[:4])
    assert line == ["", "", "1000", ""]  # never an exponent: what Jangbu writes, parse_amount reads back


@given(st.text(max_size=20))
def test_csv_any_text_comes_back_as_written_or_quoted_once(text):
    cell = exported([row(text)], COLUMNS[:1])[1][0]
    if text[:1] in DANGEROUS:
        assert cell == "'" + text
    else:
        assert cell == text


def test_csv_decorate_sees_every_chunk_in_order(monkeypatch):
    import web.lists

    monkeypatch.setattr(web.lists, "_CSV_CHUNK", 3)
    calls = []

    def decorate(rows, offset):
        calls.append((offset, len(rows)))
        return [row(f"{offset + i}:{r.memo}") for i, r in enumerate(rows)]

    lines = exported([row(str(n)) for n in range(8)], COLUMNS[:1], decorate)[1:]
    assert calls == [(0, 3), (3, 3), (6, 2)]
    assert [line[0] for line in lines] == [f"{n}:{n}" for n in range(8)]


class Colour(enum.Enum):
    RED = "red"


def test_jsonable_keeps_decimals_exact_and_dates_as_iso():
    assert jsonable(Decimal("1.10")) == "1.10"
    assert jsonable(Decimal("-0.001")) == "-0.001"
    assert jsonable(Decimal("12345678901234567.89")) == "12345678901234567.89"
    assert jsonable(dt.date(2024, 3, 1)) == "2024-03-01"
    assert jsonable(dt.datetime(2024, 3, 1, 9, 30)) == "2024-03-01T09:30:00"
    assert jsonable(Colour.RED) == "red"
    assert jsonable(7) == 7 and jsonable(None) is None and jsonable("x") == "x"


def test_the_apps_json_carries_decimals_as_strings(app):
    payload = {"amount": Decimal("100.10"), "when": dt.date(2024, 1, 1), "colour": Colour.RED,
               "nested": [Decimal("0.00")]}
    assert json.loads(app.json.dumps(payload)) == {"amount": "100.10", "when": "2024-01-01", "colour": "red",
                                                   "nested": ["0.00"]}
    with pytest.raises(TypeError):
        app.json.dumps({"x": object()})


# -- the same rules at the pages ---------------------------------------------------------------

@pytest.fixture
def dollars(db):
    """A company keeping its books in USD, with a product counted in kilograms."""
    db.company("USCO", currency="USD")
    with db.session() as s:
        company = get_company(s, "USCO")
        create_product(s, company, "FLOUR", "Flour", unit="kg")
        create_party(s, company, "@ATTACK", '=HYPERLINK("http://evil.example","x")', email="-x@example.com")
    seed(
        db,
        "USCO",
        [
            Draft("2024-01-02", [Leg("1100", "12.30"), Leg("4000", "-12.30")], "=1+1"),
            Draft("2024-01-03", [Leg("4000", "0.05"), Leg("1100", "-0.05")], "-refund"),
            Draft("2024-01-04", [Leg("WH", "1.500", "FLOUR"), Leg("OUT", "-1.500", "FLOUR")], "@stock"),
        ],
    )
    add_user(db, "ann", {"USCO": "admin"})
    return signed_in(make_app(db, WTF_CSRF_ENABLED=False), "ann")


def test_pages_carry_amounts_as_exact_strings(dollars):
    lines = get_json(dollars, "/c/USCO/ledger/accounts/1100")["items"]
    assert [(i["amount"], i["balance"]) for i in lines] == [("-0.05", "12.25"), ("12.30", "12.30")]
    stock = get_json(dollars, "/c/USCO/ledger/accounts/WH?commodity=FLOUR")["items"]
    assert [(i["amount"], i["balance"]) for i in stock] == [("1.500", "1.500")]
    chart = {a["code"]: a["balances"] for a in get_json(dollars, "/c/USCO/ledger/accounts")["accounts"]}
    assert chart["1100"] == {"USD": "12.25"} and chart["WH"] == {"FLOUR": "1.500"}
    totals = get_json(dollars, "/c/USCO/ledger/trial-balance")["totals"]
    assert totals == {
        "USD": {"debit": "12.25", "credit": "12.25"},
        "FLOUR": {"debit": "1.500", "credit": "1.500"},
    }
    assert [i["total"] for i in get_json(dollars, "/c/USCO/ledger/transactions?sort=id")["items"]] == [
        "12.30", "0.05", "0.00"]


def test_page_exports_quote_formulas_but_not_amounts(dollars):
    rows = read_csv(dollars.get("/c/USCO/ledger/transactions?sort=id&format=csv"))[1:]
    assert [(r[2], r[4]) for r in rows] == [("'=1+1", "12.30"), ("'-refund", "0.05"), ("'@stock", "0.00")]
    rows = read_csv(dollars.get("/c/USCO/ledger/accounts/1100?format=csv"))[1:]
    assert [(r[2], r[3], r[4]) for r in rows] == [("'-refund", "-0.05", "12.25"), ("'=1+1", "12.30", "12.30")]
    (party,) = read_csv(dollars.get("/c/USCO/parties/?format=csv"))[1:]
    assert (
        party[:2] == ["'@ATTACK", '\'=HYPERLINK("http://evil.example","x")'] and party[3] == "'-x@example.com"
    )
    rows = read_csv(dollars.get("/c/USCO/ledger/trial-balance?format=csv"))[1:]
    assert ["4000", "Sales", "income", "USD", "0.00", "12.25"] in rows


# -- bad parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("query, message", [
    ("page=0", "page must be a whole number"), ("page=abc", "page must be a whole number"),
    ("page=-2", "page must be a whole number"), ("page=100001", "page must be a whole number"),
    ("page=²", "page must be a whole number"), ("page=١", "page must be a whole number"),
    ("sort=bogus", "cannot sort by 'bogus'"), ("sort=total", "cannot sort by 'total'"),
    ("q=" + "x" * 201, "search text must be at most 200 characters"),
])
def test_bad_list_parameters_answer_400_with_one_message(app, acme, query, message):
    ann = signed_in(app, "ann")
    url = f"/c/ACME/ledger/transactions?{query}"
    body = get_json(ann, url, 400)
    assert list(body) == ["error"] and body["error"].startswith(message)
    page = ann.get(url)
    assert page.status_code == 400 and html.unescape(page.get_data(True)).count(message) == 1
    assert get_json(ann, "/c/ACME/ledger/transactions?q=" + "x" * 200)["items"] == []


NUL_REQUESTS = {
    "search": ("GET", "/c/ACME/ledger/transactions?q=a%00b", None),
    "path": ("GET", "/c/ACME/parties/a%00b", None),
    "form": ("POST", "/c/ACME/parties/-/new", {"code": "N\x00", "name": "Nul", "kind": "person"}),
    "login": ("POST", "/login", {"username": "ann\x00", "password": "whatever it is"}),
}


@pytest.mark.parametrize("what", list(NUL_REQUESTS))
def test_a_nul_character_in_a_request_is_not_a_server_error(app, acme, request, what):
    """PostgreSQL refuses NUL in text: the request is refused before any query, on every engine."""
    method, url, data = NUL_REQUESTS[what]
    client = signed_in(app, "ann") if what != "login" else app.test_client()
    before = snapshot(acme)
    assert client.open(url, method=method, data=data, headers=JSON).status_code == 400
    assert snapshot(acme) == before

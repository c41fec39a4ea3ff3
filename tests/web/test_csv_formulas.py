"""No CSV the product writes lets a spreadsheet run a cell as a formula, even
one hidden behind blanks (spreadsheets strip leading spaces before deciding)."""

from __future__ import annotations

import pytest

from core.catalog import create_party, create_product
from core.companies import get_company
from core.csvtext import defuse
from core.ledger import Draft, Leg
from tests.web.conftest import add_user, make_app
from tests.web.pages import read_csv, seed, signed_in

STARTS = ["=", "+", "-", "@", "\t", "\r"]
BLANKS = ["", " ", "   ", "\u00a0", "\u3000", " \n"]
HARMLESS = ["1+1", "a=b", " plain", "", "x-1", "'=already quoted"]


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize("start", STARTS)
def test_a_formula_start_behind_any_blanks_is_quoted(start, blank):
    text = f"{blank}{start}1+1"
    assert defuse(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_as_it_is(text):
    assert defuse(text) == text


NAMES = [" =1+1", "  +SUM(A1)", "\t=1", "\r=1", " @cmd", " -2+3", "\u00a0=1", "Plain"]


@pytest.fixture
def exports(db):
    db.company("ACME")
    with db.session() as s:
        company = get_company(s, "ACME")
        for number, name in enumerate(NAMES):
            create_product(s, company, f"P{number}", name, category=name)
            create_party(s, company, f"C{number}", name)
    seed(db, "ACME", [Draft("2024-01-02", [Leg("1100", "5"), Leg("4000", "-5")], " =1+1")])
    add_user(db, "ann", {"ACME": "admin"})
    return signed_in(make_app(db, WTF_CSRF_ENABLED=False), "ann")


def _quoted(name: str) -> str:
    return name if name == "Plain" else "'" + name


def test_list_exports_quote_formulas_behind_blanks(exports):
    products = read_csv(exports.get("/c/ACME/products/?format=csv&sort=sku"))[1:]
    # names are stored trimmed, categories as given: each quoted all the same
    assert [(row[1], row[2]) for row in products] == [(_quoted(n.strip()), _quoted(n)) for n in NAMES]
    parties = read_csv(exports.get("/c/ACME/parties/?format=csv&sort=code"))[1:]
    assert [row[1] for row in parties] == [_quoted(n.strip()) for n in NAMES]
    (transaction,) = read_csv(exports.get("/c/ACME/ledger/transactions?format=csv"))[1:]
    assert transaction[2] == "' =1+1"

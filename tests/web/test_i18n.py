"""The Korean catalog is complete, compiled and in use; amounts follow the currency.

When a test here fails after you added or changed a string, regenerate the
catalog (the command is at the top of ``babel.cfg``), translate what
``pybabel update`` added to ``web/translations/ko/LC_MESSAGES/messages.po``
and compile it.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import get_locale

from core.users import get_user, set_locale
from tests.web.conftest import add_user, sign_in
from web.i18n import money, number

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
PO = TRANSLATIONS / "ko" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
REGENERATE = "regenerate the catalog: see the command at the top of babel.cfg"

# %(name)s, %s, %d, %%: what Python's % operator (and so gettext's callers) reads.
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")


def _catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="ko")


def _texts(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _extracted() -> dict[str, list[str]]:
    """Every msgid the source holds, extracted with babel.cfg: {msgid: [where]}."""
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse(f, str(ROOT / "babel.cfg"))
    # The -k keywords babel.cfg lists per section: parsed here as well, so
    # that a Babel older than the per-section keywords still sees them.
    keywords = dict(DEFAULT_KEYWORDS)
    for options in options_map.values():
        extra = options.get("keywords")
        if isinstance(extra, str):
            extra = frontend.parse_keywords(extra.split())
        keywords.update(extra or {})
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


# -- the catalog ---------------------------------------------------------------

def test_compiled_catalog_is_the_po_compiled():
    buffer = io.BytesIO()
    write_mo(buffer, _catalog())
    assert MO.exists(), f"{MO} is missing: pybabel compile -d web/translations"
    assert buffer.getvalue() == MO.read_bytes(), (
        f"{MO.name} is older than {PO.name}: pybabel compile -d web/translations"
    )


def test_every_message_is_translated_with_the_same_placeholders():
    catalog = _catalog()
    messages = [m for m in catalog if m.id]
    assert len(messages) > 100
    problems = []
    for m in messages:
        ids, strings = _texts(m.id), _texts(m.string)
        if m.fuzzy:
            problems.append(f"fuzzy: {m.id!r}")
        elif not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {m.id!r}")
        else:
            wanted = Counter(_PLACEHOLDER.findall(ids[0]))
            for s in strings:
                if Counter(_PLACEHOLDER.findall(s)) != wanted:
                    problems.append(f"placeholders differ: {m.id!r} -> {s!r}")
    for m, errors in catalog.check():  # Babel's own checkers (python-format, plurals)
        problems += [f"{m.id!r}: {e}" for e in errors]
    assert not problems, "\n".join(problems)


def test_catalog_covers_every_string_in_the_source():
    extracted = _extracted()
    assert {"Sign in", "Chart of accounts", "Dashboard", "Ledger activity", "asset"} <= set(extracted), \
        "extraction found too little: check babel.cfg and its keywords"
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    missing = {msgid: where for msgid, where in extracted.items() if msgid not in translated}
    assert not missing, f"not in the ko catalog ({REGENERATE}):\n" + "\n".join(
        f"  {msgid!r} at {', '.join(where)}" for msgid, where in sorted(missing.items()))


# -- pages ---------------------------------------------------------------------

@pytest.mark.parametrize("accept", ["ko", "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"])
def test_sign_in_page_in_korean_when_the_browser_asks(app, accept):
    page = app.test_client().get("/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert '<html lang="ko">' in page
    assert "<h1>로그인</h1>" in page
    assert "Sign in" not in page


def test_sign_in_page_in_english_by_default(app):
    client = app.test_client()
    for headers in ({"Accept-Language": "en"}, {}, {"Accept-Language": "fr"}):
        page = client.get("/login", headers=headers).get_data(as_text=True)
        assert '<html lang="en">' in page
        assert "<h1>Sign in</h1>" in page
        assert "로그인" not in page


HANGUL = re.compile("[\uac00-\ud7a3]")
MENU_KO = ["대시보드", "계정과목", "거래", "시산표", "거래처", "품목", "관리"]
MENU_EN = ["Dashboard", "Accounts", "Transactions", "Trial balance", "Parties", "Products", "Admin"]


def _menu(page: str) -> list[str]:
    nav = re.search(r'<nav class="menu"[^>]*>(.*?)</nav>', page, re.S)
    assert nav, page
    return re.findall(r">([^<>]+)</a>", nav.group(1))


def test_users_own_language_wins_over_the_browser(app, db):
    db.company("ACME")
    add_user(db, "minji", {"ACME": "admin"})
    with db.session() as s:
        set_locale(s, get_user(s, "minji"), "ko")
    client = sign_in(app.test_client(), "minji")
    page = client.get("/c/ACME/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ko">' in page
    menu = _menu(page)
    assert set(MENU_KO) <= set(menu)
    assert all(HANGUL.search(label) for label in menu), menu
    assert "로그아웃" in page and "Sign out" not in page
    assert "거래 현황" in page and "Ledger activity" not in page  # a widget title from core
    chart = client.get("/c/ACME/ledger/accounts", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>계정과목표</h1>" in chart
    assert ">자산</span>" in chart and ">재고</span>" in chart  # account types, via web/terms.py


def test_english_pages_for_an_english_browser(app, db):
    db.company("ACME")
    add_user(db, "sam", {"ACME": "admin"})
    client = sign_in(app.test_client(), "sam")
    page = client.get("/c/ACME/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert set(MENU_EN) <= set(_menu(page))
    assert "Ledger activity" in page and "Sign out" in page
    assert not HANGUL.search(page.replace("장부", "").replace("한국어", "")), "Hangul on an English page"


# -- amounts -------------------------------------------------------------------

@pytest.fixture
def korean_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "ko"}):
        assert str(get_locale()) == "ko"
        yield


def test_money_in_korean_has_each_currencys_decimals(korean_request):
    assert money(Decimal("1234567"), "KRW") == "₩1,234,567"
    assert money(Decimal("0"), "KRW") == "₩0"
    assert money(Decimal("-1234567"), "KRW") == "-₩1,234,567"
    usd = money(Decimal("1234.5"), "USD")
    assert usd.endswith("1,234.50") and "$" in usd
    kwd = money(Decimal("1234.5"), "KWD")
    assert kwd.endswith("1,234.500") and "KWD" in kwd
    assert money(None, "KRW") == ""


def test_money_rounds_extra_decimals_half_to_even_for_display_only(korean_request):
    """Babel quantizes to the currency's digits with ROUND_HALF_EVEN (banker's
    rounding): .5 goes to the even neighbour. The Decimal is not changed, and
    ``number`` (no currency) keeps every decimal."""
    amount = Decimal("1234567.5")
    assert money(amount, "KRW") == "₩1,234,568"
    assert money(Decimal("1234568.5"), "KRW") == "₩1,234,568"
    assert money(Decimal("1234567.4999"), "KRW") == "₩1,234,567"
    assert money(Decimal("1.005"), "USD").endswith("1.00")
    assert money(Decimal("1.015"), "USD").endswith("1.02")
    assert money(Decimal("1.23456"), "KWD").endswith("1.235")
    assert amount == Decimal("1234567.5") and amount.as_tuple().exponent == -1
    assert number(Decimal("1234567.5")) == "1,234,567.5"

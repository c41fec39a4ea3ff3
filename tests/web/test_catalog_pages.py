"""Parties and products: lists, the 360° party page assembled from plugins,
product facts, the new-record forms, and another company's records (parties,
products, accounts and transactions)."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from urllib.parse import quote

import pytest

from core import ledger as books
from core.catalog import create_party, create_product
from core.companies import get_company
from core.contributions import Fact, TimelineEntry
from core.ledger import Draft, Leg
from tests.core.test_plugins import fake_plugin
from tests.web.conftest import add_user, make_app
from tests.web.pages import (
    count_transactions,
    get_json,
    read_csv,
    seed,
    signed_in,
    snapshot,
)


def _for_party(code, entries):
    """A hook answering ``entries`` for the party ``code`` and nothing for the others."""
    return lambda session, company, party: list(entries) if party.code == code else []


CRM_ENTRIES = [
    TimelineEntry(dt.datetime(2024, 3, 1, 9, 0), "crm", "call", "Called about prices"),
    TimelineEntry(dt.date(2023, 12, 31), "crm", "note", "First contact", detail="met at the fair"),
]
BILLING_ENTRIES = [
    TimelineEntry(dt.date(2024, 3, 1), "billing", "order", "Order 17", url="/c/ACME/orders/17"),
    TimelineEntry(dt.datetime(2024, 5, 2, 8, 0), "billing", "invoice", "Invoice 9", amount=Decimal("1500"),
                  currency="KRW"),
]


def crm_plugin():
    return fake_plugin("crm", party_timeline=_for_party("P1", CRM_ENTRIES),
                       party_roles=lambda session, company, party: ["prospect"])


def billing_plugin():
    return fake_plugin("billing", party_timeline=_for_party("P1", BILLING_ENTRIES),
                       party_roles=lambda session, company, party: ["customer", "debtor"],
                       product_facts=lambda session, company, product: [
                           Fact("billing", "List price", f"{len(product.sku)},000 KRW", url="/prices")])


@pytest.fixture
def shop(db):
    """ACME with crm and billing installed, a few parties and products; OTHER with its own."""
    db.use_plugins(crm_plugin(), billing_plugin())
    db.company("ACME", plugins=["crm", "billing"])
    db.company("OTHER", plugins=["crm", "billing"])
    with db.session() as s:
        acme, other = get_company(s, "ACME"), get_company(s, "OTHER")
        create_party(s, acme, "P1", "Alpha Trading", email="sales@alpha.example", phone="02-111")
        create_party(s, acme, "P2", "Bora Kim", kind="person", email="bora@example.com")
        create_party(s, acme, "P3", "Cho 100%_Foods", tax_id="123-45")
        create_party(s, other, "SECRET", "Their Customer")
        create_product(s, acme, "WIDGET", "Widget", category="parts", barcode="880001")
        create_product(s, acme, "BOLT", "Bolt", unit="box", category="parts")
        create_product(s, acme, "OIL", "Oil", unit="l", category="fluids")
        create_product(s, other, "HIDDEN", "Their product")
    add_user(db, "ann", {"ACME": "admin", "OTHER": "viewer"})
    add_user(db, "viv", {"ACME": "viewer"})
    add_user(db, "ari", {"OTHER": "admin"})
    return db


@pytest.fixture
def shop_app(shop):
    return make_app(shop, WTF_CSRF_ENABLED=False)


@pytest.fixture
def ann(shop_app):
    return signed_in(shop_app, "ann")


def of_plugins(entries: list[dict]) -> list[dict]:
    """What the test's plugins contributed (core adds entries of its own)."""
    return [e for e in entries if e["plugin"] != "core"]


def assert_newest_first(timeline: list[dict]) -> None:
    def moment(when: str) -> dt.datetime:  # a day counts as its very end
        return dt.datetime.fromisoformat(when) if "T" in when else dt.datetime.combine(
            dt.date.fromisoformat(when), dt.time.max)
    moments = [moment(e["when"]) for e in timeline]
    assert moments == sorted(moments, reverse=True), timeline


# -- parties --------------------------------------------------------------------------

def codes(client, url):
    return [item["code"] for item in get_json(client, url)["items"]]


def test_parties_list_sorts_searches_and_exports(ann):
    assert codes(ann, "/c/ACME/parties/") == ["P1", "P2", "P3"]  # by name
    assert codes(ann, "/c/ACME/parties/?sort=-code") == ["P3", "P2", "P1"]
    assert codes(ann, "/c/ACME/parties/?sort=-name") == ["P3", "P2", "P1"]
    assert codes(ann, "/c/ACME/parties/?q=ALPHA.EX") == ["P1"]  # e-mail, any case
    assert codes(ann, "/c/ACME/parties/?q=kim") == ["P2"]
    assert codes(ann, "/c/ACME/parties/?q=" + quote("0%_")) == ["P3"]
    assert codes(ann, "/c/ACME/parties/?q=" + quote("%")) == ["P3"]
    assert codes(ann, "/c/ACME/parties/?q=SECRET") == []
    first = get_json(ann, "/c/ACME/parties/")["items"][0]
    assert first == {
        "code": "P1",
        "name": "Alpha Trading",
        "kind": "organisation",
        "email": "sales@alpha.example",
        "phone": "02-111",
        "url": "/c/ACME/parties/P1",
    }
    header, *rows = read_csv(ann.get("/c/ACME/parties/?format=csv&sort=code&q=example"))
    assert header == ["Code", "Name", "Kind", "E-mail", "Phone"]
    assert rows == [["P1", "Alpha Trading", "organisation", "sales@alpha.example", "02-111"],
                    ["P2", "Bora Kim", "person", "bora@example.com", ""]]
    page = ann.get("/c/ACME/parties/?q=bora").get_data(True)
    assert 'href="/c/ACME/parties/P2"' in page and "Alpha Trading" not in page
    assert ann.get("/c/ACME/parties/?sort=tax_id").status_code == 400


def test_the_party_page_merges_the_plugins_timelines_newest_first(ann):
    record = get_json(ann, "/c/ACME/parties/P1")
    assert record["name"] == "Alpha Trading" and record["email"] == "sales@alpha.example"
    assert record["roles"] == ["customer", "debtor", "prospect"]
    assert_newest_first(record["timeline"])
    assert [(e["when"], e["plugin"], e["title"]) for e in of_plugins(record["timeline"])] == [
        ("2024-05-02T08:00:00", "billing", "Invoice 9"),
        ("2024-03-01", "billing", "Order 17"),  # a day counts as its end: after the 09:00 call
        ("2024-03-01T09:00:00", "crm", "Called about prices"),
        ("2023-12-31", "crm", "First contact"),
    ]
    invoice, order, _call, contact = of_plugins(record["timeline"])
    assert invoice["amount"] == "1500" and invoice["currency"] == "KRW" and invoice["kind"] == "invoice"
    assert contact["detail"] == "met at the fair" and order["url"] == "/c/ACME/orders/17"
    assert of_plugins(get_json(ann, "/c/ACME/parties/P2")["timeline"]) == []
    page = ann.get("/c/ACME/parties/P1").get_data(True)
    titles = re.findall(r"Invoice 9|Order 17|Called about prices|First contact", page)
    assert titles == ["Invoice 9", "Order 17", "Called about prices", "First contact"]
    assert 'href="/c/ACME/orders/17"' in page and "₩1,500" in page


def test_a_plugin_the_company_uninstalls_leaves_the_party_page(ann):
    assert ann.post("/c/ACME/admin/plugins/uninstall", data={"plugin": "crm"}).status_code == 302
    record = get_json(ann, "/c/ACME/parties/P1")
    assert [e["plugin"] for e in of_plugins(record["timeline"])] == ["billing", "billing"]
    assert_newest_first(record["timeline"])
    assert record["roles"] == ["customer", "debtor"]
    assert "Called about prices" not in ann.get("/c/ACME/parties/P1").get_data(True)
    assert ann.post("/c/ACME/admin/plugins/install", data={"plugin": "crm"}).status_code == 302
    assert len(of_plugins(get_json(ann, "/c/ACME/parties/P1")["timeline"])) == 4


def test_a_timezone_aware_entry_does_not_break_the_party_page(db):
    aware = TimelineEntry(dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc), "tz", "event", "Aware")
    db.use_plugins(fake_plugin("tz", party_timeline=_for_party("P1", [aware])), billing_plugin())
    db.company("ACME", plugins=["tz", "billing"])
    with db.session() as s:
        create_party(s, get_company(s, "ACME"), "P1", "Alpha")
    add_user(db, "ann", {"ACME": "admin"})
    client = signed_in(make_app(db, WTF_CSRF_ENABLED=False), "ann")
    record = get_json(client, "/c/ACME/parties/P1")
    assert [e["title"] for e in of_plugins(record["timeline"])] == ["Aware", "Invoice 9", "Order 17"]


def test_new_party_form_creates_refuses_duplicates_and_bad_email(shop, ann):
    assert 'name="code"' in ann.get("/c/ACME/parties/-/new").get_data(True)
    response = ann.post(
        "/c/ACME/parties/-/new",
        data={
            "code": "P9",
            "name": "Nine Ltd",
            "kind": "organisation",
            "email": "nine@example.org",
            "tax_id": "999",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/c/ACME/parties/P9"
    record = get_json(ann, "/c/ACME/parties/P9")
    assert (record["name"], record["kind"], record["email"], record["tax_id"], record["phone"]) == (
        "Nine Ltd", "organisation", "nine@example.org", "999", None)

    before = snapshot(shop)
    duplicate = ann.post("/c/ACME/parties/-/new", data={"code": "P1", "name": "Again", "kind": "person"})
    assert duplicate.status_code == 400
    form = re.search(r'<form method="post" class="card form".*?</form>', duplicate.get_data(True), re.S)[0]
    form = html.unescape(form)
    assert '<p class="error" role="alert">party \'P1\' exists already in company ACME</p>' in form
    bad = ann.post(
        "/c/ACME/parties/-/new", data={"code": "P10", "name": "Ten", "kind": "person", "email": "ten at home"}
    )
    assert bad.status_code == 400
    field = re.search(
        r'<div class="field has-error">\s*<label for="email">.*?</div>', bad.get_data(True), re.S
    )
    assert field and "Enter an e-mail address." in field[0]
    assert (
        ann.post("/c/ACME/parties/-/new", data={"code": "P11", "name": "X", "kind": "alien"}).status_code
        == 400
    )
    assert ann.post("/c/ACME/parties/-/new", data={"code": "", "name": "X"}).status_code == 400
    assert snapshot(shop) == before
    viv = signed_in(ann.application, "viv")
    assert viv.post("/c/ACME/parties/-/new", data={"code": "P12", "name": "V"}).status_code == 403
    assert viv.get("/c/ACME/parties/P1").status_code == 200


# -- products ----------------------------------------------------------------------------

def test_products_list_sorts_searches_and_exports(ann):
    skus = lambda url: [item["sku"] for item in get_json(ann, url)["items"]]  # noqa: E731
    assert skus("/c/ACME/products/") == ["BOLT", "OIL", "WIDGET"]
    assert skus("/c/ACME/products/?sort=-sku") == ["WIDGET", "OIL", "BOLT"]
    assert skus("/c/ACME/products/?sort=unit") == ["BOLT", "OIL", "WIDGET"]  # box, l, pcs
    assert skus("/c/ACME/products/?sort=-unit") == ["WIDGET", "OIL", "BOLT"]
    assert skus("/c/ACME/products/?sort=-category") == ["BOLT", "WIDGET", "OIL"]  # ties by id, descending too
    assert skus("/c/ACME/products/?q=PARTS") == ["BOLT", "WIDGET"]
    assert skus("/c/ACME/products/?q=8800") == ["WIDGET"]
    assert get_json(ann, "/c/ACME/products/?q=oil")["items"] == [
        {"sku": "OIL", "name": "Oil", "category": "fluids", "unit": "l", "barcode": None,
         "url": "/c/ACME/products/OIL"}]
    header, *rows = read_csv(ann.get("/c/ACME/products/?format=csv"))
    assert header == ["SKU", "Name", "Category", "Unit", "Barcode"]
    assert rows == [["BOLT", "Bolt", "parts", "box", ""], ["OIL", "Oil", "fluids", "l", ""],
                    ["WIDGET", "Widget", "parts", "pcs", "880001"]]


def test_the_product_page_shows_the_plugins_facts(ann):
    record = get_json(ann, "/c/ACME/products/WIDGET")
    assert (
        record["sku"],
        record["name"],
        record["unit"],
        record["category"],
        record["barcode"],
        record["active"],
    ) == ("WIDGET", "Widget", "pcs", "parts", "880001", True)
    assert of_plugins(record["facts"]) == [{"plugin": "billing", "label": "List price", "value": "6,000 KRW",
                                            "url": "/prices"}]
    page = ann.get("/c/ACME/products/WIDGET").get_data(True)
    assert "List price" in page and '<a href="/prices">6,000 KRW</a>' in page
    assert ann.post("/c/ACME/admin/plugins/uninstall", data={"plugin": "billing"}).status_code == 302
    assert of_plugins(get_json(ann, "/c/ACME/products/WIDGET")["facts"]) == []


def test_new_product_form(shop, ann):
    response = ann.post(
        "/c/ACME/products/-/new", data={"sku": "NUT", "name": "Nut", "unit": "kg", "category": "parts"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/c/ACME/products/NUT"
    record = get_json(ann, "/c/ACME/products/NUT")
    assert (record["unit"], record["category"], record["barcode"]) == ("kg", "parts", None)
    before = snapshot(shop)
    for data, error in [({"sku": "NUT", "name": "Again", "unit": "pcs"}, "product 'NUT' exists already"),
                        ({"sku": "NEW", "name": "New", "unit": "bushel"}, "unknown unit 'bushel'"),
                        ({"sku": "krw", "name": "Money", "unit": "pcs"}, "is a currency code"),
                        ({"sku": "A B", "name": "Spaced", "unit": "pcs"}, "must not contain spaces"),
                        ({"sku": "", "name": "Nameless", "unit": "pcs"}, "This field is required.")]:
        refused = ann.post("/c/ACME/products/-/new", data=data)
        assert refused.status_code == 400 and error in html.unescape(refused.get_data(True)), data
    assert snapshot(shop) == before


# -- another company's records -------------------------------------------------------------

@pytest.mark.parametrize("url", ["/c/ACME/parties/SECRET", "/c/ACME/products/HIDDEN"])
def test_another_companys_party_or_product_is_404(shop_app, url):
    what, code = ("party" if "parties" in url else "product"), url.rsplit("/", 1)[1]
    ann, viv = signed_in(shop_app, "ann"), signed_in(shop_app, "viv")  # ann also sees OTHER, as a viewer
    for client in (ann, viv):
        assert client.get(url).status_code == 404
        assert get_json(client, url, 404) == {"error": f"unknown {what} '{code}' in company ACME"}
    assert get_json(ann, url.replace("/c/ACME/", "/c/OTHER/"))  # the record is there, in its own company
    assert viv.get(url.replace("/c/ACME/", "/c/OTHER/")).status_code == 404  # viv is no member of OTHER


def test_another_companys_accounts_and_transactions_are_404(app, acme):
    ann = signed_in(app, "ann")
    with acme.session() as s:
        books.create_account(s, get_company(s, "OTHER"), "7777", "Secret", "asset")
        create_product(s, get_company(s, "OTHER"), "HIDDEN", "Their product")
    (theirs,) = seed(
        acme,
        "OTHER",
        [
            Draft("2024-01-02", [Leg("7777", 50), Leg("4000", -50)], "their memo"),
            Draft("2024-01-02", [Leg("WH", 3, "HIDDEN"), Leg("OUT", -3, "HIDDEN")]),
        ],
    )[:1]
    for url in (
        "/c/ACME/ledger/accounts/7777",
        f"/c/ACME/ledger/transactions/{theirs.id}",
        f"/c/ACME/ledger/transactions/{theirs.id + 1}",
        "/c/ACME/ledger/accounts/WH?commodity=HIDDEN",
    ):
        assert ann.get(url).status_code == 404, url
        assert "error" in get_json(ann, url, 404), url
    assert (
        ann.post(f"/c/ACME/ledger/transactions/{theirs.id}/reverse", data={"date": "2024-01-03"}).status_code
        == 404
    )
    assert count_transactions(acme, "OTHER") == 2
    assert get_json(ann, "/c/ACME/ledger/transactions")["items"] == []
    assert "their memo" not in ann.get("/c/ACME/ledger/transactions?format=csv").get_data(True)
    assert get_json(ann, "/c/OTHER/ledger/accounts", 404)


NEW_RECORD = {"party": ("/c/ACME/parties/-/new", "code", {"name": "Odd Co", "kind": "person"}),
              "product": ("/c/ACME/products/-/new", "sku", {"name": "Odd thing", "unit": "pcs"})}


@pytest.mark.parametrize("kind, code", [
    ("party", "C/001"), ("product", "BOX/10"), ("account", "1000/01"), ("party", "a?b#c d%"),
    ("party", "new"), ("product", "new"),  # the forms live at /-/new, so no code is shadowed
])
def test_a_record_opens_from_its_own_link_whatever_its_code(app, acme, kind, code):
    ann = signed_in(app, "ann")
    if kind == "account":
        with acme.session() as s:
            books.create_account(s, get_company(s, "ACME"), code, "Petty cash", "asset")
        chart = ann.get("/c/ACME/ledger/accounts").get_data(True)
        link = re.search(rf'href="(/c/ACME/ledger/accounts/{re.escape(code)})"', chart)[1]
    else:
        url, field, data = NEW_RECORD[kind]
        created = ann.post(url, data={field: code, **data})
        assert created.status_code == 302
        link = created.headers["Location"]
    assert get_json(ann, link)[{"party": "code", "product": "sku", "account": "items"}[kind]] == (
        code if kind != "account" else [])

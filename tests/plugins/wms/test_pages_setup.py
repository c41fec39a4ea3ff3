"""Setting the warehouse up through the pages (settings, warehouses, a
location tree, product rules, putaway rules) and reading the stock: each
change does what it says, each refusal shows its message and writes nothing."""

from __future__ import annotations

from decimal import Decimal

from core.catalog import get_product
from core.companies import get_company
from plugins.wms.products import rules_of
from plugins.wms.setup import settings_of
from tests.plugins.wms.pages import W, ann, app, everyone, receive, site, snapshot, sound  # noqa: F401
from tests.web.conftest import make_app
from tests.web.pages import get_json, read_csv, signed_in


def _refused(client, url, form, message, db):
    before = snapshot(db)
    answer = client.post(url, data=form)
    assert answer.status_code == 400 and message in answer.get_data(True), (
        url,
        answer.get_data(True)[-1200:],
    )
    assert snapshot(db) == before


def test_settings_warehouses_and_the_location_tree(ann, site):
    assert ann.post(f"{W}/settings/edit", data={"allow_negative": "y", "removal": "fefo",
                                                "cost_method": "average"}).status_code == 302
    shown = get_json(ann, f"{W}/settings")
    assert (shown["allow_negative"], shown["removal"], shown["cost_method"]) == (True, "fefo", "average")
    receive(site, ("PEN", "5", "500"))  # costed stock: the cost method is now fixed
    _refused(ann, f"{W}/settings/edit", {"removal": "fifo", "cost_method": "fifo"},
             "the cost method can change only while no costed stock is on hand", site)

    assert ann.post(f"{W}/warehouses/-/new", data={"code": "west", "name": "West depot"}).status_code == 302
    assert [w["code"] for w in get_json(ann, f"{W}/warehouses")["items"]] == ["EAST", "MAIN", "WEST"]
    _refused(ann, f"{W}/warehouses/-/new", {"code": "WEST", "name": "Again"}, "exists already", site)
    # A parent by its scanned label; a bin takes nothing below it.
    assert ann.post(f"{W}/locations/-/new", data={"parent": "MAIN/A", "code": "02", "barcode": "LOC-A02",
                                                  "count_every": "30"}).status_code == 302
    assert ann.post(f"{W}/locations/-/new", data={"parent": "LOC-A02", "code": "B9"}).status_code == 302
    _refused(ann, f"{W}/locations/-/new", {"parent": "LOC-B1", "code": "X"}, "nothing goes below a bin", site)
    # a code the form allows, whose full path the column does not hold: a form error on both engines, not a
    # 500
    _refused(ann, f"{W}/locations/-/new", {"parent": "MAIN/A", "code": "Z" * 38},
             "location code must be at most 40 characters (it has 45)", site)
    tree = get_json(ann, f"{W}/locations?warehouse=MAIN")["items"]
    assert [(i["code"], i["level"]) for i in tree] == [
        ("MAIN", "warehouse"), ("MAIN/A", "zone"), ("MAIN/A/01", "aisle"), ("MAIN/A/01/B1", "bin"),
        ("MAIN/A/01/B2", "bin"), ("MAIN/A/02", "aisle"), ("MAIN/A/02/B9", "bin")]
    assert tree[5]["count_every_days"] == 30
    page = ann.get(f"{W}/locations?warehouse=MAIN").get_data(True)
    assert 'href="/c/ACME/wms/locations/-/new?parent=MAIN/A/02"' in page  # "add below" an aisle, not a bin
    assert "parent=MAIN/A/02/B9" not in page
    everything = {i["code"] for i in get_json(ann, f"{W}/locations?all=1")["items"]}
    assert "VIRTUAL/CUSTOMERS" in everything and "VIRTUAL/CUSTOMERS" not in {i["code"] for i in tree}
    with site.session() as s:
        assert settings_of(s, get_company(s, "ACME")).allow_negative is True
    sound(site)


def test_product_rules_and_putaway_rules(ann, site):
    rules = ann.get(f"{W}/products/PAPER/rules").get_data(True)
    assert "Company default (first in, first out)" in rules
    assert (
        ann.post(
            f"{W}/products/PAPER/rules",
            data={"tracking": "lot", "removal": "fefo", "cost_method": "", "standard_cost": "8,500"},
        ).status_code
        == 302
    )
    listed = {i["sku"]: i for i in get_json(ann, f"{W}/products")["items"]}
    assert (listed["PAPER"]["tracking"], listed["PAPER"]["standard_cost"]) == ("by lot", "8500")
    assert listed["PEN"]["cost_method"] == "company default"
    receive(site, ("PEN", "5", "500"))
    _refused(ann, f"{W}/products/PEN/rules", {"tracking": "serial", "removal": "", "cost_method": ""},
             "its tracking can change only when none is left", site)
    with site.session() as s:  # not even the rules row the service adds before it refuses
        assert rules_of(s, get_product(s, get_company(s, "ACME"), "PEN")) is None
    assert ann.post(f"{W}/putaway/-/new", data={"location": "LOC-B2", "product": "PEN"}).status_code == 302
    assert ann.post(f"{W}/putaway/-/new", data={"location": "MAIN/A/01/B1", "category": "stationery"}
                    ).status_code == 302
    _refused(ann, f"{W}/putaway/-/new", {"location": "LOC-B1", "product": "PEN"}, "has a putaway rule", site)
    _refused(ann, f"{W}/putaway/-/new", {"location": "VIRTUAL/CUSTOMERS", "category": "x"},
             "is not a warehouse location", site)
    items = get_json(ann, f"{W}/putaway")["items"]
    assert {(i["product"], i["category"], i["location"]) for i in items} == {
        ("PEN", None, "MAIN/A/01/B2"), (None, "stationery", "MAIN/A/01/B1")}
    receive(site, ("PEN", "3", "500"), ("PAPER", "2", "9000"), lots=[("PAPER", "P1", "2")])
    placed = {(i["location"], i["product"]) for i in get_json(ann, f"{W}/stock")["items"]}
    assert {
        ("MAIN/A/01/B2", "PEN"),
        ("MAIN/A/01/B1", "PAPER"),
    } <= placed  # the product's rule, the category's
    page = ann.get(f"{W}/putaway").get_data(True)
    rule = page.split('/remove"')[0].rsplit("/putaway/", 1)[1]
    assert ann.post(f"{W}/putaway/{rule}/remove").status_code == 302
    assert len(get_json(ann, f"{W}/putaway")["items"]) == 1
    assert ann.post(f"{W}/putaway/999999/remove").status_code == 404
    sound(site)


def test_stock_by_place_and_a_products_card(ann, site):
    receive(site, ("PEN", "10", "500"), destination="MAIN/A/01/B1")
    receive(site, ("PEN", "4", "500"), warehouse="EAST")
    receive(site, ("MILK", "3", "1200"), lots=[("MILK", "L1", "3", "2030-01-01")], destination="MAIN/A/01/B2")
    everything = get_json(ann, f"{W}/stock")["items"]
    assert [(i["location"], i["product"], i["lot"]) for i in everything] == [
        ("EAST", "PEN", None), ("MAIN/A/01/B1", "PEN", None), ("MAIN/A/01/B2", "MILK", "L1")]
    assert [i["location"] for i in get_json(ann, f"{W}/stock?location=MAIN/A")["items"]] == [
        "MAIN/A/01/B1", "MAIN/A/01/B2"]  # the location and those below it
    assert [i["location"] for i in get_json(ann, f"{W}/stock?warehouse=EAST")["items"]] == ["EAST"]
    assert [i["location"] for i in get_json(ann, f"{W}/stock?sort=-available&product=PEN")["items"]] == [
        "MAIN/A/01/B1", "EAST"]
    assert [i["product"] for i in get_json(ann, f"{W}/stock?q=milk")["items"]] == ["MILK"]
    table = read_csv(ann.get(f"{W}/stock?format=csv&product=PEN"))
    assert table[0][:2] == ["Location", "Product"] and len(table) == 3
    card = get_json(ann, f"{W}/stock/PEN")
    assert Decimal(card["balance"]) == 14 and [m["balance"] for m in card["moves"]] == ["10", "14"]
    assert [m["balance"] for m in get_json(ann, f"{W}/stock/PEN?location=EAST")["moves"]] == ["4"]
    rows = read_csv(ann.get(f"{W}/stock/PEN?format=csv"))
    assert rows[0] == ["Date", "Transaction", "Memo", "Location", "Quantity", "Balance"] and len(rows) == 3
    page = ann.get(f"{W}/stock/PEN?days=30").get_data(True)
    assert "MAIN/IN/00001" in page and 'data-balance>14 pcs' in page
    assert get_json(ann, f"{W}/stock/PEN?days=30")["turnover"]["days"] == 30
    assert ann.get(f"{W}/stock/NOPE").status_code == 404


def test_the_valuation_page_totals_beside_the_inventory_account(everyone):
    receive(everyone, ("PEN", "10", "500"), ("PAPER", "2", "9000"))
    app = make_app(everyone, WTF_CSRF_ENABLED=False)
    ann = signed_in(app, "ann")
    page = ann.get(f"{W}/valuation").get_data(True)
    assert "Total ₩23,000; account 147 holds ₩23,000." in page
    items = get_json(ann, f"{W}/valuation")["items"]
    assert [(i["product"], i["quantity"], i["value"]) for i in items] == [
        ("PAPER", "2", "18000"),
        ("PEN", "10", "5000"),
    ]
    other = signed_in(app, "oli").get("/c/OTHER/wms/valuation")  # wms without finance: nothing is valued
    assert other.status_code == 404 and "does not value its stock" in other.get_data(True)

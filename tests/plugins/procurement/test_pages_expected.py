"""The receive and bill pages fill in what the services say is still expected and still to bill
(:func:`plugins.procurement.receiving.still_expected`, :func:`plugins.procurement.billing.still_to_bill`),
and a line left at zero, in any spelling, is not received or billed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from core.companies import get_company
from plugins.procurement.billing import still_to_bill
from plugins.procurement.orders import find_order
from plugins.procurement.receiving import still_expected
from plugins.procurement.values import names_quantity, quantity
from tests.plugins.procurement.pages import P, app, everyone, sample, site, sound  # noqa: F401
from tests.web.pages import get_json, signed_in

TODAY = dt.date.today().isoformat()


def _filled(client, url) -> dict[str, Decimal]:
    """The page's lines: product -> the quantity it fills in."""
    page = client.get(url).get_data(True)
    products = dict(re.findall(r'name="lines-(\d+)-product"[^>]*value="([^"]*)"', page))
    amounts = dict(re.findall(r'name="lines-(\d+)-quantity"[^>]*value="([^"]*)"', page))
    assert products and products.keys() == amounts.keys()
    return {products[i]: Decimal(amounts[i]) for i in products}


def _services(db, number, rule) -> dict[str, Decimal]:
    with db.session() as s:
        company = get_company(s, "ACME")
        return {line.product.sku: quantity(line.product, rule(s, line))
                for line in find_order(s, company, number).lines}


def test_zero_in_any_spelling_names_no_quantity():
    assert [names_quantity(v) for v in ("", " ", None, "0", "0.0", "0.000", "-0", "00", "0,000")] == [
        False
    ] * 9
    assert [names_quantity(v) for v in ("1", "0.001", "-3", "abc", "1,5")] == [True] * 5


def test_the_pages_fill_in_what_the_services_expect(app, site, sample):
    ann, number = signed_in(app, "ann"), sample["order"]
    receive_url, bill_url = f"{P}/orders/{number}/receive", f"{P}/orders/{number}/bill"
    expected = _services(site, number, lambda s, line: still_expected(line))
    assert _filled(ann, receive_url) == expected == {"PEN": 40, "PAPER": 0}
    response = ann.post(receive_url, data={"date": TODAY, "lines-0-product": "PEN", "lines-0-quantity": "10",
                                           "lines-1-product": "PAPER", "lines-1-quantity": "0.00"})
    assert response.status_code == 302, response.get_data(True)[-800:]
    assert [line["received"] for line in get_json(ann, f"{P}/orders/{number}")["lines"]] == ["70", "10"]
    # the held bill of 60 PEN counts as claimed: 10 PEN is left to bill, not the 70 received
    to_bill = _services(site, number, still_to_bill)
    assert _filled(ann, bill_url) == to_bill == {"PEN": 10, "PAPER": 0}
    response = ann.post(bill_url, data={"reference": "S1-INV-3", "date": TODAY, "lines-0-product": "PEN",
                                        "lines-0-quantity": "10", "lines-1-product": "PAPER",
                                        "lines-1-quantity": "-0"})
    assert response.status_code == 302, response.get_data(True)[-800:]
    assert _services(site, number, still_to_bill) == {"PEN": 0, "PAPER": 0}
    sound(site)

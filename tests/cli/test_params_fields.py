"""``cli.params.split_fields`` and ``parse_quantities``: the one reader of ``SKU:QUANTITY``-shaped
command arguments (sales, wms, procurement); every malformed shape is one ``Invalid`` naming the usage."""

from __future__ import annotations

import pytest

from cli.params import parse_quantities, split_fields
from core.errors import Invalid


@pytest.mark.parametrize("text, least, most, required, fields", [
    ("PEN:3", 2, 4, 2, ["PEN", "3", None, None]),
    (" PEN : 3 : 1000 ", 2, 4, 2, ["PEN", "3", "1000", None]),
    ("PEN:3::5", 2, 4, 2, ["PEN", "3", None, "5"]),
    ("PEN:3:1000", 3, 3, None, ["PEN", "3", "1000"]),
])
def test_fields_are_stripped_and_padded(text, least, most, required, fields):
    assert split_fields(text, "line", "SKU:QTY", least, most, required=required) == fields


@pytest.mark.parametrize("text, least, most, required", [
    ("PEN", 2, 4, 2), ("PEN:3:1:2:9", 2, 4, 2), (":3", 2, 4, 2), ("PEN: ", 2, 4, 2), ("PEN:3:", 2, 3, None),
    ("PEN::1000", 3, 3, None), ("", 2, 2, None),
])
def test_a_malformed_line_is_one_message_naming_the_usage(text, least, most, required):
    with pytest.raises(Invalid, match=r"^malformed line .*: use SKU:QTY$"):
        split_fields(text, "line", "SKU:QTY", least, most, required=required)


def test_quantities_name_each_product_once():
    assert parse_quantities(("PEN:3", " PAPER : 1.5 ")) == {"PEN": "3", "PAPER": "1.5"}
    assert parse_quantities(()) == {}
    with pytest.raises(Invalid, match="PEN is named twice"):
        parse_quantities(("PEN:3", "PEN:4"))
    for bad in ("PEN", "PEN:", ":3", "PEN:3:4"):
        with pytest.raises(Invalid, match=r"^malformed done quantity .*: use SKU:QUANTITY$"):
            parse_quantities((bad,), "done quantity")

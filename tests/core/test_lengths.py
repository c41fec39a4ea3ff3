"""Every length-limited text column, core's and every plugin's, refuses a
value one character too long before the database sees it, with one message
naming the field and its limit, the same on SQLite (which would store it) and
PostgreSQL (which would refuse it with a driver error)."""

from __future__ import annotations

import importlib
import re

import pytest
from sqlalchemy import Enum, String, event, select

from core.catalog import create_product
from core.companies import get_company
from core.db import Base
from core.errors import Invalid
from core.lengths import check_object, label_of, limits_of
from core.models import Product

PLUGINS = ("finance", "wms", "sales", "procurement")
for _plugin in PLUGINS:  # their tables join the one metadata
    for _module in ("models", "documents"):
        try:
            importlib.import_module(f"plugins.{_plugin}.{_module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"plugins.{_plugin}.{_module}":
                raise


def _limited(column) -> bool:
    return isinstance(column.type, String) and not isinstance(column.type, Enum) and bool(column.type.length)


LIMITED = sorted(
    (f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns if _limited(c))
)
CHECKED = [
    (mapper, key, label, limit) for mapper in sorted(Base.registry.mappers, key=lambda m: m.local_table.name)
    for key, label, limit in limits_of(mapper)]


def test_every_limited_text_column_of_core_and_the_plugins_is_checked():
    assert {name.split("_")[0] for name in Base.metadata.tables} >= {"core", "ledger", *PLUGINS}
    checked = sorted(
        f"{m.local_table.name}.{m.get_property(key).columns[0].name}" for m, key, _l, _n in CHECKED
    )
    assert checked == LIMITED and len(LIMITED) > 100


@pytest.mark.parametrize("table, column, label", [
    ("ledger_account", "code", "account code"), ("ledger_account", "name", "account name"),
    ("core_product", "sku", "product SKU"), ("core_user", "username", "username"),
    ("core_party_contact", "email", "party contact email"), ("finance_invoice_line", "description",
                                                             "invoice line description"),
    ("wms_warehouse", "code", "warehouse code"), ("procurement_rfq", "number", "RFQ number"),
    ("procurement_supplier_product", "supplier_sku", "supplier SKU")])  # a label of its own (info)
def test_labels_say_the_field_in_words_without_the_owners_prefix(table, column, label):
    assert label_of(Base.metadata.tables[table].c[column]) == label


@pytest.fixture
def statements(db):
    """What reaches the database through ``db.engine`` while the test runs."""
    sent: list[str] = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(db.engine, "before_cursor_execute", listener)
    yield sent
    event.remove(db.engine, "before_cursor_execute", listener)


def test_a_new_row_too_long_in_any_column_is_refused_before_the_database(db, statements):
    session = db.factory()
    try:
        for mapper, key, label, limit in CHECKED:
            row = mapper.class_manager.new_instance()
            setattr(row, key, "x" * limit)
            check_object(row)  # at the limit: fine
            setattr(row, key, "가" * (limit + 1))  # characters, not bytes, count
            session.add(row)
            expected = f"{label} must be at most {limit} characters (it has {limit + 1})"
            with pytest.raises(Invalid, match=f"^{re.escape(expected)}$"):
                session.flush()
            session.expunge(row)
    finally:
        session.close()
    assert not [s for s in statements if re.match(r"\s*(INSERT|UPDATE)", s, re.I)]


def test_a_change_too_long_is_refused_and_nothing_is_written(db):
    db.company("ACME")
    with db.session() as s:
        create_product(s, get_company(s, "ACME"), "BOLT", "Bolt", category="parts")
    with pytest.raises(Invalid, match=r"^product category must be at most 100 characters \(it has 101\)$"):
        with db.session() as s:
            s.scalar(select(Product).where(Product.sku == "BOLT")).category = "c" * 101
    with db.session() as s:
        assert s.scalar(select(Product.category).where(Product.sku == "BOLT")) == "parts"

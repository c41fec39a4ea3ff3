"""Procurement installs alone and beside each of its optional partners."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from plugins.procurement.catalogue import catalogue
from plugins.procurement.models import SupplierProduct
from plugins.procurement.settings import settings_view
from tests.plugins.procurement.conftest import (  # noqa: F401
    CATALOGUE,
    assert_books_sound,
    combo,
    has,
    make_buying_company,
)


def test_each_combination_installs_with_default_settings_and_a_catalogue(combo):
    pdb, company, plugins = combo
    with pdb.session() as s:
        view = settings_view(s, company)
        assert view.approval_threshold is None
        assert view.quantity_tolerance == Decimal("0.00") and view.price_tolerance == Decimal("2.00")
        rows = catalogue(s, company)
        assert len(rows) == len(CATALOGUE)
        assert [r.supplier for r in rows if r.product == "PEN"] == ["S1", "S2"]  # preferred first
        for name in ("finance", "wms"):
            assert has(s, company, name) == (name in plugins)
        assert_books_sound(s, company)


def test_companies_keep_their_own_catalogues(pdb):
    a = make_buying_company(pdb, "A")
    b = make_buying_company(pdb, "B", catalogue=False)
    with pdb.session() as s:
        assert s.scalar(select(func.count()).select_from(SupplierProduct)
                        .where(SupplierProduct.company_id == a.id)) == len(CATALOGUE)
        assert catalogue(s, b) == []

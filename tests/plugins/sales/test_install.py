"""Sales installs alone and beside each of its optional partners."""

from __future__ import annotations

from sqlalchemy import func, select

from plugins.sales.documents import InvoicePolicy
from plugins.sales.models import LostReason, Stage
from plugins.sales.pipeline import DEFAULT_LOST_REASONS, DEFAULT_STAGES
from plugins.sales.settings import settings_of
from tests.plugins.sales.conftest import assert_books_sound, combo, make_sales_company  # noqa: F401


def test_each_combination_installs_with_a_default_pipeline(combo):
    sdb, company, plugins = combo
    with sdb.session() as s:
        assert settings_of(s, company).invoice_policy is InvoicePolicy.DELIVERY
        stages = s.scalars(select(Stage).where(Stage.company_id == company.id).order_by(Stage.sequence)).all()
        assert [(st.name, st.probability) for st in stages] == list(DEFAULT_STAGES)
        assert s.scalar(select(func.count()).select_from(LostReason)
                        .where(LostReason.company_id == company.id)) == len(DEFAULT_LOST_REASONS)
        assert_books_sound(s, company)


def test_companies_keep_their_own_pipelines(sdb):
    a = make_sales_company(sdb, "A")
    b = make_sales_company(sdb, "B")
    with sdb.session() as s:
        for company in (a, b):
            assert (
                s.scalar(select(func.count()).select_from(Stage).where(Stage.company_id == company.id)) == 4
            )

"""The one overdue rule of activities (:mod:`plugins.sales.activities`): the row test, its SQL form
(the list's ``overdue`` filter, ``overdue()``) and the list page agree around the day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.companies import get_company
from plugins.sales.activities import complete, is_overdue, overdue, overdue_condition, schedule
from plugins.sales.models import Activity
from tests.plugins.sales.test_pages_orders import S, app, site  # noqa: F401 (fixtures)
from tests.web.pages import get_json, signed_in


def test_row_rule_sql_rule_and_page_agree(site, app):
    today = dt.date.today()
    with site.session() as s:
        company = get_company(s, "ACME")
        for offset in (-2, -1, 0, 1):
            schedule(s, company, "call", f"Call {offset}", today + dt.timedelta(days=offset), party="C1")
        done = schedule(s, company, "task", "Done late", today - dt.timedelta(days=5), party="C1")
        complete(s, company, done.id, "ok")
    with site.session() as s:
        company = get_company(s, "ACME")
        rows = s.scalars(select(Activity).where(Activity.company_id == company.id)).all()
        by_row = {a.id for a in rows if is_overdue(a, today)}
        by_sql = set(s.scalars(select(Activity.id).where(Activity.company_id == company.id,
                                                         overdue_condition(today))))
        listed = {a.id for a in s.scalars(overdue(company, today))}
        assert by_row == by_sql == listed and len(by_row) == 2
        subjects = {a.subject for a in rows if a.id in by_row}
    page = get_json(signed_in(app, "ann"), f"{S}/activities?overdue=1")
    assert {row["subject"] for row in page["items"]} == subjects

"""The one overdue rule of activities (:mod:`plugins.sales.activities`): the row test, its SQL form
(the list's ``overdue`` filter, ``overdue()``) and the list page agree around the day."""

from __future__ import annotations

import datetime as dt

from core.companies import get_company
from plugins.sales.activities import complete, is_overdue, overdue, overdue_condition, schedule
from plugins.sales.models import Activity
from tests.plugins.sales.test_pages_orders import S, app, site  # noqa: F401 (fixtures)
from tests.same_rule import rule_rows
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
        rows, by_row = rule_rows(
            s, Activity, company, lambda a: is_overdue(a, today), overdue_condition(today)
        )
        assert {a.id for a in s.scalars(overdue(company, today))} == by_row and len(by_row) == 2
        subjects = {a.subject for a in rows if a.id in by_row}
    page = get_json(signed_in(app, "ann"), f"{S}/activities?overdue=1")
    assert {row["subject"] for row in page["items"]} == subjects

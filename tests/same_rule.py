"""For tests of a rule written once as a row test and as its SQL condition: both pick the same rows."""

from __future__ import annotations

from sqlalchemy import select


def rule_rows(session, model, company, row_rule, sql_rule) -> tuple[list, set[int]]:
    """The company's ``model`` rows and the ids ``row_rule`` picks, after checking ``sql_rule`` picks
    the very same ids."""
    rows = session.scalars(select(model).where(model.company_id == company.id)).all()
    by_row = {row.id for row in rows if row_rule(row)}
    by_sql = set(session.scalars(select(model.id).where(model.company_id == company.id, sql_rule)))
    assert by_row == by_sql
    return rows, by_row

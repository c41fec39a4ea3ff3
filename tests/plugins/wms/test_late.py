"""The one "late" rule (:func:`plugins.wms.operations.is_late`): the row test, its SQL form (the list's
filter) and the dashboard's counts agree for every state and every scheduled day around today."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from core.companies import get_company
from plugins.wms.documents import Operation
from plugins.wms.operations import LineInput, cancel, confirm, create_operation, is_late, late_condition
from plugins.wms.widgets import operations_to_do
from tests.same_rule import rule_rows

TODAY = dt.date(2030, 6, 15)


def test_row_rule_sql_rule_and_dashboard_agree(valued):
    db, company = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        for offset in (-3, -1, 0, 1):
            for kind, end in (
                ("receipt", None),
                ("receipt", confirm),
                ("receipt", cancel),
                ("delivery", None),
            ):
                line = LineInput("PEN", "1", "100" if kind == "receipt" else None)
                op = create_operation(s, company, kind, [line], party="C1" if kind == "delivery" else "S1",
                                      scheduled=TODAY + dt.timedelta(days=offset))
                if end is not None:
                    end(s, company, op)
    with db.session() as s:
        company = get_company(s, "ACME")
        ops, by_row = rule_rows(s, Operation, company, lambda op: is_late(op, TODAY), late_condition(TODAY))
        assert 0 < len(by_row) < len(ops)
        assert all(
            op.scheduled < TODAY and op.state.value in ("draft", "ready") for op in ops if op.id in by_row
        )
        counted = Counter(op.kind for op in ops if op.id in by_row)
        assert {kind: late for kind, (_ready, late) in operations_to_do(s, company, TODAY).items()} == {
            kind: counted.get(kind, 0) for kind in operations_to_do(s, company, TODAY)}

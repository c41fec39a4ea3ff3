"""The cash-flow statement, indirect method.

Starts from the period's net income, adds back what moved no cash (the
increase in accumulated depreciation) and the changes in working capital,
then the investing and financing flows. Each balance-sheet account other
than cash counts under its own cash-flow activity (from the chart template,
settable with ``finance classify --cash-flow``): short-term borrowings are
current liabilities whose cash is financing. Every line is minus the change
of an account's debit balance, every such account counts in exactly one
line, and closing entries are left out (they only move the result into
retained earnings), so the net change equals the change in the cash
accounts exactly: every transaction sums to zero.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy.orm import Session

from core.models import Company
from plugins.finance.models import Activity, Section
from plugins.finance.reports.lines import RESULT, TOTAL, LineBuilder, Statement
from plugins.finance.reports.periods import Compare, compare_range, date_range
from plugins.finance.reports.sums import PROFIT_AND_LOSS, Sums, chart, period_sums, scale

__all__ = ["cash_flow", "CASH_FLOW_GROUPS"]

S = Section

# activity, label, its parts (key, label, sections, shown when empty). Each part shows minus the change
# of its accounts of that activity; every balance-sheet section but cash is in exactly one part of every
# group, so whatever activity an account has, it counts once (tests/plugins/finance/test_classification.py).
CASH_FLOW_GROUPS = (
    (
        Activity.OPERATING,
        "Cash from operating activities",
        (
            ("depreciation", "Depreciation (non-cash)", (S.DEPRECIATION,), True),
            ("receivables", "Change in receivables", (S.RECEIVABLE,), True),
            ("other_current_assets", "Change in other current assets", (S.CURRENT_ASSET,), True),
            ("payables", "Change in payables", (S.PAYABLE,), True),
            (
                "other_current_liabilities",
                "Change in other current liabilities",
                (S.CURRENT_LIABILITY,),
                True,
            ),
            (
                "other_operating",
                "Change in other operating accounts",
                (S.NON_CURRENT_ASSET, S.NON_CURRENT_LIABILITY, S.EQUITY, S.RETAINED_EARNINGS),
                False,
            ),
        ),
    ),
    (
        Activity.INVESTING,
        "Cash from investing activities",
        (
            ("fixed_assets", "Non-current assets bought and sold", (S.NON_CURRENT_ASSET,), True),
            (
                "other_investing",
                "Other investments bought and sold",
                (
                    S.RECEIVABLE,
                    S.CURRENT_ASSET,
                    S.DEPRECIATION,
                    S.PAYABLE,
                    S.CURRENT_LIABILITY,
                    S.NON_CURRENT_LIABILITY,
                    S.EQUITY,
                    S.RETAINED_EARNINGS,
                ),
                False,
            ),
        ),
    ),
    (
        Activity.FINANCING,
        "Cash from financing activities",
        (
            (
                "short_term_borrowings",
                "Short-term borrowing and repayment",
                (S.CURRENT_LIABILITY, S.PAYABLE),
                True,
            ),
            ("long_term_liabilities", "Long-term borrowing and repayment", (S.NON_CURRENT_LIABILITY,), True),
            ("capital", "Capital paid in and withdrawn", (S.EQUITY,), True),
            (
                "retained_earnings",
                "Retained earnings (other than the year-end close)",
                (S.RETAINED_EARNINGS,),
                True,
            ),
            (
                "other_financing",
                "Other financing",
                (S.RECEIVABLE, S.CURRENT_ASSET, S.NON_CURRENT_ASSET, S.DEPRECIATION),
                False,
            ),
        ),
    ),
)


def cash_flow(session: Session, company: Company, start: dt.date | str, end: dt.date | str, *,
              compare: Compare = None) -> Statement:
    """The cash flow of ``start`` .. ``end``.

    Lines: ``net_income``, the parts of each group with their accounts, the
    group totals ``operating``, ``investing`` and ``financing``,
    ``net_change`` (their sum), and ``cash_opening`` and ``cash_closing``,
    the cash accounts' balances the day before and on the last day:
    ``net_change == cash_closing - cash_opening``.

    :param compare: ``"previous-period"``, ``"previous-year"``, ``"FROM..TO"`` or a ``DateRange``.
    """
    period = date_range(start, end)
    other = compare_range(period, compare)
    accounts = list(chart(session, company).values())
    current = period_sums(session, company, period.start, period.end)
    previous = period_sums(session, company, other.start, other.end) if other else None
    lines = LineBuilder(scale(company), other is not None)

    def changes(sums: Optional[dict[int, Sums]]) -> Optional[dict[int, int]]:
        return None if sums is None else {account_id: s.operating for account_id, s in sums.items()}

    moved, moved_before = changes(current), changes(previous)
    earned = [a for a in accounts if a.section in PROFIT_AND_LOSS]
    net_income = -sum(moved.get(a.id, 0) for a in earned)
    net_income_before = -sum((moved_before or {}).get(a.id, 0) for a in earned)
    lines.add("net_income", "Net income", RESULT, "operating", net_income, net_income_before,
              accounts=[a.code for a in earned if moved.get(a.id) or (moved_before or {}).get(a.id)], level=1)
    net = net_before = 0
    for activity, group_label, parts in CASH_FLOW_GROUPS:
        group = activity.value
        units, units_before, codes = (
            (net_income, net_income_before, []) if group == "operating" else (0, 0, [])
        )
        mine = [a for a in accounts if a.activity == activity]
        for key, label, wanted, always in parts:
            if not always and not any(
                a.section in wanted and (moved.get(a.id) or (moved_before or {}).get(a.id)) for a in mine
            ):
                continue
            total, total_before, part_codes = lines.section(key, label, mine, wanted, moved, moved_before, -1,
                                                            group=group, level=1)
            units, units_before, codes = units + total, units_before + total_before, codes + list(part_codes)
        lines.add(group, group_label, TOTAL, group, units, units_before, accounts=codes)
        net, net_before = net + units, net_before + units_before
    cash = [a for a in accounts if a.section == S.CASH]
    cash_codes = [a.code for a in cash if a.id in current or (previous and a.id in previous)]
    lines.add("net_change", "Net change in cash", RESULT, "cash", net, net_before, accounts=cash_codes)

    def balance(sums: Optional[dict[int, Sums]], field: str) -> int:
        return sum(getattr(sums[a.id], field) for a in cash if a.id in sums) if sums else 0

    lines.add(
        "cash_opening",
        "Cash at the beginning of the period",
        RESULT,
        "cash",
        balance(current, "opening"),
        balance(previous, "opening"),
        accounts=cash_codes,
    )
    lines.add("cash_closing", "Cash at the end of the period", RESULT, "cash", balance(current, "closing"),
              balance(previous, "closing"), accounts=cash_codes)
    return Statement("Cash flow", company.code, company.currency, period.start, period.end,
                     other.start if other else None, other.end if other else None, lines.build())

"""The profit and loss over a period and the balance sheet as of a date.

The profit and loss leaves out year-end closing entries: they move the
year's result to retained earnings, and a closed year must still show the
profit it made. The balance sheet reads the maintained balances and shows,
besides retained earnings, the earnings not yet closed into them (income
less expenses of every year not closed yet, normally the current year), so
assets always equal liabilities plus equity.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy.orm import Session

from core.models import Company
from core.values import parse_date
from plugins.finance.models import Section
from plugins.finance.reports.lines import RESULT, TOTAL, LineBuilder, Statement
from plugins.finance.reports.periods import Compare, compare_date, compare_range, date_range
from plugins.finance.reports.sums import PROFIT_AND_LOSS, balances_as_of, chart, movements, scale

__all__ = ["profit_and_loss", "balance_sheet", "PNL_SECTIONS", "BALANCE_SHEET_GROUPS"]

S = Section

# key, label, sections, sign as shown (+1: debits show positive), in the order they are shown.
PNL_SECTIONS = (
    ("revenue", "Revenue", (S.REVENUE,), -1),
    ("cost_of_sales", "Cost of sales", (S.COST_OF_SALES,), 1),
    ("expenses", "Operating expenses", (S.EXPENSE,), 1),
    ("other_income", "Other income", (S.OTHER_INCOME,), -1),
    ("other_expenses", "Other expenses", (S.OTHER_EXPENSE,), 1),
)

# group key, label, its parts (key, label, sections), sign as shown.
BALANCE_SHEET_GROUPS = (
    ("current_assets", "Current assets", (
        ("cash", "Cash and bank", (S.CASH,)),
        ("receivables", "Receivables", (S.RECEIVABLE,)),
        ("other_current_assets", "Other current assets", (S.CURRENT_ASSET,))), 1),
    ("non_current_assets", "Non-current assets", (
        ("fixed_assets", "Property and other non-current assets", (S.NON_CURRENT_ASSET,)),
        ("depreciation", "Accumulated depreciation", (S.DEPRECIATION,))), 1),
    ("current_liabilities", "Current liabilities", (
        ("payables", "Payables", (S.PAYABLE,)),
        ("other_current_liabilities", "Other current liabilities", (S.CURRENT_LIABILITY,))), -1),
    ("non_current_liabilities", "Non-current liabilities", (
        ("long_term_liabilities", "Long-term liabilities", (S.NON_CURRENT_LIABILITY,)),), -1),
    ("equity", "Equity", (
        ("capital", "Capital and reserves", (S.EQUITY,)),
        ("retained_earnings", "Retained earnings", (S.RETAINED_EARNINGS,))), -1),
)


def profit_and_loss(session: Session, company: Company, start: dt.date | str, end: dt.date | str, *,
                    compare: Compare = None) -> Statement:
    """Income and expenses of ``start`` .. ``end`` (closing entries left out).

    Lines: each section's accounts and total (``revenue``, ``cost_of_sales``,
    ``expenses``, ``other_income``, ``other_expenses``) and the results
    ``gross_profit``, ``operating_result`` and ``net_income``.

    :param compare: ``"previous-period"``, ``"previous-year"``, ``"FROM..TO"``
        or a :class:`~plugins.finance.reports.periods.DateRange`.
    """
    period = date_range(start, end)
    other = compare_range(period, compare)
    accounts = [a for a in chart(session, company).values() if a.section in PROFIT_AND_LOSS]
    ids = [a.id for a in accounts]
    current = movements(session, company, period.start, period.end, ids)
    previous = movements(session, company, other.start, other.end, ids) if other else None
    lines = LineBuilder(scale(company), other is not None)
    totals = {}
    for key, label, wanted, sign in PNL_SECTIONS:
        totals[key] = lines.section(key, label, accounts, wanted, current, previous, sign)

    def result(key: str, label: str, parts: dict[str, int]) -> None:
        units = sum(sign * totals[part][0] for part, sign in parts.items())
        compare_units = sum(sign * totals[part][1] for part, sign in parts.items())
        codes = [code for part in parts for code in totals[part][2]]
        lines.add(key, label, RESULT, key, units, compare_units, accounts=codes)
        totals[key] = (units, compare_units, tuple(codes))

    result("gross_profit", "Gross profit", {"revenue": 1, "cost_of_sales": -1})
    result("operating_result", "Operating result", {"gross_profit": 1, "expenses": -1})
    result("net_income", "Net income", {"operating_result": 1, "other_income": 1, "other_expenses": -1})
    lines.move("gross_profit", after="cost_of_sales")
    lines.move("operating_result", after="expenses")
    return Statement("Profit and loss", company.code, company.currency, period.start, period.end,
                     other.start if other else None, other.end if other else None, lines.build())


def balance_sheet(session: Session, company: Company, as_of: Optional[dt.date | str] = None, *,
                  compare: Compare = None) -> Statement:
    """Assets, liabilities and equity as of ``as_of`` (today by default), from the maintained balances.

    Lines: each part's accounts and total (``cash``, ``receivables``, ...,
    ``retained_earnings``), the computed ``current_earnings`` (income less
    expenses not closed yet), the group totals (``current_assets``, ...,
    ``equity``) and ``total_assets``, ``total_liabilities`` and
    ``total_liabilities_and_equity``, which always equals ``total_assets``.

    :param compare: ``"previous-period"`` (a month earlier), ``"previous-year"`` or a date.
    """
    day = parse_date(as_of) if as_of is not None else dt.date.today()
    other = compare_date(day, compare)
    accounts = list(chart(session, company).values())
    current = balances_as_of(session, company, day)
    previous = balances_as_of(session, company, other) if other is not None else None
    lines = LineBuilder(scale(company), other is not None)
    totals: dict[str, tuple[int, int, tuple[str, ...]]] = {}
    for group, group_label, parts, sign in BALANCE_SHEET_GROUPS:
        units = compare_units = 0
        codes: list[str] = []
        for key, label, wanted in parts:
            total, compare_total, part_codes = lines.section(
                key, label, accounts, wanted, current, previous, sign, group=group, level=1
            )
            units, compare_units, codes = (
                units + total,
                compare_units + compare_total,
                codes + list(part_codes),
            )
        if group == "equity":
            earned = [a for a in accounts if a.section in PROFIT_AND_LOSS]
            now = -sum(current.get(a.id, 0) for a in earned)
            then = -sum((previous or {}).get(a.id, 0) for a in earned)
            earned_codes = [a.code for a in earned if current.get(a.id) or (previous or {}).get(a.id)]
            lines.add("current_earnings", "Current year earnings (not yet closed)", RESULT, group, now, then,
                      accounts=earned_codes, level=1)
            units, compare_units, codes = units + now, compare_units + then, codes + earned_codes
        lines.add(group, group_label, TOTAL, group, units, compare_units, accounts=codes)
        totals[group] = (units, compare_units, tuple(codes))

    def result(key: str, label: str, parts: tuple[str, ...]) -> None:
        summed = (sum(totals[p][0] for p in parts), sum(totals[p][1] for p in parts),
                  tuple(code for p in parts for code in totals[p][2]))
        lines.add(key, label, RESULT, key, summed[0], summed[1], accounts=summed[2])
        totals[key] = summed

    result("total_assets", "Total assets", ("current_assets", "non_current_assets"))
    result("total_liabilities", "Total liabilities", ("current_liabilities", "non_current_liabilities"))
    result("total_liabilities_and_equity", "Total liabilities and equity", ("total_liabilities", "equity"))
    lines.move("total_assets", after="non_current_assets")
    lines.move("total_liabilities", after="non_current_liabilities")
    return Statement("Balance sheet", company.code, company.currency, None, day, None, other, lines.build())

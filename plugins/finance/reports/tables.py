"""Reports as tables: the rows a terminal prints and a CSV file holds.

Cells keep their exact values (Decimals, dates, ``None``); whoever writes
them turns them into text (``core.values.plain``). ``for_csv`` tables carry
what a machine wants (every key and code, one row per line, no totals row
to double-count); the others what a person reads.
"""

from __future__ import annotations

from typing import Any

import attrs

from plugins.finance.reports.aged import BUCKETS, AgedReport
from plugins.finance.reports.budget import BudgetReport
from plugins.finance.reports.general_ledger import GeneralLedger
from plugins.finance.reports.lines import Statement
from plugins.finance.reports.trial_balance import TrialBalance

__all__ = ["Table", "as_table"]


@attrs.frozen
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    right: tuple[int, ...] = ()  # the columns of amounts, aligned right in text


def as_table(report: Any, *, for_csv: bool = False) -> Table:
    """The table of any report of this package."""
    for kind, build in _BUILDERS:
        if isinstance(report, kind):
            headers, rows = build(report, for_csv)
            first_amount = next((i for i, h in enumerate(headers) if h in _AMOUNT_START), len(headers))
            return Table(
                tuple(headers), tuple(tuple(row) for row in rows), tuple(range(first_amount, len(headers)))
            )
    raise TypeError(f"not a report: {type(report).__name__}")


_AMOUNT_START = {"opening", "debit", "amount", "not due", "budget"}


def _trial_balance(report: TrialBalance, for_csv: bool):
    period, compared = report.start is not None, report.compare_end is not None
    headers = ["account", "name", "section"]
    headers += ["opening", "debit", "credit", "closing"] if period else ["debit", "credit"]
    if compared:
        headers += (["compare debit", "compare credit", "compare closing"] if period else ["compare"])
        headers += ["difference"]
    rows = []
    for r in report.rows:
        row = [r.account, r.name, r.section.value]
        row += [r.opening, r.debit, r.credit, r.closing] if period else [r.closing_debit, r.closing_credit]
        if compared:
            row += ([r.compare_debit, r.compare_credit, r.compare_closing] if period else [r.compare_closing])
            row += [r.difference]
        rows.append(row)
    if not for_csv:
        t = report.totals
        total = ["", "Total", ""] + (
            [None, t.debit, t.credit, None] if period else [t.closing_debit, t.closing_credit]
        )
        if compared:
            total += ([t.compare_debit, t.compare_credit, None] if period else [None]) + [None]
        rows.append(total)
    return headers, rows


def _general_ledger(report: GeneralLedger, for_csv: bool):
    headers = ["account", "date", "transaction", "entry", "memo", "debit", "credit", "balance"]
    rows = []
    for part in report.accounts:
        name = part.account if for_csv else f"{part.account} {part.name}"
        rows.append([name, report.start, None, None, "Opening balance", None, None, part.opening])
        for line in part.lines:
            rows.append(
                [
                    part.account if for_csv else "",
                    line.date,
                    line.transaction_id,
                    line.entry,
                    line.memo,
                    line.debit,
                    line.credit,
                    line.balance,
                ]
            )
        rows.append([part.account if for_csv else "", report.end, None, None, "Closing balance", part.debit,
                     part.credit, part.closing])
    return headers, rows


def _statement(report: Statement, for_csv: bool):
    compared = report.compare_end is not None
    if for_csv:
        headers = ["key", "kind", "level", "label", "accounts", "amount"]
    else:
        headers = ["line", "account", "amount"]
    headers += ["compare", "difference"] if compared else []
    rows = []
    for line in report.lines:
        if for_csv:
            row = [line.key, line.kind, line.level, line.label, " ".join(line.accounts), line.amount]
        else:
            row = ["  " * line.level + line.label, line.account or "", line.amount]
        rows.append(row + ([line.compare, line.difference] if compared else []))
    return headers, rows


def _aged(report: AgedReport, for_csv: bool):
    compared = report.compare_as_of is not None
    headers = ["party", "name"] + [label.lower() for _, label, *_ in BUCKETS] + ["unallocated", "total"]
    headers += ["compare", "difference"] if compared else []
    rows = []
    for r in report.rows + (() if for_csv else (report.totals,)):
        row = [r.party, r.name, *(getattr(r, field) for field, *_ in BUCKETS), r.unallocated, r.total]
        rows.append(row + ([r.compare_total, r.difference] if compared else []))
    return headers, rows


def _budget(report: BudgetReport, for_csv: bool):
    headers = ["account", "name", "period", "budget", "actual", "variance", "variance %", "favourable"]
    rows = []
    for r in report.rows:
        period = r.period or ("" if for_csv else "total")
        favourable = r.favourable if for_csv else {True: "yes", False: "no", None: ""}[r.favourable]
        rows.append(
            [r.account, r.name, period, r.budget, r.actual, r.variance, r.variance_percent, favourable]
        )
    return headers, rows


_BUILDERS = ((TrialBalance, _trial_balance), (GeneralLedger, _general_ledger), (Statement, _statement),
             (AgedReport, _aged), (BudgetReport, _budget))

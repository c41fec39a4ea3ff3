"""Finance's reports: trial balance, general ledger, profit and loss, balance
sheet, cash flow, aged receivables and payables, budget against actual.

Each is a plain function ``(session, company, ...) -> frozen attrs value``
with ``Decimal`` amounts in the company currency, for the CLI (``--json``,
``--csv``) and the web pages alike; every line carries the ledger account
code(s) behind it, for drilling down to the postings. Period reports take a
comparison (``compare="previous-period"``, ``"previous-year"``, explicit
dates) and return both columns and the difference.
"""

from plugins.finance.reports.aged import BUCKETS, AgedReport, AgedRow, aged_balances
from plugins.finance.reports.budget import BudgetReport, BudgetRow, budget_vs_actual, variance_percent
from plugins.finance.reports.cash_flow import cash_flow
from plugins.finance.reports.general_ledger import GeneralLedger, LedgerAccount, LedgerLine, general_ledger
from plugins.finance.reports.lines import ReportLine, Statement
from plugins.finance.reports.periods import (
    COMPARE_CHOICES,
    PREVIOUS_PERIOD,
    PREVIOUS_YEAR,
    DateRange,
    compare_date,
    compare_range,
    date_range,
    default_range,
)
from plugins.finance.reports.statements import balance_sheet, profit_and_loss
from plugins.finance.reports.tables import Table, as_table
from plugins.finance.reports.trial_balance import (
    TrialBalance,
    TrialBalanceRow,
    TrialBalanceTotals,
    trial_balance,
)

__all__ = [
    "AgedReport",
    "AgedRow",
    "BUCKETS",
    "BudgetReport",
    "BudgetRow",
    "COMPARE_CHOICES",
    "DateRange",
    "GeneralLedger",
    "LedgerAccount",
    "LedgerLine",
    "PREVIOUS_PERIOD",
    "PREVIOUS_YEAR",
    "ReportLine",
    "Statement",
    "Table",
    "TrialBalance",
    "TrialBalanceRow",
    "TrialBalanceTotals",
    "aged_balances",
    "as_table",
    "balance_sheet",
    "budget_vs_actual",
    "cash_flow",
    "compare_date",
    "compare_range",
    "date_range",
    "default_range",
    "general_ledger",
    "profit_and_loss",
    "trial_balance",
    "variance_percent",
]

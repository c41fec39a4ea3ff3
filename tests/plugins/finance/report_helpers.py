"""What the report tests share: the years, the cash accounts, business as the
services do it (``Ops``), a year of business in 2025 and the months after it.

The ``business`` fixture (ACME with that year) is in conftest.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from core.ledger import Leg
from core.values import parse_date
from plugins.finance.company_setup import journal_of_kind
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.journals import post_entry
from plugins.finance.models import EntryKind, JournalKind
from plugins.finance.settlement import register_payment

Y25, Y26 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
CASH, PNL_ACCOUNTS = (
    ("101", "103"),
    ("401", "412", "451", "801", "818", "830", "901", "931", "907", "932", "980"),
)


class Ops:
    """Business as the services do it, one call a line."""

    def __init__(self, session, company):
        self.s, self.company = session, company

    def document(self, kind, party, day, amount, account=None, term=None):
        doc = create_invoice(
            self.s, self.company, kind, party, day, [LineInput("goods", amount, account=account)], term=term
        )
        return post_invoice(self.s, self.company, doc)

    def sale(self, day, amount, party="C1", term=None):
        return self.document("invoice", party, day, amount, term=term)

    def bill(self, day, amount, account="830", party="S1", term=None):
        return self.document("bill", party, day, amount, account, term)

    def receive(self, day, amount, party="C1"):
        return register_payment(self.s, self.company, party, amount, day)

    def pay(self, day, amount, party="S1"):
        return register_payment(self.s, self.company, party, amount, day, direction="outbound")

    def entry(self, day, debit, credit, amount):
        journal = journal_of_kind(self.s, self.company, JournalKind.GENERAL)
        post_entry(
            self.s,
            self.company,
            journal,
            parse_date(day),
            [Leg(debit, D(amount)), Leg(credit, -D(amount))],
            kind=EntryKind.MANUAL,
        )


def year_of_business(s, company):
    """2025: capital, a loan, a machine, sales, purchases, a credit note, payments, depreciation."""
    o = Ops(s, company)
    o.entry("2025-01-02", "103", "331", 50_000_000)            # capital paid in
    o.entry("2025-01-10", "103", "293", 20_000_000)            # long-term loan
    o.bill("2025-02-01", 10_000_000, "212")                     # a machine: 11,000,000 with VAT
    o.pay("2025-02-15", 11_000_000)
    o.sale("2025-03-01", 1_000_000, "C1", "NET30")              # 1,100,000, due 03-31
    o.sale("2025-04-01", 2_000_000, "C2", "NET30")              # 2,200,000, due 05-01
    o.bill("2025-05-01", 1_200_000, "451", term="NET60")        # 1,320,000, due 06-30
    returned = o.sale("2025-06-01", 500_000, "C1")              # 550,000 ...
    post_invoice(s, company, credit_note(s, company, returned, date="2025-06-15"))  # ... credited in full
    o.receive("2025-07-01", 1_100_000, "C1")
    o.receive("2025-08-01", 1_000_000, "C2")                    # part of 2,200,000
    o.entry("2025-10-01", "931", "103", 50_000)                 # interest
    o.receive("2025-11-01", 300_000, "C1")                      # nothing open: unallocated
    o.bill("2025-11-20", 300_000, "830", term="NET30")          # 330,000, due 12-20
    o.entry("2025-12-01", "293", "103", 5_000_000)              # loan repaid in part
    for month in range(1, 13):
        end = (
            dt.date(2025, month, 28)
            if month == 2
            else dt.date(2025, month, 30 if month in (4, 6, 9, 11) else 31)
        )
        o.entry(end, "818", "213", 100_000)                     # depreciation


def next_months(s, company):
    o = Ops(s, company)
    o.sale("2026-01-15", 3_000_000, "C1")
    o.receive("2026-01-20", 1_200_000, "C2")
    o.entry("2026-01-31", "818", "213", 100_000)
    o.pay("2026-02-10", 1_650_000)
    o.entry("2026-02-28", "818", "213", 100_000)

"""The wms demo's books, where the company keeps them with finance: monthly statements.

The demo's suppliers and customers settle as Korean wholesalers often do, on
one tax invoice per party and month (월합계 세금계산서) dated the month's
last day: every supplier bills what it delivered in a month, at the cost the
receipts booked on "goods received not invoiced", so that account clears;
every customer is invoiced what it took, at a wholesale margin. The running
month is not billed yet: its receipts are the goods received not invoiced a
real company carries. Statements are numbered in journals of their own, in
date order, and paid on their terms when that day has come.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy.orm import Session

from core.models import Company
from plugins.wms import partners
from plugins.wms.values import quantity

__all__ = ["Statements"]

_MARGIN_PERCENT = 40  # wholesale price over cost
_JOURNALS = {"purchase": ("MSB", "월합계 매입"), "sale": ("MSI", "월합계 매출")}


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class Statements:
    """Collects the season's receipts and deliveries per party and month, then bills them."""

    def __init__(self, session: Session, company: Company, today: dt.date):
        self.s, self.company, self.today = session, company, today
        self.books = partners.installed(session, company, "finance")
        # (month end, party) -> sku -> [quantity, unit cost]
        self.received: dict[tuple[dt.date, str], dict[str, list]] = defaultdict(dict)
        self.delivered: dict[tuple[dt.date, str], dict[str, list]] = defaultdict(dict)

    def receipt(self, day: dt.date, supplier: str, sku: str, units, cost: int) -> None:
        self._add(self.received, day, supplier, sku, units, cost)

    def delivery(self, day: dt.date, customer: str, op, costs: dict[str, int]) -> None:
        """What a validated delivery ``op`` took (its done quantities), valued at ``costs``."""
        for move in op.moves:
            if move.done:
                self._add(self.delivered, day, customer, move.product.sku, quantity(move.product, move.done),
                          costs[move.product.sku])

    def _add(self, where, day, party, sku, units, cost) -> None:
        row = where[(_month_end(day), party)].setdefault(sku, [0, cost])
        row[0] += units

    def bill(self) -> None:
        """Every closed month's statements, oldest first; each paid on its term's day if that has come."""
        if not self.books:
            return
        from plugins.wms.api import received_account

        finance = partners.finance_api()
        grni = received_account(self.s, self.company)
        journals = {kind: finance.ensure_journal(self.s, self.company, code, name, kind)
                    for kind, (code, name) in _JOURNALS.items()}
        months = sorted({month for month, _party in [*self.received, *self.delivered] if month < self.today})
        for month in months:
            for (when, supplier), lines in sorted(self.received.items()):
                if when == month:
                    self._document(
                        finance,
                        "bill",
                        supplier,
                        month,
                        journals["purchase"],
                        [
                            finance.LineInput(
                                f"{sku} received in {month:%Y-%m}",
                                str(cost),
                                str(units),
                                product=sku,
                                account=grni,
                            )
                            for sku, (units, cost) in sorted(lines.items())
                        ],
                    )
            for (when, customer), lines in sorted(self.delivered.items()):
                if when == month:
                    self._document(
                        finance,
                        "invoice",
                        customer,
                        month,
                        journals["sale"],
                        [
                            finance.LineInput(
                                f"{sku} delivered in {month:%Y-%m}",
                                str(cost * (100 + _MARGIN_PERCENT) // 1000 * 10),
                                str(units),
                                product=sku,
                            )
                            for sku, (units, cost) in sorted(lines.items())
                        ],
                    )

    def _document(self, finance, kind: str, party: str, day: dt.date, journal: str, lines: list) -> None:
        doc = finance.create_document(self.s, self.company, kind, party, day, lines, term="NET30",
                                      journal=journal, reference=f"{day:%Y-%m} statement", post=True)
        if doc.due_date <= self.today:
            finance.register_payment(
                self.s,
                self.company,
                party,
                doc.total,
                doc.due_date,
                outbound=kind == "bill",
                documents=[doc.number],
            )

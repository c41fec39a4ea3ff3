"""Finance's share of the demo: a year of plausible books, built through the
same services as the CLI and the pages (deterministic for a given day).

Capital paid in, office equipment bought and depreciated, a bank loan, goods
bought on supplier bills and sold on customer invoices with VAT, an export
customer invoiced in dollars, monthly rent, utilities and salaries, customers
paying mostly on time (some late, a few not yet), a credit note, month-end
revaluations and this year's budget. The shop's invoices and bills are
numbered in journals of their own (SHOP, SHOPB), each in date order. Once
every plugin has booked its demo year (the ``demo_finished`` hook), the
quarterly VAT returns settle every plugin's VAT, the previous fiscal year is
closed and the months before last too.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.demo import DEMO_PARTIES, DEMO_PRODUCTS
from core.ledger import Account, Leg, balance
from core.models import Company
from plugins.finance.budgets import create_budget, spread_amount
from plugins.finance.closing import close_period, close_year, revalue
from plugins.finance.company_setup import ensure_journal, journal_of_kind, settings_of
from plugins.finance.documents import Invoice
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.journals import add_months, month_end, post_entry, year_bounds
from plugins.finance.models import EntryKind, FiscalYear, JournalKind, Period, PeriodState, Tax
from plugins.finance.rates import set_rate
from plugins.finance.settlement import register_payment
from plugins.finance.values import scale_of, unfixed

__all__ = ["finance_demo_data", "close_demo_books"]

# What each template calls the accounts the demo posts to.
_ACCOUNTS = {
    "kr": {
        "bank": "103",
        "capital": "331",
        "equipment": "212",
        "depreciation": "213",
        "depreciation_expense": "818",
        "loan": "260",
        "inventory": "146",
        "cogs": "451",
        "rent": "819",
        "utilities": "815",
        "salaries": "801",
        "supplies": "830",
        "interest": "931",
    },
    "ifrs": {
        "bank": "1100",
        "capital": "3000",
        "equipment": "1600",
        "depreciation": "1690",
        "depreciation_expense": "6400",
        "loan": "2500",
        "inventory": "1400",
        "cogs": "5000",
        "rent": "6000",
        "utilities": "6200",
        "salaries": "6100",
        "supplies": "6300",
        "interest": "7000",
    },
}
_EXPORT_CUSTOMER = "C-BUSAN"
# The shop's own sale and purchase journals: the other plugins' demos number their invoices and bills
# in the company's first ones (INV, BILL), and numbers run in date order only within one stream.
_JOURNALS = {"kr": (("SHOP", "매장 매출"), ("SHOPB", "매장 매입·경비")),
             "ifrs": (("SHOP", "Shop sales"), ("SHOPB", "Shop purchases and overheads"))}
_VAT_JOURNAL = {"kr": "부가세 신고", "ifrs": "VAT returns"}


def finance_demo_data(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    template = settings_of(session, company).template
    accounts = _ACCOUNTS[template]
    (sale, sale_name), (purchase, purchase_name) = _JOURNALS[template]
    ensure_journal(session, company, sale, sale_name, JournalKind.SALE)
    ensure_journal(session, company, purchase, purchase_name, JournalKind.PURCHASE)
    accounts = {**accounts, "sale_journal": sale, "purchase_journal": purchase}
    today = dt.date.today()
    Books(session, company, accounts, random.Random(2026), _first_month(today), today).build(progress)


def close_demo_books(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    """Close the previous fiscal year, and this year's months up to two months ago: run once every
    plugin has booked its demo year (the ``demo_finished`` hook), as an accountant closes last."""
    today = dt.date.today()
    progress("finance: VAT returns")
    _vat_returns(session, company, today)
    progress("finance: closing the books")
    this_year = year_bounds(company, today)[0]
    for year in session.scalars(
        select(FiscalYear)
        .where(FiscalYear.company_id == company.id, FiscalYear.start < this_year)
        .order_by(FiscalYear.start)
    ):
        close_year(session, company, year.name)
    cutoff = add_months(today.replace(day=1), -2)
    for period in session.scalars(select(Period).where(Period.company_id == company.id,
                                                       Period.state == PeriodState.OPEN, Period.end < cutoff)
                                  .order_by(Period.start)):
        close_period(session, company, period.name)


def _vat_returns(session: Session, company: Company, today: dt.date) -> None:
    """Each quarter's VAT return, filed on the 25th of the month after it: run once every plugin has
    booked its documents, so the return settles all of them; in a journal of its own, in date order."""
    template = settings_of(session, company).template
    journal = ensure_journal(session, company, "VAT", _VAT_JOURNAL[template], JournalKind.GENERAL)
    taxes = sorted(
        {tax.account.code for tax in session.scalars(select(Tax).where(Tax.company_id == company.id))}
    )
    month = _first_month(today)
    while month <= today:
        day = month.replace(day=25)
        if month.month % 3 == 1 and day <= today:
            quarter_end = month - dt.timedelta(days=1)
            owed = {code: balance(session, company, code, as_of=quarter_end) for code in taxes}
            legs = [Leg(code, -amount) for code, amount in owed.items() if amount]
            net = sum(leg.amount for leg in legs)
            if net:
                legs.append(Leg(_ACCOUNTS[template]["bank"], -net))
            if legs:
                post_entry(session, company, journal, day, legs, kind=EntryKind.MANUAL,
                           memo=f"VAT return for the quarter ending {quarter_end}")
        month = add_months(month, 1)


def _first_month(today: dt.date) -> dt.date:
    # Twelve whole months back and this one: the previous fiscal year always has
    # months to close, even in December (eleven back would start on 1 January).
    return add_months(today.replace(day=1), -12)


class Books:
    """One demo year, month by month."""

    def __init__(self, session: Session, company: Company, accounts: dict, rng: random.Random, start: dt.date,
                 today: dt.date):
        self.s, self.company, self.a, self.rng, self.start, self.today = (
            session,
            company,
            accounts,
            rng,
            start,
            today,
        )
        self.general = journal_of_kind(session, company, JournalKind.GENERAL)
        self.revenue = session.get(Account, settings_of(session, company).income_id).code
        self.customers = [code for code, _, role in DEMO_PARTIES if role == "customer"]
        self.suppliers = [code for code, _, role in DEMO_PARTIES if role == "supplier"]
        self.due: list[tuple[dt.date, Invoice, bool]] = []  # (when the customer pays, invoice, in full)
        self.sold: dict[str, int] = {}  # quantities sold since the last restocking, by SKU

    def entry(self, day: dt.date, legs: list[Leg], memo: str) -> None:
        post_entry(self.s, self.company, self.general, day, legs, kind=EntryKind.MANUAL, memo=memo)

    def build(self, progress: Callable[[str], None]) -> None:
        a, first = self.a, self.start
        self.entry(
            first, [Leg(a["bank"], 300_000_000), Leg(a["capital"], -300_000_000)], "Share capital paid in"
        )
        self.bill(first, "S-ULSAN", [LineInput("Office furniture and computers", "36000000",
                                               account=a["equipment"])], pay_after=10)
        self.restock(first, {sku: 400 for sku, *_ in DEMO_PRODUCTS})
        month = first
        while month <= self.today:
            progress(f"finance: {month:%Y-%m}")
            self.month(month)
            month = add_months(month, 1)
        self.plan()

    def month(self, first: dt.date) -> None:
        a, rng, last = self.a, self.rng, min(month_end(first), self.today)
        set_rate(self.s, self.company, "USD", first, Decimal(rng.randrange(132000, 142000)) / 100)
        if first == add_months(self.start, 4):
            self.entry(first, [Leg(a["bank"], 80_000_000), Leg(a["loan"], -80_000_000)], "Bank loan received")
        self.bill(first, "S-NAMSAN", [LineInput("Office rent", "1800000", account=a["rent"])], pay_after=5)
        stock_cost = 0
        for week in range(4):
            day = first + dt.timedelta(days=7 * week + 1)
            if day > last:
                break
            if self.sold:
                self.restock(day, self.sold)
            # the week's sales in date order, so their numbers run with their dates
            for sold_on in sorted(
                day + dt.timedelta(days=rng.randrange(0, 5)) for _ in range(rng.randrange(8, 15))
            ):
                stock_cost += self.sale(sold_on, last)
        # Customers' payments (and their exchange differences) are booked before the entries dated
        # after them, so the general journal numbers its entries in date order too.
        if last.day >= 25:
            self.collect(first.replace(day=24))
            self.bill(first.replace(day=25), "S-GWANGJU",
                      [LineInput("Electricity and water", str(rng.randrange(380_000, 620_000, 10)),
                                 account=a["utilities"])], pay_after=3)
            self.entry(first.replace(day=25), [Leg(a["salaries"], 8_500_000), Leg(a["bank"], -8_500_000)],
                       "Salaries")
        self.collect(last)
        if last == month_end(first):
            self.entry(
                last, [Leg(a["cogs"], stock_cost), Leg(a["inventory"], -stock_cost)], "Cost of goods sold"
            )
            self.entry(last, [Leg(a["depreciation_expense"], 600_000), Leg(a["depreciation"], -600_000)],
                       "Depreciation of equipment")
            if first > add_months(self.start, 4):
                self.entry(last, [Leg(a["interest"], 320_000), Leg(a["bank"], -320_000)], "Loan interest")
            revalue(self.s, self.company, last)

    def restock(self, day: dt.date, quantities: dict[str, int]) -> None:
        """Buy back what was sold, from one supplier per product."""
        costs = {sku: cost for sku, _, _, cost, _ in DEMO_PRODUCTS}
        for n, (sku, qty) in enumerate(sorted(quantities.items())):
            supplier = self.suppliers[n % len(self.suppliers)]
            self.bill(day, supplier, [LineInput(f"{sku} stock", str(costs[sku]), str(qty), product=sku,
                                                account=self.a["inventory"])], pay_after=30)
        self.sold = {}

    def bill(self, day: dt.date, supplier: str, lines: list[LineInput], pay_after: int) -> None:
        bill = create_invoice(self.s, self.company, "bill", supplier, day, lines, term="NET30",
                              reference=f"{supplier[2:]}-{day:%y%m%d}", journal=self.a["purchase_journal"])
        post_invoice(self.s, self.company, bill)
        paid = day + dt.timedelta(days=pay_after)
        if paid <= self.today:
            register_payment(self.s, self.company, supplier, _amount(bill), paid, direction="outbound",
                             invoices=[(bill, None)])

    def sale(self, day: dt.date, last: dt.date) -> int:
        """Invoice a customer; returns the cost of the goods sold."""
        rng = self.rng
        day = min(day, last)
        customer = rng.choice(self.customers)
        picked = rng.sample(DEMO_PRODUCTS, rng.randrange(1, 4))
        lines, cost = [], 0
        for sku, name, _unit, unit_cost, price in picked:
            qty = rng.randrange(10, 80)
            discount = rng.choice(["0", "0", "0", "5", "10"])
            lines.append(LineInput(name, str(price), str(qty), product=sku, discount=discount))
            cost += qty * unit_cost
            self.sold[sku] = self.sold.get(sku, 0) + qty
        export = customer == _EXPORT_CUSTOMER
        if export:  # exports are zero-rated and invoiced in dollars
            lines = [LineInput(line.description, str((line.unit_price / 1350).quantize(Decimal("0.01"))),
                               line.quantity, product=line.product, taxes=("VAT0-S",)) for line in lines]
        invoice = create_invoice(self.s, self.company, "invoice", customer, day, lines,
                                 term=rng.choice(["NET30", "NET30", "EOM1", "NET15"]),
                                 currency="USD" if export else None, journal=self.a["sale_journal"])
        post_invoice(self.s, self.company, invoice)
        if rng.random() < 0.02:
            post_invoice(self.s, self.company, credit_note(self.s, self.company, invoice, date=day,
                                                           reason="Goods returned damaged"))
            return 0
        late = rng.choice([-10, -5, 0, 0, 3, 7, 12, 40])
        self.due.append((invoice.due_date + dt.timedelta(days=late), invoice, rng.random() > 0.1))
        return cost

    def collect(self, until: dt.date) -> None:
        waiting = []
        for day, invoice, full in sorted(self.due, key=lambda item: (item[0], item[1].id)):
            if day > until or invoice.residual_units == 0:
                if invoice.residual_units:
                    waiting.append((day, invoice, full))
                continue
            day = max(day, invoice.date)
            amount = _amount(invoice) if full else _amount(invoice) / 2
            amount = amount.quantize(Decimal(1) if invoice.currency == "KRW" else Decimal("0.01"))
            register_payment(self.s, self.company, invoice.party.code, amount, day, currency=invoice.currency,
                             invoices=[(invoice, None)])
            if not full:  # the rest a month later
                waiting.append((day + dt.timedelta(days=30), invoice, True))
        self.due = waiting

    def plan(self) -> None:
        """This year's budget: what the company planned to sell and spend."""
        year = year_bounds(self.company, self.today)[0]
        budget = create_budget(self.s, self.company, f"Plan {year.year}", year)
        a = self.a
        for account, amount in (
            (self.revenue, 450_000_000),
            (a["cogs"], 260_000_000),
            (a["salaries"], 102_000_000),
            (a["rent"], 21_600_000),
            (a["utilities"], 6_000_000),
            (a["depreciation_expense"], 7_200_000),
            (a["interest"], 2_400_000),
        ):
            spread_amount(self.s, self.company, budget, account, amount)


def _amount(invoice: Invoice) -> Decimal:
    return unfixed(invoice.residual_units, scale_of(invoice.currency))


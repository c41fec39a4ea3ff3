"""Aged receivables and payables as of a date, per party.

Each posted document dated on or before the date counts for what was still
open then: its total in the company currency less what allocations dated on
or before the date settled of it. Documents fall into buckets by how many
days past due they were; credit notes and refunds count negative in theirs.
Payments count for what was not yet allocated then, in their own column.
When every posting on the receivable (payable) account came from finance,
the total equals that account's ledger balance, which the report carries
too; a revaluation of foreign-currency items shows in the ledger on its date
only (it is reversed the next day) and not here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.ledger.models import Account
from core.models import Company, Party
from core.values import from_units, parse_date
from plugins.finance.company_setup import settings_of
from plugins.finance.documents import Allocation, Direction, Invoice, InvoiceKind, InvoiceState, Payment
from plugins.finance.reports.periods import Compare, compare_date
from plugins.finance.reports.sums import balances_as_of, scale

__all__ = ["AgedRow", "AgedReport", "aged_balances", "BUCKETS"]

# field, label, (first, last) days past due
BUCKETS = (("not_due", "Not due", None, 0), ("days_1_30", "1-30", 1, 30), ("days_31_60", "31-60", 31, 60),
           ("days_61_90", "61-90", 61, 90), ("over_90", "Over 90", 91, None))
_RECEIVABLE = (InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE)
_PAYABLE = (InvoiceKind.BILL, InvoiceKind.REFUND)


@attrs.frozen
class AgedRow:
    """One party (or, with ``party`` empty, the totals). Amounts are what the party owes us
    (receivables) or we owe it (payables); ``unallocated`` is payments not yet allocated."""

    party: str
    name: str
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    unallocated: Decimal
    total: Decimal
    compare_total: Optional[Decimal] = None
    difference: Optional[Decimal] = None


@attrs.frozen
class AgedReport:
    """``account`` is the receivable (payable) account's code, ``ledger_balance`` its balance as of the
    date."""

    company: str
    currency: str
    side: str
    as_of: dt.date
    compare_as_of: Optional[dt.date]
    account: str
    rows: tuple[AgedRow, ...]
    totals: AgedRow
    ledger_balance: Decimal


def aged_balances(session: Session, company: Company, as_of: Optional[dt.date | str] = None, *,
                  payables: bool = False, compare: Compare = None) -> AgedReport:
    """Who owed what as of ``as_of`` (today by default), and for how long; ``payables`` for suppliers.

    :param compare: ``"previous-period"`` (a month earlier), ``"previous-year"`` or a date:
        each party's total then, and the difference.
    """
    day = parse_date(as_of) if as_of is not None else dt.date.today()
    other = compare_date(day, compare)
    settings = settings_of(session, company)
    account_id = settings.payable_id if payables else settings.receivable_id
    sign = -1 if payables else 1  # payables read credit-positive: what we owe
    buckets = _open_items(session, company, day, account_id, _PAYABLE if payables else _RECEIVABLE, sign)
    before = _open_items(session, company, other, account_id, _PAYABLE if payables else _RECEIVABLE, sign) \
        if other is not None else {}
    parties = dict(
        session.execute(
            select(Party.id, Party.code).where(
                Party.company_id == company.id, Party.id.in_([*buckets, *before])
            )
        ).all()
    )
    names = dict(session.execute(select(Party.id, Party.name).where(Party.id.in_(list(parties)))).all())
    places = scale(company)

    def money(units: int) -> Decimal:
        return from_units(units, places)

    rows = []
    for party_id in sorted(parties, key=parties.get):
        units = buckets.get(party_id, {})
        total, then = sum(units.values()), sum(before.get(party_id, {}).values())
        if not any(units.values()) and not then:
            continue
        rows.append(
            AgedRow(
                parties[party_id],
                names[party_id],
                *(money(units.get(f, 0)) for f, *_ in BUCKETS),
                money(units.get("unallocated", 0)),
                money(total),
                *((money(then), money(total - then)) if other is not None else ()),
            )
        )
    fields = [f for f, *_ in BUCKETS] + ["unallocated", "total"]
    sums = [sum((getattr(row, f) for row in rows), money(0)) for f in fields]
    compared = ()
    if other is not None:
        compare_total = sum((row.compare_total for row in rows), money(0))
        compared = (compare_total, sums[-1] - compare_total)
    ledger = sign * balances_as_of(session, company, day, [account_id]).get(account_id, 0)
    code = session.scalar(select(Account.code).where(Account.id == account_id))
    return AgedReport(
        company.code,
        company.currency,
        "payables" if payables else "receivables",
        day,
        other,
        code,
        tuple(rows),
        AgedRow("", "Total", *sums, *compared),
        money(ledger),
    )


def _open_items(
    session: Session,
    company: Company,
    day: dt.date,
    account_id: int,
    kinds: tuple[InvoiceKind, ...],
    sign: int,
) -> dict[int, dict[str, int]]:
    """Party id -> bucket -> units (as shown) open on ``day``."""
    on_invoice = (
        select(Allocation.invoice_id.label("doc"), func.sum(Allocation.amount_company).label("units"))
        .where(Allocation.company_id == company.id, Allocation.date <= day)
        .group_by(Allocation.invoice_id)
        .subquery()
    )
    by_credit = (select(Allocation.credit_id.label("doc"), func.sum(Allocation.source_company).label("units"))
                 .where(Allocation.company_id == company.id, Allocation.credit_id.is_not(None),
                        Allocation.date <= day).group_by(Allocation.credit_id).subquery())
    open_units = (
        Invoice.total_company - func.coalesce(on_invoice.c.units, 0) - func.coalesce(by_credit.c.units, 0)
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for party_id, kind, due, units in session.execute(
        select(Invoice.party_id, Invoice.kind, Invoice.due_date, open_units)
        .outerjoin(on_invoice, on_invoice.c.doc == Invoice.id)
        .outerjoin(by_credit, by_credit.c.doc == Invoice.id)
        .where(
            Invoice.company_id == company.id,
            Invoice.state == InvoiceState.POSTED,
            Invoice.kind.in_(kinds),
            Invoice.date <= day,
            open_units != 0,
        )
    ):
        result[party_id][_bucket((day - due).days)] += sign * kind.sign * int(units)
    allocated = (
        select(Allocation.payment_id.label("payment"), func.sum(Allocation.source_company).label("units"))
        .where(
            Allocation.company_id == company.id, Allocation.payment_id.is_not(None), Allocation.date <= day
        )
        .group_by(Allocation.payment_id)
        .subquery()
    )
    left = Payment.amount_company - func.coalesce(allocated.c.units, 0)
    for party_id, direction, units in session.execute(
            select(Payment.party_id, Payment.direction, left)
            .outerjoin(allocated, allocated.c.payment == Payment.id)
            .where(Payment.company_id == company.id, Payment.account_id == account_id, Payment.date <= day,
                   left != 0)):
        # Money in is a credit on the partner account, money out a debit.
        result[party_id]["unallocated"] += sign * (-1 if direction == Direction.INBOUND else 1) * int(units)
    return result


def _bucket(days_late: int) -> str:
    for field, _, first, last in BUCKETS:
        if (first is None or days_late >= first) and (last is None or days_late <= last):
            return field
    raise AssertionError(days_late)  # the buckets cover every integer

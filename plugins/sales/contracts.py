"""Contracts and subscriptions: lines billed every ``every`` months,
quarters or years from ``start`` until ``end``.

``bill_due(today)`` bills every period that has begun by ``today``: with
finance a posted invoice per period (origin ``sales:CT00001``), without it
only the billing record. Each period is one ``ContractBilling`` row,
unique per contract and period start, and the contract's ``next_billing``
moves past it in the same transaction, so running ``bill-due`` twice bills
once.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional, Sequence

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party, get_product
from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Company
from core.numbering import next_number
from core.scoping import find_one
from core.values import from_units
from plugins.sales import partners
from plugins.sales.crm_common import member, optional_date, whole_number
from plugins.sales.documents import Contract, ContractBilling, ContractLine, ContractState, Interval
from plugins.sales.order_values import (
    add_months,
    money,
    money_units,
    net_units,
    origin_of,
    quantity,
    quantity_units,
)

__all__ = ["ContractLineSpec", "create_contract", "find_contract", "end_contract", "bill_due", "period_end",
           "contract_amount", "contract_data"]

_MONTHS = {Interval.MONTH: 1, Interval.QUARTER: 3, Interval.YEAR: 12}
_MAX_PERIODS = 1000  # a guard against a contract started centuries ago


@attrs.frozen
class ContractLineSpec:
    product: str
    quantity: object
    price: object
    description: Optional[str] = None


def find_contract(session: Session, company: Company, number: str) -> Contract:
    return find_one(session, Contract, company, "contract", number=str(number).strip())


def create_contract(session: Session, company: Company, party: str, lines: Sequence[ContractLineSpec], *,
                    start, end=None, interval: str = "month", every=1,
                    salesperson: Optional[str] = None) -> Contract:
    """A contract billing ``lines`` every ``every`` ``interval`` from ``start`` (the first billing date)."""
    customer = get_party(session, company, party)
    first = optional_date(start, "start")
    if first is None:
        raise Invalid("a contract needs a start date")
    last = optional_date(end, "end")
    if last is not None and last < first:
        raise Invalid(f"a contract cannot end ({last}) before it starts ({first})")
    try:
        kind = Interval(str(interval).strip().lower())
    except ValueError:
        raise Invalid(f"interval must be month, quarter or year, not {interval!r}") from None
    if not lines:
        raise Invalid("a contract needs at least one line")
    contract = Contract(company_id=company.id, number=next_number(session, company, "CT"), party=customer,
                        salesperson_id=getattr(member(session, company, salesperson), "id", None),
                        currency=company.currency, start=first, end=last, interval=kind,
                        every=whole_number(every, "every", low=1, high=120) or 1, next_billing=first,
                        state=ContractState.ACTIVE)
    session.add(contract)
    for position, spec in enumerate(lines, 1):
        product = get_product(session, company, str(spec.product).strip())
        contract.lines.append(ContractLine(
            company_id=company.id, position=position, product=product,
            description=(spec.description or "").strip()[:200] or product.name,
            quantity_units=quantity_units(product, spec.quantity),
            price_units=money_units(company, spec.price, what=f"{product.sku}: price")))
    session.flush()
    return contract


def end_contract(session: Session, company: Company, number: str, *, date=None) -> Contract:
    """Stop billing after ``date`` (default today): periods starting later are not billed."""
    contract = find_contract(session, company, number)
    if contract.state is ContractState.ENDED:
        raise Invalid(f"{contract.number} has ended already")
    day = optional_date(date, "end") or dt.date.today()
    contract.end = day if contract.end is None else min(contract.end, day)
    if contract.next_billing is not None and contract.next_billing > contract.end:
        contract.next_billing = None
        contract.state = ContractState.ENDED
    session.flush()
    return contract


def period_end(contract: Contract, start: dt.date) -> dt.date:
    """The last day of the period starting ``start`` (never after the contract's end)."""
    last = _next_start(contract, start) - dt.timedelta(days=1)
    return min(last, contract.end) if contract.end is not None else last


def contract_amount(contract: Contract) -> int:
    return sum(net_units(line.quantity_units, line.product.unit.scale, line.price_units, 0)
               for line in contract.lines)


def _next_start(contract: Contract, start: dt.date) -> dt.date:
    # Counted from the contract's start, so a period starting on the 31st stays on month ends.
    months = _MONTHS[contract.interval] * contract.every
    step = 1
    while add_months(contract.start, months * step) <= start:
        step += 1
    return add_months(contract.start, months * step)


def bill_due(session: Session, company: Company, today=None) -> list[ContractBilling]:
    """Bill every period of every active contract that has begun by ``today``; returns what was billed."""
    day = optional_date(today, "date") or dt.date.today()
    due = session.scalars(select(Contract).where(
        Contract.company_id == company.id, Contract.state == ContractState.ACTIVE,
        Contract.next_billing.is_not(None), Contract.next_billing <= day)
        .order_by(Contract.number).with_for_update()).all()
    billed = []
    for contract in due:
        count = 0
        while contract.next_billing is not None and contract.next_billing <= day and count < _MAX_PERIODS:
            billed.append(_bill(session, company, contract, contract.next_billing))
            count += 1
    session.flush()
    return billed


def _bill(session: Session, company: Company, contract: Contract, start: dt.date) -> ContractBilling:
    end = period_end(contract, start)
    exists = session.scalar(select(ContractBilling).where(ContractBilling.contract_id == contract.id,
                                                          ContractBilling.period_start == start))
    row = exists
    if row is None:
        invoice = None
        if partners.installed(session, company, "finance"):
            invoice = _invoice(session, company, contract, start, end)
        row = ContractBilling(
            company_id=company.id,
            contract_id=contract.id,
            period_start=start,
            period_end=end,
            amount_units=contract_amount(contract),
            invoice=invoice,
        )
        session.add(row)
    following = _next_start(contract, start)
    if contract.end is not None and following > contract.end:
        contract.next_billing, contract.state = None, ContractState.ENDED
    else:
        contract.next_billing = following
    session.flush()
    return row


def _invoice(session: Session, company: Company, contract: Contract, start: dt.date, end: dt.date) -> str:
    finance_api = partners.finance_api()

    scale = CURRENCIES[contract.currency][1]
    lines = [
        finance_api.LineInput(
            f"{line.description} ({start} – {end})",
            from_units(line.price_units, scale),
            quantity(line.product, line.quantity_units),
            product=line.product.sku,
        )
        for line in contract.lines
    ]
    # A period that began inside closed books is invoiced on the first open day (the line names the
    # period): refusing would stop every later run of bill-due, for every contract.
    lock = session.scalar(select(Company.lock_date).where(Company.id == company.id))
    dated = start if lock is None or start > lock else lock + dt.timedelta(days=1)
    doc = finance_api.create_document(session, company, "invoice", contract.party.code, dated, lines,
                                      currency=contract.currency, reference=contract.number,
                                      origin=origin_of(contract.number), post=True)
    return doc.number


def contract_data(session: Session, company: Company, contract: Contract) -> dict:
    billings = session.scalars(select(ContractBilling).where(ContractBilling.contract_id == contract.id)
                               .order_by(ContractBilling.period_start)).all()
    return {
        "number": contract.number,
        "customer": contract.party.code,
        "name": contract.party.name,
        "state": contract.state,
        "interval": contract.interval,
        "every": contract.every,
        "start": contract.start,
        "end": contract.end,
        "next_billing": contract.next_billing,
        "currency": contract.currency,
        "amount": money(company, contract_amount(contract)),
        "lines": [
            {
                "position": line.position,
                "product": line.product.sku,
                "description": line.description,
                "quantity": quantity(line.product, line.quantity_units),
                "price": money(company, line.price_units),
            }
            for line in contract.lines
        ],
        "billings": [
            {
                "period_start": b.period_start,
                "period_end": b.period_end,
                "amount": money(company, b.amount_units),
                "invoice": b.invoice,
            }
            for b in billings
        ],
    }

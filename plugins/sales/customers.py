"""Customer terms (credit limit, price list, salesperson) and the credit
check at confirmation.

A customer's *exposure* is what it owes and will owe: its open receivable in
finance (when the company installed finance) plus the untaxed amount of its
confirmed orders not invoiced yet. Confirming an order is refused when the
exposure with that order would pass the credit limit.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party
from core.errors import Invalid
from core.models import Company, Party
from core.plugins import plugins_of
from core.values import normalise
from plugins.sales import partners
from plugins.sales.crm_common import member
from plugins.sales.documents import Customer, Order, OrderLine, OrderState, PriceList
from plugins.sales.order_values import money, money_units, part_of, scale
from plugins.sales.pricing import find_price_list
from plugins.sales.settings import UNCHANGED, settings_of

__all__ = ["customer_of", "ensure_customer", "set_terms", "exposure", "check_credit", "customer_data",
           "list_for"]


def customer_of(session: Session, company: Company, party: Party) -> Optional[Customer]:
    return session.scalar(select(Customer).where(Customer.company_id == company.id,
                                                 Customer.party_id == party.id))


def ensure_customer(session: Session, company: Company, party: Party) -> Customer:
    """The party's customer row, created (no limit, no price list) if absent."""
    row = customer_of(session, company, party)
    if row is None:
        row = Customer(company_id=company.id, party_id=party.id)
        session.add(row)
        session.flush()
    return row


def set_terms(session: Session, company: Company, party: str, *, credit_limit=UNCHANGED, price_list=UNCHANGED,
              salesperson=UNCHANGED) -> Customer:
    """Change a customer's terms; ``credit_limit=None`` (or ``""``) means no limit."""
    row = ensure_customer(session, company, get_party(session, company, party))
    if credit_limit is not UNCHANGED:
        empty = credit_limit is None or (isinstance(credit_limit, str) and not credit_limit.strip())
        row.credit_limit_units = None if empty else money_units(company, credit_limit, what="credit limit")
    if price_list is not UNCHANGED:
        if price_list is None or not str(price_list).strip():
            row.price_list_id = None
        else:
            row.price_list_id = find_price_list(session, company, str(price_list).strip()).id
    if salesperson is not UNCHANGED:
        user = member(session, company, salesperson)
        row.salesperson_id = user.id if user else None
    session.flush()
    return row


def _receivable(session: Session, company: Company, party: Party) -> int:
    if not plugins_of(session).is_installed(session, company, "finance"):
        return 0
    finance_api = partners.finance_api()

    balance = finance_api.party_balance(session, company, party.code)["receivable"]
    return max(normalise(balance, scale(company))[0], 0)


def _uninvoiced(session: Session, company: Company, party: Party, *, besides: Optional[int] = None) -> int:
    """The untaxed amount of the party's confirmed orders that is not invoiced yet."""
    query = (select(OrderLine.net_units, OrderLine.quantity_units, OrderLine.invoiced_units)
             .join(Order, Order.id == OrderLine.order_id)
             .where(Order.company_id == company.id, Order.party_id == party.id,
                    Order.state == OrderState.CONFIRMED))
    if besides is not None:
        query = query.where(Order.id != besides)
    return sum(part_of(net, max(qty - invoiced, 0), qty) for net, qty, invoiced in session.execute(query))


def exposure(session: Session, company: Company, party: Party, *, besides: Optional[int] = None) -> int:
    """Open receivable (finance) + confirmed orders not invoiced, in smallest units."""
    return _receivable(session, company, party) + _uninvoiced(session, company, party, besides=besides)


def check_credit(session: Session, company: Company, order: Order) -> None:
    """Refuse (``Invalid``) when confirming ``order`` would take its customer past the credit limit."""
    row = customer_of(session, company, order.party)
    if row is None or row.credit_limit_units is None:
        return
    owed = exposure(session, company, order.party, besides=order.id)
    if owed + order.untaxed_units > row.credit_limit_units:
        raise Invalid(
            f"{order.number}: credit limit of {order.party.code} exceeded: owes {money(company, owed)}, "
            f"order {money(company, order.untaxed_units)}, limit {money(company, row.credit_limit_units)}"
        )


def customer_data(session: Session, company: Company, row: Customer) -> dict:
    price_list = session.get(PriceList, row.price_list_id) if row.price_list_id else None
    return {"party": row.party.code, "name": row.party.name,
            "credit_limit": money(company, row.credit_limit_units),
            "price_list": price_list.code if price_list else None,
            "salesperson": row.salesperson.username if row.salesperson else None,
            "exposure": money(company, exposure(session, company, row.party))}


def list_for(
    session: Session, company: Company, party: Party, given: Optional[PriceList]
) -> Optional[PriceList]:
    """The price list an order of ``party`` uses: the given one, the customer's, or the company's default."""
    if given is not None:
        return given
    row = customer_of(session, company, party)
    chosen = row.price_list_id if row is not None and row.price_list_id else settings_of(
        session, company).default_price_list_id
    found = session.get(PriceList, chosen) if chosen else None
    return found if found is not None and found.active else None

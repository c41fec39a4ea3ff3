"""What the analysis tests share: orders and opportunities written straight
through the models (the analysis reads rows; it does not care which service
wrote them), salespeople, and a naive computation to compare with.

Each order is ``Sale(number, customer, day, lines, state, salesperson, currency)``
with lines ``(sku, quantity, net, cost or None, delivered)`` in units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Optional

import attrs
from sqlalchemy import select

from core.catalog import get_party, get_product
from core.companies import get_company
from core.models import Party, PartyAddress, User
from core.users import create_user, grant
from plugins.sales.documents import Order, OrderLine, OrderState
from plugins.sales.models import Opportunity, OpportunityState, Stage

__all__ = ["Sale", "add_sales", "add_salespeople", "add_opportunity", "naive", "stage_id", "regions_of"]


@attrs.frozen
class Sale:
    number: str
    customer: str
    day: dt.date
    lines: tuple  # (sku, quantity, net, cost, delivered)
    state: str = "confirmed"
    salesperson: Optional[str] = None
    currency: Optional[str] = None


def add_salespeople(db, code: str, *usernames: str, role: str = "salesperson") -> None:
    with db.session() as s:
        company = get_company(s, code)
        for username in usernames:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                user = create_user(s, username, "correct horse battery", full_name=username.title())
            grant(s, user, company, role)


def add_sales(db, code: str, sales) -> None:
    with db.session() as s:
        company = get_company(s, code)
        users = {u.username: u.id for u in s.scalars(select(User))}
        for sale in sales:
            state = OrderState(sale.state)
            order = Order(
                company_id=company.id,
                number=sale.number,
                party_id=get_party(s, company, sale.customer).id,
                salesperson_id=users[sale.salesperson] if sale.salesperson else None,
                currency=sale.currency or company.currency,
                date=sale.day,
                state=state,
                confirmed_on=sale.day if state in (OrderState.CONFIRMED, OrderState.DONE) else None,
                untaxed_units=sum(line[2] for line in sale.lines),
            )
            for position, (sku, quantity, net, cost, delivered) in enumerate(sale.lines, 1):
                order.lines.append(
                    OrderLine(
                        company_id=company.id,
                        position=position,
                        product_id=get_product(s, company, sku).id,
                        description=sku,
                        quantity_units=quantity,
                        price_units=net // quantity,
                        discount_bp=0,
                        net_units=net,
                        delivered_units=delivered,
                        cost_units=cost,
                    )
                )
            s.add(order)


def stage_id(db, code: str, name: str) -> int:
    with db.session() as s:
        company = get_company(s, code)
        return s.scalar(select(Stage.id).where(Stage.company_id == company.id, Stage.name == name))


def add_opportunity(
    db,
    code: str,
    number: str,
    expected: int,
    close: Optional[dt.date],
    stage: str = "New",
    probability: Optional[int] = None,
    state: str = "open",
    owner: Optional[str] = None,
) -> None:
    stage_row = stage_id(db, code, stage)
    with db.session() as s:
        company = get_company(s, code)
        owner_id = s.scalar(select(User.id).where(User.username == owner)) if owner else None
        s.add(
            Opportunity(
                company_id=company.id,
                number=number,
                name=f"Deal {number}",
                stage_id=stage_row,
                state=OpportunityState(state),
                expected_revenue_units=expected,
                probability=probability,
                expected_close=close,
                owner_id=owner_id,
            )
        )


def regions_of(db, code: str) -> dict[str, Optional[str]]:
    """Party code → the region of its first main address."""
    with db.session() as s:
        company = get_company(s, code)
        found: dict[str, Optional[str]] = {}
        for party_code, region in s.execute(
                select(Party.code, PartyAddress.region)
                .join(Party, Party.id == PartyAddress.party_id).where(PartyAddress.company_id == company.id,
                                                PartyAddress.purpose == "main").order_by(PartyAddress.id)):
            found.setdefault(party_code, region)
        return found


def naive(sales, by: str, regions: dict, *, start=None, end=None, period="month", currency="KRW") -> dict:
    """``{key: (revenue, costed revenue, cost)}`` in units, computed line by line in plain Python."""
    totals: dict = defaultdict(lambda: [0, 0, 0])
    for sale in sales:
        if sale.state not in ("confirmed", "done") or (sale.currency or "KRW") != currency:
            continue
        if (start and sale.day < start) or (end and sale.day > end):
            continue
        for sku, quantity, net, cost, delivered in sale.lines:
            key = {"product": sku, "customer": sale.customer, "region": regions.get(sale.customer),
                   "salesperson": sale.salesperson,
                   "period": {"month": f"{sale.day:%Y-%m}", "year": f"{sale.day:%Y}",
                              "quarter": f"{sale.day.year}-Q{(sale.day.month - 1) // 3 + 1}"}[period]}[by]
            known = cost is not None and delivered >= quantity
            totals[key][0] += net
            totals[key][1] += net if known else 0
            totals[key][2] += cost if known else 0
    return {key: tuple(value) for key, value in totals.items()}

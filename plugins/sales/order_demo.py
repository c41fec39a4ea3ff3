"""The order side's share of the demo: a standard price list with volume
tiers, customer terms, a year of quotations and orders, their deliveries
(through wms where installed), invoices and payments (through finance
where installed), and a few subscriptions billed up to today.

Everything goes through the same services as the CLI and the pages and is
deterministic for a given day. Documents are dated after the company's
lock date (finance closes its months only once every plugin has booked its
year); with wms, the goods arrive at the start of the year.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import create_product
from core.demo import DEMO_PARTIES, DEMO_PRODUCTS
from core.errors import JangbuError
from core.models import Company, Membership, Party, Product, User
from plugins.sales import partners
from plugins.sales.contracts import ContractLineSpec, bill_due, create_contract
from plugins.sales.customers import set_terms
from plugins.sales.orders import LineSpec, cancel, confirm, create_quotation, send
from plugins.sales.pricing import create_price_list, set_price
from plugins.sales.settings import update_settings

__all__ = ["order_demo_data"]

_DAYS = 365
_SUPPORT = ("SUPPORT-M", "Office supply service, monthly", "pcs")


def _salespeople(session: Session, company: Company) -> list[str]:
    rows = session.execute(
        select(User.username, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == company.id)
        .order_by(User.username)
    ).all()
    sellers = [name for name, role in rows if role in ("salesperson", "sales_manager")]
    return sellers or [name for name, _role in rows][:1]


def _attempt(session: Session, action: Callable[[], object]) -> bool:
    """Run ``action`` in a savepoint: a refusal (a credit limit, stock missing) leaves nothing behind."""
    try:
        with session.begin_nested():
            action()
        return True
    except JangbuError:
        return False


def order_demo_data(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    rng = random.Random(1977)
    today = dt.date.today()
    start = today - dt.timedelta(days=_DAYS)
    if company.lock_date is not None:
        start = max(start, company.lock_date + dt.timedelta(days=1))
    finance, wms = (
        partners.installed(session, company, "finance"),
        partners.installed(session, company, "wms"),
    )
    progress("sales: price list and customer terms")
    known = set(session.scalars(select(Product.sku).where(Product.company_id == company.id)))
    create_price_list(session, company, "STANDARD", "Standard prices")
    products = []
    for sku, _name, _unit, _cost, price in DEMO_PRODUCTS:
        if sku in known:
            set_price(session, company, "STANDARD", sku, price)
            set_price(
                session, company, "STANDARD", sku, Decimal(price), min_quantity="50", discount_percent="5"
            )
            products.append(sku)
    update_settings(session, company, price_list="STANDARD")
    if wms:
        _stock_up(session, company, products, start)
    sellers = _salespeople(session, company)
    parties = set(session.scalars(select(Party.code).where(Party.company_id == company.id)))
    customers = [code for code, _name, role in DEMO_PARTIES if role == "customer" and code in parties]
    if not customers or not products:
        return
    for index, code in enumerate(customers):
        set_terms(
            session,
            company,
            code,
            credit_limit=str(2_000_000 if index == len(customers) - 1 else 40_000_000),
            salesperson=sellers[index % len(sellers)] if sellers else None,
        )
    progress("sales: subscriptions")
    _contracts(session, company, start, today, customers)
    progress("sales: a year of quotations and orders")
    # Shipments wait for their day, and subscriptions bill on theirs, so that invoices are
    # numbered in the order of their dates.
    shipments: list[tuple[dt.date, int, str]] = []  # (day, order of confirmation, order number)
    confirmed = itertools.count()
    day = start
    while day <= today:
        while shipments and shipments[0][0] <= day:
            shipped, _n, number = heapq.heappop(shipments)
            _ship(session, company, rng, number, shipped, today, finance)
        for _ in range(rng.choice((0, 1, 1, 2, 3)) if day.weekday() < 5 else 0):
            shipped = _one_order(session, company, rng, day, today, customers, products)
            if shipped is not None:
                heapq.heappush(shipments, (shipped[0], next(confirmed), shipped[1]))
        _attempt(session, lambda: bill_due(session, company, day))
        day += dt.timedelta(days=1)


def _stock_up(session, company, products, day) -> None:
    """Goods for a year of orders, received where deliveries leave from (wms's demo sells its own)."""
    wms_api = partners.wms_api()

    costs = {sku: cost for sku, _name, _unit, cost, _price in DEMO_PRODUCTS}
    supplier = next((code for code, _name, role in DEMO_PARTIES if role == "supplier"), None)
    from plugins.sales.settings import settings_of

    receipt = wms_api.create_receipt(session, company, supplier, [wms_api.LineInput(sku, "4000", costs[sku])
                                                                  for sku in products],
                                     warehouse=settings_of(session, company).warehouse, scheduled=day,
                                     origin="sales:demo", reference="Sales demo stock")
    wms_api.validate_operation(session, company, receipt.number, date=day)
    grni = wms_api.received_account(session, company)
    if grni is not None and partners.installed(session, company, "finance"):  # the supplier bills it, is paid
        finance_api = partners.finance_api()
        bill = finance_api.create_document(
            session,
            company,
            "bill",
            supplier,
            day,
            [
                finance_api.LineInput(
                    f"{sku} for the sales demo", str(costs[sku]), "4000", product=sku, account=grni
                )
                for sku in products
            ],
            term="NET30",
            reference=receipt.number,
            post=True,
        )
        finance_api.register_payment(session, company, supplier, bill.total, bill.due_date, outbound=True,
                                     documents=[bill.number])


def _one_order(session, company, rng, day, today, customers, products) -> Optional[tuple[dt.date, str]]:
    """A quotation of ``day`` and its fate; returns (the day it ships, its number) when it will ship."""
    lines = [
        LineSpec(sku, str(rng.choice((2, 5, 10, 20, 60)))) for sku in rng.sample(products, rng.randint(1, 3))
    ]
    order = create_quotation(session, company, rng.choice(customers), lines, date=day)
    age = (today - day).days
    fate = rng.random()
    if age < 10 and fate < 0.5:  # recent quotations still open
        if fate < 0.3:
            send(session, company, order.number)
        return None
    send(session, company, order.number)
    if fate < 0.06:
        cancel(session, company, order.number)
        return None
    confirmed_on = min(day + dt.timedelta(days=rng.randint(0, 3)), today)
    if not _attempt(session, lambda: confirm(session, company, order.number, date=confirmed_on)):
        return None  # over the credit limit: it stays a quotation
    shipped = confirmed_on + dt.timedelta(days=rng.randint(1, 4))
    if shipped > today or age < 3:
        return None  # waiting for delivery
    return shipped, order.number


def _ship(session, company, rng, number, shipped, today, finance) -> None:
    from plugins.sales.fulfilment import deliver
    from plugins.sales.orders import find_order

    if not _attempt(session, lambda: deliver(session, company, number, date=shipped)):
        return
    if finance:
        _pay(session, company, rng, find_order(session, company, number), shipped, today)


def _pay(session, company, rng, order, invoiced_on, today) -> None:
    finance_api = partners.finance_api()

    from plugins.sales.billing import invoices_of

    paid_on = invoiced_on + dt.timedelta(days=rng.randint(10, 45))
    if paid_on > today or rng.random() < 0.15:
        return  # still open (or late)
    for doc in invoices_of(session, company, order):
        if doc.state == "posted" and doc.residual > 0:
            _attempt(session, lambda: finance_api.register_payment(
                session, company, order.party.code, doc.residual, paid_on, documents=[doc.number]))


def _contracts(session, company, start, today, customers) -> None:
    sku, name, unit = _SUPPORT
    if session.scalar(select(Product.id).where(Product.company_id == company.id, Product.sku == sku)) is None:
        create_product(session, company, sku, name, unit=unit, category="services")
    first = dt.date(start.year, start.month, 1) + dt.timedelta(days=31)
    first = dt.date(first.year, first.month, 1)
    for index, code in enumerate(customers[:3]):
        begin = first if index == 0 else min(first + dt.timedelta(days=60 * index), today)
        create_contract(
            session,
            company,
            code,
            [ContractLineSpec(sku, str(index + 1), "150000")],
            start=begin,
            interval="quarter" if index == 2 else "month",
        )

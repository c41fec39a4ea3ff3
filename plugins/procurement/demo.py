"""Procurement's share of the demo: suppliers with their catalogues and a
few months of buying.

Four suppliers (the core demo's Namsan, Gwangju and Ulsan, and Daegu Ink
Works) sell the core demo's office supplies, some products from one supplier
only; the approval threshold is 5,000,000 KRW. Every few days a
requisition is written: every other one goes out for quotes to two
suppliers and the cheapest answer is chosen, the others are ordered
directly. Orders are confirmed, received (some late, some in two parts:
with wms the second part waits on the receipt's backorder), billed and paid;
one delivery is partly returned. At the end: a bill held because it
charges more than ordered, an order waiting for approval, one expected
later and one late. Everything goes through the services the CLI and the
pages use, is deterministic for a given day, and is dated after the
company's lock date (finance closes the older months first).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import create_party, create_product
from core.models import Company, Party, Product
from plugins.procurement.billing import BillLineInput, enter_bill, pay_bill
from plugins.procurement.catalogue import set_supplier_product
from plugins.procurement.models import OrderState, PurchaseOrder
from plugins.procurement.orders import OrderLineInput, confirm_order, create_order
from plugins.procurement.receiving import receive
from plugins.procurement.requisitions import RequisitionLineInput, create_requisition
from plugins.procurement.returns import return_goods
from plugins.procurement.rfqs import choose_quote, create_rfq, record_quote
from plugins.procurement.settings import update_settings
from plugins.procurement.values import quantity

__all__ = ["procurement_demo_data", "SUPPLIERS", "CATALOGUE"]

_DAYS = 100
SUPPLIERS = [
    ("S-NAMSAN", "Namsan Paper Mill"),
    ("S-GWANGJU", "Gwangju Plastics"),
    ("S-ULSAN", "Ulsan Steelworks"),
    ("S-DAEGU", "Daegu Ink Works"),
]
_PRODUCTS = [("A4-BOX", "A4 paper, box of 2,500 sheets", "box"), ("PEN-BLK", "Gel pen, black", "pcs"),
             ("NOTE-A5", "Notebook A5, 80 pages", "pcs"), ("BIN-40L", "Recycling bin 40 l", "pcs"),
             ("TAPE-48", "Packing tape 48 mm", "pcs"), ("CLIP-KG", "Paper clips, loose", "kg"),
             ("INK-CART", "Ink cartridge", "pcs")]
# supplier, sku, price, lead time days, minimum quantity, preferred
CATALOGUE = [
    ("S-NAMSAN", "A4-BOX", "18000", 5, "10", True), ("S-GWANGJU", "A4-BOX", "18500", 7, "0", False),
    ("S-GWANGJU", "PEN-BLK", "450", 4, "100", True), ("S-NAMSAN", "PEN-BLK", "470", 6, "0", False),
    ("S-NAMSAN", "NOTE-A5", "1200", 6, "50", True),                                  # single source
    ("S-GWANGJU", "BIN-40L", "9500", 8, "0", True), ("S-ULSAN", "BIN-40L", "9800", 12, "0", False),
    ("S-GWANGJU", "TAPE-48", "800", 4, "0", True),                                   # single source
    ("S-ULSAN", "CLIP-KG", "4200", 10, "5", True),                                   # single source
    ("S-DAEGU", "INK-CART", "5000", 14, "0", True),                                  # single source
]
# how late each supplier tends to deliver (days added to the lead time, drawn at random)
_SLIP = {
    "S-NAMSAN": [0, 0, -1, 1],
    "S-GWANGJU": [0, -1, 0, 2],
    "S-ULSAN": [2, 5, 0, 8],
    "S-DAEGU": [0, 3, 1, 0],
}
# per requisition: product and quantity range
_NEEDS = [
    ("A4-BOX", 20, 60),
    ("PEN-BLK", 200, 600),
    ("NOTE-A5", 50, 150),
    ("BIN-40L", 3, 12),
    ("TAPE-48", 40, 120),
    ("CLIP-KG", 5, 20),
    ("INK-CART", 5, 15),
]


def procurement_demo_data(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    rng = random.Random(2026)
    today = dt.date.today()
    start = today - dt.timedelta(days=_DAYS)
    if company.lock_date is not None:
        start = max(start, company.lock_date + dt.timedelta(days=1))
    progress("procurement: suppliers and their catalogue")
    _suppliers(session, company)
    update_settings(
        session, company, approval_threshold="5000000", quantity_tolerance="0", price_tolerance="2"
    )
    progress("procurement: months of requisitions, quotes, orders, receipts and bills")
    bills: list[tuple[dt.date, int, Callable[[], None]]] = []  # entered at the end, in date order
    day, n = start, 0
    while day <= today - dt.timedelta(days=14):
        _buy(session, company, rng, day, today, n, bills)
        day += dt.timedelta(days=rng.choice([4, 5, 6]))
        n += 1
    progress("procurement: what is waiting")
    _waiting(session, company, today, start, bills)
    # Suppliers' bills arrive out of the order their goods were ordered in; entered by their dates,
    # their numbers run with their dates.
    for _day, _n, enter in sorted(bills, key=lambda bill: bill[:2]):
        enter()


def _suppliers(session: Session, company: Company) -> None:
    parties = set(session.scalars(select(Party.code).where(Party.company_id == company.id)))
    for code, name in SUPPLIERS:
        if code not in parties:
            create_party(session, company, code, name)
    products = set(session.scalars(select(Product.sku).where(Product.company_id == company.id)))
    for sku, name, unit in _PRODUCTS:
        if sku not in products:
            create_product(session, company, sku, name, unit=unit, category="Office supplies")
    for supplier, sku, price, lead, minimum, preferred in CATALOGUE:
        set_supplier_product(session, company, supplier, sku, price=price, currency=company.currency,
                             lead_time_days=lead, min_quantity=minimum, preferred=preferred)


def _lines(rng: random.Random, shared: bool) -> list[tuple[str, int]]:
    """Products to buy (``shared``: only products more than one supplier sells, for quotes)."""
    needs = [need for need in _NEEDS if not shared or sum(row[1] == need[0] for row in CATALOGUE) > 1]
    picked = rng.sample(needs, rng.choice([1, 1, 2]))
    return [(sku, rng.randrange(low, high + 1)) for sku, low, high in picked]


def _supplier_of(sku: str, rng: random.Random) -> str:
    sellers = [row[0] for row in CATALOGUE if row[1] == sku]
    return sellers[0] if len(sellers) == 1 or rng.random() < 0.7 else rng.choice(sellers[1:])


def _buy(session: Session, company: Company, rng: random.Random, day: dt.date, today: dt.date, n: int,
         bills: list) -> None:
    """One requisition ordered (through quotes every other time), received, billed and paid."""
    wanted = _lines(rng, n % 2 == 0)
    req = create_requisition(session, company, [RequisitionLineInput(sku, str(qty)) for sku, qty in wanted],
                             date=day, note="Restock of the office supplies")
    sellers = {row[0] for row in CATALOGUE if row[1] in {sku for sku, _ in wanted}}
    if n % 2 == 0 and len(sellers) >= 2:
        asked = sorted(sellers)[:3]
        rfq = create_rfq(session, company, req.number, asked, date=day)
        answers = {}
        for supplier in asked:
            prices = {}
            for sku, _qty in wanted:
                listed = next((Decimal(r[2]) for r in CATALOGUE if r[0] == supplier and r[1] == sku), None)
                base = (
                    listed
                    if listed is not None
                    else max(Decimal(r[2]) for r in CATALOGUE if r[1] == sku) * 11 / 10
                )
                prices[sku] = str((base * (1 + Decimal(rng.randrange(-4, 5)) / 100)).quantize(Decimal(1)))
            lead = next((r[3] for r in CATALOGUE if r[0] == supplier), 10) + rng.randrange(0, 3)
            record_quote(session, company, rfq.number, supplier, prices, lead_time_days=lead,
                         valid_until=day + dt.timedelta(days=30), date=day)
            answers[supplier] = sum(Decimal(prices[sku]) * qty for sku, qty in wanted)
        chosen = min(answers, key=lambda s: (answers[s], s))
        order = choose_quote(session, company, rfq.number, chosen, date=day)
    else:
        supplier = _supplier_of(wanted[0][0], rng)
        lines = [OrderLineInput(sku, str(qty)) for sku, qty in wanted
                 if any(r[0] == supplier and r[1] == sku for r in CATALOGUE)]
        if not lines:
            return
        order = create_order(
            session, company, supplier, lines, date=day, requisition=req, check_minimum=False
        )
    order = confirm_order(session, company, order.number, date=day)
    if order.state is not OrderState.CONFIRMED:
        return  # waits for approval: the demo leaves it so
    _receive_bill_pay(session, company, rng, order, today, n, bills)


def _receive_bill_pay(session: Session, company: Company, rng: random.Random, order: PurchaseOrder,
                      today: dt.date, n: int, bills: list) -> None:
    """Receive now; the bill (and its payment) goes to ``bills``, to be entered on its day."""
    expected = min(line.expected_date for line in order.lines)
    arrives = min(expected + dt.timedelta(days=rng.choice(_SLIP.get(order.party.code, [0]))), today)
    arrives = max(arrives, order.date)
    if n % 4 == 1:  # in two parts: most now, the rest a few days later (with wms: the backorder)
        first = {line.product.sku: str(quantity(line.product, line.quantity_units * 6 // 10))
                 for line in order.lines if line.quantity_units * 6 // 10 > 0}
        receive(session, company, order.number, first, date=arrives)
        arrives = min(arrives + dt.timedelta(days=rng.randrange(3, 8)), today)
    receive(session, company, order.number, date=arrives)
    if n % 5 == 3:
        line = order.lines[0]
        back = max(line.quantity_units // 20, 1)
        return_goods(session, company, order.number, line.product.sku, str(quantity(line.product, back)),
                     "damaged in transport", date=arrives)
    billed = min(arrives + dt.timedelta(days=2), today)
    paid = billed + dt.timedelta(days=rng.choice([7, 10, 14]))
    number, reference = order.number, f"{order.party.code[2:5]}-{order.number}"

    def enter() -> None:
        bill = enter_bill(session, company, number, reference, date=billed)
        if paid <= today:
            pay_bill(session, company, bill.number, date=paid)

    bills.append((billed, len(bills), enter))


def _waiting(session: Session, company: Company, today: dt.date, start: dt.date, bills: list) -> None:
    """A held bill, an order waiting for approval, one expected later and one late."""
    recent = max(start, today - dt.timedelta(days=12))
    order = create_order(session, company, "S-GWANGJU", [OrderLineInput("TAPE-48", "100")], date=recent)
    confirm_order(session, company, order.number, date=recent)
    receive(session, company, order.number, date=min(recent + dt.timedelta(days=4), today))
    billed, number = min(recent + dt.timedelta(days=5), today), order.number
    bills.append(
        (
            billed,
            len(bills),
            lambda: enter_bill(
                session,
                company,
                number,
                f"GWA-{number}",
                [BillLineInput("TAPE-48", "100", "880")],
                date=billed,
            ),
        )
    )  # +10 %
    big = create_order(session, company, "S-NAMSAN", [OrderLineInput("A4-BOX", "300")], date=today,
                       note="Paper for the year-end mailing")
    confirm_order(session, company, big.number, date=today)  # 5,400,000 KRW: waits for approval
    later = create_order(session, company, "S-ULSAN", [OrderLineInput("CLIP-KG", "12.5")], date=today)
    confirm_order(session, company, later.number, date=today)
    late_day = max(start, today - dt.timedelta(days=9))
    late = create_order(session, company, "S-DAEGU", [OrderLineInput("INK-CART", "8", None,
                                                                      late_day + dt.timedelta(days=3))],
                        date=late_day)
    confirm_order(session, company, late.number, date=late_day)

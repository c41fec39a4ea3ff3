"""What the warehouse knows, read: availability, the stock card, turnover and
days of cover, and ``check_stock``, the proof that wms and the ledger agree.

Availability reads the maintained rows (``wms_stock``: on hand and reserved
per place, product and lot), never the moves; the stock card reads the
ledger's postings of the product's commodity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Invalid
from core.ledger import Balance, Commodity, Posting, Transaction
from core.models import Company, Product, Unit
from core.values import from_units
from plugins.wms.documents import Move, MoveLine, Operation, OperationState
from plugins.wms.models import Cost, CostMethod, Layer, Location, LocationKind, Lot, Stock
from plugins.wms.places import find_location, find_warehouse, locations_under
from plugins.wms.setup import settings_of, valued
from plugins.wms.values import cost as cost_of
from plugins.wms.values import currency_scale, unit_cost_of

__all__ = ["StockRow", "availability", "CardLine", "stock_card", "Turnover", "turnover", "check_stock",
           "delivered_per_day", "ValuedProduct", "Valuation", "valuation_report", "inventory_balance"]


@attrs.frozen
class StockRow:
    location: str
    product: str
    name: str
    unit: str
    lot: Optional[str]
    expiry: Optional[dt.date]
    on_hand: Decimal
    reserved: Decimal
    available: Decimal


def availability(session: Session, company: Company, *, product: Optional[str] = None,
                 location: Optional[str] = None, warehouse: Optional[str] = None,
                 nonzero: bool = True) -> list[StockRow]:
    """On hand, reserved and available per location, product and lot."""
    query = (select(Stock, Location.code, Product.sku, Product.name, Unit.code, Unit.scale, Lot.name,
                    Lot.expiry_date)
             .join(Location, Location.id == Stock.location_id).join(Product, Product.id == Stock.product_id)
             .join(Unit, Unit.id == Product.unit_id).outerjoin(Lot, Lot.id == Stock.lot_id)
             .where(Stock.company_id == company.id))
    if product:
        query = query.where(Stock.product_id == get_product(session, company, product).id)
    if location:
        place = find_location(session, company, location)
        query = query.where(or_(Location.id == place.id, Location.code.startswith(place.code + "/",
                                                                                   autoescape=True)))
    if warehouse:
        query = query.where(Location.warehouse_id == find_warehouse(session, company, warehouse).id)
    if nonzero:
        query = query.where(or_(Stock.on_hand != 0, Stock.reserved != 0))
    rows = []
    for stock, code, sku, name, unit, scale, lot, expiry in session.execute(
            query.order_by(Location.code, Product.sku, Lot.name)):
        rows.append(
            StockRow(
                code,
                sku,
                name,
                unit,
                lot,
                expiry,
                from_units(stock.on_hand, scale),
                from_units(stock.reserved, scale),
                from_units(stock.on_hand - stock.reserved, scale),
            )
        )
    return rows


@attrs.frozen
class CardLine:
    date: dt.date
    transaction_id: int
    memo: str
    location: str
    quantity: Decimal
    balance: Decimal


def stock_card(session: Session, company: Company, sku: str, *, location: Optional[str] = None,
               limit: int = 500) -> tuple[Decimal, list[CardLine]]:
    """The product's moves in and out of the company's locations (or one location and
    those below it), oldest first, with the running balance; the last ``limit`` of them."""
    product = get_product(session, company, sku)
    places = _owned_places(session, company, location)
    accounts = {place.account_id: place.code for place in places}
    where = and_(Posting.company_id == company.id, Posting.commodity_id == product.commodity_id,
                 Posting.account_id.in_(accounts))
    total = session.scalar(select(func.count()).select_from(Posting).where(where))
    recent = session.execute(
        select(Posting.date, Posting.transaction_id, Transaction.memo, Posting.account_id, Posting.amount)
        .join(Transaction, Transaction.id == Posting.transaction_id).where(where)
        .order_by(Posting.date.desc(), Posting.id.desc()).limit(limit)).all()[::-1]
    now = int(session.scalar(select(func.coalesce(func.sum(Balance.amount), 0)).where(
        Balance.commodity_id == product.commodity_id, Balance.account_id.in_(accounts))))
    running = now - sum(row.amount for row in recent)
    scale = product.unit.scale
    lines = []
    for row in recent:
        running += row.amount
        lines.append(CardLine(row.date, row.transaction_id, row.memo, accounts[row.account_id],
                              from_units(row.amount, scale), from_units(running, scale)))
    return from_units(now, scale), lines if total else []


def _owned_places(session: Session, company: Company, location: Optional[str]) -> list[Location]:
    if location:
        return [p for p in locations_under(session, find_location(session, company, location)) if p.internal]
    return list(session.scalars(select(Location).where(Location.company_id == company.id,
                                                       Location.kind == LocationKind.INTERNAL)))


def delivered_per_day(session: Session, company: Company, start: dt.date, end: dt.date,
                      product_ids: Optional[list[int]] = None,
                      warehouse_id: Optional[int] = None) -> dict[int, dict[dt.date, int]]:
    """Units delivered to customers per product and day, ``start`` to ``end`` inclusive (done deliveries)."""
    settings = settings_of(session, company)
    query = (select(Move.product_id, Operation.done_on, func.sum(Move.done))
             .join(Operation, Operation.id == Move.operation_id)
             .where(Operation.company_id == company.id, Operation.state == OperationState.DONE,
                    Operation.destination_id == settings.customer_id,
                    Operation.done_on >= start, Operation.done_on <= end)
             .group_by(Move.product_id, Operation.done_on))
    if product_ids is not None:
        query = query.where(Move.product_id.in_(product_ids))
    if warehouse_id is not None:
        query = query.where(Operation.warehouse_id == warehouse_id)
    found: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for product_id, day, units in session.execute(query):
        found[product_id][day] = int(units)
    return found


@attrs.frozen
class Turnover:
    product: str
    days: int
    delivered: Decimal
    on_hand: Decimal
    average_on_hand: Decimal
    turns: Optional[Decimal]          # delivered / average on hand, over the period
    days_of_cover: Optional[Decimal]  # on hand / average daily delivery


def turnover(session: Session, company: Company, sku: str, *, days: int = 365,
             today: Optional[dt.date] = None) -> Turnover:
    """How often the product's stock turned over the last ``days`` and how long what is left lasts.

    The average on hand is the mean of the end-of-day balances, from the stock card.
    """
    product = get_product(session, company, sku)
    end = today or dt.date.today()
    start = end - dt.timedelta(days=days - 1)
    delivered = sum(
        delivered_per_day(session, company, start, end, [product.id]).get(product.id, {}).values()
    )
    places = _owned_places(session, company, None)
    accounts = [p.account_id for p in places]
    now = int(session.scalar(select(func.coalesce(func.sum(Balance.amount), 0)).where(
        Balance.commodity_id == product.commodity_id, Balance.account_id.in_(accounts))))
    changes = dict(session.execute(select(Posting.date, func.sum(Posting.amount)).where(
        Posting.company_id == company.id, Posting.commodity_id == product.commodity_id,
        Posting.account_id.in_(accounts), Posting.date > start).group_by(Posting.date)).all())
    level, total, day = now, 0, end
    while day >= start:  # walk back from today's balance, one day at a time
        total += level
        level -= int(changes.get(day, 0))
        day -= dt.timedelta(days=1)
    scale = product.unit.scale
    average = Decimal(total) / days
    turns = (Decimal(delivered) / average).quantize(Decimal("0.01")) if average > 0 else None
    cover = (Decimal(now) * days / delivered).quantize(Decimal("0.1")) if delivered else None
    return Turnover(product.sku, days, from_units(delivered, scale), from_units(now, scale),
                    # two places more than the unit, so a thin average does not show as zero
                    (average / 10**scale).quantize(Decimal(1).scaleb(-scale - 2)), turns, cover)


def check_stock(session: Session, company: Company) -> list[str]:
    """Every disagreement between wms's rows and the ledger (empty when sound).

    On hand per location and product equals the ledger balance; nothing
    reserved exceeds what is on hand; reservations equal what open
    operations hold; costing equals the inventory account and its layers.
    """
    problems = []
    places = {p.account_id: p for p in session.scalars(select(Location).where(
        Location.company_id == company.id, Location.kind == LocationKind.INTERNAL))}
    products = {
        p.commodity_id: p for p in session.scalars(select(Product).where(Product.company_id == company.id))
    }
    ledger = {(places[b.account_id].id, products[b.commodity_id].id): b.amount
              for b in session.scalars(select(Balance).where(Balance.company_id == company.id,
                                                             Balance.account_id.in_(places)))
              if b.commodity_id in products}
    rows = defaultdict(int)
    for stock in session.scalars(select(Stock).where(Stock.company_id == company.id)):
        rows[(stock.location_id, stock.product_id)] += stock.on_hand
        if stock.reserved < 0 or (stock.reserved > 0 and stock.reserved > stock.on_hand):
            problems.append(f"stock row {stock.id}: {stock.reserved} reserved of {stock.on_hand} on hand")
        if stock.on_hand < 0 and stock.lot_id is not None:
            problems.append(f"stock row {stock.id}: lot below zero ({stock.on_hand})")
    for key in sorted(set(rows) | set(ledger)):
        if rows.get(key, 0) != ledger.get(key, 0):
            problems.append(f"location {key[0]}, product {key[1]}: wms holds {rows.get(key, 0)}, "
                            f"the ledger {ledger.get(key, 0)}")
    held = dict(session.execute(
        select(Stock.id, func.sum(MoveLine.reserved)).join(Move, Move.id == MoveLine.move_id)
        .join(Operation, Operation.id == Move.operation_id)
        .join(Stock, and_(Stock.location_id == MoveLine.source_id, Stock.product_id == Move.product_id,
                          func.coalesce(Stock.lot_id, 0) == func.coalesce(MoveLine.lot_id, 0)))
        .where(Operation.company_id == company.id, Operation.state == OperationState.READY)
        .group_by(Stock.id)).all())
    for stock_id, reserved in session.execute(select(Stock.id, Stock.reserved).where(
            Stock.company_id == company.id, or_(Stock.reserved != 0, Stock.id.in_(held)))):
        if int(held.get(stock_id) or 0) != reserved:
            problems.append(
                f"stock row {stock_id}: {reserved} reserved, open operations hold {held.get(stock_id)}"
            )
    problems += _check_costing(session, company)
    return problems


def _check_costing(session: Session, company: Company) -> list[str]:
    settings = settings_of(session, company)
    if not valued(settings):
        return []
    problems = []
    value = int(
        session.scalar(select(func.coalesce(func.sum(Cost.value), 0)).where(Cost.company_id == company.id))
    )
    books = inventory_balance(session, company, settings)
    if value != books:
        scale = currency_scale(company.currency)
        problems.append(f"inventory valued at {from_units(value, scale)}, the inventory account holds "
                        f"{from_units(books, scale)} {company.currency}")
    layers = dict(session.execute(select(Layer.product_id, func.sum(Layer.remaining_value)).where(
        Layer.company_id == company.id).group_by(Layer.product_id)).all())
    for cost in session.scalars(select(Cost).where(Cost.company_id == company.id,
                                                   Cost.method == CostMethod.FIFO, Cost.quantity >= 0)):
        if int(layers.get(cost.product_id) or 0) != cost.value:
            problems.append(f"product {cost.product_id}: FIFO layers hold {layers.get(cost.product_id)}, "
                            f"its cost row {cost.value}")
    return problems


def _currency_id(session: Session, company: Company) -> Optional[int]:
    return session.scalar(select(Commodity.id).where(Commodity.code == company.currency,
                                                     Commodity.company_id.is_(None)))


@attrs.frozen
class ValuedProduct:
    product: str
    name: str
    category: Optional[str]
    method: str
    quantity: Decimal
    unit: str
    value: Decimal
    unit_cost: Optional[Decimal]  # the average of what is on hand


@attrs.frozen
class Valuation:
    """The inventory valuation: per product, its total, and what the ledger's inventory account holds."""

    company: str
    currency: str
    account: str
    rows: tuple[ValuedProduct, ...]
    total: Decimal
    ledger: Decimal

    @property
    def agrees(self) -> bool:
        return self.total == self.ledger


def valuation_report(session: Session, company: Company) -> Valuation:
    """Every costed product's quantity and value, their total, and the inventory account's balance."""
    settings = settings_of(session, company)
    if not valued(settings):
        raise Invalid(f"company {company.code} does not value its stock: install finance for it")
    mscale = currency_scale(company.currency)
    rows = []
    for cost, product, unit in session.execute(
        select(Cost, Product, Unit)
        .join(Product, Product.id == Cost.product_id)
        .join(Unit, Unit.id == Product.unit_id)
        .where(Cost.company_id == company.id, or_(Cost.quantity != 0, Cost.value != 0))
        .order_by(Product.sku)
    ):
        average = (cost_of(unit_cost_of(cost.value, cost.quantity, unit.scale, mscale))
                   if cost.quantity > 0 else None)
        rows.append(
            ValuedProduct(
                product.sku,
                product.name,
                product.category,
                cost.method.value,
                from_units(cost.quantity, unit.scale),
                unit.code,
                from_units(cost.value, mscale),
                average,
            )
        )
    total = from_units(int(session.scalar(select(func.coalesce(func.sum(Cost.value), 0))
                                          .where(Cost.company_id == company.id))), mscale)
    return Valuation(company.code, company.currency, settings.inventory_account.code, tuple(rows), total,
                     from_units(inventory_balance(session, company, settings), mscale))


def inventory_balance(session: Session, company: Company, settings) -> int:
    """What the inventory account holds in the company currency, in its smallest units."""
    return int(session.scalar(select(func.coalesce(func.sum(Balance.amount), 0)).where(
        Balance.account_id == settings.inventory_account_id,
        Balance.commodity_id == _currency_id(session, company))) or 0)

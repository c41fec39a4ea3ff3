"""WMS's share of the demo: two warehouses and a few hundred products with history.

Seoul (zones for dry goods, cold goods and electronics, aisles and bins with
labels) and a Busan depot restocked through transit; ~250 products: the
core demo's office supplies and generated stationery, cleaning supplies,
packaging, food in lots with expiry dates (first expiring first out) and
electronics by serial number; putaway rules per category; receipts when
stock runs low, daily deliveries to the demo customers, backorders, open
reservations and receipts still to come. Everything goes through the same
services as the CLI and the pages, and is deterministic for a given day.
Operations are dated after the company's lock date (finance closes the
older months first), so the history covers the open months.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import create_product, get_product
from core.demo import DEMO_PARTIES, DEMO_PRODUCTS
from core.models import Company, Product
from plugins.wms.demo_billing import Statements
from plugins.wms.documents import OperationState
from plugins.wms.operations import LineInput, cancel, confirm, create_operation
from plugins.wms.places import add_location, create_warehouse
from plugins.wms.products import set_rules
from plugins.wms.putaway import add_rule
from plugins.wms.validation import LotInput, validate
from plugins.wms.values import quantity

__all__ = ["wms_demo_data"]

_DAYS = 120
# category: (zone in Seoul, tracking, removal, unit, cost range, how many, names)
_FAMILIES = {
    "stationery": (
        "A",
        "none",
        None,
        "pcs",
        (300, 9000),
        70,
        [
            "Pencil HB",
            "Eraser",
            "Ruler 30 cm",
            "Highlighter",
            "Marker",
            "Stapler",
            "Staples",
            "Sticky notes",
            "Folder",
            "Binder",
            "Envelope C4",
            "Label sheet",
            "Glue stick",
            "Scissors",
        ],
    ),
    "cleaning": (
        "A",
        "none",
        None,
        "pcs",
        (900, 15000),
        40,
        [
            "Detergent 1 l",
            "Glass cleaner",
            "Mop head",
            "Sponge",
            "Paper towel",
            "Hand soap",
            "Gloves",
            "Trash bags",
            "Disinfectant",
        ],
    ),
    "packaging": (
        "A",
        "none",
        None,
        "pcs",
        (100, 4000),
        40,
        ["Carton S", "Carton M", "Carton L", "Bubble wrap roll", "Stretch film", "Pallet label", "Void fill"],
    ),
    "food": (
        "B",
        "lot",
        "fefo",
        "pcs",
        (500, 6000),
        50,
        [
            "Coffee beans 1 kg",
            "Green tea box",
            "Instant noodles",
            "Mineral water 2 l",
            "Biscuits",
            "Rice 4 kg",
            "Kimchi 1 kg",
            "Milk 1 l",
            "Yoghurt",
            "Orange juice",
        ],
    ),
    "electronics": (
        "C",
        "serial",
        None,
        "pcs",
        (30000, 450000),
        40,
        [
            "USB keyboard",
            "Wireless mouse",
            "Monitor 24 in",
            "Label printer",
            "Barcode scanner",
            "Headset",
            "Webcam",
            "Tablet",
            "Router",
        ],
    ),
}


def wms_demo_data(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    rng = random.Random(2026)
    today = dt.date.today()
    start = today - dt.timedelta(days=_DAYS)
    if company.lock_date is not None:
        start = max(start, company.lock_date + dt.timedelta(days=1))
    progress("wms: warehouses and locations")
    _places(session, company)
    progress("wms: products")
    products = _products(session, company, rng)
    progress("wms: a season of receipts and deliveries")
    season = Season(session, company, rng, products, start, today)
    _bins_for_popular(session, company, season.popular)
    season.run(progress)
    progress("wms: reorder rules, replenishment, a count and a wave")
    _rules_and_replenishment(session, company, season)
    _count_one_bin(session, company, today)
    _wave(session, company)


def _places(session: Session, company: Company) -> None:
    create_warehouse(session, company, "SEOUL", "Seoul distribution centre")
    for zone, name in (("A", "Dry goods"), ("B", "Cold room"), ("C", "Electronics cage")):
        add_location(session, company, "SEOUL", zone, f"Seoul {name}")
        for aisle in ("01", "02", "03"):
            add_location(session, company, f"SEOUL/{zone}", aisle)
            for bin_ in ("01", "02", "03", "04"):
                add_location(session, company, f"SEOUL/{zone}/{aisle}", bin_, barcode=f"S{zone}{aisle}{bin_}",
                             count_every_days=30 if zone == "C" else 90)
    create_warehouse(session, company, "BUSAN", "Busan depot")
    add_location(session, company, "BUSAN", "A", "Busan shelves")
    for aisle in ("01", "02"):
        add_location(session, company, "BUSAN/A", aisle)
        for bin_ in ("01", "02", "03"):
            add_location(session, company, f"BUSAN/A/{aisle}", bin_, barcode=f"BA{aisle}{bin_}")
    for category, (zone, *_rest) in _FAMILIES.items():
        add_rule(session, company, f"SEOUL/{zone}/01/01", category=category)


def _bins_for_popular(session: Session, company: Company, popular) -> None:
    """The fast movers get bins of their own, spread over their zone's aisles."""
    for n, (product, _cost, category) in enumerate(popular):
        zone = _FAMILIES.get(category, ("A",))[0]
        add_rule(session, company, f"SEOUL/{zone}/{n % 3 + 1:02d}/{n // 3 % 4 + 1:02d}", product=product.sku)


def _products(session: Session, company: Company, rng: random.Random) -> list[tuple[Product, int, str]]:
    """(product, unit cost, category) for every product the demo stocks."""
    found = []
    for sku, _name, _unit, cost, _price in DEMO_PRODUCTS:
        product = get_product(session, company, sku)
        if product.unit.scale == 0:
            found.append((product, cost, "stationery"))
    for category, (_zone, tracking, removal, unit, (low, high), count, names) in _FAMILIES.items():
        for n in range(count):
            sku = f"{category[:3].upper()}-{n + 1:03d}"
            name = f"{names[n % len(names)]} #{n // len(names) + 1}"
            product = create_product(session, company, sku, name, unit=unit, category=category,
                                     barcode=f"880{rng.randrange(10**9, 10**10)}")
            if tracking != "none" or removal:
                set_rules(session, company, sku, tracking=tracking, removal=removal)
            found.append((product, rng.randrange(low, high) // 10 * 10, category))
    return found


def _rules_and_replenishment(session: Session, company: Company, season: "Season") -> None:
    """Automatic reorder rules for the popular products, fixed ones for a few more; one run of
    replenishment."""
    from plugins.wms.replenishment import replenish, set_rule

    for n, (product, cost, _category) in enumerate(season.popular):
        if n % 3:
            set_rule(session, company, product.sku, "SEOUL", automatic=True, lead_time_days=5 + n % 10,
                     service_level="95", ordering_cost=str(30000 + 1000 * (n % 20)), holding_rate="25")
        else:
            set_rule(session, company, product.sku, "SEOUL", minimum="20", maximum="80", lead_time_days=7)
    replenish(session, company, "SEOUL", today=season.today)


def _count_one_bin(session: Session, company: Company, today: dt.date) -> None:
    """Count the fullest electronics bin: one serial number turns out missing."""
    from plugins.wms.counts import approve, open_count, record
    from plugins.wms.models import Location, Stock

    row = session.scalars(select(Stock).join(Location, Location.id == Stock.location_id).where(
        Stock.company_id == company.id, Location.code.startswith("SEOUL/C/"), Stock.on_hand > Stock.reserved,
        Stock.lot_id.is_not(None)).order_by(Location.code, Stock.id)).first()
    if row is None:
        return
    sheet = open_count(session, company, row.location.code, today)
    counted = {}
    for line in sheet.lines:
        lost = line.product_id == row.product_id and line.lot_id == row.lot_id
        counted[(line.product.sku, line.lot.name if line.lot else None)] = \
            "0" if lost else str(quantity(line.product, line.expected))
    record(session, company, sheet, counted)
    approve(session, company, sheet, "demo", today)


def _wave(session: Session, company: Company) -> None:
    """Today's reserved deliveries in one picking round, the first of them picked and packed."""
    from plugins.wms.documents import Operation, OperationKind
    from plugins.wms.picking import create_wave, pack, pick

    ready = session.scalars(select(Operation).where(
        Operation.company_id == company.id, Operation.kind == OperationKind.DELIVERY,
        Operation.state == OperationState.READY, Operation.wave_id.is_(None)).order_by(Operation.id)).all()
    ready = [op for op in ready if any(line.reserved for move in op.moves for line in move.lines)][:4]
    if len(ready) < 2:
        return
    create_wave(session, company, "SEOUL", [op.number for op in ready])
    first = ready[0]
    for move in first.moves:
        for line in move.lines:
            if line.reserved and line.lot is None:
                pick(session, company, first, line.source.code, move.product.sku,
                     str(quantity(move.product, line.reserved)))
    if any(line.picked for move in first.moves for line in move.lines):
        pack(session, company, first, weight_grams=1500)


class Season:
    """Day by day: deliveries to customers, receipts when stock runs low, Busan restocked weekly."""

    def __init__(self, session, company, rng, products, start, today):
        self.s, self.company, self.rng, self.products = session, company, rng, products
        self.start, self.today = start, today
        self.customers = [code for code, _name, role in DEMO_PARTIES if role == "customer"]
        self.suppliers = [code for code, _name, role in DEMO_PARTIES if role == "supplier"]
        self.serials = 0
        self.popular = rng.sample(products, k=60)
        self.costs = {product.sku: cost for product, cost, _category in products}
        self.statements = Statements(session, company, today)

    def run(self, progress) -> None:
        day = self.start
        for product, cost, category in self.products:  # opening stock
            self._receive(product, cost, category, self.rng.randrange(20, 80), day)
        while day <= self.today:
            if day.weekday() < 5:
                for _ in range(self.rng.randrange(2, 6)):
                    self._deliver(day, done=day < self.today - dt.timedelta(days=2))
                self._restock(day)
            if day.weekday() == 0:
                self._busan(day)
            if day.day == 1:
                progress(f"wms: {day:%Y-%m}")
            day += dt.timedelta(days=1)
        self._big_order()
        self.statements.bill()
        for product, cost, category in self.rng.sample(self.products, k=6):  # receipts still to come
            op = create_operation(self.s, self.company, "receipt", [LineInput(product.sku, "30", str(cost))],
                                  party=self.rng.choice(self.suppliers), warehouse="SEOUL",
                                  scheduled=self.today + dt.timedelta(days=self.rng.randrange(1, 10)),
                                  reference="demo: expected")
            confirm(self.s, self.company, op)

    def _big_order(self) -> None:
        """A customer orders more than there is: what is there leaves, the rest waits in a backorder."""
        from plugins.wms.api import available

        product = next(p for p, _cost, category in self.popular if category == "stationery")
        free = available(self.s, self.company, product.sku, warehouse="SEOUL")
        op = create_operation(self.s, self.company, "delivery", [LineInput(product.sku, str(free + 25))],
                              party=self.customers[0], warehouse="SEOUL", scheduled=self.today,
                              reference="demo: large order")
        confirm(self.s, self.company, op)
        if free > 0:
            self._validate_delivery(op, self.today)

    def _lines(self, count: int) -> list[LineInput]:
        chosen = {p.sku: p for p, _cost, _cat in self.rng.sample(self.popular, k=count)}
        return [LineInput(sku, str(self.rng.randrange(1, 6))) for sku in chosen]

    def _deliver(self, day: dt.date, *, done: bool) -> None:
        op = create_operation(self.s, self.company, "delivery", self._lines(self.rng.randrange(1, 4)),
                              party=self.rng.choice(self.customers), warehouse="SEOUL", scheduled=day,
                              origin=None, reference=f"demo order {day:%m%d}")
        confirm(self.s, self.company, op)
        if done and any(line.reserved for move in op.moves for line in move.lines):
            self._validate_delivery(op, day)

    def _validate_delivery(self, op, day: dt.date) -> None:
        """Deliver what is reserved; the customer is invoiced for it on its monthly statement."""
        done, _rest = validate(self.s, self.company, op, date=day)
        if op.party is not None:  # a customer's, not a transfer
            self.statements.delivery(day, op.party.code, done, self.costs)

    def _restock(self, day: dt.date) -> None:
        """Reorder what runs low in Seoul: a receipt per supplier, a few days later in real life."""
        from plugins.wms.queries import availability

        free: dict[str, int] = {}
        for row in availability(self.s, self.company, warehouse="SEOUL"):
            free[row.product] = free.get(row.product, 0) + int(row.available)
        low = [(p, cost, cat) for p, cost, cat in self.popular if free.get(p.sku, 0) < 15]
        for product, cost, category in low[:8]:
            self._receive(product, cost, category, self.rng.randrange(40, 120), day)
        self._retry_backorders(day)

    def _retry_backorders(self, day: dt.date) -> None:
        from plugins.wms.documents import Operation, OperationKind
        from plugins.wms.operations import reserve

        waiting = self.s.scalars(select(Operation).where(
            Operation.company_id == self.company.id, Operation.kind == OperationKind.DELIVERY,
            Operation.state == OperationState.READY, Operation.scheduled < day - dt.timedelta(days=2))).all()
        for op in waiting:
            reserve(self.s, self.company, op)
            if any(line.reserved for move in op.moves for line in move.lines):
                self._validate_delivery(op, day)

    def _receive(self, product: Product, cost: int, category: str, units: int, day: dt.date) -> None:
        tracking = _FAMILIES.get(category, ("", "none"))[1]
        lots = []
        if tracking == "lot":
            lots = [LotInput(product.sku, f"L{day:%y%m%d}", str(units),
                             (day + dt.timedelta(days=self.rng.randrange(30, 240))).isoformat())]
        elif tracking == "serial":
            units = min(units, 12)
            lots = [LotInput(product.sku, f"SN{self._serial():06d}") for _ in range(units)]
        supplier = self.rng.choice(self.suppliers)
        op = create_operation(
            self.s,
            self.company,
            "receipt",
            [LineInput(product.sku, str(units), str(cost))],
            party=supplier,
            warehouse="SEOUL",
            scheduled=day,
        )
        validate(self.s, self.company, op, lots=lots, date=day)
        self.statements.receipt(day, supplier, product.sku, units, cost)

    def _serial(self) -> int:
        self.serials += 1
        return self.serials

    def _busan(self, day: dt.date) -> None:
        """Ship a few products to the Busan depot through transit."""
        lines = [
            LineInput(p.sku, "5") for p, _c, cat in self.rng.sample(self.popular, k=5) if cat == "stationery"
        ]
        if not lines:
            return
        out = create_operation(self.s, self.company, "delivery", lines, warehouse="SEOUL",
                               destination="VIRTUAL/TRANSIT", scheduled=day, reference="to Busan")
        confirm(self.s, self.company, out)
        if not any(line.reserved for move in out.moves for line in move.lines):
            cancel(self.s, self.company, out)
            return
        out, _rest = validate(self.s, self.company, out, date=day, backorder=False)
        moved = [LineInput(m.product.sku, str(quantity(m.product, m.done))) for m in out.moves if m.done]
        if moved:
            arrival = min(day + dt.timedelta(days=1), self.today)
            validate(self.s, self.company, create_operation(
                self.s, self.company, "receipt", moved, warehouse="BUSAN", source="VIRTUAL/TRANSIT",
                scheduled=arrival, reference="from Seoul"), date=arrival)

"""WMS's places and stock, named ``wms_<entity>``.

A location is a ledger account of type ``stock``; a product's unit is a
ledger commodity, so on-hand quantities per location live in the ledger's
maintained balances. ``wms_stock`` breaks them down by lot and carries the
reservations; the ledger stays the book of record and ``check_stock`` proves
the two agree. Quantities are integers of the product unit's smallest unit,
values integers of the company currency's.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Optional

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base
from core.ledger.models import Account
from core.models import Product, _enum, utcnow

__all__ = [
    "Removal", "CostMethod", "Tracking", "LocationKind", "LocationLevel", "Settings", "Location", "Warehouse",
    "ProductSettings", "Lot", "Stock", "Cost", "Layer",
]


class Removal(enum.Enum):
    """Which stock leaves first: first in, first out, or first expiring."""

    FIFO = "fifo"
    FEFO = "fefo"


class CostMethod(enum.Enum):
    FIFO = "fifo"
    AVERAGE = "average"


class Tracking(enum.Enum):
    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class LocationKind(enum.Enum):
    """Internal locations hold the company's stock; the others are where it comes from or goes."""

    INTERNAL = "internal"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    PRODUCTION = "production"
    LOSS = "loss"
    TRANSIT = "transit"


class LocationLevel(enum.Enum):
    WAREHOUSE = "warehouse"
    ZONE = "zone"
    AISLE = "aisle"
    BIN = "bin"


class Settings(Base):
    """One row per company: stock rules, the virtual locations and the valuation accounts.

    The valuation accounts are set while finance is installed for the
    company; without them nothing is valued.
    """

    __tablename__ = "wms_settings"

    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), primary_key=True)
    allow_negative: Mapped[bool] = mapped_column(Boolean, default=False)
    removal: Mapped[Removal] = mapped_column(_enum(Removal), default=Removal.FIFO)
    cost_method: Mapped[CostMethod] = mapped_column(_enum(CostMethod), default=CostMethod.FIFO)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    production_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    loss_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    transit_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    inventory_account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ledger_account.id"))
    received_account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ledger_account.id"))
    cogs_account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ledger_account.id"))
    difference_account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ledger_account.id"))

    inventory_account: Mapped[Optional[Account]] = relationship(foreign_keys=[inventory_account_id])
    received_account: Mapped[Optional[Account]] = relationship(foreign_keys=[received_account_id])
    cogs_account: Mapped[Optional[Account]] = relationship(foreign_keys=[cogs_account_id])
    difference_account: Mapped[Optional[Account]] = relationship(foreign_keys=[difference_account_id])


class Location(Base):
    """A place stock can be: a warehouse, zone, aisle or bin, or a virtual place.

    ``code`` is the full path (``MAIN/A/01``) and the code of its ledger account.
    """

    __tablename__ = "wms_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"), unique=True)
    warehouse_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("wms_warehouse.id", use_alter=True), index=True
    )
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_location.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[LocationKind] = mapped_column(_enum(LocationKind))
    level: Mapped[Optional[LocationLevel]] = mapped_column(_enum(LocationLevel))
    barcode: Mapped[Optional[str]] = mapped_column(String(64))
    # Cycle counting: a count every so many days; when it was last counted.
    count_every_days: Mapped[Optional[int]] = mapped_column(Integer)
    last_counted: Mapped[Optional[dt.date]] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    account: Mapped[Account] = relationship()
    parent: Mapped[Optional[Location]] = relationship(remote_side=[id])

    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        CheckConstraint("count_every_days IS NULL OR count_every_days > 0", name="count_every"),
    )

    @property
    def internal(self) -> bool:
        return self.kind is LocationKind.INTERNAL


class Warehouse(Base):
    __tablename__ = "wms_warehouse"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    location_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    location: Mapped[Location] = relationship(foreign_keys=[location_id])

    __table_args__ = (UniqueConstraint("company_id", "code"),)


class ProductSettings(Base):
    """How the warehouse treats one product; a product without a row uses the company's defaults."""

    __tablename__ = "wms_product"

    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    tracking: Mapped[Tracking] = mapped_column(_enum(Tracking), default=Tracking.NONE)
    removal: Mapped[Optional[Removal]] = mapped_column(_enum(Removal))
    cost_method: Mapped[Optional[CostMethod]] = mapped_column(_enum(CostMethod))
    # What a unit costs when a receipt names no cost: company currency per product unit, at COST_SCALE.
    standard_cost: Mapped[Optional[int]] = mapped_column(BigInteger)

    product: Mapped[Product] = relationship()


class Lot(Base):
    """A lot (or, for serial-tracked products, one serial number) of a product."""

    __tablename__ = "wms_lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    name: Mapped[str] = mapped_column(String(80))
    expiry_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    product: Mapped[Product] = relationship()

    __table_args__ = (UniqueConstraint("product_id", "name"),)


class Stock(Base):
    """What one location holds of one product (and lot), and how much of it is promised.

    ``on_hand`` moves only with a done operation (its ledger transaction);
    ``reserved`` never exceeds it, checked here as well as under the row
    lock every reservation takes.
    """

    __tablename__ = "wms_stock"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    lot_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_lot.id"))
    on_hand: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved: Mapped[int] = mapped_column(BigInteger, default=0)
    # When this stock first arrived here: the order FIFO takes it in.
    in_date: Mapped[dt.date] = mapped_column(Date)

    location: Mapped[Location] = relationship()
    product: Mapped[Product] = relationship()
    lot: Mapped[Optional[Lot]] = relationship()

    __table_args__ = (
        # One row per place, product and lot; "no lot" is one row too (NULLs would be distinct in one index).
        Index("uq_wms_stock_place_lot", "location_id", "product_id", "lot_id", unique=True,
              sqlite_where=lot_id.is_not(None), postgresql_where=lot_id.is_not(None)),
        Index("uq_wms_stock_place", "location_id", "product_id", unique=True,
              sqlite_where=lot_id.is_(None), postgresql_where=lot_id.is_(None)),
        CheckConstraint("reserved >= 0 AND (reserved = 0 OR reserved <= on_hand)", name="reserved_within"),
    )


class Cost(Base):
    """The value of a product's stock across the company (all internal locations).

    ``value`` equals the sum of the product's FIFO layers, or quantity times
    the moving average; the sum over products equals the inventory account.
    """

    __tablename__ = "wms_cost"

    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    method: Mapped[CostMethod] = mapped_column(_enum(CostMethod))
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    value: Mapped[int] = mapped_column(BigInteger, default=0)

    product: Mapped[Product] = relationship()


class Layer(Base):
    """One receipt's quantity and value, consumed oldest first (FIFO costing)."""

    __tablename__ = "wms_layer"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    move_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_move.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[int] = mapped_column(BigInteger)
    remaining_quantity: Mapped[int] = mapped_column(BigInteger)
    remaining_value: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_wms_layer_open", "product_id", "remaining_quantity", "id"),
        CheckConstraint("remaining_quantity >= 0 AND remaining_quantity <= quantity", name="remaining"),
    )

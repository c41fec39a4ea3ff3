"""WMS's documents: operations and their moves, packages, waves, counts,
putaway rules, reorder rules and replenishment proposals.

An operation (a receipt, a delivery or an internal transfer) holds one move
per product; a move's lines say where from, where to, which lot and how
much is reserved and done. Done, the operation is one ledger transaction.
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
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base
from core.ledger.models import BigId
from core.models import Party, Product, _enum, utcnow
from plugins.wms.models import Location, Lot, Warehouse

__all__ = [
    "OperationKind", "OperationState", "Operation", "Move", "MoveLine", "Package", "WaveState", "Wave",
    "CountState", "Count", "CountLine", "Putaway", "ReorderRule", "ProposalState", "Proposal",
]


class OperationKind(enum.Enum):
    RECEIPT = "receipt"
    DELIVERY = "delivery"
    INTERNAL = "internal"


class OperationState(enum.Enum):
    """draft: being prepared, no effect; ready: confirmed (outgoing stock reserved
    as far as it goes); done: moved, one ledger transaction; cancelled."""

    DRAFT = "draft"
    READY = "ready"
    DONE = "done"
    CANCELLED = "cancelled"


class Operation(Base):
    __tablename__ = "wms_operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[OperationKind] = mapped_column(_enum(OperationKind))
    state: Mapped[OperationState] = mapped_column(_enum(OperationState), default=OperationState.DRAFT)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouse.id"))
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_party.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    destination_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    scheduled: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    origin: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    reference: Mapped[str] = mapped_column(String(200), default="")
    backorder_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_operation.id"))
    wave_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_wave.id"), index=True)
    transaction_id: Mapped[Optional[int]] = mapped_column(BigId, ForeignKey("ledger_transaction.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    warehouse: Mapped[Warehouse] = relationship()
    party: Mapped[Optional[Party]] = relationship()
    source: Mapped[Location] = relationship(foreign_keys=[source_id])
    destination: Mapped[Location] = relationship(foreign_keys=[destination_id])
    backorder_of: Mapped[Optional[Operation]] = relationship(remote_side=[id])
    moves: Mapped[list[Move]] = relationship(back_populates="operation", order_by="Move.id",
                                             cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class Move(Base):
    """One product of an operation: how much is asked for and how much was done."""

    __tablename__ = "wms_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("wms_operation.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    demand: Mapped[int] = mapped_column(BigInteger)
    done: Mapped[int] = mapped_column(BigInteger, default=0)
    # Receipts: company currency per product unit, at COST_SCALE (None: the standard or current cost).
    unit_cost: Mapped[Optional[int]] = mapped_column(BigInteger)
    # Set when done and valued: the value that entered (receipt) or left (delivery) the inventory.
    value: Mapped[Optional[int]] = mapped_column(BigInteger)

    operation: Mapped[Operation] = relationship(back_populates="moves")
    product: Mapped[Product] = relationship()
    lines: Mapped[list[MoveLine]] = relationship(back_populates="move", order_by="MoveLine.id",
                                                 cascade="all, delete-orphan")

    __table_args__ = (CheckConstraint("demand > 0 AND done >= 0", name="quantities"),)


class MoveLine(Base):
    """Where a part of a move comes from and goes to, with its lot: reserved, picked, done."""

    __tablename__ = "wms_move_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    move_id: Mapped[int] = mapped_column(ForeignKey("wms_move.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    destination_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    lot_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_lot.id"))
    reserved: Mapped[int] = mapped_column(BigInteger, default=0)
    picked: Mapped[int] = mapped_column(BigInteger, default=0)
    done: Mapped[int] = mapped_column(BigInteger, default=0)
    package_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_package.id"))

    move: Mapped[Move] = relationship(back_populates="lines")
    source: Mapped[Location] = relationship(foreign_keys=[source_id])
    destination: Mapped[Location] = relationship(foreign_keys=[destination_id])
    lot: Mapped[Optional[Lot]] = relationship()

    __table_args__ = (CheckConstraint("reserved >= 0 AND picked >= 0 AND done >= 0", name="quantities"),)


class Package(Base):
    """A box or pallet that picked goods of one delivery were packed in."""

    __tablename__ = "wms_package"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("wms_operation.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    weight_grams: Mapped[Optional[int]] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class WaveState(enum.Enum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Wave(Base):
    """One picking round through a warehouse for several deliveries."""

    __tablename__ = "wms_wave"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouse.id"))
    state: Mapped[WaveState] = mapped_column(_enum(WaveState), default=WaveState.OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    warehouse: Mapped[Warehouse] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class CountState(enum.Enum):
    """draft: the sheet lists what the books expect; counted: quantities entered;
    approved: differences posted; cancelled."""

    DRAFT = "draft"
    COUNTED = "counted"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class Count(Base):
    """A count sheet for one location."""

    __tablename__ = "wms_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    location_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))
    state: Mapped[CountState] = mapped_column(_enum(CountState), default=CountState.DRAFT)
    date: Mapped[dt.date] = mapped_column(Date)
    approved_by: Mapped[Optional[str]] = mapped_column(String(80))
    transaction_id: Mapped[Optional[int]] = mapped_column(BigId, ForeignKey("ledger_transaction.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    location: Mapped[Location] = relationship()
    lines: Mapped[list[CountLine]] = relationship(back_populates="count", order_by="CountLine.id",
                                                  cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class CountLine(Base):
    __tablename__ = "wms_count_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("wms_count.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    lot_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wms_lot.id"))
    expected: Mapped[int] = mapped_column(BigInteger)
    counted: Mapped[Optional[int]] = mapped_column(BigInteger)

    count: Mapped[Count] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    lot: Mapped[Optional[Lot]] = relationship()


class Putaway(Base):
    """Where received goods go: a product's rule wins over its category's."""

    __tablename__ = "wms_putaway"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouse.id"))
    product_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_product.id"))
    category: Mapped[Optional[str]] = mapped_column(String(100))
    location_id: Mapped[int] = mapped_column(ForeignKey("wms_location.id"))

    product: Mapped[Optional[Product]] = relationship()
    location: Mapped[Location] = relationship()

    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (category IS NULL)", name="product_or_category"),
        UniqueConstraint("warehouse_id", "product_id", "category"),
    )


class ReorderRule(Base):
    """When and how much to reorder one product for one warehouse.

    ``minimum`` is the reorder point and ``maximum`` the level an order
    fills up to (product units). With ``automatic`` they follow demand:
    the reorder point becomes lead-time demand plus safety stock at the
    service level. ``service_level`` is in basis points (9500 = 95 %),
    ``ordering_cost`` in company currency units per order and
    ``holding_rate`` in basis points of the unit cost per year.
    """

    __tablename__ = "wms_reorder_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouse.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    minimum: Mapped[int] = mapped_column(BigInteger, default=0)
    maximum: Mapped[int] = mapped_column(BigInteger, default=0)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=7)
    service_level: Mapped[int] = mapped_column(Integer, default=9500)
    ordering_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    holding_rate: Mapped[int] = mapped_column(Integer, default=2500)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    route: Mapped[str] = mapped_column(String(20), default="purchase")

    warehouse: Mapped[Warehouse] = relationship()
    product: Mapped[Product] = relationship()

    __table_args__ = (
        UniqueConstraint("warehouse_id", "product_id"),
        CheckConstraint("minimum >= 0 AND maximum >= minimum", name="levels"),
        CheckConstraint("lead_time_days >= 0", name="lead_time"),
        CheckConstraint("service_level > 0 AND service_level < 10000", name="service_level"),
        CheckConstraint("ordering_cost >= 0 AND holding_rate >= 0", name="costs"),
    )


class ProposalState(enum.Enum):
    OPEN = "open"
    ORDERED = "ordered"
    DISMISSED = "dismissed"


class Proposal(Base):
    """An order replenishment proposed; a plugin that turned it into a document says which."""

    __tablename__ = "wms_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouse.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    quantity: Mapped[int] = mapped_column(BigInteger)
    route: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ProposalState] = mapped_column(_enum(ProposalState), default=ProposalState.OPEN)
    document: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    warehouse: Mapped[Warehouse] = relationship()
    product: Mapped[Product] = relationship()

"""Procurement's tables, named ``procurement_<entity>``.

- settings: the approval threshold, the match tolerances, the receiving warehouse;
- the supplier catalogue (``SupplierProduct``): who sells what, at what price,
  lead time and minimum order quantity;
- requisitions (REQ00001) and their lines, by hand or from wms replenishment;
- requests for quotation (RFQ00001), one ``Quote`` per supplier asked, with its lines;
- purchase orders (PO00001) and their lines (the catalogue price at order
  time is kept beside the ordered price);
- ``Receipt``: one row per order line and receipt (date received, date
  expected, quantities), the history supplier performance is measured on;
- ``Return``: goods sent back to the supplier;
- supplier bills (``Bill``) and their lines, with the result of the three-way
  match (held with the reasons, or posted).

Amounts are integers of the document currency's smallest unit; quantities
integers of the product unit's smallest unit; tolerances basis points
(250 = 2.50 %). Received, returned and billed quantities are kept on the
order lines by the services that cause them, so lists filter without joins.
"""

from __future__ import annotations

import datetime as dt
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
from core.models import Party, Product, User, _enum, utcnow
from plugins.procurement.states import (
    BillState,
    OrderState,
    PaymentState,
    Progress,
    QuoteState,
    ReceiptSource,
    RequisitionSource,
    RequisitionState,
    RfqState,
)

__all__ = ["RequisitionState", "RequisitionSource", "RfqState", "QuoteState", "OrderState", "Progress",
           "PaymentState", "BillState", "ReceiptSource", "Settings", "SupplierProduct", "Requisition",
           "RequisitionLine", "Rfq", "Quote", "QuoteLine", "PurchaseOrder", "OrderLine", "Receipt", "Return",
           "Bill", "BillLine"]


class Settings(Base):
    """One row per company: approval threshold (company currency; None: no approval), match tolerances."""

    __tablename__ = "procurement_settings"

    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), primary_key=True)
    approval_threshold_units: Mapped[Optional[int]] = mapped_column(BigInteger)
    quantity_tolerance_bp: Mapped[int] = mapped_column(Integer, default=0)
    price_tolerance_bp: Mapped[int] = mapped_column(Integer, default=200)
    warehouse: Mapped[Optional[str]] = mapped_column(String(40))  # wms warehouse code; None: wms's first
    quote_days: Mapped[int] = mapped_column(Integer, default=14)   # how long suppliers have to answer an RFQ

    __table_args__ = (
        CheckConstraint(
            "approval_threshold_units IS NULL OR approval_threshold_units >= 0", name="threshold"
        ),
        CheckConstraint("quantity_tolerance_bp BETWEEN 0 AND 10000", name="quantity_tolerance"),
        CheckConstraint("price_tolerance_bp BETWEEN 0 AND 10000", name="price_tolerance"),
        CheckConstraint("quote_days > 0", name="quote_days"),
    )


class SupplierProduct(Base):
    """A product a supplier sells: their SKU, price (in ``currency``), lead time, minimum order quantity."""

    __tablename__ = "procurement_supplier_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    supplier_sku: Mapped[Optional[str]] = mapped_column(String(60), info={"label": "supplier SKU"})
    currency: Mapped[str] = mapped_column(String(3))
    price_units: Mapped[int] = mapped_column(BigInteger)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0)
    min_quantity_units: Mapped[int] = mapped_column(BigInteger, default=0)
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    party: Mapped[Party] = relationship()
    product: Mapped[Product] = relationship()

    __table_args__ = (
        UniqueConstraint("company_id", "party_id", "product_id"),
        CheckConstraint("price_units >= 0", name="price"),
        CheckConstraint("lead_time_days >= 0", name="lead_time"),
        CheckConstraint("min_quantity_units >= 0", name="min_quantity"),
    )


class Requisition(Base):
    """A request to buy: by hand, or from a wms replenishment proposal (``proposal_id``)."""

    __tablename__ = "procurement_requisition"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    state: Mapped[RequisitionState] = mapped_column(_enum(RequisitionState), default=RequisitionState.DRAFT)
    source: Mapped[RequisitionSource] = mapped_column(
        _enum(RequisitionSource), default=RequisitionSource.MANUAL
    )
    proposal_id: Mapped[Optional[int]] = mapped_column(Integer)  # wms's proposal id (no key: wms is optional)
    origin: Mapped[Optional[str]] = mapped_column(String(200), index=True)  # the asking plugin's reference
    note: Mapped[Optional[str]] = mapped_column(Text)
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    requested_by: Mapped[Optional[User]] = relationship()
    lines: Mapped[list[RequisitionLine]] = relationship(
        back_populates="requisition", cascade="all, delete-orphan", order_by=lambda: RequisitionLine.position
    )

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class RequisitionLine(Base):
    __tablename__ = "procurement_requisition_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    requisition_id: Mapped[int] = mapped_column(ForeignKey("procurement_requisition.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    quantity_units: Mapped[int] = mapped_column(BigInteger)
    needed_by: Mapped[Optional[dt.date]] = mapped_column(Date)
    warehouse: Mapped[Optional[str]] = mapped_column(String(40))  # wms warehouse code

    requisition: Mapped[Requisition] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    __table_args__ = (CheckConstraint("quantity_units > 0", name="quantity"),)


class Rfq(Base):
    """A request for quotation of a requisition, sent to several suppliers (one ``Quote`` each)."""

    __tablename__ = "procurement_rfq"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    requisition_id: Mapped[int] = mapped_column(ForeignKey("procurement_requisition.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    respond_by: Mapped[Optional[dt.date]] = mapped_column(Date)
    state: Mapped[RfqState] = mapped_column(_enum(RfqState), default=RfqState.OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    requisition: Mapped[Requisition] = relationship()
    quotes: Mapped[list[Quote]] = relationship(back_populates="rfq", cascade="all, delete-orphan",
                                               order_by=lambda: Quote.id)

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class Quote(Base):
    """One supplier's answer to an RFQ: a price per line, a lead time, how long it holds."""

    __tablename__ = "procurement_quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    rfq_id: Mapped[int] = mapped_column(ForeignKey("procurement_rfq.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    state: Mapped[QuoteState] = mapped_column(_enum(QuoteState), default=QuoteState.REQUESTED)
    currency: Mapped[str] = mapped_column(String(3))
    lead_time_days: Mapped[Optional[int]] = mapped_column(Integer)
    valid_until: Mapped[Optional[dt.date]] = mapped_column(Date)
    received_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    total_units: Mapped[Optional[int]] = mapped_column(BigInteger)  # None until answered
    reference: Mapped[Optional[str]] = mapped_column(String(60))    # the supplier's quote number
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    rfq: Mapped[Rfq] = relationship(back_populates="quotes")
    party: Mapped[Party] = relationship()
    lines: Mapped[list[QuoteLine]] = relationship(back_populates="quote", cascade="all, delete-orphan",
                                                  order_by=lambda: QuoteLine.position)

    __table_args__ = (UniqueConstraint("rfq_id", "party_id"),
                      CheckConstraint("lead_time_days IS NULL OR lead_time_days >= 0", name="lead_time"))


class QuoteLine(Base):
    """The price quoted for one requisition line (None until the supplier answers)."""

    __tablename__ = "procurement_quote_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("procurement_quote.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    requisition_line_id: Mapped[int] = mapped_column(ForeignKey("procurement_requisition_line.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    quantity_units: Mapped[int] = mapped_column(BigInteger)
    price_units: Mapped[Optional[int]] = mapped_column(BigInteger)

    quote: Mapped[Quote] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    requisition_line: Mapped[RequisitionLine] = relationship()

    __table_args__ = (CheckConstraint("quantity_units > 0", name="quantity"),
                      CheckConstraint("price_units IS NULL OR price_units >= 0", name="price"))


class PurchaseOrder(Base):
    """A purchase order (PO00001) to one supplier.

    ``receipt_state``, ``bill_state`` and ``payment_state`` are kept by the
    services that receive, bill and pay it.
    """

    __tablename__ = "procurement_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    state: Mapped[OrderState] = mapped_column(_enum(OrderState), default=OrderState.DRAFT)
    receipt_state: Mapped[Progress] = mapped_column(_enum(Progress), default=Progress.NOTHING)
    bill_state: Mapped[Progress] = mapped_column(_enum(Progress), default=Progress.NOTHING)
    payment_state: Mapped[PaymentState] = mapped_column(_enum(PaymentState), default=PaymentState.NOT_PAID)
    untaxed_units: Mapped[int] = mapped_column(BigInteger, default=0)
    warehouse: Mapped[Optional[str]] = mapped_column(String(40))   # where wms receives it
    requisition_id: Mapped[Optional[int]] = mapped_column(ForeignKey("procurement_requisition.id"))
    quote_id: Mapped[Optional[int]] = mapped_column(ForeignKey("procurement_quote.id"))
    reference: Mapped[Optional[str]] = mapped_column(String(60))   # the supplier's order reference
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    approved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    approved_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    confirmed_on: Mapped[Optional[dt.date]] = mapped_column(Date, index=True)
    paid_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    party: Mapped[Party] = relationship()
    requisition: Mapped[Optional[Requisition]] = relationship()
    quote: Mapped[Optional[Quote]] = relationship(foreign_keys=[quote_id])
    created_by: Mapped[Optional[User]] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[Optional[User]] = relationship(foreign_keys=[approved_by_id])
    lines: Mapped[list[OrderLine]] = relationship(
        lambda: OrderLine,
        back_populates="order",
        cascade="all, delete-orphan",
        order_by=lambda: OrderLine.position,
    )

    __table_args__ = (UniqueConstraint("company_id", "number"),
                      CheckConstraint("untaxed_units >= 0", name="untaxed"))


class OrderLine(Base):
    """What is ordered of one product, at what price, by when; what came, went back and was billed."""

    __tablename__ = "procurement_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity_units: Mapped[int] = mapped_column(BigInteger)
    price_units: Mapped[int] = mapped_column(BigInteger)
    catalogue_price_units: Mapped[Optional[int]] = mapped_column(BigInteger)  # the catalogue's, when ordered
    net_units: Mapped[int] = mapped_column(BigInteger)
    expected_date: Mapped[dt.date] = mapped_column(Date)
    received_units: Mapped[int] = mapped_column(BigInteger, default=0)
    returned_units: Mapped[int] = mapped_column(BigInteger, default=0)
    billed_units: Mapped[int] = mapped_column(BigInteger, default=0)      # on posted bills
    credited_units: Mapped[int] = mapped_column(BigInteger, default=0)    # billed, returned, credited back
    requisition_line_id: Mapped[Optional[int]] = mapped_column(ForeignKey("procurement_requisition_line.id"))

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    __table_args__ = (CheckConstraint("quantity_units > 0", name="quantity"),
                      CheckConstraint("price_units >= 0", name="price"),
                      CheckConstraint("received_units >= 0 AND returned_units >= 0 AND billed_units >= 0 "
                                      "AND credited_units >= 0", name="progress"))


class Receipt(Base):
    """Goods of one order line that arrived on ``date`` (expected ``expected_date``): the history
    supplier performance is measured on. ``in_full`` is true when the line was complete after it."""

    __tablename__ = "procurement_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("procurement_order_line.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    source: Mapped[ReceiptSource] = mapped_column(_enum(ReceiptSource))
    reference: Mapped[Optional[str]] = mapped_column(
        String(60)
    )  # the wms operation (MAIN/IN/00001) or GRN number
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    expected_date: Mapped[dt.date] = mapped_column(Date)
    ordered_on: Mapped[dt.date] = mapped_column(Date)             # the order's confirmation date
    ordered_units: Mapped[int] = mapped_column(BigInteger)        # the line's quantity
    quantity_units: Mapped[int] = mapped_column(BigInteger)  # received now
    received_total_units: Mapped[int] = mapped_column(
        BigInteger
    )  # received on the line so far, this included
    on_time: Mapped[bool] = mapped_column(Boolean)
    in_full: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    order: Mapped[PurchaseOrder] = relationship()
    order_line: Mapped[OrderLine] = relationship(lambda: OrderLine)
    party: Mapped[Party] = relationship()
    product: Mapped[Product] = relationship()

    __table_args__ = (CheckConstraint("quantity_units > 0", name="quantity"),)


class Return(Base):
    """Goods of one order line sent back to the supplier (with wms: the delivery that took them).

    What of them had been billed already is credited back (``credited_units``; with finance a
    supplier refund, ``credit_note``)."""

    __tablename__ = "procurement_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("procurement_order_line.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    quantity_units: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    operation: Mapped[Optional[str]] = mapped_column(String(60))  # the wms delivery, if any
    credited_units: Mapped[int] = mapped_column(BigInteger, default=0)  # of it, billed before: credited back
    credit_note: Mapped[Optional[str]] = mapped_column(String(40))  # finance's refund for those, if any
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    order: Mapped[PurchaseOrder] = relationship()
    order_line: Mapped[OrderLine] = relationship(lambda: OrderLine)
    party: Mapped[Party] = relationship()
    product: Mapped[Product] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "number"),
                      CheckConstraint("quantity_units > 0", name="quantity"))


class Bill(Base):
    """A supplier's bill of a purchase order and the result of its three-way match.

    ``held_reason`` lists what did not match; a held bill has nothing in the
    books (with finance its document stays a draft) until a user with
    ``procurement.approve`` releases it.
    """

    __tablename__ = "procurement_bill"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))                # BILL00001, procurement's own
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60))             # the supplier's invoice number
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    untaxed_units: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[BillState] = mapped_column(_enum(BillState))
    matched: Mapped[bool] = mapped_column(Boolean)                 # the three-way match passed
    held_reason: Mapped[Optional[str]] = mapped_column(Text)
    # Who decided on a held bill, when and why: released (posted), or refused (cancelled).
    released_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    released_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    release_note: Mapped[Optional[str]] = mapped_column(Text)
    document_id: Mapped[Optional[int]] = mapped_column(
        Integer
    )  # finance's document (no key: finance is optional)
    document_number: Mapped[Optional[str]] = mapped_column(String(40))  # set once posted
    posted_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    order: Mapped[PurchaseOrder] = relationship()
    party: Mapped[Party] = relationship()
    released_by: Mapped[Optional[User]] = relationship(foreign_keys=[released_by_id])
    created_by: Mapped[Optional[User]] = relationship(foreign_keys=[created_by_id])
    lines: Mapped[list[BillLine]] = relationship(back_populates="bill", cascade="all, delete-orphan",
                                                 order_by=lambda: BillLine.position)

    __table_args__ = (UniqueConstraint("company_id", "number"),
                      UniqueConstraint("company_id", "party_id", "reference"))


class BillLine(Base):
    """One billed product: quantity and price billed, the order's price, and what did not match."""

    __tablename__ = "procurement_bill_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("procurement_bill.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("procurement_order_line.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    quantity_units: Mapped[int] = mapped_column(BigInteger)
    price_units: Mapped[int] = mapped_column(BigInteger)          # billed
    order_price_units: Mapped[int] = mapped_column(BigInteger)    # the order line's, when billed
    net_units: Mapped[int] = mapped_column(BigInteger)
    problem: Mapped[Optional[str]] = mapped_column(Text)          # None: the line matched

    bill: Mapped[Bill] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship(lambda: OrderLine)
    product: Mapped[Product] = relationship()

    __table_args__ = (CheckConstraint("quantity_units > 0", name="quantity"),
                      CheckConstraint("price_units >= 0", name="price"))

"""The order side's tables, named ``sales_<entity>``: settings, customer
terms, price lists, quotations and orders with their lines, contracts with
their billing history, and salesperson targets.

A quotation and the order it becomes are one row (``SO00001``) whose state
moves draft → sent → confirmed → done (or cancelled). Amounts are integers
of the order currency's smallest unit, quantities integers of the product
unit's, discounts basis points (1250 = 12.50 %). Delivered, invoiced and
paid are kept on the order (and delivered/invoiced per line) by the
services that cause them, so lists filter on them without joins.
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
from core.models import Party, Product, User, _enum, utcnow
from core.progress import PaymentState, Progress
from plugins.sales.models import Opportunity

__all__ = ["InvoicePolicy", "OrderState", "Progress", "PaymentState", "Interval", "ContractState", "Settings",
           "Customer", "PriceList", "PriceListItem", "Order", "OrderLine", "Contract", "ContractLine",
           "ContractBilling", "Target"]


class InvoicePolicy(enum.Enum):
    """When finance invoices a confirmed order: all of it at once, or what each delivery took."""

    ORDER = "order"
    DELIVERY = "delivery"


class OrderState(enum.Enum):
    DRAFT = "draft"          # a quotation being written
    SENT = "sent"            # a quotation the customer has
    CONFIRMED = "confirmed"  # a sales order
    DONE = "done"            # delivered and invoiced in full
    CANCELLED = "cancelled"


class Interval(enum.Enum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class ContractState(enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class Settings(Base):
    """One row per company: when to invoice, where deliveries leave from, the web form's limits."""

    __tablename__ = "sales_settings"

    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), primary_key=True)
    invoice_policy: Mapped[InvoicePolicy] = mapped_column(
        _enum(InvoicePolicy), default=InvoicePolicy.DELIVERY
    )
    warehouse: Mapped[Optional[str]] = mapped_column(String(40))  # a wms warehouse code; None: wms's first
    quotation_days: Mapped[int] = mapped_column(Integer, default=30)
    default_price_list_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_price_list.id"))
    lead_form: Mapped[bool] = mapped_column(Boolean, default=True)
    lead_form_per_hour: Mapped[int] = mapped_column(Integer, default=5)  # submissions per address per hour


class Customer(Base):
    """A party's terms as a customer: credit limit, price list and salesperson."""

    __tablename__ = "sales_customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"))
    credit_limit_units: Mapped[Optional[int]] = mapped_column(BigInteger)  # None: no limit
    price_list_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_price_list.id"))
    salesperson_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    party: Mapped[Party] = relationship()
    salesperson: Mapped[Optional[User]] = relationship()

    __table_args__ = (
        UniqueConstraint("company_id", "party_id"),
        CheckConstraint("credit_limit_units IS NULL OR credit_limit_units >= 0", name="credit_limit"),
    )


class PriceList(Base):
    __tablename__ = "sales_price_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    items: Mapped[list[PriceListItem]] = relationship(
        back_populates="price_list", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("company_id", "code"),)


class PriceListItem(Base):
    """A product's price from ``min_quantity`` up, with a discount; the largest tier not above the quantity
    applies."""

    __tablename__ = "sales_price_list_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    price_list_id: Mapped[int] = mapped_column(ForeignKey("sales_price_list.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    min_quantity_units: Mapped[int] = mapped_column(BigInteger, default=0)
    price_units: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int] = mapped_column(Integer, default=0)

    price_list: Mapped[PriceList] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()

    __table_args__ = (UniqueConstraint("price_list_id", "product_id", "min_quantity_units"),
                      CheckConstraint("price_units >= 0", name="price"),
                      CheckConstraint("discount_bp BETWEEN 0 AND 10000", name="discount"))


class Order(Base):
    """A quotation and, once confirmed, the sales order."""

    __tablename__ = "sales_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    salesperson_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    opportunity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_opportunity.id"))
    contract_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_contract.id"))
    price_list_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_price_list.id"))
    currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    valid_until: Mapped[Optional[dt.date]] = mapped_column(Date)
    confirmed_on: Mapped[Optional[dt.date]] = mapped_column(Date, index=True)
    commitment: Mapped[Optional[dt.date]] = mapped_column(Date)  # the delivery date promised
    state: Mapped[OrderState] = mapped_column(_enum(OrderState), default=OrderState.DRAFT)
    delivery_state: Mapped[Progress] = mapped_column(_enum(Progress), default=Progress.NOTHING)
    invoice_state: Mapped[Progress] = mapped_column(_enum(Progress), default=Progress.NOTHING)
    payment_state: Mapped[PaymentState] = mapped_column(_enum(PaymentState), default=PaymentState.NOT_PAID)
    untaxed_units: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    party: Mapped[Party] = relationship()
    salesperson: Mapped[Optional[User]] = relationship()
    opportunity: Mapped[Optional[Opportunity]] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        lambda: OrderLine,
        back_populates="order",
        cascade="all, delete-orphan",
        order_by=lambda: OrderLine.position,
    )

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class OrderLine(Base):
    """``net_units`` = quantity × price less the discount; ``cost_units`` what the delivered goods cost
    (wms)."""

    __tablename__ = "sales_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity_units: Mapped[int] = mapped_column(BigInteger)
    price_units: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int] = mapped_column(Integer, default=0)
    net_units: Mapped[int] = mapped_column(BigInteger)
    delivered_units: Mapped[int] = mapped_column(BigInteger, default=0)
    invoiced_units: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_units: Mapped[Optional[int]] = mapped_column(
        BigInteger
    )  # None: not known (not valued, not delivered)

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    __table_args__ = (CheckConstraint("quantity_units > 0", name="quantity"),
                      CheckConstraint("price_units >= 0", name="price"),
                      CheckConstraint("discount_bp BETWEEN 0 AND 10000", name="discount"),
                      CheckConstraint("delivered_units >= 0 AND invoiced_units >= 0", name="progress"))


class Contract(Base):
    """A subscription: its lines are billed every ``every`` intervals from ``next_billing`` until ``end``."""

    __tablename__ = "sales_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    salesperson_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    currency: Mapped[str] = mapped_column(String(3))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[Optional[dt.date]] = mapped_column(Date)
    interval: Mapped[Interval] = mapped_column(_enum(Interval), default=Interval.MONTH)
    every: Mapped[int] = mapped_column(Integer, default=1)
    next_billing: Mapped[Optional[dt.date]] = mapped_column(Date, index=True)  # None: nothing more to bill
    state: Mapped[ContractState] = mapped_column(_enum(ContractState), default=ContractState.ACTIVE)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    party: Mapped[Party] = relationship()
    lines: Mapped[list[ContractLine]] = relationship(back_populates="contract", cascade="all, delete-orphan",
                                                     order_by=lambda: ContractLine.position)

    __table_args__ = (UniqueConstraint("company_id", "number"), CheckConstraint("every > 0", name="every"))


class ContractLine(Base):
    __tablename__ = "sales_contract_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("sales_contract.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("core_product.id"))
    description: Mapped[str] = mapped_column(String(200))
    quantity_units: Mapped[int] = mapped_column(BigInteger)
    price_units: Mapped[int] = mapped_column(BigInteger)

    contract: Mapped[Contract] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class ContractBilling(Base):
    """One billed period of a contract; unique per period, so ``bill-due`` run twice bills once."""

    __tablename__ = "sales_contract_billing"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("sales_contract.id"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    amount_units: Mapped[int] = mapped_column(BigInteger)
    invoice: Mapped[Optional[str]] = mapped_column(String(40))  # finance's number; None without finance
    billed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("contract_id", "period_start"),)


class Target(Base):
    """What a salesperson should sell in a month (untaxed, company currency)."""

    __tablename__ = "sales_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    amount_units: Mapped[int] = mapped_column(BigInteger)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("company_id", "user_id", "month"),
                      CheckConstraint("amount_units >= 0", name="amount"))

"""Finance's document tables: invoices and bills, their lines, payments and
the allocations that say which payment (or credit note) settled what."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Optional

from sqlalchemy import (
    BigInteger,
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
from core.ledger.models import Account, BigId
from core.models import Party, Product, _enum, utcnow
from plugins.finance.models import Journal, PaymentTerm, Tax

__all__ = ["InvoiceKind", "InvoiceState", "PaymentState", "Invoice", "InvoiceLine", "LineTax",
           "Direction", "Payment", "Allocation"]


class InvoiceKind(enum.Enum):
    """What a document is; its direction and sign follow from it."""

    INVOICE = "invoice"            # to a customer
    CREDIT_NOTE = "credit_note"    # to a customer, reducing what they owe
    BILL = "bill"                  # from a supplier
    REFUND = "refund"              # from a supplier, reducing what we owe

    @property
    def is_sale(self) -> bool:
        return self in (InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE)

    @property
    def is_credit(self) -> bool:
        return self in (InvoiceKind.CREDIT_NOTE, InvoiceKind.REFUND)

    @property
    def sign(self) -> int:
        """+1 when the document's total is a debit on the receivable/payable account."""
        return 1 if self in (InvoiceKind.INVOICE, InvoiceKind.REFUND) else -1

    @property
    def credit_kind(self) -> InvoiceKind:
        return {InvoiceKind.INVOICE: InvoiceKind.CREDIT_NOTE, InvoiceKind.BILL: InvoiceKind.REFUND}[self]


class InvoiceState(enum.Enum):
    DRAFT = "draft"
    POSTED = "posted"


class PaymentState(enum.Enum):
    NOT_PAID = "not_paid"
    PARTIAL = "partial"
    PAID = "paid"


class Invoice(Base):
    """A customer invoice, a supplier bill, or a credit note of either."""

    __tablename__ = "finance_invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    kind: Mapped[InvoiceKind] = mapped_column(_enum(InvoiceKind))
    state: Mapped[InvoiceState] = mapped_column(_enum(InvoiceState), default=InvoiceState.DRAFT)
    payment_state: Mapped[PaymentState] = mapped_column(_enum(PaymentState), default=PaymentState.NOT_PAID)
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("finance_journal.id"))
    term_id: Mapped[Optional[int]] = mapped_column(ForeignKey("finance_payment_term.id"))
    number: Mapped[Optional[str]] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    rate_units: Mapped[int] = mapped_column(BigInteger)  # company currency per unit, at RATE_SCALE
    reference: Mapped[str] = mapped_column(String(100), default="")
    origin: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    memo: Mapped[str] = mapped_column(Text, default="")
    credited_id: Mapped[Optional[int]] = mapped_column(ForeignKey("finance_invoice.id"))
    transaction_id: Mapped[Optional[int]] = mapped_column(BigId)
    untaxed_units: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_units: Mapped[int] = mapped_column(BigInteger, default=0)
    rounding_units: Mapped[int] = mapped_column(BigInteger, default=0)
    total_units: Mapped[int] = mapped_column(BigInteger, default=0)
    residual_units: Mapped[int] = mapped_column(BigInteger, default=0)
    total_company: Mapped[int] = mapped_column(BigInteger, default=0)
    residual_company: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    party: Mapped[Party] = relationship()
    journal: Mapped[Journal] = relationship()
    term: Mapped[Optional[PaymentTerm]] = relationship()
    credited: Mapped[Optional[Invoice]] = relationship(remote_side=[id])
    lines: Mapped[list[InvoiceLine]] = relationship(back_populates="invoice", order_by="InvoiceLine.position",
                                                    cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("company_id", "number"),
                      CheckConstraint("residual_units = 0 OR residual_units BETWEEN 0 AND total_units",
                                      name="residual_range"))


class InvoiceLine(Base):
    __tablename__ = "finance_invoice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("finance_invoice.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_product.id"))
    description: Mapped[str] = mapped_column(String(500))
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    quantity: Mapped[int] = mapped_column(BigInteger)     # at QUANTITY_SCALE
    unit_price: Mapped[int] = mapped_column(BigInteger)   # at PRICE_SCALE, document currency
    discount: Mapped[int] = mapped_column(BigInteger, default=0)  # percent at PERCENT_SCALE
    net_units: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_units: Mapped[int] = mapped_column(BigInteger, default=0)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
    product: Mapped[Optional[Product]] = relationship()
    account: Mapped[Account] = relationship()
    taxes: Mapped[list[LineTax]] = relationship(back_populates="line", order_by="LineTax.id",
                                                cascade="all, delete-orphan")


class LineTax(Base):
    """A tax applied to a line, and the amount it came to."""

    __tablename__ = "finance_line_tax"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("finance_invoice_line.id"), index=True)
    tax_id: Mapped[int] = mapped_column(ForeignKey("finance_tax.id"))
    amount_units: Mapped[int] = mapped_column(BigInteger, default=0)

    line: Mapped[InvoiceLine] = relationship(back_populates="taxes")
    tax: Mapped[Tax] = relationship()

    __table_args__ = (UniqueConstraint("line_id", "tax_id"),)


class Direction(enum.Enum):
    INBOUND = "inbound"    # money in: a customer pays, a supplier refunds
    OUTBOUND = "outbound"  # money out: we pay a supplier, we refund a customer


class Payment(Base):
    __tablename__ = "finance_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    party_id: Mapped[int] = mapped_column(ForeignKey("core_party.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("finance_journal.id"))
    number: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    rate_units: Mapped[int] = mapped_column(BigInteger)
    amount_units: Mapped[int] = mapped_column(BigInteger)
    amount_company: Mapped[int] = mapped_column(BigInteger)
    unallocated_units: Mapped[int] = mapped_column(BigInteger)
    unallocated_company: Mapped[int] = mapped_column(BigInteger)
    # The receivable or payable account the payment settles on.
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    reference: Mapped[str] = mapped_column(String(100), default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    transaction_id: Mapped[int] = mapped_column(BigId)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    party: Mapped[Party] = relationship()
    journal: Mapped[Journal] = relationship()
    account: Mapped[Account] = relationship()

    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        CheckConstraint("amount_units > 0", name="positive"),
        CheckConstraint("unallocated_units BETWEEN 0 AND amount_units", name="unallocated_range"),
    )


class Allocation(Base):
    """Part of an invoice settled by a payment or by a credit note.

    ``amount_units`` is in the invoice's currency; ``amount_company`` is what
    it takes off the invoice's receivable or payable (at the invoice's rate),
    ``source_company`` what it takes off the payment or credit note (at
    theirs); ``fx_units`` is the realised exchange difference between the
    two (positive: a gain), posted in its own entry.
    """

    __tablename__ = "finance_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("finance_invoice.id"), index=True)
    payment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("finance_payment.id"), index=True)
    credit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("finance_invoice.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    amount_units: Mapped[int] = mapped_column(BigInteger)
    amount_company: Mapped[int] = mapped_column(BigInteger)
    source_company: Mapped[int] = mapped_column(BigInteger)
    fx_units: Mapped[int] = mapped_column(BigInteger, default=0)

    invoice: Mapped[Invoice] = relationship(foreign_keys=[invoice_id])
    payment: Mapped[Optional[Payment]] = relationship()
    credit: Mapped[Optional[Invoice]] = relationship(foreign_keys=[credit_id])

    __table_args__ = (
        CheckConstraint("amount_units > 0", name="positive"),
        CheckConstraint("(payment_id IS NULL) <> (credit_id IS NULL)", name="one_source"),
    )

"""The states and sources of procurement's documents: what a requisition, RFQ,
quote, purchase order, bill and receipt go through. Stored as their values
(VARCHAR) by :mod:`plugins.procurement.models`, which re-exports them."""

from __future__ import annotations

import enum

from core.progress import PaymentState, Progress

__all__ = ["RequisitionState", "RequisitionSource", "RfqState", "QuoteState", "OrderState", "Progress",
           "PaymentState", "BillState", "ReceiptSource"]


class RequisitionState(enum.Enum):
    DRAFT = "draft"          # written, nothing asked yet
    OPEN = "open"            # a request for quotation went out
    ORDERED = "ordered"      # a purchase order was made from it
    CANCELLED = "cancelled"


class RequisitionSource(enum.Enum):
    MANUAL = "manual"
    REPLENISHMENT = "replenishment"  # a wms replenishment proposal


class RfqState(enum.Enum):
    OPEN = "open"            # sent, quotes coming in
    CHOSEN = "chosen"        # a quote was chosen: the purchase order exists
    CANCELLED = "cancelled"


class QuoteState(enum.Enum):
    REQUESTED = "requested"  # asked, no answer yet
    RECEIVED = "received"    # the supplier answered
    CHOSEN = "chosen"
    LOST = "lost"            # another quote was chosen (or the RFQ cancelled)


class OrderState(enum.Enum):
    DRAFT = "draft"
    TO_APPROVE = "to_approve"  # total at or above the company's threshold: waits for a manager
    CONFIRMED = "confirmed"    # sent to the supplier; receipts and bills follow
    DONE = "done"              # received and billed in full
    CANCELLED = "cancelled"


class BillState(enum.Enum):
    HELD = "held"            # the three-way match failed: nothing in the books until released
    POSTED = "posted"        # matched (or released): posted through finance, or accepted without it
    CANCELLED = "cancelled"  # a held bill refused (its finance draft deleted)


class ReceiptSource(enum.Enum):
    WMS = "wms"              # a wms receipt was validated
    MANUAL = "manual"        # recorded by procurement (no wms)

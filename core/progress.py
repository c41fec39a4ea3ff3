"""How far a document's fulfilment has come: the states a sales order's delivery
and invoicing, or a purchase order's receipt and billing, go through, and what
its payment shows. Shared so every plugin that tracks documents says the same.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

__all__ = ["Progress", "PaymentState", "progress_of"]


class Progress(enum.Enum):
    """How far delivery, receipt, invoicing or billing of a document has come."""

    NOTHING = "nothing"
    PARTIAL = "partial"
    FULL = "full"


class PaymentState(enum.Enum):
    NOT_PAID = "not_paid"
    PARTIAL = "partial"
    PAID = "paid"


def progress_of(done: Sequence[int], wanted: Sequence[int]) -> Progress:
    """``NOTHING`` when no line has anything done, ``FULL`` when every line has at least what
    it wants, else ``PARTIAL`` (quantities in smallest units, line by line)."""
    if not any(done):
        return Progress.NOTHING
    return Progress.FULL if all(d >= w for d, w in zip(done, wanted)) else Progress.PARTIAL

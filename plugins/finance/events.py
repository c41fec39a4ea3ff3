"""The events finance announces (attrs frozen, like core's).

Handlers run inside the operation's database transaction: a handler that
raises refuses the operation and nothing of it is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs

from core.events import Event

__all__ = ["InvoicePosted", "InvoicePaid", "InvoicePartlyPaid", "PeriodClosed"]


@attrs.frozen(kw_only=True)
class InvoicePosted(Event):
    """An invoice, bill or credit note was posted and numbered.

    ``kind`` is ``invoice``, ``credit_note``, ``bill`` or ``refund``;
    ``origin`` is what the creating plugin put there (``sales:SO00012``).
    """

    invoice_id: int
    number: str
    kind: str
    party_id: int
    date: dt.date
    currency: str
    total: Decimal
    total_company: Decimal
    origin: Optional[str] = None


@attrs.frozen(kw_only=True)
class InvoicePaid(Event):
    """An invoice (or bill) is now paid in full; ``paid_on`` is the date of the settling payment."""

    invoice_id: int
    number: str
    kind: str
    party_id: int
    paid_on: dt.date
    currency: str
    total: Decimal
    origin: Optional[str] = None


@attrs.frozen(kw_only=True)
class InvoicePartlyPaid(Event):
    """A payment settled part of an invoice (or bill); ``residual`` is what is still open, in the
    document's currency, and ``paid_on`` the date of that payment."""

    invoice_id: int
    number: str
    kind: str
    party_id: int
    paid_on: dt.date
    currency: str
    total: Decimal
    residual: Decimal
    origin: Optional[str] = None


@attrs.frozen(kw_only=True)
class PeriodClosed(Event):
    """A period (or, with ``year_closed``, a whole fiscal year) was closed; nothing on or before ``end``
    changes any more."""

    period: str
    start: dt.date
    end: dt.date
    year_closed: bool = False

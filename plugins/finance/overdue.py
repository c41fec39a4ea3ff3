"""When a document is overdue: posted, not settled in full, and past its due day. The one rule the
document pages, their ``overdue`` filter and the dashboard's counts call."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import and_

from plugins.finance.documents import Invoice, InvoiceState

__all__ = ["is_overdue", "overdue_condition"]


def is_overdue(invoice: Invoice, today: Optional[dt.date] = None) -> bool:
    return (invoice.state == InvoiceState.POSTED and invoice.residual_units > 0
            and invoice.due_date < (today or dt.date.today()))


def overdue_condition(today: Optional[dt.date] = None):
    """:func:`is_overdue` as an SQL condition, for lists and counts."""
    return and_(Invoice.state == InvoiceState.POSTED, Invoice.residual_units > 0,
                Invoice.due_date < (today or dt.date.today()))

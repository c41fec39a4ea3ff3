"""What the ledger hands back: posted transactions as frozen values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

import attrs

__all__ = ["PostedLeg", "Posted"]


@attrs.frozen
class PostedLeg:
    """One posting as the API sees it: account code, Decimal amount, commodity code."""

    account: str
    amount: Decimal
    commodity: str


@attrs.frozen
class Posted:
    """A transaction as it stands in the ledger.

    ``created`` is false when an idempotency key returned an earlier one.
    """

    id: int
    company_id: int
    date: dt.date
    memo: str
    legs: tuple[PostedLeg, ...]
    key: Optional[str] = None
    origin: Optional[str] = None
    reverses_id: Optional[int] = None
    created: bool = True
    reversed_by_id: Optional[int] = None

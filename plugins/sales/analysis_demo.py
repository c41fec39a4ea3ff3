"""The analysis's share of the demo: monthly targets for the demo
salespeople, set near what each sold on average (some months above, some
below), from a year back to two months ahead, so the targets page and the
dashboard's attainment chart have something to show. Runs after the order
demo; deterministic for a given day and idempotent (a target set again
replaces itself)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Company, Membership, User
from plugins.sales.analysis_widgets import last_months
from plugins.sales.targets import months_between, set_target, targets_vs_actuals

__all__ = ["analysis_demo_data", "round_target"]

SELLING_ROLES = ("salesperson", "sales_manager")
AHEAD = 2  # months of targets after this one


def round_target(amount: Decimal) -> Decimal:
    """Up to two significant digits: ``1,234,567 -> 1,300,000`` (a target a manager would write)."""
    if amount <= 0:
        return Decimal(0)
    step = Decimal(1).scaleb(max(amount.adjusted() - 1, 0))
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def analysis_demo_data(session: Session, company: Company, progress: Callable[[str], None]) -> None:
    progress("sales: salesperson targets")
    rng = random.Random(2024)
    today = dt.date.today()
    start, _end = last_months(today)
    sellers = sorted(set(session.scalars(
        select(User.username).join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == company.id, Membership.role.in_(SELLING_ROLES)))))
    this_month = today.replace(day=1)
    sold: dict[str, list[Decimal]] = {name: [] for name in sellers}
    for row in targets_vs_actuals(session, company, start, this_month):
        if row.user in sold and row.actual:
            sold[row.user].append(row.actual)
    last = months_between(this_month, this_month.replace(day=28) + dt.timedelta(days=31 * AHEAD))[-1]
    for name in sellers:
        if not sold[name]:
            continue
        average = sum(sold[name], Decimal(0)) / len(sold[name])
        for month in months_between(start, last):
            factor = Decimal(rng.choice((90, 100, 100, 110, 120))) / 100
            set_target(session, company, name, month, round_target(average * factor))

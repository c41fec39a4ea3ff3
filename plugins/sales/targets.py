"""Salesperson targets: what each salesperson should sell per month, and how
far they got.

A target is an untaxed amount in the company currency for one member of
the company and one month. The actual is the revenue of the orders the
member is the salesperson of, confirmed in that month, in the company
currency (the same lines :mod:`plugins.sales.analysis` counts), and the
attainment is actual / target in per cent (none without a target, or when
the target is zero).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.models import Company, Membership, User
from core.values import from_units, normalise, parse_amount, parse_date
from plugins.sales.analysis import COUNTED, currency_of, percent, sold_day
from plugins.sales.documents import Order, OrderLine, Target

__all__ = [
    "TargetRecord",
    "Attainment",
    "month_of",
    "month_key",
    "salesperson",
    "set_target",
    "remove_target",
    "list_targets",
    "targets_vs_actuals",
    "months_between",
]

_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-\d{2})?", re.ASCII)


@attrs.frozen
class TargetRecord:
    user: str
    name: str
    month: dt.date
    amount: Decimal


@attrs.frozen
class Attainment:
    """One salesperson's month: the target (``None``: none set), the actual and the attainment in per cent."""

    user: str
    name: str
    month: dt.date
    target: Optional[Decimal]
    actual: Decimal
    attainment: Optional[Decimal]


def month_of(value) -> dt.date:
    """The first day of a month given as ``2026-03``, ``2026-03-15`` or a date."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    match = _MONTH.fullmatch(text)
    if match is None:
        raise Invalid(f"malformed month {value!r}: use YYYY-MM")
    if len(text) > 7:
        parse_date(text)  # a whole day must be a real day
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        raise Invalid(f"malformed month {value!r}: use YYYY-MM")
    return dt.date(year, month, 1)


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first``'s to ``last``'s."""
    start, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(start, end + 1)]


def salesperson(session: Session, company: Company, username: str) -> User:
    """A user who is a member of ``company`` (any role), by username."""
    user = session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        User.username == str(username).strip(), Membership.company_id == company.id).limit(1))
    if user is None:
        raise NotFound(f"unknown salesperson {username!r} in company {company.code} (not a member)")
    return user


def _name(user: User) -> str:
    return user.full_name or user.username


def set_target(session: Session, company: Company, username: str, month, amount) -> TargetRecord:
    """Set (or replace) ``username``'s target for ``month`` to ``amount`` (company currency, not negative)."""
    user = salesperson(session, company, username)
    first = month_of(month)
    _code, scale = currency_of(company, None)
    units = normalise(parse_amount(amount), scale, what="target")[0]
    if units < 0:
        raise Invalid(f"a target must not be negative, not {amount}")
    target = session.scalar(select(Target).where(Target.company_id == company.id, Target.user_id == user.id,
                                                 Target.month == first))
    if target is None:
        target = Target(company_id=company.id, user_id=user.id, month=first, amount_units=units)
        session.add(target)
    else:
        target.amount_units = units
    session.flush()
    return TargetRecord(user.username, _name(user), first, from_units(units, scale))


def remove_target(session: Session, company: Company, username: str, month) -> None:
    user = salesperson(session, company, username)
    first = month_of(month)
    target = session.scalar(select(Target).where(Target.company_id == company.id, Target.user_id == user.id,
                                                 Target.month == first))
    if target is None:
        raise NotFound(f"{username} has no target for {month_key(first)}")
    session.delete(target)
    session.flush()


def _span(start, end) -> tuple[Optional[dt.date], Optional[dt.date]]:
    first = month_of(start) if start not in (None, "") else None
    last = month_of(end) if end not in (None, "") else None
    if first and last and first > last:
        raise Invalid(
            f"the months run from {month_key(first)} to {month_key(last)}: the first is after the last"
        )
    return first, last


def list_targets(session: Session, company: Company, *, start=None, end=None,
                 username: Optional[str] = None) -> list[TargetRecord]:
    """The targets of months ``start`` .. ``end`` (either open), by month then username."""
    first, last = _span(start, end)
    _code, scale = currency_of(company, None)
    query = (select(Target, User).join(User, User.id == Target.user_id).where(Target.company_id == company.id)
             .order_by(Target.month, User.username))
    if first:
        query = query.where(Target.month >= first)
    if last:
        query = query.where(Target.month <= last)
    if username:
        query = query.where(Target.user_id == salesperson(session, company, username).id)
    return [TargetRecord(user.username, _name(user), target.month, from_units(target.amount_units, scale))
            for target, user in session.execute(query)]


def _actuals(session: Session, company: Company, first: dt.date, last: dt.date,
             user_id: Optional[int]) -> dict[tuple[int, dt.date], int]:
    """Revenue units per (salesperson id, month), folded from days."""
    day = sold_day()
    after = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)  # the month after the last
    query = (
        select(Order.salesperson_id, day, func.coalesce(func.sum(OrderLine.net_units), 0))
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            OrderLine.company_id == company.id,
            Order.company_id == company.id,
            Order.state.in_(COUNTED),
            Order.currency == company.currency,
            Order.salesperson_id.is_not(None),
            day >= first,
            day < after,
        )
        .group_by(Order.salesperson_id, day)
    )
    if user_id is not None:
        query = query.where(Order.salesperson_id == user_id)
    found: dict[tuple[int, dt.date], int] = defaultdict(int)
    for who, when, units in session.execute(query):
        when = when if isinstance(when, dt.date) else parse_date(str(when)[:10])
        found[(who, when.replace(day=1))] += int(units)
    return found


def targets_vs_actuals(session: Session, company: Company, start, end, *,
                       username: Optional[str] = None) -> list[Attainment]:
    """Per salesperson and month of ``start`` .. ``end``: target, actual, attainment.

    A salesperson's month is listed when it has a target or sales; rows by month, then username.
    """
    first, last = _span(start, end)
    if first is None or last is None:
        raise Invalid("give the first and the last month")
    if len(months_between(first, last)) > 120:
        raise Invalid("at most 120 months at a time")
    _code, scale = currency_of(company, None)
    user_id = salesperson(session, company, username).id if username else None
    targets = {(t.user_id, t.month): t.amount_units for t in session.scalars(
        select(Target).where(Target.company_id == company.id, Target.month >= first, Target.month <= last,
                             *([Target.user_id == user_id] if user_id is not None else [])))}
    actuals = _actuals(session, company, first, last, user_id)
    ids = {who for who, _month in (*targets, *actuals)}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    rows = []
    for who, month in sorted({*targets, *actuals}, key=lambda k: (k[1], users[k[0]].username)):
        target = from_units(targets[(who, month)], scale) if (who, month) in targets else None
        actual = from_units(actuals.get((who, month), 0), scale)
        rows.append(Attainment(users[who].username, _name(users[who]), month, target, actual,
                               percent(actual, target) if target else None))
    return rows

"""Exchange rates: how much of the company currency one unit of another is worth.

A rate holds from its date until the next one. Documents keep the rate they
were posted at; amounts in the company currency are rounded half up, once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Company
from plugins.finance.models import Rate
from plugins.finance.values import RATE_SCALE, fixed, round_money, scale_of, unfixed

__all__ = ["set_rate", "rate_on", "rate_units_on", "to_company_units", "ONE"]

ONE = 10**RATE_SCALE


def _currency(company: Company, code: str) -> str:
    code = code.strip().upper()
    if code not in CURRENCIES:
        raise Invalid(f"unknown currency {code!r}")
    if code == company.currency:
        raise Invalid(f"{code} is the company currency: its rate is always 1")
    return code


def set_rate(session: Session, company: Company, currency: str, date: dt.date, rate) -> Rate:
    """Record (or correct) the rate of ``currency`` from ``date`` on."""
    code = _currency(company, currency)
    units = fixed(rate, RATE_SCALE, "exchange rate")
    if units <= 0:
        raise Invalid(f"exchange rate {rate} must be positive")
    row = session.scalar(
        select(Rate).where(Rate.company_id == company.id, Rate.currency == code, Rate.date == date)
    )
    if row is None:
        row = Rate(company_id=company.id, currency=code, date=date, rate_units=units)
        session.add(row)
    row.rate_units = units
    session.flush()
    return row


def rate_units_on(session: Session, company: Company, currency: str, date: dt.date) -> int:
    """The rate at ``RATE_SCALE`` in force on ``date`` (``ONE`` for the company currency)."""
    if currency == company.currency:
        return ONE
    units = session.scalar(select(Rate.rate_units).where(
        Rate.company_id == company.id, Rate.currency == currency, Rate.date <= date)
        .order_by(Rate.date.desc()).limit(1))
    if units is None:
        raise Invalid(f"no exchange rate for {currency} on or before {date} in company {company.code}: "
                      f"record one with `jangbu finance rate set {currency} <date> <rate>`")
    return units


def rate_on(session: Session, company: Company, currency: str, date: dt.date) -> Decimal:
    return unfixed(rate_units_on(session, company, currency, date), RATE_SCALE)


def to_company_units(units: int, currency: str, rate_units: int, company: Company) -> int:
    """``units`` of ``currency`` in the company currency's smallest units at ``rate_units``."""
    if rate_units == ONE and currency == company.currency:
        return units
    with localcontext() as ctx:
        ctx.prec = 60
        value = unfixed(units, scale_of(currency)) * unfixed(rate_units, RATE_SCALE)
        target = scale_of(company.currency)
        return int(round_money(value, target).scaleb(target))

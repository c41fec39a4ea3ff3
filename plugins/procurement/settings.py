"""Procurement's company settings: the approval threshold, the three-way
match tolerances, the warehouse that receives, how long suppliers have to
answer a request for quotation."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import attrs
from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.models import Company
from core.scoping import settings_row
from core.values import MAX_ID, from_units, normalise, parse_amount, parse_whole, to_units
from plugins.procurement.models import Settings
from plugins.procurement.values import money_scale

__all__ = ["set_up_settings", "settings_of", "update_settings", "SettingsView", "settings_view", "UNSET",
           "percent_bp", "bp_percent"]

UNSET = object()


@attrs.frozen
class SettingsView:
    approval_threshold: Optional[Decimal]
    quantity_tolerance: Decimal   # percent
    price_tolerance: Decimal      # percent
    warehouse: Optional[str]
    quote_days: int
    currency: str


def set_up_settings(session: Session, company: Company) -> Settings:
    """The settings row of ``company`` (idempotent): no approval, 0 % quantity and 2 % price tolerance."""
    settings = session.get(Settings, company.id)
    if settings is None:
        settings = Settings(company_id=company.id, approval_threshold_units=None, quantity_tolerance_bp=0,
                            price_tolerance_bp=200, warehouse=None, quote_days=14)
        session.add(settings)
        session.flush()
    return settings


def settings_of(session: Session, company: Company) -> Settings:
    return settings_row(session, Settings, company, "procurement")


def percent_bp(value, what: str) -> int:
    """``"2.5"`` (percent) -> 250 basis points; 0 to 100 %, at most two decimals."""
    try:
        bp = normalise(parse_amount(value), 2, what=what)[0]
    except Invalid as exc:
        raise Invalid(str(exc)) from None
    if not 0 <= bp <= 10000:
        raise Invalid(f"{what} must be between 0 and 100 %, not {value}")
    return bp


def bp_percent(bp: int) -> Decimal:
    return from_units(bp, 2)


def settings_view(session: Session, company: Company) -> SettingsView:
    s = settings_of(session, company)
    scale = money_scale(company.currency)
    return SettingsView(
        None if s.approval_threshold_units is None else from_units(s.approval_threshold_units, scale),
        bp_percent(s.quantity_tolerance_bp),
        bp_percent(s.price_tolerance_bp),
        s.warehouse,
        s.quote_days,
        company.currency,
    )


def update_settings(session: Session, company: Company, *, approval_threshold=UNSET, quantity_tolerance=UNSET,
                    price_tolerance=UNSET, warehouse=UNSET, quote_days=UNSET) -> SettingsView:
    """Change what is given: ``approval_threshold`` in the company currency (``None`` or ``""``: no
    approval), tolerances in percent, ``warehouse`` a wms warehouse code (``None``: wms's first)."""
    s = settings_of(session, company)
    if approval_threshold is not UNSET:
        if approval_threshold is None or str(approval_threshold).strip().lower() in ("", "none"):
            s.approval_threshold_units = None
        else:
            units = to_units(parse_amount(approval_threshold), money_scale(company.currency),
                             what="approval threshold")
            if units < 0:
                raise Invalid(f"approval threshold must not be negative, not {approval_threshold}")
            s.approval_threshold_units = units
    if quantity_tolerance is not UNSET:
        s.quantity_tolerance_bp = percent_bp(quantity_tolerance, "quantity tolerance")
    if price_tolerance is not UNSET:
        s.price_tolerance_bp = percent_bp(price_tolerance, "price tolerance")
    if warehouse is not UNSET:
        code = (warehouse or "").strip() or None
        if code is not None:
            _check_warehouse(session, company, code)
        s.warehouse = code.upper() if code else None
    if quote_days is not UNSET:
        try:
            days = parse_whole(quote_days, "quote days", -MAX_ID, MAX_ID)
        except Invalid:
            raise Invalid(f"quote days must be a whole number, not {quote_days!r}") from None
        if not 1 <= days <= 3650:
            raise Invalid(f"quote days must be between 1 and 3650, not {days}")
        s.quote_days = days
    session.flush()
    return settings_view(session, company)


def _check_warehouse(session: Session, company: Company, code: str) -> None:
    from plugins.procurement.partners import has_wms, wms_warehouse_known

    if not has_wms(session, company):
        raise Invalid("a receiving warehouse needs wms, which the company has not installed")
    if not wms_warehouse_known(session, company, code):
        raise NotFound(f"unknown warehouse {code!r} in company {company.code}")

"""Warehouses and their locations (zone, aisle, bin), each a ledger stock account.

A warehouse is a tree of internal locations under its root; a location's
code is its full path (``MAIN/A/01``) and the code of its ledger account,
whose parent is the parent location's account. Internal locations must not
go negative unless the company allows it; virtual ones (suppliers,
customers...) may.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import lengths
from core.errors import Conflict, Invalid, NotFound
from core.ledger import AccountType, create_account
from core.models import Company
from plugins.wms.models import Location, LocationKind, LocationLevel, Warehouse
from plugins.wms.setup import settings_of

MAX_COUNT_DAYS = 3660  # about ten years, as the form allows; the column is a 32-bit integer

__all__ = [
    "create_warehouse",
    "find_warehouse",
    "add_location",
    "MAX_COUNT_DAYS",
    "find_location",
    "scan_location",
    "locations_under",
    "set_count_frequency",
]

_CHILD_LEVEL = {LocationLevel.WAREHOUSE: LocationLevel.ZONE, LocationLevel.ZONE: LocationLevel.AISLE,
                LocationLevel.AISLE: LocationLevel.BIN}


def _code(value: str, what: str) -> str:
    value = (value or "").strip().upper()
    if not value or any(ch.isspace() for ch in value) or ":" in value or "/" in value:
        raise Invalid(f"{what} {value!r} must be non-empty, without spaces, ':' or '/'")
    return value


def create_warehouse(session: Session, company: Company, code: str, name: str) -> Warehouse:
    """A warehouse with its root location (the ledger account ``code``)."""
    code = _code(code, "warehouse code")
    if not name or not name.strip():
        raise Invalid("warehouse name must not be empty")
    if session.scalar(select(Warehouse.id).where(Warehouse.company_id == company.id, Warehouse.code == code)):
        raise Conflict(f"warehouse {code!r} exists already in company {company.code}")
    root = _new_location(session, company, code, name.strip(), None, LocationLevel.WAREHOUSE)
    warehouse = Warehouse(company_id=company.id, code=code, name=name.strip(), location_id=root.id)
    session.add(warehouse)
    session.flush()
    root.warehouse_id = warehouse.id
    session.flush()
    return warehouse


def find_warehouse(session: Session, company: Company, code: Optional[str] = None) -> Warehouse:
    """A warehouse by code; without a code, the company's only (or first) one."""
    query = select(Warehouse).where(Warehouse.company_id == company.id)
    if code:
        found = session.scalar(query.where(Warehouse.code == code.strip().upper()))
        if found is None:
            raise NotFound(f"unknown warehouse {code!r} in company {company.code}")
        return found
    found = session.scalar(query.order_by(Warehouse.id))
    if found is None:
        raise NotFound(f"company {company.code} has no warehouse yet: jangbu wms warehouse create CODE NAME")
    return found


def add_location(session: Session, company: Company, parent: str, code: str, name: Optional[str] = None, *,
                 barcode: Optional[str] = None, count_every_days: Optional[int] = None) -> Location:
    """A zone under a warehouse, an aisle under a zone, a bin under an aisle: ``parent/code``."""
    above = find_location(session, company, parent)
    if not above.internal or above.level is None:
        raise Invalid(f"location {above.code} is not part of a warehouse")
    if above.level is LocationLevel.BIN:
        raise Invalid(f"location {above.code} is a bin: nothing goes below a bin")
    full = f"{above.code}/{_code(code, 'location code')}"
    location = _new_location(session, company, full, (name or full).strip(), above, _CHILD_LEVEL[above.level])
    location.barcode = barcode.strip() if barcode and barcode.strip() else None
    set_count_frequency(session, location, count_every_days)
    return location


def _new_location(session, company, code, name, parent: Optional[Location], level) -> Location:
    lengths.check(
        Location.code, code
    )  # the full path: before its ledger account would call it "account code"
    if session.scalar(select(Location.id).where(Location.company_id == company.id, Location.code == code)):
        raise Conflict(f"location {code!r} exists already in company {company.code}")
    allow_negative = settings_of(session, company).allow_negative
    account = create_account(session, company, code, name, AccountType.STOCK,
                             parent=parent.code if parent else None, no_negative=not allow_negative)
    location = Location(
        company_id=company.id,
        account_id=account.id,
        warehouse_id=parent.warehouse_id if parent else None,
        parent_id=parent.id if parent else None,
        code=code,
        name=name,
        kind=LocationKind.INTERNAL,
        level=level,
    )
    session.add(location)
    session.flush()
    return location


def set_count_frequency(session: Session, location: Location, days: Optional[int]) -> None:
    if days is not None and not 0 < days <= MAX_COUNT_DAYS:
        raise Invalid(f"count frequency must be from 1 to {MAX_COUNT_DAYS} days, not {days}")
    if days is not None and not location.internal:
        raise Invalid(f"location {location.code} holds no stock of the company's to count")
    location.count_every_days = days
    session.flush()


def find_location(session: Session, company: Company, code: str) -> Location:
    found = session.scalar(select(Location).where(Location.company_id == company.id,
                                                  Location.code == (code or "").strip().upper()))
    if found is None:
        raise NotFound(f"unknown location {code!r} in company {company.code}")
    return found


def scan_location(session: Session, company: Company, scanned: str) -> Location:
    """A location by what a scanner read: its barcode or its code."""
    text = (scanned or "").strip()
    found = session.scalar(
        select(Location).where(
            Location.company_id == company.id, or_(Location.barcode == text, Location.code == text.upper())
        )
    )
    if found is None:
        raise NotFound(f"no location has the barcode or code {text!r}")
    return found


def locations_under(session: Session, location: Location) -> list[Location]:
    """``location`` and every location below it (by path), in code order."""
    return list(session.scalars(select(Location).where(
        Location.company_id == location.company_id,
        or_(Location.id == location.id, Location.code.startswith(location.code + "/", autoescape=True)))
        .order_by(Location.code)))

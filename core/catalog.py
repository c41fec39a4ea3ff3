"""Parties and products: the shared nouns every plugin refers to."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import lengths
from core.currencies import CURRENCIES
from core.errors import Invalid, NotFound
from core.ledger.accounts import create_commodity
from core.models import Company, Party, PartyAddress, PartyContact, PartyKind, Product, Unit
from core.scoping import ensure_absent, find_one

__all__ = [
    "STANDARD_UNITS",
    "ensure_unit",
    "create_party",
    "add_contact",
    "add_address",
    "get_party",
    "create_product",
    "get_product",
]

# code: (name, scale)
STANDARD_UNITS: dict[str, tuple[str, int]] = {
    "pcs": ("Pieces", 0),
    "box": ("Boxes", 0),
    "kg": ("Kilograms", 3),
    "g": ("Grams", 0),
    "l": ("Litres", 3),
    "m": ("Metres", 2),
    "m2": ("Square metres", 2),
    "h": ("Hours", 2),
}


def ensure_unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is not None:
        return unit
    if code not in STANDARD_UNITS:
        raise NotFound(f"unknown unit {code!r} (known: {', '.join(STANDARD_UNITS)})")
    name, scale = STANDARD_UNITS[code]
    unit = Unit(code=code, name=name, scale=scale)
    session.add(unit)
    session.flush()
    return unit


def _required(value: str, what: str) -> str:
    if not value or not value.strip():
        raise Invalid(f"{what} must not be empty")
    return value.strip()


def create_party(session: Session, company: Company, code: str, name: str, *,
                 kind: PartyKind | str = PartyKind.ORGANISATION, email: Optional[str] = None,
                 phone: Optional[str] = None, tax_id: Optional[str] = None) -> Party:
    code, name = _required(code, "party code"), _required(name, "party name")
    try:
        kind = PartyKind(kind) if isinstance(kind, str) else kind
    except ValueError:
        raise Invalid(f"party kind {kind!r} must be 'person' or 'organisation'") from None
    ensure_absent(session, Party, company, "party", code=code)
    party = Party(
        company_id=company.id, code=code, name=name, kind=kind, email=email, phone=phone, tax_id=tax_id
    )
    session.add(party)
    session.flush()
    return party


def add_contact(session: Session, party: Party, name: str, *, role: Optional[str] = None,
                email: Optional[str] = None, phone: Optional[str] = None) -> PartyContact:
    contact = PartyContact(company_id=party.company_id, party=party, name=_required(name, "contact name"),
                           role=role, email=email, phone=phone)
    session.add(contact)
    session.flush()
    return contact


def add_address(session: Session, party: Party, line1: str, *, city: Optional[str] = None,
                postal_code: Optional[str] = None, country: Optional[str] = None,
                purpose: str = "main") -> PartyAddress:
    address = PartyAddress(company_id=party.company_id, party=party, line1=_required(line1, "address line"),
                           city=city, postal_code=postal_code, country=country, purpose=purpose)
    session.add(address)
    session.flush()
    return address


def get_party(session: Session, company: Company, code: str) -> Party:
    return find_one(session, Party, company, "party", code=code)


def create_product(session: Session, company: Company, sku: str, name: str, *, unit: str = "pcs",
                   category: Optional[str] = None, barcode: Optional[str] = None) -> Product:
    """A product, with the ledger commodity its stock is counted in."""
    sku, name = _required(sku, "SKU"), _required(name, "product name")
    lengths.check(Product.sku, sku, "SKU")  # before its ledger commodity would name it "commodity code"
    lengths.check(Product.name, name)
    if ":" in sku or any(ch.isspace() for ch in sku):
        raise Invalid(f"SKU {sku!r} must not contain spaces or ':'")
    if sku.upper() in CURRENCIES:  # its commodity would hide the currency in this company's ledger
        raise Invalid(f"SKU {sku!r} is a currency code; choose another")
    ensure_absent(session, Product, company, "product", sku=sku)
    uom = ensure_unit(session, unit)
    commodity = create_commodity(session, company, sku, name, uom.scale)
    product = Product(company_id=company.id, sku=sku, name=name, unit_id=uom.id, commodity_id=commodity.id,
                      category=category, barcode=barcode)
    session.add(product)
    session.flush()
    return product


def get_product(session: Session, company: Company, sku: str) -> Product:
    return find_one(session, Product, company, "product", sku=sku)

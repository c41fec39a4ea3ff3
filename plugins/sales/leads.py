"""Leads: captured (the public form, a CSV file, the CLI or a page),
flagged when they look like a known party, scored, qualified or
disqualified, and converted into a customer and an opportunity.

Every change runs in the caller's transaction; a refusal raises before
anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import locks
from core.catalog import add_contact, create_party, get_party
from core.errors import Conflict, Invalid, JangbuError, NotFound
from core.models import Company, Party, PartyAddress, PartyKind, utcnow
from core.numbering import next_number
from plugins.sales.crm_common import (
    amount,
    amount_units,
    find_lead,
    member,
    optional_text,
    text,
    username_of,
    whole_number,
)
from plugins.sales.duplicates import Known
from plugins.sales.models import Lead, LeadSource, LeadState, Opportunity
from plugins.sales.scoring import Scorer, score_lead

__all__ = [
    "LEAD_FIELDS",
    "TooMany",
    "create_lead",
    "find_lead",
    "update_lead",
    "qualify",
    "disqualify",
    "convert",
    "capture_enquiry",
    "lead_data",
    "ensure_customer",
]

# The fields a lead is captured with: name -> (what, longest).
LEAD_FIELDS = {"contact_name": ("contact name", 200), "organisation": ("organisation", 200),
               "email": ("e-mail", 200), "phone": ("phone", 40), "tax_id": ("tax id", 40),
               "region": ("region", 100), "country": ("country", 2), "industry": ("industry", 100),
               "message": ("message", 4000)}


class TooMany(JangbuError):
    """The public form was used too often from one address (the web answers 429)."""


def _cleaned(company: Company, fields: dict) -> dict:
    unknown = set(fields) - set(LEAD_FIELDS) - {"employees", "budget"}
    if unknown:
        raise Invalid(f"unknown lead field(s): {', '.join(sorted(unknown))}")
    values = {}
    for name, value in fields.items():
        if name == "employees":
            values["employees"] = whole_number(value, "employees", low=1, high=10_000_000)
        elif name == "budget":
            blank = value is None or (isinstance(value, str) and not value.strip())
            values["budget_units"] = None if blank else amount_units(company, value, what="budget")
        else:
            what, limit = LEAD_FIELDS[name]
            values[name] = optional_text(value, what, limit)
    if "contact_name" in values and values["contact_name"] is None:
        raise Invalid("contact name must not be empty")
    email = values.get("email")
    if email is not None and (
        "@" not in email or " " in email or email.startswith("@") or email.endswith("@")
    ):
        raise Invalid(f"malformed e-mail address {email!r}")
    if values.get("country") is not None:
        country = values["country"].upper()
        if len(country) != 2 or not country.isalpha() or not country.isascii():
            raise Invalid(f"country must be a two-letter code, not {values['country']!r}")
        values["country"] = country
    return values


def _flag(known: Known, lead: Lead) -> None:
    found = known.match(
        tax_id=lead.tax_id,
        email=lead.email,
        phone=lead.phone,
        organisation=lead.organisation,
        contact_name=lead.contact_name,
    )
    lead.duplicate_of, lead.duplicate_reason = (found if found else (None, None))


def create_lead(session: Session, company: Company, contact_name: str, *, source: str | LeadSource = "manual",
                owner: Optional[str] = None, source_address: Optional[str] = None,
                created_at: Optional[dt.datetime] = None, known: Optional[Known] = None,
                scorer: Optional[Scorer] = None, **fields) -> Lead:
    """A new lead, flagged when it looks like a known party, and scored.

    ``fields``: organisation, email, phone, tax_id, region, country, industry,
    employees, budget (an amount of the company currency), message.
    """
    try:
        source = LeadSource(source) if isinstance(source, str) else source
    except ValueError:
        raise Invalid(
            f"unknown source {source!r} (one of: {', '.join(s.value for s in LeadSource)})"
        ) from None
    values = _cleaned(company, {"contact_name": contact_name, **fields})
    lead = Lead(company_id=company.id, number=next_number(session, company, "LD"), source=source,
                state=LeadState.NEW, owner=member(session, company, owner),
                source_address=optional_text(source_address, "address", 64), **values)
    if created_at is not None:
        lead.created_at = created_at
    _flag(known or Known(session, company), lead)
    session.add(lead)
    session.flush()
    return score_lead(session, company, lead, scorer)


def _open(lead: Lead, doing: str) -> None:
    if lead.state in (LeadState.CONVERTED, LeadState.DISQUALIFIED):
        raise Conflict(f"lead {lead.number} is {lead.state.value}: it cannot be {doing}")


def update_lead(
    session: Session, company: Company, number: str, *, owner: Optional[str] = ..., **fields
) -> Lead:
    """Change what is known of an open lead; checked for duplicates and scored again."""
    lead = find_lead(session, company, number)
    _open(lead, "changed")
    for name, value in _cleaned(company, fields).items():
        setattr(lead, name, value)
    if owner is not ...:
        lead.owner = member(session, company, owner)
    _flag(Known(session, company), lead)
    session.flush()
    return score_lead(session, company, lead)


def qualify(session: Session, company: Company, number: str, *, owner: Optional[str] = None) -> Lead:
    lead = find_lead(session, company, number)
    if lead.state is not LeadState.NEW:
        raise Conflict(f"lead {lead.number} is {lead.state.value}: only a new lead is qualified")
    lead.state, lead.qualified_at = LeadState.QUALIFIED, utcnow()
    if owner:
        lead.owner = member(session, company, owner)
    session.flush()
    return lead


def disqualify(session: Session, company: Company, number: str, reason: str) -> Lead:
    """Set a lead aside, saying why (a disqualified lead counts as lost when the model learns)."""
    lead = find_lead(session, company, number)
    _open(lead, "disqualified")
    lead.state, lead.disqualified_reason = LeadState.DISQUALIFIED, text(reason, "reason", 200)
    session.flush()
    return lead


def ensure_customer(session: Session, company: Company, party: Party) -> None:
    """The party's sales_customer row (a customer from now on), unless it has one."""
    from plugins.sales.documents import Customer

    if session.scalar(select(Customer.id).where(Customer.company_id == company.id,
                                                Customer.party_id == party.id)) is None:
        session.add(Customer(company_id=company.id, party_id=party.id))
        session.flush()


def _new_party(session: Session, company: Company, lead: Lead, code: str) -> Party:
    organisation = lead.organisation is not None
    party = create_party(session, company, code, lead.organisation or lead.contact_name,
                         kind=PartyKind.ORGANISATION if organisation else PartyKind.PERSON,
                         email=lead.email, phone=lead.phone, tax_id=lead.tax_id)
    if organisation:
        add_contact(session, party, lead.contact_name, email=lead.email, phone=lead.phone)
    if lead.region or lead.country:
        session.add(PartyAddress(company_id=company.id, party_id=party.id, purpose="main",
                                 line1=lead.region or lead.country, region=lead.region, country=lead.country))
        session.flush()
    return party


def convert(session: Session, company: Company, number: str, *, party: Optional[str] = None,
            new_party: Optional[str] = None, opportunity: bool = True, name: Optional[str] = None,
            expected_revenue=None, expected_close=None, stage: Optional[str] = None,
            owner: Optional[str] = None) -> tuple[Party, Optional[Opportunity]]:
    """Make the lead a customer (and, unless told otherwise, an opportunity).

    The customer is the party ``party`` names; else a new party coded
    ``new_party``; else the party the lead was flagged as a duplicate of;
    else a new party coded like the lead. The opportunity's expected
    revenue defaults to the budget the lead named, its owner to the lead's.
    """
    from plugins.sales.opportunities import create_opportunity

    lead = find_lead(session, company, number)
    _open(lead, "converted")
    if party and new_party:
        raise Invalid("name an existing party or a new party code, not both")
    if party:
        customer = get_party(session, company, party.strip())
    elif new_party:
        customer = _new_party(session, company, lead, new_party.strip())
    elif lead.duplicate_of is not None:
        customer = lead.duplicate_of
    else:
        customer = _new_party(session, company, lead, lead.number)
    ensure_customer(session, company, customer)
    deal = None
    if opportunity:
        revenue = expected_revenue
        if revenue is None or (isinstance(revenue, str) and not revenue.strip()):
            revenue = amount(company, lead.budget_units) or 0
        deal = create_opportunity(
            session,
            company,
            name or f"{lead.organisation or lead.contact_name}",
            party=customer.code,
            lead=lead.number,
            stage=stage,
            expected_revenue=revenue,
            expected_close=expected_close,
            owner=owner if owner else username_of(lead.owner),
        )
    if lead.qualified_at is None:
        lead.qualified_at = utcnow()
    lead.state, lead.party, lead.converted_at = LeadState.CONVERTED, customer, utcnow()
    session.flush()
    return customer, deal


def capture_enquiry(session: Session, company: Company, address: str, *, now: Optional[dt.datetime] = None,
                    **fields) -> Lead:
    """A lead from the public enquiry form: refused (``TooMany``) once ``address`` sent the company's hourly
    limit; ``NotFound`` when the company does not take enquiries.

    Counted and decided under a lock on the company and address, held until the caller's transaction ends,
    so enquiries sent at once cannot all count the same few rows and pass the limit together."""
    from plugins.sales.settings import settings_of

    settings = settings_of(session, company)
    if not settings.lead_form:
        raise NotFound(f"company {company.code} takes no enquiries")
    now = now or utcnow()
    address = (address or "unknown")[:64]
    locks.hold(session, f"sales-enquiry:{company.id}:{address}")
    recent = session.scalar(select(func.count()).select_from(Lead).where(
        Lead.company_id == company.id, Lead.source_address == address,
        Lead.created_at > now - dt.timedelta(hours=1)))
    if recent >= settings.lead_form_per_hour:
        raise TooMany("too many enquiries from this address; try again in an hour")
    return create_lead(session, company, fields.pop("contact_name", None), source=LeadSource.WEB,
                       source_address=address, created_at=now, **fields)


def lead_data(company: Company, lead: Lead) -> dict:
    return {"number": lead.number, "contact_name": lead.contact_name, "organisation": lead.organisation,
            "email": lead.email, "phone": lead.phone, "tax_id": lead.tax_id, "region": lead.region,
            "country": lead.country, "industry": lead.industry, "employees": lead.employees,
            "budget": amount(company, lead.budget_units), "message": lead.message, "source": lead.source,
            "state": lead.state, "owner": username_of(lead.owner), "score": lead.score,
            "factors": lead.score_factors or [],
            "duplicate_of": lead.duplicate_of.code if lead.duplicate_of else None,
            "duplicate_reason": lead.duplicate_reason, "disqualified_reason": lead.disqualified_reason,
            "customer": lead.party.code if lead.party else None, "created_at": lead.created_at,
            "qualified_at": lead.qualified_at, "converted_at": lead.converted_at}

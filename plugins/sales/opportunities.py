"""Opportunities: deals moving through the pipeline's stages, each with an
expected revenue, a probability (its own, or its stage's), an expected
close date and an owner; won (``opportunity_won``) or lost with a reason
(``opportunity_lost``), announced to the plugins the company installed in
the transaction of the change.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from sqlalchemy.orm import Session

from core.catalog import get_party
from core.currencies import CURRENCIES
from core.errors import Conflict, Invalid
from core.models import Company
from core.numbering import next_number
from core.plugins import plugins_of
from core.scoping import find_one
from plugins.sales.crm_common import (
    amount,
    amount_units,
    find_lead,
    member,
    optional_date,
    optional_text,
    text,
    username_of,
    whole_number,
)
from plugins.sales.events import OpportunityLost, OpportunityWon
from plugins.sales.models import Opportunity, OpportunityState
from plugins.sales.pipeline import find_lost_reason, find_stage, stages_of

__all__ = ["create_opportunity", "find_opportunity", "update_opportunity", "move", "mark_won", "mark_lost",
           "reopen", "probability_of", "weighted", "opportunity_data"]

_UNCHANGED = object()


def find_opportunity(session: Session, company: Company, number: str) -> Opportunity:
    return find_one(session, Opportunity, company, "opportunity", number=str(number).strip().upper())


def _stage(session: Session, company: Company, name: Optional[str]):
    if name is None or not str(name).strip():
        stages = stages_of(session, company)
        if not stages:
            raise Conflict("the pipeline has no active stage")
        return stages[0]
    stage = find_stage(session, company, name)
    if not stage.active:
        raise Conflict(f"stage {stage.name!r} is retired")
    return stage


def _probability(value) -> Optional[int]:
    return whole_number(value, "probability", low=0, high=100)


def create_opportunity(session: Session, company: Company, name: str, *, party: Optional[str] = None,
                       lead: Optional[str] = None, stage: Optional[str] = None, owner: Optional[str] = None,
                       expected_revenue=0, probability=None, expected_close=None) -> Opportunity:
    """A new open opportunity in ``stage`` (default: the first)."""
    deal = Opportunity(
        company_id=company.id,
        number=next_number(session, company, "OP"),
        name=text(name, "opportunity name", 200),
        state=OpportunityState.OPEN,
        party=get_party(session, company, party.strip()) if party and party.strip() else None,
        lead=find_lead(session, company, lead) if lead else None,
        stage=_stage(session, company, stage),
        owner=member(session, company, owner),
        expected_revenue_units=amount_units(
            company, expected_revenue if expected_revenue is not None else 0, what="expected revenue"
        ),
        probability=_probability(probability),
        expected_close=optional_date(expected_close, "expected close date"),
    )
    session.add(deal)
    session.flush()
    return deal


def _open(deal: Opportunity, doing: str) -> None:
    if deal.state is not OpportunityState.OPEN:
        raise Conflict(f"opportunity {deal.number} is {deal.state.value}: it cannot be {doing}")


def update_opportunity(session: Session, company: Company, number: str, *, name=_UNCHANGED, party=_UNCHANGED,
                       owner=_UNCHANGED, expected_revenue=_UNCHANGED, probability=_UNCHANGED,
                       expected_close=_UNCHANGED) -> Opportunity:
    """Change an open opportunity; a probability of ``None`` (or "") follows the stage again."""
    deal = find_opportunity(session, company, number)
    _open(deal, "changed")
    if name is not _UNCHANGED:
        deal.name = text(name, "opportunity name", 200)
    if party is not _UNCHANGED:
        deal.party = get_party(session, company, party.strip()) if party and party.strip() else None
    if owner is not _UNCHANGED:
        deal.owner = member(session, company, owner)
    if expected_revenue is not _UNCHANGED:
        deal.expected_revenue_units = amount_units(
            company, expected_revenue if expected_revenue not in (None, "") else 0, what="expected revenue"
        )
    if probability is not _UNCHANGED:
        deal.probability = _probability(probability)
    if expected_close is not _UNCHANGED:
        deal.expected_close = optional_date(expected_close, "expected close date")
    session.flush()
    return deal


def move(session: Session, company: Company, number: str, stage: str) -> Opportunity:
    """Move an open opportunity to another stage (a card across the board)."""
    deal = find_opportunity(session, company, number)
    _open(deal, "moved")
    deal.stage = _stage(session, company, stage)
    session.flush()
    return deal


def _event_fields(company: Company, deal: Opportunity) -> dict:
    return dict(company_id=company.id, opportunity_id=deal.id, number=deal.number, name=deal.name,
                customer=deal.party.code if deal.party else None,
                expected_revenue=amount(company, deal.expected_revenue_units), currency=company.currency,
                owner=username_of(deal.owner))


def mark_won(session: Session, company: Company, number: str, *, order: Optional[str] = None,
             date=None) -> Opportunity:
    """Won (by ``order``, when an order won it): announced as ``opportunity_won``."""
    deal = find_opportunity(session, company, number)
    _open(deal, "won")
    deal.state, deal.closed_on = OpportunityState.WON, optional_date(date) or dt.date.today()
    deal.lost_reason, deal.lost_note = None, None
    session.flush()
    plugins_of(session).for_company(session, company).opportunity_won(
        session=session, company=company,
        event=OpportunityWon(**_event_fields(company, deal), order=optional_text(order, "order", 20)))
    return deal


def mark_lost(session: Session, company: Company, number: str, reason: str, *, note: Optional[str] = None,
              date=None) -> Opportunity:
    """Lost for ``reason`` (one of the company's lost reasons): announced as ``opportunity_lost``."""
    deal = find_opportunity(session, company, number)
    _open(deal, "lost")
    if reason is None or not str(reason).strip():
        raise Invalid("say why it was lost (a lost reason)")
    found = find_lost_reason(session, company, reason)
    if not found.active:
        raise Conflict(f"lost reason {found.name!r} is retired")
    deal.state, deal.closed_on = OpportunityState.LOST, optional_date(date) or dt.date.today()
    deal.lost_reason, deal.lost_note = found, optional_text(note, "note", 2000)
    session.flush()
    plugins_of(session).for_company(session, company).opportunity_lost(
        session=session,
        company=company,
        event=OpportunityLost(**_event_fields(company, deal), reason=found.name),
    )
    return deal


def reopen(session: Session, company: Company, number: str) -> Opportunity:
    """A won or lost opportunity open again (a mistake corrected), in its stage if still active."""
    deal = find_opportunity(session, company, number)
    if deal.state is OpportunityState.OPEN:
        raise Conflict(f"opportunity {deal.number} is open already")
    deal.state, deal.closed_on, deal.lost_reason, deal.lost_note = OpportunityState.OPEN, None, None, None
    if not deal.stage.active:
        deal.stage = _stage(session, company, None)
    session.flush()
    return deal


def probability_of(deal: Opportunity) -> int:
    """100 won, 0 lost; an open one's own probability or its stage's."""
    if deal.state is OpportunityState.WON:
        return 100
    if deal.state is OpportunityState.LOST:
        return 0
    return deal.probability if deal.probability is not None else deal.stage.probability


def weighted(company: Company, deal: Opportunity) -> Decimal:
    """Expected revenue × probability, rounded half up to the currency's smallest unit."""
    scale = CURRENCIES[company.currency][1]
    value = amount(company, deal.expected_revenue_units) * probability_of(deal) / 100
    return value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)


def opportunity_data(company: Company, deal: Opportunity) -> dict:
    return {
        "number": deal.number,
        "name": deal.name,
        "state": deal.state,
        "customer": deal.party.code if deal.party else None,
        "customer_name": deal.party.name if deal.party else None,
        "lead": deal.lead.number if deal.lead else None,
        "stage": deal.stage.name,
        "owner": username_of(deal.owner),
        "expected_revenue": amount(company, deal.expected_revenue_units),
        "probability": probability_of(deal),
        "own_probability": deal.probability,
        "weighted": weighted(company, deal),
        "expected_close": deal.expected_close,
        "lost_reason": deal.lost_reason.name if deal.lost_reason else None,
        "lost_note": deal.lost_note,
        "closed_on": deal.closed_on,
        "created_at": deal.created_at,
    }

"""The pipeline's stages and lost reasons: a company starts with a usual
B2B pipeline and edits it from there (add, rename, reweigh, reorder and
retire stages; add and retire lost reasons). A stage holding open
opportunities is not retired, and the pipeline keeps one active stage."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid, NotFound
from core.models import Company
from core.values import as_id
from plugins.sales.crm_common import text, whole_number
from plugins.sales.models import LostReason, Stage

__all__ = [
    "set_up_pipeline",
    "DEFAULT_STAGES",
    "DEFAULT_LOST_REASONS",
    "stages_of",
    "find_stage",
    "add_stage",
    "update_stage",
    "lost_reasons_of",
    "find_lost_reason",
    "add_lost_reason",
    "retire_lost_reason",
    "stage_data",
]

# name, probability (%): the chance an opportunity in the stage is won, until the company learns its own.
DEFAULT_STAGES = (("New", 10), ("Qualified", 25), ("Proposal", 50), ("Negotiation", 75))
DEFAULT_LOST_REASONS = (
    "Too expensive",
    "Chose a competitor",
    "No budget",
    "No response",
    "Not the right time",
)


def set_up_pipeline(session: Session, company: Company) -> None:
    """The default stages and lost reasons, unless the company has some already (idempotent)."""
    if session.scalar(select(Stage.id).where(Stage.company_id == company.id).limit(1)) is None:
        session.add_all(
            Stage(
                company_id=company.id, name=name, sequence=10 * (i + 1), probability=probability, active=True
            )
            for i, (name, probability) in enumerate(DEFAULT_STAGES)
        )
    if session.scalar(select(LostReason.id).where(LostReason.company_id == company.id).limit(1)) is None:
        session.add_all(
            LostReason(company_id=company.id, name=name, active=True) for name in DEFAULT_LOST_REASONS
        )
    session.flush()


# -- editing the pipeline -------------------------------------------------------------------------

def stages_of(session: Session, company: Company, *, everything: bool = False) -> list[Stage]:
    """The pipeline's columns in order (the active ones unless ``everything``)."""
    query = select(Stage).where(Stage.company_id == company.id).order_by(Stage.sequence, Stage.id)
    if not everything:
        query = query.where(Stage.active)
    return list(session.scalars(query))


def find_stage(session: Session, company: Company, name: str) -> Stage:
    """A stage by its name (any case) or its id."""
    wanted = str(name).strip()
    for stage in stages_of(session, company, everything=True):
        if stage.name.lower() == wanted.lower() or stage.id == as_id(wanted):
            return stage
    raise NotFound(f"unknown stage {wanted!r} in company {company.code}")


def _probability(value) -> int:
    number = whole_number(value, "probability", low=0, high=100)
    if number is None:
        raise Invalid("probability must be given")
    return number


def add_stage(session: Session, company: Company, name: str, probability, *, sequence=None) -> Stage:
    """A new column (last unless ``sequence`` puts it elsewhere)."""
    name = text(name, "stage name", 100)
    if any(s.name.lower() == name.lower() for s in stages_of(session, company, everything=True)):
        raise Conflict(f"stage {name!r} exists already in company {company.code}")
    if sequence is None:
        sequence = max((s.sequence for s in stages_of(session, company, everything=True)), default=0) + 10
    stage = Stage(company_id=company.id, name=name, probability=_probability(probability),
                  sequence=whole_number(sequence, "sequence", high=100_000), active=True)
    session.add(stage)
    session.flush()
    return stage


def update_stage(session: Session, company: Company, name: str, *, new_name=None, probability=None,
                 sequence=None, active: Optional[bool] = None) -> Stage:
    """Rename, reweigh, reorder, retire or bring back a stage; the last active one stays."""
    stage = find_stage(session, company, name)
    if new_name is not None:
        new_name = text(new_name, "stage name", 100)
        if any(s.id != stage.id and s.name.lower() == new_name.lower()
               for s in stages_of(session, company, everything=True)):
            raise Conflict(f"stage {new_name!r} exists already in company {company.code}")
        stage.name = new_name
    if probability is not None:
        stage.probability = _probability(probability)
    if sequence is not None:
        stage.sequence = whole_number(sequence, "sequence", high=100_000)
    if active is False and stage.active:
        from plugins.sales.models import Opportunity, OpportunityState

        if len(stages_of(session, company)) == 1:
            raise Conflict("the pipeline needs at least one active stage")
        if session.scalar(select(Opportunity.id).where(Opportunity.stage_id == stage.id,
                                                       Opportunity.state == OpportunityState.OPEN).limit(1)):
            raise Conflict(f"stage {stage.name!r} holds open opportunities: move them first")
    if active is not None:
        stage.active = active
    session.flush()
    return stage


def lost_reasons_of(session: Session, company: Company) -> list[LostReason]:
    return list(
        session.scalars(
            select(LostReason)
            .where(LostReason.company_id == company.id, LostReason.active)
            .order_by(LostReason.name)
        )
    )


def find_lost_reason(session: Session, company: Company, name: str) -> LostReason:
    wanted = str(name).strip()
    for reason in session.scalars(select(LostReason).where(LostReason.company_id == company.id)):
        if reason.name.lower() == wanted.lower() or reason.id == as_id(wanted):
            return reason
    raise NotFound(f"unknown lost reason {wanted!r} in company {company.code}")


def add_lost_reason(session: Session, company: Company, name: str) -> LostReason:
    name = text(name, "lost reason", 100)
    for reason in session.scalars(select(LostReason).where(LostReason.company_id == company.id)):
        if reason.name.lower() == name.lower():
            if reason.active:
                raise Conflict(f"lost reason {name!r} exists already in company {company.code}")
            reason.active = True  # brought back
            session.flush()
            return reason
    reason = LostReason(company_id=company.id, name=name, active=True)
    session.add(reason)
    session.flush()
    return reason


def retire_lost_reason(session: Session, company: Company, name: str) -> LostReason:
    reason = find_lost_reason(session, company, name)
    reason.active = False
    session.flush()
    return reason


def stage_data(stage: Stage) -> dict:
    return {"id": stage.id, "name": stage.name, "sequence": stage.sequence, "probability": stage.probability,
            "active": stage.active}

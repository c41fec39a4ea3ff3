"""The CRM's tables, named ``sales_<entity>``: pipeline stages and lost
reasons, leads, opportunities, activities, scoring rules and the learned
scoring model.

Amounts are integers of the company currency's smallest unit; a lead's
score and its factors are kept as computed at the last scoring, so a list
sorts by score and a page shows why without recomputing.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base
from core.models import Party, User, _enum, utcnow

__all__ = [
    "LeadState",
    "LeadSource",
    "OpportunityState",
    "ActivityKind",
    "RuleOperator",
    "Stage",
    "LostReason",
    "Lead",
    "Opportunity",
    "Activity",
    "ScoringRule",
    "ScoringModel",
]


class LeadState(enum.Enum):
    NEW = "new"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


class LeadSource(enum.Enum):
    WEB = "web"          # the public enquiry form
    IMPORT = "import"    # a CSV file
    MANUAL = "manual"    # typed in by a user (CLI or web)
    REFERRAL = "referral"
    EVENT = "event"


class OpportunityState(enum.Enum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityKind(enum.Enum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    TASK = "task"


class RuleOperator(enum.Enum):
    EQUALS = "equals"
    CONTAINS = "contains"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    PRESENT = "present"


class Stage(Base):
    """A column of the pipeline; ``probability`` (0-100) weighs the open opportunities in it."""

    __tablename__ = "sales_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    sequence: Mapped[int] = mapped_column(Integer, default=10)
    probability: Mapped[int] = mapped_column(Integer, default=10)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),)


class LostReason(Base):
    __tablename__ = "sales_lost_reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Lead(Base):
    """Someone who may buy: captured, flagged when it looks like a known party, scored, qualified,
    converted."""

    __tablename__ = "sales_lead"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[Optional[str]] = mapped_column(String(200))
    email: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    phone: Mapped[Optional[str]] = mapped_column(String(40))
    tax_id: Mapped[Optional[str]] = mapped_column(String(40))
    region: Mapped[Optional[str]] = mapped_column(String(100))
    country: Mapped[Optional[str]] = mapped_column(String(2))
    industry: Mapped[Optional[str]] = mapped_column(String(100))
    employees: Mapped[Optional[int]] = mapped_column(Integer)
    budget_units: Mapped[Optional[int]] = mapped_column(BigInteger)  # what they said they would spend
    message: Mapped[Optional[str]] = mapped_column(Text)
    source: Mapped[LeadSource] = mapped_column(_enum(LeadSource), default=LeadSource.MANUAL)
    source_address: Mapped[Optional[str]] = mapped_column(
        String(64)
    )  # the web form's client, for its rate limit
    state: Mapped[LeadState] = mapped_column(_enum(LeadState), default=LeadState.NEW)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    # A party that looks like the same customer (same e-mail, tax id, phone or name), flagged at capture.
    duplicate_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_party.id"))
    duplicate_reason: Mapped[Optional[str]] = mapped_column(String(200))
    score: Mapped[Optional[int]] = mapped_column(Integer)
    score_factors: Mapped[Optional[list]] = mapped_column(JSON)  # [{"factor": ..., "points": ...}]
    disqualified_reason: Mapped[Optional[str]] = mapped_column(String(200))
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_party.id"))  # the customer it became
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    qualified_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    converted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)

    owner: Mapped[Optional[User]] = relationship()
    duplicate_of: Mapped[Optional[Party]] = relationship(foreign_keys=[duplicate_of_id])
    party: Mapped[Optional[Party]] = relationship(foreign_keys=[party_id])

    __table_args__ = (UniqueConstraint("company_id", "number"),)


class Opportunity(Base):
    """A deal being worked: expected revenue × the stage's probability (or its own) is what it weighs."""

    __tablename__ = "sales_opportunity"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_party.id"), index=True)
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_lead.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("sales_stage.id"))
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    state: Mapped[OpportunityState] = mapped_column(_enum(OpportunityState), default=OpportunityState.OPEN)
    expected_revenue_units: Mapped[int] = mapped_column(BigInteger, default=0)
    probability: Mapped[Optional[int]] = mapped_column(Integer)  # None: the stage's
    expected_close: Mapped[Optional[dt.date]] = mapped_column(Date)
    lost_reason_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_lost_reason.id"))
    lost_note: Mapped[Optional[str]] = mapped_column(Text)
    closed_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    party: Mapped[Optional[Party]] = relationship()
    lead: Mapped[Optional[Lead]] = relationship()
    stage: Mapped[Stage] = relationship()
    owner: Mapped[Optional[User]] = relationship()
    lost_reason: Mapped[Optional[LostReason]] = relationship()

    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        CheckConstraint("probability IS NULL OR probability BETWEEN 0 AND 100", name="probability"),
    )


class Activity(Base):
    """A call, meeting, e-mail or task with an owner and a due date, on a lead, an opportunity or a
    customer."""

    __tablename__ = "sales_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind))
    subject: Mapped[str] = mapped_column(String(200))
    notes: Mapped[Optional[str]] = mapped_column(Text)
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_user.id"))
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_lead.id"), index=True)
    opportunity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_opportunity.id"), index=True)
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("core_party.id"), index=True)
    done_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    outcome: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    owner: Mapped[Optional[User]] = relationship()
    lead: Mapped[Optional[Lead]] = relationship()
    opportunity: Mapped[Optional[Opportunity]] = relationship()
    party: Mapped[Optional[Party]] = relationship()

    __table_args__ = (
        CheckConstraint("(CASE WHEN lead_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN opportunity_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN party_id IS NULL THEN 0 ELSE 1 END) = 1", name="one_subject"),
    )


class ScoringRule(Base):
    """A rule the company sets: ``points`` when the lead's ``field`` passes ``operator`` ``value``."""

    __tablename__ = "sales_scoring_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    operator: Mapped[RuleOperator] = mapped_column(_enum(RuleOperator))
    value: Mapped[Optional[str]] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ScoringModel(Base):
    """What was learned from the company's won and lost history: a logistic model's weights per feature."""

    __tablename__ = "sales_scoring_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    trained_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    samples: Mapped[int] = mapped_column(Integer)
    won: Mapped[int] = mapped_column(Integer)
    intercept: Mapped[str] = mapped_column(
        String(40)
    )  # a decimal string: exact, and the same on every engine
    weights: Mapped[dict] = mapped_column(JSON)          # {"feature": "weight as decimal string"}
    active: Mapped[bool] = mapped_column(Boolean, default=True)

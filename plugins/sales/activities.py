"""Activities: a call, meeting, e-mail or task with an owner and a due
date, on exactly one lead, opportunity or customer; done with an outcome.
An activity not done by its due date is overdue (the dashboard lists them).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from core.catalog import get_party
from core.errors import Conflict, Invalid, NotFound
from core.models import Company, User, utcnow
from core.values import as_id
from plugins.sales.crm_common import find_lead, member, optional_date, optional_text, text, username_of
from plugins.sales.models import Activity, ActivityKind

__all__ = [
    "schedule",
    "find_activity",
    "complete",
    "reschedule",
    "overdue",
    "open_activities",
    "is_overdue",
    "overdue_condition",
    "activity_data",
    "subject_of",
]


def schedule(session: Session, company: Company, kind: str, subject: str, due, *, owner: Optional[str] = None,
             lead: Optional[str] = None, opportunity: Optional[str] = None, party: Optional[str] = None,
             notes: Optional[str] = None) -> Activity:
    """A new activity on one lead, opportunity or customer (party)."""
    from plugins.sales.opportunities import find_opportunity

    try:
        kind = ActivityKind(kind) if isinstance(kind, str) else kind
    except ValueError:
        raise Invalid(
            f"unknown activity kind {kind!r} (one of: {', '.join(k.value for k in ActivityKind)})"
        ) from None
    named = [(what, value) for what, value in (("lead", lead), ("opportunity", opportunity), ("party", party))
             if value and str(value).strip()]
    if len(named) != 1:
        raise Invalid("an activity is on exactly one lead, opportunity or customer")
    due = optional_date(due, "due date")
    if due is None:
        raise Invalid("an activity needs a due date")
    activity = Activity(
        company_id=company.id,
        kind=kind,
        subject=text(subject, "subject", 200),
        notes=optional_text(notes, "notes", 4000),
        due=due,
        owner=member(session, company, owner),
    )
    what, value = named[0]
    if what == "lead":
        activity.lead = find_lead(session, company, value)
    elif what == "opportunity":
        activity.opportunity = find_opportunity(session, company, value)
    else:
        activity.party = get_party(session, company, str(value).strip())
    session.add(activity)
    session.flush()
    return activity


def find_activity(session: Session, company: Company, activity_id) -> Activity:
    wanted = as_id(activity_id)
    found = None if wanted is None else session.scalar(
        select(Activity).where(Activity.company_id == company.id, Activity.id == wanted))
    if found is None:
        raise NotFound(f"unknown activity {activity_id!r} in company {company.code}")
    return found


def complete(session: Session, company: Company, activity_id, outcome: Optional[str] = None) -> Activity:
    activity = find_activity(session, company, activity_id)
    if activity.done_at is not None:
        raise Conflict(f"activity {activity.id} is done already")
    activity.done_at, activity.outcome = utcnow(), optional_text(outcome, "outcome", 4000)
    session.flush()
    return activity


def reschedule(session: Session, company: Company, activity_id, due, *, owner=...) -> Activity:
    activity = find_activity(session, company, activity_id)
    if activity.done_at is not None:
        raise Conflict(f"activity {activity.id} is done already")
    activity.due = optional_date(due, "due date") or activity.due
    if owner is not ...:
        activity.owner = member(session, company, owner)
    session.flush()
    return activity


def open_activities(company: Company, *, owner: Optional[User] = None) -> Select:
    """The query of activities not done (of ``owner`` only, when given), soonest due first."""
    query = select(Activity).where(Activity.company_id == company.id, Activity.done_at.is_(None))
    if owner is not None:
        query = query.where(Activity.owner_id == owner.id)
    return query.order_by(Activity.due, Activity.id)


def overdue(company: Company, today: dt.date, *, owner: Optional[User] = None) -> Select:
    return open_activities(company, owner=owner).where(overdue_condition(today))


def is_overdue(activity: Activity, today: Optional[dt.date] = None) -> bool:
    """Not done, and past its due day."""
    return activity.done_at is None and activity.due < (today or dt.date.today())


def overdue_condition(today: Optional[dt.date] = None):
    """:func:`is_overdue` as an SQL condition."""
    return and_(Activity.done_at.is_(None), Activity.due < (today or dt.date.today()))


def subject_of(activity: Activity) -> tuple[str, str]:
    """(kind, number or code) of what the activity is about."""
    if activity.lead is not None:
        return "lead", activity.lead.number
    if activity.opportunity is not None:
        return "opportunity", activity.opportunity.number
    return "customer", activity.party.code


def activity_data(activity: Activity) -> dict:
    about, reference = subject_of(activity)
    return {"id": activity.id, "kind": activity.kind, "subject": activity.subject, "notes": activity.notes,
            "due": activity.due, "owner": username_of(activity.owner), "about": about, "reference": reference,
            "done_at": activity.done_at, "outcome": activity.outcome, "overdue": is_overdue(activity)}

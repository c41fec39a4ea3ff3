"""The CRM's share of the customer 360° page: the party's leads,
opportunities and activities on its timeline, and whether it is a customer.

On a page of a user who may read sales the entries link to their pages and
read in the page's language; elsewhere they carry no link.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import TimelineEntry
from core.models import Company, Party
from plugins.sales.crm_common import amount
from plugins.sales.models import Activity, Lead, Opportunity, OpportunityState
from web.access import link_for
from web.i18n import translated as _

__all__ = ["crm_timeline", "is_customer"]

_LIMIT = 50


# Entries link to sales's pages for a user who may read them.
_link = partial(link_for, "sales.view")


def crm_timeline(session: Session, company: Company, party: Party) -> list[TimelineEntry]:
    """The leads converted into the party, its opportunities and the activities on it, on its
    opportunities or on its leads (the newest ``_LIMIT`` of each)."""
    entries = []
    leads = session.scalars(select(Lead).where(Lead.company_id == company.id, Lead.party_id == party.id)
                            .order_by(Lead.id.desc()).limit(_LIMIT)).all()
    for lead in leads:
        entries.append(TimelineEntry(when=lead.converted_at or lead.created_at, plugin="sales", kind="lead",
                                     title=_("Lead %(number)s converted", number=lead.number),
                                     detail=lead.contact_name, url=_link("sales.lead", number=lead.number)))
    deals = session.scalars(select(Opportunity).where(Opportunity.company_id == company.id,
                                                      Opportunity.party_id == party.id)
                            .order_by(Opportunity.id.desc()).limit(_LIMIT)).all()
    for deal in deals:
        if deal.state is OpportunityState.WON:
            title = _("Opportunity %(number)s won", number=deal.number)
        elif deal.state is OpportunityState.LOST:
            title = _("Opportunity %(number)s lost", number=deal.number)
        else:
            title = _("Opportunity %(number)s opened", number=deal.number)
        detail = deal.name + (f" · {deal.lost_reason.name}" if deal.lost_reason else "")
        entries.append(
            TimelineEntry(
                when=deal.closed_on or deal.created_at,
                plugin="sales",
                kind="opportunity",
                title=title,
                detail=detail,
                url=_link("sales.opportunity", number=deal.number),
                amount=amount(company, deal.expected_revenue_units),
                currency=company.currency,
            )
        )
    about = [Activity.party_id == party.id]
    if deals:
        about.append(Activity.opportunity_id.in_([d.id for d in deals]))
    if leads:
        about.append(Activity.lead_id.in_([lead.id for lead in leads]))
    for activity in session.scalars(select(Activity).where(Activity.company_id == company.id, or_(*about))
                                    .order_by(Activity.id.desc()).limit(_LIMIT)):
        state = _("done") if activity.done_at else _("due")
        entries.append(
            TimelineEntry(
                when=activity.done_at or activity.due,
                plugin="sales",
                kind="activity",
                title=f"{_(activity.kind.value)}: {activity.subject}",
                detail=f"{state}" + (f" · {activity.outcome}" if activity.outcome else ""),
                url=_link("sales.activity", activity_id=activity.id),
            )
        )
    return entries


def is_customer(session: Session, company: Company, party: Party) -> bool:
    """A customer: terms as one (a sales_customer row), a confirmed order, or a converted lead."""
    from plugins.sales.documents import Customer, Order, OrderState

    if session.scalar(select(Customer.id).where(Customer.company_id == company.id,
                                                Customer.party_id == party.id).limit(1)) is not None:
        return True
    if session.scalar(
        select(Order.id)
        .where(
            Order.company_id == company.id,
            Order.party_id == party.id,
            Order.state.in_([OrderState.CONFIRMED, OrderState.DONE]),
        )
        .limit(1)
    ):
        return True
    return session.scalar(select(Lead.id).where(Lead.company_id == company.id, Lead.party_id == party.id)
                          .limit(1)) is not None

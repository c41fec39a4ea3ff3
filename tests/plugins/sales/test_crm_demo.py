"""The CRM's demo data: leads from every source, a won and lost history the
model trains on, opportunities over every stage, overdue activities."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.companies import get_company
from core.demo import core_demo_data
from plugins.sales.activities import overdue
from plugins.sales.crm_demo import crm_demo_data
from plugins.sales.models import Lead, LeadState, Opportunity, OpportunityState, ScoringModel, Stage
from tests.plugins.sales.conftest import sdb  # noqa: F401


def test_the_crm_demo_fills_the_pipeline_and_trains_the_model(sdb):
    with sdb.session() as s:
        from core.companies import create_company

        company = create_company(s, "DEMO", "Demo Co", "KRW", country="KR", plugins=["sales"])
        core_demo_data(s, company, lambda _text: None)
        crm_demo_data(s, company, lambda _text: None)
    with sdb.session() as s:
        company = get_company(s, "DEMO")
        leads = s.scalars(select(Lead).where(Lead.company_id == company.id)).all()
        assert len(leads) == 60
        assert len({lead.source for lead in leads}) == 5
        assert {LeadState.NEW, LeadState.QUALIFIED, LeadState.CONVERTED, LeadState.DISQUALIFIED} == {
            lead.state for lead in leads}
        assert any(lead.duplicate_of is not None for lead in leads)
        states = dict(
            s.execute(
                select(Opportunity.state, func.count())
                .where(Opportunity.company_id == company.id)
                .group_by(Opportunity.state)
            ).all()
        )
        assert 35 <= sum(states.values()) <= 50 and states[OpportunityState.WON] >= 5 and states[
            OpportunityState.LOST] >= 5
        open_stages = set(
            s.scalars(
                select(Stage.name)
                .join(Opportunity, Opportunity.stage_id == Stage.id)
                .where(Opportunity.company_id == company.id, Opportunity.state == OpportunityState.OPEN)
            )
        )
        assert len(open_stages) == 4
        model = s.scalar(
            select(ScoringModel).where(ScoringModel.company_id == company.id, ScoringModel.active)
        )
        assert model is not None and model.samples >= 20
        assert len(s.scalars(overdue(company, dt.date.today())).all()) >= 5
        scored = [lead for lead in leads if lead.state in (LeadState.NEW, LeadState.QUALIFIED)]
        assert scored and all(any(f["kind"] == "model" for f in lead.score_factors) for lead in scored)

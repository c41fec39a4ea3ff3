"""Opportunities through the pipeline (stages, probability, weighted
revenue, won and lost with the events other plugins hear), the stages and
lost reasons a company edits, and activities with owners and due dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.catalog import get_party
from core.companies import get_company
from core.errors import Conflict, Invalid, NotFound
from plugins.sales.activities import complete, overdue, reschedule, schedule
from plugins.sales.crm_facts import crm_timeline
from plugins.sales.crm_widgets import crm_widgets, pipeline_by_stage
from plugins.sales.events import OpportunityLost, OpportunityWon
from plugins.sales.leads import create_lead
from plugins.sales.models import OpportunityState
from plugins.sales.opportunities import (
    create_opportunity,
    mark_lost,
    mark_won,
    move,
    probability_of,
    reopen,
    update_opportunity,
    weighted,
)
from plugins.sales.pipeline import add_lost_reason, add_stage, retire_lost_reason, stages_of, update_stage
from tests.plugins.sales.conftest import assert_books_sound, combo, make_sales_company, sdb  # noqa: F401
from tests.plugins.sales.crm import Listener, salespeople
from tests.web.pages import snapshot


@pytest.fixture
def acme(sdb):
    make_sales_company(sdb)
    salespeople(sdb)
    return sdb


def test_a_deal_is_won_or_lost_and_every_installed_plugin_hears_it(combo):
    sdb, company, plugins = combo
    salespeople(sdb)
    listener = Listener()
    sdb.plugins.pm.register(listener)
    with sdb.session() as s:
        company = get_company(s, "ACME")
        won = create_opportunity(
            s,
            company,
            "Paper for a year",
            party="C1",
            owner="kim",
            expected_revenue="1,200,000",
            expected_close="2026-06-30",
        )
        assert (won.stage.name, probability_of(won), weighted(company, won)) == ("New", 10, Decimal(120000))
        move(s, company, won.number, "negotiation")
        assert (probability_of(won), weighted(company, won)) == (75, Decimal(900000))
        update_opportunity(s, company, won.number, probability="90")
        assert weighted(company, won) == Decimal(1080000)
        mark_won(s, company, won.number, order="SO00001", date="2026-06-01")
        assert (won.state, won.closed_on, probability_of(won)) == (
            OpportunityState.WON,
            dt.date(2026, 6, 1),
            100,
        )
        lost = create_opportunity(s, company, "Pens", party="C2", expected_revenue="300000")
        with pytest.raises(Invalid):
            mark_lost(s, company, lost.number, "")
        mark_lost(s, company, lost.number, "too expensive", note="went with the cheaper one")
        assert (lost.state, lost.lost_reason.name, probability_of(lost)) == (
            OpportunityState.LOST, "Too expensive", 0)
        assert {e.kind for e in crm_timeline(s, company, get_party(s, company, "C2"))} == {"opportunity"}
        assert_books_sound(s, company)
    first, second = listener.heard
    assert isinstance(first, OpportunityWon) and (first.number, first.customer, first.order, first.owner) == (
        won.number, "C1", "SO00001", "kim")
    assert first.expected_revenue == Decimal(1200000) and first.currency == "KRW"
    assert isinstance(second, OpportunityLost) and (second.reason, second.customer) == ("Too expensive", "C2")


def test_a_listener_that_refuses_undoes_the_win(acme):
    with acme.session() as s:
        number = create_opportunity(s, get_company(s, "ACME"), "Deal").number
    acme.plugins.pm.register(Listener(refuse=True))
    before = snapshot(acme)
    for act in (lambda s, c: mark_won(s, c, number), lambda s, c: mark_lost(s, c, number, "No budget")):
        with pytest.raises(Conflict, match="listener refuses"), acme.session() as s:
            act(s, get_company(s, "ACME"))
        assert snapshot(acme) == before


def test_closed_deals_stay_closed_until_reopened(acme):
    with acme.session() as s:
        company = get_company(s, "ACME")
        deal = create_opportunity(s, company, "Deal", stage="Proposal")
        mark_lost(s, company, deal.number, "No response")
        for act in (lambda: mark_won(s, company, deal.number), lambda: move(s, company, deal.number, "New"),
                    lambda: update_opportunity(s, company, deal.number, name="x"),
                    lambda: mark_lost(s, company, deal.number, "No budget")):
            with pytest.raises(Conflict):
                act()
        reopen(s, company, deal.number)
        assert (deal.state, deal.lost_reason, deal.stage.name) == (OpportunityState.OPEN, None, "Proposal")
        with pytest.raises(Conflict):
            reopen(s, company, deal.number)


def test_bad_input_is_refused_and_writes_nothing(acme):
    with acme.session() as s:
        number = create_opportunity(s, get_company(s, "ACME"), "Deal").number
    before = snapshot(acme)
    refusals = [
        lambda s, c: create_opportunity(s, c, ""), lambda s, c: create_opportunity(s, c, "x", party="NOPE"),
        lambda s, c: create_opportunity(s, c, "x", expected_revenue="-5"),
        lambda s, c: create_opportunity(s, c, "x", probability="101"),
        lambda s, c: create_opportunity(s, c, "x", expected_close="31/12/2026"),
        lambda s, c: create_opportunity(s, c, "x", owner="ghost"),
        lambda s, c: move(s, c, number, "Nowhere"), lambda s, c: mark_lost(s, c, number, "Bad weather"),
        lambda s, c: update_opportunity(s, c, number, expected_revenue="1.5"),
    ]
    for refused in refusals:
        with pytest.raises((Invalid, NotFound, Conflict)), acme.session() as s:
            refused(s, get_company(s, "ACME"))
        assert snapshot(acme) == before


def test_stages_and_lost_reasons_are_the_companys_to_edit(acme):
    with acme.session() as s:
        company = get_company(s, "ACME")
        add_stage(s, company, "Verbal yes", "90")
        with pytest.raises(Conflict):
            add_stage(s, company, "verbal YES", "80")
        update_stage(s, company, "Proposal", new_name="Quote sent", probability="40", sequence="25")
        assert [(st.name, st.probability) for st in stages_of(s, company)] == [
            ("New", 10), ("Qualified", 25), ("Quote sent", 40), ("Negotiation", 75), ("Verbal yes", 90)]
        deal = create_opportunity(s, company, "Deal", stage="Verbal yes")
        with pytest.raises(Conflict, match="holds open opportunities"):
            update_stage(s, company, "Verbal yes", active=False)
        move(s, company, deal.number, "Negotiation")
        update_stage(s, company, "Verbal yes", active=False)
        with pytest.raises(Conflict, match="retired"):
            move(s, company, deal.number, "Verbal yes")
        add_lost_reason(s, company, "Bad timing")
        retire_lost_reason(s, company, "No budget")
        with pytest.raises(Conflict, match="retired"):
            mark_lost(s, company, deal.number, "No budget")
        mark_lost(s, company, deal.number, "bad timing")
    other = make_sales_company(acme, "OTHER")
    with acme.session() as s:
        assert [st.name for st in stages_of(s, other)] == ["New", "Qualified", "Proposal", "Negotiation"]
        with pytest.raises(NotFound):
            mark_lost(s, other, deal.number, "Bad timing")


def test_activities_on_leads_deals_and_customers_fall_overdue(acme):
    today = dt.date.today()
    with acme.session() as s:
        company = get_company(s, "ACME")
        lead = create_lead(s, company, "Minji")
        deal = create_opportunity(s, company, "Deal", party="C1", expected_revenue="1000", stage="Proposal")
        late = schedule(
            s, company, "call", "Call back", today - dt.timedelta(days=2), owner="kim", lead=lead.number
        )
        schedule(
            s, company, "meeting", "Demo", today + dt.timedelta(days=3), owner="kim", opportunity=deal.number
        )
        other = schedule(s, company, "task", "Send the contract", today - dt.timedelta(days=1), owner="lee",
                         party="C1")
        for bad in ({}, {"lead": lead.number, "party": "C1"}):
            with pytest.raises(Invalid):
                schedule(s, company, "call", "x", today, **bad)
        with pytest.raises(Invalid):
            schedule(s, company, "fax", "x", today, party="C1")
        with pytest.raises(Invalid):
            schedule(s, company, "call", "x", "", party="C1")
        kim = late.owner
        assert [a.subject for a in s.scalars(overdue(company, today))] == ["Call back", "Send the contract"]
        assert [a.subject for a in s.scalars(overdue(company, today, owner=kim))] == ["Call back"]
        complete(s, company, late.id, "left a message")
        with pytest.raises(Conflict):
            complete(s, company, late.id)
        reschedule(s, company, other.id, today + dt.timedelta(days=7), owner="kim")
        assert list(s.scalars(overdue(company, today))) == []
        timeline = crm_timeline(s, company, get_party(s, company, "C1"))
        assert {e.title.split(":")[0] for e in timeline if e.kind == "activity"} == {"meeting", "task"}
        assert pipeline_by_stage(s, company)[2] == ("Proposal", 1, Decimal(1000), Decimal(500))
    with acme.session() as s:
        with pytest.raises(NotFound):
            complete(s, make_sales_company(acme, "OTHER"), late.id)


def test_the_dashboard_tiles_list_overdue_activities_and_the_pipeline(acme):
    from tests.web.conftest import make_app

    app = make_app(acme)
    today = dt.date.today()
    with app.test_request_context("/"), acme.session() as s:
        from flask import g

        company = get_company(s, "ACME")
        g.company, g.permissions = company, {"sales.view"}
        schedule(s, company, "call", "Ring <Minji>", today - dt.timedelta(days=1), owner="kim", party="C1")
        create_opportunity(s, company, "Deal", expected_revenue="1000000", stage="Negotiation")
        activities, pipeline = crm_widgets(s, company, None, today)
        assert "Ring &lt;Minji&gt;" in activities.html and "1 overdue in all" in activities.html
        assert "<svg" in pipeline.html and "1 open opportunities" in pipeline.html

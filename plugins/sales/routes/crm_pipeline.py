"""Opportunities: the list, one deal, a new one, changing one, and the
pipeline board (a column per stage; a card moves with a plain form button,
is won, or lost with its reason)."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.errors import NotFound
from core.models import Party, User
from plugins.sales.activities import activity_data, is_overdue
from plugins.sales.crm_common import amount
from plugins.sales.models import Activity, Opportunity, OpportunityState, Stage
from plugins.sales.opportunities import (
    create_opportunity,
    find_opportunity,
    mark_lost,
    mark_won,
    move,
    opportunity_data,
    probability_of,
    reopen,
    update_opportunity,
    weighted,
)
from plugins.sales.pipeline import find_stage, stages_of
from plugins.sales.routes import blueprint
from plugins.sales.routes.crm_common import (
    ActionForm,
    checked,
    may,
    me,
    opportunity_url,
    owner_choices,
    reason_choices,
    stage_choices,
    word,
)
from plugins.sales.routes.crm_forms import LostForm, MoveForm, OpportunityForm
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, NUMBER, Column, choice, detail_page, filter_links, list_page

__all__: list[str] = []

BOARD_CARDS = 200  # cards a column shows (the list has them all)


@blueprint.get("/opportunities", endpoint="opportunities")
@permission("sales.view")
def opportunities():
    owner = aliased(User)
    query = (
        select(Opportunity)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .outerjoin(Party, Party.id == Opportunity.party_id)
        .outerjoin(owner, owner.id == Opportunity.owner_id)
        .where(Opportunity.company_id == g.company.id)
    )
    state = choice("state", {s.value: s for s in OpportunityState})
    if state is not None:
        query = query.where(Opportunity.state == state)
    if choice("mine", {"1": True}):
        query = query.where(Opportunity.owner_id == me().id)
    company = g.company
    columns = [
        Column("number", _l("Number"), Opportunity.number, searchable=True, link=opportunity_url),
        Column("name", _l("Name"), Opportunity.name, searchable=True),
        Column(
            "customer",
            _l("Customer"),
            Party.code,
            searchable=True,
            get=lambda d: d.party.code if d.party else None,
        ),
        Column("stage", _l("Stage"), Stage.sequence, get=lambda d: d.stage.name),
        Column("state", _l("State"), Opportunity.state, get=lambda d: word(d.state)),
        Column(
            "expected_revenue",
            _l("Expected revenue"),
            Opportunity.expected_revenue_units,
            kind=AMOUNT,
            get=lambda d: amount(company, d.expected_revenue_units),
        ),
        Column(
            "probability", _l("Probability (%)"), Opportunity.probability, kind=NUMBER, get=probability_of
        ),
        Column("weighted", _l("Weighted"), None, kind=AMOUNT, get=lambda d: weighted(company, d)),
        Column("expected_close", _l("Expected close"), Opportunity.expected_close, kind=DATE),
        Column("owner", _l("Owner"), owner.username, get=lambda d: d.owner.username if d.owner else None),
    ]
    actions = [(_("Pipeline board"), url_for("sales.board"))]
    if may("sales.crm"):
        actions.insert(0, (_("New opportunity"), url_for("sales.new_opportunity")))
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in OpportunityState]
    return list_page(
        query,
        columns,
        title=_("Opportunities"),
        default_sort="-number",
        tiebreak=[Opportunity.id],
        filename="opportunities",
        template="sales/crm_list.html",
        actions=actions,
        filter_groups=[
            (_("State"), filter_links("state", states)),
            (_("Owner"), filter_links("mine", [("", _("Everyone's")), ("1", _("Mine"))])),
        ],
    )


@blueprint.get("/opportunities/<number>", endpoint="opportunity")
@permission("sales.view")
def opportunity(number: str):
    session = db_session()
    deal = find_opportunity(session, g.company, number)
    activities = session.scalars(select(Activity).where(Activity.company_id == g.company.id,
                                                        Activity.opportunity_id == deal.id)
                                 .order_by(Activity.due, Activity.id)).all()
    record = {**opportunity_data(g.company, deal), "url": opportunity_url(deal),
              "activities": [activity_data(a) for a in activities]}
    return detail_page("sales/crm_opportunity.html", record, deal=deal, data=record, activities=activities,
                       word=word, stages=stages_of(session, g.company), form=ActionForm(),
                       is_overdue=is_overdue)


def _choices(form: OpportunityForm) -> None:
    form.stage.choices, form.owner.choices = stage_choices(), owner_choices()


@blueprint.route("/opportunities/-/new", methods=["GET", "POST"], endpoint="new_opportunity")
@permission("sales.crm")
def new_opportunity():
    form = OpportunityForm()
    _choices(form)
    if request.method == "GET":
        form.owner.data = me().username
        form.party.data = request.args.get("party", "")[:40]
        wanted = request.args.get("stage", "")
        if wanted in {name for name, _label in form.stage.choices}:
            form.stage.data = wanted

    def create():
        deal = create_opportunity(db_session(), g.company, form.name.data, party=form.party.data or None,
                                  stage=form.stage.data or None, owner=form.owner.data or None,
                                  expected_revenue=form.expected_revenue.data or "0",
                                  probability=form.probability.data, expected_close=form.expected_close.data)
        flash(_("Opportunity %(number)s is open.", number=deal.number))
        return redirect(opportunity_url(deal))

    return form_page(form, create, title=_("New opportunity"), cancel=url_for("sales.opportunities"))


@blueprint.route("/opportunities/<number>/edit", methods=["GET", "POST"], endpoint="edit_opportunity")
@permission("sales.crm")
def edit_opportunity(number: str):
    session = db_session()
    deal = find_opportunity(session, g.company, number)
    form = OpportunityForm()
    _choices(form)
    if request.method == "GET":
        data = opportunity_data(g.company, deal)
        form.name.data, form.party.data, form.stage.data = deal.name, data["customer"] or "", deal.stage.name
        form.owner.data, form.expected_revenue.data = data["owner"] or "", f"{data['expected_revenue']:f}"
        form.probability.data = "" if deal.probability is None else str(deal.probability)
        form.expected_close.data = deal.expected_close

    def save():
        update_opportunity(
            session,
            g.company,
            deal.number,
            name=form.name.data,
            party=form.party.data or None,
            owner=form.owner.data or None,
            expected_revenue=form.expected_revenue.data,
            probability=form.probability.data,
            expected_close=form.expected_close.data,
        )
        if form.stage.data and form.stage.data != deal.stage.name:
            move(session, g.company, deal.number, form.stage.data)
        flash(_("Opportunity %(number)s is saved.", number=deal.number))
        return redirect(opportunity_url(deal))

    return form_page(form, save, title=_("Change opportunity %(number)s", number=deal.number),
                     cancel=opportunity_url(deal))


@blueprint.get("/board", endpoint="board")
@permission("sales.view")
def board():
    """The open pipeline: a column per active stage, its cards soonest closing first."""
    session, company = db_session(), g.company
    stages = stages_of(session, company)
    query = (select(Opportunity).where(Opportunity.company_id == company.id,
                                       Opportunity.state == OpportunityState.OPEN)
             .order_by(Opportunity.expected_close.is_(None), Opportunity.expected_close, Opportunity.id))
    mine = choice("mine", {"1": True})
    if mine:
        query = query.where(Opportunity.owner_id == me().id)
    cards, totals = defaultdict(list), defaultdict(lambda: [0, 0, 0])
    for deal in session.scalars(query):
        if len(cards[deal.stage_id]) < BOARD_CARDS:
            cards[deal.stage_id].append(deal)
        total = totals[deal.stage_id]
        total[0] += 1
        total[1] += amount(company, deal.expected_revenue_units)
        total[2] += weighted(company, deal)
    columns = [{"stage": s, "cards": cards[s.id], "count": totals[s.id][0], "expected": totals[s.id][1],
                "weighted": totals[s.id][2]} for s in stages]
    record = {"stages": [{"name": c["stage"].name, "probability": c["stage"].probability, "count": c["count"],
                          "expected": c["expected"], "weighted": c["weighted"],
                          "cards": [opportunity_data(company, d) for d in c["cards"]]} for c in columns]}
    return detail_page("sales/crm_board.html", record, columns=columns, stages=stages, form=ActionForm(),
                       mine=bool(mine), amount=amount, weighted=weighted, probability_of=probability_of,
                       filters=filter_links("mine", [("", _("Everyone's")), ("1", _("Mine"))]))


def _back(deal) -> str:
    """Back where the button was pressed: the board or the deal's page."""
    return url_for("sales.board") if request.form.get("back") == "board" else opportunity_url(deal)


@blueprint.post("/opportunities/<number>/move", endpoint="move_opportunity")
@permission("sales.crm")
def move_opportunity(number: str):
    form = MoveForm()
    checked(form)
    deal = find_opportunity(db_session(), g.company, number)  # an unknown deal is 404, an unknown stage 400
    try:
        find_stage(db_session(), g.company, form.stage.data)
    except NotFound as exc:
        abort(400, str(exc))
    deal = move(db_session(), g.company, deal.number, form.stage.data)
    flash(_("%(number)s is in %(stage)s now.", number=deal.number, stage=deal.stage.name))
    return redirect(_back(deal))


@blueprint.post("/opportunities/<number>/won", endpoint="win_opportunity")
@permission("sales.crm")
def win_opportunity(number: str):
    checked(ActionForm())
    deal = mark_won(db_session(), g.company, number)
    flash(_("%(number)s is won.", number=deal.number))
    return redirect(_back(deal))


@blueprint.route("/opportunities/<number>/lost", methods=["GET", "POST"], endpoint="lose_opportunity")
@permission("sales.crm")
def lose_opportunity(number: str):
    deal = find_opportunity(db_session(), g.company, number)
    form = LostForm()
    form.reason.choices = reason_choices()

    def done():
        mark_lost(db_session(), g.company, deal.number, form.reason.data, note=form.note.data)
        flash(_("%(number)s is lost: %(reason)s.", number=deal.number, reason=deal.lost_reason.name))
        return redirect(opportunity_url(deal))

    return form_page(form, done, title=_("Opportunity %(number)s is lost", number=deal.number),
                     submit=_("Mark lost"), cancel=opportunity_url(deal))


@blueprint.post("/opportunities/<number>/reopen", endpoint="reopen_opportunity")
@permission("sales.crm")
def reopen_opportunity(number: str):
    checked(ActionForm())
    deal = reopen(db_session(), g.company, number)
    flash(_("%(number)s is open again.", number=deal.number))
    return redirect(opportunity_url(deal))

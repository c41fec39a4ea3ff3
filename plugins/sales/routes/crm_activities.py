"""Activities: the list (mine, overdue, done ones too), one activity, a new
one on a lead, an opportunity or a customer, and marking one done."""

from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.models import User
from plugins.sales.activities import (
    activity_data,
    complete,
    find_activity,
    is_overdue,
    overdue_condition,
    schedule,
    subject_of,
)
from plugins.sales.models import Activity, ActivityKind
from plugins.sales.routes import blueprint
from plugins.sales.routes.crm_common import checked, may, me, owner_choices, word
from plugins.sales.routes.crm_forms import ActivityForm, CompleteForm
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import DATE, Column, choice, detail_page, filter_links, list_page

__all__: list[str] = []


def activity_url(activity: Activity) -> str:
    return url_for("sales.activity", activity_id=activity.id)


def about_url(activity: Activity) -> str:
    kind, reference = subject_of(activity)
    if kind == "lead":
        return url_for("sales.lead", number=reference)
    if kind == "opportunity":
        return url_for("sales.opportunity", number=reference)
    return url_for("parties.party", code=reference)


@blueprint.get("/activities", endpoint="activities")
@permission("sales.view")
def activities():
    owner = aliased(User)
    today = dt.date.today()
    query = (select(Activity).outerjoin(owner, owner.id == Activity.owner_id)
             .where(Activity.company_id == g.company.id))
    if not choice("done", {"1": True}):
        query = query.where(Activity.done_at.is_(None))
    if choice("overdue", {"1": True}):
        query = query.where(overdue_condition(today))
    if choice("mine", {"1": True}):
        query = query.where(Activity.owner_id == me().id)
    columns = [
        Column("due", _l("Due"), Activity.due, kind=DATE),
        Column("kind", _l("Kind"), Activity.kind, get=lambda a: word(a.kind)),
        Column("subject", _l("Subject"), Activity.subject, searchable=True, link=activity_url),
        Column("about", _l("About"), None, get=lambda a: " ".join(subject_of(a)), link=about_url),
        Column("owner", _l("Owner"), owner.username, get=lambda a: a.owner.username if a.owner else None),
        Column(
            "state",
            _l("State"),
            Activity.done_at,
            get=lambda a: _("done") if a.done_at else _("overdue") if is_overdue(a, today) else _("to do"),
        ),
        Column("outcome", _l("Outcome"), Activity.outcome, searchable=True),
    ]
    actions = [(_("New activity"), url_for("sales.new_activity"))] if may("sales.crm") else []
    return list_page(query, columns, title=_("Activities"), default_sort="due", tiebreak=[Activity.id],
                     filename="activities", template="sales/crm_list.html", actions=actions,
                     filter_groups=[
                         (_("Owner"), filter_links("mine", [("", _("Everyone's")), ("1", _("Mine"))])),
                         (_("When"), filter_links("overdue", [("", _("Any day")), ("1", _("Overdue"))])),
                         (_("Done"), filter_links("done", [("", _("To do")), ("1", _("Done ones too"))]))])


@blueprint.get("/activities/<int:activity_id>", endpoint="activity")
@permission("sales.view")
def activity(activity_id: int):
    found = find_activity(db_session(), g.company, activity_id)
    record = {**activity_data(found), "url": activity_url(found)}
    return detail_page("sales/crm_activity.html", record, activity=found, data=record, word=word,
                       about=about_url(found), form=CompleteForm())


@blueprint.route("/activities/-/new", methods=["GET", "POST"], endpoint="new_activity")
@permission("sales.crm")
def new_activity():
    form = ActivityForm()
    form.kind.choices = [(k.value, word(k).capitalize()) for k in ActivityKind]
    form.owner.choices = owner_choices()
    if request.method == "GET":
        form.owner.data, form.due.data = me().username, dt.date.today()
        for name in ("lead", "opportunity", "party"):
            getattr(form, name).data = request.args.get(name, "")[:40]

    def create():
        made = schedule(db_session(), g.company, form.kind.data, form.subject.data, form.due.data,
                        owner=form.owner.data or None, lead=form.lead.data, opportunity=form.opportunity.data,
                        party=form.party.data, notes=form.notes.data)
        flash(_("The %(kind)s is scheduled for %(due)s.", kind=word(made.kind), due=made.due.isoformat()))
        return redirect(about_url(made))

    return form_page(form, create, title=_("New activity"), cancel=url_for("sales.activities"))


@blueprint.post("/activities/<int:activity_id>/done", endpoint="complete_activity")
@permission("sales.crm")
def complete_activity(activity_id: int):
    form = CompleteForm()
    checked(form)
    done = complete(db_session(), g.company, activity_id, form.outcome.data)
    flash(_("“%(subject)s” is done.", subject=done.subject))
    return redirect(activity_url(done))

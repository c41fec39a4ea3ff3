"""Leads: the list (best score first), one lead with the factors of its
score, capturing one, importing a CSV file, qualifying, disqualifying and
converting into a customer and an opportunity."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.models import Party, User
from plugins.sales.activities import activity_data, is_overdue
from plugins.sales.lead_import import COLUMNS, import_leads
from plugins.sales.leads import convert, create_lead, disqualify, find_lead, lead_data, qualify, update_lead
from plugins.sales.models import Activity, Lead, LeadSource, LeadState, Opportunity
from plugins.sales.routes import blueprint
from plugins.sales.routes.crm_common import (
    ActionForm,
    checked,
    factor_label,
    lead_url,
    may,
    me,
    opportunity_url,
    owner_choices,
    stage_choices,
    word,
)
from plugins.sales.routes.crm_forms import ConvertForm, DisqualifyForm, ImportForm, LeadForm
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import DATE, NUMBER, Column, choice, detail_page, filter_links, list_page

__all__: list[str] = []

_FIELDS = ("organisation", "email", "phone", "tax_id", "region", "country", "industry", "employees", "budget",
           "message")


@blueprint.get("/leads", endpoint="leads")
@permission("sales.view")
def leads():
    owner, duplicate = aliased(User), aliased(Party)
    query = (
        select(Lead)
        .outerjoin(owner, owner.id == Lead.owner_id)
        .outerjoin(duplicate, duplicate.id == Lead.duplicate_of_id)
        .where(Lead.company_id == g.company.id)
    )
    state = choice("state", {s.value: s for s in LeadState})
    if state is not None:
        query = query.where(Lead.state == state)
    source = choice("source", {s.value: s for s in LeadSource})
    if source is not None:
        query = query.where(Lead.source == source)
    if choice("mine", {"1": True}):
        query = query.where(Lead.owner_id == me().id)
    columns = [
        Column("number", _l("Number"), Lead.number, searchable=True, link=lead_url),
        Column("contact_name", _l("Contact"), Lead.contact_name, searchable=True),
        Column("organisation", _l("Organisation"), Lead.organisation, searchable=True),
        Column("email", _l("E-mail"), Lead.email, searchable=True),
        Column("source", _l("Source"), Lead.source, get=lambda lead: word(lead.source)),
        Column("state", _l("State"), Lead.state, get=lambda lead: word(lead.state)),
        Column("score", _l("Score"), Lead.score, kind=NUMBER),
        Column(
            "owner", _l("Owner"), owner.username, get=lambda lead: lead.owner.username if lead.owner else None
        ),
        Column(
            "duplicate_of",
            _l("Possible duplicate of"),
            duplicate.code,
            get=lambda lead: lead.duplicate_of.code if lead.duplicate_of else None,
        ),
        Column(
            "created_at", _l("Captured"), Lead.created_at, kind=DATE, get=lambda lead: lead.created_at.date()
        ),
    ]
    actions = [(_("New lead"), url_for("sales.new_lead")), (_("Import CSV"), url_for("sales.import_leads"))] \
        if may("sales.crm") else []
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in LeadState]
    sources = [("", _("Any source"))] + [(s.value, word(s).capitalize()) for s in LeadSource]
    return list_page(
        query,
        columns,
        title=_("Leads"),
        default_sort="-score",
        tiebreak=[Lead.id],
        filename="leads",
        template="sales/crm_list.html",
        actions=actions,
        note=_(
            "Visitors reach you through the public enquiry form at %(url)s",
            url=url_for("sales.enquiry", _external=True),
        ),
        filter_groups=[
            (_("State"), filter_links("state", states)),
            (_("Source"), filter_links("source", sources)),
            (_("Owner"), filter_links("mine", [("", _("Everyone's")), ("1", _("Mine"))])),
        ],
    )


@blueprint.get("/leads/<number>", endpoint="lead")
@permission("sales.view")
def lead(number: str):
    session = db_session()
    found = find_lead(session, g.company, number)
    activities = session.scalars(
        select(Activity)
        .where(Activity.company_id == g.company.id, Activity.lead_id == found.id)
        .order_by(Activity.due)
    ).all()
    deals = session.scalars(
        select(Opportunity)
        .where(Opportunity.company_id == g.company.id, Opportunity.lead_id == found.id)
        .order_by(Opportunity.id)
    ).all()
    record = {**lead_data(g.company, found), "url": lead_url(found),
              "activities": [activity_data(a) for a in activities],
              "opportunities": [{"number": d.number, "url": opportunity_url(d)} for d in deals]}
    return detail_page(
        "sales/crm_lead.html",
        record,
        lead=found,
        data=record,
        activities=activities,
        deals=deals,
        word=word,
        form=ActionForm(),
        is_overdue=is_overdue,
        factor_label=factor_label,
    )


def _lead_form(form: LeadForm) -> None:
    form.source.choices = [(s.value, word(s).capitalize()) for s in LeadSource]
    form.owner.choices = owner_choices()


@blueprint.route("/leads/-/new", methods=["GET", "POST"], endpoint="new_lead")
@permission("sales.crm")
def new_lead():
    form = LeadForm()
    _lead_form(form)
    if request.method == "GET":
        form.source.data, form.owner.data = LeadSource.MANUAL.value, me().username

    def create():
        made = create_lead(
            db_session(),
            g.company,
            form.contact_name.data,
            source=form.source.data,
            owner=form.owner.data or None,
            **{name: getattr(form, name).data for name in _FIELDS},
        )
        if made.duplicate_of is not None:
            flash(_("Lead %(number)s is captured; it may be party %(code)s (%(reason)s).", number=made.number,
                    code=made.duplicate_of.code, reason=made.duplicate_reason), "error")
        else:
            flash(_("Lead %(number)s is captured.", number=made.number))
        return redirect(lead_url(made))

    return form_page(form, create, title=_("New lead"), cancel=url_for("sales.leads"))


@blueprint.route("/leads/<number>/edit", methods=["GET", "POST"], endpoint="edit_lead")
@permission("sales.crm")
def edit_lead(number: str):
    found = find_lead(db_session(), g.company, number)
    form = LeadForm()
    _lead_form(form)
    del form.source  # where a lead came from stays as captured
    if request.method == "GET":
        data = lead_data(g.company, found)
        for name in ("contact_name", *_FIELDS):
            value = data[name]
            getattr(form, name).data = (
                "" if value is None else f"{value:f}" if name == "budget" else str(value)
            )
        form.owner.data = data["owner"] or ""

    def save():
        update_lead(
            db_session(),
            g.company,
            found.number,
            owner=form.owner.data or None,
            contact_name=form.contact_name.data,
            **{name: getattr(form, name).data for name in _FIELDS},
        )
        flash(_("Lead %(number)s is saved.", number=found.number))
        return redirect(lead_url(found))

    return form_page(
        form, save, title=_("Change lead %(number)s", number=found.number), cancel=lead_url(found)
    )


@blueprint.route("/leads/-/import", methods=["GET", "POST"], endpoint="import_leads")
@permission("sales.crm")
def import_file():
    form = ImportForm()

    def load():
        made = import_leads(db_session(), g.company, form.file.data.read())
        flagged = sum(1 for m in made if m.duplicate_of is not None)
        flash(_("%(count)s leads are imported; %(flagged)s may be parties already known.", count=len(made),
                flagged=flagged))
        return redirect(url_for("sales.leads", sort="-score"))

    return form_page(form, load, template="sales/crm_import.html", title=_("Import leads"), columns=COLUMNS,
                     cancel=url_for("sales.leads"))


@blueprint.post("/leads/<number>/qualify", endpoint="qualify_lead")
@permission("sales.crm")
def qualify_lead(number: str):
    checked(ActionForm())
    found = qualify(db_session(), g.company, number)
    flash(_("Lead %(number)s is qualified.", number=found.number))
    return redirect(lead_url(found))


@blueprint.route("/leads/<number>/disqualify", methods=["GET", "POST"], endpoint="disqualify_lead")
@permission("sales.crm")
def disqualify_lead(number: str):
    found = find_lead(db_session(), g.company, number)
    form = DisqualifyForm()

    def done():
        disqualify(db_session(), g.company, found.number, form.reason.data)
        flash(_("Lead %(number)s is disqualified.", number=found.number))
        return redirect(lead_url(found))

    return form_page(form, done, title=_("Disqualify lead %(number)s", number=found.number),
                     submit=_("Disqualify"), cancel=lead_url(found))


@blueprint.route("/leads/<number>/convert", methods=["GET", "POST"], endpoint="convert_lead")
@permission("sales.crm")
def convert_lead(number: str):
    found = find_lead(db_session(), g.company, number)
    form = ConvertForm()
    form.stage.choices, form.owner.choices = stage_choices(), owner_choices()
    if request.method == "GET":
        form.party.data = found.duplicate_of.code if found.duplicate_of else ""
        form.name.data = found.organisation or found.contact_name
        form.owner.data = found.owner.username if found.owner else me().username
        budget = lead_data(g.company, found)["budget"]
        form.expected_revenue.data = f"{budget:f}" if budget is not None else ""

    def done():
        customer, deal = convert(
            db_session(),
            g.company,
            found.number,
            party=(form.party.data or "").strip() or None,
            new_party=(form.new_party.data or "").strip() or None,
            opportunity=form.opportunity.data,
            name=form.name.data or None,
            expected_revenue=form.expected_revenue.data,
            expected_close=form.expected_close.data,
            stage=form.stage.data or None,
            owner=form.owner.data or None,
        )
        if deal is not None:
            flash(
                _(
                    "Lead %(number)s is now customer %(code)s with opportunity %(deal)s.",
                    number=found.number,
                    code=customer.code,
                    deal=deal.number,
                )
            )
            return redirect(opportunity_url(deal))
        flash(_("Lead %(number)s is now customer %(code)s.", number=found.number, code=customer.code))
        return redirect(lead_url(found))

    return form_page(form, done, title=_("Convert lead %(number)s", number=found.number), submit=_("Convert"),
                     cancel=lead_url(found))

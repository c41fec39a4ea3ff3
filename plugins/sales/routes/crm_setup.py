"""Setting the CRM up: the pipeline's stages and lost reasons, and lead
scoring (the company's rules, the model learned from its history and
the open leads with the factors of their scores).

Reading needs ``sales.view``; changing needs ``sales.manage``.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from plugins.sales.models import (
    Lead,
    LeadState,
    LostReason,
    Opportunity,
    OpportunityState,
    RuleOperator,
    Stage,
)
from plugins.sales.pipeline import (
    add_lost_reason,
    add_stage,
    lost_reasons_of,
    retire_lost_reason,
    stage_data,
    stages_of,
    update_stage,
)
from plugins.sales.routes import blueprint
from plugins.sales.routes.crm_common import CRM_TABS, ActionForm, checked, factor_label, word
from plugins.sales.routes.crm_forms import LostReasonForm, RuleForm, StageForm
from plugins.sales.scoring import (
    FIELDS,
    active_model,
    add_rule,
    history,
    model_data,
    remove_rule,
    rule_data,
    rules_of,
    train_model,
)
from web.access import permission
from web.auth import wants_json
from web.context import db_session
from web.forms import form_page

__all__: list[str] = []

TOP_LEADS = 20


@blueprint.get("/stages", endpoint="stages")
@permission("sales.view")
def stages():
    session = db_session()
    everything = stages_of(session, g.company, everything=True)
    open_counts = dict(session.execute(
        select(Opportunity.stage_id, func.count()).where(Opportunity.company_id == g.company.id,
                                                         Opportunity.state == OpportunityState.OPEN)
        .group_by(Opportunity.stage_id)).all())
    reasons = lost_reasons_of(session, g.company)
    if wants_json():
        from flask import jsonify

        return jsonify(stages=[{**stage_data(s), "open": open_counts.get(s.id, 0)} for s in everything],
                       lost_reasons=[r.name for r in reasons])
    return render_template(
        "sales/crm_stages.html",
        stages=everything,
        open_counts=open_counts,
        reasons=reasons,
        tabs=CRM_TABS,
        form=ActionForm(),
        reason_form=LostReasonForm(formdata=None),
    )


def _stage(stage_id: int) -> Stage:
    found = db_session().scalar(select(Stage).where(Stage.company_id == g.company.id, Stage.id == stage_id))
    if found is None:
        abort(404, _("No such stage."))
    return found


@blueprint.route("/stages/-/new", methods=["GET", "POST"], endpoint="new_stage")
@permission("sales.manage")
def new_stage():
    form = StageForm()

    def create():
        made = add_stage(db_session(), g.company, form.name.data, form.probability.data,
                         sequence=form.sequence.data or None)
        flash(_("Stage %(name)s is added.", name=made.name))
        return redirect(url_for("sales.stages"))

    return form_page(form, create, title=_("New stage"), cancel=url_for("sales.stages"))


@blueprint.route("/stages/<int:stage_id>/edit", methods=["GET", "POST"], endpoint="edit_stage")
@permission("sales.manage")
def edit_stage(stage_id: int):
    stage = _stage(stage_id)
    form = StageForm()
    if request.method == "GET":
        form.name.data, form.probability.data = stage.name, str(stage.probability)
        form.sequence.data, form.active.data = str(stage.sequence), stage.active

    def save():
        update_stage(db_session(), g.company, str(stage.id), new_name=form.name.data,
                     probability=form.probability.data, sequence=form.sequence.data or None,
                     active=form.active.data)
        flash(_("Stage %(name)s is saved.", name=stage.name))
        return redirect(url_for("sales.stages"))

    return form_page(
        form, save, title=_("Change stage %(name)s", name=stage.name), cancel=url_for("sales.stages")
    )


@blueprint.route("/lost-reasons/-/new", methods=["GET", "POST"], endpoint="new_lost_reason")
@permission("sales.manage")
def new_lost_reason():
    form = LostReasonForm()

    def create():
        made = add_lost_reason(db_session(), g.company, form.name.data)
        flash(_("Lost reason “%(name)s” is added.", name=made.name))
        return redirect(url_for("sales.stages"))

    return form_page(form, create, title=_("New lost reason"), cancel=url_for("sales.stages"))


@blueprint.post("/lost-reasons/<int:reason_id>/retire", endpoint="retire_lost_reason")
@permission("sales.manage")
def retire_reason(reason_id: int):
    checked(ActionForm())
    reason = db_session().scalar(select(LostReason).where(LostReason.company_id == g.company.id,
                                                          LostReason.id == reason_id, LostReason.active))
    if reason is None:
        abort(404, _("No such lost reason."))
    retire_lost_reason(db_session(), g.company, str(reason.id))
    flash(_("Lost reason “%(name)s” is retired.", name=reason.name))
    return redirect(url_for("sales.stages"))


# -- scoring ---------------------------------------------------------------------------------------

@blueprint.get("/scoring", endpoint="scoring")
@permission("sales.view")
def scoring():
    session, company = db_session(), g.company
    rules = rules_of(session, company)
    model = model_data(active_model(session, company))
    samples = history(session, company)
    leads = session.scalars(select(Lead).where(Lead.company_id == company.id,
                                               Lead.state.in_([LeadState.NEW, LeadState.QUALIFIED]))
                            .order_by(Lead.score.desc().nulls_last(), Lead.id).limit(TOP_LEADS)).all()
    if wants_json():
        from flask import jsonify

        return jsonify(
            rules=[rule_data(r) for r in rules],
            model=model,
            history={"samples": len(samples), "won": sum(label for _f, label in samples)},
            leads=[
                {"number": lead.number, "score": lead.score, "factors": lead.score_factors or []}
                for lead in leads
            ],
        )
    return render_template("sales/crm_scoring.html", rules=rules, model=model, leads=leads, tabs=CRM_TABS,
                           samples=len(samples), won=sum(label for _f, label in samples), word=word,
                           factor_label=factor_label,
                           form=ActionForm())


@blueprint.route("/scoring/rules/-/new", methods=["GET", "POST"], endpoint="new_scoring_rule")
@permission("sales.manage")
def new_scoring_rule():
    form = RuleForm()
    form.field.choices = [(f, f.replace("_", " ")) for f in FIELDS]
    form.operator.choices = [(o.value, word(o)) for o in RuleOperator]

    def create():
        made = add_rule(db_session(), g.company, form.field.data, form.operator.data, form.value.data,
                        form.points.data, form.label.data)
        flash(_("Rule “%(label)s” is added; the open leads are scored again.", label=made.label))
        return redirect(url_for("sales.scoring"))

    return form_page(form, create, title=_("New scoring rule"), cancel=url_for("sales.scoring"))


@blueprint.post("/scoring/rules/<int:rule_id>/remove", endpoint="remove_scoring_rule")
@permission("sales.manage")
def remove_scoring_rule(rule_id: int):
    checked(ActionForm())
    remove_rule(db_session(), g.company, rule_id)
    flash(_("The rule is removed; the open leads are scored again."))
    return redirect(url_for("sales.scoring"))


@blueprint.post("/scoring/train", endpoint="train_model")
@permission("sales.manage")
def train():
    checked(ActionForm())
    model = train_model(db_session(), g.company)
    flash(_("The model learned from %(samples)s leads (%(won)s won); the open leads are scored again.",
            samples=model.samples, won=model.won))
    return redirect(url_for("sales.scoring"))

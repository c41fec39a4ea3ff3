"""``jangbu sales opportunity|stage|activity``: the pipeline and the work on it."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from core.models import User
from core.values import parse_date
from plugins.sales.activities import (
    activity_data,
    complete,
    open_activities,
    overdue,
    reschedule,
    schedule,
)
from plugins.sales.crm_common import member
from plugins.sales.crm_widgets import pipeline_by_stage
from plugins.sales.models import ActivityKind, Opportunity, OpportunityState
from plugins.sales.opportunities import (
    create_opportunity,
    find_opportunity,
    mark_lost,
    mark_won,
    move,
    opportunity_data,
    reopen,
    update_opportunity,
)
from plugins.sales.pipeline import (
    add_lost_reason,
    add_stage,
    find_stage,
    lost_reasons_of,
    retire_lost_reason,
    stage_data,
    stages_of,
    update_stage,
)

__all__ = ["opportunity", "stage", "activity"]


def _show(env: Env, data: dict, heading: str) -> None:
    env.emit(data, lambda: click.echo(
        f"{heading}: {data['number']} {data['name']} [{data['state'].value}] stage {data['stage']}, "
        f"{data['expected_revenue']} × {data['probability']}% = {data['weighted']}"
        + (f", customer {data['customer']}" if data["customer"] else "")
        + (f", closes {data['expected_close']}" if data["expected_close"] else "")
        + (f", lost: {data['lost_reason']}" if data["lost_reason"] else "")))


@click.group()
def opportunity() -> None:
    """Opportunities: the deals of the pipeline."""


@opportunity.command("add")
@click.argument("name")
@click.option("--customer", help="The party (code).")
@click.option("--lead", help="The lead it came from.")
@click.option("--stage", help="Default: the first stage.")
@click.option("--owner")
@click.option("--revenue", metavar="AMOUNT", default="0", show_default=True, help="Expected revenue.")
@click.option("--probability", help="0-100; default: the stage's.")
@click.option("--close", metavar="DATE", help="Expected close date.")
@click.pass_obj
def opportunity_add(env: Env, name, customer, lead, stage, owner, revenue, probability, close) -> None:
    """A new opportunity."""
    with env.session() as session:
        company = env.company(session)
        data = opportunity_data(
            company,
            create_opportunity(
                session,
                company,
                name,
                party=customer,
                lead=lead,
                stage=stage,
                owner=owner,
                expected_revenue=revenue,
                probability=probability,
                expected_close=close,
            ),
        )
    _show(env, data, "opportunity created")


@opportunity.command("list")
@click.option("--state", type=click.Choice([s.value for s in OpportunityState]))
@click.option("--stage")
@click.option("--owner")
@click.pass_obj
def opportunity_list(env: Env, state, stage, owner) -> None:
    """Opportunities, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = (
            select(Opportunity).where(Opportunity.company_id == company.id).order_by(Opportunity.id.desc())
        )
        if state:
            query = query.where(Opportunity.state == OpportunityState(state))
        if stage:
            query = query.where(Opportunity.stage_id == find_stage(session, company, stage).id)
        if owner:
            query = query.where(Opportunity.owner_id == member(session, company, owner).id)
        data = [opportunity_data(company, d) for d in session.scalars(query)]
    env.emit(data, lambda: env.table(
        ["number", "name", "customer", "stage", "state", "revenue", "prob.", "weighted", "close", "owner"],
        [[d["number"], d["name"], d["customer"], d["stage"], d["state"].value, d["expected_revenue"],
          d["probability"], d["weighted"], d["expected_close"], d["owner"]] for d in data], [5, 6, 7]))


@opportunity.command("show")
@click.argument("number")
@click.pass_obj
def opportunity_show(env: Env, number: str) -> None:
    with env.session() as session:
        company = env.company(session)
        data = opportunity_data(company, find_opportunity(session, company, number))
    _show(env, data, "opportunity")


@opportunity.command("update")
@click.argument("number")
@click.option("--name")
@click.option("--customer")
@click.option("--owner")
@click.option("--revenue", metavar="AMOUNT")
@click.option("--probability", help="0-100, or 'stage' to follow the stage again.")
@click.option("--close", metavar="DATE")
@click.pass_obj
def opportunity_update(env: Env, number, **given) -> None:
    """Change an open opportunity."""
    changes = {key: value for key, value in given.items() if value is not None}
    renamed = {"customer": "party", "revenue": "expected_revenue", "close": "expected_close"}
    changes = {renamed.get(k, k): v for k, v in changes.items()}
    if changes.get("probability") == "stage":
        changes["probability"] = None
    with env.session() as session:
        company = env.company(session)
        data = opportunity_data(company, update_opportunity(session, company, number, **changes))
    _show(env, data, "opportunity changed")


@opportunity.command("move")
@click.argument("number")
@click.argument("stage_name", metavar="STAGE")
@click.pass_obj
def opportunity_move(env: Env, number: str, stage_name: str) -> None:
    """Move an open opportunity to STAGE."""
    with env.session() as session:
        company = env.company(session)
        data = opportunity_data(company, move(session, company, number, stage_name))
    _show(env, data, "opportunity moved")


@opportunity.command("won")
@click.argument("number")
@click.option("--order", help="The order that won it.")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def opportunity_won(env: Env, number: str, order: Optional[str], date: Optional[str]) -> None:
    with env.session() as session:
        company = env.company(session)
        data = opportunity_data(company, mark_won(session, company, number, order=order, date=date))
    _show(env, data, "opportunity won")


@opportunity.command("lost")
@click.argument("number")
@click.option("--reason", required=True, help="One of the company's lost reasons.")
@click.option("--note")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def opportunity_lost(env: Env, number: str, reason: str, note: Optional[str], date: Optional[str]) -> None:
    with env.session() as session:
        company = env.company(session)
        data = opportunity_data(company, mark_lost(session, company, number, reason, note=note, date=date))
    _show(env, data, "opportunity lost")


@opportunity.command("reopen")
@click.argument("number")
@click.pass_obj
def opportunity_reopen(env: Env, number: str) -> None:
    """Open a won or lost opportunity again."""
    with env.session() as session:
        company = env.company(session)
        data = opportunity_data(company, reopen(session, company, number))
    _show(env, data, "opportunity reopened")


@opportunity.command("pipeline")
@click.pass_obj
def opportunity_pipeline(env: Env) -> None:
    """Open opportunities by stage: how many, expected and weighted revenue."""
    with env.session() as session:
        rows = pipeline_by_stage(session, env.company(session))
    data = [{"stage": n, "count": c, "expected": e, "weighted": w} for n, c, e, w in rows]
    env.emit(data, lambda: env.table(["stage", "open", "expected", "weighted"],
                                     [[d["stage"], d["count"], d["expected"], d["weighted"]] for d in data],
                                     [1, 2, 3]))


@click.group()
def stage() -> None:
    """The pipeline's stages and lost reasons."""


@stage.command("list")
@click.option("--all", "everything", is_flag=True, help="Retired stages too.")
@click.pass_obj
def stage_list(env: Env, everything: bool) -> None:
    with env.session() as session:
        data = [stage_data(s) for s in stages_of(session, env.company(session), everything=everything)]
    env.emit(
        data,
        lambda: env.table(
            ["name", "sequence", "probability", "active"],
            [[d["name"], d["sequence"], d["probability"], d["active"]] for d in data],
            [1, 2],
        ),
    )


@stage.command("add")
@click.argument("name")
@click.option("--probability", required=True, help="0-100.")
@click.option("--sequence", help="Where it goes (default: last).")
@click.pass_obj
def stage_add(env: Env, name: str, probability: str, sequence: Optional[str]) -> None:
    with env.session() as session:
        data = stage_data(add_stage(session, env.company(session), name, probability, sequence=sequence))
    env.emit(data, f"stage {data['name']} added ({data['probability']}%)")


@stage.command("set")
@click.argument("name")
@click.option("--name", "new_name", help="A new name.")
@click.option("--probability")
@click.option("--sequence")
@click.option("--active/--retired", default=None)
@click.pass_obj
def stage_set(env: Env, name: str, new_name, probability, sequence, active) -> None:
    """Rename, reweigh, reorder, retire or bring back a stage."""
    with env.session() as session:
        data = stage_data(update_stage(session, env.company(session), name, new_name=new_name,
                                       probability=probability, sequence=sequence, active=active))
    env.emit(
        data, f"stage {data['name']}: {data['probability']}%, {'active' if data['active'] else 'retired'}"
    )


@stage.command("reasons")
@click.pass_obj
def stage_reasons(env: Env) -> None:
    """The lost reasons."""
    with env.session() as session:
        data = [r.name for r in lost_reasons_of(session, env.company(session))]
    env.emit(data, lambda: [click.echo(name) for name in data])


@stage.command("add-reason")
@click.argument("name")
@click.pass_obj
def stage_add_reason(env: Env, name: str) -> None:
    with env.session() as session:
        data = add_lost_reason(session, env.company(session), name).name
    env.emit({"name": data}, f"lost reason {data!r} added")


@stage.command("retire-reason")
@click.argument("name")
@click.pass_obj
def stage_retire_reason(env: Env, name: str) -> None:
    with env.session() as session:
        data = retire_lost_reason(session, env.company(session), name).name
    env.emit({"name": data}, f"lost reason {data!r} retired")


@click.group()
def activity() -> None:
    """Calls, meetings, e-mails and tasks on leads, opportunities and customers."""


@activity.command("add")
@click.argument("kind", type=click.Choice([k.value for k in ActivityKind]))
@click.argument("subject")
@click.option("--due", required=True, metavar="DATE")
@click.option("--lead")
@click.option("--opportunity", "deal")
@click.option("--customer", help="A party code.")
@click.option("--owner")
@click.option("--notes")
@click.pass_obj
def activity_add(env: Env, kind, subject, due, lead, deal, customer, owner, notes) -> None:
    """A new activity on one lead, opportunity or customer."""
    with env.session() as session:
        data = activity_data(
            schedule(
                session,
                env.company(session),
                kind,
                subject,
                due,
                owner=owner,
                lead=lead,
                opportunity=deal,
                party=customer,
                notes=notes,
            )
        )
    env.emit(
        data, f"activity {data['id']} scheduled for {data['due']} on {data['about']} {data['reference']}"
    )


@activity.command("list")
@click.option("--owner", help="One salesperson's.")
@click.option("--overdue", "late", is_flag=True, help="Only those past their due date.")
@click.option("--today", metavar="DATE", hidden=True)
@click.pass_obj
def activity_list(env: Env, owner: Optional[str], late: bool, today: Optional[str]) -> None:
    """Activities not done yet, soonest due first."""
    day = parse_date(today) if today else dt.date.today()
    with env.session() as session:
        company = env.company(session)
        user: Optional[User] = member(session, company, owner) if owner else None
        query = overdue(company, day, owner=user) if late else open_activities(company, owner=user)
        data = [activity_data(a) for a in session.scalars(query)]
    env.emit(data, lambda: env.table(["id", "kind", "subject", "due", "owner", "about", "overdue"],
                                     [[d["id"], d["kind"].value, d["subject"], d["due"], d["owner"],
                                       f"{d['about']} {d['reference']}", "yes" if d["overdue"] else ""]
                                      for d in data]))


@activity.command("done")
@click.argument("activity_id")
@click.option("--outcome")
@click.pass_obj
def activity_done(env: Env, activity_id: str, outcome: Optional[str]) -> None:
    with env.session() as session:
        data = activity_data(complete(session, env.company(session), activity_id, outcome))
    env.emit(data, f"activity {data['id']} done")


@activity.command("reschedule")
@click.argument("activity_id")
@click.option("--due", required=True, metavar="DATE")
@click.option("--owner")
@click.pass_obj
def activity_reschedule(env: Env, activity_id: str, due: str, owner: Optional[str]) -> None:
    with env.session() as session:
        company = env.company(session)
        data = activity_data(reschedule(session, company, activity_id, due,
                                        **({"owner": owner} if owner is not None else {})))
    env.emit(data, f"activity {data['id']} due {data['due']}")

"""``jangbu sales lead|scoring`` (here) and ``opportunity|stage|activity``
(:mod:`plugins.sales.crm_pipeline_commands`): the CRM from the command line."""

from __future__ import annotations

from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from cli.params import ID, Whole
from plugins.sales.lead_import import import_leads
from plugins.sales.leads import convert, create_lead, disqualify, find_lead, lead_data, qualify, update_lead
from plugins.sales.models import Lead, LeadSource, LeadState
from plugins.sales.opportunities import opportunity_data
from plugins.sales.scoring import (
    FIELDS,
    Scorer,
    active_model,
    add_rule,
    model_data,
    remove_rule,
    rescore,
    rule_data,
    rules_of,
    train_model,
)

__all__ = ["COMMANDS", "lead", "scoring"]

_LEAD_OPTIONS = [
    click.option("--organisation", help="The organisation the contact works for."),
    click.option("--email"), click.option("--phone"), click.option("--tax-id", "tax_id"),
    click.option("--region"), click.option("--country", help="Two-letter code (KR)."),
    click.option("--industry"), click.option("--employees", help="How many people the organisation employs."),
    click.option("--budget", metavar="AMOUNT", help="What they said they would spend."),
    click.option("--message"),
]


def _with_lead_options(command):
    for option in reversed(_LEAD_OPTIONS):
        command = option(command)
    return command


def _factors(data: dict) -> None:
    for f in data["factors"]:
        if f.get("points") is not None:
            click.echo(f"  {f['points']:+d}  {f['factor']} ({f['kind']})")
        else:
            click.echo(f"  {float(f['weight']):+.2f}  {f['factor']} (model weight)")


def _show_lead(env: Env, data: dict, heading: str) -> None:
    def text() -> None:
        click.echo(f"{heading}: {data['number']} {data['contact_name']}"
                   + (f" ({data['organisation']})" if data["organisation"] else "")
                   + f" [{data['state'].value}] score {data['score']}")
        if data["duplicate_of"]:
            click.echo(f"possible duplicate: {data['duplicate_reason']}")
        if data["customer"]:
            click.echo(f"customer: {data['customer']}")
        _factors(data)

    env.emit(data, text)


@click.group()
def lead() -> None:
    """Leads: capture, import, qualify, convert."""


@lead.command("add")
@click.argument("contact_name")
@_with_lead_options
@click.option(
    "--source", type=click.Choice([s.value for s in LeadSource]), default="manual", show_default=True
)
@click.option("--owner", help="The salesperson (a username).")
@click.pass_obj
def lead_add(env: Env, contact_name: str, source: str, owner: Optional[str], **fields) -> None:
    """A new lead; flagged when it looks like a known party, and scored."""
    with env.session() as session:
        company = env.company(session)
        data = lead_data(company, create_lead(session, company, contact_name, source=source, owner=owner,
                                              **{k: v for k, v in fields.items() if v is not None}))
    _show_lead(env, data, "lead captured")


@lead.command("update")
@click.argument("number")
@click.option("--contact-name", "contact_name")
@_with_lead_options
@click.option("--owner", help="Hand it to this salesperson ('' for no one).")
@click.pass_obj
def lead_update(env: Env, number: str, owner: Optional[str], **fields) -> None:
    """Change what is known of an open lead (checked for duplicates and scored again)."""
    changes = {k: v for k, v in fields.items() if v is not None}
    if owner is not None:
        changes["owner"] = owner or None
    with env.session() as session:
        company = env.company(session)
        data = lead_data(company, update_lead(session, company, number, **changes))
    _show_lead(env, data, "lead changed")


@lead.command("import")
@click.argument("path", type=click.File("rb"))
@click.pass_obj
def lead_import(env: Env, path) -> None:
    """Leads from a CSV file (the first row names the columns); all or nothing."""
    content = path.read()
    with env.session() as session:
        company = env.company(session)
        data = [lead_data(company, made) for made in import_leads(session, company, content)]
    flagged = sum(1 for d in data if d["duplicate_of"])
    env.emit(data, f"{len(data)} leads imported, {flagged} flagged as possible duplicates")


@lead.command("list")
@click.option("--state", type=click.Choice([s.value for s in LeadState]))
@click.option("--source", type=click.Choice([s.value for s in LeadSource]))
@click.option("--limit", type=Whole(1, 10_000), default=100, show_default=True)
@click.pass_obj
def lead_list(env: Env, state: Optional[str], source: Optional[str], limit: int) -> None:
    """Leads, best score first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Lead).where(Lead.company_id == company.id)
        if state:
            query = query.where(Lead.state == LeadState(state))
        if source:
            query = query.where(Lead.source == LeadSource(source))
        query = query.order_by(Lead.score.desc().nulls_last(), Lead.id).limit(limit)
        data = [lead_data(company, found) for found in session.scalars(query)]
    env.emit(data, lambda: env.table(
        ["number", "contact", "organisation", "source", "state", "score", "duplicate of"],
        [[d["number"], d["contact_name"], d["organisation"], d["source"].value, d["state"].value, d["score"],
          d["duplicate_of"]] for d in data], [5]))


@lead.command("show")
@click.argument("number")
@click.pass_obj
def lead_show(env: Env, number: str) -> None:
    """One lead, with the factors of its score."""
    with env.session() as session:
        company = env.company(session)
        data = lead_data(company, find_lead(session, company, number))
    _show_lead(env, data, "lead")


@lead.command("qualify")
@click.argument("number")
@click.option("--owner", help="Hand it to this salesperson.")
@click.pass_obj
def lead_qualify(env: Env, number: str, owner: Optional[str]) -> None:
    """A new lead worth working."""
    with env.session() as session:
        company = env.company(session)
        data = lead_data(company, qualify(session, company, number, owner=owner))
    env.emit(data, f"lead {data['number']} qualified")


@lead.command("disqualify")
@click.argument("number")
@click.option("--reason", required=True)
@click.pass_obj
def lead_disqualify(env: Env, number: str, reason: str) -> None:
    """Set a lead aside, saying why."""
    with env.session() as session:
        company = env.company(session)
        data = lead_data(company, disqualify(session, company, number, reason))
    env.emit(data, f"lead {data['number']} disqualified")


@lead.command("convert")
@click.argument("number")
@click.option("--party", help="An existing party becomes the customer.")
@click.option("--new-party", "new_party", metavar="CODE", help="Create the customer with this code.")
@click.option("--no-opportunity", "no_opportunity", is_flag=True, help="A customer only.")
@click.option("--name", help="The opportunity's name.")
@click.option("--revenue", metavar="AMOUNT", help="Expected revenue (default: the lead's budget).")
@click.option("--close", metavar="DATE", help="Expected close date.")
@click.option("--stage")
@click.option("--owner")
@click.pass_obj
def lead_convert(env: Env, number: str, party, new_party, no_opportunity: bool, name, revenue, close, stage,
                 owner) -> None:
    """Make the lead a customer and an opportunity."""
    with env.session() as session:
        company = env.company(session)
        customer, deal = convert(session, company, number, party=party, new_party=new_party,
                                 opportunity=not no_opportunity, name=name, expected_revenue=revenue,
                                 expected_close=close, stage=stage, owner=owner)
        data = {"lead": find_lead(session, company, number).number, "customer": customer.code,
                "opportunity": opportunity_data(company, deal) if deal else None}
    env.emit(data, f"lead {data['lead']} converted: customer {data['customer']}"
             + (f", opportunity {data['opportunity']['number']}" if deal else ""))


@click.group()
def scoring() -> None:
    """Lead scoring: the company's rules and the model learned from its history."""


@scoring.command("rule-add")
@click.argument("field", type=click.Choice(FIELDS))
@click.argument("operator", type=click.Choice(["equals", "contains", "at_least", "at_most", "present"]))
@click.argument("value", required=False)
@click.option("--points", required=True, help="-100 to 100.")
@click.option("--label", help="How the rule reads in a score's explanation.")
@click.pass_obj
def rule_add(
    env: Env, field: str, operator: str, value: Optional[str], points: str, label: Optional[str]
) -> None:
    """A rule: POINTS when a lead's FIELD passes OPERATOR VALUE (open leads are scored again)."""
    with env.session() as session:
        data = rule_data(add_rule(session, env.company(session), field, operator, value, points, label))
    env.emit(data, f"rule {data['id']} added: {data['label']} {data['points']:+d}")


@scoring.command("rules")
@click.pass_obj
def rule_list(env: Env) -> None:
    """The company's scoring rules."""
    with env.session() as session:
        data = [rule_data(r) for r in rules_of(session, env.company(session))]
    env.emit(
        data,
        lambda: env.table(
            ["id", "field", "operator", "value", "points", "label"],
            [[d["id"], d["field"], d["operator"], d["value"], d["points"], d["label"]] for d in data],
            [4],
        ),
    )


@scoring.command("rule-remove")
@click.argument("rule_id", type=ID)
@click.pass_obj
def rule_remove(env: Env, rule_id: int) -> None:
    """Drop a rule (open leads are scored again)."""
    with env.session() as session:
        remove_rule(session, env.company(session), rule_id)
    env.emit({"removed": rule_id}, f"rule {rule_id} removed")


def _show_model(env: Env, data: Optional[dict]) -> None:
    def text() -> None:
        if data is None:
            click.echo("no model yet: train one once leads have been won and lost")
            return
        click.echo(f"learned from {data['samples']} leads ({data['won']} won); intercept {data['intercept']}")
        env.table(
            ["weight", "feature"], [[f"{float(w['weight']):+.3f}", w["label"]] for w in data["weights"]], [0]
        )

    env.emit(data, text)


@scoring.command("train")
@click.pass_obj
def train(env: Env) -> None:
    """Learn from the won and lost history; open leads are scored again."""
    with env.session() as session:
        data = model_data(train_model(session, env.company(session)))
    _show_model(env, data)


@scoring.command("model")
@click.pass_obj
def model(env: Env) -> None:
    """The active model's weights, strongest first."""
    with env.session() as session:
        data = model_data(active_model(session, env.company(session)))
    _show_model(env, data)


@scoring.command("explain")
@click.argument("number")
@click.pass_obj
def explain(env: Env, number: str) -> None:
    """Score a lead now and show what made the score."""
    with env.session() as session:
        company = env.company(session)
        found = find_lead(session, company, number)
        score, factors = Scorer(session, company).explain(found)
        data = {"number": found.number, "score": score, "factors": factors}
    env.emit(data, lambda: (click.echo(f"{data['number']}: score {score}"), _factors(data)))


@scoring.command("rescore")
@click.pass_obj
def rescore_command(env: Env) -> None:
    """Score every open lead again."""
    with env.session() as session:
        count = rescore(session, env.company(session))
    env.emit({"scored": count}, f"{count} open leads scored")


def _commands() -> list:
    from plugins.sales.crm_pipeline_commands import activity, opportunity, stage

    return [lead, scoring, opportunity, stage, activity]


COMMANDS = _commands()

"""What the CRM pages share: words for enum values, the CSRF-only button
form, choices of owners, stages and lost reasons, links.

Enum values become words through ``N_`` so that Babel extracts them; the
pages translate them at run time with ``_()``.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.models import Membership, User
from plugins.sales.models import ActivityKind, LeadSource, LeadState, OpportunityState, RuleOperator
from plugins.sales.pipeline import lost_reasons_of, stages_of
from web.context import db_session

__all__ = [
    "N_",
    "word",
    "ActionForm",
    "checked",
    "owner_choices",
    "stage_choices",
    "reason_choices",
    "lead_url",
    "opportunity_url",
    "may",
    "me",
    "factor_label",
    "CRM_TABS",
    "FACTOR_WORDS",
]


def N_(text: str) -> str:
    return text


_WORDS: dict[Any, str] = {
    LeadState.NEW: N_("new"),
    LeadState.QUALIFIED: N_("qualified"),
    LeadState.DISQUALIFIED: N_("disqualified"),
    LeadState.CONVERTED: N_("converted"),
    LeadSource.WEB: N_("web form"),
    LeadSource.IMPORT: N_("import"),
    LeadSource.MANUAL: N_("typed in"),
    LeadSource.REFERRAL: N_("referral"),
    LeadSource.EVENT: N_("event"),
    OpportunityState.OPEN: N_("open"),
    OpportunityState.WON: N_("won"),
    OpportunityState.LOST: N_("lost"),
    ActivityKind.CALL: N_("call"),
    ActivityKind.MEETING: N_("meeting"),
    ActivityKind.EMAIL: N_("email"),
    ActivityKind.TASK: N_("task"),
    RuleOperator.EQUALS: N_("equals"),
    RuleOperator.CONTAINS: N_("contains"),
    RuleOperator.AT_LEAST: N_("at least"),
    RuleOperator.AT_MOST: N_("at most"),
    RuleOperator.PRESENT: N_("is given"),
}

# Timeline kinds and words of plugins/sales/crm_facts.py, the factor kinds of a score and the dashboard tiles'
# titles of plugins/sales/crm_widgets.py (translated where shown).
FACTOR_WORDS = (
    N_("lead"),
    N_("opportunity"),
    N_("activity"),
    N_("customer"),
    N_("rule"),
    N_("model"),
    N_("due"),
    N_("done"),
    N_("learned chance of winning"),
    N_("Overdue activities"),
    N_("Pipeline"),
)


_FEATURES = {"email:free": N_("free e-mail address"), "email:company": N_("company e-mail address"),
             "has:phone": N_("gave a phone number"), "has:organisation": N_("named an organisation"),
             "has:budget": N_("named a budget"), "has:message": N_("wrote a message")}
_FEATURE_KINDS = {"source": N_("source: %(value)s"), "employees": N_("employees: %(value)s"),
                  "industry": N_("industry: %(value)s"), "region": N_("region: %(value)s")}


def factor_label(factor: dict) -> str:
    """A factor of a score in the page's language: a rule's label as the company wrote it, a model's
    feature translated (``source: referral``)."""
    feature = factor.get("feature")
    if factor.get("kind") == "rule":
        return factor["factor"]
    if feature is None:
        return _(factor["factor"])
    if feature in _FEATURES:
        return _(_FEATURES[feature])
    kind, _sep, value = feature.partition(":")
    if kind == "source" and value in {s.value for s in LeadSource}:
        value = word(LeadSource(value))
    return _(_FEATURE_KINDS[kind], value=value) if kind in _FEATURE_KINDS else feature


def word(value: Any) -> str:
    """An enum value in the page's language ("" for ``None``)."""
    return "" if value is None else _(_WORDS[value])


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


def checked(form: FlaskForm) -> None:
    """400 unless the posted form (its CSRF token and fields) is valid."""
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))


def me() -> User:
    """The signed-in user."""
    from flask_login import current_user

    return current_user.user


def may(permission: str) -> bool:
    return permission in g.permissions


def owner_choices() -> list[tuple[str, str]]:
    """The company's members (no one: "")."""
    users = db_session().execute(
        select(User.username, User.full_name).join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == g.company.id, User.active).distinct().order_by(User.username)).all()
    return [("", _("No one"))] + [(name, f"{name} · {full}" if full else name) for name, full in users]


def stage_choices() -> list[tuple[str, str]]:
    return [(s.name, f"{s.name} ({s.probability}%)") for s in stages_of(db_session(), g.company)]


def reason_choices() -> list[tuple[str, str]]:
    return [(r.name, r.name) for r in lost_reasons_of(db_session(), g.company)]


def lead_url(lead) -> str:
    return url_for("sales.lead", number=lead.number)


def opportunity_url(deal) -> str:
    return url_for("sales.opportunity", number=deal.number)


# The tabs of the set-up pages: (endpoint, label); labels translated where shown.
CRM_TABS = [("sales.stages", N_("Stages and lost reasons")), ("sales.scoring", N_("Lead scoring"))]

"""Lead scoring that explains itself: the company's rules plus a model
learned from its own won and lost history.

A lead's score is the points of every rule it passes plus, once a model is
trained, its learned chance of being won in percent. Every score keeps its
factors: each rule's points and, from the model, each feature's weight (its
contribution to the log-odds of winning), so a page shows why.

The model is a logistic regression over plain features of a lead (its
source, a free e-mail domain, company size, industry, region, what it told
us). It learns from leads whose opportunity was won (1) or lost (0) and from
disqualified leads (0). Training uses floats (Newton's method with an L2
penalty, pure Python); the weights are stored as decimal strings and scoring
is ``Decimal`` arithmetic, the same on every engine.
"""

from __future__ import annotations

import math
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.models import Company
from core.values import as_id, parse_amount, plain
from plugins.sales.crm_common import amount, optional_text, whole_number
from plugins.sales.models import (
    Lead,
    LeadState,
    Opportunity,
    OpportunityState,
    RuleOperator,
    ScoringModel,
    ScoringRule,
)

__all__ = [
    "FIELDS",
    "NUMERIC",
    "FREE_DOMAINS",
    "MIN_SAMPLES",
    "features",
    "feature_label",
    "Scorer",
    "add_rule",
    "remove_rule",
    "rules_of",
    "history",
    "train_model",
    "active_model",
    "rescore",
    "score_lead",
    "rule_data",
    "model_data",
]

FIELDS = (
    "source",
    "organisation",
    "contact_name",
    "email",
    "email_domain",
    "phone",
    "tax_id",
    "region",
    "country",
    "industry",
    "employees",
    "budget",
    "message",
)
NUMERIC = ("employees", "budget")
FREE_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "kakao.com",
        "nate.com",
        "yahoo.com",
        "yahoo.co.kr",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "mail.com",
        "qq.com",
        "163.com",
    }
)
MIN_SAMPLES = 20   # leads with an outcome before a model is trained
MIN_CLASS = 5      # of them won, and lost
MAX_FEATURES = 60  # the most frequent features (the rest are too rare to learn from)
MIN_SEEN = 3       # a feature seen fewer times is not learned
PENALTY = 1.0      # L2 on every weight but the intercept
_SIZES = ((1, 9), (10, 49), (50, 249), (250, None))


# -- features -------------------------------------------------------------------------------------

def _domain(email: Optional[str]) -> Optional[str]:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def features(lead: Lead) -> list[str]:
    """The lead's features, each a name like ``source:referral`` or ``employees:250+``."""
    found = [f"source:{lead.source.value}"]
    domain = _domain(lead.email)
    if domain is not None:
        found.append("email:free" if domain in FREE_DOMAINS else "email:company")
    if lead.employees is not None:
        for low, high in _SIZES:
            if lead.employees >= low and (high is None or lead.employees <= high):
                found.append(f"employees:{low}-{high}" if high else f"employees:{low}+")
    for name, value in (("industry", lead.industry), ("region", lead.region)):
        if value and value.strip():
            found.append(f"{name}:{value.strip().lower()}")
    for name, value in (("phone", lead.phone), ("organisation", lead.organisation),
                        ("budget", lead.budget_units), ("message", lead.message)):
        if value:
            found.append(f"has:{name}")
    return found


_LABELS = {"email:free": "free e-mail address", "email:company": "company e-mail address",
           "has:phone": "gave a phone number", "has:organisation": "named an organisation",
           "has:budget": "named a budget", "has:message": "wrote a message"}


def feature_label(name: str) -> str:
    """How a feature reads in an explanation."""
    if name in _LABELS:
        return _LABELS[name]
    kind, _sep, value = name.partition(":")
    return {"source": "source", "employees": "employees", "industry": "industry", "region": "region"}.get(
        kind, kind) + f" {value}"


# -- rules ----------------------------------------------------------------------------------------

def _field_value(company: Company, lead: Lead, field: str):
    if field == "source":
        return lead.source.value
    if field == "email_domain":
        return _domain(lead.email)
    if field == "budget":
        return amount(company, lead.budget_units)
    return getattr(lead, field)


def _passes(rule: ScoringRule, value) -> bool:
    if rule.operator is RuleOperator.PRESENT:
        return value is not None and str(value).strip() != ""
    if value is None:
        return False
    if rule.operator in (RuleOperator.AT_LEAST, RuleOperator.AT_MOST):
        limit = parse_amount(rule.value)
        return value >= limit if rule.operator is RuleOperator.AT_LEAST else value <= limit
    if rule.operator is RuleOperator.EQUALS:
        return str(value).strip().lower() == (rule.value or "").strip().lower()
    return (rule.value or "").strip().lower() in str(value).lower()


def add_rule(session: Session, company: Company, field: str, operator: str, value: Optional[str], points,
             label: Optional[str] = None, *, rescore_leads: bool = True) -> ScoringRule:
    """A rule: ``points`` (-100..100) when the lead's ``field`` passes ``operator`` ``value``."""
    if field not in FIELDS:
        raise Invalid(f"unknown field {field!r} (one of: {', '.join(FIELDS)})")
    try:
        op = RuleOperator(operator)
    except ValueError:
        raise Invalid(
            f"unknown operator {operator!r} (one of: {', '.join(o.value for o in RuleOperator)})"
        ) from None
    value = optional_text(value, "value", 200)
    if op in (RuleOperator.AT_LEAST, RuleOperator.AT_MOST):
        if field not in NUMERIC:
            raise Invalid(f"{op.value} compares numbers: {field} is not one ({', '.join(NUMERIC)} are)")
        if value is None:
            raise Invalid(f"{op.value} needs a value")
        value = plain(parse_amount(value))  # stored as text, read back by parse_amount: no exponent
    elif op is not RuleOperator.PRESENT and value is None:
        raise Invalid(f"{op.value} needs a value")
    elif op is RuleOperator.PRESENT:
        value = None
    points = whole_number(points, "points", low=-100, high=100)
    if points is None:
        raise Invalid("points must be given")
    label = optional_text(label, "label", 200) or " ".join(
        p for p in (field, op.value.replace("_", " "), value) if p
    )
    rule = ScoringRule(
        company_id=company.id, field=field, operator=op, value=value, points=points, label=label, active=True
    )
    session.add(rule)
    session.flush()
    if rescore_leads:
        rescore(session, company)
    return rule


def rules_of(session: Session, company: Company) -> list[ScoringRule]:
    return list(session.scalars(select(ScoringRule).where(ScoringRule.company_id == company.id,
                                                          ScoringRule.active).order_by(ScoringRule.id)))


def remove_rule(session: Session, company: Company, rule_id: int | str) -> None:
    wanted = as_id(rule_id)
    rule = None if wanted is None else session.scalar(select(ScoringRule).where(
        ScoringRule.company_id == company.id, ScoringRule.id == wanted, ScoringRule.active))
    if rule is None:
        raise NotFound(f"unknown scoring rule {rule_id} in company {company.code}")
    rule.active = False
    session.flush()
    rescore(session, company)


def rule_data(rule: ScoringRule) -> dict:
    return {"id": rule.id, "field": rule.field, "operator": rule.operator.value, "value": rule.value,
            "points": rule.points, "label": rule.label}


# -- the learned model ----------------------------------------------------------------------------

def history(session: Session, company: Company) -> list[tuple[list[str], int]]:
    """(features, 1 won / 0 lost) of every lead with an outcome, oldest first."""
    samples = []
    for lead, state in session.execute(
            select(Lead, Opportunity.state).join(Opportunity, Opportunity.lead_id == Lead.id)
            .where(Lead.company_id == company.id,
                   Opportunity.state.in_([OpportunityState.WON, OpportunityState.LOST]))
            .order_by(Opportunity.id)):
        samples.append((features(lead), 1 if state is OpportunityState.WON else 0))
    for lead in session.scalars(select(Lead).where(Lead.company_id == company.id,
                                                   Lead.state == LeadState.DISQUALIFIED).order_by(Lead.id)):
        samples.append((features(lead), 0))
    return samples


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is positive definite)."""
    n = len(vector)
    rows = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        head = rows[col][col]
        for r in range(col + 1, n):
            factor = rows[r][col] / head
            if factor:
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    solution = [0.0] * n
    for r in range(n - 1, -1, -1):
        solution[r] = (rows[r][n] - sum(rows[r][c] * solution[c] for c in range(r + 1, n))) / rows[r][r]
    return solution


def _fit(samples: list[tuple[list[int], int]], size: int) -> list[float]:
    """Weights (index 0 the intercept) of an L2-penalised logistic regression, by Newton's method."""
    weights = [0.0] * size
    for _round in range(30):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _i in range(size)]
        for active, label in samples:
            z = sum(weights[i] for i in active)
            p = 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))
            for i in active:
                gradient[i] += p - label
                row = hessian[i]
                for j in active:
                    row[j] += p * (1.0 - p)
        for i in range(1, size):
            gradient[i] += PENALTY * weights[i]
            hessian[i][i] += PENALTY
        hessian[0][0] += 1e-9
        step = _solve(hessian, gradient)
        weights = [w - s for w, s in zip(weights, step)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return weights


def train_model(session: Session, company: Company) -> ScoringModel:
    """Learn from the company's won and lost history, make the model the active one and rescore open leads."""
    samples = history(session, company)
    won = sum(label for _f, label in samples)
    if len(samples) < MIN_SAMPLES or won < MIN_CLASS or len(samples) - won < MIN_CLASS:
        raise Invalid(f"too little history to learn from: {len(samples)} leads with an outcome, {won} won "
                      f"(at least {MIN_SAMPLES}, with {MIN_CLASS} won and {MIN_CLASS} lost)")
    seen = Counter(f for names, _label in samples for f in set(names))
    vocabulary = sorted(f for f, n in seen.most_common(MAX_FEATURES) if n >= MIN_SEEN)
    index = {f: i + 1 for i, f in enumerate(vocabulary)}
    encoded = [([0] + sorted({index[f] for f in names if f in index}), label) for names, label in samples]
    fitted = _fit(encoded, len(vocabulary) + 1)
    session.execute(update(ScoringModel).where(ScoringModel.company_id == company.id, ScoringModel.active)
                    .values(active=False))
    model = ScoringModel(company_id=company.id, samples=len(samples), won=won, intercept=f"{fitted[0]:.6f}",
                         weights={f: f"{fitted[index[f]]:.6f}" for f in vocabulary}, active=True)
    session.add(model)
    session.flush()
    rescore(session, company)
    return model


def active_model(session: Session, company: Company) -> Optional[ScoringModel]:
    return session.scalar(
        select(ScoringModel)
        .where(ScoringModel.company_id == company.id, ScoringModel.active)
        .order_by(ScoringModel.id.desc())
        .limit(1)
    )


def model_data(model: Optional[ScoringModel]) -> Optional[dict]:
    if model is None:
        return None
    ranked = sorted(model.weights.items(), key=lambda item: (-abs(Decimal(item[1])), item[0]))
    return {"trained_at": model.trained_at, "samples": model.samples, "won": model.won,
            "intercept": Decimal(model.intercept),
            "weights": [{"feature": f, "label": feature_label(f), "weight": Decimal(w)} for f, w in ranked]}


# -- scoring --------------------------------------------------------------------------------------

class Scorer:
    """The active rules and model of a company, read once for many leads."""

    def __init__(self, session: Session, company: Company):
        self.company = company
        self.rules = rules_of(session, company)
        self.model = active_model(session, company)

    def explain(self, lead: Lead) -> tuple[int, list[dict]]:
        """``(score, factors)``: each factor a dict with ``kind`` (rule/model), ``factor`` and ``points``
        (``weight`` too for a model feature: its share of the log-odds)."""
        factors = [{"kind": "rule", "factor": rule.label, "points": rule.points} for rule in self.rules
                   if _passes(rule, _field_value(self.company, lead, rule.field))]
        score = sum(f["points"] for f in factors)
        if self.model is not None:
            active = [(f, Decimal(self.model.weights[f])) for f in features(lead) if f in self.model.weights]
            with localcontext() as context:
                context.prec = 28
                z = Decimal(self.model.intercept) + sum((w for _f, w in active), Decimal(0))
                chance = Decimal(1) / (Decimal(1) + (-z).exp())
                points = int((chance * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            factors.append({"kind": "model", "factor": "learned chance of winning", "points": points})
            factors += [
                {"kind": "model", "factor": feature_label(f), "feature": f, "points": None, "weight": str(w)}
                for f, w in sorted(active, key=lambda item: (-abs(item[1]), item[0]))
                if w
            ]
            score += points
        return score, factors


def score_lead(session: Session, company: Company, lead: Lead, scorer: Optional[Scorer] = None) -> Lead:
    lead.score, lead.score_factors = (scorer or Scorer(session, company)).explain(lead)
    session.flush()
    return lead


def rescore(session: Session, company: Company) -> int:
    """Score every open lead (new or qualified) again; how many."""
    scorer = Scorer(session, company)
    leads = session.scalars(select(Lead).where(Lead.company_id == company.id,
                                               Lead.state.in_([LeadState.NEW, LeadState.QUALIFIED]))).all()
    for lead in leads:
        lead.score, lead.score_factors = scorer.explain(lead)
    session.flush()
    return len(leads)

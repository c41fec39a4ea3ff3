"""Lead scoring that explains itself.

The proof: on a generated history where the right answer is known —
referrals win far more often than other leads, and a free e-mail address
halves the odds — the learned model ranks new leads in the planted order,
its strongest factor is the planted one, and its chances are near the true
ones. Beside it: the company's rules, their points and the factors that
always add up to the score.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest

from core.companies import get_company
from core.errors import Invalid
from plugins.sales.leads import create_lead, disqualify
from plugins.sales.models import ScoringModel
from plugins.sales.opportunities import create_opportunity, mark_lost, mark_won
from plugins.sales.scoring import Scorer, active_model, add_rule, history, remove_rule, rescore, train_model
from tests.conftest import templated
from tests.plugins.sales.conftest import make_sales_company, sdb  # noqa: F401
from tests.plugins.sales.crm import count

SOURCES = ["referral"] * 3 + ["web"] * 4 + ["event"] * 2 + ["manual"]
INDUSTRIES = ["retail", "education", "logistics", "food"]


def truth(source: str, free: bool) -> float:
    """The planted chance of winning: log-odds -1.5, +3.5 for a referral, -2 for a free e-mail address."""
    return 1 / (1 + math.exp(-(-1.5 + 3.5 * (source == "referral") - 2.0 * free)))


def _lead(s, company, rng, i, source, free):
    return create_lead(s, company, f"Contact {i}", organisation=f"Org {i}", source=source,
                       email=f"c{i}@{'gmail.com' if free else f'org{i}.example'}",
                       employees=rng.randint(1, 2000), industry=rng.choice(INDUSTRIES),
                       region=rng.choice(["Seoul", "Busan", "Daegu"]))


@templated
def plant_history(sdb, samples=400, seed=7):
    """``samples`` leads with an outcome drawn from ``truth`` (a few disqualified, which count as lost)."""
    rng = random.Random(seed)
    with sdb.session() as s:
        company = get_company(s, "ACME")
        for i in range(samples):
            source, free = rng.choice(SOURCES), rng.random() < 0.5
            lead = _lead(s, company, rng, i, source, free)
            won = rng.random() < truth(source, free)
            if not won and i % 10 == 0:
                disqualify(s, company, lead.number, "not a fit")
                continue
            deal = create_opportunity(s, company, f"Deal {i}", lead=lead.number, expected_revenue="1000")
            if won:
                mark_won(s, company, deal.number)
            else:
                mark_lost(s, company, deal.number, "No budget")


@pytest.fixture
def planted(sdb):
    make_sales_company(sdb)
    plant_history(sdb)
    return sdb


def test_the_learned_model_finds_the_planted_answer(planted):
    with planted.session() as s:
        company = get_company(s, "ACME")
        assert len(history(s, company)) == 400
        model = train_model(s, company)
        weights = {f: Decimal(w) for f, w in model.weights.items()}
        top = max(weights, key=lambda f: abs(weights[f]))
        assert top == "source:referral" and weights[top] > 0
        assert weights["email:free"] < 0 < weights["email:company"]
        planted_strength = weights["source:referral"] - max(
            weights[f"source:{s}"] for s in ("web", "event", "manual")
        )
        for feature, weight in weights.items():  # nothing else matters as much
            if not feature.startswith(("source:", "email:")):
                assert abs(weight) < planted_strength / 3, feature
        rng = random.Random(99)
        kinds = [("referral", False), ("referral", True), ("web", False), ("web", True)]
        fresh = {kind: _lead(s, company, rng, 1000 + n, *kind) for n, kind in enumerate(kinds)}
        scores = [fresh[kind].score for kind in kinds]
        assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4, scores
        for kind, lead in fresh.items():
            chance = next(
                f["points"] for f in lead.score_factors if f["factor"] == "learned chance of winning"
            )
            assert lead.score == chance  # no rules yet: the score is the learned chance
            assert abs(chance / 100 - truth(*kind)) < 0.15, (kind, chance, truth(*kind))
            explained = [
                f["factor"] for f in lead.score_factors if f["kind"] == "model" and f["points"] is None
            ]
            assert f"source {kind[0]}" in explained
            assert ("free e-mail address" if kind[1] else "company e-mail address") in explained
        referral = fresh[("referral", False)].score_factors
        assert referral[1]["factor"] == "source referral"  # the strongest factor is listed first


def test_rules_add_their_points_and_every_score_adds_up(planted):
    with planted.session() as s:
        company = get_company(s, "ACME")
        train_model(s, company)
        big = add_rule(s, company, "employees", "at_least", "500", 15, "500 people or more")
        add_rule(s, company, "industry", "equals", "Retail", 10)
        add_rule(s, company, "email_domain", "contains", "gmail", -20, "free mail")
        add_rule(s, company, "budget", "at_most", "1,000", -5)
        lead = create_lead(
            s, company, "Big Buyer", email="boss@gmail.com", employees="900", industry="retail", budget="1000"
        )
        rules = {f["factor"]: f["points"] for f in lead.score_factors if f["kind"] == "rule"}
        assert rules == {"500 people or more": 15, "industry equals Retail": 10, "free mail": -20,
                         "budget at most 1000": -5}
        assert lead.score == sum(f["points"] for f in lead.score_factors if f["points"] is not None)
        remove_rule(s, company, big.id)
        assert "500 people or more" not in {f["factor"] for f in lead.score_factors}
        for bad in (
            ("nope", "equals", "x", 1),
            ("employees", "contains", None, 1),
            ("region", "at_least", "3", 1),
            ("region", "equals", "Seoul", 101),
            ("employees", "at_least", "many", 1),
        ):
            with pytest.raises(Invalid):
                add_rule(s, company, *bad)
        assert rescore(s, company) > 0


def test_without_enough_history_rules_alone_score(sdb):
    make_sales_company(sdb)
    plant_history(sdb, samples=12)
    with sdb.session() as s:
        company = get_company(s, "ACME")
        with pytest.raises(Invalid, match="too little history"):
            train_model(s, company)
        assert active_model(s, company) is None
        add_rule(s, company, "source", "equals", "referral", 30, "a referral")
        lead = create_lead(s, company, "R", source="referral")
        assert (lead.score, lead.score_factors) == (
            30,
            [{"kind": "rule", "factor": "a referral", "points": 30}],
        )
        assert Scorer(s, company).explain(create_lead(s, company, "Nobody")) == (0, [])
    assert count(sdb, ScoringModel) == 0


def test_retraining_keeps_one_active_model_and_is_deterministic(planted):
    with planted.session() as s:
        company = get_company(s, "ACME")
        first = train_model(s, company)
        second = train_model(s, company)
        assert (first.weights, first.intercept) == (second.weights, second.intercept)
        assert active_model(s, company) is second and not first.active

"""Replenishment: safety stock and EOQ by hand, a plan from a known demand
history, proposals announced through the hook (answered, refused), no
second proposal while one is open, and bad input that writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import plugins.finance as finance
import plugins.wms as wms
from core import PluginInfo, hookimpl
from core.catalog import get_product
from core.companies import get_company
from core.errors import Conflict, Invalid
from core.installation import install
from plugins.wms.documents import Proposal, ProposalState
from plugins.wms.forecast import demand_of, eoq, holding_cost, safety_stock, unit_costs, z_score
from plugins.wms.operations import LineInput, confirm, create_operation
from plugins.wms.replenishment import dismiss, plan, replenish, set_rule
from plugins.wms.validation import validate
from plugins.wms.valuation import unit_cost_now
from tests.plugins.wms.conftest import assert_stock_sound, make_stock_company

TODAY = dt.date(2026, 3, 31)


def proposals_in(s) -> int:
    return s.scalar(select(func.count()).select_from(Proposal))


def receive(s, company, sku, qty, cost, day, *, done=True):
    op = create_operation(s, company, "receipt", [LineInput(sku, qty, cost)], party="S1")
    return validate(s, company, op, date=day)[0] if done else confirm(s, company, op)


def deliver(s, company, sku, qty, day):
    op = create_operation(s, company, "delivery", [LineInput(sku, qty)], party="C1")
    validate(s, company, op, date=day)


# -- the statistics, by hand ----------------------------------------------------

def test_eoq_and_safety_stock_by_hand():
    # D = 1,200 a year, S = 50,000 an order, H = 25 % of 4,000 = 1,000 a unit a year:
    # EOQ = sqrt(2 * 1200 * 50000 / 1000) = sqrt(120000) = 346.41...
    h = holding_cost(2500, 4000 * 10**6)
    assert h == 1000
    assert abs(eoq(Decimal(1200), Decimal(50000), h) - Decimal("346.4101615")) < Decimal("1e-7")
    assert eoq(Decimal(0), Decimal(50000), h) is None and eoq(Decimal(1200), Decimal(0), h) is None
    # z(95 %) = 1.6448536..., sigma 10 a day, 9 days: 1.6449 * 10 * 3 = 49.35 -> 50 (rounded up)
    z = z_score(9500)
    assert abs(z - Decimal("1.6448536")) < Decimal("1e-7")
    assert safety_stock(z, Decimal(10), 9) == 50
    assert safety_stock(z, Decimal(10), 0) == 0 and safety_stock(z_score(4000), Decimal(10), 9) == 0
    # 10 and 30 on two of four days: mean 10, sample variance (4 * 1000 - 1600) / 12 = 200
    demand = demand_of({1: 10, 2: 30}, 4)
    assert (demand.total, demand.mean, demand.sigma) == (40, 10, Decimal(200).sqrt())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40), st.integers(0, 30))
def test_demand_counts_missing_days_as_zero(sold, quiet_days):
    days = len(sold) + quiet_days
    demand = demand_of(dict(enumerate(sold)), days)
    history = sold + [0] * quiet_days
    assert demand.total == sum(history) and demand.mean == Decimal(sum(history)) / days
    expected = statistics.stdev(history) if days > 1 else 0.0
    assert abs(float(demand.sigma) - expected) <= 1e-9 * max(1.0, expected)


# -- the plan ---------------------------------------------------------------------

def test_plan_from_a_known_history(valued):
    db, company = valued
    with db.session() as s:
        company = get_company(s, "ACME")
        receive(s, company, "PEN", "200", "4000", TODAY - dt.timedelta(days=120))
        deliver(s, company, "PEN", "5", TODAY - dt.timedelta(days=100))  # before the window: not counted
        for back in (1, 10, 20, 40, 60, 89):  # 6 x 30 in the 90 days up to today, the rest zero
            deliver(s, company, "PEN", "30", TODAY - dt.timedelta(days=back))
        receive(s, company, "PEN", "5", "4000", TODAY, done=False)  # ready: 5 incoming
        set_rule(s, company, "PEN", "MAIN", lead_time_days=4, service_level="95", ordering_cost="50000",
                 holding_rate="25", automatic=True)
        set_rule(s, company, "PAPER", "MAIN", minimum="10", maximum="50")
        set_rule(s, company, "MILK", "MAIN", minimum="1", maximum="8")
        receive_milk = create_operation(s, company, "receipt", [LineInput("MILK", "3", "1000")], party="S1")
        from plugins.wms.validation import LotInput
        validate(s, company, receive_milk, lots=[LotInput("MILK", "L1", "3", "2027-01-01")], date=TODAY)
        assert_stock_sound(s, company)

        found = {p.product: p for p in plan(s, company, today=TODAY)}
        assert set(found) == {"PEN", "PAPER"}  # MILK: 3 l on hand is above its reorder point of 1
        pen = found["PEN"]
        # demand 180 / 90 = 2 a day (730 a year); sigma = sqrt((90 * 5400 - 180^2) / (90 * 89)) = 7.5252;
        # safety stock 1.64485 * 7.5252 * sqrt(4) = 24.76 -> 25; reorder point 2 * 4 + 25 = 33;
        # EOQ sqrt(2 * 730 * 50000 / 1000) = 270.19 -> 271; maximum 33 + 271 = 304;
        # position 200 - 185 + 5 = 20 -> order max(304 - 20, 271) = 284.
        assert (pen.on_hand, pen.incoming, pen.position) == (15, 5, 20)
        assert (pen.safety_stock, pen.reorder_point, pen.eoq, pen.maximum) == (25, 33, 271, 304)
        assert pen.quantity == 284 and pen.needed_by == TODAY + dt.timedelta(days=4)
        assert (
            "position 20 pcs" in pen.reason and "reorder point 33" in pen.reason and "EOQ 271" in pen.reason
        )
        paper = found["PAPER"]
        assert (paper.position, paper.quantity, paper.eoq) == (0, 50, None)
        # The set-based unit costs are unit_cost_now's, product by product.
        costs = unit_costs(s, company)
        for sku in ("PEN", "MILK"):
            product = get_product(s, company, sku)
            assert costs[product.id] == unit_cost_now(s, company, product)
        assert replenish(s, company, today=TODAY, dry_run=True) and proposals_in(s) == 0


# -- proposals and the hook ---------------------------------------------------------

class Buyer:
    """A purchasing plugin in a few lines: requisitions for the purchase route."""

    PLUGIN = PluginInfo(name="buyer", version="1.0.0", requires=("wms",))

    def __init__(self):
        self.fail, self.seen = False, []

    @hookimpl
    def replenishment_proposed(self, session, company, event):
        self.seen.append(event)
        if self.fail:
            raise Conflict("the supplier portal is down")
        return {
            p.proposal_id: f"buyer:REQ{p.proposal_id:05d}" for p in event.proposals if p.route == "purchase"
        }


@pytest.fixture
def buying(wdb):
    buyer = Buyer()
    wdb.use_plugins(finance, wms, buyer)
    make_stock_company(wdb)
    with wdb.session() as s:
        company = get_company(s, "ACME")
        install(s, company, ["buyer"])
        set_rule(s, company, "PEN", "MAIN", minimum="10", maximum="100")
        set_rule(s, company, "PAPER", "MAIN", minimum="5", maximum="20", route="manufacture")
    return wdb, buyer


def test_the_hook_orders_proposals_and_an_open_one_is_not_proposed_twice(buying):
    db, buyer = buying
    with db.session() as s:
        company = get_company(s, "ACME")
        done = {p.product: p for p in replenish(s, company, today=TODAY)}
        assert (done["PEN"].state, done["PEN"].quantity) == ("ordered", 100)
        assert done["PEN"].document == f"buyer:REQ{done['PEN'].proposal_id:05d}"
        assert (done["PAPER"].state, done["PAPER"].document) == ("open", None)
        assert [p.product for p in buyer.seen[0].proposals] == ["PAPER", "PEN"]
        assert buyer.seen[0].proposals[1].quantity == Decimal(100)
    with db.session() as s:
        company = get_company(s, "ACME")
        again = replenish(s, company, today=TODAY)
        # PAPER's proposal is open and counts in its position; PEN's was ordered (its document
        # is the buyer's to follow), so PEN is proposed anew.
        assert [p.product for p in again] == ["PEN"]
        paper = s.scalar(
            select(Proposal).where(Proposal.state == ProposalState.OPEN, Proposal.route == "manufacture")
        )
        dismiss(s, company, paper.id)
        with pytest.raises(Conflict, match="only an open proposal"):
            dismiss(s, company, paper.id)
        assert [p.product for p in plan(s, company, today=TODAY)] == ["PAPER", "PEN"]


def test_a_handler_that_raises_writes_nothing(buying):
    db, buyer = buying
    buyer.fail = True
    with pytest.raises(Conflict, match="portal is down"):
        with db.session() as s:
            replenish(s, get_company(s, "ACME"), today=TODAY)
    with db.session() as s:
        assert proposals_in(s) == 0


# -- the command line -------------------------------------------------------------

def test_cli_rules_replenish_and_bad_input(plain, run):
    db, _company = plain
    for args, message in [
            (("--min", "10", "--max", "5"), "must not be below the minimum"),
            (("--service-level", "100"), "below 100 percent"),
            (("--service-level", "95.125"), "at most two decimals"),
            (("--lead-time", "-1"), "whole number of days"),
            (("--min", "-2"), "must not be negative"),
            (("--route", "teleport"), "unknown route"),
            (("--ordering-cost", "abc"), "ordering cost"),
            (("--max", "1.5"), "PEN")]:
        result = run("wms", "rule", "set", "PEN", "--warehouse", "MAIN", *args)
        assert result.exit_code != 0, args
        assert len(result.output.strip().splitlines()) == 1 and message in result.output, (
            args,
            result.output,
        )
    assert json.loads(run("--json", "wms", "rule", "list").output) == []
    assert run("wms", "replenish", "--date", "31/03/2026").exit_code != 0
    assert run("wms", "proposal", "dismiss", "999").exit_code != 0

    result = run("wms", "rule", "set", "PEN", "--warehouse", "MAIN", "--min", "10", "--max", "40",
                 "--service-level", "97.5", "--holding-rate", "20", "--ordering-cost", "30000")
    assert result.exit_code == 0 and "min 10, max 40" in result.output, result.output
    rules = json.loads(run("--json", "wms", "rule", "list").output)
    assert [(r["product"], r["service_level"], r["holding_rate"]) for r in rules] == [("PEN", "97.5", "20")]
    dry = json.loads(run("--json", "wms", "replenish", "--dry-run", "--date", "2026-03-31").output)
    assert [(d["product"], d["quantity"], d["proposal"]) for d in dry] == [("PEN", "40", None)]
    result = run("wms", "replenish", "--date", "2026-03-31")
    assert result.exit_code == 0 and "PEN" in result.output
    listed = json.loads(run("--json", "wms", "proposals", "--state", "open").output)
    assert [(p["product"], p["quantity"]) for p in listed] == [("PEN", "40")]
    assert "nothing to replenish" in run("wms", "replenish", "--date", "2026-03-31").output
    assert run("wms", "proposal", "dismiss", str(listed[0]["id"])).exit_code == 0
    assert run("wms", "proposals", "--state", "closed").exit_code != 0
    assert run("wms", "rule", "remove", "PEN", "--warehouse", "MAIN").exit_code == 0
    assert run("wms", "rule", "remove", "PEN", "--warehouse", "MAIN").exit_code != 0


def test_set_rule_refuses_what_the_table_would(plain):
    db, _company = plain
    with db.session() as s:
        company = get_company(s, "ACME")
        for kwargs in ({"service_level": "0"}, {"holding_rate": "-1"}, {"lead_time_days": True},
                       {"minimum": "5", "maximum": "4"}):
            with pytest.raises(Invalid):
                set_rule(s, company, "PEN", "MAIN", **kwargs)

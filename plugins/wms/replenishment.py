"""Replenishment: reorder rules per product and warehouse, the plan they
give, and proposals other plugins turn into documents.

A product's position in a warehouse is what is on hand in its internal
locations, less what is reserved, plus what ready receipts still bring and
what open proposals already ask for. At or below the reorder point, the
plan proposes filling up to the maximum (or the economic order quantity,
when that is more). With ``automatic`` the reorder point is lead-time
demand plus safety stock, from the done deliveries of the last days (see
:mod:`plugins.wms.forecast`). The plan reads a handful of grouped queries
whatever the number of products; ``replenish`` writes the proposals and
announces them through the ``replenishment_proposed`` hook, in the caller's
transaction, so a handler that raises leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Optional

import attrs
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.catalog import get_product
from core.errors import Conflict, Invalid, NotFound
from core.models import Company, Product, Unit
from core.plugins import plugins_of
from core.values import as_id, normalise, parse_amount
from plugins.wms.documents import (
    Move,
    Operation,
    OperationKind,
    OperationState,
    Proposal,
    ProposalState,
    ReorderRule,
)
from plugins.wms.events import ProposedOrder, ReplenishmentProposed
from plugins.wms.forecast import ceil_units, demand_of, eoq, holding_cost, safety_stock, unit_costs, z_score
from plugins.wms.models import Location, LocationKind, Settings, Stock, Warehouse
from plugins.wms.places import find_warehouse
from plugins.wms.queries import delivered_per_day
from plugins.wms.setup import settings_of
from plugins.wms.values import currency_scale, quantity_units

__all__ = ["ROUTES", "WINDOW_DAYS", "set_rule", "remove_rule", "list_rules", "Planned", "plan", "replenish",
           "dismiss", "list_proposals"]

ROUTES = ("purchase", "manufacture")
WINDOW_DAYS = 90
_MAX_BASIS_POINTS = 1_000_000  # a holding rate of 10,000 % a year is a typo, not a policy


# -- rules --------------------------------------------------------------------

def set_rule(session: Session, company: Company, sku: str, warehouse: Optional[str] = None, *,
             minimum=None, maximum=None, lead_time_days=None, service_level=None, ordering_cost=None,
             holding_rate=None, automatic: Optional[bool] = None, route: Optional[str] = None) -> ReorderRule:
    """Create or change the reorder rule of ``sku`` in ``warehouse`` (default: the first one).

    Quantities are in the product's unit, ``service_level`` and
    ``holding_rate`` percentages (``"97.5"``), ``ordering_cost`` an amount of
    the company currency; what is not given keeps its value (or default).
    """
    settings_of(session, company)
    product = get_product(session, company, sku)
    place = find_warehouse(session, company, warehouse)
    rule = session.scalar(select(ReorderRule).where(ReorderRule.warehouse_id == place.id,
                                                    ReorderRule.product_id == product.id))
    if rule is None:
        rule = ReorderRule(company_id=company.id, warehouse_id=place.id, product_id=product.id, minimum=0,
                           maximum=0, lead_time_days=7, service_level=9500, ordering_cost=0,
                           holding_rate=2500, automatic=False, route="purchase")
    if minimum is not None:
        rule.minimum = quantity_units(product, minimum, what="minimum", positive=False)
    if maximum is not None:
        rule.maximum = quantity_units(product, maximum, what="maximum", positive=False)
    if rule.maximum < rule.minimum:
        raise Invalid(f"{product.sku}: the maximum ({_shown(product, rule.maximum)}) must not be below the "
                      f"minimum ({_shown(product, rule.minimum)})")
    if lead_time_days is not None:
        rule.lead_time_days = _days(lead_time_days)
    if service_level is not None:
        rule.service_level = _basis_points(service_level, "service level")
        if not 0 < rule.service_level < 10000:
            raise Invalid(f"service level must be above 0 and below 100 percent, not {service_level}")
    if holding_rate is not None:
        rule.holding_rate = _basis_points(holding_rate, "holding rate")
    if ordering_cost is not None:
        rule.ordering_cost = _money(company, ordering_cost)
    if automatic is not None:
        rule.automatic = bool(automatic)
    if route is not None:
        rule.route = (route or "").strip().lower()
        if rule.route not in ROUTES:
            raise Invalid(f"unknown route {route!r} (one of: {', '.join(ROUTES)})")
    session.add(rule)
    session.flush()
    return rule


def _shown(product: Product, units: int) -> Decimal:
    return Decimal(units).scaleb(-product.unit.scale)


def _days(value) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not text.isascii():
        raise Invalid(f"lead time must be a whole number of days, 0 or more, not {value!r}")
    if int(text) > 3650:
        raise Invalid(f"lead time of {text} days is more than ten years")
    return int(text)


def _basis_points(value, what: str) -> int:
    """A percentage (``"97.5"``) in basis points; finer than 0.01 % is refused, not rounded."""
    try:
        percent = parse_amount(value)
        units = normalise(percent, 2, what=what)[0]
    except (Invalid, InvalidOperation):
        raise Invalid(f"{what} must be a percentage with at most two decimals, not {value!r}") from None
    if units < 0 or units > _MAX_BASIS_POINTS:
        raise Invalid(f"{what} must be between 0 and {_MAX_BASIS_POINTS // 100} percent, not {value}")
    return units


def _money(company: Company, value) -> int:
    try:
        units = normalise(parse_amount(value), currency_scale(company.currency), what="ordering cost")[0]
    except Invalid as exc:
        raise Invalid(f"ordering cost: {exc}") from None
    if units < 0:
        raise Invalid(f"ordering cost must not be negative, not {value}")
    return units


def remove_rule(session: Session, company: Company, sku: str, warehouse: Optional[str] = None) -> None:
    """Remove the rule of ``sku`` in ``warehouse``; its open proposals stay until dismissed."""
    product = get_product(session, company, sku)
    place = find_warehouse(session, company, warehouse)
    rule = session.scalar(select(ReorderRule).where(ReorderRule.warehouse_id == place.id,
                                                    ReorderRule.product_id == product.id))
    if rule is None:
        raise NotFound(f"{product.sku} has no reorder rule in warehouse {place.code}")
    session.delete(rule)
    session.flush()


def list_rules(session: Session, company: Company, warehouse: Optional[str] = None) -> list[ReorderRule]:
    """The company's reorder rules (of one warehouse), by warehouse and SKU."""
    query = (select(ReorderRule).join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
             .join(Product, Product.id == ReorderRule.product_id).where(ReorderRule.company_id == company.id)
             .order_by(Warehouse.code, Product.sku))
    if warehouse:
        query = query.where(ReorderRule.warehouse_id == find_warehouse(session, company, warehouse).id)
    return list(session.scalars(query))


# -- the plan -----------------------------------------------------------------

@attrs.frozen
class Planned:
    """One proposed order with the figures behind it (quantities in smallest steps of ``unit``)."""

    warehouse_id: int
    product_id: int
    warehouse: str
    product: str
    unit: str
    scale: int
    on_hand: int
    reserved: int
    incoming: int
    proposed: int
    reorder_point: int
    maximum: int
    safety_stock: int
    eoq: Optional[int]
    daily_demand: Decimal
    quantity: int
    route: str
    needed_by: dt.date
    reason: str
    proposal_id: Optional[int] = None
    state: str = "planned"
    document: Optional[str] = None

    @property
    def position(self) -> int:
        return self.on_hand - self.reserved + self.incoming + self.proposed

    def amount(self, units: Optional[int]) -> Optional[Decimal]:
        """``units`` in the product's unit (``Decimal`` with its scale)."""
        return None if units is None else Decimal(units).scaleb(-self.scale)


def plan(session: Session, company: Company, warehouse: Optional[str] = None, today: Optional[dt.date] = None,
         *, window_days: int = WINDOW_DAYS) -> list[Planned]:
    """What each reorder rule asks to order now, by warehouse and SKU (read only).

    :param today: the day the demand window ends on (inclusive) and lead times count from.
    :param window_days: days of delivery history behind the demand figures.
    """
    settings_of(session, company)
    if window_days <= 0:
        raise Invalid(f"the demand window must be at least one day, not {window_days}")
    today = today or dt.date.today()
    only = find_warehouse(session, company, warehouse).id if warehouse else None
    rules = _rules(session, company, only)
    if not rules:
        return []
    levels = _positions(session, company, only)
    start = today - dt.timedelta(days=window_days - 1)
    demand = {wid: delivered_per_day(session, company, start, today, None, wid)
              for wid in sorted({r.warehouse_id for r in rules})}
    costs = (unit_costs(session, company) if any(r.ordering_cost and r.holding_rate for r in rules) else {})
    mscale = currency_scale(company.currency)
    out = []
    for rule in rules:
        found = _propose(rule, levels.get((rule.warehouse_id, rule.product_id), (0, 0, 0, 0)),
                         demand_of(demand[rule.warehouse_id].get(rule.product_id, {}), window_days),
                         costs.get(rule.product_id), mscale, today)
        if found is not None:
            out.append(found)
    return out


def _rules(session: Session, company: Company, warehouse_id: Optional[int]) -> list:
    query = (
        select(
            ReorderRule.warehouse_id,
            ReorderRule.product_id,
            ReorderRule.minimum,
            ReorderRule.maximum,
            ReorderRule.lead_time_days,
            ReorderRule.service_level,
            ReorderRule.ordering_cost,
            ReorderRule.holding_rate,
            ReorderRule.automatic,
            ReorderRule.route,
            Warehouse.code.label("warehouse"),
            Product.sku,
            Unit.code.label("unit"),
            Unit.scale,
        )
        .join(Warehouse, Warehouse.id == ReorderRule.warehouse_id)
        .join(Product, Product.id == ReorderRule.product_id)
        .join(Unit, Unit.id == Product.unit_id)
        .where(ReorderRule.company_id == company.id)
        .order_by(Warehouse.code, Product.sku)
    )
    if warehouse_id is not None:
        query = query.where(ReorderRule.warehouse_id == warehouse_id)
    return session.execute(query).all()


def _positions(session: Session, company: Company, warehouse_id: Optional[int]) -> dict:
    """(warehouse id, product id) -> [on hand, reserved, incoming, proposed] for products with a rule."""
    found: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    ruled = and_(
        ReorderRule.warehouse_id == Location.warehouse_id, ReorderRule.product_id == Stock.product_id
    )
    stock = (
        select(Location.warehouse_id, Stock.product_id, func.sum(Stock.on_hand), func.sum(Stock.reserved))
        .join(Location, Location.id == Stock.location_id)
        .join(ReorderRule, ruled)
        .where(Stock.company_id == company.id, Location.kind == LocationKind.INTERNAL)
        .group_by(Location.warehouse_id, Stock.product_id)
    )
    incoming = (select(Operation.warehouse_id, Move.product_id, func.sum(Move.demand - Move.done))
                .join(Operation, Operation.id == Move.operation_id)
                .where(Operation.company_id == company.id, Operation.kind == OperationKind.RECEIPT,
                       Operation.state == OperationState.READY)
                .group_by(Operation.warehouse_id, Move.product_id))
    proposed = (select(Proposal.warehouse_id, Proposal.product_id, func.sum(Proposal.quantity))
                .where(Proposal.company_id == company.id, Proposal.state == ProposalState.OPEN)
                .group_by(Proposal.warehouse_id, Proposal.product_id))
    if warehouse_id is not None:
        stock = stock.where(Location.warehouse_id == warehouse_id)
        incoming = incoming.where(Operation.warehouse_id == warehouse_id)
        proposed = proposed.where(Proposal.warehouse_id == warehouse_id)
    for wid, pid, on_hand, reserved in session.execute(stock):
        found[(wid, pid)][0:2] = [int(on_hand or 0), int(reserved or 0)]
    for index, query in ((2, incoming), (3, proposed)):
        for wid, pid, units in session.execute(query):
            found[(wid, pid)][index] = int(units or 0)
    return found


def _propose(rule, level, demand, unit_cost: Optional[int], mscale: int, today: dt.date) -> Optional[Planned]:
    """The order one rule asks for (``None``: the position is above the reorder point, or nothing to
    order)."""
    on_hand, reserved, incoming, proposed = level
    position = on_hand - reserved + incoming + proposed
    z = z_score(rule.service_level)
    safety = safety_stock(z, demand.sigma, rule.lead_time_days)
    per_step = Decimal(10) ** rule.scale
    economic = None
    if unit_cost and rule.ordering_cost and rule.holding_rate:
        # EOQ in product units: demand per year, cost per order and holding cost per unit, in currency.
        found = eoq(demand.annual / per_step, Decimal(rule.ordering_cost).scaleb(-mscale),
                    holding_cost(rule.holding_rate, unit_cost))
        economic = ceil_units(found * per_step) if found is not None else None
    if rule.automatic:
        point = ceil_units(demand.mean * rule.lead_time_days) + safety
        top = point + (economic if economic is not None else rule.maximum - rule.minimum)
    else:
        point, top = rule.minimum, rule.maximum
    if position > point:
        return None
    quantity = max(top - position, economic or 0)
    if quantity <= 0:
        return None

    def shown(units: int) -> str:
        return f"{Decimal(units).scaleb(-rule.scale)}"

    reason = (
        f"position {shown(position)} {rule.unit} (on hand {shown(on_hand)} - reserved {shown(reserved)} "
        f"+ incoming {shown(incoming)} + open proposals {shown(proposed)}) is at or below the "
        f"{'automatic ' if rule.automatic else ''}reorder point {shown(point)}; "
        f"demand {(demand.mean / per_step).quantize(Decimal('0.001'))}/day over {demand.days} days "
        f"(sigma {(demand.sigma / per_step).quantize(Decimal('0.001'))}), safety stock {shown(safety)} "
        f"at z {z.quantize(Decimal('0.001'))} and {rule.lead_time_days} days lead time; "
        f"EOQ {shown(economic) if economic is not None else 'n/a'}; "
        f"order {shown(quantity)} to reach {shown(position + quantity)} (maximum {shown(top)})"
    )
    return Planned(
        rule.warehouse_id,
        rule.product_id,
        rule.warehouse,
        rule.sku,
        rule.unit,
        rule.scale,
        on_hand,
        reserved,
        incoming,
        proposed,
        point,
        top,
        safety,
        economic,
        demand.mean,
        quantity,
        rule.route,
        today + dt.timedelta(days=rule.lead_time_days),
        reason,
    )


# -- proposals ----------------------------------------------------------------

def replenish(session: Session, company: Company, warehouse: Optional[str] = None,
              today: Optional[dt.date] = None, dry_run: bool = False, *,
              window_days: int = WINDOW_DAYS) -> list[Planned]:
    """Plan, write the proposals and announce them; proposals a plugin answered with a
    document become ``ordered``. ``dry_run`` plans only. All or nothing."""
    # One run per company at a time: a second would not see the first's open proposals yet.
    session.execute(select(Settings.company_id).where(Settings.company_id == company.id).with_for_update())
    planned = plan(session, company, warehouse, today, window_days=window_days)
    if dry_run or not planned:
        return planned
    rows = [Proposal(company_id=company.id, warehouse_id=p.warehouse_id, product_id=p.product_id,
                     quantity=p.quantity, route=p.route, reason=p.reason, state=ProposalState.OPEN)
            for p in planned]
    session.add_all(rows)
    session.flush()
    event = ReplenishmentProposed(company_id=company.id, proposals=tuple(
        ProposedOrder(row.id, p.warehouse, p.product, p.amount(p.quantity), p.route, p.needed_by, p.reason)
        for row, p in zip(rows, planned)))
    results = plugins_of(session).for_company(session, company).replenishment_proposed(
        session=session, company=company, event=event)
    answered = _answers(results, {row.id for row in rows})
    for row in rows:
        if row.id in answered:
            row.state, row.document = ProposalState.ORDERED, answered[row.id]
    session.flush()
    return [attrs.evolve(p, proposal_id=row.id, state=row.state.value, document=row.document)
            for row, p in zip(rows, planned)]


def _answers(results, ids: set[int]) -> dict[int, str]:
    """The documents the hook results name, checked: a plugin's mistake refuses the run."""
    answered: dict[int, str] = {}
    for result in results:
        if result is None:
            continue
        if not isinstance(result, Mapping):
            raise Conflict(f"a replenishment_proposed handler returned {type(result).__name__}, not a dict")
        for proposal_id, document in result.items():
            if proposal_id not in ids:
                raise Conflict(f"a replenishment_proposed handler answered proposal {proposal_id!r}, "
                               "which this run did not propose")
            if not isinstance(document, str) or not document.strip() or len(document) > 200:
                raise Conflict(
                    f"proposal {proposal_id}: document reference {document!r} must be 1-200 characters"
                )
            if proposal_id in answered:
                raise Conflict(
                    f"proposal {proposal_id} was answered twice ({answered[proposal_id]}, {document})"
                )
            answered[proposal_id] = document.strip()
    return answered


def _proposal(session: Session, company: Company, proposal_id) -> Proposal:
    number = as_id(proposal_id)
    found = None if number is None else session.get(Proposal, number)
    if found is None or found.company_id != company.id:
        raise NotFound(f"unknown proposal {proposal_id} in company {company.code}")
    return found


def dismiss(session: Session, company: Company, proposal_id) -> Proposal:
    """Dismiss an open proposal (the next plan may propose again)."""
    proposal = _proposal(session, company, proposal_id)
    if proposal.state is not ProposalState.OPEN:
        raise Conflict(
            f"proposal {proposal.id} is {proposal.state.value}: only an open proposal can be dismissed"
        )
    proposal.state = ProposalState.DISMISSED
    session.flush()
    return proposal


def list_proposals(session: Session, company: Company, state: Optional[str] = None,
                   warehouse: Optional[str] = None) -> list[Proposal]:
    """The company's proposals (in one state, of one warehouse), newest first."""
    query = select(Proposal).where(Proposal.company_id == company.id).order_by(Proposal.id.desc())
    if state:
        try:
            query = query.where(Proposal.state == ProposalState(state.strip().lower()))
        except ValueError:
            raise Invalid(f"unknown proposal state {state!r} (one of: "
                          f"{', '.join(s.value for s in ProposalState)})") from None
    if warehouse:
        query = query.where(Proposal.warehouse_id == find_warehouse(session, company, warehouse).id)
    return list(session.scalars(query))

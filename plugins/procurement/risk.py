"""Supplier risk and the products that depend on one supplier only.

A product's suppliers are the parties that sell it in the active catalogue
or that it was bought from (a line of a confirmed or done purchase order).
A product with exactly one supplier is *single-source*: if that supplier
fails, nobody else is known to deliver it (:func:`single_source`).

A supplier's risk score (0 = none, 100 = most) is the weighted sum of three
factors, each 0..100 and shown with its weight (:data:`RISK_WEIGHTS`):

- ``single_source``: the share of the supplier's products that only it
  supplies;
- ``lead_time``: the variability of its lead times, the coefficient of
  variation (standard deviation / mean) in percent, capped at 100 (no
  receipts yet: 0, and the factor says so);
- ``spend``: its share of the company's spend in the period (untaxed amount
  of confirmed and done orders dated in it). Spend is compared in the
  company currency: orders in other currencies are left out of the shares
  (procurement does not convert; their amounts are shown per currency).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party
from core.models import Company, Party, Product
from plugins.procurement.models import OrderLine, PurchaseOrder, SupplierProduct
from plugins.procurement.performance import LIVE_STATES, performance, period_of
from plugins.procurement.values import money

__all__ = ["RISK_WEIGHTS", "RiskFactor", "SupplierRisk", "SingleSource", "supplier_risk", "single_source",
           "suppliers_by_product"]

RISK_WEIGHTS = {"single_source": 40, "lead_time": 30, "spend": 30}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _q(value: Decimal, step: Decimal = CENT) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


@attrs.frozen
class RiskFactor:
    """One factor: its key, what was measured (``measure``: the number of single-source products, the
    coefficient of variation (``None`` without receipts), the percent share of spend), its score 0..100,
    its weight in percent and what it adds to the risk score (``score * weight / 100``)."""

    key: str
    measure: Optional[Decimal]
    score: Decimal
    weight: int
    contribution: Decimal


@attrs.frozen
class SupplierRisk:
    supplier: str
    supplier_name: str
    products: int
    single_source_products: tuple[str, ...]
    lead_time_cv: Optional[Decimal]
    spend: Decimal               # company currency
    spend_share: Decimal         # percent of the company-currency spend
    other_spend: dict[str, Decimal]  # other currencies, not in the share
    factors: tuple[RiskFactor, ...]
    score: Decimal

    def as_dict(self) -> dict:
        return attrs.asdict(self)


@attrs.frozen
class SingleSource:
    """A product only one supplier is known for, from the catalogue and/or the purchase history."""

    product: str
    product_name: str
    supplier: str
    supplier_name: str
    in_catalogue: bool
    in_history: bool
    price: Optional[Decimal]         # the catalogue price, else the last ordered price
    currency: Optional[str]
    lead_time_days: Optional[int]    # the catalogue's
    last_ordered: Optional[dt.date]

    def as_dict(self) -> dict:
        return attrs.asdict(self)


def suppliers_by_product(session: Session, company: Company) -> dict[int, dict[int, set[str]]]:
    """``{product id: {party id: {"catalogue", "history"}}}`` for every product someone supplies."""
    found: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for product_id, party_id in session.execute(
        select(SupplierProduct.product_id, SupplierProduct.party_id).where(
            SupplierProduct.company_id == company.id, SupplierProduct.active.is_(True)
        )
    ):
        found[product_id][party_id].add("catalogue")
    for product_id, party_id in session.execute(
            select(OrderLine.product_id, PurchaseOrder.party_id).join(PurchaseOrder).where(
                PurchaseOrder.company_id == company.id, PurchaseOrder.state.in_(LIVE_STATES)).distinct()):
        found[product_id][party_id].add("history")
    return found


def single_source(
    session: Session, company: Company, *, supplier: Optional[str] = None
) -> list[SingleSource]:
    """The products with exactly one supplier (of ``supplier`` only, if given), by product SKU."""
    only = get_party(session, company, supplier.strip()).id if supplier else None
    rows = []
    for product_id, parties in suppliers_by_product(session, company).items():
        if len(parties) != 1:
            continue
        (party_id, sources), = parties.items()
        if only is not None and party_id != only:
            continue
        party = session.get(Party, party_id)
        product = session.get(Product, product_id)
        item = session.scalar(select(SupplierProduct).where(
            SupplierProduct.company_id == company.id, SupplierProduct.party_id == party_id,
            SupplierProduct.product_id == product_id, SupplierProduct.active.is_(True)))
        last = session.execute(select(OrderLine.price_units, PurchaseOrder.currency, PurchaseOrder.date)
                               .join(PurchaseOrder).where(
            PurchaseOrder.company_id == company.id, PurchaseOrder.party_id == party_id,
            PurchaseOrder.state.in_(LIVE_STATES), OrderLine.product_id == product_id)
            .order_by(PurchaseOrder.date.desc(), PurchaseOrder.id.desc()).limit(1)).first()
        if item is not None:
            price, currency = money(item.price_units, item.currency), item.currency
        elif last is not None:
            price, currency = money(last[0], last[1]), last[1]
        else:
            price = currency = None
        rows.append(SingleSource(product.sku, product.name, party.code, party.name, "catalogue" in sources,
                                 "history" in sources, price, currency,
                                 item.lead_time_days if item is not None else None,
                                 last[2] if last is not None else None))
    return sorted(rows, key=lambda row: row.product)


def supplier_risk(session: Session, company: Company, *, start=None, end=None,
                  today: Optional[dt.date] = None) -> list[SupplierRisk]:
    """The risk of every supplier (a catalogue row, a live order, or history in the period), riskiest
    first."""
    start, end = period_of(start, end)
    by_product = suppliers_by_product(session, company)
    products: dict[int, set[int]] = defaultdict(set)
    single: dict[int, list[int]] = defaultdict(list)
    for product_id, parties in by_product.items():
        for party_id in parties:
            products[party_id].add(product_id)
        if len(parties) == 1:
            single[next(iter(parties))].append(product_id)
    perf = {row.supplier: row for row in performance(session, company, start=start, end=end, today=today)}
    party_ids = set(products)
    party_ids |= {session.scalar(select(Party.id).where(Party.company_id == company.id, Party.code == code))
                  for code in perf}
    own = company.currency
    total = sum((row.spend.get(own, Decimal(0)) for row in perf.values()), Decimal(0))
    rows = []
    for party_id in party_ids:
        party = session.get(Party, party_id)
        row = perf.get(party.code)
        spend = row.spend.get(own, Decimal(0)) if row else Decimal(0)
        share = spend * HUNDRED / total if total else Decimal(0)
        cv = row.lead_time_cv if row else None
        skus = tuple(sorted(session.get(Product, pid).sku for pid in single.get(party_id, [])))
        count = len(products.get(party_id, ()))
        factors = (
            _factor("single_source", Decimal(len(skus)),
                    Decimal(len(skus)) * HUNDRED / count if count else Decimal(0)),
            _factor("lead_time", cv, min(HUNDRED, cv * HUNDRED) if cv is not None else Decimal(0)),
            _factor("spend", _q(share), share),
        )
        rows.append(SupplierRisk(
            party.code, party.name, count, skus, cv, spend, _q(share),
            {cur: amount for cur, amount in (row.spend.items() if row else ()) if cur != own}, factors,
            _q(sum((f.score * f.weight for f in factors), Decimal(0)) / HUNDRED, Decimal("0.1"))))
    return sorted(rows, key=lambda r: (-r.score, r.supplier))


def _factor(key: str, measure: Optional[Decimal], score: Decimal) -> RiskFactor:
    weight = RISK_WEIGHTS[key]
    return RiskFactor(key, measure, _q(score), weight, _q(score * weight / HUNDRED))

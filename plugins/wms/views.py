"""Plain data of wms's records, for ``--json`` and the JSON pages (one shape for both)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from core.models import Company
from plugins.wms.documents import Operation, Package
from plugins.wms.models import Location, Settings, Warehouse
from plugins.wms.operations import reserved_of
from plugins.wms.replenishment import Planned
from plugins.wms.values import cost, money, quantity

__all__ = ["operation_data", "location_data", "warehouse_data", "settings_data", "planned_data"]


def operation_data(company: Company, op: Operation) -> dict:
    moves = []
    for move in op.moves:
        product = move.product
        moves.append(
            {
                "product": product.sku,
                "name": product.name,
                "unit": product.unit.code,
                "demand": quantity(product, move.demand),
                "reserved": quantity(product, reserved_of(move)),
                "picked": quantity(product, sum(line.picked for line in move.lines)),
                "done": quantity(product, move.done),
                "unit_cost": cost(move.unit_cost) if move.unit_cost is not None else None,
                "value": money(move.value, company.currency) if move.value is not None else None,
                "lines": [
                    {
                        "source": line.source.code,
                        "destination": line.destination.code,
                        "lot": line.lot.name if line.lot else None,
                        "reserved": quantity(product, line.reserved),
                        "picked": quantity(product, line.picked),
                        "done": quantity(product, line.done),
                    }
                    for line in move.lines
                ],
            }
        )
    return {
        "id": op.id,
        "number": op.number,
        "kind": op.kind,
        "state": op.state,
        "warehouse": op.warehouse.code,
        "party": op.party.code if op.party else None,
        "source": op.source.code,
        "destination": op.destination.code,
        "scheduled": op.scheduled,
        "done_on": op.done_on,
        "origin": op.origin,
        "reference": op.reference,
        "backorder_of": op.backorder_of.number if op.backorder_of else None,
        "transaction_id": op.transaction_id,
        "moves": moves,
        "packages": _packages(op),
    }


def _packages(op: Operation) -> list[dict]:
    """The packages of a delivery with what was packed in each."""
    session = object_session(op)
    packages = session.scalars(
        select(Package).where(Package.operation_id == op.id).order_by(Package.id)
    ).all()
    contents = {package.id: [] for package in packages}
    for move in op.moves:
        for line in move.lines:
            if line.package_id in contents:
                contents[line.package_id].append(
                    {
                        "product": move.product.sku,
                        "lot": line.lot.name if line.lot else None,
                        "quantity": quantity(move.product, line.picked),
                    }
                )
    return [{"number": p.number, "weight_grams": p.weight_grams, "lines": contents[p.id]} for p in packages]


def location_data(location: Location) -> dict:
    return {"code": location.code, "name": location.name, "kind": location.kind, "level": location.level,
            "barcode": location.barcode, "count_every_days": location.count_every_days,
            "last_counted": location.last_counted}


def warehouse_data(warehouse: Warehouse) -> dict:
    return {"code": warehouse.code, "name": warehouse.name, "location": warehouse.location.code}


def settings_data(settings: Settings) -> dict:
    def code(account):
        return account.code if account is not None else None

    return {
        "allow_negative": settings.allow_negative,
        "removal": settings.removal,
        "cost_method": settings.cost_method,
        "valued": settings.inventory_account_id is not None,
        "inventory_account": code(settings.inventory_account),
        "received_account": code(settings.received_account),
        "cogs_account": code(settings.cogs_account),
        "difference_account": code(settings.difference_account),
    }


def planned_data(p: Planned) -> dict:
    """A line of the replenishment plan as the CLI and the web show it (quantities in the product's unit)."""
    return {
        "warehouse": p.warehouse,
        "product": p.product,
        "unit": p.unit,
        "quantity": p.amount(p.quantity),
        "route": p.route,
        "needed_by": p.needed_by,
        "position": p.amount(p.position),
        "on_hand": p.amount(p.on_hand),
        "reserved": p.amount(p.reserved),
        "incoming": p.amount(p.incoming),
        "proposed": p.amount(p.proposed),
        "reorder_point": p.amount(p.reorder_point),
        "maximum": p.amount(p.maximum),
        "safety_stock": p.amount(p.safety_stock),
        "eoq": p.amount(p.eoq),
        "reason": p.reason,
    }

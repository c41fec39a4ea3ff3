"""Plain data of wms's records, for ``--json`` and the JSON pages (one shape for both)."""

from __future__ import annotations

from core.models import Company
from plugins.wms.documents import Operation
from plugins.wms.models import Location, Settings, Warehouse
from plugins.wms.operations import reserved_of
from plugins.wms.values import cost, money, quantity

__all__ = ["operation_data", "location_data", "warehouse_data", "settings_data"]


def operation_data(company: Company, op: Operation) -> dict:
    moves = []
    for move in op.moves:
        product = move.product
        moves.append({
            "product": product.sku, "name": product.name, "unit": product.unit.code,
            "demand": quantity(product, move.demand), "reserved": quantity(product, reserved_of(move)),
            "picked": quantity(product, sum(line.picked for line in move.lines)),
            "done": quantity(product, move.done),
            "unit_cost": cost(move.unit_cost) if move.unit_cost is not None else None,
            "value": money(move.value, company.currency) if move.value is not None else None,
            "lines": [{"source": line.source.code, "destination": line.destination.code,
                       "lot": line.lot.name if line.lot else None, "reserved": quantity(product, line.reserved),
                       "picked": quantity(product, line.picked), "done": quantity(product, line.done)}
                      for line in move.lines],
        })
    return {"id": op.id, "number": op.number, "kind": op.kind, "state": op.state, "warehouse": op.warehouse.code,
            "party": op.party.code if op.party else None, "source": op.source.code,
            "destination": op.destination.code, "scheduled": op.scheduled, "done_on": op.done_on,
            "origin": op.origin, "reference": op.reference,
            "backorder_of": op.backorder_of.number if op.backorder_of else None,
            "transaction_id": op.transaction_id, "moves": moves}


def location_data(location: Location) -> dict:
    return {"code": location.code, "name": location.name, "kind": location.kind, "level": location.level,
            "barcode": location.barcode, "count_every_days": location.count_every_days,
            "last_counted": location.last_counted}


def warehouse_data(warehouse: Warehouse) -> dict:
    return {"code": warehouse.code, "name": warehouse.name, "location": warehouse.location.code}


def settings_data(settings: Settings) -> dict:
    def code(account):
        return account.code if account is not None else None

    return {"allow_negative": settings.allow_negative, "removal": settings.removal,
            "cost_method": settings.cost_method, "valued": settings.inventory_account_id is not None,
            "inventory_account": code(settings.inventory_account), "received_account": code(settings.received_account),
            "cogs_account": code(settings.cogs_account), "difference_account": code(settings.difference_account)}

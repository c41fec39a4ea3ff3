"""What the wms pages share: words for enum values, links, filters, scanning.

Enum values become words a reader knows through ``N_`` so that Babel
extracts them; the pages translate them at run time with ``_()``. The
labels of the product facts (plugins/wms/facts.py) are listed here too:
the product page translates them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Optional, TypeVar

from flask import abort, g, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.errors import JangbuError
from plugins.wms.documents import (
    CountState,
    Operation,
    OperationKind,
    OperationState,
    ProposalState,
    WaveState,
)
from plugins.wms.models import CostMethod, LocationKind, LocationLevel, Removal, Tracking, Warehouse
from plugins.wms.places import scan_location
from plugins.wms.products import scan_product
from web.context import db_session
from web.lists import choice, filter_links  # noqa: F401  (the pages import them from here)

__all__ = [
    "N_",
    "word",
    "choice",
    "filter_links",
    "operation_url",
    "plain_decimal",
    "checked",
    "ActionForm",
    "scanned_product",
    "scanned_location",
    "query_value",
    "warehouse_choices",
    "SETUP_TABS",
    "FACT_LABELS",
]

T = TypeVar("T")


def N_(text: str) -> str:
    return text


_WORDS: dict[Any, str] = {
    OperationKind.RECEIPT: N_("receipt"),
    OperationKind.DELIVERY: N_("delivery"),
    OperationKind.INTERNAL: N_("internal transfer"),
    OperationState.DRAFT: N_("draft"),
    OperationState.READY: N_("ready"),
    OperationState.DONE: N_("done"),
    OperationState.CANCELLED: N_("cancelled"),
    LocationKind.INTERNAL: N_("internal"),
    LocationKind.SUPPLIER: N_("supplier"),
    LocationKind.CUSTOMER: N_("customer"),
    LocationKind.PRODUCTION: N_("production"),
    LocationKind.LOSS: N_("inventory loss"),
    LocationKind.TRANSIT: N_("in transit"),
    LocationLevel.WAREHOUSE: N_("warehouse"),
    LocationLevel.ZONE: N_("zone"),
    LocationLevel.AISLE: N_("aisle"),
    LocationLevel.BIN: N_("bin"),
    Tracking.NONE: N_("not tracked"),
    Tracking.LOT: N_("by lot"),
    Tracking.SERIAL: N_("by serial number"),
    Removal.FIFO: N_("first in, first out"),
    Removal.FEFO: N_("first expiring, first out"),
    CostMethod.FIFO: N_("FIFO"),
    CostMethod.AVERAGE: N_("moving average"),
    CountState.DRAFT: N_("draft"),
    CountState.COUNTED: N_("counted"),
    CountState.APPROVED: N_("approved"),
    CountState.CANCELLED: N_("cancelled"),
    WaveState.OPEN: N_("open"),
    WaveState.DONE: N_("done"),
    WaveState.CANCELLED: N_("cancelled"),
    ProposalState.OPEN: N_("open"),
    ProposalState.ORDERED: N_("ordered"),
    ProposalState.DISMISSED: N_("dismissed"),
    "purchase": N_("purchase"),
    "manufacture": N_("manufacture"),
}

# Fact.label of plugins/wms/facts.py (the product page translates them).
FACT_LABELS = (N_("On hand"), N_("Reserved"), N_("Available"))


def word(value: Any) -> str:
    """An enum value in the page's language ("" for ``None``)."""
    return "" if value is None else _(_WORDS[value])


def query_value(name: str, find: Callable[[str], T]) -> T | None:
    """Query argument ``name`` looked up with ``find`` (``None`` when absent); what it refuses is a 400."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if len(raw) > 100:
        abort(400, _("%(name)s is too long", name=name))
    try:
        return find(raw)
    except JangbuError as exc:
        abort(400, str(exc))


def plain_decimal(value: Optional[Decimal]) -> Optional[Decimal]:
    """``value`` without an exponent: ``values.cost`` normalizes 8500 to ``8.5E+3``, which JSON and
    forms would show as such."""
    return None if value is None else Decimal(format(value, "f"))


def operation_url(op: Operation, endpoint: str = "wms.operation") -> str:
    return url_for(endpoint, number=op.number)


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


def checked(form: FlaskForm) -> None:
    """400 unless the posted form (its CSRF token) is valid."""
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))


def scanned_product(text: str) -> str:
    """The SKU of what a scanner read (a product barcode or SKU); a ``NotFound`` otherwise."""
    return scan_product(db_session(), g.company, text).sku


def scanned_location(text: str) -> str:
    """The code of what a scanner read (a location barcode or code); a ``NotFound`` otherwise."""
    return scan_location(db_session(), g.company, text).code


def warehouse_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{code} · {name}")
        for code, name in db_session().execute(
            select(Warehouse.code, Warehouse.name)
            .where(Warehouse.company_id == g.company.id)
            .order_by(Warehouse.code)
        )
    ]


# The tabs of the set-up pages: (endpoint, label); labels translated where shown.
SETUP_TABS = [("wms.locations", N_("Locations")), ("wms.warehouses", N_("Warehouses")),
              ("wms.product_rules", N_("Product rules")), ("wms.putaway_rules", N_("Putaway rules")),
              ("wms.settings", N_("Settings"))]

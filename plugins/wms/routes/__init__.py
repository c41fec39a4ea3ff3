"""WMS's web pages: the Blueprint ``wms`` under ``/c/<company>/wms/``.

Split by concern: stock (availability by place, product and lot; a
product's stock card with its turnover), operations (the list, one
operation and what one does to it), operation forms (a new operation, the
validation form), set-up (settings, warehouses, locations, product
rules, putaway rules), counts, picking and waves, and replenishment.
Every view is thin: parse, call the services the CLI calls, render.
Forms take what a scanner reads: a product field a barcode or SKU, a
location field a barcode or code.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, redirect, url_for

from core import MenuItem
from web.access import permission

__all__ = ["blueprint", "menu"]

blueprint = Blueprint(
    "wms", __name__, template_folder=str(Path(__file__).resolve().parent.parent / "templates")
)


def menu() -> list[MenuItem]:
    """The navigation entries (labels are translated by the layout)."""
    return [
        MenuItem("Stock", "wms.stock", "wms.view", order=40),
        MenuItem("Operations", "wms.operations", "wms.view", order=41),
        MenuItem("Valuation", "wms.valuation", "wms.view", order=46),
        MenuItem("Warehouse set-up", "wms.locations", "wms.view", order=42),
        MenuItem("Counts", "wms.counts", "wms.view", order=43),
        MenuItem("Waves", "wms.waves", "wms.view", order=44),
        MenuItem("Replenishment", "wms.replenishment", "wms.view", order=45),
    ]


@blueprint.get("/", endpoint="home")
@permission("wms.view")
def home():
    return redirect(url_for("wms.stock"))


# The pages register themselves on the blueprint when imported.
from plugins.wms.routes import (  # noqa: E402,F401
    counts,
    operation_forms,
    operations,
    picking,
    replenishment,
    set_up,
    stock,
)

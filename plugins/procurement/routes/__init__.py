"""Procurement's web pages: the Blueprint ``procurement`` under
``/c/<company>/procurement/``.

Split by concern: set-up (settings, the supplier catalogue), requests
(requisitions, requests for quotation with the side-by-side comparison of
the quotes), orders (purchase orders, their approval, receipts and
returns), bills (the three-way match, held bills and their release,
payment) and analysis (supplier performance, risk, single-source
products). Every view is thin: parse, call the services the CLI calls,
render.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, redirect, url_for

from core import MenuItem
from web.access import permission

__all__ = ["blueprint", "menu"]

blueprint = Blueprint("procurement", __name__,
                      template_folder=str(Path(__file__).resolve().parent.parent / "templates"))


def menu() -> list[MenuItem]:
    """The navigation entries (labels are translated by the layout)."""
    return [
        MenuItem("Purchase orders", "procurement.orders", "procurement.view", order=50),
        MenuItem("Requisitions", "procurement.requisitions", "procurement.view", order=51),
        MenuItem("Supplier bills", "procurement.bills", "procurement.view", order=52),
        MenuItem("Supplier catalogue", "procurement.catalogue", "procurement.view", order=53),
        MenuItem("Supplier performance", "procurement.performance", "procurement.view", order=54),
    ]


@blueprint.get("/", endpoint="home")
@permission("procurement.view")
def home():
    return redirect(url_for("procurement.orders"))


# The pages register themselves on the blueprint when imported.
from plugins.procurement.routes import analysis, bills, orders, requests, set_up  # noqa: E402,F401

"""Sales's web pages: the Blueprint ``sales`` under ``/c/<company>/sales/``.

Split by concern: the CRM (leads, the public enquiry form, scoring,
opportunities and the pipeline board, activities), orders (price lists,
quotations, orders, contracts) and analysis (the sales dashboard,
targets, the pipeline forecast). Every view is thin: parse, call the
services the CLI calls, render.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, redirect, url_for

from core import MenuItem
from web.access import permission

__all__ = ["blueprint", "menu"]

blueprint = Blueprint(
    "sales", __name__, template_folder=str(Path(__file__).resolve().parent.parent / "templates")
)


def menu() -> list[MenuItem]:
    """The navigation entries (labels are translated by the layout)."""

    return [*crm.MENU, *orders.MENU, *analysis.MENU]


@blueprint.get("/", endpoint="home")
@permission("sales.view")
def home():
    return redirect(url_for("sales.analysis"))


# The pages register themselves on the blueprint when imported.
from plugins.sales.routes import analysis, analysis_plans, crm, orders  # noqa: E402,F401

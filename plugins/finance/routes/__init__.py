"""Finance's web pages: the Blueprint ``finance`` under ``/c/<company>/finance/``.

Split by concern: documents (invoice and bill lists, a document, its
actions), editing (the new-document and edit-draft forms), printing (the
print view and its PDF), payments, books (journals and their entries,
periods and years, exchange rates, revaluation, taxes and payment terms),
reports (with their query forms), bank statements and budgets.
Every view is thin: parse, call the services the CLI calls, render.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, redirect, url_for

from core import MenuItem
from web.access import permission

__all__ = ["blueprint", "menu"]

blueprint = Blueprint(
    "finance", __name__, template_folder=str(Path(__file__).resolve().parent.parent / "templates")
)


def menu() -> list[MenuItem]:
    """The navigation entries (labels are translated by the layout)."""
    return [
        MenuItem("Invoices", "finance.invoices", "finance.view", order=30),
        MenuItem("Bills", "finance.bills", "finance.view", order=31),
        MenuItem("Payments", "finance.payments", "finance.view", order=32),
        MenuItem("Books", "finance.journals", "finance.view", order=33),
        MenuItem("Reports", "finance.reports", "finance.view", order=34),
        MenuItem("Bank", "finance.bank_statements", "finance.view", order=35),
        MenuItem("Budgets", "finance.budgets", "finance.view", order=36),
    ]


@blueprint.get("/", endpoint="home")
@permission("finance.view")
def home():
    return redirect(url_for("finance.invoices"))


# The pages register themselves on the blueprint when imported.
from plugins.finance.routes import bank, books, budgets, documents, editing, payments, printing, reports  # noqa: E402,F401  # noqa: E402,F401

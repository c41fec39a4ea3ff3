"""Forms in a few lines: validate, call the service, redirect or show the errors.

    form = PartyForm()
    return form_page(form, lambda: redirect(url_for(...create(...)...)), title=_("New party"))

WTForms checks each field and its errors show next to it; a refusal from a
service (a ``JangbuError``: duplicate code, locked period) shows above the
form. The service runs inside a savepoint, so a refusal leaves nothing
behind, and a form shown again after a POST answers 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

from flask import Response, g, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField

from core.errors import Invalid, JangbuError
from core.models import Party, Product
from core.values import parse_whole
from web.context import db_session

__all__ = ["submitted", "form_page", "WholeField", "MAX_CHOICES", "party_and_product_choices"]

MAX_CHOICES = 1000  # parties, products and accounts offered as suggestions (datalists)


_NOT_WHOLE = "Not a valid integer value."  # WTForms' own words, in WTForms' own catalogs


class WholeField(IntegerField):
    """WTForms' ``IntegerField`` as ``core.values.parse_whole`` reads it: ASCII digits only
    (``int()`` took ``١٢`` and ``1_000``); its validators (``NumberRange``) check the range."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            return super().process_formdata(
                valuelist
            )  # blank: WTForms' own "not a valid integer" or Optional
        try:
            self.data = parse_whole(valuelist[0], "value", -2**63, 2**63 - 1)
        except Invalid:
            self.data = None
            raise ValueError(self.invalid_value_message or self.gettext(_NOT_WHOLE)) from None


def submitted(form: FlaskForm, action: Callable[[], Response]) -> Optional[Response]:
    """The response of ``action`` when the form was posted, valid and accepted; else ``None``."""
    if not form.validate_on_submit():
        return None
    try:
        with db_session().begin_nested():
            return action()
    except JangbuError as exc:
        form.form_errors.append(str(exc))
        return None


def form_page(form: FlaskForm, action: Callable[[], Response], *, template: str = "shell/form.html",
              **context: Any) -> Response | tuple[str, int]:
    """Handle a GET or POST of ``form``: the action's response, or the form (again)."""
    done = submitted(form, action)
    if done is not None:
        return done
    return render_template(template, form=form, **context), 400 if request.method == "POST" else 200


def party_and_product_choices() -> dict:
    """The company's parties and active products as ``(code, name)`` rows, for a form's suggestion lists."""
    session, company = db_session(), g.company
    return {
        "parties": session.execute(select(Party.code, Party.name).where(Party.company_id == company.id)
                                   .order_by(Party.code).limit(MAX_CHOICES)).all(),
        "products": session.execute(select(Product.sku, Product.name).where(
            Product.company_id == company.id, Product.active).order_by(Product.sku).limit(MAX_CHOICES)).all(),
    }

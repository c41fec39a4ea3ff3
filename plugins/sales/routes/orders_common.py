"""What the order pages share: words for enum values, the forms, links to partners' pages.

Enum values become words through ``N_`` so that Babel extracts them; pages
translate them at run time. Amounts and quantities stay text until the
services read them exactly (never floats).
"""

from __future__ import annotations

from typing import Any, Optional

from flask import abort, g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.validators import Optional as Blank

from plugins.sales.documents import ContractState, Interval, InvoicePolicy, OrderState, PaymentState, Progress

__all__ = ["N_", "word", "ActionForm", "checked", "LineForm", "QuotationForm", "HeaderForm", "AddLineForm",
           "DeliverForm",
           "SettingsForm", "TermsForm", "PriceListForm", "PriceForm", "ContractForm", "ContractLineForm",
           "BillDueForm", "partner_url", "SETUP_TABS", "BLANK_LINES", "text_of"]

BLANK_LINES = 5


def N_(text: str) -> str:
    return text


_WORDS: dict[Any, str] = {
    OrderState.DRAFT: N_("quotation"),
    OrderState.SENT: N_("quotation sent"),
    OrderState.CONFIRMED: N_("confirmed"),
    OrderState.DONE: N_("done"),
    OrderState.CANCELLED: N_("cancelled"),
    Progress.NOTHING: N_("nothing"),
    Progress.PARTIAL: N_("partial"),
    Progress.FULL: N_("full"),
    PaymentState.NOT_PAID: N_("not paid"),
    PaymentState.PARTIAL: N_("partly paid"),
    PaymentState.PAID: N_("paid"),
    InvoicePolicy.ORDER: N_("on order"),
    InvoicePolicy.DELIVERY: N_("on delivery"),
    Interval.MONTH: N_("month"),
    Interval.QUARTER: N_("quarter"),
    Interval.YEAR: N_("year"),
    ContractState.ACTIVE: N_("active"),
    ContractState.PAUSED: N_("paused"),
    ContractState.ENDED: N_("ended"),
}
# The words order_facts.py writes on the timeline (the party page translates them).
TIMELINE_WORDS = (N_("draft"), N_("sent"), N_("not paid"), N_("active"), N_("ended"), N_("order"),
                  N_("quotation"), N_("contract"))

SETUP_TABS = [("sales.order_settings", N_("Order settings")), ("sales.customers", N_("Customer terms")),
              ("sales.pricelists", N_("Price lists"))]


def word(value: Any) -> str:
    return "" if value is None else _(_WORDS[value])


def text_of(field) -> Optional[str]:
    value = (field.data or "").strip()
    return value or None


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


def checked(form: FlaskForm) -> None:
    """400 unless the posted form (its CSRF token) is valid."""
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))


class LineForm(Form):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=40)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), Length(max=30)])
    price = StringField(_l("Unit price"), validators=[Blank(), Length(max=30)])
    discount = StringField(_l("Discount %"), validators=[Blank(), Length(max=10)])

    def entered(self) -> bool:
        return any(text_of(f) for f in (self.product, self.quantity, self.price, self.discount))


class QuotationForm(FlaskForm):
    party = StringField(_l("Customer"), validators=[DataRequired(), Length(max=40)])
    date = StringField(_l("Date"), validators=[Blank(), Length(max=10)])
    valid_until = StringField(_l("Valid until"), validators=[Blank(), Length(max=10)])
    commitment = StringField(_l("Delivery promised"), validators=[Blank(), Length(max=10)])
    price_list = StringField(_l("Price list"), validators=[Blank(), Length(max=40)])
    salesperson = StringField(_l("Salesperson"), validators=[Blank(), Length(max=80)])
    note = TextAreaField(_l("Note"), validators=[Blank(), Length(max=4000)])
    lines = FieldList(FormField(LineForm), min_entries=BLANK_LINES, max_entries=50)


class HeaderForm(FlaskForm):
    valid_until = StringField(_l("Valid until"), validators=[Blank(), Length(max=10)])
    commitment = StringField(_l("Delivery promised"), validators=[Blank(), Length(max=10)])
    salesperson = StringField(_l("Salesperson"), validators=[Blank(), Length(max=80)])
    note = TextAreaField(_l("Note"), validators=[Blank(), Length(max=4000)])


class AddLineForm(FlaskForm):
    product = StringField(_l("Product"), validators=[DataRequired(), Length(max=40)])
    quantity = StringField(_l("Quantity"), validators=[DataRequired(), Length(max=30)])
    price = StringField(_l("Unit price"), validators=[Blank(), Length(max=30)])
    discount = StringField(_l("Discount %"), validators=[Blank(), Length(max=10)])


class DeliverForm(FlaskForm):
    date = StringField(_l("Date"), validators=[Blank(), Length(max=10)])


class SettingsForm(FlaskForm):
    invoice_policy = SelectField(_l("Invoice"), choices=[SelectChoice("delivery", _l("on delivery")),
                                                         SelectChoice("order", _l("on order"))])
    warehouse = StringField(_l("Warehouse (wms)"), validators=[Blank(), Length(max=40)])
    quotation_days = StringField(
        _l("Quotations valid for (days)"), validators=[DataRequired(), Length(max=5)]
    )
    price_list = StringField(_l("Default price list"), validators=[Blank(), Length(max=40)])


class TermsForm(FlaskForm):
    party = StringField(_l("Customer"), validators=[DataRequired(), Length(max=40)])
    credit_limit = StringField(_l("Credit limit (empty: none)"), validators=[Blank(), Length(max=30)])
    price_list = StringField(_l("Price list"), validators=[Blank(), Length(max=40)])
    salesperson = StringField(_l("Salesperson"), validators=[Blank(), Length(max=80)])


class PriceListForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class PriceForm(FlaskForm):
    product = StringField(_l("Product"), validators=[DataRequired(), Length(max=40)])
    price = StringField(_l("Unit price"), validators=[DataRequired(), Length(max=30)])
    min_quantity = StringField(_l("From quantity"), validators=[Blank(), Length(max=30)])
    discount = StringField(_l("Discount %"), validators=[Blank(), Length(max=10)])


class ContractLineForm(Form):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=40)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), Length(max=30)])
    price = StringField(_l("Unit price"), validators=[Blank(), Length(max=30)])

    def entered(self) -> bool:
        return any(text_of(f) for f in (self.product, self.quantity, self.price))


class ContractForm(FlaskForm):
    party = StringField(_l("Customer"), validators=[DataRequired(), Length(max=40)])
    start = StringField(_l("First billing"), validators=[DataRequired(), Length(max=10)])
    end = StringField(_l("End"), validators=[Blank(), Length(max=10)])
    interval = SelectField(_l("Every"), choices=[SelectChoice("month", _l("month")),
                                                 SelectChoice("quarter", _l("quarter")),
                                                 SelectChoice("year", _l("year"))])
    every = StringField(_l("Number of intervals"), default="1", validators=[DataRequired(), Length(max=4)])
    salesperson = StringField(_l("Salesperson"), validators=[Blank(), Length(max=80)])
    lines = FieldList(FormField(ContractLineForm), min_entries=3, max_entries=50)


class BillDueForm(FlaskForm):
    date = StringField(_l("Bill what is due by"), validators=[Blank(), Length(max=10)])


def partner_url(endpoint: str, permission: str, **values) -> Optional[str]:
    """A link to a partner plugin's page, when the user may see it."""
    if permission not in g.permissions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:  # the partner's blueprint is not registered in this installation
        return None

"""The procurement forms. Quantities, prices and percentages stay text until
the services read them exactly (never floats)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.validators import Optional as Blank

__all__ = [
    "SettingsForm",
    "CatalogueForm",
    "RequisitionForm",
    "RfqForm",
    "QuoteForm",
    "ChooseForm",
    "OrderForm",
    "ReceiveForm",
    "ReturnForm",
    "BillForm",
    "ReleaseForm",
    "PayForm",
    "BLANK_LINES",
    "MAX_LINES",
]

BLANK_LINES = 5
MAX_LINES = 200


def _text(field) -> str:
    return (field.data or "").strip()


def _max_rows(form, field):
    if len(field.entries) > MAX_LINES:  # refuse rather than drop what does not fit
        raise ValidationError(_("At most %(max)s lines.", max=MAX_LINES))


def _some_line(form, field):
    _max_rows(form, field)
    if not any(entry.form.entered() for entry in field.entries):
        raise ValidationError(_("Enter at least one line."))


class _Line(Form):
    """A row: empty rows are skipped; a started row needs its ``_needed`` fields."""

    _needed: tuple[str, ...] = ()

    def entered(self) -> bool:
        return any(_text(getattr(self, name)) for name in ("product", *self._needed))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.entered():
            for name in ("product", *self._needed):
                f = getattr(self, name)
                if not _text(f):
                    f.errors = [*f.errors, _("Enter this.")]
                    valid = False
        return valid


class SettingsForm(FlaskForm):
    approval_threshold = StringField(_l("Approval threshold"), validators=[Blank(), Length(max=30)])
    quantity_tolerance = StringField(
        _l("Quantity tolerance (%)"), validators=[InputRequired(), Length(max=10)]
    )
    price_tolerance = StringField(_l("Price tolerance (%)"), validators=[InputRequired(), Length(max=10)])
    warehouse = StringField(_l("Receiving warehouse"), validators=[Blank(), Length(max=40)])
    quote_days = StringField(_l("Days suppliers have to quote"), validators=[InputRequired(), Length(max=6)])


class CatalogueForm(FlaskForm):
    supplier = StringField(_l("Supplier"), validators=[DataRequired(), Length(max=40)])
    product = StringField(_l("Product"), validators=[DataRequired(), Length(max=64)])
    price = StringField(_l("Price"), validators=[InputRequired(), Length(max=30)])
    currency = StringField(_l("Currency"), validators=[Blank(), Length(max=3)])
    lead_time_days = StringField(_l("Lead time (days)"), validators=[InputRequired(), Length(max=6)])
    min_quantity = StringField(_l("Minimum order quantity"), validators=[Blank(), Length(max=30)])
    supplier_sku = StringField(_l("Supplier's SKU"), validators=[Blank(), Length(max=60)])
    preferred = BooleanField(_l("Preferred supplier of this product"))


class RequisitionLineForm(_Line):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=64)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), Length(max=30)])
    needed_by = StringField(_l("Needed by"), validators=[Blank(), Length(max=10)])
    warehouse = StringField(_l("Warehouse"), validators=[Blank(), Length(max=40)])
    _needed = ("quantity",)

    def entered(self) -> bool:
        return any(_text(f) for f in (self.product, self.quantity, self.needed_by, self.warehouse))


class RequisitionForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Blank(), Length(max=2000)])
    lines = FieldList(FormField(RequisitionLineForm), min_entries=BLANK_LINES)
    validate_lines = _some_line


class RfqForm(FlaskForm):
    suppliers = StringField(_l("Suppliers"), validators=[DataRequired(), Length(max=400)])
    date = DateField(_l("Date"), validators=[InputRequired()])
    respond_by = DateField(_l("Answers due"), validators=[Blank()])


class PriceForm(Form):
    product = HiddenField(validators=[DataRequired(), Length(max=64)])
    price = StringField(_l("Unit price"), validators=[InputRequired(), Length(max=30)])


class QuoteForm(FlaskForm):
    prices = FieldList(FormField(PriceForm), min_entries=0)
    currency = StringField(_l("Currency"), validators=[Blank(), Length(max=3)])
    lead_time_days = StringField(_l("Lead time (days)"), validators=[InputRequired(), Length(max=6)])
    valid_until = DateField(_l("Valid until"), validators=[Blank()])
    date = DateField(_l("Received on"), validators=[InputRequired()])
    reference = StringField(_l("Supplier's quote number"), validators=[Blank(), Length(max=60)])
    validate_prices = _max_rows


class ChooseForm(FlaskForm):
    supplier = HiddenField(validators=[DataRequired(), Length(max=40)])


class OrderLineForm(_Line):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=64)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), Length(max=30)])
    price = StringField(_l("Unit price"), validators=[Blank(), Length(max=30)])
    expected = StringField(_l("Expected"), validators=[Blank(), Length(max=10)])
    _needed = ("quantity",)

    def entered(self) -> bool:
        return any(_text(f) for f in (self.product, self.quantity, self.price, self.expected))


class OrderForm(FlaskForm):
    supplier = StringField(_l("Supplier"), validators=[DataRequired(), Length(max=40)])
    date = DateField(_l("Date"), validators=[InputRequired()])
    currency = StringField(_l("Currency"), validators=[Blank(), Length(max=3)])
    requisition = StringField(_l("Requisition"), validators=[Blank(), Length(max=20)])
    warehouse = StringField(_l("Warehouse"), validators=[Blank(), Length(max=40)])
    reference = StringField(_l("Supplier's reference"), validators=[Blank(), Length(max=60)])
    note = TextAreaField(_l("Note"), validators=[Blank(), Length(max=2000)])
    lines = FieldList(FormField(OrderLineForm), min_entries=BLANK_LINES)
    confirm = BooleanField(_l("Confirm at once"))

    def validate_lines(self, field):
        _max_rows(self, field)
        if not _text(self.requisition) and not any(entry.form.entered() for entry in field.entries):
            raise ValidationError(_("Enter at least one line, or the requisition to order."))


class QuantityForm(Form):
    product = HiddenField(validators=[DataRequired(), Length(max=64)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), Length(max=30)])
    price = StringField(_l("Unit price"), validators=[Blank(), Length(max=30)])


class ReceiveForm(FlaskForm):
    lines = FieldList(FormField(QuantityForm), min_entries=0)
    date = DateField(_l("Date"), validators=[InputRequired()])
    reference = StringField(_l("Delivery note"), validators=[Blank(), Length(max=60)])
    validate_lines = _max_rows


class ReturnForm(FlaskForm):
    product = StringField(_l("Product"), validators=[DataRequired(), Length(max=64)])
    quantity = StringField(_l("Quantity"), validators=[DataRequired(), Length(max=30)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    date = DateField(_l("Date"), validators=[InputRequired()])


class BillForm(FlaskForm):
    reference = StringField(_l("Supplier's bill number"), validators=[DataRequired(), Length(max=60)])
    date = DateField(_l("Date"), validators=[InputRequired()])
    lines = FieldList(FormField(QuantityForm), min_entries=0)
    validate_lines = _max_rows


class ReleaseForm(FlaskForm):
    note = TextAreaField(_l("Why release it"), validators=[DataRequired(), Length(max=2000)])


class RefuseForm(FlaskForm):
    note = TextAreaField(_l("Why refuse it"), validators=[DataRequired(), Length(max=2000)])


class PayForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired()])

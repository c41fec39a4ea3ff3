"""The wms forms. Quantities and costs stay text until the services read
them exactly (never floats); product and location fields take what a
scanner reads (a barcode) as well as a typed SKU or code."""

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
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)
from wtforms.validators import (
    Optional as Blank,
)
from wtforms.widgets import CheckboxInput, ListWidget

from web.forms import WholeField

__all__ = [
    "LineForm",
    "OperationForm",
    "DoneForm",
    "LotForm",
    "ValidateForm",
    "SettingsForm",
    "WarehouseForm",
    "LocationForm",
    "RulesForm",
    "PutawayForm",
    "OpenCountForm",
    "CountForm",
    "PickForm",
    "WaveForm",
    "ReorderRuleForm",
    "BLANK_LINES",
    "BLANK_LOTS",
    "BLANK_FOUND",
    "MAX_LINES",
]

BLANK_LINES = 5
BLANK_LOTS = 4
BLANK_FOUND = 3
MAX_LINES = 200


def _text(field) -> str:
    return (field.data or "").strip()


class LineForm(Form):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=64)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), Length(max=30)])
    unit_cost = StringField(_l("Unit cost"), validators=[Blank(), Length(max=30)])

    def entered(self) -> bool:
        return any(_text(f) for f in (self.product, self.quantity, self.unit_cost))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.entered():
            for f, message in ((self.product, _("Scan or enter the product.")),
                               (self.quantity, _("Enter the quantity."))):
                if not _text(f):
                    f.errors = [*f.errors, message]
                    valid = False
        return valid


def _max_rows(what: str):
    def check(form, field):
        if len(field.entries) > MAX_LINES:  # refuse rather than drop what does not fit
            raise ValidationError(_("At most %(max)s %(what)s.", max=MAX_LINES, what=what))
    return check


class OperationForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    warehouse = SelectField(_l("Warehouse"))
    party = StringField(_l("Party"), validators=[Blank(), Length(max=40)])
    source = StringField(_l("From"), validators=[Blank(), Length(max=64)])
    destination = StringField(_l("To"), validators=[Blank(), Length(max=64)])
    scheduled = DateField(_l("Scheduled"), validators=[Blank()])
    reference = StringField(_l("Reference"), validators=[Blank(), Length(max=200)])
    lines = FieldList(FormField(LineForm), min_entries=BLANK_LINES)
    confirm = BooleanField(_l("Confirm at once"))

    def validate_lines(self, field):
        _max_rows(_("lines"))(self, field)
        if not any(entry.form.entered() for entry in field.entries):
            raise ValidationError(_("Enter at least one line."))


class DoneForm(Form):
    product = HiddenField(validators=[DataRequired(), Length(max=40)])
    quantity = StringField(_l("Done"), validators=[InputRequired(), Length(max=30)])


class LotForm(Form):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=64)])
    lot = StringField(_l("Lot or serial number"), validators=[Blank(), Length(max=80)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), Length(max=30)])
    expiry = DateField(_l("Expires"), validators=[Blank()])

    def entered(self) -> bool:
        return bool(_text(self.lot) or _text(self.quantity) or self.expiry.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.entered():
            for f, message in ((self.product, _("Scan or enter the product.")),
                               (self.lot, _("Enter the lot or serial number."))):
                if not _text(f):
                    f.errors = [*f.errors, message]
                    valid = False
        return valid


class ValidateForm(FlaskForm):
    done = FieldList(FormField(DoneForm), min_entries=0)
    lots = FieldList(FormField(LotForm), min_entries=0)
    date = DateField(_l("Date"), validators=[InputRequired()])
    no_backorder = BooleanField(_l("No backorder: drop what was not done"))

    def validate_done(self, field):
        _max_rows(_("products"))(self, field)

    def validate_lots(self, field):
        _max_rows(_("lots"))(self, field)


class SettingsForm(FlaskForm):
    allow_negative = BooleanField(_l("Allow negative stock"))
    removal = SelectField(_l("Removal strategy"))
    cost_method = SelectField(_l("Cost method"))


class WarehouseForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class LocationForm(FlaskForm):
    parent = StringField(_l("Under"), validators=[DataRequired(), Length(max=64)])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[Blank(), Length(max=200)])
    barcode = StringField(_l("Barcode"), validators=[Blank(), Length(max=64)])
    count_every = WholeField(_l("Count every (days)"), validators=[Blank(), NumberRange(min=1, max=3660)])


class RulesForm(FlaskForm):
    tracking = SelectField(_l("Tracking"))
    removal = SelectField(_l("Removal strategy"))
    cost_method = SelectField(_l("Cost method"))
    standard_cost = StringField(_l("Standard cost"), validators=[Blank(), Length(max=30)])


class PutawayForm(FlaskForm):
    location = StringField(_l("Put it at"), validators=[DataRequired(), Length(max=64)])
    product = StringField(_l("Product"), validators=[Blank(), Length(max=64)])
    category = StringField(_l("Or a category"), validators=[Blank(), Length(max=100)])


# -- counts, picking, replenishment -------------------------------------------------------------

class OpenCountForm(FlaskForm):
    location = StringField(_l("Location"), validators=[DataRequired(), Length(max=64)])


class CountedForm(Form):
    product = HiddenField(validators=[DataRequired(), Length(max=40)])
    lot = HiddenField(validators=[Length(max=80)])
    counted = StringField(_l("Counted"), validators=[Blank(), Length(max=30)])


class FoundForm(Form):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=64)])
    lot = StringField(_l("Lot or serial number"), validators=[Blank(), Length(max=80)])
    counted = StringField(_l("Counted"), validators=[Blank(), Length(max=30)])

    def entered(self) -> bool:
        return any(_text(f) for f in (self.product, self.lot, self.counted))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.entered():
            for f, message in ((self.product, _("Scan or enter the product.")),
                               (self.counted, _("Enter the quantity."))):
                if not _text(f):
                    f.errors = [*f.errors, message]
                    valid = False
        return valid


class CountForm(FlaskForm):
    """The counted quantities of a sheet's lines, and goods found that it does not list."""

    lines = FieldList(FormField(CountedForm), min_entries=0)
    found = FieldList(FormField(FoundForm), min_entries=0)

    def validate_lines(self, field):
        _max_rows(_("lines"))(self, field)

    def validate_found(self, field):
        _max_rows(_("lines"))(self, field)


class PickForm(FlaskForm):
    """One pick as the scanner reads it."""

    location = StringField(_l("Location"), validators=[DataRequired(), Length(max=64)])
    product = StringField(_l("Product"), validators=[DataRequired(), Length(max=64)])
    quantity = StringField(_l("Quantity"), validators=[DataRequired(), Length(max=30)])
    lot = StringField(_l("Lot or serial number"), validators=[Blank(), Length(max=80)])


class WaveForm(FlaskForm):
    warehouse = SelectField(_l("Warehouse"))
    # The services judge each delivery (ready, this warehouse, in no other wave): their message is clearer.
    operations = SelectMultipleField(_l("Deliveries"), validate_choice=False,
                                     widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def validate_operations(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one delivery."))
        if len(field.data) > MAX_LINES:
            raise ValidationError(_("At most %(max)s %(what)s.", max=MAX_LINES, what=_("deliveries")))


class ReorderRuleForm(FlaskForm):
    product = StringField(_l("Product"), validators=[DataRequired(), Length(max=64)])
    warehouse = SelectField(_l("Warehouse"))
    minimum = StringField(_l("Reorder point"), validators=[Blank(), Length(max=30)])
    maximum = StringField(_l("Fill up to"), validators=[Blank(), Length(max=30)])
    lead_time = StringField(_l("Lead time (days)"), validators=[Blank(), Length(max=10)])
    service_level = StringField(_l("Service level (%)"), validators=[Blank(), Length(max=12)])
    ordering_cost = StringField(_l("Ordering cost"), validators=[Blank(), Length(max=30)])
    holding_rate = StringField(_l("Holding rate a year (%)"), validators=[Blank(), Length(max=12)])
    automatic = BooleanField(_l("Automatic: reorder point from demand and safety stock"))
    route = SelectField(_l("Route"))

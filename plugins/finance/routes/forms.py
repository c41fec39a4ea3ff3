"""The finance forms. Amounts are read exactly (``core.values.parse_amount``),
never as floats; a malformed field shows its error next to it."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, Form, FormField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.validators import Optional as Blank

from core.errors import JangbuError
from core.values import parse_amount
from plugins.finance.invoices import MAX_LINES, LineInput

__all__ = ["DocumentForm", "HeaderForm", "LinesForm", "LineForm", "CreditForm", "ActionForm", "PaymentForm",
           "SettleForm", "AllocateForm", "RateForm", "RevalueForm", "BLANK_LINES", "number_check"]

BLANK_LINES = 6


def _read(text: str) -> Decimal:
    try:
        return parse_amount(text)  # the CLI's reader too: "1e5" is refused by both
    except JangbuError as exc:
        # The likeliest slip, said in the reader's language.
        message = _("Write the number in digits, e.g. 1,500.") if "e" in text.lower() else str(exc)
        raise ValidationError(message) from None


def number_check(*, positive: bool = False, nonzero: bool = False, percent: bool = False):
    """A validator for a number typed as text (blank passes; ``DataRequired`` asks for it)."""
    def check(form, field):
        if not (field.data or "").strip():
            return
        value = _read(field.data)
        if positive and value <= 0:
            raise ValidationError(_("Enter a positive amount."))
        if nonzero and value == 0:
            raise ValidationError(_("Enter a number other than zero."))
        if percent and not 0 <= value <= 100:
            raise ValidationError(_("Enter a percentage from 0 to 100."))
    return check


class LineForm(Form):
    product = StringField(_l("Product"), validators=[Blank(), Length(max=40)])
    description = StringField(_l("Description"), validators=[Blank(), Length(max=500)])
    quantity = StringField(_l("Quantity"), validators=[Blank(), number_check(nonzero=True)])
    unit_price = StringField(_l("Unit price"), validators=[Blank(), number_check()])
    discount = StringField(_l("Discount %"), validators=[Blank(), number_check(percent=True)])
    taxes = StringField(_l("Taxes"), validators=[Blank(), Length(max=200)])
    account = StringField(_l("Account"), validators=[Blank(), Length(max=40)])

    def entered(self) -> bool:
        """Whether anything but the (pre-filled) taxes was typed on this line."""
        return any((f.data or "").strip() for f in (self.product, self.description, self.quantity,
                                                     self.unit_price, self.discount, self.account))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.entered():
            if not (self.unit_price.data or "").strip():
                self.unit_price.errors = [*self.unit_price.errors, _("Enter the unit price.")]
                valid = False
            if not ((self.description.data or "").strip() or (self.product.data or "").strip()):
                self.description.errors = [*self.description.errors, _("Enter a description or a product.")]
                valid = False
        return valid

    def line(self) -> LineInput:
        codes = tuple(
            code.strip() for code in (self.taxes.data or "").replace(";", ",").split(",") if code.strip()
        )
        return LineInput(
            (self.description.data or "").strip(),
            self.unit_price.data.strip(),
            (self.quantity.data or "").strip() or "1",
            product=(self.product.data or "").strip() or None,
            account=(self.account.data or "").strip() or None,
            discount=(self.discount.data or "").strip() or "0",
            taxes=codes,
        )


class LinesForm(FlaskForm):
    """The lines of a draft."""

    lines = FieldList(FormField(LineForm), min_entries=BLANK_LINES)

    def validate_lines(self, field):
        if len(field.entries) > MAX_LINES:  # refuse rather than drop what does not fit
            raise ValidationError(_("A document has at most %(max)s lines.", max=MAX_LINES))
        if not any(entry.form.entered() for entry in field.entries):
            raise ValidationError(_("Enter at least one line."))

    def entered(self) -> list[LineInput]:
        return [entry.form.line() for entry in self.lines if entry.form.entered()]


class HeaderForm(LinesForm):
    """A draft's header and lines (its kind stays what it was made as)."""

    party = StringField(_l("Party"), validators=[DataRequired(), Length(max=40)])
    date = DateField(_l("Date"), validators=[InputRequired()])
    currency = StringField(_l("Currency"), validators=[DataRequired(), Length(min=3, max=3)])
    term = SelectField(_l("Payment term"), validators=[Blank()])
    due = DateField(_l("Due date"), validators=[Blank()])
    reference = StringField(_l("Reference"), validators=[Blank(), Length(max=100)])
    memo = StringField(_l("Memo"), validators=[Blank(), Length(max=500)])

    def set_terms(self, terms: list[tuple[str, str]]) -> None:
        self.term.choices = [SelectChoice("", _("None (due on the date)"))] + [
            SelectChoice(code, f"{code} · {name}") for code, name in terms]


class DocumentForm(HeaderForm):
    kind = SelectField(_l("Kind"))

    def set_kinds(self, kinds: list[tuple[str, str]]) -> None:
        self.kind.choices = [SelectChoice(value, label) for value, label in kinds]


class CreditForm(FlaskForm):
    date = DateField(_l("Date of the credit note"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Blank(), Length(max=500)])


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


class SettleForm(Form):
    invoice = HiddenField(validators=[DataRequired(), Length(max=40)])
    settle = BooleanField(_l("Settle"))
    amount = StringField(_l("Amount to settle"), validators=[Blank(), number_check(positive=True)])

    def chosen(self) -> bool:
        return bool(self.settle.data or (self.amount.data or "").strip())


class PaymentForm(FlaskForm):
    party = StringField(_l("Party"), validators=[DataRequired(), Length(max=40)])
    direction = SelectField(_l("Direction"))
    amount = StringField(_l("Amount"), validators=[DataRequired(), number_check(positive=True)])
    date = DateField(_l("Date"), validators=[InputRequired()])
    journal = SelectField(_l("Journal"))
    currency = StringField(_l("Currency"), validators=[DataRequired(), Length(min=3, max=3)])
    reference = StringField(_l("Reference"), validators=[Blank(), Length(max=100)])
    memo = StringField(_l("Memo"), validators=[Blank(), Length(max=500)])
    documents = FieldList(FormField(SettleForm), min_entries=0)

    def validate_documents(self, field):
        if len(field.entries) > MAX_LINES:
            raise ValidationError(_("A payment settles at most %(max)s documents.", max=MAX_LINES))


class AllocateForm(FlaskForm):
    invoice = SelectField(_l("Document"), validate_choice=False, validators=[DataRequired()])
    amount = StringField(_l("Amount"), validators=[Blank(), number_check(positive=True)])


class RateForm(FlaskForm):
    currency = StringField(_l("Currency"), validators=[DataRequired(), Length(min=3, max=3)])
    date = DateField(_l("From"), validators=[InputRequired()])
    rate = StringField(_l("Rate"), validators=[DataRequired(), number_check(positive=True)])


class RevalueForm(FlaskForm):
    date = DateField(_l("Revalue at"), validators=[InputRequired()])


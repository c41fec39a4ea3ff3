"""The CRM forms. Amounts, numbers and dates stay text until the services
read them exactly; what the services refuse shows above the form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.validators import Optional as Blank

__all__ = [
    "LeadForm",
    "EnquiryForm",
    "ImportForm",
    "DisqualifyForm",
    "ConvertForm",
    "OpportunityForm",
    "LostForm",
    "MoveForm",
    "ActivityForm",
    "CompleteForm",
    "StageForm",
    "LostReasonForm",
    "RuleForm",
]


class LeadForm(FlaskForm):
    contact_name = StringField(_l("Contact name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Blank(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Blank(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Blank(), Length(max=40)])
    tax_id = StringField(_l("Tax id"), validators=[Blank(), Length(max=40)])
    region = StringField(_l("Region"), validators=[Blank(), Length(max=100)])
    country = StringField(_l("Country (two letters)"), validators=[Blank(), Length(max=2)])
    industry = StringField(_l("Industry"), validators=[Blank(), Length(max=100)])
    employees = StringField(_l("Employees"), validators=[Blank(), Length(max=12)])
    budget = StringField(_l("Budget"), validators=[Blank(), Length(max=30)])
    source = SelectField(_l("Source"))
    owner = SelectField(_l("Owner"))
    message = TextAreaField(_l("Message"), validators=[Blank(), Length(max=4000)])


class EnquiryForm(FlaskForm):
    """The public form: what a visitor tells us, and a field only robots fill in."""

    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Blank(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Blank(), Length(max=40)])
    industry = StringField(_l("Industry"), validators=[Blank(), Length(max=100)])
    employees = StringField(_l("Employees"), validators=[Blank(), Length(max=12)])
    message = TextAreaField(_l("How can we help?"), validators=[Blank(), Length(max=4000)])
    website = StringField(_l("Leave this empty"), validators=[Blank(), Length(max=200)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class DisqualifyForm(FlaskForm):
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=200)])


class ConvertForm(FlaskForm):
    party = StringField(_l("Existing party (code)"), validators=[Blank(), Length(max=40)])
    new_party = StringField(_l("Or a new party code"), validators=[Blank(), Length(max=40)])
    opportunity = BooleanField(_l("Open an opportunity"), default=True)
    name = StringField(_l("Opportunity name"), validators=[Blank(), Length(max=200)])
    expected_revenue = StringField(_l("Expected revenue"), validators=[Blank(), Length(max=30)])
    expected_close = DateField(_l("Expected close"), validators=[Blank()])
    stage = SelectField(_l("Stage"))
    owner = SelectField(_l("Owner"))


class OpportunityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    party = StringField(_l("Customer (party code)"), validators=[Blank(), Length(max=40)])
    stage = SelectField(_l("Stage"))
    owner = SelectField(_l("Owner"))
    expected_revenue = StringField(_l("Expected revenue"), validators=[Blank(), Length(max=30)])
    probability = StringField(_l("Probability (%), empty: the stage's"), validators=[Blank(), Length(max=3)])
    expected_close = DateField(_l("Expected close"), validators=[Blank()])


class LostForm(FlaskForm):
    reason = SelectField(_l("Lost reason"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Blank(), Length(max=2000)])


class MoveForm(FlaskForm):
    stage = StringField(_l("Stage"), validators=[DataRequired(), Length(max=100)])


class ActivityForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    due = DateField(_l("Due"), validators=[DataRequired()])
    owner = SelectField(_l("Owner"))
    lead = StringField(_l("Lead"), validators=[Blank(), Length(max=20)])
    opportunity = StringField(_l("Opportunity"), validators=[Blank(), Length(max=20)])
    party = StringField(_l("Customer (party code)"), validators=[Blank(), Length(max=40)])
    notes = TextAreaField(_l("Notes"), validators=[Blank(), Length(max=4000)])


class CompleteForm(FlaskForm):
    outcome = StringField(_l("Outcome"), validators=[Blank(), Length(max=4000)])


class StageForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    probability = StringField(_l("Probability (%)"), validators=[DataRequired(), Length(max=3)])
    sequence = StringField(_l("Order (smaller first)"), validators=[Blank(), Length(max=6)])
    active = BooleanField(_l("Active"), default=True)


class LostReasonForm(FlaskForm):
    name = StringField(_l("Lost reason"), validators=[DataRequired(), Length(max=100)])


class RuleForm(FlaskForm):
    field = SelectField(_l("Field"))
    operator = SelectField(_l("Test"))
    value = StringField(_l("Value"), validators=[Blank(), Length(max=200)])
    points = StringField(_l("Points (-100 to 100)"), validators=[DataRequired(), Length(max=4)])
    label = StringField(_l("Label"), validators=[Blank(), Length(max=200)])

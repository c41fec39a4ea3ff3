"""The shell's own pages: the company picker, each company's dashboard, preferences."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from core.models import Company, Membership
from core.users import set_locale
from web.access import signed_in
from web.context import company_hooks, db_session
from web.dashboard import ledger_widgets
from web.forms import form_page
from web.i18n import LANGUAGES

__all__ = ["blueprint"]

blueprint = Blueprint("shell", __name__)


@blueprint.get("/")
@signed_in
def home():
    return redirect(url_for("shell.companies"))


@blueprint.get("/companies")
@signed_in
def companies():
    rows = db_session().scalars(
        select(Company).join(Membership, Membership.company_id == Company.id)
        .where(Membership.user_id == current_user.id).distinct().order_by(Company.code)).all()
    if len(rows) == 1:
        return redirect(url_for("shell.dashboard", company=rows[0].code))
    return render_template("shell/companies.html", companies=rows)


@blueprint.get("/c/<company>/")
@signed_in
def dashboard():
    session = db_session()
    groups = company_hooks().dashboard_widgets(session=session, company=g.company, user=current_user.user)
    widgets = [w for group in [ledger_widgets(session, g.company), *groups] for w in group or []
               if w.permission in g.permissions]
    return render_template("shell/dashboard.html", widgets=sorted(widgets, key=lambda w: w.order))


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[SelectChoice("", _l("As my browser says"))]
                         + [SelectChoice(code, name) for code, name in LANGUAGES.items()])


@blueprint.route("/preferences", methods=["GET", "POST"])
@signed_in
def preferences():
    form = PreferencesForm(locale=current_user.locale or "")

    def save():
        set_locale(db_session(), current_user.user, form.locale.data or None)
        flash(_("Preferences saved."))
        return redirect(url_for("shell.preferences"))

    return form_page(form, save, title=_("Preferences"), cancel=url_for("shell.companies"))

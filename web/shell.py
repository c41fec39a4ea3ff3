"""The shell's own pages: the company picker and each company's dashboard."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from core.models import Company, Membership
from web.access import signed_in

__all__ = ["blueprint"]

blueprint = Blueprint("shell", __name__)


@blueprint.get("/")
@signed_in
def home():
    return redirect(url_for("shell.companies"))


@blueprint.get("/companies")
@signed_in
def companies():
    from web.app import db_session

    rows = db_session().scalars(
        select(Company).join(Membership, Membership.company_id == Company.id)
        .where(Membership.user_id == current_user.id).distinct().order_by(Company.code)).all()
    if len(rows) == 1:
        return redirect(url_for("shell.dashboard", company=rows[0].code))
    return render_template("shell/companies.html", companies=rows)


@blueprint.get("/c/<company>/")
@signed_in
def dashboard():
    from web.app import db_session, plugins_of_app

    widgets = [w for group in plugins_of_app().for_company(db_session(), g.company).dashboard_widgets(
        session=db_session(), company=g.company, user=current_user.user) for w in group or []]
    return render_template("shell/dashboard.html", widgets=sorted(widgets, key=lambda w: w.order))

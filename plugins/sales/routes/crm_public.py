"""The public enquiry form at ``/c/<company>/sales/enquiry``: anyone may
send it, no sign-in.

It answers 404 unless the company exists, installed sales and takes
enquiries; it is CSRF-protected like every form; one address may send
``lead_form_per_hour`` enquiries an hour (then 429); a field hidden from
people catches robots (thanked, nothing kept); and it never tells the
visitor whether they look like a known customer.
"""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.models import Company
from plugins.sales.leads import TooMany, capture_enquiry
from plugins.sales.routes import blueprint
from plugins.sales.routes.crm_forms import EnquiryForm
from web.access import public
from web.context import db_session, plugins_of_app
from web.forms import submitted

__all__: list[str] = []


def _company() -> Company:
    """The URL's company, when it takes enquiries; 404 otherwise (the same for every reason)."""
    from plugins.sales.documents import Settings

    session = db_session()
    company = session.scalar(select(Company).where(Company.code == g.get("company_code")))
    if company is None or not plugins_of_app().is_installed(session, company, "sales"):
        abort(404)
    settings = session.get(Settings, company.id)
    if settings is None or not settings.lead_form:
        abort(404)
    return company


@blueprint.route("/enquiry", methods=["GET", "POST"], endpoint="enquiry")
@public
def enquiry():
    company = _company()
    form = EnquiryForm()

    def send():
        if (form.website.data or "").strip():
            return redirect(
                url_for("sales.enquiry_sent", company=company.code)
            )  # a robot: thanked, nothing kept
        try:
            capture_enquiry(db_session(), company, request.remote_addr or "unknown",
                            **{name: getattr(form, name).data for name in
                               ("contact_name", "email", "organisation", "phone", "industry", "employees",
                                "message")})
        except TooMany:
            abort(429, _("Too many enquiries from your address; please try again in an hour."))
        return redirect(url_for("sales.enquiry_sent", company=company.code))

    done = submitted(form, send)
    if done is not None:
        return done
    return (render_template("sales/crm_enquiry.html", form=form, company=company),
            400 if request.method == "POST" else 200)


@blueprint.get("/enquiry/sent", endpoint="enquiry_sent")
@public
def enquiry_sent():
    company = _company()
    return render_template("sales/crm_enquiry.html", form=None, company=company, sent=True)

"""Company administration: settings, plugins, members and roles, the audit log.

Installing and uninstalling go through ``core.installation`` and roles
through ``core.users``, the same services as ``jangbu plugins`` and
``jangbu user``; each change lands in the audit log.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.validators import Optional as Blank

from core.companies import update_company
from core.errors import Invalid, NotFound
from core.installation import install, uninstall
from core.models import AuditEntry
from core.users import create_user, get_user, grant, members, revoke, roles
from web.access import permission
from web.context import db_session, plugins_of_app
from web.forms import WholeField, form_page, submitted
from web.lists import Column, list_page

__all__ = ["blueprint"]

blueprint = Blueprint("admin", __name__, url_prefix="/c/<company>/admin")


class SettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = StringField(_l("Country (ISO code)"), validators=[Blank(), Length(min=2, max=2)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    fiscal_year_start_month = WholeField(_l("Fiscal year starts in month"), validators=[NumberRange(1, 12)])


@blueprint.route("/", methods=["GET", "POST"], endpoint="index")
@permission("company.admin")
def settings():
    form = SettingsForm(obj=g.company)

    def save():
        update_company(db_session(), g.company, name=form.name.data, country=form.country.data or None,
                       timezone=form.timezone.data, fiscal_year_start_month=form.fiscal_year_start_month.data)
        flash(_("Settings saved."))
        return redirect(url_for("admin.index"))

    return form_page(form, save, template="admin/settings.html", title=_("Company settings"))


class PluginForm(FlaskForm):
    """Install or uninstall one plugin: the buttons carry only the CSRF token and the name."""

    plugin = StringField(validators=[DataRequired(), Length(max=64)])


@blueprint.get("/plugins")
@permission("company.admin")
def plugins():
    registry = plugins_of_app()
    installed = set(registry.installed(db_session(), g.company))
    rows = [(info, info.name in installed, [n for n in registry.dependents(info.name) if n in installed])
            for info in registry.infos() if info.name != "core"]
    return render_template("admin/plugins.html", rows=rows, form=PluginForm())


@blueprint.post("/plugins/install")
@permission("company.admin")
def install_plugin():
    def change(name):
        done = install(db_session(), g.company, [name])
        return (_("Installed %(names)s.", names=", ".join(done)) if done
                else _("%(name)s was installed already.", name=name))

    return _plugin_change(change)


@blueprint.post("/plugins/uninstall")
@permission("company.admin")
def uninstall_plugin():
    def change(name):
        uninstall(db_session(), g.company, name)
        return _("Uninstalled %(name)s; its data is kept.", name=name)

    return _plugin_change(change)


def _plugin_change(change):
    form = PluginForm()
    if not form.validate():
        abort(400, _("Which plugin?"))
    flash(change(form.plugin.data))
    return redirect(url_for("admin.plugins"))


class MemberForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    full_name = StringField(_l("Full name (new users)"), validators=[Blank(), Length(max=200)])
    password = PasswordField(_l("Password (new users)"), validators=[Blank(), Length(max=1024)])


@blueprint.route("/users", methods=["GET", "POST"])
@permission("users.admin")
def users():
    form = MemberForm()
    form.role.choices = [SelectChoice(name, name) for name in sorted(roles(plugins_of_app()))]

    def add():
        session, username = db_session(), form.username.data.strip()
        try:
            user = get_user(session, username)
        except NotFound:
            if not form.password.data:
                raise Invalid(_("%(user)s is a new user: give a password.", user=username)) from None
            user = create_user(session, username, form.password.data, full_name=form.full_name.data or None)
        grant(session, user, g.company, form.role.data)
        flash(_("%(user)s is now %(role)s.", user=user.username, role=form.role.data))
        return redirect(url_for("admin.users"))

    done = submitted(form, add)
    if done is not None:
        return done
    status = 400 if request.method == "POST" else 200
    return render_template("admin/users.html", form=form, members=members(db_session(), g.company),
                           revoke_form=RevokeForm()), status


class RevokeForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=80)])
    role = StringField(validators=[DataRequired(), Length(max=40)])


@blueprint.post("/users/revoke")
@permission("users.admin")
def revoke_role():
    form = RevokeForm()
    if not form.validate():
        abort(400, _("Which user and role?"))
    revoke(db_session(), get_user(db_session(), form.username.data), g.company, form.role.data)
    flash(_("%(user)s is no longer %(role)s.", user=form.username.data, role=form.role.data))
    return redirect(url_for("admin.users"))


@blueprint.get("/audit")
@permission("audit.view")
def audit_log():
    columns = [
        Column("created_at", _l("When (UTC)"), AuditEntry.created_at,
               get=lambda e: e.created_at.strftime("%Y-%m-%d %H:%M:%S")),
        Column("username", _l("User"), AuditEntry.username, searchable=True),
        Column("action", _l("Action"), AuditEntry.action, searchable=True),
        Column("address", _l("Address"), AuditEntry.address),
        Column("detail", _l("Detail"), AuditEntry.detail, searchable=True),
    ]
    query = select(AuditEntry).where(AuditEntry.company_id == g.company.id)
    return list_page(
        query,
        columns,
        title=_("Audit log"),
        default_sort="-created_at",
        tiebreak=[AuditEntry.id],
        filename="audit",
        per_page=100,
    )

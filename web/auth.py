"""Signing in and out.

Passwords are checked by ``core.users.authenticate`` (scrypt). A sign-in
starts a fresh session (nothing from before it survives); signing out
replaces the user's session token, which ends every copy of the session,
even one somebody kept. Five failed sign-ins for one account or from one
address within 15 minutes answer 429 until the window has passed. An
attempt counts, decides, checks the password and records its failure while
holding named locks on the account and the address (``core.locks``), so
attempts sent at once are evaluated one after another and never more than
five get through. ``next`` is followed only to a path on this site.
"""

from __future__ import annotations

import secrets
from typing import Optional
from urllib.parse import urlsplit

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from core import audit, locks
from core.models import User
from core.users import authenticate
from web.access import public, signed_in
from web.context import db_session

__all__ = ["blueprint", "login_manager", "unauthorized", "MAX_FAILURES", "WINDOW_MINUTES"]

MAX_FAILURES = 5
WINDOW_MINUTES = 15

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()


class SessionUser:
    """Flask-Login's view of a user: identified by the rotating session token."""

    def __init__(self, user: User):
        self.user = user

    def __getattr__(self, name: str):
        return getattr(self.user, name)

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.user.active

    def get_id(self) -> str:
        return self.user.session_token


def _load_user(token: str) -> Optional[SessionUser]:
    user = db_session().scalar(select(User).where(User.session_token == token))
    return SessionUser(user) if user is not None and user.active else None


login_manager.user_loader(_load_user)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def unauthorized():
    """JSON clients get 401; people are sent to the sign-in page and back."""
    if wants_json():
        return jsonify(error="sign in first"), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


login_manager.unauthorized_handler(unauthorized)


def safe_next(target: Optional[str]) -> str:
    """``target`` if it is a path on this site, else the company picker."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for("shell.companies")


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


@blueprint.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if request.method == "POST" else 200
    db = db_session()
    username, address = form.username.data.strip(), request.remote_addr
    locks.hold(db, f"sign-in:account:{username}", f"sign-in:address:{address}")  # until the request commits
    if (
        audit.failures_since(db, audit.window(WINDOW_MINUTES), username=username, address=address)
        >= MAX_FAILURES
    ):
        return render_template("auth/login.html", form=form, throttled=True), 429
    user = authenticate(db, username, form.password.data)
    if user is None:
        audit.record(db, audit.LOGIN_FAILED, username=username, address=address)
        db.commit()  # the failure counts even though the answer is an error
        form.password.errors.append(_("Unknown username or wrong password."))
        return render_template("auth/login.html", form=form), 401
    session.clear()  # a fresh session: nothing from before sign-in survives
    login_user(SessionUser(user))
    audit.record(db, audit.LOGIN, user=user, address=address)
    return redirect(safe_next(request.args.get("next")))


@blueprint.post("/logout")
@signed_in
def logout():
    user = current_user.user
    user.session_token = secrets.token_hex(32)  # every copy of the old session is now void
    audit.record(db_session(), audit.LOGOUT, user=user, address=request.remote_addr)
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))

"""Users, their roles per company, and what those roles permit.

Passwords are hashed with scrypt (werkzeug) and never stored or logged in
clear. ``admin`` may do everything within its company, ``viewer`` only what
is marked read-only; plugins add permissions and roles through hooks.
"""

from __future__ import annotations

import re
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from core import audit
from core.contributions import ALL_PERMISSIONS, READ_ONLY, Permission, Role
from core.errors import Conflict, Invalid, NotFound, PermissionDenied
from core.models import Company, Membership, User
from core.plugins import Plugins, plugins_of

__all__ = [
    "create_user",
    "get_user",
    "list_users",
    "authenticate",
    "set_password",
    "set_locale",
    "members",
    "grant",
    "revoke",
    "roles",
    "permissions",
    "permissions_of",
    "has_permission",
    "require",
    "MIN_PASSWORD_LENGTH",
]

MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,80}$")
# scrypt is slow on purpose (about 0.1 s a hash). The test suite alone swaps in
# a cheap method by assigning these two from its conftest; no setting, option
# or environment variable reaches them.
_METHOD = "scrypt"
# A hash to compare against when the user does not exist, so that a missing
# user costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password", method=_METHOD)


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password, method=_METHOD)


def create_user(session: Session, username: str, password: str, *, full_name: Optional[str] = None,
                email: Optional[str] = None, locale: Optional[str] = None) -> User:
    username = username.strip()
    if not _USERNAME.match(username):
        raise Invalid(f"username {username!r} must be 2-80 letters, digits or . _ @ -")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} exists already")
    user = User(
        username=username, password_hash=_hash(password), full_name=full_name, email=email, locale=locale
    )
    session.add(user)
    session.flush()
    audit.by_actor(session, audit.USER_CREATED, company=None, detail=username)
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"unknown user {username!r}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str) -> Optional[User]:
    """The active user with this name and password, else ``None``."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def members(session: Session, company: Company) -> list[tuple[User, list[str]]]:
    """The users with a role in ``company`` and their roles there, by username."""
    held: dict[int, list[str]] = {}
    users: dict[int, User] = {}
    for user, role in session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == company.id)
        .order_by(User.username, Membership.role)
    ):
        users[user.id] = user
        held.setdefault(user.id, []).append(role)
    return [(users[uid], held[uid]) for uid in users]


def set_locale(session: Session, user: User, locale: Optional[str]) -> None:
    """The user's language; ``None`` follows the browser."""
    user.locale = locale
    session.flush()


def set_password(session: Session, user: User, password: str) -> None:
    user.password_hash = _hash(password)
    session.flush()


def _registry(plugins: Plugins) -> tuple[dict[str, Permission], dict[str, Role]]:
    perms = {p.name: p for p in plugins.collect("register_permissions")}
    role_map = {r.name: r for r in plugins.collect("register_roles")}
    return perms, role_map


def permissions(plugins: Plugins) -> dict[str, Permission]:
    """Every permission any registered plugin declares, by name."""
    return _registry(plugins)[0]


def roles(plugins: Plugins) -> dict[str, Role]:
    """Every role, built-in and from plugins, by name."""
    return _registry(plugins)[1]


def grant(session: Session, user: User, company: Company, role: str) -> Membership:
    known = roles(plugins_of(session))
    if role not in known:
        raise Invalid(f"unknown role {role!r} (one of: {', '.join(sorted(known))})")
    existing = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.company_id == company.id, Membership.role == role))
    if existing is not None:
        raise Conflict(f"{user.username} already has role {role} in {company.code}")
    membership = Membership(user_id=user.id, company_id=company.id, role=role)
    session.add(membership)
    session.flush()
    audit.by_actor(session, audit.ROLE_GRANTED, company=company, detail=f"{user.username}: {role}")
    return membership


def revoke(session: Session, user: User, company: Company, role: str) -> None:
    membership = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.company_id == company.id, Membership.role == role))
    if membership is None:
        raise NotFound(f"{user.username} has no role {role} in {company.code}")
    session.delete(membership)
    session.flush()
    audit.by_actor(session, audit.ROLE_REVOKED, company=company, detail=f"{user.username}: {role}")


def permissions_of(session: Session, user: User, company: Company) -> frozenset[str]:
    """What ``user`` may do in ``company``, through all of their roles there."""
    plugins = plugins_of(session)
    perms, role_map = _registry(plugins)
    held = session.scalars(select(Membership.role).where(
        Membership.user_id == user.id, Membership.company_id == company.id))
    granted: set[str] = set()
    for name in held:
        role = role_map.get(name)
        if role is None:
            continue
        if role.permissions == ALL_PERMISSIONS:
            granted.update(perms)
        elif role.permissions == READ_ONLY:
            granted.update(p.name for p in perms.values() if p.read_only)
        else:
            granted.update(role.permissions)
    return frozenset(granted)


def has_permission(session: Session, user: User, company: Company, permission: str) -> bool:
    if not user.active:
        return False
    return permission in permissions_of(session, user, company)


def require(session: Session, user: User, company: Company, permission: str) -> None:
    if not has_permission(session, user, company, permission):
        raise PermissionDenied(f"{user.username} may not {permission} in {company.code}")

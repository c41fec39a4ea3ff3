"""``jangbu user``: people who sign in, and their roles per company."""

from __future__ import annotations

import sys
from typing import Optional

import click

from cli.context import Env
from core.errors import Invalid
from core.users import create_user, get_user, grant, list_users, revoke


@click.group()
def user() -> None:
    """Users and their roles."""


@user.command("create")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--full-name")
@click.option("--email")
@click.pass_obj
def user_create(env: Env, username: str, password_stdin: bool, full_name: Optional[str],
                email: Optional[str]) -> None:
    """Create USERNAME; the password is prompted for unless --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise Invalid("empty password")
    with env.session() as session:
        u = create_user(session, username, password, full_name=full_name, email=email)
    env.emit(
        {"username": u.username, "full_name": u.full_name, "email": u.email}, f"user {u.username} created"
    )


@user.command("list")
@click.pass_obj
def user_list(env: Env) -> None:
    """Every user, with their roles per company."""
    with env.session() as session:
        data = []
        for u in list_users(session):
            roles: dict[str, list[str]] = {}
            for m in u.memberships:
                roles.setdefault(m.company.code, []).append(m.role)
            data.append(
                {"username": u.username, "full_name": u.full_name, "active": u.active, "roles": roles}
            )
    env.emit(data, lambda: env.table(
        ["username", "name", "active", "roles"],
        [[d["username"], d["full_name"] or "", "yes" if d["active"] else "no",
          "; ".join(f"{c}: {', '.join(r)}" for c, r in d["roles"].items())] for d in data]))


@user.command("grant")
@click.argument("username")
@click.argument("role")
@click.pass_obj
def user_grant(env: Env, username: str, role: str) -> None:
    """Give USERNAME the ROLE in --company."""
    with env.session() as session:
        company = env.company(session)
        grant(session, get_user(session, username), company, role)
    env.emit({"username": username, "company": company.code, "role": role},
             f"{username} is {role} in {company.code}")


@user.command("revoke")
@click.argument("username")
@click.argument("role")
@click.pass_obj
def user_revoke(env: Env, username: str, role: str) -> None:
    """Take ROLE in --company away from USERNAME."""
    with env.session() as session:
        company = env.company(session)
        revoke(session, get_user(session, username), company, role)
    env.emit({"username": username, "company": company.code, "revoked": role},
             f"{username} is no longer {role} in {company.code}")

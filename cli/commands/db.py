"""``jangbu db``: the database schema."""

from __future__ import annotations

import click

from cli.context import Env
from core.migrate import upgrade


@click.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(env: Env) -> None:
    """Bring the database to the newest schema of core and every plugin."""
    heads = upgrade(env.engine, env.plugins)
    env.emit({"database": env.engine.url.render_as_string(hide_password=True), "heads": heads},
             f"database is at {', '.join(heads)}")

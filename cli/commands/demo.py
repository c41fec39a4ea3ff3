"""``jangbu demo``: build the demo database."""

from __future__ import annotations

import click

from cli.context import Env
from core.demo import build_demo


@click.command()
@click.pass_obj
def demo(env: Env) -> None:
    """Build a demo company with every available plugin and its demo data.

    An earlier demo in the same database is rebuilt from scratch; a database
    holding any other company is left alone with an error.
    """
    def progress(label: str) -> None:
        click.echo(f"  {label}", err=True)

    summary = build_demo(env.engine, env.plugins, env.session_factory, progress)
    env.emit(summary, lambda: click.echo(
        f"demo company {summary.company} built in {summary.database}\n"
        f"plugins: {', '.join(summary.plugins) or 'none available yet'}\n"
        f"sign in as {summary.username} / {summary.password}"))

"""``jangbu outbox``: send what committed transactions left to send."""

from __future__ import annotations

import click

from cli.context import Env
from cli.params import Whole
from core.outbox import dispatch


@click.group()
def outbox() -> None:
    """Messages waiting to leave after commit."""


@outbox.command("dispatch")
@click.option("--limit", type=Whole(1), default=100, show_default=True)
@click.pass_obj
def outbox_dispatch(env: Env, limit: int) -> None:
    """Deliver unsent messages through the plugins' deliver_outbox hook."""
    report = dispatch(env.session_factory, limit)
    env.emit(report, f"sent {report.sent}, failed {report.failed}, unclaimed {report.unclaimed}")

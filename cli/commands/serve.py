"""``jangbu serve``: the web UI behind a production WSGI server (waitress)."""

from __future__ import annotations

import click

from cli.context import Env
from cli.params import Whole


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=Whole(1, 65535), default=8000, show_default=True)
@click.option("--threads", type=Whole(1, 64), default=4, show_default=True)
@click.pass_obj
def serve(env: Env, host: str, port: int, threads: int) -> None:
    """Serve the web UI (waitress, not a debug server) and print its address."""
    import waitress

    from web import create_app

    app = create_app({"DATABASE_URL": env.database_url, "ENGINE": env.engine}, env.plugins)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo(f"Jangbu is at http://{shown}:{port}/  (Ctrl+C stops it)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="jangbu")

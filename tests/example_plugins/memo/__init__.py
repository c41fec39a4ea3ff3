"""memo: notes on a company's books, a third-party plugin in a few dozen lines.

It adds a table (``memo_note``), a permission, a CLI group (``jangbu memo``),
a page (``/c/<company>/memo/``) and an event handler that notes every large
posting.
"""

import click
from flask import Blueprint, g, jsonify

from core import Permission, PluginInfo, hookimpl
from web.access import permission

from .models import add_note, notes

PLUGIN = PluginInfo(name="memo", version="1.0.0", description="Notes on the books")
LARGE = 1_000_000


@hookimpl
def register_permissions():
    return [Permission("memo.view", "Read the notes", read_only=True)]


@hookimpl
def register_commands(cli):
    group = cli.plugin_group(PLUGIN)

    @group.command("add")
    @click.argument("text")
    @click.pass_obj
    def add(env, text):
        """Add a note to the company's books."""
        with env.session() as session:
            note = add_note(session, env.company(session), text)
        env.emit({"id": note.id, "text": note.text}, f"note {note.id} added")

    cli.add_command(group)


@hookimpl
def register_blueprints():
    blueprint = Blueprint("memo", __name__)

    @blueprint.get("/")
    @permission("memo.view")
    def index():  # g.db and g.company are set for every plugin page
        return jsonify([note.text for note in notes(g.db, g.company)])

    return blueprint


@hookimpl
def transaction_posted(session, company, event):
    txn = event.transaction
    big = [leg for leg in txn.legs if leg.amount >= LARGE and leg.commodity == company.currency]
    if big:
        add_note(session, company, f"large posting #{txn.id}: {big[0].amount} {big[0].commodity}")

"""memo: notes on a company's books, a third-party plugin in a few dozen lines.

It adds a table (``memo_note``), a permission, a CLI group (``jangbu memo``),
a page with its menu entry (``/c/<company>/memo/``: searchable, sortable,
CSV and JSON too) and an event handler that notes every large posting.
"""

import click
from flask import Blueprint, g
from sqlalchemy import select

from core import MenuItem, Permission, PluginInfo, hookimpl
from web.access import permission
from web.lists import Column, list_page

from .models import Note, add_note

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
def menu_items(company, user):
    return [MenuItem("Notes", "memo.index", "memo.view", order=500)]


@hookimpl
def register_blueprints():
    blueprint = Blueprint("memo", __name__)

    @blueprint.get("/")
    @permission("memo.view")
    def index():  # g.company is set for every plugin page
        columns = [Column("id", "No.", Note.id), Column("text", "Note", Note.text, searchable=True)]
        return list_page(select(Note).where(Note.company_id == g.company.id), columns,
                         title="Notes", default_sort="-id")

    return blueprint


@hookimpl
def transaction_posted(session, company, event):
    txn = event.transaction
    big = [leg for leg in txn.legs if leg.amount >= LARGE and leg.commodity == company.currency]
    if big:
        add_note(session, company, f"large posting #{txn.id}: {big[0].amount} {big[0].commodity}")

"""Core's command groups, one module per noun."""

from cli.commands.catalog import party, product
from cli.commands.company import company
from cli.commands.db import db
from cli.commands.demo import demo
from cli.commands.ledger import ledger
from cli.commands.outbox import outbox
from cli.commands.plugins import plugins
from cli.commands.serve import serve
from cli.commands.users import user

CORE_COMMANDS = [db, company, plugins, user, party, product, ledger, outbox, demo, serve]

__all__ = ["CORE_COMMANDS"]

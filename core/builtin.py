"""Core's own hook implementations: its permissions, the built-in roles, the
shell's menu, what the ledger knows about a party or a product,
and its share of the demo data. Registered as the plugin ``core``, always
present and installed for every company."""

from __future__ import annotations

from core.contributions import ALL_PERMISSIONS, READ_ONLY, Fact, MenuItem, Permission, Role, TimelineEntry
from core.hookspecs import hookimpl
from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="core", version="0.1.0", description="Companies, parties, products, users and the ledger"
)


@hookimpl
def register_permissions():
    return [
        Permission("company.view", "See the company's settings", read_only=True),
        Permission("company.admin", "Change the company's settings, plugins and lock date"),
        Permission("users.admin", "Grant and revoke roles in the company"),
        Permission("parties.view", "See parties", read_only=True),
        Permission("parties.edit", "Create and change parties"),
        Permission("products.view", "See products", read_only=True),
        Permission("products.edit", "Create and change products"),
        Permission("ledger.view", "See accounts, transactions and balances", read_only=True),
        Permission("ledger.accounts", "Create and change accounts"),
        Permission("ledger.post", "Post, reverse and import transactions"),
        Permission("audit.view", "Read the audit log"),
    ]


@hookimpl
def register_roles():
    return [
        Role("admin", "Everything within the company", ALL_PERMISSIONS),
        Role("viewer", "Read-only access to everything within the company", READ_ONLY),
        Role("accountant", "Keeps the books: sees everything, posts and manages accounts",
             ("company.view", "parties.view", "parties.edit", "products.view", "ledger.view",
              "ledger.accounts", "ledger.post")),
    ]


@hookimpl
def demo_data(session, company, progress):
    from core.demo import core_demo_data

    core_demo_data(session, company, progress)


@hookimpl
def menu_items(company, user):
    return [
        MenuItem("Dashboard", "shell.dashboard", "company.view", order=0),
        MenuItem("Accounts", "ledger.accounts", "ledger.view", order=10),
        MenuItem("Transactions", "ledger.transactions", "ledger.view", order=11),
        MenuItem("Trial balance", "ledger.trial_balance", "ledger.view", order=12),
        MenuItem("Parties", "parties.index", "parties.view", order=20),
        MenuItem("Products", "products.index", "products.view", order=21),
        MenuItem("Admin", "admin.index", "company.admin", order=1000),
    ]


@hookimpl
def party_timeline(session, company, party):
    return [TimelineEntry(party.created_at, "core", "created", f"{party.name} added as {party.code}")]


@hookimpl
def product_facts(session, company, product):
    from core.ledger.browse import stock_on_hand

    on_hand = stock_on_hand(session, company, product)
    return [Fact("core", "On hand in the ledger", f"{on_hand} {product.unit.code}")]

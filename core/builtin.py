"""Core's own hook implementations: its permissions, the built-in roles and
its share of the demo data. Registered as the plugin ``core``, always present
and installed for every company."""

from __future__ import annotations

from core.contributions import ALL_PERMISSIONS, READ_ONLY, Permission, Role
from core.hookspecs import hookimpl
from core.plugins import PluginInfo

PLUGIN = PluginInfo(name="core", version="0.1.0", description="Companies, parties, products, users and the ledger")


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

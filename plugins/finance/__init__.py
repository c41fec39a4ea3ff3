"""finance: books a company can close its year on.

Chart-of-accounts templates (IFRS-style and Korean), journals with gapless
numbering, invoices, bills and credit notes with taxes, payments and
reconciliation, exchange rates, periods and the year-end close, statements
and budgets, all on the core ledger. Other plugins use :mod:`plugins.finance.api`
and the hooks in :mod:`plugins.finance.hookspecs`.
"""

from __future__ import annotations

from core import Permission, PluginInfo, Role, TimelineEntry, hookimpl
from plugins.finance import hookspecs

PLUGIN = PluginInfo(name="finance", version="1.0.0", hookspecs=hookspecs,
                    description="Accounting: invoices, payments, taxes, periods, statements and budgets")

__all__ = ["PLUGIN"]


@hookimpl
def register_permissions():
    return [
        Permission("finance.view", "See invoices, payments and the financial statements", read_only=True),
        Permission("finance.invoice", "Create, post and credit invoices and bills"),
        Permission("finance.payment", "Register payments, reconcile and import bank statements"),
        Permission("finance.close", "Close periods and years, revalue, set exchange rates and budgets"),
    ]


@hookimpl
def register_roles():
    return [
        Role(
            "bookkeeper",
            "Invoices, bills and payments; reads the statements",
            (
                "company.view",
                "parties.view",
                "parties.edit",
                "products.view",
                "ledger.view",
                "finance.view",
                "finance.invoice",
                "finance.payment",
            ),
        ),
        Role(
            "controller",
            "Everything in finance and the ledger, including closing the books",
            (
                "company.view",
                "parties.view",
                "parties.edit",
                "products.view",
                "ledger.view",
                "ledger.accounts",
                "ledger.post",
                "finance.view",
                "finance.invoice",
                "finance.payment",
                "finance.close",
            ),
        ),
    ]


@hookimpl
def install_company(session, company):
    from plugins.finance.company_setup import set_up_books

    set_up_books(session, company)


@hookimpl(trylast=True)
def compute_taxes(company, currency, lines):
    from plugins.finance.taxes import compute

    return compute(lines, currency[1])


@hookimpl
def register_commands(cli):
    from plugins.finance.commands import finance_group

    cli.add_command(finance_group(cli, PLUGIN))


@hookimpl
def party_timeline(session, company, party):
    from plugins.finance.queries import timeline_of

    return [TimelineEntry(**entry) for entry in timeline_of(session, company, party)]


@hookimpl
def party_roles(session, company, party):
    from plugins.finance.queries import roles_of

    return roles_of(session, company, party)


@hookimpl
def demo_data(session, company, progress):
    from plugins.finance.demo import finance_demo_data

    finance_demo_data(session, company, progress)


@hookimpl
def demo_finished(session, company, progress):
    from plugins.finance.demo import close_demo_books

    close_demo_books(session, company, progress)


@hookimpl
def register_blueprints():
    from plugins.finance.routes import blueprint

    return blueprint


@hookimpl
def menu_items(company, user):
    from plugins.finance.routes import menu

    return menu()


@hookimpl
def dashboard_widgets(session, company, user):
    from plugins.finance.widgets import finance_widgets

    return finance_widgets(session, company)

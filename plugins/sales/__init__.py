"""sales: from lead to cash.

The CRM half (:mod:`plugins.sales.models`): leads captured from a public
form, CSV or the CLI, flagged when they look like a party the company knows,
scored by the company's rules and by a model learned from its own won and
lost history (every score lists its factors), converted into customers and
opportunities that move through configurable pipeline stages, and
activities with owners and due dates.

The order half (:mod:`plugins.sales.documents`): price lists, quotations,
sales orders checked against the customer's credit limit, contracts that
bill on their dates, and the analysis of what was sold. Sales requires no
other plugin: where the company also installed wms a confirmed order
creates and reserves a delivery, where it installed finance orders are
invoiced and marked paid through finance's ``invoice_paid`` hook. Other
plugins use :mod:`plugins.sales.api` and the hooks in
:mod:`plugins.sales.hookspecs`.
"""

from __future__ import annotations

from core import Permission, PluginInfo, Role, hookimpl
from plugins.sales import hookspecs

PLUGIN = PluginInfo(name="sales", version="1.0.0", optional=("finance", "wms"), hookspecs=hookspecs,
                    description="Sales: leads, scoring, pipeline, activities, quotations, orders, contracts "
                                "and sales analysis")

__all__ = ["PLUGIN"]


@hookimpl
def register_permissions():
    return [
        Permission(
            "sales.view", "See leads, the pipeline, quotations, orders and sales analysis", read_only=True
        ),
        Permission("sales.crm", "Capture and qualify leads, work opportunities and activities"),
        Permission("sales.sell", "Quote, confirm and cancel orders, run contracts and billing"),
        Permission("sales.manage", "Set up stages, scoring rules, price lists, credit limits and targets"),
    ]


@hookimpl
def register_roles():
    return [
        Role(
            "salesperson",
            "Works leads and opportunities, quotes and takes orders",
            (
                "company.view",
                "parties.view",
                "parties.edit",
                "products.view",
                "sales.view",
                "sales.crm",
                "sales.sell",
            ),
        ),
        Role(
            "sales_manager",
            "Everything in sales, including stages, scoring, prices, credit limits and targets",
            (
                "company.view",
                "parties.view",
                "parties.edit",
                "products.view",
                "sales.view",
                "sales.crm",
                "sales.sell",
                "sales.manage",
            ),
        ),
    ]


@hookimpl
def install_company(session, company):
    from plugins.sales.pipeline import set_up_pipeline
    from plugins.sales.settings import set_up_settings

    set_up_settings(session, company)
    set_up_pipeline(session, company)


@hookimpl
def register_commands(cli):
    from plugins.sales.commands import sales_group

    cli.add_command(sales_group(cli, PLUGIN))


@hookimpl
def register_blueprints():
    from plugins.sales.routes import blueprint

    return blueprint


@hookimpl
def menu_items(company, user):
    from plugins.sales.routes import menu

    return menu()


@hookimpl
def dashboard_widgets(session, company, user):
    from plugins.sales.widgets import sales_widgets

    return sales_widgets(session, company, user)


@hookimpl
def party_timeline(session, company, party):
    from plugins.sales.facts import timeline_of

    return timeline_of(session, company, party)


@hookimpl
def party_roles(session, company, party):
    from plugins.sales.facts import roles_of

    return roles_of(session, company, party)


@hookimpl
def product_facts(session, company, product):
    from plugins.sales.facts import product_facts_of

    return product_facts_of(session, company, product)


@hookimpl
def demo_data(session, company, progress):
    from plugins.sales.demo import sales_demo_data

    sales_demo_data(session, company, progress)


# -- the optional partners: active only for a company that installed them too --

@hookimpl(optionalhook=True)
def goods_delivered(session, company, event):
    from plugins.sales.fulfilment import on_goods_delivered

    on_goods_delivered(session, company, event)


@hookimpl(optionalhook=True)
def invoice_posted(session, company, event):
    from plugins.sales.billing import on_invoice_posted

    on_invoice_posted(session, company, event)


@hookimpl(optionalhook=True)
def invoice_paid(session, company, event):
    from plugins.sales.billing import on_invoice_paid

    on_invoice_paid(session, company, event)


@hookimpl(optionalhook=True)
def invoice_partly_paid(session, company, event):
    from plugins.sales.billing import on_invoice_paid

    on_invoice_paid(session, company, event)

"""wms: warehouses, locations and stock that is never oversold.

Stock lives in the core ledger: a product's unit is a commodity, a location
a stock account, a done operation one ledger transaction. Reservations are
taken under row locks, lots and serial numbers leave by FIFO or FEFO,
replenishment proposes orders from reorder points, safety stock and EOQ,
and, where the company keeps its books with finance, receipts and
deliveries post inventory value and cost of goods sold. Other plugins use
:mod:`plugins.wms.api` and the hooks in :mod:`plugins.wms.hookspecs`.
"""

from __future__ import annotations

from core import Permission, PluginInfo, Role, hookimpl
from plugins.wms import hookspecs

PLUGIN = PluginInfo(name="wms", version="1.0.0", optional=("finance",), hookspecs=hookspecs,
                    description="Warehouses: locations, stock moves, reservations, lots, counts, "
                                "replenishment and valuation")

__all__ = ["PLUGIN"]


@hookimpl
def register_permissions():
    return [
        Permission("wms.view", "See stock, locations and operations", read_only=True),
        Permission("wms.operate", "Receive, reserve, pick, pack, deliver and transfer stock"),
        Permission("wms.count", "Count stock and enter counted quantities"),
        Permission("wms.approve", "Approve count differences, set up warehouses, rules and replenishment"),
    ]


@hookimpl
def register_roles():
    return [
        Role("storekeeper", "Receives, picks, packs, ships and counts stock",
             ("company.view", "parties.view", "products.view", "wms.view", "wms.operate", "wms.count")),
        Role("warehouse_manager", "Everything in the warehouse, including approving counts and replenishment",
             ("company.view", "parties.view", "products.view", "products.edit", "ledger.view", "wms.view",
              "wms.operate", "wms.count", "wms.approve")),
    ]


@hookimpl
def install_company(session, company):
    from plugins.wms.setup import set_up_stock

    set_up_stock(session, company)


@hookimpl
def plugin_installed(session, company, event):
    # Finance arriving after wms: start valuing the stock from now on.
    if event.plugin == "finance":
        from plugins.wms.setup import set_up_valuation

        set_up_valuation(session, company)


@hookimpl
def register_commands(cli):
    from plugins.wms.commands import wms_group

    cli.add_command(wms_group(cli, PLUGIN))


@hookimpl
def product_facts(session, company, product):
    from plugins.wms.facts import product_facts_of

    return product_facts_of(session, company, product)


@hookimpl
def party_timeline(session, company, party):
    from plugins.wms.facts import timeline_of

    return timeline_of(session, company, party)


@hookimpl
def demo_data(session, company, progress):
    from plugins.wms.demo import wms_demo_data

    wms_demo_data(session, company, progress)


@hookimpl
def register_blueprints():
    from plugins.wms.routes import blueprint

    return blueprint


@hookimpl
def menu_items(company, user):
    from plugins.wms.routes import menu

    return menu()


@hookimpl
def dashboard_widgets(session, company, user):
    from plugins.wms.widgets import wms_widgets

    return wms_widgets(session, company)

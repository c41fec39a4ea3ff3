"""procurement: from a requisition to a paid supplier bill.

Suppliers and what they sell (:mod:`plugins.procurement.catalogue`);
requisitions by hand or from wms replenishment proposals; requests for
quotation to several suppliers whose quotes are compared side by side
(price, lead time, supplier score); purchase orders that wait for a
manager's approval above the company's threshold; receipts (through wms
where the company installed it, partial receipts leaving backorders);
supplier bills checked by a three-way match of order, receipt and bill
within the company's tolerances: a bill that does not match is held with
its reasons, with nothing in the books, until a manager releases it.
Procurement requires no other plugin: with wms goods are received into
stock, with finance bills are posted and their payment marks the order
paid. Supplier performance and risk are measured on the receipt, return and
bill history (:mod:`plugins.procurement.performance`). Other plugins use
:mod:`plugins.procurement.api` and the hooks in
:mod:`plugins.procurement.hookspecs` (``purchase_order_confirmed``,
``purchase_goods_received``, ``bill_matched``).
"""

from __future__ import annotations

from core import Permission, PluginInfo, Role, hookimpl
from plugins.procurement import hookspecs

PLUGIN = PluginInfo(
    name="procurement",
    version="1.0.0",
    optional=("finance", "wms"),
    hookspecs=hookspecs,
    description="Purchasing: suppliers and their catalogue, requisitions, RFQs and quote "
    "comparison, purchase orders with approval, receipts, three-way matched bills "
    "and supplier performance",
)

__all__ = ["PLUGIN"]


@hookimpl
def register_permissions():
    return [
        Permission(
            "procurement.view",
            "See suppliers, requisitions, RFQs, purchase orders, bills and supplier performance",
            read_only=True,
        ),
        Permission(
            "procurement.buy", "Write requisitions, RFQs and purchase orders, receive goods, enter bills"
        ),
        Permission(
            "procurement.approve",
            "Approve orders above the threshold, release held bills, set tolerances and the threshold",
        ),
    ]


@hookimpl
def register_roles():
    return [
        Role("buyer", "Requisitions, RFQs, purchase orders, receipts and supplier bills",
             ("company.view", "parties.view", "parties.edit", "products.view", "procurement.view",
              "procurement.buy")),
        Role("purchasing_manager", "Everything in purchasing, including approvals, held bills and tolerances",
             ("company.view", "parties.view", "parties.edit", "products.view", "products.edit",
              "procurement.view", "procurement.buy", "procurement.approve")),
    ]


@hookimpl
def install_company(session, company):
    from plugins.procurement.settings import set_up_settings

    set_up_settings(session, company)


@hookimpl
def register_commands(cli):
    from plugins.procurement.commands import procurement_group

    cli.add_command(procurement_group(cli, PLUGIN))


@hookimpl
def register_blueprints():
    from plugins.procurement.routes import blueprint

    return blueprint


@hookimpl
def menu_items(company, user):
    from plugins.procurement.routes import menu

    return menu()


@hookimpl
def dashboard_widgets(session, company, user):
    from plugins.procurement.widgets import procurement_widgets

    return procurement_widgets(session, company)


@hookimpl
def party_timeline(session, company, party):
    from plugins.procurement.facts import timeline_of

    return timeline_of(session, company, party)


@hookimpl
def party_roles(session, company, party):
    from plugins.procurement.facts import roles_of

    return roles_of(session, company, party)


@hookimpl
def product_facts(session, company, product):
    from plugins.procurement.facts import product_facts_of

    return product_facts_of(session, company, product)


@hookimpl
def demo_data(session, company, progress):
    from plugins.procurement.demo import procurement_demo_data

    procurement_demo_data(session, company, progress)


# -- the optional partners: active only for a company that installed them too --

@hookimpl(optionalhook=True)
def replenishment_proposed(session, company, event):
    from plugins.procurement.requisitions import on_replenishment_proposed

    return on_replenishment_proposed(session, company, event)


@hookimpl(optionalhook=True)
def goods_received(session, company, event):
    from plugins.procurement.receiving import on_goods_received

    on_goods_received(session, company, event)


@hookimpl(optionalhook=True)
def invoice_posted(session, company, event):
    from plugins.procurement.billing import on_invoice_posted

    on_invoice_posted(session, company, event)


@hookimpl(optionalhook=True)
def invoice_paid(session, company, event):
    from plugins.procurement.billing import on_invoice_paid

    on_invoice_paid(session, company, event)

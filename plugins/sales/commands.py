"""``jangbu sales``: the command group. Each concern adds its commands from
its own module: the CRM (leads, scoring, opportunities, stages,
activities), orders (price lists, quotations, orders, credit limits,
contracts, ``bill-due``) and analysis."""

from __future__ import annotations

import click

__all__ = ["sales_group"]


def sales_group(cli, info) -> click.Group:
    """The ``sales`` group with every command attached."""
    from plugins.sales.analysis_commands import COMMANDS as ANALYSIS
    from plugins.sales.crm_commands import COMMANDS as CRM
    from plugins.sales.order_commands import COMMANDS as ORDERS

    group = cli.plugin_group(info)
    for command in (*CRM, *ORDERS, *ANALYSIS):
        group.add_command(command)
    return group

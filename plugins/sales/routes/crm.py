"""The CRM's pages: leads (and the public enquiry form), opportunities and
the pipeline board, activities, and setting up stages, lost reasons and
lead scoring. ``MENU`` lists their navigation entries."""

from __future__ import annotations

from core import MenuItem
from plugins.sales.routes import crm_activities, crm_leads, crm_pipeline, crm_public, crm_setup  # noqa: F401
from plugins.sales.routes.crm_common import N_

__all__ = ["MENU"]

MENU = [
    MenuItem(N_("Leads"), "sales.leads", "sales.view", order=50),
    MenuItem(N_("Pipeline"), "sales.board", "sales.view", order=51),
    MenuItem(N_("Opportunities"), "sales.opportunities", "sales.view", order=52),
    MenuItem(N_("Activities"), "sales.activities", "sales.view", order=53),
    MenuItem(N_("CRM set-up"), "sales.stages", "sales.view", order=59),
]

"""Sales's dashboard tiles: the CRM's (overdue activities, the pipeline) and
the analysis's (revenue and margin by month, targets)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.contributions import Widget
from core.models import Company, User

__all__ = ["sales_widgets"]


def sales_widgets(session: Session, company: Company, user: User) -> list[Widget]:
    from plugins.sales.analysis_widgets import analysis_widgets
    from plugins.sales.crm_widgets import crm_widgets

    return [*crm_widgets(session, company, user), *analysis_widgets(session, company, user)]

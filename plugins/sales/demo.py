"""The demo company's sales: a pipeline of leads and opportunities with
their activities (the CRM), and a year of quotations, orders, deliveries,
invoices and contracts (orders), and salespeople's targets (analysis)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Company

__all__ = ["sales_demo_data"]


def sales_demo_data(session: Session, company: Company, progress) -> None:
    from plugins.sales.analysis_demo import analysis_demo_data
    from plugins.sales.crm_demo import crm_demo_data
    from plugins.sales.order_demo import order_demo_data

    crm_demo_data(session, company, progress)
    order_demo_data(session, company, progress)
    analysis_demo_data(session, company, progress)  # targets near what each salesperson sold

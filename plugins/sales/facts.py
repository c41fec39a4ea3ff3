"""What sales tells the rest of the installation about a party (its
timeline and roles: the customer 360° page) and about a product."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.contributions import Fact, TimelineEntry
from core.models import Company, Party, Product

__all__ = ["timeline_of", "roles_of", "product_facts_of"]


def timeline_of(session: Session, company: Company, party: Party) -> list[TimelineEntry]:
    """Leads, opportunities and activities (the CRM), quotations, orders and contracts (orders)."""
    from plugins.sales.crm_facts import crm_timeline
    from plugins.sales.order_facts import order_timeline

    return [*crm_timeline(session, company, party), *order_timeline(session, company, party)]


def roles_of(session: Session, company: Company, party: Party) -> list[str]:
    from plugins.sales.crm_facts import is_customer

    return ["customer"] if is_customer(session, company, party) else []


def product_facts_of(session: Session, company: Company, product: Product) -> list[Fact]:
    from plugins.sales.order_facts import order_product_facts

    return order_product_facts(session, company, product)

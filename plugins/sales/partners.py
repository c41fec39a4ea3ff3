"""Where sales meets its optional partners, finance (invoices, receivables) and
wms (warehouses, deliveries): their ``api`` modules, imported lazily so sales
imports and works when neither package is there. Call them only for a company
that installed the partner (``installed``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Company
from core.plugins import plugins_of

__all__ = ["installed", "finance_api", "wms_api"]


def installed(session: Session, company: Company, name: str) -> bool:
    """Whether ``company`` installed the plugin ``name`` (a partner's code runs only then)."""
    return plugins_of(session).is_installed(session, company, name)


def finance_api():
    from plugins.finance import api

    return api


def wms_api():
    from plugins.wms import api

    return api

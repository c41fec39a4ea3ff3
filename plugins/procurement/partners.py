"""Where procurement meets its optional partners: whether the company
installed finance or wms, and their ``api`` modules, imported lazily so
procurement imports and works when neither package is there."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Company
from core.plugins import plugins_of

__all__ = [
    "has_wms",
    "has_finance",
    "wms_api",
    "finance_api",
    "wms_warehouses",
    "wms_warehouse_known",
    "announce",
]


def has_wms(session: Session, company: Company) -> bool:
    return plugins_of(session).is_installed(session, company, "wms")


def has_finance(session: Session, company: Company) -> bool:
    return plugins_of(session).is_installed(session, company, "finance")


def wms_api():
    from plugins.wms import api

    return api


def finance_api():
    from plugins.finance import api

    return api


def wms_warehouses(session: Session, company: Company) -> list[str]:
    """The codes of the company's active wms warehouses."""
    return [str(code).upper() for code in wms_api().warehouses(session, company)]


def wms_warehouse_known(session: Session, company: Company, code: str) -> bool:
    return code.strip().upper() in wms_warehouses(session, company)


def announce(session: Session, company: Company, hook: str, event) -> None:
    """Announce ``event`` through procurement's ``hook`` to the company's installed plugins."""
    getattr(plugins_of(session).for_company(session, company), hook)(
        session=session, company=company, event=event
    )

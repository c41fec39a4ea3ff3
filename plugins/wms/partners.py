"""Where wms meets its optional partner finance: its ``api``, imported lazily so
wms imports and works without it. Call it only for a company that installed
finance (``installed``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Company
from core.plugins import plugins_of

__all__ = ["installed", "finance_api"]


def installed(session: Session, company: Company, name: str) -> bool:
    """Whether ``company`` installed the plugin ``name`` (a partner's code runs only then)."""
    return plugins_of(session).is_installed(session, company, name)


def finance_api():
    from plugins.finance import api

    return api

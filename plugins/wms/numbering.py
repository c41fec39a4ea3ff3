"""Numbers for operations, waves, packages and counts (``MAIN/IN/00001``).

The counter row is updated in the caller's database transaction, so two
processes numbering at once queue on it and never share a number.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.models import Company
from plugins.wms.models import Counter

__all__ = ["next_number"]

_COUNTER = Counter.__table__


def next_number(session: Session, company: Company, prefix: str, width: int = 5) -> str:
    """The next number for ``prefix`` in ``company``: ``prefix/00001``, ``prefix/00002``..."""
    bump = (update(_COUNTER).where(_COUNTER.c.company_id == company.id, _COUNTER.c.prefix == prefix)
            .values(last=_COUNTER.c.last + 1).returning(_COUNTER.c.last))
    last = session.execute(bump).scalar()
    if last is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(_COUNTER).values(company_id=company.id, prefix=prefix, last=0)
                        .on_conflict_do_nothing())
        last = session.execute(bump).scalar()
    return f"{prefix}/{last:0{width}d}"

"""Document numbers per company and prefix (``SO00001``, ``PO00012``).

One counter row per company and prefix, bumped in the caller's database
transaction: two processes numbering at once queue on the row and never
share a number, and a rolled-back operation gives its number back.
Plugins number their documents here rather than each keeping a table.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base
from core.models import Company

__all__ = ["Counter", "next_number"]


class Counter(Base):
    __tablename__ = "core_counter"

    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(40), primary_key=True)
    last: Mapped[int] = mapped_column(BigInteger, default=0)


_COUNTER = Counter.__table__


def next_number(session: Session, company: Company, prefix: str, width: int = 5) -> str:
    """The next number for ``prefix`` in ``company``: ``SO00001``, ``SO00002``..."""
    bump = (update(_COUNTER).where(_COUNTER.c.company_id == company.id, _COUNTER.c.prefix == prefix)
            .values(last=_COUNTER.c.last + 1).returning(_COUNTER.c.last))
    last = session.execute(bump).scalar()
    if last is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(_COUNTER).values(company_id=company.id, prefix=prefix, last=0)
                        .on_conflict_do_nothing())
        last = session.execute(bump).scalar()
    return f"{prefix}{last:0{width}d}"

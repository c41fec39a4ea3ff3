"""memo's one table and its two services."""

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from core import Base
from core.errors import Invalid


class Note(Base):
    __tablename__ = "memo_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))


def add_note(session, company, text):
    if not text.strip():
        raise Invalid("a note needs some text")
    note = Note(company_id=company.id, text=text.strip())
    session.add(note)
    session.flush()
    return note


def notes(session, company):
    return list(session.scalars(select(Note).where(Note.company_id == company.id).order_by(Note.id)))

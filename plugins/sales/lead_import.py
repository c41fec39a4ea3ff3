"""Leads from a CSV file: one lead a row, all or nothing.

The first row names the columns (any case; a few common aliases are
understood): contact_name (or name, contact), organisation (organization,
company), email, phone, tax_id, region, country, industry, employees,
budget, message, source (default ``import``), owner (a username). Every row
is checked before any is written; a file with a bad row is refused whole,
naming the rows that are wrong.
"""

from __future__ import annotations

import csv
import io
from typing import Optional

from sqlalchemy.orm import Session

from core.errors import Invalid, JangbuError
from core.models import Company
from plugins.sales.crm_common import member
from plugins.sales.duplicates import Known
from plugins.sales.leads import _cleaned, create_lead
from plugins.sales.models import Lead, LeadSource
from plugins.sales.scoring import Scorer

__all__ = ["import_leads", "MAX_ROWS", "COLUMNS"]

MAX_ROWS = 5000
COLUMNS = (
    "contact_name",
    "organisation",
    "email",
    "phone",
    "tax_id",
    "region",
    "country",
    "industry",
    "employees",
    "budget",
    "message",
    "source",
    "owner",
)
_ALIASES = {"name": "contact_name", "contact": "contact_name", "contact name": "contact_name",
            "organization": "organisation", "company": "organisation", "e-mail": "email", "mail": "email",
            "telephone": "phone", "tel": "phone", "tax id": "tax_id", "vat": "tax_id", "size": "employees",
            "note": "message", "notes": "message"}
_SHOWN_ERRORS = 10


def _columns(header: list[str]) -> list[Optional[str]]:
    names = []
    for raw in header:
        name = raw.strip().lstrip("\ufeff").lower()
        name = _ALIASES.get(name, name.replace(" ", "_"))
        names.append(name if name in COLUMNS else None)
    if "contact_name" not in names:
        raise Invalid("the first row must name the columns, among them contact_name (or name)")
    known = [n for n in names if n]
    if len(known) != len(set(known)):
        raise Invalid("a column is named twice")
    return names


def import_leads(session: Session, company: Company, content: str | bytes) -> list[Lead]:
    """Every row of ``content`` as a lead (source ``import`` unless the row says), or nothing."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid("the file must be UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(content)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise Invalid("the file is empty")
    names = _columns(rows[0])
    if len(rows) == 1:
        raise Invalid("the file has no rows below its header")
    if len(rows) - 1 > MAX_ROWS:
        raise Invalid(f"at most {MAX_ROWS} rows at a time, not {len(rows) - 1}")
    records, errors = [], []
    for line, row in enumerate(rows[1:], start=2):
        record = {name: cell for name, cell in zip(names, row) if name}
        try:
            source = (record.pop("source", "") or "").strip().lower() or LeadSource.IMPORT.value
            if source not in {s.value for s in LeadSource}:
                raise Invalid(f"unknown source {source!r}")
            owner = (record.pop("owner", "") or "").strip() or None
            member(session, company, owner)
            _cleaned(company, record)
            records.append((record, source, owner))
        except JangbuError as exc:
            errors.append(f"line {line}: {exc}")
    if errors:
        more = f" (and {len(errors) - _SHOWN_ERRORS} more)" if len(errors) > _SHOWN_ERRORS else ""
        raise Invalid("nothing imported: " + "; ".join(errors[:_SHOWN_ERRORS]) + more)
    known, scorer = Known(session, company), Scorer(session, company)
    return [create_lead(session, company, record.pop("contact_name"), source=source, owner=owner, known=known,
                        scorer=scorer, **record) for record, source, owner in records]

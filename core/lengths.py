"""Text longer than its column is refused before the database sees it.

SQLite stores text of any length in a ``varchar(n)`` column; PostgreSQL
refuses it with a driver error. So that both engines refuse the same input
with the same message, every object the ORM flushes (core's and every
plugin's, all on the one ``Base``) has each ``String(n)`` value checked
against its column with ``core.values.check_length``: a new object all of
them, a changed one the attributes that changed. The message names the field
as ``label_of`` derives it from the table and column (``ledger_account.code``
-> "account code"); a column may give its own with ``info={"label": ...}``.

Services whose form or command names a field differently check it
themselves first, with that name. Statements below the ORM (``insert()``,
``update()``) are not seen here: their callers check what they write.
"""

from __future__ import annotations

from sqlalchemy import Column, Enum, String, event, inspect
from sqlalchemy.orm import Mapper, Session

from core.values import check_length

__all__ = ["label_of", "limits_of", "check_object", "check"]

# Words written in capitals in a label.
_ACRONYMS = {"sku": "SKU", "rfq": "RFQ", "id": "ID", "url": "URL", "iban": "IBAN", "vat": "VAT", "uom": "UoM"}

_LIMITS: dict[Mapper, tuple[tuple[str, str, int], ...]] = {}


def label_of(column: Column) -> str:
    """How a message names ``column``: its table without the owner's prefix
    (``core_``, ``ledger_``, a plugin's name), then the column, in words."""
    if column.info.get("label"):
        return column.info["label"]
    _owner, _, entity = column.table.name.partition("_")
    entity = entity or column.table.name
    # core_user.username is the "username", not the "user username"
    named = column.name if column.name.startswith(entity.split("_")[-1]) else f"{entity}_{column.name}"
    words = named.split("_")
    return " ".join(_ACRONYMS.get(word, word) for word in words if word)


def limits_of(mapper: Mapper) -> tuple[tuple[str, str, int], ...]:
    """``(attribute, label, longest)`` for each length-limited text column of ``mapper``."""
    limits = _LIMITS.get(mapper)
    if limits is None:
        found = []
        for prop in mapper.column_attrs:
            for column in prop.columns:
                kind = column.type
                # an Enum is a String too, but its values are checked against the members
                if isinstance(kind, String) and not isinstance(kind, Enum) and kind.length:
                    found.append((prop.key, label_of(column), kind.length))
        limits = _LIMITS[mapper] = tuple(found)
    return limits


def check_object(obj: object, *, changed_only: bool = False) -> None:
    """Raise ``Invalid`` if a text attribute of ``obj`` is longer than its column."""
    state = inspect(obj)
    values = state.dict
    changed = state.committed_state if changed_only else values
    for key, label, limit in limits_of(state.mapper):
        if key in changed:
            value = values.get(key)
            if isinstance(value, str):
                check_length(label, value, limit)


def check(attribute, value: str | None, label: str | None = None) -> None:
    """Refuse ``value`` for the mapped ``attribute`` (``Product.sku``) when it
    is longer than the column, naming it ``label`` (the form's or command's
    word for it) or else as ``label_of`` does."""
    column = attribute.property.columns[0]
    check_length(label or label_of(column), value, column.type.length)


# Registered before the other flush guards (see ``core/__init__``): nothing is
# queried or written for an object that is refused here.
@event.listens_for(Session, "before_flush")
def _check_flush(session: Session, _context, _instances) -> None:
    for obj in session.new:
        check_object(obj)
    for obj in session.dirty:
        check_object(obj, changed_only=True)

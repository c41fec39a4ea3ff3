"""A row of one company never points at a row of another.

Checked for every object the ORM flushes, core's and every plugin's alike:
each many-to-one reference from a row with ``company_id`` to a row with
``company_id`` must stay inside the same company. Shared reference data
(currencies, units) has no company and may be used by all. ``find_one`` and
``ensure_absent`` are the one way services look a company's rows up by code.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOONE

from core.errors import Conflict, CrossCompany, NotFound

__all__ = ["check_same_company", "find_one", "ensure_absent", "settings_row"]

T = TypeVar("T")


def check_same_company(session: Session, obj: object) -> None:
    """Raise :class:`CrossCompany` if ``obj`` refers to another company's row."""
    state = inspect(obj)
    own = getattr(obj, "company_id", None)
    if own is None and getattr(obj, "company", None) is not None:  # set through the relationship
        own = obj.company.id
    if own is None:
        return
    for rel in state.mapper.relationships:
        if rel.direction is not MANYTOONE or rel.viewonly:
            continue
        target_cls = rel.mapper.class_
        if not hasattr(target_cls, "company_id") or rel.key == "company":
            continue
        target = _referenced(session, state, rel)
        if target is None:
            continue
        theirs = target.company_id
        if theirs is not None and theirs != own:
            raise CrossCompany(
                f"{type(obj).__name__}.{rel.key} refers to a {target_cls.__name__} "
                f"of another company (company {theirs}, not {own})")


def _referenced(session: Session, state, rel):
    value = state.dict.get(rel.key)
    if value is not None:
        return value
    columns = list(rel.local_columns)
    if len(columns) != 1:
        return None  # a composite key: the database's composite foreign key guards it
    key = state.dict.get(state.mapper.get_property_by_column(columns[0]).key)
    if key is None:
        return None
    return session.get(rel.mapper.class_, key)


@event.listens_for(Session, "before_flush")
def _check_flush(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        check_same_company(session, obj)


def find_one(session: Session, model: type[T], company, what: str, **criteria) -> T:
    """The ``model`` row of ``company`` matching ``criteria``, or :class:`NotFound`.

    ``what`` names the thing in the message (``unknown party 'C1' in company ACME``).
    """
    row = session.scalar(_of_company(model, company, criteria))
    if row is None:
        raise NotFound(f"unknown {what} {_shown(criteria)} in company {company.code}")
    return row


def settings_row(session: Session, model: type[T], company, plugin: str) -> T:
    """A plugin's settings row of ``company`` (keyed by the company's id), or :class:`NotFound` naming
    ``plugin`` as not installed there."""
    row = session.get(model, company.id)
    if row is None:
        raise NotFound(f"company {company.code} has not installed {plugin}")
    return row


def ensure_absent(session: Session, model: type, company, what: str, **criteria) -> None:
    """Refuse with :class:`Conflict` when ``company`` has such a row already."""
    if session.scalar(_of_company(model, company, criteria).with_only_columns(model.id)) is not None:
        raise Conflict(f"{what} {_shown(criteria)} exists already in company {company.code}")


def _of_company(model, company, criteria):
    return select(model).where(model.company_id == company.id,
                               *(getattr(model, key) == value for key, value in criteria.items()))


def _shown(criteria) -> str:
    return ", ".join(repr(value) for value in criteria.values())

"""The outbox: side effects that must leave only after their commit.

A plugin that wants to send mail, call a webhook or an SMS gateway writes an
outbox message in the same database transaction as the business change
(``enqueue``). If that transaction rolls back, the message never existed.
``dispatch`` runs after commit (``jangbu outbox dispatch``, or a worker) and
hands each unsent message to the ``deliver_outbox`` hook.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.errors import Invalid
from core.models import Company, OutboxMessage, utcnow
from core.plugins import plugins_of

__all__ = ["enqueue", "dispatch", "DispatchReport", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 10


@attrs.frozen
class DispatchReport:
    sent: int
    failed: int
    unclaimed: int


def enqueue(session: Session, company: Company, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Write a message that leaves once the current transaction commits."""
    if not topic.strip():
        raise Invalid("an outbox topic must not be empty")
    try:
        body = json.dumps(payload, sort_keys=True)
    except TypeError as exc:
        raise Invalid(f"outbox payload is not JSON: {exc}") from None
    message = OutboxMessage(company_id=company.id, topic=topic, payload=body)
    session.add(message)
    session.flush()
    return message


def dispatch(factory: sessionmaker[Session], limit: int = 100) -> DispatchReport:
    """Deliver up to ``limit`` unsent messages, one committed transaction each."""
    sent = failed = unclaimed = 0
    with factory() as session:
        ids = list(session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.id).limit(limit)))
    for message_id in ids:
        with factory() as session, session.begin():
            query = select(OutboxMessage).where(
                OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None)
            )
            # Two dispatchers never send one message twice: PostgreSQL skips a row
            # another holds; on SQLite the transaction holds the write lock.
            query = query.with_for_update(skip_locked=True)
            message = session.scalar(query)
            if message is None:
                continue
            company = session.get(Company, message.company_id)
            try:
                # Only the plugins the message's company installed may deliver it.
                delivered = plugins_of(session).for_company(session, company).deliver_outbox(message=message)
            except Exception as exc:  # a failing gateway must not stop the others
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"
                failed += 1
                continue
            if delivered:
                message.sent_at = utcnow()
                message.attempts += 1
                sent += 1
            else:
                unclaimed += 1
    return DispatchReport(sent, failed, unclaimed)

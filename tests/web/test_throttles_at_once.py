"""The sign-in throttle holds when attempts arrive at once: 32 wrong passwords
for one account, sent together over HTTP to a served app, have at most
``MAX_FAILURES`` evaluated; every other attempt is answered 429. On
PostgreSQL the requests really run at once (they meet on the account's and the
address's named lock); on SQLite they queue for its write lock."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from core import audit
from core.models import AuditEntry
from tests.web.conftest import PASSWORD, add_user, make_app
from tests.web.served import post_at_once, served
from web.auth import MAX_FAILURES

ATTEMPTS = 32


def _failures(db) -> int:
    with db.session() as s:
        return s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == audit.LOGIN_FAILED)
        )


@pytest.mark.slow
def test_wrong_passwords_sent_at_once_have_at_most_the_limit_evaluated(db):
    db.company("ACME")
    add_user(db, "ann", {"ACME": "admin"})
    app = make_app(db)  # CSRF on: each client fetches the form first
    with served(app) as base:
        answers = Counter(
            post_at_once(base, "/login", {"username": "ann", "password": "wrong password"}, ATTEMPTS)
        )
        assert answers == {401: MAX_FAILURES, 429: ATTEMPTS - MAX_FAILURES}, answers
        assert _failures(db) == MAX_FAILURES  # the evaluated attempts, each recorded once
        # the right password too waits out the window now
        assert Counter(post_at_once(base, "/login", {"username": "ann", "password": PASSWORD}, 1)) == {429: 1}

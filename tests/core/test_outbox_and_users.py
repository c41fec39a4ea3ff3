"""The outbox leaves only after commit; roles grant what they say."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.companies import get_company
from core.errors import Conflict, Invalid, PermissionDenied
from core.models import OutboxMessage
from core.outbox import MAX_ATTEMPTS, dispatch, enqueue
from core.users import authenticate, create_user, grant, has_permission, permissions_of, require, revoke
from tests.core.test_plugins import fake_plugin


def test_outbox_message_exists_only_if_its_transaction_commits(db):
    db.company(accounts=False)
    with pytest.raises(RuntimeError):
        with db.session() as s:
            enqueue(s, get_company(s, "ACME"), "mail", {"to": "a@example.com"})
            raise RuntimeError("the business operation failed")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_dispatch_delivers_after_commit_and_retries_failures(db):
    delivered, attempts = [], []

    def deliver_outbox(message):
        attempts.append(message.topic)
        if message.topic == "broken":
            raise ConnectionError("gateway down")
        if message.topic == "mail":
            delivered.append(json.loads(message.payload))
            return True
        return None

    db.use_plugins(fake_plugin("mailer", deliver_outbox=deliver_outbox))
    db.company("ACME", accounts=False, plugins=["mailer"])
    db.company("OTHER", accounts=False)  # has not installed the mailer
    with db.session() as s:
        company = get_company(s, "ACME")
        enqueue(s, company, "mail", {"to": "a@example.com"})
        enqueue(s, company, "broken", {})
        enqueue(s, company, "sms", {})
        enqueue(s, get_company(s, "OTHER"), "mail", {"to": "b@example.com"})
    report = dispatch(db.factory)
    assert (report.sent, report.failed, report.unclaimed) == (1, 1, 2)
    assert delivered == [{"to": "a@example.com"}]
    assert dispatch(db.factory).sent == 0  # never twice
    with db.session() as s:
        broken = s.scalar(select(OutboxMessage).where(OutboxMessage.topic == "broken"))
        assert broken.attempts == 2 and "gateway down" in broken.last_error  # tried by both runs
    for _ in range(MAX_ATTEMPTS + 2):
        dispatch(db.factory)
    assert attempts.count("broken") == MAX_ATTEMPTS


def test_outbox_refuses_what_is_not_json(db):
    db.company(accounts=False)
    with pytest.raises(Invalid, match="not JSON"):
        with db.session() as s:
            enqueue(s, get_company(s, "ACME"), "mail", {"when": object()})


def test_roles_grant_their_permissions_per_company(db):
    db.company("ACME", accounts=False)
    db.company("OTHER", accounts=False)
    with db.session() as s:
        acme, other = get_company(s, "ACME"), get_company(s, "OTHER")
        boss = create_user(s, "boss", "correct horse battery")
        clerk = create_user(s, "clerk", "correct horse battery")
        grant(s, boss, acme, "admin")
        grant(s, clerk, acme, "viewer")
        grant(s, clerk, other, "accountant")
        assert has_permission(s, boss, acme, "ledger.post")
        assert not has_permission(s, boss, other, "ledger.view")
        assert has_permission(s, clerk, acme, "ledger.view")
        assert not has_permission(s, clerk, acme, "ledger.post")
        assert has_permission(s, clerk, other, "ledger.post")
        assert "users.admin" not in permissions_of(s, clerk, other)
        with pytest.raises(PermissionDenied, match="clerk may not ledger.post in ACME"):
            require(s, clerk, acme, "ledger.post")
        with pytest.raises(Conflict):
            grant(s, boss, acme, "admin")
        with pytest.raises(Invalid, match="unknown role 'owner'"):
            grant(s, boss, acme, "owner")
        revoke(s, clerk, acme, "viewer")
        assert permissions_of(s, clerk, acme) == frozenset()


def test_plugins_add_permissions_and_roles(db):
    from core.contributions import Permission, Role

    db.use_plugins(fake_plugin(
        "sales",
        register_permissions=lambda: [Permission("sales.view", "See orders", read_only=True),
                                      Permission("sales.confirm", "Confirm orders")],
        register_roles=lambda: [Role("salesperson", "Sells", ("sales.view", "sales.confirm"))]))
    db.company(accounts=False)
    with db.session() as s:
        acme = get_company(s, "ACME")
        rep, viewer = create_user(s, "rep", "long enough pw"), create_user(s, "viewer", "long enough pw")
        grant(s, rep, acme, "salesperson")
        grant(s, viewer, acme, "viewer")
        assert permissions_of(s, rep, acme) == {"sales.view", "sales.confirm"}
        assert "sales.view" in permissions_of(s, viewer, acme)
        assert "sales.confirm" not in permissions_of(s, viewer, acme)


def test_passwords_are_hashed_and_checked(db, real_password_hashing):
    with db.session() as s:
        user = create_user(s, "ann", "s3cret-enough")
        assert "s3cret-enough" not in user.password_hash and user.password_hash.startswith("scrypt")
        assert authenticate(s, "ann", "s3cret-enough") is user
        assert authenticate(s, "ann", "wrong password") is None
        assert authenticate(s, "nobody", "s3cret-enough") is None
        with pytest.raises(Invalid, match="at least 8"):
            create_user(s, "bob", "short")


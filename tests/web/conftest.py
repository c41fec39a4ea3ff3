"""Web fixtures: an app on the test database and signed-in clients."""

from __future__ import annotations

import pytest

from core.companies import get_company
from core.users import create_user, grant
from web import create_app

PASSWORD = "correct horse battery"


def make_app(db, **config):
    return create_app({"SECRET_KEY": "test", "ENGINE": db.engine, "TESTING": True, **config}, db.plugins)


def add_user(db, username: str, roles: dict[str, str]):
    """A user with ``{company code: role}``."""
    with db.session() as s:
        user = create_user(s, username, PASSWORD)
        for code, role in roles.items():
            grant(s, user, get_company(s, code), role)
    return user


def sign_in(client, username: str, password: str = PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def app(db):
    """CSRF off: the tests that prove CSRF turn it back on."""
    return make_app(db, WTF_CSRF_ENABLED=False)


@pytest.fixture
def acme(db):
    """ACME (memo installed) with admin ann, viewer viv and accountant abe; OTHER beside it."""
    db.company("ACME", plugins=["memo"])
    db.company("OTHER")
    add_user(db, "ann", {"ACME": "admin"})
    add_user(db, "viv", {"ACME": "viewer"})
    add_user(db, "abe", {"ACME": "accountant"})
    add_user(db, "oli", {"OTHER": "admin"})
    return db


@pytest.fixture
def ann(app, acme):
    from tests.web.pages import signed_in

    return signed_in(app, "ann")

"""The web's shared edge helpers that plugins call instead of writing their own: query-argument readers
(``web.lists.text_arg``/``date_arg``/``answer_format``), permission-aware links (``web.access.link_for``)
and text translated only on a page (``web.i18n.translated``)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, g
from flask_babel import Babel
from werkzeug.exceptions import BadRequest

from web.access import link_for
from web.i18n import translated
from web.lists import MAX_ARG, answer_format, date_arg, text_arg


@pytest.fixture
def app():
    app = Flask(__name__)
    Babel(app)  # the 400 messages are translated
    app.add_url_rule("/things/<number>", "plug.thing", lambda number: number)
    return app


def test_query_arguments_are_read_once_the_same_way(app):
    with app.test_request_context("/?a=%20x%20&d=2030-01-31&format=csv"):
        assert (text_arg("a"), text_arg("missing"), date_arg("d"), date_arg("missing")) == \
            ("x", "", dt.date(2030, 1, 31), None)
        assert answer_format() == "csv"
    for query in (f"a={'x' * (MAX_ARG + 1)}", "d=31/01/2030", "d=2030-02-30", "format=pdf"):
        with app.test_request_context(f"/?{query}"):
            with pytest.raises(BadRequest):
                text_arg("a"), date_arg("d"), answer_format()


def test_a_link_needs_a_page_the_permission_and_the_endpoint(app):
    assert link_for("plug.view", "plug.thing", number="1") is None          # off a page (the CLI)
    with app.test_request_context("/"):
        g.permissions = {"plug.view"}
        assert link_for("plug.view", "plug.thing", number="1") == "/things/1"
        assert link_for("other.view", "plug.thing", number="1") is None     # may not read it
        assert link_for("plug.view", "plug.nothing") is None                # no such page (yet)
        g.permissions = set()
        assert link_for("plug.view", "plug.thing", number="1") is None


def test_text_is_plain_off_a_page():
    assert translated("Order %(number)s", number="SO1") == "Order SO1"
    assert translated("Quotation") == "Quotation"

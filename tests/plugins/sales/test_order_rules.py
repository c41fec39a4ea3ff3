"""The order page offers exactly what the services allow: the one editability and cancellability rule
(:mod:`plugins.sales.order_common`) decides both, in every state an order reaches."""

from __future__ import annotations

import pytest

from core.companies import get_company
from core.errors import Invalid
from plugins.sales.fulfilment import deliver
from plugins.sales.order_common import find_order, is_cancellable, is_editable
from plugins.sales.orders import LineSpec, add_line, cancel, confirm, send, update_quotation
from tests.plugins.sales.test_pages_orders import S, app, quotation, site  # noqa: F401 (fixtures)
from tests.web.pages import signed_in


class _Undo(Exception):
    """Raised to roll a trial back."""


def _allowed(db, number, action) -> bool:
    """Whether the service accepts ``action`` on the order (tried, then rolled back)."""
    try:
        with db.session() as s:
            action(s, get_company(s, "ACME"), number)
            raise _Undo
    except _Undo:
        return True
    except Invalid:
        return False


@pytest.mark.parametrize(
    "steps",
    [(), (send,), (confirm,), (send, confirm), (cancel,), (confirm, cancel), (confirm, deliver)],
    ids=lambda steps: "-".join(f.__name__ for f in steps) or "draft",
)
def test_the_page_offers_what_the_services_allow(site, app, steps):
    number = quotation(site)
    with site.session() as s:
        for step in steps:
            step(s, get_company(s, "ACME"), number)
    with site.session() as s:
        order = find_order(s, get_company(s, "ACME"), number)
        editable, cancellable = is_editable(order), is_cancellable(order)
    changes = [_allowed(site, number, lambda s, c, n: add_line(s, c, n, LineSpec("PEN", "1", "1000"))),
               _allowed(site, number, lambda s, c, n: update_quotation(s, c, n, note="x")),
               _allowed(site, number, confirm)]
    assert changes == [editable] * 3
    assert _allowed(site, number, cancel) is cancellable
    ann = signed_in(app, "ann")
    page = ann.get(f"{S}/orders/{number}").get_data(True)
    assert (f"/orders/{number}/edit" in page) is editable
    assert (f"/orders/{number}/confirm" in page) is editable
    assert (f"/orders/{number}/cancel" in page) is cancellable
    assert (ann.get(f"{S}/orders/{number}/edit").status_code == 200) is editable

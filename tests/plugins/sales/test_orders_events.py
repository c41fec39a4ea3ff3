"""The order events: announced to the plugins the company installed, inside the change's transaction
(a refusing listener rolls the change back, delivery and invoice included)."""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal

import pytest

import plugins.finance as finance
import plugins.sales as sales
import plugins.wms as wms
from core import PluginInfo, hookimpl
from core.companies import get_company
from core.errors import JangbuError
from core.installation import install
from plugins.sales import api
from plugins.sales.fulfilment import deliver
from plugins.sales.orders import LineSpec, confirm, create_quotation
from tests.plugins.sales.conftest import assert_books_sound, make_sales_company


def listener(name="listener", refuse=False):
    heard = []

    @hookimpl(optionalhook=True)
    def order_confirmed(session, company, event):
        if refuse:
            raise JangbuError("the warehouse is closed")
        heard.append(event)

    @hookimpl(optionalhook=True)
    def order_delivered(session, company, event):
        heard.append(event)

    @hookimpl(optionalhook=True)
    def order_invoiced(session, company, event):
        heard.append(event)

    module = types.ModuleType(name)
    module.PLUGIN = PluginInfo(name=name, version="1", optional=("sales",))
    module.order_confirmed, module.order_delivered, module.order_invoiced = \
        order_confirmed, order_delivered, order_invoiced
    return module, heard


def test_events_reach_only_companies_with_the_listener(sdb):
    module, heard = listener()
    sdb.use_plugins(finance, wms, sales, module)
    for code in ("ACME", "OTHER"):
        make_sales_company(sdb, code, plugins=("finance", "wms", "sales"))
    with sdb.session() as s:
        install(s, get_company(s, "ACME"), ["listener"])
    for code in ("ACME", "OTHER"):
        with sdb.session() as s:
            company = get_company(s, code)
            number = create_quotation(s, company, "C1", [LineSpec("PEN", "10", "1000", discount="10")]).number
            confirm(s, company, number, date=dt.date.today())
            deliver(s, company, number, {"PEN": "4"}, date=dt.date.today())
            deliver(s, company, number, date=dt.date.today())
    kinds = [type(event).__name__ for event in heard]
    assert kinds == ["OrderConfirmed", "OrderDelivered", "OrderInvoiced", "OrderDelivered", "OrderInvoiced"]
    confirmed, first, invoiced, last, complete = heard
    assert (confirmed.customer, confirmed.total, confirmed.delivery) == (
        "C1",
        Decimal(9000),
        "MAIN/OUT/00001",
    )
    assert confirmed.lines[0].net == Decimal(9000) and confirmed.lines[0].discount == Decimal("10.00")
    assert (first.lines[0].quantity, first.lines[0].net, first.complete) == (Decimal(4), Decimal(3600), False)
    assert first.delivery == "MAIN/OUT/00001" and last.delivery == "MAIN/OUT/00001-1" and last.complete
    assert (invoiced.amount, invoiced.complete, complete.amount, complete.complete) == (
        Decimal(3600), False, Decimal(5400), True)


def test_a_refusing_listener_rolls_the_confirmation_back(sdb):
    module, _heard = listener("closed", refuse=True)
    sdb.use_plugins(finance, wms, sales, module)
    make_sales_company(sdb, plugins=("finance", "wms", "sales"))
    with sdb.session() as s:
        company = get_company(s, "ACME")
        install(s, company, ["closed"])
        number = create_quotation(s, company, "C1", [LineSpec("PEN", "10", "1000")]).number
    with pytest.raises(JangbuError, match="closed"):
        with sdb.session() as s:
            confirm(s, get_company(s, "ACME"), number)
    with sdb.session() as s:
        company = get_company(s, "ACME")
        assert api.order(s, company, number).state == "draft"
        from plugins.wms import api as wms_api

        assert wms_api.operations_of_origin(s, company, f"sales:{number}") == []
        assert wms_api.available(s, company, "PEN") == 100
        assert_books_sound(s, company)

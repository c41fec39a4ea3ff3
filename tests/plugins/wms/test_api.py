"""wms for other plugins: the api module, the events it announces (to the
plugins the company installed, inside the operation's transaction), and
finance arriving after stock is on hand."""

from __future__ import annotations

import types
from decimal import Decimal

import pytest

import plugins.finance as finance
import plugins.wms as wms
from core import PluginInfo, hookimpl
from core.companies import get_company
from core.errors import JangbuError
from core.installation import install
from core.ledger import balance
from plugins.wms import api
from plugins.wms.queries import check_stock
from tests.plugins.wms.conftest import assert_stock_sound, make_stock_company


def listener(name="listener", refuse=False):
    """A plugin that keeps every wms event it hears (and, with ``refuse``, refuses deliveries)."""
    heard = []

    @hookimpl(optionalhook=True)
    def goods_received(session, company, event):
        heard.append(event)

    @hookimpl(optionalhook=True)
    def goods_delivered(session, company, event):
        if refuse:
            raise JangbuError("the carrier is on strike")
        heard.append(event)

    @hookimpl(optionalhook=True)
    def stock_reserved(session, company, event):
        heard.append(event)

    module = types.ModuleType(name)
    module.PLUGIN = PluginInfo(name=name, version="1", optional=("wms",))
    module.goods_received, module.goods_delivered, module.stock_reserved = \
        goods_received, goods_delivered, stock_reserved
    return module, heard


def test_events_carry_the_origin_and_reach_only_companies_with_the_listener(wdb):
    module, heard = listener()
    wdb.use_plugins(finance, wms, module)
    make_stock_company(wdb, "ACME")
    make_stock_company(wdb, "OTHER")
    with wdb.session() as s:
        install(s, get_company(s, "ACME"), ["listener"])
    for code in ("ACME", "OTHER"):
        with wdb.session() as s:
            company = get_company(s, code)
            receipt = api.create_receipt(s, company, "S1", [api.LineInput("PEN", "10", "700")],
                                         origin="procurement:PO00001")
            done = api.validate_operation(s, company, receipt.number)
            assert done.state == "done" and done.lines[0].done == Decimal(10)
            delivery = api.create_delivery(
                s, company, "C1", [api.LineInput("PEN", "4")], origin="sales:SO00007"
            )
            assert delivery.lines[0].reserved == Decimal(4)
            api.validate_operation(s, company, delivery.number)
            assert api.available(s, company, "PEN") == Decimal(6)
            assert [op.number for op in api.operations_of_origin(s, company, "sales:SO00007")] == [
                delivery.number
            ]
    kinds = [type(event).__name__ for event in heard]
    assert kinds == ["GoodsReceived", "StockReserved", "GoodsDelivered"]  # ACME's only
    received, reserved, delivered = heard
    assert received.origin == "procurement:PO00001" and received.lines[0].value == Decimal(7000)
    assert reserved.origin == delivered.origin == "sales:SO00007" and reserved.complete
    assert delivered.lines[0].quantity == Decimal(4) and delivered.lines[0].value == Decimal(2800)
    assert delivered.transaction_id is not None and delivered.party == "C1"


def test_a_refusing_listener_rolls_the_delivery_back(wdb):
    module, _heard = listener("strike", refuse=True)
    wdb.use_plugins(finance, wms, module)
    make_stock_company(wdb, "ACME")
    with wdb.session() as s:
        company = get_company(s, "ACME")
        install(s, company, ["strike"])
        api.validate_operation(
            s, company, api.create_receipt(s, company, "S1", [api.LineInput("PEN", "5", "10")]).number
        )
        number = api.create_delivery(s, company, "C1", [api.LineInput("PEN", "5")]).number
    with pytest.raises(JangbuError, match="strike"):
        with wdb.session() as s:
            api.validate_operation(s, get_company(s, "ACME"), number)
    with wdb.session() as s:
        company = get_company(s, "ACME")
        assert api.operation(s, company, number).state == "ready"
        assert balance(s, company, "MAIN", commodity="PEN") == 5
        assert_stock_sound(s, company)


def test_finance_arriving_later_values_stock_from_then_on(plain):
    db, company = plain
    with db.session() as s:
        company = get_company(s, "ACME")
        receipt = api.create_receipt(s, company, "S1", [api.LineInput("PEN", "10", "700")])
        api.validate_operation(s, company, receipt.number)  # no finance: quantities only, no value legs
        assert check_stock(s, company) == []
    with db.session() as s:
        company = get_company(s, "ACME")
        install(s, company, ["finance"])
        assert_stock_sound(s, company)  # the 10 pens entered the costing at zero value
        api.validate_operation(
            s, company, api.create_receipt(s, company, "S1", [api.LineInput("PEN", "10", "700")]).number
        )
        api.validate_operation(
            s, company, api.create_delivery(s, company, "C1", [api.LineInput("PEN", "15")]).number
        )
        assert balance(s, company, "451") == 3500  # FIFO: ten at zero, then five at 700
        assert balance(s, company, "147") == 3500
        assert_stock_sound(s, company)

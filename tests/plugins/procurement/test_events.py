"""Procurement announces purchase_order_confirmed, purchase_goods_received and
bill_matched to the company's installed plugins, in the change's transaction:
a handler that raises refuses the change and nothing of it is written. The
facts, roles and timeline it gives the shared pages; its api."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.wms as wms
from core import PluginInfo, hookimpl
from core.catalog import get_party, get_product
from core.companies import get_company
from core.errors import Conflict
from core.installation import install
from plugins.procurement import api
from plugins.procurement.billing import BillLineInput, enter_bill
from plugins.procurement.events import BillMatched, PurchaseGoodsReceived, PurchaseOrderConfirmed
from plugins.procurement.facts import product_facts_of, roles_of, timeline_of
from plugins.procurement.models import OrderState
from plugins.procurement.orders import OrderLineInput, confirm_order, create_order, find_order
from plugins.procurement.receiving import receive
from tests.plugins.procurement.conftest import assert_books_sound, make_buying_company

D = dt.date(2026, 6, 1)


class Listener:
    """A plugin that listens to procurement (and may refuse)."""

    PLUGIN = PluginInfo(name="listener", version="1.0.0", requires=("procurement",))

    def __init__(self):
        self.seen, self.refuse = [], None

    def _note(self, event):
        if self.refuse is not None and isinstance(event, self.refuse):
            raise Conflict("the listener refuses")
        self.seen.append(event)

    @hookimpl
    def purchase_order_confirmed(self, session, company, event):
        self._note(event)

    @hookimpl
    def purchase_goods_received(self, session, company, event):
        self._note(event)

    @hookimpl
    def bill_matched(self, session, company, event):
        self._note(event)


@pytest.fixture
def listening(pdb):
    listener = Listener()
    pdb.use_plugins(finance, wms, procurement, listener)
    company = make_buying_company(pdb, plugins=("finance", "wms", "procurement"))
    with pdb.session() as s:
        install(s, get_company(s, company.code), ["listener"])
    return pdb, company, listener


def test_events_are_announced(listening):
    pdb, company, listener = listening
    with pdb.session() as s:
        create_order(s, company, "S1", [OrderLineInput("PEN", "100"), OrderLineInput("PAPER", "2")], date=D)
        confirm_order(s, company, "PO00001", date=D)
        receive(s, company, "PO00001", {"PEN": "40"}, date=D + dt.timedelta(days=2))
        receive(s, company, "PO00001", date=D + dt.timedelta(days=9))
        enter_bill(
            s, company, "PO00001", "B-1", [BillLineInput("PEN", "100"), BillLineInput("PAPER", "2")], date=D
        )
    confirmed, first, second, matched = listener.seen
    assert isinstance(confirmed, PurchaseOrderConfirmed)
    assert (confirmed.number, confirmed.supplier, confirmed.total, confirmed.receipt) == (
        "PO00001", "S1", Decimal(100 * 300 + 2 * 18000), "MAIN/IN/00001")
    assert [(l.product, l.quantity, l.unit_price) for l in confirmed.lines] == [
        ("PEN", 100, Decimal(300)), ("PAPER", 2, Decimal(18000))]
    assert isinstance(first, PurchaseGoodsReceived) and isinstance(second, PurchaseGoodsReceived)
    assert (first.reference, first.backorder, first.complete) == ("MAIN/IN/00001", "MAIN/IN/00001-1", False)
    assert [(l.product, l.quantity, l.received, l.ordered) for l in first.lines] == [("PEN", 40, 40, 100)]
    assert (second.reference, second.complete, second.date) == (
        "MAIN/IN/00001-1",
        True,
        D + dt.timedelta(days=9),
    )
    assert isinstance(matched, BillMatched)
    assert (matched.bill, matched.reference, matched.released, matched.total) == ("BILL00001", "B-1", False,
                                                                                 Decimal(66000))
    assert matched.document is not None


def test_a_refusing_handler_writes_nothing(listening):
    pdb, company, listener = listening
    listener.refuse = PurchaseOrderConfirmed
    with pdb.session() as s:
        create_order(s, company, "S1", [OrderLineInput("PEN", "100")], date=D)
    with pytest.raises(Conflict, match="the listener refuses"):
        with pdb.session() as s:
            confirm_order(s, company, "PO00001", date=D)
    with pdb.session() as s:
        assert find_order(s, company, "PO00001").state is OrderState.DRAFT
        from plugins.wms import api as wms_api

        assert wms_api.operations_of_origin(s, company, "procurement:PO00001") == []
    listener.refuse = PurchaseGoodsReceived
    with pdb.session() as s:
        confirm_order(s, company, "PO00001", date=D)
    with pytest.raises(Conflict, match="the listener refuses"):
        with pdb.session() as s:
            receive(s, company, "PO00001", date=D)
    with pdb.session() as s:
        from plugins.wms import api as wms_api

        assert [op.state for op in wms_api.operations_of_origin(s, company, "procurement:PO00001")] == [
            "ready"
        ]
        assert find_order(s, company, "PO00001").lines[0].received_units == 0
        assert wms_api.available(s, company, "PEN") == 0
        assert_books_sound(s, company)


def test_validating_the_wms_receipt_directly_receives_the_order(pdb):
    from plugins.wms import api as wms_api

    company = make_buying_company(pdb, plugins=("wms", "procurement"))
    with pdb.session() as s:
        create_order(s, company, "S1", [OrderLineInput("PEN", "100")], date=D)
        confirm_order(s, company, "PO00001", date=D)
        wms_api.validate_operation(s, company, "MAIN/IN/00001", {"PEN": "30"}, date=D + dt.timedelta(days=1))
        wms_api.validate_operation(
            s, company, "MAIN/IN/00001-1", {"PEN": "75"}, date=D + dt.timedelta(days=8)
        )
        order = find_order(s, company, "PO00001")
        # 105 arrived of 100 ordered: received in full (the 5 extra are the bill match's business).
        assert (order.lines[0].received_units, order.receipt_state.value) == (105, "full")
        assert wms_api.available(s, company, "PEN") == 105


def test_facts_roles_timeline_and_api(pdb):
    company = make_buying_company(pdb, plugins=("finance", "procurement"))
    with pdb.session() as s:
        req = api.create_requisition(
            s,
            company,
            [api.RequisitionLineInput("PEN", "50", "2026-06-30")],
            date=D,
            note="for the chairs",
            origin="manufacturing:MO00001",
        )
        assert (req.number, req.state, req.note, req.origin) == ("REQ00001", "draft", "for the chairs",
                                                                 "manufacturing:MO00001")
        assert api.requisitions_of_origin(s, company, "manufacturing:MO00001") == [req]
        create_order(s, company, "S1", requisition="REQ00001", date=D)
        confirm_order(s, company, "PO00001", date=D)
        receive(s, company, "PO00001", {"PEN": "50"}, date=D)
        enter_bill(s, company, "PO00001", "HOLD-ME", [BillLineInput("PEN", "50", "400")], date=D)
        assert api.orders_of_origin(s, company, "manufacturing:MO00002") == []
        (record,) = api.orders_of_origin(s, company, "manufacturing:MO00001")
        assert (record.number, record.state, record.receipt_state, record.total, record.requisition) == (
            "PO00001", "confirmed", "full", Decimal(15000), "REQ00001")
        assert record.lines[0].received == 50 and record.lines[0].billed == 0
        assert api.purchase_order(s, company, "PO00001") == record
        assert api.requisition(s, company, "REQ00001").state == "ordered"
        assert roles_of(s, company, get_party(s, company, "S1")) == ["supplier"]
        assert roles_of(s, company, get_party(s, company, "C1")) == []
        kinds = [(e.kind, e.title) for e in timeline_of(s, company, get_party(s, company, "S1"))]
        assert kinds == [
            ("purchase_order", "Purchase order PO00001"),
            ("bill_held", "Bill HOLD-ME held (BILL00001)"),
        ]
        facts = {f.label: f.value for f in product_facts_of(s, company, get_product(s, company, "PEN"))}
        assert facts == {
            "Suppliers": "S1 (preferred), S2",
            "Last purchase price": "300 KRW (PO00001, 2026-06-01)",
        }


def test_companies_never_see_each_others_documents(pdb):
    from core.errors import NotFound

    a = make_buying_company(pdb, "A", plugins=("finance", "wms", "procurement"))
    b = make_buying_company(pdb, "B", plugins=("finance", "wms", "procurement"))
    with pdb.session() as s:
        create_order(s, a, "S1", [OrderLineInput("PEN", "10")], date=D)
        confirm_order(s, a, "PO00001", date=D)
        receive(s, a, "PO00001", date=D)
        enter_bill(s, a, "PO00001", "X", date=D)
        from plugins.procurement.billing import list_bills
        from plugins.procurement.orders import list_orders

        assert list_orders(s, b) == [] and list_bills(s, b) == []
        with pytest.raises(NotFound, match="unknown purchase order 'PO00001' in company B"):
            find_order(s, b, "PO00001")
        # B numbers its own documents from 1.
        assert create_order(s, b, "S2", [OrderLineInput("PEN", "10")], date=D).number == "PO00001"
        assert timeline_of(s, b, get_party(s, b, "S1")) == []
        from core.errors import NotFound as Missing
        from plugins.procurement.catalogue import set_supplier_product

        with pytest.raises(Missing):
            set_supplier_product(s, b, "S9", "PEN", price="1")
        assert_books_sound(s, a)
        assert_books_sound(s, b)

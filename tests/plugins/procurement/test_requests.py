"""Requisitions (by hand and from wms replenishment proposals), requests for
quotation, quotes and their comparison, choosing one, cancelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, Invalid
from plugins.procurement.models import (
    OrderState,
    QuoteState,
    Requisition,
    RequisitionSource,
    RequisitionState,
    RfqState,
)
from plugins.procurement.orders import OrderLineInput, cancel_order, confirm_order, create_order, find_order
from plugins.procurement.requisitions import (
    RequisitionLineInput,
    cancel_requisition,
    create_requisition,
    find_requisition,
)
from plugins.procurement.rfqs import cancel_rfq, choose_quote, compare, create_rfq, find_rfq, record_quote
from tests.plugins.procurement.conftest import assert_books_sound, make_buying_company  # noqa: F401

D = dt.date(2026, 5, 4)


def test_replenishment_proposals_become_requisitions(pdb):
    from plugins.wms.replenishment import replenish, set_rule

    company = make_buying_company(pdb, plugins=("finance", "wms", "procurement"))
    with pdb.session() as s:
        set_rule(s, company, "PEN", "MAIN", minimum="10", maximum="100", lead_time_days=5)
        set_rule(s, company, "PAPER", "EAST", minimum="5", maximum="20")
        set_rule(s, company, "INK", "MAIN", minimum="5", maximum="20", route="manufacture")
        done = {p.product: p for p in replenish(s, company, today=D)}
        assert (done["PEN"].state, done["PAPER"].state) == ("ordered", "ordered")
        assert {done["PEN"].document, done["PAPER"].document} == {
            "procurement:REQ00001",
            "procurement:REQ00002",
        }
        assert (done["INK"].state, done["INK"].document) == ("open", None)  # manufacturing's, not ours
        pen_number = done["PEN"].document.split(":")[1]
        paper_number = done["PAPER"].document.split(":")[1]
        pen = find_requisition(s, company, pen_number)
        assert (pen.source, pen.state, pen.proposal_id, pen.date) == (
            RequisitionSource.REPLENISHMENT, RequisitionState.DRAFT, done["PEN"].proposal_id, dt.date.today())
        assert [(l.product.sku, l.quantity_units, l.warehouse, l.needed_by) for l in pen.lines] == [
            ("PEN", 100, "MAIN", D + dt.timedelta(days=5))]
        assert "reorder point" in pen.note
        paper = find_requisition(s, company, paper_number)
        assert [(l.product.sku, l.quantity_units, l.warehouse) for l in paper.lines] == [
            ("PAPER", 20, "EAST")
        ]

    # A second run does not request what still waits for an order.
    with pdb.session() as s:
        again = {p.product: p for p in replenish(s, company, today=D)}
        assert again["PEN"].document == f"procurement:{pen_number}"
        assert s.scalar(select(func.count()).select_from(Requisition)) == 2

    # Ordered from the preferred supplier at catalogue prices: received into the proposal's warehouse.
    with pdb.session() as s:
        order = create_order(s, company, "S1", requisition=paper_number, date=D)
        assert order.warehouse == "EAST" and [l.price_units for l in order.lines] == [18000]
        assert find_requisition(s, company, paper_number).state is RequisitionState.ORDERED
        confirm_order(s, company, order.number, date=D)
        from plugins.wms import api as wms_api

        (receipt,) = wms_api.operations_of_origin(s, company, f"procurement:{order.number}")
        assert receipt.warehouse == "EAST" and receipt.lines[0].demand == 20
        assert_books_sound(s, company)


def test_quotes_compared_and_one_chosen(pdb):
    company = make_buying_company(pdb)
    with pdb.session() as s:
        create_requisition(s, company, [RequisitionLineInput("PEN", "10"), RequisitionLineInput("INK", "2")],
                           date=D)
        rfq = create_rfq(s, company, "REQ00001", ["S1", "s3", "S2"], date=D)
        assert rfq.respond_by == D + dt.timedelta(days=14)
        with pytest.raises(Invalid, match="RFQ00001 does not ask for PAPER"):
            record_quote(
                s, company, "RFQ00001", "S1", {"PEN": "1", "INK": "1", "PAPER": "1"}, lead_time_days=1
            )
        record_quote(s, company, "RFQ00001", "S1", {"pen": "300", "INK": "5200"}, lead_time_days=4,
                     valid_until=D + dt.timedelta(days=3), date=D)
        record_quote(s, company, "RFQ00001", "S3", {"PEN": "290", "INK": "5000"}, lead_time_days=14, date=D)
        cmp = compare(s, company, "RFQ00001", on=D + dt.timedelta(days=5))
        assert [(q.supplier, q.state, q.total, q.cheapest, q.fastest, q.expired) for q in cmp.quotes] == [
            ("S1", "received", Decimal(13400), False, True, True),
            ("S3", "received", Decimal(12900), True, False, False),
            ("S2", "requested", None, False, False, False)]
        assert [(l.product, l.prices, l.best) for l in cmp.lines] == [
            ("PEN", (Decimal(300), Decimal(290), None), 1), ("INK", (Decimal(5200), Decimal(5000), None), 1)]
        # S1's quote has expired by then; S2 has not answered.
        with pytest.raises(Conflict, match="S1's quote expired on"):
            choose_quote(s, company, "RFQ00001", "S1", date=D + dt.timedelta(days=5))
        with pytest.raises(Conflict, match="S2 has not answered RFQ00001 yet"):
            choose_quote(s, company, "RFQ00001", "S2", date=D)
        order = choose_quote(s, company, "RFQ00001", "S3", date=D + dt.timedelta(days=5))
        assert [
            (l.product.sku, l.price_units, l.catalogue_price_units, l.expected_date) for l in order.lines
        ] == [("PEN", 290, None, D + dt.timedelta(days=19)), ("INK", 5000, 5000, D + dt.timedelta(days=19))]
        rfq = find_rfq(s, company, "RFQ00001")
        assert rfq.state is RfqState.CHOSEN
        assert [q.state for q in rfq.quotes] == [QuoteState.LOST, QuoteState.CHOSEN, QuoteState.LOST]
        assert compare(s, company, "RFQ00001").order == order.number
        with pytest.raises(Conflict, match="request for quotation RFQ00001 is chosen"):
            record_quote(s, company, "RFQ00001", "S2", {"PEN": "1", "INK": "1"}, lead_time_days=1)
        # Cancelling the order gives the requisition back to be ordered again.
        cancel_order(s, company, order.number)
        assert find_requisition(s, company, "REQ00001").state is RequisitionState.DRAFT


def test_cancelling(pdb):
    company = make_buying_company(pdb, plugins=("wms", "procurement"))
    with pdb.session() as s:
        create_requisition(s, company, [RequisitionLineInput("PEN", "10")], date=D)
        create_rfq(s, company, "REQ00001", ["S1", "S2"], date=D)
        cancel_rfq(s, company, "RFQ00001")
        assert find_requisition(s, company, "REQ00001").state is RequisitionState.DRAFT
        create_rfq(s, company, "REQ00001", ["S1"], date=D)
        cancel_requisition(s, company, "REQ00001")
        assert find_rfq(s, company, "RFQ00002").state is RfqState.CANCELLED
        with pytest.raises(Conflict, match="is cancelled: it can no longer be sent"):
            create_rfq(s, company, "REQ00001", ["S1"])
        with pytest.raises(Conflict, match="only a draft or open one can be cancelled"):
            cancel_requisition(s, company, "REQ00001")
        with pytest.raises(Invalid, match="needed by 2026-05-01 is before the requisition's date"):
            create_requisition(s, company, [RequisitionLineInput("PEN", "1", "2026-05-01")], date=D)
        # A confirmed order's waiting wms receipt is cancelled with it.
        create_order(s, company, "S1", [OrderLineInput("PEN", "10")], date=D)
        confirm_order(s, company, "PO00001", date=D)
        cancel_order(s, company, "PO00001")
        from plugins.wms import api as wms_api

        assert [op.state for op in wms_api.operations_of_origin(s, company, "procurement:PO00001")] == [
            "cancelled"
        ]
        assert find_order(s, company, "PO00001").state is OrderState.CANCELLED
        with pytest.raises(Conflict, match="is cancelled and cannot be cancelled"):
            cancel_order(s, company, "PO00001")
        assert_books_sound(s, company)

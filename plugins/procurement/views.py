"""Procurement's documents as plain data (dicts of exact values): what the
CLI prints (and ``--json`` emits) and what pages may show."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.models import Company
from plugins.procurement.models import Bill, PurchaseOrder, Requisition, Rfq
from plugins.procurement.values import money, quantity

__all__ = ["requisition_data", "rfq_data", "order_data", "bill_data", "return_data"]


def requisition_data(req: Requisition) -> dict[str, Any]:
    return {
        "number": req.number,
        "date": req.date,
        "state": req.state.value,
        "source": req.source.value,
        "proposal": req.proposal_id,
        "origin": req.origin,
        "note": req.note,
        "requested_by": req.requested_by.username if req.requested_by else None,
        "lines": [
            {
                "product": line.product.sku,
                "quantity": quantity(line.product, line.quantity_units),
                "unit": line.product.unit.code,
                "needed_by": line.needed_by,
                "warehouse": line.warehouse,
            }
            for line in req.lines
        ],
    }


def rfq_data(rfq: Rfq) -> dict[str, Any]:
    return {"number": rfq.number, "requisition": rfq.requisition.number, "date": rfq.date,
            "respond_by": rfq.respond_by, "state": rfq.state.value,
            "quotes": [{"supplier": q.party.code, "state": q.state.value, "currency": q.currency,
                        "total": money(q.total_units, q.currency) if q.total_units is not None else None,
                        "lead_time_days": q.lead_time_days, "valid_until": q.valid_until}
                       for q in rfq.quotes]}


def order_data(session: Session, company: Company, order: PurchaseOrder) -> dict[str, Any]:
    from plugins.procurement.billing import bills_of
    from plugins.procurement.orders import open_receipts

    cur = order.currency
    return {"number": order.number, "supplier": order.party.code, "supplier_name": order.party.name,
            "date": order.date, "state": order.state.value, "receipt_state": order.receipt_state.value,
            "bill_state": order.bill_state.value, "payment_state": order.payment_state.value, "currency": cur,
            "untaxed": money(order.untaxed_units, cur), "warehouse": order.warehouse,
            "requisition": order.requisition.number if order.requisition else None,
            "rfq": order.quote.rfq.number if order.quote else None, "reference": order.reference,
            "created_by": order.created_by.username if order.created_by else None,
            "approved_by": order.approved_by.username if order.approved_by else None,
            "confirmed_on": order.confirmed_on, "paid_on": order.paid_on,
            "waiting_receipts": [op.number for op in open_receipts(session, company, order)],
            "bills": [bill.number for bill in bills_of(session, company, order)],
            "lines": [{"product": line.product.sku, "quantity": quantity(line.product, line.quantity_units),
                       "unit": line.product.unit.code, "price": money(line.price_units, cur),
                       "catalogue_price": money(line.catalogue_price_units, cur)
                       if line.catalogue_price_units is not None else None,
                       "net": money(line.net_units, cur), "expected": line.expected_date,
                       "received": quantity(line.product, line.received_units),
                       "returned": quantity(line.product, line.returned_units),
                       "billed": quantity(line.product, line.billed_units),
                       "credited": quantity(line.product, line.credited_units)} for line in order.lines]}


def bill_data(bill: Bill) -> dict[str, Any]:
    cur = bill.currency
    return {
        "number": bill.number,
        "order": bill.order.number,
        "supplier": bill.order.party.code,
        "reference": bill.reference,
        "date": bill.date,
        "currency": cur,
        "untaxed": money(bill.untaxed_units, cur),
        "state": bill.state.value,
        "matched": bill.matched,
        "held_reasons": bill.held_reason.split("\n") if bill.held_reason else [],
        "released_by": bill.released_by.username if bill.released_by else None,
        "release_note": bill.release_note,
        "document": bill.document_number,
        "paid": bill.paid,
        "paid_on": bill.paid_on,
        "lines": [
            {
                "product": line.product.sku,
                "quantity": quantity(line.product, line.quantity_units),
                "unit": line.product.unit.code,
                "price": money(line.price_units, cur),
                "order_price": money(line.order_price_units, cur),
                "net": money(line.net_units, cur),
                "problem": line.problem,
            }
            for line in bill.lines
        ],
    }


def return_data(row) -> dict[str, Any]:
    return {
        "number": row.number,
        "order": row.order.number,
        "supplier": row.party.code,
        "product": row.product.sku,
        "quantity": quantity(row.product, row.quantity_units),
        "unit": row.product.unit.code,
        "date": row.date,
        "reason": row.reason,
        "operation": row.operation,
        "credited": quantity(row.product, row.credited_units),
        "credit_note": row.credit_note,
    }

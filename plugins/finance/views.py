"""Documents as plain records (Decimals, dates, enums) for the CLI's JSON,
the web's JSON and the pages' templates: one shape everywhere."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Party
from core.values import from_units
from plugins.finance.documents import Allocation, Invoice, Payment
from plugins.finance.values import (
    PERCENT_SCALE,
    PRICE_SCALE,
    QUANTITY_SCALE,
    RATE_SCALE,
    scale_of,
    trimmed,
    unfixed,
)

__all__ = ["invoice_data", "payment_data"]


def invoice_data(session: Session, invoice: Invoice, *, lines: bool = True) -> dict:
    scale = scale_of(invoice.currency)
    money = lambda units: from_units(units, scale)  # noqa: E731
    data = {
        "id": invoice.id, "number": invoice.number, "kind": invoice.kind, "state": invoice.state,
        "payment_state": invoice.payment_state, "party": invoice.party.code, "party_name": invoice.party.name,
        "date": invoice.date, "due_date": invoice.due_date, "currency": invoice.currency,
        "rate": trimmed(unfixed(invoice.rate_units, RATE_SCALE)), "reference": invoice.reference,
        "origin": invoice.origin, "memo": invoice.memo, "transaction_id": invoice.transaction_id,
        "credited": invoice.credited.number if invoice.credited else None,
        "untaxed": money(invoice.untaxed_units), "tax": money(invoice.tax_units),
        "rounding": money(invoice.rounding_units), "total": money(invoice.total_units),
        "residual": money(invoice.residual_units),
    }
    if lines:
        data["lines"] = [{
            "position": line.position, "description": line.description,
            "product": line.product.sku if line.product else None, "account": line.account.code,
            "quantity": trimmed(unfixed(line.quantity, QUANTITY_SCALE)),
            "unit_price": trimmed(unfixed(line.unit_price, PRICE_SCALE)),
            "discount": trimmed(unfixed(line.discount, PERCENT_SCALE)),
            "net": money(line.net_units), "tax": money(line.tax_units),
            "taxes": [lt.tax.code for lt in line.taxes]} for line in invoice.lines]
        data["settlements"] = _settlements(session, invoice)
    return data


def _settlements(session: Session, invoice: Invoice) -> list[dict]:
    scale = scale_of(invoice.currency)
    rows = session.scalars(select(Allocation).where(
        (Allocation.invoice_id == invoice.id) | (Allocation.credit_id == invoice.id)).order_by(Allocation.id))
    result = []
    for a in rows:
        other = a.payment.number if a.payment else (a.credit.number if a.invoice_id == invoice.id
                                                    else a.invoice.number)
        result.append({"date": a.date, "by": other, "source": "payment" if a.payment_id else "credit_note",
                       "amount": from_units(a.amount_units, scale)})
    return result


def payment_data(session: Session, payment: Payment) -> dict:
    scale = scale_of(payment.currency)
    allocations = session.scalars(select(Allocation).where(Allocation.payment_id == payment.id)
                                  .order_by(Allocation.id)).all()
    party = session.get(Party, payment.party_id)
    return {
        "id": payment.id,
        "number": payment.number,
        "date": payment.date,
        "party": party.code,
        "party_name": party.name,
        "direction": payment.direction,
        "journal": payment.journal.code,
        "currency": payment.currency,
        "amount": from_units(payment.amount_units, scale),
        "unallocated": from_units(payment.unallocated_units, scale),
        "reference": payment.reference,
        "transaction_id": payment.transaction_id,
        "allocations": [
            {"invoice": a.invoice.number, "date": a.date, "amount": from_units(a.amount_units, scale)}
            for a in allocations
        ],
    }

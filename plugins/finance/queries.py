"""What finance tells the rest of Jangbu about a party: its documents and its roles."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Company, Party
from core.values import from_units
from plugins.finance.documents import Invoice, InvoiceState, Payment
from plugins.finance.values import scale_of

__all__ = ["timeline_of", "roles_of"]

_LIMIT = 200


def timeline_of(session: Session, company: Company, party: Party) -> list[dict]:
    """Posted documents and payments of ``party``, newest first, as timeline entries."""
    entries = []
    for invoice in session.scalars(
        select(Invoice)
        .where(
            Invoice.company_id == company.id,
            Invoice.party_id == party.id,
            Invoice.state == InvoiceState.POSTED,
        )
        .order_by(Invoice.date.desc(), Invoice.id.desc())
        .limit(_LIMIT)
    ):
        kind = invoice.kind.value.replace("_", " ")
        entries.append(dict(when=invoice.date, plugin="finance", kind=invoice.kind.value,
                            title=f"{kind.capitalize()} {invoice.number}",
                            detail=invoice.payment_state.value.replace("_", " "),
                            amount=from_units(invoice.total_units, scale_of(invoice.currency)),
                            currency=invoice.currency))
    for payment in session.scalars(select(Payment).where(
            Payment.company_id == company.id, Payment.party_id == party.id)
            .order_by(Payment.date.desc(), Payment.id.desc()).limit(_LIMIT)):
        entries.append(
            dict(
                when=payment.date,
                plugin="finance",
                kind="payment",
                title=f"Payment {payment.number} ({payment.direction.value})",
                detail=payment.reference,
                amount=from_units(payment.amount_units, scale_of(payment.currency)),
                currency=payment.currency,
            )
        )
    return entries


def roles_of(session: Session, company: Company, party: Party) -> list[str]:
    kinds = set(session.scalars(select(Invoice.kind).where(
        Invoice.company_id == company.id, Invoice.party_id == party.id, Invoice.state == InvoiceState.POSTED)
        .distinct()))
    roles = []
    if any(kind.is_sale for kind in kinds):
        roles.append("customer")
    if any(not kind.is_sale for kind in kinds):
        roles.append("supplier")
    return roles

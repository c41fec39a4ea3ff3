"""Orders as plain data: what the CLI prints (``--json``), the pages show and the api hands out."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Company
from plugins.sales import partners
from plugins.sales.documents import Order
from plugins.sales.order_values import discount, money, quantity

__all__ = ["order_data", "line_data", "partner_data"]


def line_data(company: Company, line) -> dict:
    product = line.product
    return {"position": line.position, "product": product.sku, "description": line.description,
            "unit": product.unit.code,
            "quantity": quantity(product, line.quantity_units), "price": money(company, line.price_units),
            "discount": discount(line.discount_bp), "net": money(company, line.net_units),
            "delivered": quantity(product, line.delivered_units),
            "invoiced": quantity(product, line.invoiced_units), "cost": money(company, line.cost_units)}


def order_data(company: Company, order: Order) -> dict:
    return {"number": order.number, "state": order.state, "customer": order.party.code,
            "name": order.party.name, "date": order.date, "valid_until": order.valid_until,
            "confirmed_on": order.confirmed_on, "commitment": order.commitment, "currency": order.currency,
            "salesperson": order.salesperson.username if order.salesperson else None,
            "opportunity": order.opportunity.number if order.opportunity else None,
            "untaxed": money(company, order.untaxed_units), "delivery_state": order.delivery_state,
            "invoice_state": order.invoice_state, "payment_state": order.payment_state, "note": order.note,
            "lines": [line_data(company, line) for line in order.lines]}


def partner_data(session: Session, company: Company, order: Order) -> dict:
    """The order's deliveries (wms) and invoices (finance), where the company installed them."""
    from plugins.sales.billing import invoices_of
    from plugins.sales.order_values import origin_of

    deliveries = []
    if partners.installed(session, company, "wms"):
        wms_api = partners.wms_api()

        deliveries = [
            {
                "number": op.number,
                "state": op.state,
                "scheduled": op.scheduled,
                "done_on": op.done_on,
                "backorder_of": op.backorder_of,
                "lines": [
                    {"product": l.product, "demand": l.demand, "reserved": l.reserved, "done": l.done}
                    for l in op.lines
                ],
            }
            for op in wms_api.operations_of_origin(session, company, origin_of(order.number))
        ]
    invoices = [{"number": d.number, "state": d.state, "payment_state": d.payment_state, "date": d.date,
                 "untaxed": d.untaxed, "total": d.total, "residual": d.residual}
                for d in invoices_of(session, company, order)]
    return {"deliveries": deliveries, "invoices": invoices}

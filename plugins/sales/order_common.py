"""What the order services share: finding an order, its lines as events
carry them, and its delivery and invoice progress. Below ``orders``,
``fulfilment`` and ``billing``, which all use it."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import Invalid
from core.models import Company
from core.progress import progress_of
from core.scoping import find_one
from core.values import from_units
from plugins.sales import partners
from plugins.sales.documents import Order, OrderState, Progress
from plugins.sales.events import OrderLine as EventLine
from plugins.sales.order_values import discount, net_units, quantity

__all__ = ["find_order", "is_editable", "check_editable", "is_cancellable", "event_lines", "order_money",
           "refresh_state"]

# A quotation (written or sent) can still be changed and confirmed; from confirmation on it is an order.
_QUOTATION = (OrderState.DRAFT, OrderState.SENT)


def find_order(session: Session, company: Company, number: str, *, lock: bool = False) -> Order:
    order = find_one(session, Order, company, "order", number=str(number).strip())
    if lock:
        session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
        session.refresh(order)
    return order


def is_editable(order: Order) -> bool:
    """Whether the order is still a quotation: its lines and header may change, and it may be confirmed."""
    return order.state in _QUOTATION


def check_editable(order: Order, doing: str = "changed") -> None:
    """Refuse (Invalid) anything a quotation only allows, once the order is no longer one."""
    if not is_editable(order):
        raise Invalid(f"{order.number} is {order.state.value}: only a quotation can be {doing}")


def is_cancellable(order: Order) -> bool:
    """A quotation, or an order nothing of which was delivered or invoiced yet."""
    return (order.state not in (OrderState.DONE, OrderState.CANCELLED)
            and not any(line.delivered_units or line.invoiced_units for line in order.lines))


def event_lines(order: Order, units: Optional[dict[int, int]] = None) -> tuple[EventLine, ...]:
    """The order's lines as events carry them (``units``: line id -> quantity, for a part)."""
    lines = []
    for line in order.lines:
        qty = line.quantity_units if units is None else units.get(line.id, 0)
        if not qty:
            continue
        net = line.net_units if qty == line.quantity_units else net_units(
            qty, line.product.unit.scale, line.price_units, line.discount_bp)
        lines.append(
            EventLine(
                line.product.sku,
                quantity(line.product, qty),
                order_money(order, line.price_units),
                discount(line.discount_bp),
                order_money(order, net),
            )
        )
    return tuple(lines)


def order_money(order: Order, units: int) -> Decimal:
    return from_units(units, CURRENCIES[order.currency][1])


def refresh_state(session: Session, company: Company, order: Order) -> None:
    """Delivery and invoice progress from the lines; a confirmed order delivered and invoiced in full is done
    (invoiced counts only where the company installed finance)."""
    wanted = [line.quantity_units for line in order.lines]
    order.delivery_state = progress_of([line.delivered_units for line in order.lines], wanted)
    order.invoice_state = progress_of([line.invoiced_units for line in order.lines], wanted)
    invoiced = order.invoice_state is Progress.FULL or not partners.installed(session, company, "finance")
    if order.state is OrderState.CONFIRMED and order.delivery_state is Progress.FULL and invoiced:
        order.state = OrderState.DONE
    session.flush()


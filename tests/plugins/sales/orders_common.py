"""What the order tests share: a session per step, the order's state in one tuple, stock and receivables."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

import plugins.sales as sales
from core.companies import get_company
from plugins.sales.documents import ContractBilling, Order

__all__ = ["states", "count", "available", "receivable", "stock_sound", "open_company"]


def open_company(s, company):
    return get_company(s, company.code)


def states(s, company, number):
    """(state, delivery, invoice, payment) of order ``number``, by value."""
    order = s.scalar(select(Order).where(Order.company_id == company.id, Order.number == number))
    return (
        order.state.value,
        order.delivery_state.value,
        order.invoice_state.value,
        order.payment_state.value,
    )


def count(s, model, company):
    return s.scalar(select(func.count()).select_from(model).where(model.company_id == company.id))


def available(s, company, sku):
    from plugins.wms import api as wms_api

    return wms_api.available(s, company, sku)


def receivable(s, company, party):
    from plugins.finance import api as finance_api

    return finance_api.party_balance(s, company, party)["receivable"]


def stock_sound(s, company):
    from plugins.wms.queries import check_stock

    assert check_stock(s, company) == []


def sales_only_db(db):
    """``db`` with a plugin manager of sales alone (no finance, no wms registered at all)."""
    db.use_plugins(sales)
    return db


_ = (Decimal, ContractBilling)

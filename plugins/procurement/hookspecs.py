"""The hooks procurement offers other plugins.

Implement them with ``@core.hookimpl`` (``optionalhook=True`` in a plugin
that only optionally works with procurement: manufacturing, for instance).
They reach the plugins the company installed and run in the database
transaction of the change that caused them: raising refuses the change, and
nothing of it is written.
"""

from core import hookspec


@hookspec
def purchase_order_confirmed(session, company, event):
    """A purchase order was confirmed (directly, or approved by a manager above the threshold).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.procurement.events.PurchaseOrderConfirmed`; ``event.receipt``
        names the wms receipt created for it (``None`` without wms).
    :returns: nothing.
    """


@hookspec
def purchase_goods_received(session, company, event):
    """Goods of a purchase order arrived (all that was ordered, or a part: see ``event.complete``).

    Announced for a validated wms receipt of the order and for a receipt
    recorded by procurement itself (companies without wms).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.procurement.events.PurchaseGoodsReceived`.
    :returns: nothing.
    """


@hookspec
def bill_matched(session, company, event):
    """A supplier bill passed the three-way match (order, receipt, bill) or was released by a
    manager after being held, and is now posted (with finance) or accepted (without).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.procurement.events.BillMatched`; ``event.released`` is true
        when a held bill was released rather than matched.
    :returns: nothing.
    """

"""The hooks wms offers other plugins.

Implement them with ``@core.hookimpl`` (``optionalhook=True`` in a plugin
that only optionally works with wms: sales, procurement, manufacturing,
tms). They reach the plugins the company installed and run in the
operation's database transaction: raising refuses the operation, and
nothing of it is written.
"""

from core import hookspec


@hookspec
def goods_received(session, company, event):
    """A receipt was done: goods entered an internal location from outside.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.wms.events.GoodsReceived`; ``event.origin``
        tells a plugin whether the receipt is one of its own (``procurement:PO00012``).
    :returns: nothing.
    """


@hookspec
def goods_delivered(session, company, event):
    """A delivery was done: goods left for a customer.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.wms.events.GoodsDelivered`; ``event.origin``
        is the creating plugin's reference (``sales:SO00012``).
    :returns: nothing.
    """


@hookspec
def stock_reserved(session, company, event):
    """Stock was reserved for an operation (all of it, or as much as there was).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.wms.events.StockReserved`.
    :returns: nothing.
    """


@hookspec
def replenishment_proposed(session, company, event):
    """``jangbu wms replenish`` proposes orders; turn them into documents.

    Procurement answers for the ``purchase`` route (requisitions),
    manufacturing for ``manufacture`` (production orders). Each proposal is
    answered by at most one plugin.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.wms.events.ReplenishmentProposed`.
    :returns: a dict ``{proposal id: document reference}`` for the proposals
        the plugin turned into documents (``"procurement:REQ00003"``), or ``None``.
    """

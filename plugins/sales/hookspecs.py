"""The hooks sales offers other plugins.

Implement them with ``@core.hookimpl`` (``optionalhook=True`` in a plugin
that only optionally works with sales: marketing, service, tms). They reach
the plugins the company installed and run in the database transaction of
the change that caused them: raising refuses the change, and nothing of it
is written.
"""

from core import hookspec


@hookspec
def order_confirmed(session, company, event):
    """A quotation became a confirmed sales order (the credit limit was checked).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.sales.events.OrderConfirmed`.
    :returns: nothing.
    """


@hookspec
def order_delivered(session, company, event):
    """Goods of a sales order left the warehouse (all of them, or a part: see ``event.complete``).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.sales.events.OrderDelivered`.
    :returns: nothing.
    """


@hookspec
def order_invoiced(session, company, event):
    """A sales order was invoiced (all of it, or what was delivered so far).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.sales.events.OrderInvoiced`.
    :returns: nothing.
    """


@hookspec
def opportunity_won(session, company, event):
    """An opportunity was marked won.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.sales.events.OpportunityWon`.
    :returns: nothing.
    """


@hookspec
def opportunity_lost(session, company, event):
    """An opportunity was marked lost, with its reason.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.sales.events.OpportunityLost`.
    :returns: nothing.
    """

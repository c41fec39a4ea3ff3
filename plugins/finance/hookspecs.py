"""The hooks finance offers other plugins.

Implement them with ``@core.hookimpl`` (``optionalhook=True`` in a plugin
that only optionally works with finance). The ``invoice_*`` and
``period_closed`` hooks reach the plugins the company installed and run in
the operation's database transaction: raising refuses the operation.
"""

from core import hookspec


@hookspec
def invoice_posted(session, company, event):
    """An invoice, bill or credit note was posted.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.finance.events.InvoicePosted`; ``event.origin``
        tells a plugin whether the document is one of its own.
    :returns: nothing.
    """


@hookspec
def invoice_paid(session, company, event):
    """An invoice or bill became paid in full (sales and procurement mark their orders paid).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.finance.events.InvoicePaid`.
    :returns: nothing.
    """


@hookspec
def invoice_partly_paid(session, company, event):
    """A payment settled part of an invoice or bill and some of it is still open (sales shows
    the order partly paid at once, not only when the rest comes).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.finance.events.InvoicePartlyPaid`.
    :returns: nothing.
    """


@hookspec(firstresult=True)
def compute_taxes(company, currency, lines):
    """Compute the taxes of one document; the first plugin answering wins.

    Finance's own method answers last, so a localisation plugin that
    implements this hook replaces it for the companies that installed it.

    :param company: the :class:`core.models.Company` concerned.
    :param currency: ``(code, scale)`` of the document's currency.
    :param lines: a tuple of :class:`plugins.finance.taxes.TaxableLine`.
    :returns: a :class:`plugins.finance.taxes.TaxResult` with one entry per
        line, every amount at the currency's scale; or ``None`` to pass.
    """


@hookspec
def period_closed(session, company, event):
    """A fiscal period (or a whole year) was closed.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`plugins.finance.events.PeriodClosed`.
    :returns: nothing.
    """

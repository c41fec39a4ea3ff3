"""The hook contract between core and plugins.

Every extension point of Jangbu is one function below. A plugin implements
the ones it needs with ``@core.hookimpl`` under the same name and any subset
of the parameters. Two kinds of hook:

* **Global hooks** are called on every registered plugin, once, when the
  edges are built (``register_commands``, ``register_blueprints``,
  ``register_permissions``, ``register_roles``).
* **Company hooks** are about one company and reach only the plugins that
  company has installed (core's own implementations always take part). Call
  them through ``plugins.for_company(session, company).<hook>(...)``.

Plugins publish hooks of their own in their ``hookspecs.py`` and name the
module in ``PluginInfo.hookspecs``. A plugin implementing a hook that an
*optional* partner publishes marks it ``@hookimpl(optionalhook=True)``, so
it still starts where the partner is absent. Planned, per the architecture
guide:

==============  ==================================================================
finance         invoice_posted, invoice_paid, compute_taxes (firstresult),
                period_closed
wms             goods_received, goods_delivered, replenishment_proposed,
                stock_reserved
sales           order_confirmed, order_delivered, order_invoiced,
                opportunity_won, opportunity_lost
procurement     purchase_order_confirmed, bill_matched
marketing       campaign_sent, contact_engaged
service         ticket_opened, ticket_resolved, sla_breached
manufacturing   work_order_done, material_shortage
hr              payroll_posted, employee_hired
tms             shipment_dispatched, shipment_delivered
==============  ==================================================================

and the core hooks below cover what all nine share: the CLI, the web
blueprints, permissions and roles, menus, dashboards, the party 360° view,
facts on a product, search, the install life cycle, ledger
postings, the outbox and demo data.
"""

from __future__ import annotations

import pluggy

__all__ = ["hookspec", "hookimpl", "PROJECT"]

PROJECT = "jangbu"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- global hooks: building the edges ---------------------------------------

@hookspec
def register_commands(cli):
    """Add the plugin's click command group to the ``jangbu`` CLI.

    Called once while the CLI is built, for every registered plugin.

    :param cli: the root ``click.Group``; call ``cli.add_command(group)``.
        Build the group with ``cli.plugin_group(PLUGIN)`` so its commands
        refuse to run for a company that has not installed the plugin.
    :returns: nothing.
    """


@hookspec
def register_blueprints():
    """Return the plugin's Flask blueprint(s), named like the plugin.

    Called once by ``create_app``. Each blueprint is mounted at
    ``/c/<company>/<plugin>/`` and answers 404 for a company that has not
    installed the plugin.

    :returns: a ``flask.Blueprint``, a list of them, or ``None``.
    """


@hookspec
def register_permissions():
    """Declare the permissions the plugin's commands and pages check.

    Called once when permissions are first needed.

    :returns: a list of :class:`core.contributions.Permission`, each named
        ``<plugin>.<verb>``; mark read-only ones so the ``viewer`` role gets them.
    """


@hookspec
def register_roles():
    """Declare roles beyond the built-in ``admin`` and ``viewer``.

    :returns: a list of :class:`core.contributions.Role`.
    """


@hookspec(firstresult=True)
def deliver_outbox(message):
    """Send one outbox message after the transaction that wrote it committed.

    Called by ``core.outbox.dispatch`` for each unsent message, on the
    plugins the message's company installed; the first plugin that returns
    ``True`` has delivered it.

    :param message: a :class:`core.models.OutboxMessage` (``topic``,
        ``payload`` as JSON text, ``company_id``).
    :returns: ``True`` when delivered, ``None`` when the topic is not yours.
        Raise to report a failure; the message is retried later.
    """


# -- company hooks: the install life cycle -----------------------------------

@hookspec
def install_company(session, company):
    """Seed the plugin's defaults for one company that just installed it.

    Called on the installing plugin only, in the install's database
    transaction, after its tables exist. Also called on a re-install, where
    existing rows must be found again rather than duplicated.

    :param session: the SQLAlchemy session of the install.
    :param company: the :class:`core.models.Company`.
    :returns: nothing. Raise a ``JangbuError`` to refuse the install.
    """


@hookspec
def uninstall_company(session, company):
    """Let the plugin tidy up when one company uninstalls it.

    Called on the uninstalling plugin only. Data must be kept: a later
    install finds it again.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :returns: nothing. Raise a ``JangbuError`` to refuse the uninstall.
    """


@hookspec
def company_created(session, company, event):
    """A company was created (with the plugins named at creation installed).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`core.events.CompanyCreated`.
    :returns: nothing.
    """


@hookspec
def plugin_installed(session, company, event):
    """A plugin was installed for the company (reaches all its installed plugins).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`core.events.PluginInstalled`.
    :returns: nothing.
    """


@hookspec
def plugin_uninstalled(session, company, event):
    """A plugin was uninstalled for the company (reaches those still installed).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`core.events.PluginUninstalled`.
    :returns: nothing.
    """


# -- company hooks: the ledger -------------------------------------------------

@hookspec
def transaction_posted(session, company, event):
    """A ledger transaction was posted (including reversals).

    Called inside the posting's database transaction: raising refuses the
    post and rolls everything back.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param event: :class:`core.events.TransactionPosted`.
    :returns: nothing.
    """


# -- company hooks: what the edges show ---------------------------------------

@hookspec
def menu_items(company, user):
    """Navigation entries for one company's pages.

    :param company: the company being browsed.
    :param user: the signed-in :class:`core.models.User`.
    :returns: a list of :class:`core.contributions.MenuItem`; the web shell
        hides those whose permission the user lacks.
    """


@hookspec
def dashboard_widgets(session, company, user):
    """Tiles for the company dashboard.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param user: the signed-in :class:`core.models.User`.
    :returns: a list of :class:`core.contributions.Widget`.
    """


@hookspec
def party_timeline(session, company, party):
    """What the plugin knows about one party, for the 360° view.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param party: a :class:`core.models.Party` of ``company``.
    :returns: a list of :class:`core.contributions.TimelineEntry`; the page
        merges every plugin's entries newest first.
    """


@hookspec
def party_roles(session, company, party):
    """The roles a party plays in the plugin (``customer``, ``supplier``).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param party: a :class:`core.models.Party` of ``company``.
    :returns: a list of role names.
    """


@hookspec
def product_facts(session, company, product):
    """Figures the plugin knows about a product (on hand, list price).

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param product: a :class:`core.models.Product` of ``company``.
    :returns: a list of :class:`core.contributions.Fact`.
    """


@hookspec
def search(session, company, query):
    """Find the plugin's records matching a free-text query.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param query: the text the user typed, stripped.
    :returns: a list of :class:`core.contributions.SearchResult`.
    """


@hookspec
def demo_data(session, company, progress):
    """Fill a demo company with plausible data for the plugin.

    Called by ``jangbu demo`` after every available plugin is installed,
    dependencies first.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param progress: ``progress(label)``, call it as work advances.
    :returns: nothing.
    """


@hookspec
def demo_finished(session, company, progress):
    """Finish a demo company once every plugin has added its data.

    Called by ``jangbu demo`` after every plugin's ``demo_data``, dependencies
    first, for what must come after everything is booked: finance closes its
    accounting periods here, so the plugins after it could date a year of
    documents in months that were still open.

    :param session: the SQLAlchemy session of the operation (commit is the caller's).
    :param company: the :class:`core.models.Company` concerned.
    :param progress: ``progress(label)``, call it as work advances.
    :returns: nothing.
    """

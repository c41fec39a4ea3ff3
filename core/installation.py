"""Installing and uninstalling plugins for one company.

Installing puts what the plugin requires in first, creates the plugin's
tables if the database lacks them (its Alembic branch), records the install
and calls the plugin's ``install_company`` hook so it seeds defaults for
that company only. Uninstalling is refused while another installed plugin of
the company requires it, and keeps the data: a re-install finds it again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import PluginError
from core.events import PluginInstalled, PluginUninstalled
from core.models import Company, PluginInstallation, utcnow
from core.plugins import forget_installed, plugins_of

__all__ = ["install", "uninstall"]


def install(session: Session, company: Company, names: Iterable[str]) -> list[str]:
    """Install ``names`` (and what they require) for ``company``.

    :returns: the plugins newly installed, in the order they were installed.
    """
    from core.migrate import upgrade_plugin

    plugins = plugins_of(session)
    names = list(names)
    if "core" in names:
        raise PluginError("core is always installed")
    done = []
    for name in plugins.closure(names):
        if plugins.is_installed(session, company, name):
            continue
        info = plugins.info(name)
        if plugins.has_migrations(name):
            upgrade_plugin(session.connection(), plugins, name)
        row = session.scalar(select(PluginInstallation).where(
            PluginInstallation.company_id == company.id, PluginInstallation.plugin == name))
        reinstalled = row is not None
        if row is None:
            row = PluginInstallation(company_id=company.id, plugin=name, version=info.version)
            session.add(row)
        row.installed, row.version, row.installed_at, row.uninstalled_at = True, info.version, utcnow(), None
        session.flush()
        forget_installed(session)
        plugins.only(name).install_company(session=session, company=company)
        event = PluginInstalled(
            company_id=company.id, plugin=name, version=info.version, reinstalled=reinstalled
        )
        plugins.for_company(session, company).plugin_installed(session=session, company=company, event=event)
        audit.by_actor(session, audit.INSTALLED, company=company, detail=f"{name} {info.version}")
        done.append(name)
    return done


def uninstall(session: Session, company: Company, name: str) -> None:
    """Uninstall ``name`` for ``company``, keeping its data."""
    plugins = plugins_of(session)
    plugins.info(name)  # an unknown name is an error, not a no-op
    if not plugins.is_installed(session, company, name):
        raise PluginError(f"plugin {name!r} is not installed for {company.code}")
    needed_by = [n for n in plugins.dependents(name) if plugins.is_installed(session, company, n)]
    if needed_by:
        raise PluginError(f"cannot uninstall {name!r}: {', '.join(needed_by)} of {company.code} require it")
    plugins.only(name).uninstall_company(session=session, company=company)
    row = session.scalar(select(PluginInstallation).where(
        PluginInstallation.company_id == company.id, PluginInstallation.plugin == name))
    row.installed, row.uninstalled_at = False, utcnow()
    session.flush()
    forget_installed(session)
    event = PluginUninstalled(company_id=company.id, plugin=name)
    plugins.for_company(session, company).plugin_uninstalled(session=session, company=company, event=event)
    audit.by_actor(session, audit.UNINSTALLED, company=company, detail=name)

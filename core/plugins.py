"""The plugin manager: discovery, dependency order, per-company hook calls.

``get_plugin_manager()`` finds plugins through the ``jangbu`` entry-point
group and any given explicitly (tests never rely on installed entry points),
orders them by their declared dependencies, refuses a missing dependency or
a cycle with a message naming them, registers every hook implementation and
runs pluggy's ``check_pending()``.
"""

from __future__ import annotations

import graphlib
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, Optional

import attrs
import pluggy
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core import hookspecs
from core.errors import PluginError

__all__ = ["PluginInfo", "Plugins", "get_plugin_manager", "plugins_of", "ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "jangbu"
_SESSION_KEY = "jangbu.plugins"
_INSTALLED_CACHE = "jangbu.installed"


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class PluginInfo:
    """What a plugin says about itself, as ``PLUGIN`` in its package.

    :param name: the one name used for package, entry point, table prefix,
        blueprint, URL segment, template folder and CLI group.
    :param requires: plugins that must be installed first (imports allowed).
    :param optional: plugins it works with when present (hooks only).
    :param hookspecs: a module of hook specifications the plugin publishes.
    """

    name: str
    version: str
    requires: tuple[str, ...] = attrs.field(default=(), converter=_names)
    optional: tuple[str, ...] = attrs.field(default=(), converter=_names)
    description: str = ""
    hookspecs: Optional[ModuleType] = attrs.field(default=None, eq=False, repr=False)


@attrs.define
class _Registered:
    info: PluginInfo
    module: Any

    @property
    def migrations(self) -> Optional[Path]:
        """The plugin's Alembic versions folder, if it has one."""
        file = getattr(self.module, "__file__", None)
        if not file:
            return None
        folder = Path(file).parent / "migrations" / "versions"
        return folder if folder.is_dir() else None


class _CompanyHooks:
    """``hook.<name>(...)`` restricted to the plugins one company installed."""

    def __init__(self, pm: pluggy.PluginManager, removed: list[Any]):
        self._pm = pm
        self._removed = removed

    def __getattr__(self, name: str):
        if not self._removed:
            return getattr(self._pm.hook, name)
        return self._pm.subset_hook_caller(name, self._removed)


class Plugins:
    """The registered plugins of one process, in dependency order."""

    def __init__(self, pm: pluggy.PluginManager, ordered: list[_Registered]):
        self.pm = pm
        self._ordered = ordered
        self._by_name = {r.info.name: r for r in ordered}
        self._subsets: dict[frozenset[str], _CompanyHooks] = {}
        self._collected: dict[str, list[Any]] = {}

    # -- what is registered ---------------------------------------------------
    @property
    def hook(self):
        """Global hooks: every registered plugin."""
        return self.pm.hook

    def collect(self, hook_name: str) -> list[Any]:
        """The flattened lists a global declaration hook returns, computed once."""
        if hook_name not in self._collected:
            results = getattr(self.pm.hook, hook_name)()
            self._collected[hook_name] = [item for group in results if group
                                          for item in (group if isinstance(group, list) else [group])]
        return self._collected[hook_name]

    def infos(self) -> list[PluginInfo]:
        """Every registered plugin (core first), dependencies before dependents."""
        return [r.info for r in self._ordered]

    def names(self) -> list[str]:
        return [r.info.name for r in self._ordered]

    def info(self, name: str) -> PluginInfo:
        return self._get(name).info

    def migration_folders(self) -> list[Path]:
        return [r.migrations for r in self._ordered if r.migrations is not None]

    def has_migrations(self, name: str) -> bool:
        return self._get(name).migrations is not None

    def _get(self, name: str) -> _Registered:
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(n for n in self._by_name if n != "core") or "none"
            raise PluginError(f"unknown plugin {name!r} (available: {known})") from None

    def closure(self, names: Iterable[str]) -> list[str]:
        """``names`` with everything they require, in install order."""
        wanted: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in wanted:
                continue
            wanted.add(name)
            stack.extend(self._get(name).info.requires)
        return [n for n in self.names() if n in wanted]

    def dependents(self, name: str) -> list[str]:
        """Registered plugins that require ``name``."""
        return [r.info.name for r in self._ordered if name in r.info.requires]

    # -- per company ----------------------------------------------------------
    def installed(self, session: Session, company) -> list[str]:
        """The plugins ``company`` has installed, in dependency order."""
        cache = session.info.setdefault(_INSTALLED_CACHE, {})
        if company.id not in cache:
            from core.models import PluginInstallation

            rows = session.scalars(select(PluginInstallation.plugin).where(
                PluginInstallation.company_id == company.id, PluginInstallation.installed)).all()
            cache[company.id] = frozenset(rows)
        present = cache[company.id]
        return [n for n in self.names() if n in present and n != "core"]

    def is_installed(self, session: Session, company, name: str) -> bool:
        return name in self.installed(session, company)

    def for_company(self, session: Session, company) -> _CompanyHooks:
        """Hooks that reach only core and the plugins ``company`` installed."""
        present = frozenset(self.installed(session, company)) | {"core"}
        if present not in self._subsets:
            removed = [r.module for r in self._ordered if r.info.name not in present]
            self._subsets[present] = _CompanyHooks(self.pm, removed)
        return self._subsets[present]

    def only(self, name: str) -> _CompanyHooks:
        """Hooks that reach one plugin alone (the install life cycle)."""
        return _CompanyHooks(self.pm, [r.module for r in self._ordered if r.info.name != name])

    def attach(self, session: Session) -> Session:
        """Make ``session`` know these plugins (services find them there)."""
        session.info[_SESSION_KEY] = self
        return session


def forget_installed(session: Session) -> None:
    """Drop the per-transaction cache of installed plugins."""
    session.info.pop(_INSTALLED_CACHE, None)


def plugins_of(session: Session) -> Plugins:
    """The plugin manager a session was made with (see ``core.db``)."""
    plugins = session.info.get(_SESSION_KEY)
    if plugins is None:
        plugins = get_plugin_manager(entry_points=False)
        session.info[_SESSION_KEY] = plugins
    return plugins


def _info_of(module: Any) -> PluginInfo:
    info = getattr(module, "PLUGIN", None)
    if not isinstance(info, PluginInfo):
        raise PluginError(f"{getattr(module, '__name__', module)!r} has no PLUGIN = PluginInfo(...)")
    return info


def _discover() -> list[Any]:
    found = []
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            found.append(entry.load())
        except Exception as exc:  # a broken third-party plugin must say who it is
            raise PluginError(f"plugin entry point {entry.name!r} failed to load: {exc}") from exc
    return found


def _order(modules: list[Any]) -> list[_Registered]:
    by_name: dict[str, _Registered] = {}
    for module in modules:
        info = _info_of(module)
        if info.name in by_name and by_name[info.name].module is not module:
            raise PluginError(f"two plugins are named {info.name!r}")
        by_name[info.name] = _Registered(info, module)
    missing = sorted(
        f"{r.info.name!r} requires {dep!r}" for r in by_name.values()
        for dep in r.info.requires if dep not in by_name)
    if missing:
        raise PluginError("missing plugin dependency: " + "; ".join(missing))
    # Requirements are hard edges: a cycle among them is an error. Optional
    # partners (sales <-> marketing) only order plugins where they can.
    graph = {name: {d for d in r.info.requires if d in by_name} | ({"core"} if name != "core" else set())
             for name, r in by_name.items()}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise PluginError(f"plugin dependency cycle: {cycle}") from None
    for name in sorted(by_name):
        for partner in sorted(set(by_name[name].info.optional) & by_name.keys()):
            graph[name].add(partner)
            try:
                order = list(graphlib.TopologicalSorter(graph).static_order())
            except graphlib.CycleError:
                graph[name].discard(partner)
    return [by_name[name] for name in order]


def get_plugin_manager(plugins: Iterable[Any] = (), *, entry_points: bool = True) -> Plugins:
    """Build the plugin manager: core, discovered plugins and ``plugins``.

    :param plugins: plugin modules (or objects) with a ``PLUGIN`` attribute,
        registered in addition to those found through entry points.
    :param entry_points: whether to discover the ``jangbu`` entry-point group.
    """
    from core import builtin

    modules = [builtin, *(_discover() if entry_points else []), *plugins]
    unique = list({id(m): m for m in modules}.values())
    ordered = _order(unique)
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for registered in ordered:
        if registered.info.hookspecs is not None:
            pm.add_hookspecs(registered.info.hookspecs)
    # pluggy calls the last registered first: register dependents first so
    # that core and each plugin's dependencies run before the plugin itself.
    for registered in reversed(ordered):
        pm.register(registered.module, name=registered.info.name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin implements an unknown hook: {exc}") from None
    return Plugins(pm, ordered)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_after_transaction(session: Session) -> None:
    # Another process may install or uninstall between two transactions.
    forget_installed(session)

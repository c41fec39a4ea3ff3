"""Schema changes through Alembic: one branch for core, one per plugin.

Core's revisions live in ``core/migrations/versions`` (branch ``core``);
each plugin keeps its own in ``<plugin>/migrations/versions`` with a branch
labelled by the plugin's name whose first revision depends on core.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection, Engine

from core.errors import JangbuError
from core.plugins import Plugins

__all__ = ["alembic_config", "upgrade", "upgrade_plugin", "current_heads"]

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(plugins: Plugins, connection: Connection) -> Config:
    """An Alembic configuration that knows every registered plugin's branch."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    folders = plugins.migration_folders()  # core (registered as a plugin) comes first
    config.set_main_option("version_locations", os.pathsep.join(str(f) for f in folders))
    config.attributes["connection"] = connection
    return config


def _run(connection: Connection, plugins: Plugins, target: str) -> None:
    try:
        command.upgrade(alembic_config(plugins, connection), target)
    except CommandError as exc:
        raise JangbuError(f"database migration failed: {exc}") from None


def upgrade(engine: Engine, plugins: Plugins, target: str = "heads") -> list[str]:
    """Bring the database to ``target`` (every branch's head by default)."""
    with engine.begin() as connection:
        _run(connection, plugins, target)
        return current_heads(connection)


def upgrade_plugin(connection: Connection, plugins: Plugins, name: str) -> None:
    """Create or update one plugin's tables on an open connection."""
    _run(connection, plugins, f"{name}@head")


def current_heads(connection: Connection) -> list[str]:
    return sorted(MigrationContext.configure(connection).get_current_heads())

"""A database migrated from empty equals the models, on every engine."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import plugins.finance as finance
import plugins.finance.documents  # noqa: F401  (every finance table in Base.metadata)
import plugins.finance.models  # noqa: F401
import plugins.procurement as procurement
import plugins.procurement.models  # noqa: F401  (every procurement table in Base.metadata)
import plugins.sales as sales
import plugins.sales.documents  # noqa: F401  (every sales table in Base.metadata)
import plugins.sales.models  # noqa: F401
import plugins.wms as wms
import plugins.wms.documents  # noqa: F401  (every wms table in Base.metadata)
import plugins.wms.models  # noqa: F401
from core import make_engine
from core.db import Base
from core.migrate import upgrade
from tests.conftest import make_plugins

PLUGINS = (finance, wms, sales, procurement)


def assert_matches_models(url: str) -> None:
    engine = make_engine(url)
    try:
        heads = upgrade(engine, make_plugins(*PLUGINS))
        assert {"memo_0001", "finance_0002", "wms_0002", "sales_0001", "procurement_0001"} <= set(
            heads
        )  # each depends on core, so core is behind them
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                    Base.metadata)
        assert diff == [], f"migrations and models differ: {diff}"
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert upgrade(engine, make_plugins(*PLUGINS)) == heads  # a second upgrade is a no-op
    finally:
        engine.dispose()


def test_sqlite_migrated_from_empty_equals_the_models(tmp_path):
    assert_matches_models(f"sqlite:///{tmp_path / 'fresh.db'}")


def test_postgresql_migrated_from_empty_equals_the_models(fresh_postgres):
    assert_matches_models(fresh_postgres)


def test_unknown_revision_in_the_database_is_a_clear_error(tmp_path):
    from core import get_plugin_manager
    from core.errors import JangbuError

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine, make_plugins())  # memo's branch is recorded in the database
    with pytest.raises(JangbuError, match="database migration failed"):
        upgrade(engine, get_plugin_manager(entry_points=False))  # ... but memo is gone
    engine.dispose()

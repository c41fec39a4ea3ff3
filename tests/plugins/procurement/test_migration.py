"""Procurement's migration creates exactly the tables its models describe, on every engine."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.procurement.models  # noqa: F401  (every procurement table in Base.metadata)
import plugins.wms as wms
from core import make_engine
from core.db import Base
from core.migrate import upgrade
from tests.conftest import make_plugins


def _ours(diff) -> bool:
    return "procurement_" in repr(diff)


def assert_matches_models(url: str) -> None:
    engine = make_engine(url)
    try:
        heads = upgrade(engine, make_plugins(finance, wms, procurement))
        assert "procurement_0001" in set(heads)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                    Base.metadata)
        assert [d for d in diff if _ours(d)] == [], f"migrations and models differ: {diff}"
        mine = {name for name in Base.metadata.tables if name.startswith("procurement_")}
        assert len(mine) == 13 and mine <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_sqlite_migrated_from_empty_equals_the_models(tmp_path):
    assert_matches_models(f"sqlite:///{tmp_path / 'fresh.db'}")


def test_postgresql_migrated_from_empty_equals_the_models(fresh_postgres):
    assert_matches_models(fresh_postgres)

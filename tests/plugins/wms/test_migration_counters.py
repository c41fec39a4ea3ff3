"""wms_0002 moves wms's document counters into core's: a database numbered
under wms_0001 goes on from its last numbers, never giving one twice."""

from __future__ import annotations

from sqlalchemy import text

import plugins.finance as finance
import plugins.wms as wms
from core import make_engine, make_session_factory, transaction
from core.companies import get_company
from core.migrate import upgrade
from core.numbering import next_number
from tests.conftest import make_plugins


def test_numbers_go_on_from_wms_counters_after_the_upgrade(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    plugins = make_plugins(finance, wms)
    upgrade(engine, plugins, "wms@wms_0001")
    with engine.begin() as connection:
        assert "core_counter" not in {r[0] for r in connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'table'"))}
        connection.execute(
            text(
                "INSERT INTO core_company (code, name, currency, timezone, fiscal_year_start_month, "
                "created_at) VALUES ('ACME', 'Acme', 'KRW', 'UTC', 1, '2026-01-01')"
            )
        )
        connection.execute(text("INSERT INTO wms_counter (company_id, prefix, last) VALUES "
                                "(1, 'MAIN/IN', 41), (1, 'WAVE', 7)"))
    upgrade(engine, plugins)
    with transaction(make_session_factory(engine, plugins)) as s:
        company = get_company(s, "ACME")
        assert next_number(s, company, "MAIN/IN/") == "MAIN/IN/00042"
        assert next_number(s, company, "WAVE/") == "WAVE/00008"
        assert next_number(s, company, "MAIN/OUT/") == "MAIN/OUT/00001"
        tables = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert "wms_counter" not in tables
    engine.dispose()

"""The plugin manager and per-company installation."""

from __future__ import annotations

import importlib.metadata
import types

import pytest
from sqlalchemy import inspect, select, text

import core.plugins
from core import PluginInfo, get_plugin_manager, hookimpl, ledger
from core.companies import get_company
from core.errors import PluginError
from core.installation import install, uninstall
from core.ledger import Leg
from tests.conftest import make_plugins
from tests.example_plugins import memo
from tests.example_plugins.memo.models import Note, notes


def fake_plugin(name, requires=(), optional=(), **hooks):
    module = types.ModuleType(f"fake_{name}")
    module.PLUGIN = PluginInfo(name=name, version="0.1", requires=requires, optional=optional)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


def recorder(name, calls):
    def install_company(session, company):
        calls.append((name, company.code))
    return install_company


def test_plugin_info_is_frozen():
    info = PluginInfo(name="x", version="1", requires=["a"])
    assert info.requires == ("a",)
    with pytest.raises(AttributeError):
        info.name = "y"


def test_dependencies_come_first():
    plugins = get_plugin_manager([fake_plugin("sales", optional=["finance"]), fake_plugin("finance"),
                                  fake_plugin("manufacturing", requires=["wms"]), fake_plugin("wms")],
                                 entry_points=False)
    names = plugins.names()
    assert names[0] == "core"
    assert names.index("wms") < names.index("manufacturing")
    assert names.index("finance") < names.index("sales")


def test_missing_dependency_is_named():
    with pytest.raises(PluginError, match="'manufacturing' requires 'wms'"):
        get_plugin_manager([fake_plugin("manufacturing", requires=["wms"])], entry_points=False)


def test_cycle_is_named():
    with pytest.raises(PluginError, match=r"cycle: (a -> b -> a|b -> a -> b)"):
        get_plugin_manager(
            [fake_plugin("a", requires=["b"]), fake_plugin("b", requires=["a"])], entry_points=False
        )


def test_unknown_hook_fails_check_pending():
    def not_a_hook():
        return None
    with pytest.raises(PluginError, match="unknown hook"):
        get_plugin_manager([fake_plugin("odd", not_a_hook=not_a_hook)], entry_points=False)


def test_module_without_plugin_info_is_refused():
    with pytest.raises(PluginError, match="has no PLUGIN"):
        get_plugin_manager([types.ModuleType("bare")], entry_points=False)


def test_discovery_through_the_entry_point_group(monkeypatch):
    found = fake_plugin("found")

    class FakeEntryPoint:
        name = "found"

        def load(self):
            return found

    def entry_points(group):
        assert group == "jangbu"
        return [FakeEntryPoint()]

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    assert "found" in get_plugin_manager().names()
    assert "found" not in get_plugin_manager(entry_points=False).names()


def test_broken_entry_point_names_itself(monkeypatch):
    class Broken:
        name = "broken"

        def load(self):
            raise ImportError("no module named broken")

    monkeypatch.setattr(core.plugins.importlib.metadata, "entry_points", lambda group: [Broken()])
    with pytest.raises(PluginError, match="'broken' failed to load"):
        get_plugin_manager()


def test_every_hook_is_documented():
    import plugins.finance as finance
    import plugins.procurement as procurement
    import plugins.sales as sales
    import plugins.wms as wms

    plugins = make_plugins(
        finance, wms, sales, procurement
    )  # core's hooks and those the in-tree plugins publish
    for name in dir(plugins.hook):
        if name.startswith("_"):
            continue
        spec = getattr(plugins.hook, name).spec
        doc = spec.function.__doc__ or ""
        assert doc.strip(), f"hook {name} has no docstring"
        assert ":returns:" in doc, f"hook {name} does not say what it returns"
        for param in spec.argnames:
            assert param in doc, f"hook {name} does not document {param!r}"


def test_install_puts_requirements_first_and_seeds_that_company_only(db):
    calls = []
    chain = [fake_plugin("wms", install_company=recorder("wms", calls)),
             fake_plugin("manufacturing", requires=["wms"], install_company=recorder("manufacturing", calls))]
    db.use_plugins(*chain)
    db.company("ACME", accounts=False)
    db.company("OTHER", accounts=False)
    with db.session() as s:
        done = install(s, get_company(s, "ACME"), ["manufacturing"])
    assert done == ["wms", "manufacturing"]
    assert calls == [("wms", "ACME"), ("manufacturing", "ACME")]
    with db.session() as s:
        assert db.plugins.installed(s, get_company(s, "ACME")) == ["wms", "manufacturing"]
        assert db.plugins.installed(s, get_company(s, "OTHER")) == []
        assert install(s, get_company(s, "ACME"), ["wms"]) == []
    with pytest.raises(PluginError, match="manufacturing of ACME require it"):
        with db.session() as s:
            uninstall(s, get_company(s, "ACME"), "wms")
    with db.session() as s:
        uninstall(s, get_company(s, "ACME"), "manufacturing")
        uninstall(s, get_company(s, "ACME"), "wms")
        assert db.plugins.installed(s, get_company(s, "ACME")) == []
    with pytest.raises(PluginError, match="unknown plugin 'nope'"):
        with db.session() as s:
            install(s, get_company(s, "ACME"), ["nope"])


def forget_memo_schema(engine):
    """Take the database back to core's schema alone (PostgreSQL is shared by tests)."""
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS memo_note"))
        connection.execute(text("DELETE FROM alembic_version WHERE version_num LIKE 'memo_%'"))


def test_install_creates_the_plugin_tables_and_reinstall_finds_the_data(db):
    forget_memo_schema(db.engine)
    db.company()
    assert "memo_note" not in inspect(db.engine).get_table_names()
    with db.session() as s:
        company = get_company(s, "ACME")
        install(s, company, ["memo"])
        memo.add_note(s, company, "keep me")
    assert "memo_note" in inspect(db.engine).get_table_names()
    with db.session() as s:
        uninstall(s, get_company(s, "ACME"), "memo")
    with db.session() as s:
        company = get_company(s, "ACME")
        assert [n.text for n in notes(s, company)] == ["keep me"]
        install(s, company, ["memo"])
    with db.session() as s:
        assert [n.text for n in notes(s, get_company(s, "ACME"))] == ["keep me"]


def test_company_hooks_reach_only_installed_plugins(db):
    acme = db.company("ACME", plugins=["memo"])
    other = db.company("OTHER")
    for company in (acme, other):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "2000000"), Leg("4000", "-2000000")])
    with db.session() as s:
        texts = [n.text for n in s.scalars(select(Note))]
        assert len(texts) == 1 and texts[0].startswith("large posting #1")
        assert all(n.company_id == acme.id for n in s.scalars(select(Note)))


def test_a_failing_event_handler_rolls_the_operation_back(db):
    def transaction_posted(session, company, event):
        raise PluginError("audit refuses this posting")

    db.use_plugins(fake_plugin("strict", transaction_posted=transaction_posted))
    company = db.company("ACME", plugins=["strict"])
    with pytest.raises(PluginError, match="audit refuses"):
        with db.session() as s:
            ledger.post(s, company, "2026-03-01", [Leg("1100", "5"), Leg("4000", "-5")])
    with db.session() as s:
        assert s.scalar(select(ledger.Transaction.id)) is None
        assert ledger.balance(s, company, "1100") == 0


def test_plugins_publish_hooks_of_their_own(db):
    from core import hookspec

    specs = types.ModuleType("finance_hookspecs")

    @hookspec
    def invoice_paid(session, company, invoice):
        """An invoice was paid.

        :param session: the session; :param company: the company; :param invoice: the invoice number.
        :returns: nothing.
        """

    specs.invoice_paid = invoice_paid
    finance = fake_plugin("finance")
    finance.PLUGIN = PluginInfo(name="finance", version="1", hookspecs=specs)
    seen = []
    sales = fake_plugin("sales", optional=["finance"],
                        invoice_paid=lambda session, company, invoice: seen.append((company.code, invoice)))
    db.use_plugins(finance, sales)
    db.company("ACME", plugins=["finance", "sales"], accounts=False)
    db.company("OTHER", plugins=["finance"], accounts=False)
    for code in ("ACME", "OTHER"):
        with db.session() as s:
            company = get_company(s, code)
            db.plugins.for_company(s, company).invoice_paid(session=s, company=company, invoice="INV-1")
    assert seen == [("ACME", "INV-1")]
    # implementing a hook nobody publishes is refused at start-up
    with pytest.raises(PluginError, match="unknown hook"):
        get_plugin_manager([fake_plugin("sales", invoice_paid=lambda invoice: None)], entry_points=False)


def test_optional_partners_may_name_each_other():
    plugins = get_plugin_manager([fake_plugin("sales", optional=["marketing"]),
                                  fake_plugin("marketing", optional=["sales"]),
                                  fake_plugin("service", requires=["sales"])], entry_points=False)
    names = plugins.names()
    assert set(names) == {"core", "sales", "marketing", "service"}
    assert names.index("sales") < names.index("service")

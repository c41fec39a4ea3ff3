"""The import rules of the plugin guide hold on the tree, and each rule catches a planted violation."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.import_rules import check

ROOT = Path(__file__).resolve().parent.parent


def test_the_tree_keeps_the_import_rules():
    assert check(ROOT) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    base = {
        "core/__init__.py": "",
        "web/__init__.py": "",
        "web/lists.py": "",
        "web/admin.py": "",
        "cli/__init__.py": "",
        "cli/context.py": "",
        "cli/commands/__init__.py": "",
        "plugins/__init__.py": "",
        "plugins/alpha/__init__.py":
            'PLUGIN = PluginInfo(name="alpha", requires=("gamma",), optional=("beta",))\n',
        "plugins/alpha/api.py": "",
        "plugins/alpha/orders.py": "",
        "plugins/alpha/partners.py": "def beta_api():\n    from plugins.beta import api\n    return api\n",
        "plugins/beta/__init__.py": 'PLUGIN = PluginInfo(name="beta")\n',
        "plugins/beta/api.py": "",
        "plugins/beta/models.py": "",
        "plugins/gamma/__init__.py": 'PLUGIN = PluginInfo(name="gamma")\n',
        "plugins/gamma/api.py": "",
        "plugins/delta/__init__.py": 'PLUGIN = PluginInfo(name="delta")\n',
        "plugins/delta/api.py": "",
    }
    for name, text in {**base, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_a_clean_planted_tree_passes(tmp_path):
    root = _tree(tmp_path, {"plugins/alpha/orders.py": """\
        from core import models
        from web.lists import Column
        from cli.context import Env
        from plugins.gamma import api
        from plugins.gamma.api import thing
        from plugins.alpha import partners
    """})
    assert check(root) == []


@pytest.mark.parametrize("path, text, expected", [
    ("core/ledger.py", "import os\nfrom web.lists import Column\n",
     "core/ledger.py:2: core imports web.lists"),
    ("core/ledger.py", "def f():\n    import cli.context\n",
     "core/ledger.py:2: core imports cli.context"),
    ("core/ledger.py", "from plugins.beta import api\n",
     "core/ledger.py:1: core imports plugins.beta"),
    ("web/lists.py", "from plugins.alpha.orders import x\n",
     "web/lists.py:1: web imports plugins.alpha.orders"),
    ("plugins/alpha/orders.py", "\nfrom web.admin import page\n",
     "plugins/alpha/orders.py:2: alpha imports web.admin, not a public helper of web"),
    ("plugins/alpha/orders.py", "from cli.commands import ledger\n",
     "plugins/alpha/orders.py:1: alpha imports cli.commands, not a public helper of cli"),
    ("plugins/alpha/orders.py", "from plugins.gamma.models import Thing\n",
     "plugins/alpha/orders.py:1: alpha imports plugins.gamma.models, an internal module of gamma"),
    ("plugins/alpha/orders.py", "from plugins.beta import models\n",
     "plugins/alpha/orders.py:1: alpha imports plugins.beta.models, an internal module of beta"),
    ("plugins/alpha/orders.py", "from plugins.delta import api\n",
     "plugins/alpha/orders.py:1: alpha imports delta's api but neither requires it nor names it optional"),
    ("plugins/alpha/orders.py", "def f():\n    from plugins.beta import api\n",
     "plugins/alpha/orders.py:2: alpha uses its optional partner beta outside partners.py"),
    ("plugins/alpha/partners.py", "from plugins.beta import api\n",
     "plugins/alpha/partners.py:1: alpha imports its optional partner beta at module level"),
])
def test_each_rule_names_the_file_and_line_of_a_planted_violation(tmp_path, path, text, expected):
    problems = check(_tree(tmp_path, {path: text}))
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_a_cycle_inside_a_plugin_is_named_with_its_modules(tmp_path):
    root = _tree(tmp_path, {
        "plugins/alpha/orders.py": "from plugins.alpha.billing import invoice\n",
        "plugins/alpha/billing.py": "def invoice():\n    from plugins.alpha import orders\n",
    })
    assert check(root) == ["import cycle in alpha: plugins.alpha.billing -> plugins.alpha.orders"]


def test_a_package_importing_its_own_submodules_is_wiring_not_a_cycle(tmp_path):
    root = _tree(tmp_path, {
        "plugins/alpha/routes/__init__.py": "BLUEPRINT = 1\nfrom plugins.alpha.routes import pages\n",
        "plugins/alpha/routes/pages.py": "from plugins.alpha.routes import BLUEPRINT\n",
    })
    assert check(root) == []

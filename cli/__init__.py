"""The ``jangbu`` command line: a click group built from the plugin manager.

Plugins add their groups through the ``register_commands`` hook, using
``cli.plugin_group(PLUGIN)``; commands get an :class:`Env` by ``@click.pass_obj``.
"""

from cli.app import JangbuCLI, PluginGroup, create_cli, main
from cli.context import Env, to_json

__all__ = ["Env", "JangbuCLI", "PluginGroup", "create_cli", "main", "to_json"]

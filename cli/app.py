"""The ``jangbu`` command group, built by a factory from the plugin manager."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Optional

import click
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from cli.context import Env
from core.db import default_database_url
from core.errors import JangbuError, PluginError
from core.plugins import PluginInfo, Plugins, get_plugin_manager

__all__ = ["JangbuCLI", "PluginGroup", "create_cli", "main"]


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"jangbu: error: {message}", err=True)
    sys.exit(code)


def _database_message(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip().splitlines()[0]
    if isinstance(exc, OperationalError) and ("no such table" in text or "does not exist" in text):
        return f"the database is not set up ({text}); run: jangbu db upgrade"
    return f"database refused the change: {text}"


def _usage_message(exc: click.UsageError) -> tuple[str, str]:
    """A usage error in one line, and what ``--help`` shows for it: a parameter with choices is
    named, its choices left to ``--help`` (click lists them all, one a line)."""
    param = getattr(exc, "param", None)
    if param is not None and isinstance(param.type, click.Choice):
        if isinstance(param, click.Argument):
            name = f"'{param.metavar or param.name.upper()}'"
        else:
            name = param.get_error_hint(exc.ctx)
        if isinstance(exc, click.MissingParameter):
            return f"Missing {param.param_type_name} {name}.", "choices"
        if isinstance(exc, click.BadParameter):
            value = exc.message.partition(" is not ")[0]
            return f"Invalid value for {name}: {value} is not one of the choices.", "choices"
    return " ".join(exc.format_message().split()), "see"


class JangbuCLI(click.Group):
    """The root group: one error line and a non-zero exit, never a traceback."""

    def __init__(self, *args, plugins: Plugins, **kwargs):
        super().__init__(*args, **kwargs)
        self.plugins = plugins

    def plugin_group(self, info: PluginInfo, **kwargs) -> PluginGroup:
        """A command group for a plugin, refusing companies that lack it."""
        kwargs.setdefault("help", info.description)
        return PluginGroup(info, **kwargs)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Like click's, but a usage error is one line too."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            message, where = _usage_message(exc)
            hint = f" ({where}: {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
            _fail(f"{message}{hint}", exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail("aborted")
        code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except JangbuError as exc:
            _fail(str(exc), exc.exit_code)
        except BrokenPipeError:  # `jangbu ... | head`: the reader left, nothing to say
            sys.stderr.close()
            sys.exit(0)
        except (DBAPIError, SQLAlchemyError) as exc:
            _fail(_database_message(exc))
        except Exception as exc:  # a bug: still one line, the traceback on request
            if os.environ.get("JANGBU_DEBUG"):
                traceback.print_exc()
            _fail(f"internal error: {type(exc).__name__}: {exc} (set JANGBU_DEBUG=1 for the traceback)", 2)
        finally:
            env = ctx.find_object(Env)
            if env is not None:
                env.close()


class PluginGroup(click.Group):
    """A plugin's command group: its commands run only where it is installed."""

    def __init__(self, info: PluginInfo, **kwargs):
        super().__init__(name=info.name, **kwargs)
        self.info = info

    def invoke(self, ctx: click.Context):
        if any(arg in ctx.help_option_names for arg in ctx.args):
            return super().invoke(ctx)  # help needs no company
        env = ctx.find_object(Env)
        with env.session() as session:
            company = env.company(session)
            if not env.plugins.is_installed(session, company, self.info.name):
                raise PluginError(f"plugin {self.info.name!r} is not installed for company {company.code}")
        return super().invoke(ctx)


def create_cli(plugins: Optional[Plugins] = None) -> JangbuCLI:
    """Build the ``jangbu`` group for ``plugins`` (discovered when ``None``)."""
    from cli.commands import CORE_COMMANDS

    plugins = plugins if plugins is not None else get_plugin_manager()

    @click.group(cls=JangbuCLI, plugins=plugins, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--database", envvar="JANGBU_DATABASE_URL", metavar="URL",
                  help="SQLAlchemy URL (env JANGBU_DATABASE_URL; default: sqlite file jangbu.db here).")
    @click.option(
        "--company", envvar="JANGBU_COMPANY", metavar="CODE", help="Company code (env JANGBU_COMPANY)."
    )
    @click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
    @click.version_option(package_name="jangbu")
    @click.pass_context
    def jangbu(ctx: click.Context, database: Optional[str], company: Optional[str], as_json: bool) -> None:
        """Jangbu (장부): the books of a company, and the plugins that run it."""
        ctx.obj = Env(plugins, database or default_database_url(), company, as_json)

    for command in CORE_COMMANDS:
        jangbu.add_command(command)
    plugins.hook.register_commands(cli=jangbu)
    return jangbu


def main() -> None:
    """Console-script entry point."""
    try:
        cli = create_cli()
    except JangbuError as exc:
        _fail(str(exc))
    cli(prog_name="jangbu")

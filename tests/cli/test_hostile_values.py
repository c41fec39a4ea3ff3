"""Hostile ids and numbers on the command line: every command of the real tree, each of its
arguments and whole-number options given out-of-range, negative, non-ASCII-digit and
non-numeric values, answers one ``jangbu: error:`` line, exits non-zero and writes nothing."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

import plugins.finance as finance
import plugins.procurement as procurement
import plugins.sales as sales
import plugins.wms as wms
from cli import create_cli
from cli.params import IdType, Whole
from tests.web.pages import snapshot

HOSTILE = ["99999999999999999999", "9223372036854775808", "-1", "١٢٣", "１２", "abc"]
EVERY_PLUGIN = ["memo", "finance", "wms", "sales", "procurement"]
# Arguments that name something new (or are free text): any of the values is a fine name there.
FREE_TEXT = {
    "company create": {"code"},
    "party create": {"code"},
    "product create": {"sku"},
    "user create": {"username"},
    "memo add": {"text"},
    "ledger account-create": {"code", "name"},
    "finance budget create": {"name"},
    "sales activity add": {"subject"},
    "sales lead add": {"contact_name"},
    "sales opportunity add": {"name"},
    "sales pricelist create": {"code", "name"},
    "sales stage add": {"name"},
    "sales stage add-reason": {"name"},
    "sales scoring rule-add": {"value"},
    "wms warehouse create": {"code", "name"},
    "wms location add": {"code"},
}


def leaves(group: click.Group, path=()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaves(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def numeric(param: click.Parameter) -> bool:
    return isinstance(param.type, (IdType, Whole, click.types._NumberParamTypeBase))


def placeholder(param: click.Parameter) -> str:
    return param.type.choices[0] if isinstance(param.type, click.Choice) else "1"


def invocations(cli):
    """(command path, parameter, argv) for each walked parameter and hostile value. Positional
    arguments follow ``--`` so that "-1" reaches them as a value, not as an option."""
    for path, command in leaves(cli):
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        required = [p for p in command.params if isinstance(p, click.Option) and p.required]
        walked = [p for p in arguments if p.name not in FREE_TEXT.get(path, ())]
        walked += [p for p in command.params if isinstance(p, click.Option) and not p.is_flag and numeric(p)]
        for param in walked:
            for value in HOSTILE:
                options = [text for option in required if option is not param
                           for text in (option.opts[0], placeholder(option))]
                if isinstance(param, click.Option):
                    options += [param.opts[0], value]
                positional = [value if argument is param else placeholder(argument) for argument in arguments]
                yield path, param.name, [*path.split(), *options, "--", *positional]


@pytest.fixture
def everything(db):
    db.use_plugins(finance, wms, sales, procurement)
    db.company("ACME", plugins=EVERY_PLUGIN, accounts=False)
    return db


def test_every_command_refuses_hostile_values_in_one_line_and_writes_nothing(everything):
    cli, runner = create_cli(everything.plugins), CliRunner()
    prefix = ["--database", everything.url, "--company", "ACME"]
    before = snapshot(everything)
    wrong, commands, runs = [], set(), 0
    for path, name, argv in invocations(cli):
        result = runner.invoke(cli, [*prefix, *argv], catch_exceptions=False)
        lines = result.stderr.splitlines()
        commands.add(path)
        runs += 1
        if (result.exit_code == 0 or len(lines) != 1 or not lines[0].startswith("jangbu: error: ")
                or "internal error" in lines[0] or result.stdout):
            wrong.append((" ".join(argv), result.exit_code, result.stdout[:200], result.stderr[:300]))
    assert wrong == []
    assert snapshot(everything) == before
    assert len(commands) >= 120 and runs >= 900, (len(commands), runs)


def test_the_free_text_arguments_named_exist(everything):
    """The list of arguments left out is exact: a renamed one would otherwise hide a lookup."""
    commands = dict(leaves(create_cli(everything.plugins)))
    for path, names in FREE_TEXT.items():
        assert names <= {p.name for p in commands[path].params if isinstance(p, click.Argument)}, path


def test_every_whole_number_parameter_is_read_strictly(everything):
    """No command takes click's own int (it reads ١٢٣ as 123): each uses cli.params."""
    for path, command in leaves(create_cli(everything.plugins)):
        for param in command.params:
            assert not isinstance(param.type, click.types._NumberParamTypeBase), (path, param.name)


def usage_mistakes(cli):
    """(argv, what it must say) for each command: an unknown option, its last required argument
    left out, and a value outside the choices of each parameter that has some."""
    for path, command in leaves(cli):
        words = path.split()
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        required = [text for p in command.params if isinstance(p, click.Option) and p.required
                    for text in (p.opts[0], placeholder(p))]
        yield [*words, "--no-such-option"], "No such option"
        needed = [p for p in arguments if p.required]
        if needed:
            last = needed[-1]
            given = [placeholder(p) for p in arguments[:arguments.index(last)]]
            yield [*words, *required, "--", *given], f"Missing argument '{last.metavar or last.name.upper()}"
        for param in command.params:
            if isinstance(param.type, click.Choice):
                if isinstance(param, click.Option):
                    yield [*words, *required, param.opts[0], "bogus"], "is not one of the choices"
                else:
                    values = ["bogus" if p is param else placeholder(p) for p in arguments]
                    yield [*words, *required, "--", *values], "is not one of the choices"


def test_usage_mistakes_are_one_line_that_points_at_help(everything):
    cli, runner = create_cli(everything.plugins), CliRunner()
    prefix = ["--database", everything.url, "--company", "ACME"]
    wrong, runs = [], 0
    for argv, message in usage_mistakes(cli):
        result = runner.invoke(cli, [*prefix, *argv], catch_exceptions=False)
        lines = result.stderr.splitlines()
        runs += 1
        if (result.exit_code != 2 or len(lines) != 1 or not lines[0].startswith("jangbu: error: ")
                or message not in lines[0] or not lines[0].endswith(" --help)")):
            wrong.append((" ".join(argv), result.exit_code, result.stderr[:400]))
    assert wrong == []
    assert runs > 300, runs

"""``jangbu finance bank``: import bank statements and reconcile their lines."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Optional

import click

from cli.context import Env
from cli.params import Whole
from core.errors import Invalid
from plugins.finance.bank import (
    FIELDS,
    find_line,
    find_statement,
    import_statement,
    line_data,
    list_lines,
    list_statements,
    statement_data,
)
from plugins.finance.bank_matching import auto_match, match
from plugins.finance.bank_suggestions import suggest, suggestion_data
from plugins.finance.views import payment_data

__all__ = ["bank"]


@click.group()
def bank() -> None:
    """Bank statements: import a bank's CSV export, match its lines to payments and documents."""


def _columns(specs: tuple[str, ...]) -> dict[str, Optional[str]]:
    """``FIELD=HEADER`` options; an empty HEADER says the export has no such column."""
    columns: dict[str, Optional[str]] = {}
    for spec in specs:
        field, sign, header = spec.partition("=")
        field = field.strip().lower()
        if not sign or field not in FIELDS:
            raise Invalid(f"malformed --column {spec!r}: use FIELD=HEADER, FIELD one of {', '.join(FIELDS)}")
        columns[field] = header.strip() or None
    return columns


def _text(path: Path, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise Invalid(f"unknown encoding {encoding!r}") from None
    try:
        return path.read_bytes().decode(encoding)
    except UnicodeDecodeError:
        raise Invalid(
            f"{path.name} is not {encoding} text (try --encoding cp949 for a Korean bank's export)"
        ) from None


def _line_row(d: dict) -> list:
    return [d["id"], d["statement_id"], d["date"], f"{d['amount']:,}", d["currency"], d["reference"],
            d["counterparty"], d["state"].value, d["payment"] or ""]


_LINE_HEADERS = ["line", "stmt", "date", "amount", "cur", "reference", "counterparty", "state", "payment"]


@bank.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--journal", required=True, help="Code of the bank or cash journal the statement belongs to.")
@click.option("--name", help="Name of the statement (default: the file's name).")
@click.option(
    "--currency", help="Currency of the lines when the file has no currency column (default: the company's)."
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    help=f"The file's header for FIELD ({', '.join(FIELDS)}); an empty HEADER: no such column. Repeatable.",
)
@click.option("--delimiter", default=",", show_default=True, help="Field separator (\\t or 'tab' for tabs).")
@click.option("--encoding", default="utf-8-sig", show_default=True, help="Text encoding of the file.")
@click.option("--skip-duplicates", is_flag=True, help="Import only the lines the journal does not hold yet.")
@click.pass_obj
def bank_import(env: Env, file: Path, journal: str, name: Optional[str], currency: Optional[str],
                columns: tuple[str, ...], delimiter: str, encoding: str, skip_duplicates: bool) -> None:
    """Import FILE, a bank's CSV export (date,amount,reference,counterparty[,currency]): all lines or none."""
    text = _text(file, encoding)
    separator = "\t" if delimiter in ("\\t", "tab") else delimiter
    with env.session() as session:
        result = import_statement(session, env.company(session), journal, text, name=name or file.name,
                                  columns=_columns(columns), currency=currency, delimiter=separator,
                                  skip_duplicates=skip_duplicates)
        data = {**statement_data(session, result.statement), "skipped_lines": list(result.skipped)}
    skipped = f" ({len(data['skipped_lines'])} duplicates skipped)" if data["skipped_lines"] else ""
    env.emit(data, f"statement {data['id']} {data['name']!r}: {len(data['lines'])} lines imported into "
                   f"journal {data['journal']}{skipped}")


@bank.command("statements")
@click.pass_obj
def bank_statements(env: Env) -> None:
    """Imported statements, newest first, with how many lines are still open."""
    with env.session() as session:
        company = env.company(session)
        data = [statement_data(session, s) for s in list_statements(session, company)]
        for d in data:
            del d["lines"]
    env.emit(
        data,
        lambda: env.table(
            ["id", "name", "journal", "imported", "open"],
            [
                [d["id"], d["name"], d["journal"], d["imported_at"].strftime("%Y-%m-%d %H:%M"), d["open"]]
                for d in data
            ],
            [0, 4],
        ),
    )


@bank.command("lines")
@click.option("--open", "only_open", is_flag=True, help="Only lines not matched yet.")
@click.option("--statement", "statement_id", help="Only the lines of this statement (its id).")
@click.pass_obj
def bank_lines(env: Env, only_open: bool, statement_id: Optional[str]) -> None:
    """Statement lines in date order (amounts positive: money in)."""
    with env.session() as session:
        company = env.company(session)
        statement = find_statement(session, company, statement_id) if statement_id else None
        data = [line_data(session, line) for line in list_lines(session, company, statement=statement,
                                                                 only_open=only_open)]
    env.emit(data, lambda: env.table(_LINE_HEADERS, [_line_row(d) for d in data], [0, 1, 3]))


@bank.command("suggest")
@click.argument("line_id")
@click.option("--limit", default=5, show_default=True, type=Whole(1, 100), help="How many suggestions.")
@click.pass_obj
def bank_suggest(env: Env, line_id: str, limit: int) -> None:
    """What might account for open line LINE_ID, best first, with the reasons."""
    with env.session() as session:
        company = env.company(session)
        line = find_line(session, company, line_id)
        data = {"line": line_data(session, line),
                "suggestions": [suggestion_data(s) for s in suggest(session, company, line, limit)]}

    def text() -> None:
        line = data["line"]
        click.echo(f"line {line['id']}: {line['date']} {line['amount']:+,} {line['currency']} "
                   f"{line['reference']!r} {line['counterparty']!r}")
        if not data["suggestions"]:
            click.echo("  no suggestions: match it by hand (bank match LINE_ID --invoice ... or --party ...)")
        for n, s in enumerate(data["suggestions"], start=1):
            what = f"payment {s['payment']}" if s["payment"] else " + ".join(s["invoices"])
            click.echo(f"{n}. {what} ({s['party']} {s['party_name']}) {s['amount']:,} {s['currency']} "
                       f"score {s['score']}{' strong' if s['strong'] else ''}")
            for reason in s["reasons"]:
                click.echo(f"     - {reason}")

    env.emit(data, text)


@bank.command("match")
@click.argument("line_id")
@click.option("--invoice", "invoices", multiple=True, metavar="NUMBER",
              help="Document the line settles (repeatable; settled in the order given).")
@click.option(
    "--payment", metavar="NUMBER", help="Link this payment, registered already, instead of a new one."
)
@click.option("--party", metavar="CODE", help="Who paid or was paid, when no document is given.")
@click.option("--supplier", is_flag=True, help="Without documents: money in from a supplier (a refund).")
@click.pass_obj
def bank_match(
    env: Env,
    line_id: str,
    invoices: tuple[str, ...],
    payment: Optional[str],
    party: Optional[str],
    supplier: bool,
) -> None:
    """Reconcile line LINE_ID: register a payment that settles the documents, or link an existing one."""
    with env.session() as session:
        company = env.company(session)
        line = find_line(session, company, line_id)
        paid = match(session, company, line, list(invoices), payment=payment, party=party,
                     supplier=True if supplier else None)
        data = {"line": line_data(session, line), "payment": payment_data(session, paid)}
    p = data["payment"]
    env.emit(
        data,
        f"line {data['line']['id']} matched: payment {p['number']} {p['amount']:,} {p['currency']} "
        f"{p['party']}, settled {', '.join(a['invoice'] for a in p['allocations']) or 'nothing'}, "
        f"unallocated {p['unallocated']:,}",
    )


@bank.command("auto")
@click.argument("statement_id")
@click.pass_obj
def bank_auto(env: Env, statement_id: str) -> None:
    """Match every line of statement STATEMENT_ID that has exactly one strong suggestion."""
    with env.session() as session:
        company = env.company(session)
        report = auto_match(session, company, find_statement(session, company, statement_id))
        data = {"matched": list(report.matched), "left": [{"line": i, "why": why} for i, why in report.left]}

    def text() -> None:
        for m in data["matched"]:
            click.echo(f"line {m.line_id}: {'linked' if m.linked else 'registered'} payment {m.payment}"
                       f"{' settling ' + ', '.join(m.invoices) if m.invoices else ''} (score {m.score})")
        for left in data["left"]:
            click.echo(f"line {left['line']}: left open ({left['why']})")
        click.echo(f"{len(data['matched'])} matched, {len(data['left'])} left open")

    env.emit(data, text)

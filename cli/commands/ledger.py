"""``jangbu ledger``: accounts, posting, reversing, balances, verify, import."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from cli.params import ID, parse_leg
from core import ledger as books
from core.ledger import Account, Posted
from core.ledger.csvimport import DraftReader
from core.ledger.importing import import_drafts
from core.values import parse_date

TRANSACTION_ID = ID


def transaction_data(p: Posted) -> dict:
    return {
        "id": p.id,
        "date": p.date,
        "memo": p.memo,
        "key": p.key,
        "origin": p.origin,
        "reverses_id": p.reverses_id,
        "reversed_by_id": p.reversed_by_id,
        "created": p.created,
        "legs": [
            {"account": leg.account, "amount": leg.amount, "commodity": leg.commodity} for leg in p.legs
        ],
    }


def show_transaction(env: Env, p: Posted, heading: str) -> None:
    def text() -> None:
        click.echo(f"{heading}: {p.date} {p.memo}".rstrip())
        env.table(
            ["account", "amount", "commodity"], [[l.account, l.amount, l.commodity] for l in p.legs], [1]
        )

    env.emit(transaction_data(p), text)


@click.group()
def ledger() -> None:
    """The double-entry ledger of money and stock."""


@ledger.command("account-create")
@click.argument("code")
@click.argument("name")
@click.option("--type", "type_", required=True,
              help="asset, liability, equity, income, expense or stock.")
@click.option("--parent", help="Code of the parent account.")
@click.option("--no-negative", is_flag=True, help="Refuse any posting that would take it below zero.")
@click.pass_obj
def account_create(
    env: Env, code: str, name: str, type_: str, parent: Optional[str], no_negative: bool
) -> None:
    """Add account CODE called NAME."""
    with env.session() as session:
        account = books.create_account(session, env.company(session), code, name, type_,
                                       parent=parent, no_negative=no_negative)
    env.emit({"code": account.code, "name": account.name, "type": account.type, "parent": parent,
              "no_negative": account.no_negative}, f"account {account.code} created")


@ledger.command("accounts")
@click.pass_obj
def accounts(env: Env) -> None:
    """The chart of accounts."""
    with env.session() as session:
        company = env.company(session)
        rows = session.scalars(
            select(Account).where(Account.company_id == company.id).order_by(Account.code)
        ).all()
        data = [
            {
                "code": a.code,
                "name": a.name,
                "type": a.type,
                "parent": a.parent.code if a.parent else None,
                "no_negative": a.no_negative,
            }
            for a in rows
        ]
    env.emit(data, lambda: env.table(["code", "name", "type", "parent", "limit"], [
        [d["code"], d["name"], d["type"].value, d["parent"] or "", "no negative" if d["no_negative"] else ""]
        for d in data]))


@ledger.command("post")
@click.option("--date", "date_", required=True, help="YYYY-MM-DD")
@click.option("--memo", default="")
@click.option("--key", help="Idempotency key: posting the same key again has no effect.")
@click.argument("legs", nargs=-1, required=True)
@click.pass_obj
def post(env: Env, date_: str, memo: str, key: Optional[str], legs: tuple[str, ...]) -> None:
    """Post LEGS, each ACCOUNT:AMOUNT[:COMMODITY] (positive debit, negative credit)."""
    parsed = [parse_leg(leg) for leg in legs]
    with env.session() as session:
        posted = books.post(session, env.company(session), parse_date(date_), parsed, memo=memo, key=key)
    show_transaction(env, posted, f"transaction {posted.id} posted" if posted.created
                     else f"transaction {posted.id} was already posted with this key and content")


@ledger.command("reverse")
@click.argument("transaction", type=TRANSACTION_ID)
@click.option("--date", "date_", required=True, help="YYYY-MM-DD")
@click.option("--memo")
@click.pass_obj
def reverse(env: Env, transaction: int, date_: str, memo: Optional[str]) -> None:
    """Post the mirror of TRANSACTION."""
    with env.session() as session:
        posted = books.reverse(session, env.company(session), transaction, parse_date(date_), memo=memo)
    show_transaction(env, posted, f"transaction {posted.id} posted, reversing {transaction}")


@ledger.command("show")
@click.argument("transaction", type=TRANSACTION_ID)
@click.pass_obj
def show(env: Env, transaction: int) -> None:
    """Show TRANSACTION and its postings."""
    with env.session() as session:
        posted = books.load(session, env.company(session), transaction)
    show_transaction(env, posted, f"transaction {posted.id}" +
                     (f" (reversal of {posted.reverses_id})" if posted.reverses_id else "") +
                     (f" (reversed by {posted.reversed_by_id})" if posted.reversed_by_id else ""))


@ledger.command("balance")
@click.argument("account")
@click.option("--commodity", help="Commodity code (default: the company currency).")
@click.option("--as-of", help="YYYY-MM-DD (default: everything).")
@click.pass_obj
def balance(env: Env, account: str, commodity: Optional[str], as_of: Optional[str]) -> None:
    """The balance of ACCOUNT."""
    as_of_date = parse_date(as_of) if as_of else None
    with env.session() as session:
        company = env.company(session)
        amount = books.balance(session, company, account, commodity, as_of_date)
        commodity = commodity or company.currency
    env.emit({"account": account, "commodity": commodity, "as_of": as_of_date, "balance": amount},
             f"{account}: {amount:,} {commodity}" + (f" as of {as_of_date}" if as_of_date else ""))


@ledger.command("trial-balance")
@click.option("--as-of", help="YYYY-MM-DD (default: everything).")
@click.pass_obj
def trial_balance(env: Env, as_of: Optional[str]) -> None:
    """Every account's balance: debits and credits per commodity."""
    as_of_date = parse_date(as_of) if as_of else None
    with env.session() as session:
        company = env.company(session)
        rows = books.trial_balance(session, company, as_of_date)
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"debit": Decimal(0), "credit": Decimal(0)})
    for r in rows:
        totals[r.commodity]["debit"] += r.debit
        totals[r.commodity]["credit"] += r.credit
    data = {"company": company.code, "as_of": as_of_date, "totals": dict(totals),
            "rows": [{"account": r.account, "name": r.name, "type": r.type, "commodity": r.commodity,
                      "debit": r.debit, "credit": r.credit, "balance": r.balance} for r in rows]}

    def text() -> None:
        click.echo(
            f"Trial balance of {company.code} ({company.name})"
            + (f" as of {as_of_date}" if as_of_date else "")
        )
        table = [
            [
                r.account,
                r.name,
                r.commodity,
                f"{r.debit:,}" if r.debit else "",
                f"{r.credit:,}" if r.credit else "",
            ]
            for r in rows
        ]
        table += [["", "Total", c, f"{t['debit']:,}", f"{t['credit']:,}"] for c, t in sorted(totals.items())]
        env.table(["account", "name", "commodity", "debit", "credit"], table, [3, 4])

    env.emit(data, text)


@ledger.command("verify")
@click.pass_obj
def verify(env: Env) -> None:
    """Recompute every balance from the postings; exit 1 on any mismatch."""
    with env.session() as session:
        report = books.verify(session, env.company(session))
    data = {
        "company": report.company,
        "ok": report.ok,
        "transactions": report.transactions,
        "postings": report.postings,
        "problems": [{"kind": p.kind, "message": p.message} for p in report.problems],
    }

    def text() -> None:
        click.echo(
            f"{report.company}: {report.transactions} transactions, {report.postings} postings checked"
        )
        for p in report.problems:
            click.echo(f"  {p.kind}: {p.message}")
        click.echo("ledger is consistent" if report.ok else f"{len(report.problems)} problem(s)")

    env.emit(data, text)
    if not report.ok:
        raise click.exceptions.Exit(1)


@ledger.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_(env: Env, file: Path) -> None:
    """Post every transaction of a CSV file, all or nothing.

    Columns: txn,date,account,amount[,commodity][,memo]. Consecutive lines
    with the same txn form one transaction; txn is its idempotency key, so
    importing the same file twice posts it once. The file is read as a
    stream: any size works, in bounded memory.
    """
    reader = DraftReader(file)
    with env.session() as session:
        company = env.company(session)
        with env.progressbar(reader.count_lines(), f"posting {file.name}") as bar:
            def advance(_: int = 0) -> None:  # by the lines read: the total is known without parsing the file
                bar.update(reader.lines - bar.pos)

            done = import_drafts(session, company, reader, progress=advance)
            advance()
    env.emit({"file": str(file), "transactions": done.transactions, "created": done.created,
              "existing": done.existing},
             f"imported {done.transactions} transactions from {file.name} "
             f"({done.created} new, {done.existing} already there)")

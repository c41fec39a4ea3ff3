"""``jangbu finance``: the command group and its small commands (rates,
periods, the year-end close, the chart's sections). Documents, payments,
reports and bank statements add their own subgroups from their modules."""

from __future__ import annotations

import click
from sqlalchemy import select

from cli.context import Env
from cli.params import Whole
from core.ledger import Account
from core.values import parse_date
from plugins.finance.closing import close_period, close_year, revalue
from plugins.finance.company_setup import activities, classify, find_journal, sections
from plugins.finance.journals import ensure_fiscal_year, post_entry
from plugins.finance.models import Activity, Entry, EntryKind, FiscalYear, Rate, Section
from plugins.finance.rates import set_rate
from plugins.finance.values import RATE_SCALE, trimmed, unfixed

__all__ = ["finance_group"]


def finance_group(cli, info) -> click.Group:
    """The ``finance`` group with every subgroup attached."""
    from plugins.finance.bank_commands import bank
    from plugins.finance.document_commands import invoice, payment
    from plugins.finance.report_commands import budget, report

    group = cli.plugin_group(info)
    for command in (invoice, payment, entry, rate, period, year, revalue_command, accounts, classify_command):
        group.add_command(command)
    for command in (report, budget, bank):
        group.add_command(command)
    return group


@click.group()
def rate() -> None:
    """Exchange rates: company currency per unit of another currency."""


@rate.command("set")
@click.argument("currency")
@click.argument("date")
@click.argument("value")
@click.pass_obj
def rate_set(env: Env, currency: str, date: str, value: str) -> None:
    """Record that one CURRENCY is worth VALUE of the company currency from DATE on."""
    with env.session() as session:
        row = set_rate(session, env.company(session), currency, parse_date(date), value)
        data = {
            "currency": row.currency,
            "date": row.date,
            "rate": trimmed(unfixed(row.rate_units, RATE_SCALE)),
        }
    env.emit(data, f"{data['currency']} {data['rate']} from {data['date']}")


@rate.command("list")
@click.pass_obj
def rate_list(env: Env) -> None:
    """Every recorded rate, newest first."""
    with env.session() as session:
        company = env.company(session)
        rows = session.scalars(select(Rate).where(Rate.company_id == company.id)
                               .order_by(Rate.currency, Rate.date.desc())).all()
        data = [{"currency": r.currency, "date": r.date, "rate": trimmed(unfixed(r.rate_units, RATE_SCALE))}
                for r in rows]
    env.emit(data, lambda: env.table(["currency", "date", "rate"],
                                     [[d["currency"], d["date"], d["rate"]] for d in data], [2]))


@click.group()
def period() -> None:
    """Fiscal periods: list and close."""


@period.command("list")
@click.option("--year", "year_of", metavar="DATE", help="The fiscal year containing DATE (default: today's).")
@click.pass_obj
def period_list(env: Env, year_of: str | None) -> None:
    """The periods of a fiscal year and whether they are closed."""
    import datetime as dt

    with env.session() as session:
        company = env.company(session)
        fiscal = ensure_fiscal_year(session, company, parse_date(year_of) if year_of else dt.date.today())
        data = [{"name": p.name, "start": p.start, "end": p.end, "state": p.state} for p in fiscal.periods]
    env.emit(data, lambda: env.table(["period", "start", "end", "state"],
                                     [[d["name"], d["start"], d["end"], d["state"].value] for d in data]))


@period.command("close")
@click.argument("name")
@click.pass_obj
def period_close(env: Env, name: str) -> None:
    """Close period NAME (like 2026-03): nothing dated inside it can change any more."""
    with env.session() as session:
        closed = close_period(session, env.company(session), name)
        data = {"period": closed.name, "end": closed.end, "state": closed.state}
    env.emit(data, f"period {data['period']} closed; the books are locked up to {data['end']}")


@click.group()
def year() -> None:
    """Fiscal years: list and close."""


@year.command("list")
@click.pass_obj
def year_list(env: Env) -> None:
    """The company's fiscal years."""
    with env.session() as session:
        company = env.company(session)
        rows = session.scalars(select(FiscalYear).where(FiscalYear.company_id == company.id)
                               .order_by(FiscalYear.start)).all()
        data = [{"name": y.name, "start": y.start, "end": y.end, "state": y.state,
                 "closing_transaction": y.closing_transaction_id} for y in rows]
    env.emit(data, lambda: env.table(["year", "start", "end", "state"],
                                     [[d["name"], d["start"], d["end"], d["state"].value] for d in data]))


@year.command("close")
@click.argument("name")
@click.pass_obj
def year_close(env: Env, name: str) -> None:
    """Close fiscal year NAME: its periods, and income and expenses carried to retained earnings."""
    with env.session() as session:
        closed = close_year(session, env.company(session), name)
        data = {"year": closed.name, "end": closed.end, "closing_transaction": closed.closing_transaction_id}
    env.emit(data, f"fiscal year {data['year']} closed (closing transaction {data['closing_transaction']})")


@click.command("revalue")
@click.argument("date")
@click.pass_obj
def revalue_command(env: Env, date: str) -> None:
    """Revalue open foreign-currency invoices and bills at the rates of DATE (reversed the next day)."""
    with env.session() as session:
        names = revalue(session, env.company(session), date)
    env.emit({"entries": names}, f"posted {', '.join(names)}" if names else "nothing to revalue")


@click.command("accounts")
@click.pass_obj
def accounts(env: Env) -> None:
    """The chart of accounts with each account's statement section."""
    with env.session() as session:
        company = env.company(session)
        where = sections(session, company)
        flows = activities(session, company, where)
        rows = session.scalars(select(Account).where(Account.company_id == company.id, Account.id.in_(where))
                               .order_by(Account.code)).all()
        data = [{"code": a.code, "name": a.name, "type": a.type, "section": where[a.id],
                 "cash_flow": flows.get(a.id), "parent": a.parent.code if a.parent else None} for a in rows]
    env.emit(
        data,
        lambda: env.table(
            ["code", "name", "type", "section", "cash flow", "parent"],
            [
                [
                    d["code"],
                    d["name"],
                    d["type"].value,
                    d["section"].value,
                    d["cash_flow"].value if d["cash_flow"] else "",
                    d["parent"] or "",
                ]
                for d in data
            ],
        ),
    )


@click.command("classify")
@click.argument("code")
@click.argument("section", type=click.Choice([s.value for s in Section]))
@click.option("--cash-flow", "cash_flow", type=click.Choice([a.value for a in Activity]),
              help="Where its changes show in the cash flow (balance-sheet accounts other than cash).")
@click.pass_obj
def classify_command(env: Env, code: str, section: str, cash_flow: str | None) -> None:
    """Show account CODE in SECTION of the statements (a section of the account's own type)."""
    from core.ledger import find_account

    with env.session() as session:
        company = env.company(session)
        info = classify(session, company, find_account(session, company, code), Section(section),
                        Activity(cash_flow) if cash_flow else None)
        activity = activities(session, company).get(info.account_id)
        data = {"account": code, "section": info.section, "cash_flow": activity}
    env.emit(data, f"account {code} shows under {section}"
                   + (f", its cash flow under {activity.value}" if activity else ""))


@click.group()
def entry() -> None:
    """Numbered journal entries: post one by hand, list a journal's register."""


@entry.command("post")
@click.option("--journal", "journal_code", default="MISC", show_default=True, help="Journal code.")
@click.option("--date", "date", required=True, help="Date of the entry.")
@click.option("--leg", "legs", multiple=True, required=True, metavar="ACCOUNT:AMOUNT",
              help="A posting: positive debits, negative credits (repeatable).")
@click.option("--memo", default="", help="What the entry is for.")
@click.pass_obj
def entry_post(env: Env, journal_code: str, date: str, legs: tuple[str, ...], memo: str) -> None:
    """Post a numbered entry in a journal (the general journal by default)."""
    from cli.params import parse_leg

    parsed = [parse_leg(text) for text in legs]
    with env.session() as session:
        company = env.company(session)
        posted_entry, posted = post_entry(session, company, find_journal(session, company, journal_code),
                                          parse_date(date), parsed, kind=EntryKind.MANUAL, memo=memo)
        data = {"name": posted_entry.name, "transaction_id": posted.id, "date": posted.date,
                "legs": [{"account": leg.account, "amount": leg.amount} for leg in posted.legs]}
    env.emit(data, f"entry {data['name']} posted (transaction {data['transaction_id']})")


@entry.command("list")
@click.option("--journal", "journal_code", help="Only this journal.")
@click.option("--limit", type=Whole(1, 100_000), default=50, show_default=True)
@click.pass_obj
def entry_list(env: Env, journal_code: str | None, limit: int) -> None:
    """The register of numbered entries, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Entry).where(Entry.company_id == company.id)
        if journal_code:
            query = query.where(Entry.journal_id == find_journal(session, company, journal_code).id)
        rows = session.scalars(query.order_by(Entry.date.desc(), Entry.id.desc()).limit(limit)).all()
        data = [{"name": e.name, "date": e.date, "kind": e.kind, "transaction_id": e.transaction_id,
                 "memo": e.memo} for e in rows]
    env.emit(data, lambda: env.table(["entry", "date", "kind", "transaction", "memo"], [
        [d["name"], d["date"], d["kind"].value, d["transaction_id"], d["memo"]] for d in data]))

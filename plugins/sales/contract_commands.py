"""``jangbu sales contract|bill-due``: subscriptions and their billing."""

from __future__ import annotations

import click
from sqlalchemy import select

from cli.context import Env
from cli.params import split_fields
from plugins.sales.contracts import (
    ContractLineSpec,
    contract_data,
    create_contract,
    end_contract,
    find_contract,
)
from plugins.sales.contracts import (
    bill_due as bill,
)
from plugins.sales.documents import Contract

__all__ = ["contract", "bill_due"]


def _line(text: str) -> ContractLineSpec:
    return ContractLineSpec(*split_fields(text, "line", "SKU:QUANTITY:PRICE", 3, 3))


def _show(env: Env, data: dict) -> None:
    def text() -> None:
        click.echo(f"{data['number']} [{data['state'].value}] {data['customer']} {data['name']} every "
                   f"{data['every']} {data['interval'].value} from {data['start']}"
                   + (f" to {data['end']}" if data["end"] else "") + f", {data['amount']} {data['currency']}"
                   + (f", next billing {data['next_billing']}" if data["next_billing"] else ""))
        env.table(
            ["period", "to", "amount", "invoice"],
            [[b["period_start"], b["period_end"], b["amount"], b["invoice"]] for b in data["billings"]],
            [2],
        )

    env.emit(data, text)


@click.group()
def contract() -> None:
    """Contracts and subscriptions."""


@contract.command("create")
@click.argument("party")
@click.option("--line", "lines", multiple=True, required=True, metavar="SKU:QTY:PRICE")
@click.option("--start", required=True, help="The first billing date.")
@click.option("--end")
@click.option(
    "--interval", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True
)
@click.option("--every", default="1", show_default=True)
@click.option("--salesperson")
@click.pass_obj
def contract_create(env: Env, party, lines, start, end, interval, every, salesperson) -> None:
    """A contract billing PARTY for the lines every interval."""
    specs = [_line(text) for text in lines]
    with env.session() as session:
        company = env.company(session)
        row = create_contract(
            session,
            company,
            party,
            specs,
            start=start,
            end=end,
            interval=interval,
            every=every,
            salesperson=salesperson,
        )
        data = contract_data(session, company, row)
    _show(env, data)


@contract.command("show")
@click.argument("number")
@click.pass_obj
def contract_show(env: Env, number: str) -> None:
    with env.session() as session:
        company = env.company(session)
        data = contract_data(session, company, find_contract(session, company, number))
    _show(env, data)


@contract.command("end")
@click.argument("number")
@click.option("--date", help="The last day billed (default today).")
@click.pass_obj
def contract_end(env: Env, number: str, date) -> None:
    with env.session() as session:
        company = env.company(session)
        data = contract_data(session, company, end_contract(session, company, number, date=date))
    _show(env, data)


@contract.command("list")
@click.pass_obj
def contract_list(env: Env) -> None:
    with env.session() as session:
        company = env.company(session)
        rows = [contract_data(session, company, c) for c in session.scalars(
            select(Contract).where(Contract.company_id == company.id).order_by(Contract.number))]
    env.emit(rows, lambda: env.table(
        ["number", "state", "customer", "interval", "amount", "next billing"],
        [[r["number"], r["state"].value, r["customer"], f"{r['every']} {r['interval'].value}", r["amount"],
          r["next_billing"]] for r in rows], [4]))


@click.command("bill-due")
@click.option("--date", help="Bill what is due by this day (default today).")
@click.pass_obj
def bill_due(env: Env, date) -> None:
    """Bill every contract period that has begun (run it daily; running it twice bills once)."""
    with env.session() as session:
        company = env.company(session)
        rows = bill(session, company, date)
        data = [{"contract": session.get(Contract, b.contract_id).number, "period_start": b.period_start,
                 "period_end": b.period_end, "amount": b.amount_units, "invoice": b.invoice} for b in rows]
    env.emit(data, lambda: click.echo(f"{len(data)} period(s) billed") if not data else env.table(
        ["contract", "from", "to", "invoice"],
        [[d["contract"], d["period_start"], d["period_end"], d["invoice"]] for d in data]))

"""``jangbu procurement requisition|rfq``: what is needed, and the suppliers' quotes for it."""

from __future__ import annotations

from typing import Optional

import click

from cli.context import Env
from core.errors import Invalid
from plugins.procurement.commands import parse_pairs
from plugins.procurement.requisitions import (
    RequisitionLineInput,
    cancel_requisition,
    create_requisition,
    find_requisition,
    list_requisitions,
)
from plugins.procurement.rfqs import (
    cancel_rfq,
    choose_quote,
    compare,
    create_rfq,
    find_rfq,
    list_rfqs,
    record_quote,
)
from plugins.procurement.views import order_data, requisition_data, rfq_data

__all__ = ["COMMANDS", "requisition", "rfq"]


@click.group()
def requisition() -> None:
    """Requisitions: what someone needs bought."""


@requisition.command("new")
@click.option("--line", "lines", multiple=True, required=True, metavar="SKU=QTY",
              help="A product and its quantity; repeat for more.")
@click.option("--needed-by", metavar="DATE", help="When the goods are needed (every line).")
@click.option("--warehouse", help="The wms warehouse they are for.")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.option("--note")
@click.pass_obj
def requisition_new(env: Env, lines: tuple[str, ...], needed_by: Optional[str], warehouse: Optional[str],
                    date: Optional[str], note: Optional[str]) -> None:
    """A draft requisition."""
    given = [
        RequisitionLineInput(sku, qty, needed_by, warehouse) for sku, qty, _ in parse_pairs(lines, "line")
    ]
    with env.session() as session:
        data = requisition_data(
            create_requisition(session, env.company(session), given, date=date, note=note)
        )
    env.emit(data, f"requisition {data['number']} created ({len(data['lines'])} lines)")


@requisition.command("list")
@click.option("--state", help="draft, open, ordered or cancelled.")
@click.pass_obj
def requisition_list(env: Env, state: Optional[str]) -> None:
    """Requisitions, newest first."""
    with env.session() as session:
        data = [requisition_data(r) for r in list_requisitions(session, env.company(session), state)]
    env.emit(data, lambda: env.table(["number", "date", "state", "source", "lines"],
                                     [[d["number"], d["date"], d["state"], d["source"], len(d["lines"])]
                                      for d in data], [4]))


@requisition.command("show")
@click.argument("number")
@click.pass_obj
def requisition_show(env: Env, number: str) -> None:
    """One requisition and its lines."""
    with env.session() as session:
        data = requisition_data(find_requisition(session, env.company(session), number))

    def text() -> None:
        click.echo(f"requisition {data['number']} [{data['state']}] {data['date']} ({data['source']})")
        if data["note"]:
            click.echo(data["note"])
        env.table(["product", "quantity", "unit", "needed by", "warehouse"],
                  [[l["product"], l["quantity"], l["unit"], l["needed_by"] or "", l["warehouse"] or ""]
                   for l in data["lines"]], [1])

    env.emit(data, text)


@requisition.command("cancel")
@click.argument("number")
@click.pass_obj
def requisition_cancel(env: Env, number: str) -> None:
    """Cancel a draft or open requisition (and its open RFQ)."""
    with env.session() as session:
        data = requisition_data(cancel_requisition(session, env.company(session), number))
    env.emit(data, f"requisition {data['number']} cancelled")


@click.group()
def rfq() -> None:
    """Requests for quotation: a requisition sent to several suppliers."""


@rfq.command("new")
@click.argument("requisition_number", metavar="REQUISITION")
@click.option(
    "--supplier", "suppliers", multiple=True, required=True, help="A supplier asked; repeat for more."
)
@click.option("--date", metavar="DATE", help="Default: today.")
@click.option("--respond-by", metavar="DATE", help="Default: the date plus the company's quote days.")
@click.pass_obj
def rfq_new(env: Env, requisition_number: str, suppliers: tuple[str, ...], date: Optional[str],
            respond_by: Optional[str]) -> None:
    """Send REQUISITION to the suppliers for quotes."""
    with env.session() as session:
        data = rfq_data(create_rfq(session, env.company(session), requisition_number, suppliers, date=date,
                                   respond_by=respond_by))
    env.emit(data, f"{data['number']} sent to {', '.join(q['supplier'] for q in data['quotes'])} "
                   f"(answers by {data['respond_by']})")


@rfq.command("quote")
@click.argument("number")
@click.argument("party")
@click.option("--price", "prices", multiple=True, required=True, metavar="SKU=PRICE",
              help="The unit price quoted for a product; one for each product asked.")
@click.option("--lead-time", required=True, help="Days from order to delivery.")
@click.option("--valid-until", metavar="DATE")
@click.option("--currency", help="Default: the supplier's catalogue currency.")
@click.option("--reference", help="The supplier's quote number.")
@click.option("--date", metavar="DATE", help="When it came (default: today).")
@click.pass_obj
def rfq_quote(env: Env, number: str, party: str, prices: tuple[str, ...], lead_time: str,
              valid_until: Optional[str], currency: Optional[str], reference: Optional[str],
              date: Optional[str]) -> None:
    """Record supplier PARTY's answer to RFQ NUMBER."""
    given: dict[str, str] = {}
    for sku, price, _ in parse_pairs(prices, "price"):
        if sku.upper() in given:
            raise Invalid(f"{sku} is priced twice")
        given[sku.upper()] = price
    with env.session() as session:
        quote = record_quote(session, env.company(session), number, party, given, lead_time_days=lead_time,
                             valid_until=valid_until, currency=currency, reference=reference, date=date)
        data = rfq_data(quote.rfq)
    mine = next(q for q in data["quotes"] if q["supplier"] == party.strip().upper())
    env.emit(mine, f"{data['number']}: {mine['supplier']} quotes {mine['total']} {mine['currency']}, "
                   f"{mine['lead_time_days']} days")


@rfq.command("compare")
@click.argument("number")
@click.pass_obj
def rfq_compare(env: Env, number: str) -> None:
    """The quotes side by side: totals, prices per line, lead times, supplier scores."""
    with env.session() as session:
        cmp = compare(session, env.company(session), number)

    def text() -> None:
        click.echo(
            f"{cmp.rfq} for {cmp.requisition} [{cmp.state}]" + (f" -> {cmp.order}" if cmp.order else "")
        )
        headers = [""] + [q.supplier for q in cmp.quotes]

        def cell(value, mark=""):
            return "-" if value is None else f"{value}{mark}"

        rows = [
            ["state"] + [q.state for q in cmp.quotes],
            ["total"] + [cell(q.total, f" {q.currency}" + (" *" if q.cheapest else "")) for q in cmp.quotes],
            ["lead time"] + [cell(q.lead_time_days, " d" + (" *" if q.fastest else "")) for q in cmp.quotes],
            ["valid until"] + [cell(q.valid_until, " (expired)" if q.expired else "") for q in cmp.quotes],
            ["score"] + [cell(q.score) for q in cmp.quotes],
        ]
        for line in cmp.lines:
            rows.append([f"{line.product} x {line.quantity} {line.unit}"] +
                        [cell(price, " *" if n == line.best else "") for n, price in enumerate(line.prices)])
        env.table(headers, rows, list(range(1, len(headers))))
        click.echo("* cheapest / fastest")

    env.emit(cmp, text)


@rfq.command("choose")
@click.argument("number")
@click.argument("party")
@click.option("--date", metavar="DATE", help="The order's date (default: today).")
@click.option("--warehouse", help="The wms warehouse that receives it.")
@click.pass_obj
def rfq_choose(env: Env, number: str, party: str, date: Optional[str], warehouse: Optional[str]) -> None:
    """Choose PARTY's quote: a draft purchase order; the other quotes are lost."""
    with env.session() as session:
        company = env.company(session)
        order = choose_quote(session, company, number, party, date=date, warehouse=warehouse)
        data = order_data(session, company, order)
    env.emit(
        data,
        f"purchase order {data['number']} created from {number} for {data['supplier']} "
        f"({data['untaxed']} {data['currency']} untaxed); confirm it with: procurement order confirm "
        f"{data['number']}",
    )


@rfq.command("list")
@click.option("--state", help="open, chosen or cancelled.")
@click.pass_obj
def rfq_list(env: Env, state: Optional[str]) -> None:
    """Requests for quotation, newest first."""
    with env.session() as session:
        data = [rfq_data(r) for r in list_rfqs(session, env.company(session), state)]
    env.emit(data, lambda: env.table(
        ["number", "requisition", "date", "state", "answered"],
        [[d["number"], d["requisition"], d["date"], d["state"],
          f"{sum(1 for q in d['quotes'] if q['total'] is not None)}/{len(d['quotes'])}"] for d in data]))


@rfq.command("show")
@click.argument("number")
@click.pass_obj
def rfq_show(env: Env, number: str) -> None:
    """One request for quotation and its quotes."""
    with env.session() as session:
        data = rfq_data(find_rfq(session, env.company(session), number))

    def text() -> None:
        click.echo(f"{data['number']} for {data['requisition']} [{data['state']}] {data['date']}, "
                   f"answers by {data['respond_by']}")
        env.table(["supplier", "state", "total", "currency", "lead days", "valid until"],
                  [[q["supplier"], q["state"], q["total"] if q["total"] is not None else "-", q["currency"],
                    q["lead_time_days"] if q["lead_time_days"] is not None else "-", q["valid_until"] or ""]
                   for q in data["quotes"]], [2, 4])

    env.emit(data, text)


@rfq.command("cancel")
@click.argument("number")
@click.pass_obj
def rfq_cancel(env: Env, number: str) -> None:
    """Cancel an open request for quotation (the requisition goes back to draft)."""
    with env.session() as session:
        data = rfq_data(cancel_rfq(session, env.company(session), number))
    env.emit(data, f"{data['number']} cancelled")


COMMANDS = [requisition, rfq]

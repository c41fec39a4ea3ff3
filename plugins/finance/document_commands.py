"""``jangbu finance invoice|payment``: documents and payments from the command line."""

from __future__ import annotations

from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from core.catalog import get_party
from core.errors import Invalid
from plugins.finance.documents import Direction, Invoice, InvoiceKind, InvoiceState, Payment
from plugins.finance.invoice_posting import credit_note, post_invoice
from plugins.finance.invoices import LineInput, create_invoice, delete_draft, find_invoice
from plugins.finance.settlement import allocate, party_balance, register_payment
from plugins.finance.views import invoice_data, payment_data

__all__ = ["invoice", "payment", "parse_line"]

_LINE_KEYS = {"qty": "quantity", "quantity": "quantity", "price": "unit_price", "discount": "discount",
              "tax": "taxes", "taxes": "taxes", "account": "account", "product": "product",
              "description": "description"}


def parse_line(text: str) -> LineInput:
    """``DESCRIPTION;qty=3;price=1200;tax=VAT10-S,VAT0-S;discount=5;account=401;product=SKU``."""
    values: dict = {"description": ""}
    for n, part in enumerate(p.strip() for p in text.split(";")):
        if "=" not in part:
            if n == 0:
                values["description"] = part
                continue
            raise Invalid(f"malformed line {text!r}: after the description use key=value "
                          f"({', '.join(sorted(set(_LINE_KEYS)))})")
        key, _, value = part.partition("=")
        field = _LINE_KEYS.get(key.strip().lower())
        if field is None:
            raise Invalid(f"unknown line field {key.strip()!r} in {text!r}")
        values[field] = tuple(v for v in value.split(",") if v.strip()) if field == "taxes" else value.strip()
    if "unit_price" not in values:
        raise Invalid(f"line {text!r} has no price=")
    return LineInput(**values)


def _show(env: Env, data: dict, heading: str) -> None:
    def text() -> None:
        click.echo(f"{heading}: {data['number'] or 'draft #' + str(data['id'])} {data['kind'].value} "
                   f"{data['party']} {data['date']} due {data['due_date']} [{data['state'].value}, "
                   f"{data['payment_state'].value}]")
        env.table(["#", "description", "qty", "unit price", "disc %", "net", "tax", "taxes"], [
            [line["position"], line["description"], line["quantity"], line["unit_price"], line["discount"],
             line["net"], line["tax"], ",".join(line["taxes"])] for line in data["lines"]], [2, 3, 4, 5, 6])
        for label in ("untaxed", "tax", "rounding", "total", "residual"):
            click.echo(f"{label:>10}: {data[label]} {data['currency']}")

    env.emit(data, text)


@click.group()
def invoice() -> None:
    """Customer invoices, supplier bills and their credit notes."""


@invoice.command("create")
@click.option(
    "--kind", type=click.Choice([k.value for k in InvoiceKind]), default="invoice", show_default=True
)
@click.option("--party", required=True, help="Party code.")
@click.option("--date", "date", required=True, help="Document date, YYYY-MM-DD.")
@click.option(
    "--line",
    "lines",
    multiple=True,
    required=True,
    metavar="SPEC",
    help="DESCRIPTION;qty=N;price=P[;tax=CODE,...][;discount=PCT][;account=CODE][;product=SKU]; repeatable.",
)
@click.option("--currency", help="Document currency (default: the company's).")
@click.option("--term", help="Payment term code (NOW, NET30, EOM1...).")
@click.option("--due", help="Due date, instead of a payment term.")
@click.option("--reference", default="", help="The supplier's number of a bill, or the customer's order.")
@click.option("--post", "post_now", is_flag=True, help="Post it at once.")
@click.pass_obj
def invoice_create(
    env: Env,
    kind: str,
    party: str,
    date: str,
    lines: tuple[str, ...],
    currency: Optional[str],
    term: Optional[str],
    due: Optional[str],
    reference: str,
    post_now: bool,
) -> None:
    """Create a draft (or, with --post, a posted) document."""
    parsed = [parse_line(text) for text in lines]
    with env.session() as session:
        company = env.company(session)
        document = create_invoice(session, company, kind, party, date, parsed, currency=currency, term=term,
                                  due=due, reference=reference)
        if post_now:
            post_invoice(session, company, document)
        data = invoice_data(session, document)
    _show(env, data, "posted" if post_now else "draft created")


@invoice.command("post")
@click.argument("ref")
@click.pass_obj
def invoice_post(env: Env, ref: str) -> None:
    """Post draft REF (its id): number it and post it to the ledger."""
    with env.session() as session:
        company = env.company(session)
        document = post_invoice(session, company, find_invoice(session, company, ref))
        data = invoice_data(session, document)
    _show(env, data, "posted")


@invoice.command("show")
@click.argument("ref")
@click.pass_obj
def invoice_show(env: Env, ref: str) -> None:
    """Show document REF (its number, or a draft's id)."""
    with env.session() as session:
        company = env.company(session)
        data = invoice_data(session, find_invoice(session, company, ref))
    _show(env, data, "document")


@invoice.command("list")
@click.option("--kind", type=click.Choice([k.value for k in InvoiceKind]))
@click.option("--party", help="Only this party's documents.")
@click.option("--open", "only_open", is_flag=True, help="Only posted documents not paid in full.")
@click.option("--draft", "only_draft", is_flag=True, help="Only drafts.")
@click.pass_obj
def invoice_list(
    env: Env, kind: Optional[str], party: Optional[str], only_open: bool, only_draft: bool
) -> None:
    """Documents, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Invoice).where(Invoice.company_id == company.id)
        if kind:
            query = query.where(Invoice.kind == InvoiceKind(kind))
        if party:
            query = query.where(Invoice.party_id == get_party(session, company, party).id)
        if only_open:
            query = query.where(Invoice.state == InvoiceState.POSTED, Invoice.residual_units > 0)
        if only_draft:
            query = query.where(Invoice.state == InvoiceState.DRAFT)
        rows = session.scalars(query.order_by(Invoice.date.desc(), Invoice.id.desc())).all()
        data = [invoice_data(session, row, lines=False) for row in rows]
    env.emit(data, lambda: env.table(["number", "kind", "party", "date", "due", "total", "open", "state"], [
        [d["number"] or f"draft #{d['id']}", d["kind"].value, d["party"], d["date"], d["due_date"],
         f"{d['total']} {d['currency']}", d["residual"], d["payment_state"].value if d["number"] else "draft"]
        for d in data], [5, 6]))


@invoice.command("credit")
@click.argument("ref")
@click.option("--date", help="Date of the credit note (default: today).")
@click.option("--reason", default="", help="Why it is credited.")
@click.option("--post", "post_now", is_flag=True, help="Post it at once (it then settles REF).")
@click.pass_obj
def invoice_credit(env: Env, ref: str, date: Optional[str], reason: str, post_now: bool) -> None:
    """A credit note for all of posted document REF."""
    with env.session() as session:
        company = env.company(session)
        document = credit_note(
            session, company, find_invoice(session, company, ref), date=date, reason=reason
        )
        if post_now:
            post_invoice(session, company, document)
        data = invoice_data(session, document)
    _show(env, data, "credit note posted" if post_now else "credit note drafted")


@invoice.command("delete")
@click.argument("ref")
@click.pass_obj
def invoice_delete(env: Env, ref: str) -> None:
    """Delete draft REF (posted documents are credited, never deleted)."""
    with env.session() as session:
        company = env.company(session)
        document = find_invoice(session, company, ref)
        number = document.id
        delete_draft(session, company, document)
    env.emit({"deleted": number}, f"draft #{number} deleted")


@click.group()
def payment() -> None:
    """Money received and paid, and what it settles."""


def _settles(session, company, specs: tuple[str, ...]):
    result = []
    for spec in specs:
        ref, _, amount = spec.partition("=")
        result.append((find_invoice(session, company, ref), amount.strip() or None))
    return result


@payment.command("register")
@click.argument("party")
@click.argument("amount")
@click.option("--date", "date", required=True, help="Date of the payment.")
@click.option("--outbound", is_flag=True, help="Money paid out (default: received).")
@click.option("--journal", help="Bank or cash journal code (default: the bank).")
@click.option("--currency", help="Currency of the payment (default: the company's).")
@click.option("--invoice", "invoices", multiple=True, metavar="NUMBER[=AMOUNT]",
              help="Document to settle (repeatable); default: the party's open documents, oldest due first.")
@click.option("--reference", default="", help="Bank reference.")
@click.pass_obj
def payment_register(env: Env, party: str, amount: str, date: str, outbound: bool, journal: Optional[str],
                     currency: Optional[str], invoices: tuple[str, ...], reference: str) -> None:
    """Record AMOUNT received from (or paid to) PARTY and settle documents with it."""
    with env.session() as session:
        company = env.company(session)
        paid = register_payment(
            session,
            company,
            party,
            amount,
            date,
            direction=Direction.OUTBOUND if outbound else Direction.INBOUND,
            journal=journal,
            currency=currency,
            invoices=_settles(session, company, invoices) or None,
            reference=reference,
        )
        data = payment_data(session, paid)
    env.emit(data, lambda: click.echo(
        f"payment {data['number']}: {data['amount']} {data['currency']} {data['direction'].value}, "
        f"settled {', '.join(a['invoice'] for a in data['allocations']) or 'nothing'}, "
        f"unallocated {data['unallocated']}"))


@payment.command("allocate")
@click.argument("number")
@click.argument("invoice_ref")
@click.option("--amount", help="How much to settle (default: all that is open).")
@click.pass_obj
def payment_allocate(env: Env, number: str, invoice_ref: str, amount: Optional[str]) -> None:
    """Settle document INVOICE_REF with what is left of payment NUMBER."""
    with env.session() as session:
        company = env.company(session)
        paid = session.scalar(
            select(Payment).where(Payment.company_id == company.id, Payment.number == number)
        )
        if paid is None:
            raise Invalid(f"unknown payment {number!r} in company {company.code}")
        allocate(session, company, paid, find_invoice(session, company, invoice_ref), amount)
        data = payment_data(session, paid)
    env.emit(data, f"payment {data['number']}: unallocated {data['unallocated']} {data['currency']}")


@payment.command("list")
@click.option("--party", help="Only this party's payments.")
@click.pass_obj
def payment_list(env: Env, party: Optional[str]) -> None:
    """Payments, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Payment).where(Payment.company_id == company.id)
        if party:
            query = query.where(Payment.party_id == get_party(session, company, party).id)
        data = [payment_data(session, row) for row in session.scalars(
            query.order_by(Payment.date.desc(), Payment.id.desc()))]
    env.emit(data, lambda: env.table(["number", "date", "party", "direction", "amount", "unallocated"], [
        [d["number"], d["date"], d["party"], d["direction"].value, f"{d['amount']} {d['currency']}",
         d["unallocated"]] for d in data], [4, 5]))


@payment.command("balance")
@click.argument("party")
@click.pass_obj
def payment_balance(env: Env, party: str) -> None:
    """What PARTY owes and is owed, in the company currency."""
    with env.session() as session:
        company = env.company(session)
        data = {"party": party, **party_balance(session, company, get_party(session, company, party))}
    env.emit(data, f"{party}: receivable {data['receivable']}, payable {data['payable']}")

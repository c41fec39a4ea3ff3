"""Invoices and bills in draft: create, change the lines, compute the totals, delete.

A draft has no effect on the books. Its totals are computed whenever its
lines change (and again when it is posted): every amount quantized to the
document currency, the total equal to the sum of the lines' nets, their
taxes and the rounding line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from typing import Optional

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import get_party, get_product
from core.currencies import CURRENCIES
from core.errors import Conflict, Invalid, NotFound
from core.ledger import find_account
from core.models import Company, Party
from core.plugins import plugins_of
from core.values import as_id, parse_amount, parse_date
from plugins.finance.chart_templates import DEFAULT_TAX
from plugins.finance.company_setup import find_journal, find_tax, find_term, journal_of_kind, settings_of
from plugins.finance.documents import Invoice, InvoiceKind, InvoiceLine, InvoiceState, LineTax
from plugins.finance.journals import add_months, check_open, month_end
from plugins.finance.models import Journal, JournalKind, PaymentTerm, Tax, TaxScope
from plugins.finance.rates import rate_units_on
from plugins.finance.taxes import TaxableLine, TaxRate, TaxResult
from plugins.finance.values import (
    PERCENT_SCALE,
    PRICE_SCALE,
    QUANTITY_SCALE,
    fixed,
    money_units,
    percent,
    round_money,
    scale_of,
    unfixed,
)

__all__ = [
    "LineInput",
    "create_invoice",
    "update_draft",
    "set_lines",
    "delete_draft",
    "find_invoice",
    "compute_totals",
    "open_documents",
    "due_date",
    "MAX_LINES",
]

MAX_LINES = 500
_HUNDRED = Decimal(100)


def _taxes(value) -> Optional[tuple[str, ...]]:
    return None if value is None else tuple(value)


@attrs.frozen
class LineInput:
    """One line as a caller gives it. ``taxes=None`` applies the default tax of the document's side;
    ``account=None`` the default income or expense account."""

    description: str
    unit_price: Decimal = attrs.field(converter=parse_amount)
    quantity: Decimal = attrs.field(default=Decimal(1), converter=parse_amount)
    product: Optional[str] = None
    account: Optional[str] = None
    discount: Decimal = attrs.field(default=Decimal(0), converter=parse_amount)
    taxes: Optional[tuple[str, ...]] = attrs.field(default=None, converter=_taxes)


def due_date(date: dt.date, term: Optional[PaymentTerm]) -> dt.date:
    if term is None:
        return date
    day = add_months(date, term.months)
    if term.end_of_month:
        day = month_end(day)
    return day + dt.timedelta(days=term.days)


def create_invoice(session: Session, company: Company, kind: InvoiceKind | str, party: str | Party,
                   date: dt.date | str, lines: Sequence[LineInput], *, currency: Optional[str] = None,
                   term: Optional[str] = None, due: Optional[dt.date | str] = None, reference: str = "",
                   origin: Optional[str] = None, memo: str = "", journal: Optional[str] = None) -> Invoice:
    """A draft invoice, bill or credit note with its lines and totals.

    :param journal: the code of the sale (or purchase) journal that numbers it; the first one by default.
    """
    kind = _kind(kind)
    settings_of(session, company)
    date = parse_date(date)
    check_open(session, company, date, "a document")
    party_row = party if isinstance(party, Party) else get_party(session, company, party)
    if party_row.company_id != company.id:
        raise NotFound(f"unknown party in company {company.code}")
    code = (currency or company.currency).strip().upper()
    if code not in CURRENCIES:
        raise Invalid(f"unknown currency {code!r}")
    term_row = find_term(session, company, term) if term else None
    due_day = parse_date(due) if due else due_date(date, term_row)
    if due_day < date:
        raise Invalid(f"the due date {due_day} is before the document date {date}")
    journal = _journal(session, company, kind, journal)
    invoice = Invoice(
        company_id=company.id,
        kind=kind,
        party_id=party_row.id,
        journal_id=journal.id,
        term_id=term_row.id if term_row else None,
        date=date,
        due_date=due_day,
        currency=code,
        rate_units=rate_units_on(session, company, code, date),
        reference=reference.strip()[:100],
        origin=origin,
        memo=memo.strip(),
    )
    session.add(invoice)
    session.flush()
    set_lines(session, company, invoice, lines)
    return invoice


def _journal(session: Session, company: Company, kind: InvoiceKind, code: Optional[str]) -> Journal:
    wanted = JournalKind.SALE if kind.is_sale else JournalKind.PURCHASE
    if code is None:
        return journal_of_kind(session, company, wanted)
    journal = find_journal(session, company, code)
    if journal.kind != wanted:
        raise Invalid(
            f"journal {journal.code} is a {journal.kind.value} journal: a {kind.value.replace('_', ' ')} "
            f"needs a {wanted.value} journal"
        )
    return journal


def update_draft(
    session: Session,
    company: Company,
    invoice: Invoice,
    *,
    party: Optional[str | Party] = None,
    date: Optional[dt.date | str] = None,
    currency: Optional[str] = None,
    term: Optional[str] = None,
    due: Optional[dt.date | str] = None,
    reference: Optional[str] = None,
    memo: Optional[str] = None,
) -> Invoice:
    """Change a draft's header (what is not given stays); the totals follow."""
    _draft(invoice)
    if party is not None:
        invoice.party = party if isinstance(party, Party) else get_party(session, company, party)
    if date is not None:
        invoice.date = parse_date(date)
        check_open(session, company, invoice.date, "a document")
    if currency is not None:
        code = currency.strip().upper()
        if code not in CURRENCIES:
            raise Invalid(f"unknown currency {code!r}")
        invoice.currency = code
    invoice.rate_units = rate_units_on(session, company, invoice.currency, invoice.date)
    if term is not None:
        invoice.term = find_term(session, company, term) if term else None
    invoice.due_date = parse_date(due) if due else due_date(invoice.date, invoice.term)
    if invoice.due_date < invoice.date:
        raise Invalid(f"the due date {invoice.due_date} is before the document date {invoice.date}")
    if reference is not None:
        invoice.reference = reference.strip()[:100]
    if memo is not None:
        invoice.memo = memo.strip()
    session.flush()
    return compute_totals(session, company, invoice)


def _kind(kind: InvoiceKind | str) -> InvoiceKind:
    if isinstance(kind, InvoiceKind):
        return kind
    try:
        return InvoiceKind(str(kind).strip().lower().replace("-", "_"))
    except ValueError:
        raise Invalid(
            f"unknown document kind {kind!r} (one of: {', '.join(k.value for k in InvoiceKind)})"
        ) from None


def set_lines(session: Session, company: Company, invoice: Invoice, lines: Sequence[LineInput]) -> Invoice:
    """Replace a draft's lines and recompute its totals."""
    _draft(invoice)
    lines = list(lines)
    if not lines:
        raise Invalid("a document needs at least one line")
    if len(lines) > MAX_LINES:
        raise Invalid(f"a document has at most {MAX_LINES} lines")
    invoice.lines.clear()
    session.flush()
    scope = TaxScope.SALE if invoice.kind.is_sale else TaxScope.PURCHASE
    settings = settings_of(session, company)
    default_account = settings.income_id if invoice.kind.is_sale else settings.expense_id
    for position, given in enumerate(lines, start=1):
        invoice.lines.append(_line(session, company, invoice, position, given, scope, default_account))
    session.flush()
    return compute_totals(session, company, invoice)


def _line(session: Session, company: Company, invoice: Invoice, position: int, given: LineInput,
          scope: TaxScope, default_account: int) -> InvoiceLine:
    where = f"line {position}"
    description = given.description.strip()
    product = get_product(session, company, given.product) if given.product else None
    if not description:
        description = product.name if product else ""
    if not description:
        raise Invalid(f"{where}: a line needs a description or a product")
    quantity = fixed(given.quantity, QUANTITY_SCALE, f"{where}: quantity")
    if quantity == 0:
        raise Invalid(f"{where}: the quantity must not be zero")
    account_id = find_account(session, company, given.account).id if given.account else default_account
    codes = given.taxes if given.taxes is not None else (DEFAULT_TAX[scope.value],)
    taxes = []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        tax = _tax(session, company, code)
        if tax.scope != scope:
            raise Invalid(f"{where}: tax {tax.code} is for {tax.scope.value}s, not for this document")
        taxes.append(LineTax(company_id=company.id, tax=tax))
    return InvoiceLine(company_id=company.id, position=position, product_id=product.id if product else None,
                       description=description[:500], account_id=account_id, quantity=quantity,
                       unit_price=fixed(given.unit_price, PRICE_SCALE, f"{where}: unit price"),
                       discount=percent(given.discount, f"{where}: discount"), taxes=taxes)


def _tax(session: Session, company: Company, code: str) -> Tax:
    tax = find_tax(session, company, code)
    if not tax.active:
        raise Invalid(f"tax {tax.code} is no longer in use")
    return tax


def compute_totals(session: Session, company: Company, invoice: Invoice) -> Invoice:
    """Compute every line's net and taxes through the ``compute_taxes`` hook, then the totals."""
    scale = scale_of(invoice.currency)
    taxable = []
    with localcontext() as ctx:
        ctx.prec = 60
        for line in invoice.lines:
            gross = unfixed(line.quantity, QUANTITY_SCALE) * unfixed(line.unit_price, PRICE_SCALE)
            amount = gross * (1 - unfixed(line.discount, PERCENT_SCALE) / _HUNDRED)
            taxable.append(TaxableLine(amount, tuple(
                TaxRate(lt.tax.code, unfixed(lt.tax.rate_units, PERCENT_SCALE), lt.tax.included)
                for lt in line.taxes)))
    hooks = plugins_of(session).for_company(session, company)
    result = hooks.compute_taxes(company=company, currency=(invoice.currency, scale), lines=tuple(taxable))
    _check(result, taxable, scale)
    for line, computed in zip(invoice.lines, result.lines):
        line.net_units = money_units(computed.net, scale)
        for line_tax, amount in zip(line.taxes, computed.taxes):
            line_tax.amount_units = money_units(amount, scale)
        line.tax_units = sum(lt.amount_units for lt in line.taxes)
    untaxed = sum(line.net_units for line in invoice.lines)
    tax = sum(line.tax_units for line in invoice.lines)
    rounding = money_units(result.rounding, scale) + _cash_rounding(session, company, untaxed + tax
                                                                   + money_units(result.rounding, scale))
    invoice.untaxed_units, invoice.tax_units, invoice.rounding_units = untaxed, tax, rounding
    invoice.total_units = untaxed + tax + rounding  # residual_units is set when it is posted
    session.flush()
    return invoice


def _check(result: Optional[TaxResult], taxable: list, scale: int) -> None:
    """A tax method (perhaps another plugin's) must answer for every line, at the currency's scale."""
    if not isinstance(result, TaxResult) or len(result.lines) != len(taxable):
        raise Invalid("the tax computation did not answer for every line")
    amounts = [result.rounding] + [a for line in result.lines for a in (line.net, *line.taxes)]
    if any(round_money(a, scale) != a for a in amounts):
        raise Invalid(f"the tax computation returned amounts finer than {scale} decimal places")
    if any(len(line.taxes) != len(given.taxes) for line, given in zip(result.lines, taxable)):
        raise Invalid("the tax computation did not answer for every tax of a line")


def _cash_rounding(session: Session, company: Company, total: int) -> int:
    """What brings ``total`` to the company's cash-rounding step (half up), in smallest units."""
    step = settings_of(session, company).cash_rounding
    if step <= 1:
        return 0
    rounded = (abs(total) + step // 2) // step * step * (1 if total >= 0 else -1)
    return rounded - total


def _draft(invoice: Invoice) -> None:
    if invoice.state != InvoiceState.DRAFT:
        raise Conflict(f"{invoice.number or invoice.id} is posted: correct it with a credit note")


def delete_draft(session: Session, company: Company, invoice: Invoice) -> None:
    _draft(invoice)
    session.delete(invoice)
    session.flush()


def find_invoice(session: Session, company: Company, ref: str | int) -> Invoice:
    """An invoice by its number (``INV/2026/00001``) or, for drafts, its id."""
    text = str(ref).strip()
    query = select(Invoice).where(Invoice.company_id == company.id)
    found = session.scalar(query.where(Invoice.number == text))
    if found is None and as_id(text) is not None:
        found = session.scalar(query.where(Invoice.id == as_id(text)))
    if found is None:
        raise NotFound(f"unknown invoice {text!r} in company {company.code}")
    return found


def open_documents(session: Session, company: Company, party: Party, kinds: Iterable[InvoiceKind],
                   currency: str) -> list[Invoice]:
    """Posted documents of ``party`` with something left to settle, oldest due first."""
    return list(session.scalars(select(Invoice).where(
        Invoice.company_id == company.id, Invoice.party_id == party.id, Invoice.state == InvoiceState.POSTED,
        Invoice.kind.in_(list(kinds)), Invoice.currency == currency, Invoice.residual_units > 0)
        .order_by(Invoice.due_date, Invoice.id)))

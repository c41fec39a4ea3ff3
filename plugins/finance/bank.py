"""Bank statements: reading a bank's CSV export into statement lines.

A statement belongs to a bank or cash journal; each line is money in
(positive) or out (negative) of that journal's account on a date, with the
bank's reference and counterparty text. Lines start open; matching them
(:mod:`plugins.finance.bank_matching`) links each to the payment that
accounts for it.

An import is all or nothing: one bad row refuses the file, naming its line,
and nothing is written. A line the journal holds already (the same date,
amount, currency, reference and counterparty) is a duplicate: the same
export imported twice is refused, or, when asked, only its new lines are
kept. Counting is per occurrence, so two genuinely identical payments on one
day stay two lines: a file is a duplicate only beyond what the journal
already holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Optional, Union

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.currencies import CURRENCIES
from core.errors import Conflict, Invalid, JangbuError, LockedPeriod, NotFound
from core.models import Company
from core.values import MAX_UNITS, as_id, from_units, parse_amount, parse_date
from plugins.finance.company_setup import find_journal
from plugins.finance.journals import check_open
from plugins.finance.models import BankLine, BankLineState, BankStatement, Journal, JournalKind
from plugins.finance.values import fixed, scale_of

__all__ = [
    "FIELDS",
    "MAX_LINES",
    "ImportResult",
    "import_statement",
    "find_statement",
    "find_line",
    "list_lines",
    "list_statements",
    "line_data",
    "statement_data",
]

# What a statement line is read from. ``amount`` is signed (positive: money
# in); a bank that exports two unsigned columns gives ``debit`` (money out,
# a withdrawal) and ``credit`` (money in, a deposit) instead.
FIELDS = ("date", "amount", "debit", "credit", "reference", "counterparty", "currency")
# Header names tried when no mapping names a field's header.
_DEFAULT_HEADERS = {"date": ("date",), "amount": ("amount",), "debit": ("debit", "withdrawal"),
                    "credit": ("credit", "deposit"), "reference": ("reference",),
                    "counterparty": ("counterparty",), "currency": ("currency",)}
MAX_LINES = 50_000
_TEXT_LENGTH = 200  # the width of BankLine.reference and .counterparty

Rows = Union[str, bytes, Iterable[Mapping[str, object]]]


@attrs.frozen
class ImportResult:
    """The statement written, and the line numbers skipped as duplicates (only with ``skip_duplicates``)."""

    statement: BankStatement
    skipped: tuple[int, ...] = ()


@attrs.frozen
class _Row:
    number: int
    where: str  # "line 7" (CSV text) or "row 6" (mappings): how a message names it
    date: dt.date
    amount_units: int
    currency: str
    reference: str
    counterparty: str

    @property
    def key(self) -> tuple:
        return (self.date, self.amount_units, self.currency, self.reference, self.counterparty)


def import_statement(session: Session, company: Company, journal_code: str, text_or_rows: Rows, *, name: str,
                     columns: Optional[Mapping[str, Optional[str]]] = None, currency: Optional[str] = None,
                     delimiter: str = ",", skip_duplicates: bool = False) -> ImportResult:
    """Read a bank's export into a new statement of bank or cash journal ``journal_code``.

    :param text_or_rows: CSV text (a header row, then one row per line; a
        BOM is fine) or mappings from header names to values.
    :param columns: field -> header name, for headers other than the field
        names (``{"date": "Booked", "amount": "Amount KRW"}``); ``None`` as
        the header says the export has no such column (reference,
        counterparty and currency only). Give ``debit`` and ``credit``
        instead of ``amount`` for a bank that exports withdrawals and
        deposits in two columns.
    :param currency: the lines' currency where the export has no currency
        column (default: the company's).
    :param skip_duplicates: keep only the lines the journal does not hold
        yet, instead of refusing the file.
    :raises Invalid: a bad row (its line number and the problem), an empty
        file, a missing column; nothing is written.
    :raises Conflict: lines imported already (without ``skip_duplicates``).
    :raises LockedPeriod: a line dated inside a closed period.
    """
    label = name.strip()
    if not label:
        raise Invalid("a statement needs a name")
    journal = find_journal(session, company, journal_code)
    if journal.kind not in (JournalKind.BANK, JournalKind.CASH) or journal.account_id is None:
        raise Invalid(f"journal {journal.code} is not a bank or cash journal")
    default_currency = _currency(currency or company.currency)
    rows = _read(text_or_rows, columns or {}, default_currency, delimiter)
    # Imports of one journal run one at a time, so two imports of the same
    # file cannot both find the other's lines missing.
    session.execute(select(Journal.id).where(Journal.id == journal.id).with_for_update())
    fresh, skipped = _without_duplicates(session, journal, rows)
    if skipped and not skip_duplicates:
        shown = ", ".join(f"{row.where} (statement {held_in!r})" for row, held_in in skipped[:3])
        more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        raise Conflict(
            f"{len(skipped)} of {len(rows)} lines are in journal {journal.code} already: {shown}{more}; "
            "nothing imported (skip the duplicates explicitly to import only the new lines)"
        )
    if not fresh:
        raise Conflict(f"every line is in journal {journal.code} already; nothing imported")
    checked = set()
    for row in fresh:  # a skipped duplicate may lie in a period closed since its first import
        if row.date not in checked:  # a statement has many lines but few dates
            try:
                check_open(session, company, row.date, "a statement line")
            except LockedPeriod as exc:
                raise LockedPeriod(f"{row.where}: {exc}") from None
            checked.add(row.date)
    statement = BankStatement(company_id=company.id, journal_id=journal.id, name=label[:200])
    session.add(statement)
    session.flush()
    for row in fresh:
        session.add(BankLine(company_id=company.id, statement_id=statement.id, date=row.date,
                             amount_units=row.amount_units, currency=row.currency, reference=row.reference,
                             counterparty=row.counterparty, state=BankLineState.OPEN))
    session.flush()
    session.refresh(statement)
    return ImportResult(statement, tuple(row.number for row, _ in skipped))


def _currency(code: str) -> str:
    code = code.strip().upper()
    if code not in CURRENCIES:
        raise Invalid(f"unknown currency {code!r}")
    return code


def _without_duplicates(session: Session, journal: Journal, rows: list[_Row]) -> tuple[list[_Row], list]:
    """The rows the journal does not hold yet, and the others with the statement that holds each."""
    dates = {row.date for row in rows}
    held: Counter = Counter()
    where_held: dict[tuple, str] = {}
    for line, statement_name in session.execute(
        select(BankLine, BankStatement.name)
        .join(BankStatement, BankStatement.id == BankLine.statement_id)
        .where(BankStatement.journal_id == journal.id, BankLine.date.in_(dates))
    ):
        key = (line.date, line.amount_units, line.currency, line.reference, line.counterparty)
        held[key] += 1
        where_held.setdefault(key, statement_name)
    fresh, skipped = [], []
    for row in rows:
        if held[row.key] > 0:
            held[row.key] -= 1
            skipped.append((row, where_held[row.key]))
        else:
            fresh.append(row)
    return fresh, skipped


# -- reading the file --------------------------------------------------------------

def _read(source: Rows, columns: Mapping[str, Optional[str]], currency: str, delimiter: str) -> list[_Row]:
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise Invalid(f"unknown column field(s) {', '.join(unknown)} (fields: {', '.join(FIELDS)})")
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid("the file is not UTF-8 text") from None
    if isinstance(source, str):
        records, label = _csv_records(source, delimiter), "line"
    else:
        records, label = _mapping_records(source), "row"
    try:
        header, numbered = next(records)
    except StopIteration:
        raise Invalid("the file is empty: expected a header row "
                      "(date,amount,reference,counterparty[,currency])") from None
    positions = _positions(header, columns)
    rows = []
    for number, values in numbered:
        where = f"{label} {number}"
        if len(rows) >= MAX_LINES:
            raise Invalid(f"{where}: a statement has at most {MAX_LINES} lines")
        try:
            if len(values) != len(header):
                raise Invalid(f"{len(values)} fields, the header has {len(header)}"
                              + (" (an amount with a thousands separator must be quoted: \"1,200\")"
                                 if len(values) > len(header) else ""))
            rows.append(_row(number, where, values, positions, currency))
        except JangbuError as exc:
            raise Invalid(f"{where}: {exc}") from None
    if not rows:
        raise Invalid("the file has a header but no lines")
    return rows


def _csv_records(text: str, delimiter: str):
    """The header, then ``(line number, values)`` per non-blank record."""
    if len(delimiter) != 1:
        raise Invalid(f"the delimiter must be one character, not {delimiter!r}")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    try:
        header = next(r for r in reader if any(c.strip() for c in r))
    except StopIteration:
        return
    except csv.Error as exc:
        raise Invalid(f"line {reader.line_num}: malformed CSV: {exc}") from None

    def body():
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise Invalid(f"line {reader.line_num}: malformed CSV: {exc}") from None
            if any(v.strip() for v in values):  # blank lines (a trailing newline) are no lines
                yield reader.line_num, values

    yield header, body()


def _mapping_records(rows: Iterable[Mapping[str, object]]):
    """Mappings as records: their first one's keys are the header."""
    iterator = iter(rows)
    try:
        first = next(iterator)
    except StopIteration:
        return
    header = [str(key) for key in first]

    def body():
        for number, mapping in enumerate([first, *iterator], start=1):
            if not isinstance(mapping, Mapping):
                raise Invalid(f"row {number}: not a mapping of column names to values")
            extra = [str(k) for k in mapping if str(k) not in header]
            if extra:
                raise Invalid(f"row {number}: column(s) {', '.join(extra)} not in the first row")
            if any(isinstance(v, float) for v in mapping.values()):
                raise Invalid(f"row {number}: a value is a float; give amounts as text or Decimal")
            yield number, ["" if mapping.get(h) is None else str(mapping.get(h)) for h in header]

    yield header, body()


def _positions(header: list[str], columns: Mapping[str, Optional[str]]) -> dict[str, int]:
    """Field -> index in each record, from the header and the mapping."""
    names = [h.strip().casefold() for h in header]
    doubled = sorted({h for h in names if h and names.count(h) > 1})
    if doubled:
        raise Invalid(f"the header names column(s) {', '.join(doubled)} more than once")
    named = {f: str(h).strip() for f, h in columns.items() if h is not None and str(h).strip()}
    absent = {f for f in columns if f not in named}
    refused = sorted(absent - {"reference", "counterparty", "currency"})
    if refused:
        raise Invalid(f"column(s) {', '.join(refused)} cannot be absent")
    if "amount" in named and ("debit" in named or "credit" in named):
        raise Invalid("give either an amount column or debit and credit columns, not both")
    # Which way the amount is read: as the mapping says, else a signed amount where the header has one.
    split = "debit" in named or "credit" in named or ("amount" not in named and "amount" not in names)
    wanted = ["date", "debit", "credit"] if split else ["date", "amount"]
    wanted += [f for f in ("reference", "counterparty", "currency") if f not in absent]
    positions: dict[str, int] = {}
    missing = []
    for field in wanted:
        candidates = (named[field],) if field in named else _DEFAULT_HEADERS[field]
        found = next((names.index(h.casefold()) for h in candidates if h.casefold() in names), None)
        if found is not None:
            positions[field] = found
        elif field != "currency":  # the only optional column: the statement's currency stands in
            missing.append(f"{field} ({named[field]!r})" if field in named else field)
    if missing:
        raise Invalid(
            f"missing column(s) {', '.join(missing)}; the header has: {', '.join(header) or 'nothing'} "
            "(expected date,amount,reference,counterparty[,currency], or debit and credit instead of "
            "amount; map other names, or say the reference or counterparty column is absent)"
        )
    return positions


def _row(number: int, where: str, values: list[str], positions: dict[str, int], currency: str) -> _Row:
    def value(field: str) -> str:
        return values[positions[field]].strip() if field in positions else ""

    date_text = value("date")
    if not date_text:
        raise Invalid("the date is empty")
    date = parse_date(date_text)
    code = _currency(value("currency") or currency)
    scale = scale_of(code)
    if "amount" in positions:
        units = _units(value("amount"), scale, "amount")
    else:
        units = _split_units(value("debit"), value("credit"), scale)
    if units == 0:
        raise Invalid("the amount is zero")
    if abs(units) > MAX_UNITS:
        raise Invalid(f"the amount {from_units(units, scale)} is too large")
    return _Row(number, where, date, units, code, " ".join(value("reference").split())[:_TEXT_LENGTH],
                " ".join(value("counterparty").split())[:_TEXT_LENGTH])


def _units(text: str, scale: int, what: str) -> int:
    if not text:
        raise Invalid(f"the {what} is empty")
    return fixed(parse_amount(text), scale, what)


def _split_units(debit: str, credit: str, scale: int) -> int:
    """Money in minus money out; exactly one of the two columns carries the line."""
    out = _units(debit, scale, "debit") if debit else 0
    into = _units(credit, scale, "credit") if credit else 0
    if out < 0 or into < 0:
        raise Invalid("debit and credit must not be negative (debit is money out, credit money in)")
    if out and into:
        raise Invalid("both debit and credit are given; a line is one or the other")
    if not out and not into:
        raise Invalid("neither debit nor credit is given")
    return into - out


# -- reading the statements back -----------------------------------------------------

def find_statement(session: Session, company: Company, statement_id: int | str) -> BankStatement:
    """A statement of ``company`` by its id."""
    number = as_id(statement_id)
    found = None if number is None else session.get(BankStatement, number)
    if found is None or found.company_id != company.id:
        raise NotFound(f"unknown bank statement {statement_id!r} in company {company.code}")
    return found


def find_line(session: Session, company: Company, line_id: int | str) -> BankLine:
    """A statement line of ``company`` by its id."""
    number = as_id(line_id)
    found = None if number is None else session.get(BankLine, number)
    if found is None or found.company_id != company.id:
        raise NotFound(f"unknown bank statement line {line_id!r} in company {company.code}")
    return found


def list_statements(session: Session, company: Company) -> list[BankStatement]:
    """Every statement of ``company``, newest first."""
    return list(session.scalars(select(BankStatement).where(BankStatement.company_id == company.id)
                                .order_by(BankStatement.id.desc())))


def list_lines(session: Session, company: Company, *, statement: Optional[BankStatement] = None,
               only_open: bool = False) -> list[BankLine]:
    """Statement lines in date order, of one statement or all, perhaps only the open ones."""
    query = select(BankLine).where(BankLine.company_id == company.id)
    if statement is not None:
        query = query.where(BankLine.statement_id == statement.id)
    if only_open:
        query = query.where(BankLine.state == BankLineState.OPEN)
    return list(session.scalars(query.order_by(BankLine.date, BankLine.id)))


def line_data(session: Session, line: BankLine) -> dict:
    """A line as a plain record (amount a Decimal, positive: money in)."""
    from plugins.finance.documents import Payment

    payment = session.get(Payment, line.payment_id) if line.payment_id else None
    return {"id": line.id, "statement_id": line.statement_id, "statement": line.statement.name,
            "journal": line.statement.journal.code, "date": line.date,
            "amount": from_units(line.amount_units, scale_of(line.currency)), "currency": line.currency,
            "reference": line.reference, "counterparty": line.counterparty, "state": line.state,
            "payment": payment.number if payment else None}


def statement_data(session: Session, statement: BankStatement) -> dict:
    """A statement with its lines and how many are still open."""
    lines = [line_data(session, line) for line in statement.lines]
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line["currency"]] = totals.get(line["currency"], Decimal(0)) + line["amount"]
    return {"id": statement.id, "name": statement.name, "journal": statement.journal.code,
            "imported_at": statement.imported_at, "lines": lines,
            "open": sum(1 for line in lines if line["state"] == BankLineState.OPEN), "totals": totals}

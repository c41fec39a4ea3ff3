"""Reading ledger transactions from CSV (``jangbu ledger import``).

Columns ``txn,date,account,amount`` and optionally ``commodity`` and
``memo``. Consecutive lines sharing a ``txn`` form one transaction and
``txn`` becomes its idempotency key. A transaction's lines must be
together: the file is read as a stream (a million transactions never sit in
memory), and a key that comes back later is refused by the import, naming
its line. Every problem names its line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from core.errors import Invalid, JangbuError
from core.ledger.posting import Draft, Leg
from core.values import parse_amount, parse_date

__all__ = ["DraftReader", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("txn", "date", "account", "amount")


class DraftReader:
    """The transactions of a CSV file, one at a time, each with where it
    starts (``"opening.csv line 12: transaction T7"``). ``lines`` says how far
    the reading got, for a progress bar over ``count_lines()``."""

    def __init__(self, path: Path):
        self.path = path
        self.lines = 0

    def count_lines(self) -> int:
        """Physical lines in the file (cheap: no CSV parsing)."""
        with self.path.open("rb") as handle:
            return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))

    def __iter__(self) -> Iterator[tuple[str, Draft]]:
        name = self.path.name
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                columns = _columns(name, next(reader, []))
                group = None
                for row in reader:
                    line = reader.line_num
                    try:
                        key, date, leg, memo = _parse(row, columns)
                        if group is not None and key == group[0]:
                            if group[1] != date:
                                raise Invalid(f"transaction {key!r} has two dates ({group[1]} and {date})")
                            group[2].append(leg)
                            group[3] = group[3] or memo
                            continue
                    except JangbuError as exc:
                        raise Invalid(f"{name} line {line}: {exc}") from None
                    if group is not None:
                        yield _draft(group)
                    group = [key, date, [leg], memo, f"{name} line {line}: transaction {key}"]
                    self.lines = line - 1
                if group is None:
                    raise Invalid(f"{name}: no transactions")
                yield _draft(group)
                self.lines = reader.line_num
        except UnicodeDecodeError:
            raise Invalid(f"{name}: not UTF-8 text") from None
        except csv.Error as exc:
            raise Invalid(f"{name}: malformed CSV: {exc}") from None


def _columns(name: str, header: list[str]) -> tuple[int, ...]:
    """Where txn, date, account, amount, commodity and memo are (-1: absent)."""
    header = [column.strip() for column in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise Invalid(f"{name}: missing column(s) {', '.join(missing)}; "
                      f"expected {','.join(REQUIRED_COLUMNS)}[,commodity][,memo]")
    return tuple(header.index(c) if c in header else -1 for c in (*REQUIRED_COLUMNS, "commodity", "memo"))


def _draft(group: list) -> tuple[str, Draft]:
    key, date, legs, memo, where = group
    return where, Draft(date, legs, memo, key)


def _parse(row: list[str], columns: tuple[int, ...]) -> tuple[str, object, Leg, str]:
    txn, date, account, amount, commodity, memo = (row[i] if 0 <= i < len(row) else "" for i in columns)
    key, account = txn.strip(), account.strip()
    if not key or not account:
        raise Invalid("txn and account must not be empty")
    return key, parse_date(date), Leg(account, parse_amount(amount), commodity.strip() or None), memo.strip()

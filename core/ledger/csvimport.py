"""Reading ledger transactions from CSV (``jangbu ledger import``).

Columns ``txn,date,account,amount`` and optionally ``commodity`` and
``memo``. Lines sharing a ``txn`` form one transaction and ``txn`` becomes
its idempotency key. Every problem names its line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from core.errors import Invalid, JangbuError
from core.ledger.posting import Draft, Leg
from core.values import parse_amount, parse_date

__all__ = ["read_drafts", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("txn", "date", "account", "amount")


def read_drafts(path: Path) -> list[Draft]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise Invalid(f"{path.name}: missing column(s) {', '.join(missing)}; "
                              f"expected {','.join(REQUIRED_COLUMNS)}[,commodity][,memo]")
            groups: dict[str, dict] = {}
            for line, row in enumerate(reader, start=2):
                try:
                    _add(groups, row)
                except JangbuError as exc:
                    raise Invalid(f"{path.name} line {line}: {exc}") from None
    except UnicodeDecodeError:
        raise Invalid(f"{path.name}: not UTF-8 text") from None
    except csv.Error as exc:
        raise Invalid(f"{path.name}: malformed CSV: {exc}") from None
    if not groups:
        raise Invalid(f"{path.name}: no transactions")
    return [Draft(g["date"], g["legs"], g["memo"], key) for key, g in groups.items()]


def _add(groups: dict[str, dict], row: dict) -> None:
    key = (row.get("txn") or "").strip()
    account = (row.get("account") or "").strip()
    if not key or not account:
        raise Invalid("txn and account must not be empty")
    date = parse_date(row.get("date") or "")
    amount = parse_amount(row.get("amount") or "")
    commodity = (row.get("commodity") or "").strip() or None
    group = groups.setdefault(key, {"date": date, "legs": [], "memo": ""})
    if group["date"] != date:
        raise Invalid(f"transaction {key!r} has two dates ({group['date']} and {date})")
    group["legs"].append(Leg(account, amount, commodity))
    group["memo"] = group["memo"] or (row.get("memo") or "").strip()

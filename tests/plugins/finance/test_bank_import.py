"""Bank statements: importing a bank's CSV export (all or nothing, no line twice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import Conflict, Invalid, LockedPeriod
from plugins.finance.bank import import_statement
from plugins.finance.closing import close_period
from plugins.finance.journals import ensure_fiscal_year
from plugins.finance.models import BankLine, BankLineState, BankStatement
from tests.plugins.finance.bank_helpers import HEADER, import_text, rows

# -- import ---------------------------------------------------------------------------

def test_an_export_is_read_exactly(books):
    db, company = books
    text = ("\ufeffDate, Amount ,Reference,Counterparty,Currency\n"
            '2026-03-02,"1,200",INV/2026/00001,  Hanbit   Retail ,\n'
            "\n"
            "2026-03-03,-550,Paper March,Namsan Paper Mill,KRW\n"
            '2026-03-04,12.50,"wire, ref 9",Globex,usd\n')
    statement_id, line_ids, skipped = import_text(db, company, text)
    assert skipped == ()
    with db.session() as s:
        statement = s.get(BankStatement, statement_id)
        assert statement.name == "march.csv" and statement.journal.code == "BANK"
        got = [
            (l.date, l.amount_units, l.currency, l.reference, l.counterparty, l.state)
            for l in statement.lines
        ]
    assert got == [
        (dt.date(2026, 3, 2), 1200, "KRW", "INV/2026/00001", "Hanbit Retail", BankLineState.OPEN),
        (dt.date(2026, 3, 3), -550, "KRW", "Paper March", "Namsan Paper Mill", BankLineState.OPEN),
        (dt.date(2026, 3, 4), 1250, "USD", "wire, ref 9", "Globex", BankLineState.OPEN)]


def test_a_bank_with_withdrawal_and_deposit_columns_and_its_own_header_names(books):
    db, company = books
    text = ("Booked;Withdrawal;Deposit;Memo;Payee;Balance\n"
            "2026-03-02;;1,200;INV 1;Hanbit;5,000\n"
            "2026-03-03;300;0;fee;Bank;4,700\n")
    columns = {"date": "booked", "reference": "Memo", "counterparty": "PAYEE"}
    _, line_ids, _ = import_text(db, company, text, columns=columns, delimiter=";")
    with db.session() as s:
        assert [s.get(BankLine, i).amount_units for i in line_ids] == [1200, -300]
    with pytest.raises(Invalid, match="line 2: both debit and credit"):
        import_text(db, company, "date,debit,credit,reference,counterparty\n2026-03-05,1,2,x,y\n")
    with pytest.raises(Invalid, match="line 2: debit and credit must not be negative"):
        import_text(db, company, "date,debit,credit,reference,counterparty\n2026-03-05,-1,,x,y\n")
    with pytest.raises(Invalid, match="either an amount column or debit and credit"):
        import_text(db, company, text, columns={"amount": "Deposit", "debit": "Withdrawal"}, delimiter=";")


def test_an_export_without_a_counterparty_column_says_so(books):
    db, company = books
    text = "date,amount,reference\n2026-03-02,100,x\n"
    with pytest.raises(Invalid, match="missing column.*counterparty"):
        import_text(db, company, text)
    _, line_ids, _ = import_text(db, company, text, columns={"counterparty": None})
    with db.session() as s:
        assert s.get(BankLine, line_ids[0]).counterparty == ""


def test_rows_as_mappings_are_read_too_but_never_floats(books):
    db, company = books
    given = [{"date": dt.date(2026, 3, 2), "amount": Decimal("700"), "reference": "r", "counterparty": "c"}]
    _, line_ids, _ = import_text(db, company, given)
    with db.session() as s:
        assert s.get(BankLine, line_ids[0]).amount_units == 700
    with pytest.raises(Invalid, match="row 1: a value is a float"):
        import_text(db, company, [{"date": "2026-03-03", "amount": 1.5, "reference": "", "counterparty": ""}])


BAD = [
    (HEADER + "2026-03-02,100,a,b\n2026-02-30,100,a,b\n", r"line 3: malformed date '2026-02-30'"),
    (HEADER + "2026-03-02,100,a,b\n03/04/2026,100,a,b\n", r"line 3: malformed date '03/04/2026'"),
    (HEADER + "2026-03-02,12a,a,b\n", r"line 2: malformed amount '12a'"),
    (HEADER + '2026-03-02,"1,20",a,b\n', r"line 2: malformed amount '1,20'"),
    (HEADER + "2026-03-02,100.5,a,b\n", r"line 2: amount 100.5 has more than 0 decimal places"),
    (
        "date,amount,reference,counterparty,currency\n2026-03-02,1.005,a,b,USD\n",
        r"line 2: amount 1.005 has more than 2 decimal places",
    ),
    (HEADER + "2026-03-02,,a,b\n", r"line 2: the amount is empty"),
    (HEADER + "2026-03-02,0,a,b\n", r"line 2: the amount is zero"),
    (HEADER + ",100,a,b\n", r"line 2: the date is empty"),
    (HEADER + "2026-03-02,1,200,a,b\n", r"line 2: 5 fields, the header has 4 \(an amount with a thousands"),
    (HEADER + "2026-03-02,100,a\n", r"line 2: 3 fields, the header has 4"),
    (
        "date,amount,reference,counterparty,currency\n2026-03-02,100,a,b,XYZ\n",
        r"line 2: unknown currency 'XYZ'",
    ),
    (HEADER + "2026-03-02,99999999999999999,a,b\n", r"line 2: .*too large"),
    ("date,reference,counterparty\n2026-03-02,a,b\n", r"missing column\(s\) debit, credit"),
    ("date,amount,counterparty\n2026-03-02,5,b\n", r"missing column\(s\) reference"),
    ("", r"the file is empty"),
    ("\ufeff\n\n", r"the file is empty"),
    (HEADER, r"header but no lines"),
    ("date,amount,Date,reference,counterparty\n", r"more than once"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_a_bad_row_refuses_the_whole_file_and_names_its_line(books, text, message):
    db, company = books
    import_text(db, company, HEADER + "2026-03-01,1,kept,x\n", name="earlier")
    with db.session() as s:
        before = rows(s)
    with pytest.raises(Invalid, match=message):
        import_text(db, company, text)
    with db.session() as s:
        assert rows(s) == before


def test_only_a_bank_or_cash_journal_takes_a_statement(books):
    db, company = books
    with db.session() as s:
        import_statement(s, company, "CASH", HEADER + "2026-03-02,100,a,b\n", name="till")
        with pytest.raises(Invalid, match="journal INV is not a bank or cash journal"):
            import_statement(s, company, "INV", HEADER + "2026-03-02,100,a,b\n", name="x")


def test_a_line_in_a_closed_period_refuses_the_file(books):
    db, company = books
    import_text(db, company, HEADER + "2026-02-26,100,a,b\n", name="february")
    with db.session() as s:
        ensure_fiscal_year(s, company, dt.date(2026, 1, 1))
        close_period(s, company, "2026-01")
        close_period(s, company, "2026-02")
    with pytest.raises(LockedPeriod, match="line 3: .*2026-02-27.*closed"):
        import_text(db, company, HEADER + "2026-03-02,100,a,b\n2026-02-27,100,a,b\n")
    with db.session() as s:
        assert rows(s) == (1, 1)
    # A line imported before the close is a duplicate to skip, not a line to refuse.
    _, line_ids, skipped = import_text(db, company, HEADER + "2026-02-26,100,a,b\n2026-03-02,100,a,b\n",
                                       skip_duplicates=True)
    assert skipped == (2,) and len(line_ids) == 1


def test_the_same_statement_twice_is_refused_unless_duplicates_are_skipped(books):
    db, company = books
    text = HEADER + "2026-03-02,100,a,b\n2026-03-02,100,a,b\n2026-03-03,-40,fee,bank\n"
    import_text(db, company, text)  # two identical lines in one file: two payments
    with pytest.raises(
        Conflict, match=r"3 of 3 lines are in journal BANK already: line 2 \(statement 'march.csv'\)"
    ):
        import_text(db, company, text, name="again")
    with db.session() as s:
        assert rows(s) == (1, 3)
    # The next export overlaps: one more identical 100, and a new line.
    more = text + "2026-03-02,100,a,b\n2026-03-04,300,new,c\n"
    with pytest.raises(Conflict, match="3 of 5 lines"):
        import_text(db, company, more, name="april")
    _, line_ids, skipped = import_text(db, company, more, name="april", skip_duplicates=True)
    assert skipped == (2, 3, 4) and len(line_ids) == 2
    with pytest.raises(Conflict, match="every line is in journal BANK already"):
        import_text(db, company, more, name="once more", skip_duplicates=True)
    with db.session() as s:  # the same lines in another journal are no duplicates
        import_statement(s, company, "CASH", text, name="till")
        assert rows(s) == (3, 8)

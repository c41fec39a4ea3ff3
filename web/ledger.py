"""Ledger pages: the chart of accounts down to single postings, transactions
with their reversal, a journal entry form and the trial balance.

Every page reads through ``core.ledger``; posting and reversing go through
the same services as ``jangbu ledger post|reverse``.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, FieldList, Form, FormField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.validators import Optional as Blank

from core import ledger as books
from core.errors import JangbuError
from core.ledger import Account, Leg, Transaction
from core.ledger.browse import (
    TransactionLine,
    account_commodities,
    chart_of_accounts,
    debit_totals,
    postings_of,
    running_balance,
)
from core.values import parse_amount, parse_date
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, DATE, NUMBER, Column, csv_response, detail_page, jsonable, list_page

__all__ = ["blueprint"]

MAX_LINES = 200
blueprint = Blueprint("ledger", __name__, url_prefix="/c/<company>/ledger")


def _transaction_url(row) -> str:
    return url_for("ledger.transaction", transaction_id=row.transaction_id)


@blueprint.get("/")
@permission("ledger.view")
def index():
    return redirect(url_for("ledger.accounts"))


@blueprint.get("/accounts")
@permission("ledger.view")
def accounts():
    lines = chart_of_accounts(db_session(), g.company)
    records = [{"code": a.code, "name": a.name, "type": a.type, "parent": a.parent, "depth": a.depth,
                "balances": {code: jsonable(amount) for code, amount in a.balances}} for a in lines]
    return detail_page("ledger/accounts.html", {"accounts": records}, lines=lines)


@blueprint.get("/accounts/<path:code>")
@permission("ledger.view")
def account(code: str):
    session = db_session()
    acct = books.find_account(session, g.company, code)
    held = account_commodities(session, acct)
    wanted = request.args.get("commodity") or (g.company.currency if any(
        c.code == g.company.currency for c in held) or not held else held[0].code)
    commodity = next((c for c in held if c.code == wanted), None)
    if commodity is None:
        commodity = books.find_commodity(session, g.company, wanted, create=False)
    is_money = commodity.kind == books.CommodityKind.CURRENCY
    columns = [
        Column("date", _l("Date"), kind=DATE),
        Column("transaction_id", _l("Transaction"), link=_transaction_url),
        Column("memo", _l("Memo")),
        Column(
            "amount", _l("Amount"), kind=AMOUNT if is_money else NUMBER, currency=lambda r: commodity.code
        ),
        Column(
            "balance", _l("Balance"), kind=AMOUNT if is_money else NUMBER, currency=lambda r: commodity.code
        ),
    ]
    return list_page(
        postings_of(acct, commodity),
        columns,
        title=f"{acct.code} · {acct.name}",
        default_sort=None,
        decorate=running_balance(session, acct, commodity),
        filename=f"account-{acct.code}",
        template="ledger/account.html",
        account=acct,
        commodity=commodity,
        held=held,
    )


def _with_totals(rows: list, _offset: int) -> list[TransactionLine]:
    """Each row with its total debit in the company currency (one query per page)."""
    totals = debit_totals(db_session(), g.company, [row.id for row in rows])
    return [TransactionLine(row.id, row.date, row.memo, row.origin, row.reverses_id, totals[row.id])
            for row in rows]


@blueprint.get("/transactions")
@permission("ledger.view")
def transactions():
    query = select(Transaction.id, Transaction.date, Transaction.memo, Transaction.origin,
                   Transaction.reverses_id).where(Transaction.company_id == g.company.id)
    columns = [
        Column("id", _l("No."), Transaction.id, link=_transaction_url, get=lambda r: r.id),
        Column("date", _l("Date"), Transaction.date, kind=DATE),
        Column("memo", _l("Memo"), Transaction.memo, searchable=True),
        Column("origin", _l("Origin"), Transaction.origin, searchable=True),
        Column("total", _l("Amount"), kind=AMOUNT),
    ]
    return list_page(query, columns, title=_("Transactions"), default_sort="-date", tiebreak=[Transaction.id],
                     decorate=_with_totals, filename="transactions",
                     actions=[(_("Post a transaction"), url_for("ledger.post"))])


@blueprint.get("/transactions/<int:transaction_id>")
@permission("ledger.view")
def transaction(transaction_id: int):
    posted = books.load(db_session(), g.company, transaction_id)
    names = dict(db_session().execute(select(Account.code, Account.name).where(
        Account.company_id == g.company.id, Account.code.in_({leg.account for leg in posted.legs}))).all())
    record = {
        "id": posted.id,
        "date": posted.date,
        "memo": posted.memo,
        "key": posted.key,
        "origin": posted.origin,
        "reverses_id": posted.reverses_id,
        "reversed_by_id": posted.reversed_by_id,
        "legs": [
            {"account": leg.account, "amount": jsonable(leg.amount), "commodity": leg.commodity}
            for leg in posted.legs
        ],
    }
    return detail_page("ledger/transaction.html", record, txn=posted, names=names,
                       form=ReverseForm(date=dt.date.today()))


class ReverseForm(FlaskForm):
    date = DateField(_l("Date of the reversal"), validators=[DataRequired()])
    memo = StringField(_l("Memo"), validators=[Blank(), Length(max=500)])


@blueprint.post("/transactions/<int:transaction_id>/reverse")
@permission("ledger.post")
def reverse(transaction_id: int):
    form = ReverseForm()
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))
    posted = books.reverse(
        db_session(), g.company, transaction_id, form.date.data, memo=form.memo.data or None
    )
    flash(
        _(
            "Transaction #%(original)s is reversed by #%(reversal)s.",
            original=transaction_id,
            reversal=posted.id,
        )
    )
    return redirect(url_for("ledger.transaction", transaction_id=posted.id))


def _amount(form, field):
    if field.data:
        try:
            amount = parse_amount(field.data)  # the CLI's reader too: "1e5" is refused by both
        except JangbuError as exc:
            # The likeliest slip, said in the reader's language.
            message = _("Write the amount in digits, e.g. 1,500.") if "e" in field.data.lower() else str(exc)
            raise ValidationError(message) from None
        if amount <= 0:
            raise ValidationError(_("Enter a positive amount."))


class LegForm(Form):
    account = StringField(_l("Account"), validators=[Blank(), Length(max=40)])
    debit = StringField(_l("Debit"), validators=[Blank(), _amount])
    credit = StringField(_l("Credit"), validators=[Blank(), _amount])

    def validate(self, extra_validators=None) -> bool:
        # Line-level rules run here: a blank account stops the field's own validator chain.
        valid = super().validate(extra_validators)
        if (self.debit.data or self.credit.data) and not (self.account.data or "").strip():
            self.account.errors = [*self.account.errors, _("Which account?")]
            valid = False
        if self.debit.data and self.credit.data:
            self.account.errors = [*self.account.errors, _("A line is a debit or a credit, not both.")]
            valid = False
        return valid


class JournalForm(FlaskForm):
    date = DateField(_l("Date"), validators=[DataRequired()])
    memo = StringField(_l("Memo"), validators=[Blank(), Length(max=500)])
    legs = FieldList(FormField(LegForm), min_entries=4)

    def validate_legs(self, field):
        if len(field.entries) > MAX_LINES:  # refuse rather than drop what does not fit
            raise ValidationError(_("An entry has at most %(max)s lines.", max=MAX_LINES))

    def entered(self) -> list[Leg]:
        return [Leg(line.account.data.strip(), line.debit.data or f"-{line.credit.data}")
                for line in self.legs if line.account.data and (line.debit.data or line.credit.data)]


@blueprint.route("/post", methods=["GET", "POST"])
@permission("ledger.post")
def post():
    form = JournalForm()
    if request.method == "GET":
        form.date.data = dt.date.today()

    def posted():
        txn = books.post(db_session(), g.company, form.date.data, form.entered(), memo=form.memo.data or "")
        flash(_("Transaction #%(id)s is posted.", id=txn.id))
        return redirect(url_for("ledger.transaction", transaction_id=txn.id))

    accounts = db_session().scalars(select(Account).where(Account.company_id == g.company.id, Account.active)
                             .order_by(Account.code)).all()
    return form_page(form, posted, template="ledger/post.html", accounts=accounts)


@blueprint.get("/trial-balance")
@permission("ledger.view")
def trial_balance():
    as_of = request.args.get("as_of") or None
    rows = books.trial_balance(db_session(), g.company, as_of)
    columns = [
        Column("account", _l("Account"), link=lambda r: url_for("ledger.account", code=r.account,
                                                                  commodity=r.commodity)),
        Column("name", _l("Name")),
        Column("type", _l("Type"), get=lambda r: _(r.type.value)),
        Column("commodity", _l("Commodity")),
        Column("debit", _l("Debit"), kind=NUMBER),
        Column("credit", _l("Credit"), kind=NUMBER),
    ]
    if request.args.get("format") == "csv":
        return csv_response(rows, columns, f"trial-balance-{as_of or dt.date.today()}")
    totals: dict[str, list] = {}
    for row in rows:
        total = totals.setdefault(row.commodity, [0, 0])
        total[0] += row.debit
        total[1] += row.credit
    record = {
        "as_of": as_of,
        "rows": [{c.key: jsonable(c.value(r)) for c in columns} for r in rows],
        "totals": {code: {"debit": jsonable(d), "credit": jsonable(c)} for code, (d, c) in totals.items()},
    }
    return detail_page("ledger/trial_balance.html", record, rows=rows, columns=columns, totals=totals,
                       as_of=as_of, as_of_date=parse_date(as_of) if as_of else None)

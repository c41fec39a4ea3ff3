"""The books around the documents: journals and their numbered entries,
fiscal years and periods with their closing, exchange rates, revaluation,
taxes and payment terms."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, contains_eager

from core.ledger import Account
from plugins.finance.closing import close_period, close_year, revalue
from plugins.finance.models import (
    Entry,
    EntryKind,
    FiscalYear,
    Journal,
    PaymentTerm,
    Period,
    PeriodState,
    Rate,
    Tax,
)
from plugins.finance.rates import set_rate
from plugins.finance.routes import blueprint
from plugins.finance.routes.common import choice, filter_links, word
from plugins.finance.routes.forms import ActionForm, RateForm, RevalueForm
from plugins.finance.values import PERCENT_SCALE, RATE_SCALE, trimmed, unfixed
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import DATE, NUMBER, Column, detail_page, list_page

__all__ = ["TABS"]

# The tabs every books page shows: (endpoint, label).
TABS = [
    ("finance.journals", _l("Journals")),
    ("finance.entries", _l("Entries")),
    ("finance.periods", _l("Periods")),
    ("finance.rates", _l("Exchange rates")),
    ("finance.taxes", _l("Taxes")),
    ("finance.terms", _l("Payment terms")),
]


def _books_list(query, columns, *, title, default_sort, tiebreak, filename, **context):
    return list_page(
        query,
        columns,
        title=title,
        default_sort=default_sort,
        tiebreak=tiebreak,
        filename=filename,
        template="finance/list.html",
        tabs=TABS,
        **context,
    )


@blueprint.get("/journals", endpoint="journals")
@permission("finance.view")
def journals():
    account = aliased(Account)
    query = (
        select(Journal)
        .outerjoin(account, account.id == Journal.account_id)
        .options(contains_eager(Journal.account.of_type(account)))
        .where(Journal.company_id == g.company.id)
    )
    columns = [
        Column("code", _l("Code"), Journal.code, searchable=True, link=lambda j: url_for("finance.entries",
                                                                                        journal=j.code)),
        Column("name", _l("Name"), Journal.name, searchable=True),
        Column("kind", _l("Kind"), Journal.kind, get=lambda j: word(j.kind)),
        Column("account", _l("Account"), account.code, get=lambda j: j.account.code if j.account else None,
               link=lambda j: url_for("ledger.account", code=j.account.code) if j.account else None),
    ]
    return _books_list(query, columns, title=_("Journals"), default_sort="code", tiebreak=[Journal.id],
                       filename="journals")


@blueprint.get("/entries", endpoint="entries")
@permission("finance.view")
def entries():
    query = (
        select(Entry)
        .join(Journal, Journal.id == Entry.journal_id)
        .options(contains_eager(Entry.journal))
        .where(Entry.company_id == g.company.id)
    )
    if request.args.get("journal"):
        code = request.args["journal"].strip().upper()
        if db_session().scalar(select(Journal.id).where(Journal.company_id == g.company.id,
                                                        Journal.code == code)) is None:
            abort(404, _("No journal %(code)s.", code=code))
        query = query.where(Journal.code == code)
    kind = choice("kind", {k.value: k for k in EntryKind})
    if kind is not None:
        query = query.where(Entry.kind == kind)
    columns = [
        Column("name", _l("Entry"), Entry.name, searchable=True,
               link=lambda e: url_for("ledger.transaction", transaction_id=e.transaction_id)),
        Column("date", _l("Date"), Entry.date, kind=DATE),
        Column("journal", _l("Journal"), Journal.code, get=lambda e: e.journal.code),
        Column("kind", _l("Kind"), Entry.kind, get=lambda e: word(e.kind)),
        Column("memo", _l("Memo"), Entry.memo, searchable=True),
        Column("transaction_id", _l("Transaction"), Entry.transaction_id),
    ]
    kinds = [("", _("All"))] + [(k.value, word(k)) for k in EntryKind]
    return _books_list(query, columns, title=_("Entries"), default_sort="-date", tiebreak=[Entry.id],
                       filename="entries", filters=filter_links("kind", kinds))


@blueprint.get("/periods", endpoint="periods")
@permission("finance.view")
def periods():
    session = db_session()
    years = session.scalars(select(FiscalYear).where(FiscalYear.company_id == g.company.id)
                            .order_by(FiscalYear.start.desc())).all()
    next_open = session.scalar(
        select(Period)
        .where(Period.company_id == g.company.id, Period.state == PeriodState.OPEN)
        .order_by(Period.start)
        .limit(1)
    )
    record = {"lock_date": g.company.lock_date, "years": [
        {"name": y.name, "start": y.start, "end": y.end, "state": y.state,
         "closing_transaction_id": y.closing_transaction_id,
         "periods": [{"name": p.name, "start": p.start, "end": p.end, "state": p.state} for p in y.periods]}
        for y in years]}
    return detail_page("finance/periods.html", record, years=years, next_open=next_open, form=ActionForm(),
                       word=word, tabs=TABS)


def _acted(form: ActionForm) -> None:
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))


@blueprint.post("/periods/<name>/close", endpoint="close_period")
@permission("finance.close")
def close_a_period(name: str):
    _acted(ActionForm())
    period = close_period(db_session(), g.company, name)
    flash(
        _(
            "Period %(name)s is closed: nothing dated up to %(day)s can be posted any more.",
            name=period.name,
            day=period.end.isoformat(),
        )
    )
    return redirect(url_for("finance.periods"))


@blueprint.post("/years/<name>/close", endpoint="close_year")
@permission("finance.close")
def close_a_year(name: str):
    _acted(ActionForm())
    year = close_year(db_session(), g.company, name)
    flash(_("Fiscal year %(name)s is closed; its result is carried to retained earnings.", name=year.name))
    return redirect(url_for("finance.periods"))


@blueprint.get("/rates", endpoint="rates")
@permission("finance.view")
def rates():
    query = select(Rate).where(Rate.company_id == g.company.id)
    if request.args.get("currency"):
        query = query.where(Rate.currency == request.args["currency"].strip().upper())
    columns = [
        Column("currency", _l("Currency"), Rate.currency, searchable=True),
        Column("date", _l("From"), Rate.date, kind=DATE),
        Column("rate", _l("Rate"), Rate.rate_units, kind=NUMBER, get=lambda r: trimmed(unfixed(r.rate_units,
                                                                                              RATE_SCALE))),
    ]
    actions = []
    if "finance.close" in g.permissions:
        actions = [(_("Set a rate"), url_for("finance.new_rate")), (_("Revalue open items"),
                                                                    url_for("finance.revaluation"))]
    return _books_list(
        query,
        columns,
        title=_("Exchange rates"),
        default_sort="-date",
        tiebreak=[Rate.currency],
        filename="rates",
        actions=actions,
        note=_(
            "How much %(currency)s one unit of each currency is worth, from its date on.",
            currency=g.company.currency,
        ),
    )


@blueprint.route("/rates/-/new", methods=["GET", "POST"], endpoint="new_rate")
@permission("finance.close")
def new_rate():
    form = RateForm()
    if request.method == "GET":
        form.date.data = dt.date.today()
        form.currency.data = request.args.get("currency", "")[:3]

    def save():
        row = set_rate(db_session(), g.company, form.currency.data, form.date.data, form.rate.data.strip())
        flash(_("1 %(currency)s = %(rate)s %(company)s from %(day)s.", currency=row.currency,
                rate=trimmed(unfixed(row.rate_units, RATE_SCALE)), company=g.company.currency,
                day=row.date.isoformat()))
        return redirect(url_for("finance.rates"))

    return form_page(form, save, title=_("Set an exchange rate"), cancel=url_for("finance.rates"))


@blueprint.route("/revaluation", methods=["GET", "POST"], endpoint="revaluation")
@permission("finance.close")
def revaluation():
    form = RevalueForm()
    if request.method == "GET":
        form.date.data = dt.date.today()

    def run():
        names = revalue(db_session(), g.company, form.date.data)
        if names:
            flash(_("Posted %(entries)s.", entries=", ".join(names)))
        else:
            flash(_("Nothing to revalue: no open foreign-currency document changed value."))
        return redirect(url_for("finance.entries", kind=EntryKind.REVALUATION.value))

    return form_page(form, run, template="finance/revaluation.html", title=_("Revalue open items"),
                     cancel=url_for("finance.rates"), submit=_("Revalue"))


@blueprint.get("/taxes", endpoint="taxes")
@permission("finance.view")
def taxes():
    query = (select(Tax).join(Account, Account.id == Tax.account_id).options(contains_eager(Tax.account))
             .where(Tax.company_id == g.company.id))
    columns = [
        Column("code", _l("Code"), Tax.code, searchable=True),
        Column("name", _l("Name"), Tax.name, searchable=True),
        Column("scope", _l("Used on"), Tax.scope, get=lambda t: word(t.scope)),
        Column(
            "rate",
            _l("Rate %"),
            Tax.rate_units,
            kind=NUMBER,
            get=lambda t: trimmed(unfixed(t.rate_units, PERCENT_SCALE)),
        ),
        Column(
            "included", _l("In the price"), Tax.included, get=lambda t: _("yes") if t.included else _("no")
        ),
        Column(
            "account",
            _l("Account"),
            Account.code,
            get=lambda t: t.account.code,
            link=lambda t: url_for("ledger.account", code=t.account.code),
        ),
        Column("active", _l("In use"), Tax.active, get=lambda t: _("yes") if t.active else _("no")),
    ]
    return _books_list(
        query, columns, title=_("Taxes"), default_sort="code", tiebreak=[Tax.id], filename="taxes"
    )


@blueprint.get("/terms", endpoint="terms")
@permission("finance.view")
def terms():
    columns = [
        Column("code", _l("Code"), PaymentTerm.code, searchable=True),
        Column("name", _l("Name"), PaymentTerm.name, searchable=True),
        Column("months", _l("Months"), PaymentTerm.months),
        Column("end_of_month", _l("Then to the month's end"), PaymentTerm.end_of_month,
               get=lambda t: _("yes") if t.end_of_month else _("no")),
        Column("days", _l("Days"), PaymentTerm.days),
    ]
    return _books_list(
        select(PaymentTerm).where(PaymentTerm.company_id == g.company.id),
        columns,
        title=_("Payment terms"),
        default_sort="code",
        tiebreak=[PaymentTerm.id],
        filename="terms",
    )

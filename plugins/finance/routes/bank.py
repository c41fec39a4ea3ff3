"""Bank statements: the list, importing a bank's CSV export, a statement with
its lines, a line with the suggestions of what accounts for it, matching it,
and auto-matching a whole statement. The services are
:mod:`plugins.finance.bank`, :mod:`~plugins.finance.bank_suggestions` and
:mod:`~plugins.finance.bank_matching`, as for ``jangbu finance bank``."""

from __future__ import annotations

import re
from typing import Optional

import attrs
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError
from wtforms.validators import Optional as Blank

from core.errors import Invalid
from plugins.finance.bank import (
    FIELDS,
    find_line,
    find_statement,
    import_statement,
    line_data,
    statement_data,
)
from plugins.finance.bank_matching import auto_match, match
from plugins.finance.bank_suggestions import suggest, suggestion_data
from plugins.finance.models import BankLine, BankLineState, BankStatement, Journal, JournalKind
from plugins.finance.routes import blueprint
from plugins.finance.routes.common import N_
from plugins.finance.routes.forms import ActionForm
from web.access import permission
from web.context import db_session
from web.forms import form_page, submitted
from web.lists import DATE, NUMBER, Column, detail_page, list_page

__all__ = ["ImportForm", "MatchForm", "MAX_UPLOAD", "STATE_WORDS", "SUGGESTIONS"]

MAX_UPLOAD = 5 * 1024 * 1024  # a year of a busy account's lines is well under a megabyte
ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp949", "CP949 (EUC-KR)"))
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(), FileSize(MAX_UPLOAD, message=_l("The file is larger than 5 MB."))])
    journal = SelectField(_l("Journal"))
    name = StringField(_l("Name"), validators=[Blank(), Length(max=200)])
    encoding = SelectField(_l("Encoding"), choices=[SelectChoice(value, label) for value, label in ENCODINGS])
    delimiter = SelectField(_l("Separator"))
    currency = StringField(_l("Currency"), validators=[Blank(), Length(min=3, max=3)])
    columns = TextAreaField(_l("Column names"), validators=[Blank(), Length(max=1000)])
    skip_duplicates = BooleanField(_l("Skip the lines imported already"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.delimiter.choices = [
            SelectChoice("comma", _("Comma")),
            SelectChoice("semicolon", _("Semicolon")),
            SelectChoice("tab", _("Tab")),
        ]

    def validate_columns(self, field):
        try:
            columns_of(field.data or "")
        except Invalid as exc:
            raise ValidationError(str(exc)) from None


def columns_of(text: str) -> dict[str, Optional[str]]:
    """``FIELD=HEADER`` per line (or separated by ``;``); an empty HEADER: the file has no such column."""
    columns: dict[str, Optional[str]] = {}
    for spec in re.split(r"[;\n]", text):
        if not spec.strip():
            continue
        field, sign, header = spec.partition("=")
        field = field.strip().lower()
        if not sign or field not in FIELDS:
            raise Invalid(_("Write each column as FIELD=HEADER, FIELD one of %(fields)s (not %(spec)s).",
                            fields=", ".join(FIELDS), spec=spec.strip()))
        columns[field] = header.strip() or None
    return columns


def decoded(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise Invalid(
            _(
                "The file is not %(encoding)s text: choose its encoding (a Korean bank's export is often "
                "CP949).",
                encoding=dict(ENCODINGS).get(encoding, encoding),
            )
        ) from None


def file_name(filename: Optional[str]) -> str:
    """The uploaded file's own name, without any folder a browser sent along."""
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]


class MatchForm(FlaskForm):
    """Documents to settle (numbers), an existing payment to link, or only the party."""

    invoices = StringField(_l("Documents"), validators=[Blank(), Length(max=1000)])
    payment = StringField(_l("Payment"), validators=[Blank(), Length(max=40)])
    party = StringField(_l("Party"), validators=[Blank(), Length(max=40)])
    supplier = BooleanField(_l("Money in from a supplier (a refund)"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any((f.data or "").strip() for f in (self.invoices, self.payment, self.party)):
            self.form_errors.append(
                _("Say what the line is: the documents it settles, a payment to link or the party.")
            )
            return False
        return valid

    def numbers(self) -> list[str]:
        return [n for n in re.split(r"[\s,]+", self.invoices.data or "") if n]


STATE_WORDS = {BankLineState.OPEN: N_("open"), BankLineState.MATCHED: N_("matched")}
SUGGESTIONS = 8  # shown per line


def statement_url(statement_id: int) -> str:
    return url_for("finance.bank_statement", statement_id=statement_id)


def line_url(line_id: int) -> str:
    return url_for("finance.bank_line", line_id=line_id)


@blueprint.get("/bank", endpoint="bank_statements")
@permission("finance.view")
def statements():
    def counted(*where):
        return (select(func.count(BankLine.id)).where(BankLine.statement_id == BankStatement.id, *where)
                .correlate(BankStatement).scalar_subquery())

    query = (
        select(
            BankStatement.id,
            BankStatement.name,
            Journal.code.label("journal"),
            BankStatement.imported_at,
            counted().label("lines"),
            counted(BankLine.state == BankLineState.OPEN).label("open"),
        )
        .join(Journal, Journal.id == BankStatement.journal_id)
        .where(BankStatement.company_id == g.company.id)
    )
    columns = [
        Column("id", _l("No."), BankStatement.id, link=lambda r: statement_url(r.id)),
        Column("name", _l("Name"), BankStatement.name, searchable=True, link=lambda r: statement_url(r.id)),
        Column("journal", _l("Journal"), Journal.code),
        Column("imported_at", _l("Imported"), BankStatement.imported_at, kind=DATE),
        Column("lines", _l("Lines"), kind=NUMBER),
        Column("open", _l("Open lines"), kind=NUMBER),
    ]
    actions = (
        [(_("Import a statement"), url_for("finance.bank_import"))]
        if "finance.payment" in g.permissions
        else []
    )
    return list_page(
        query,
        columns,
        title=_("Bank statements"),
        default_sort="-id",
        tiebreak=[BankStatement.id],
        filename="bank-statements",
        template="finance/list.html",
        actions=actions,
        note=_("A bank's CSV export, line by line; match each line to the payment that accounts for it."),
    )


def _journals() -> list[Journal]:
    return list(db_session().scalars(select(Journal).where(
        Journal.company_id == g.company.id, Journal.kind.in_([JournalKind.BANK, JournalKind.CASH]),
        Journal.account_id.is_not(None)).order_by(Journal.id)))


@blueprint.route("/bank/-/import", methods=["GET", "POST"], endpoint="bank_import")
@permission("finance.payment")
def import_page():
    if request.content_length is not None and request.content_length > MAX_UPLOAD + 64 * 1024:
        abort(413, _("The file is larger than 5 MB."))
    form = ImportForm()
    form.journal.choices = [SelectChoice(j.code, f"{j.code} · {j.name}") for j in _journals()]

    def run():
        upload = form.file.data
        text = decoded(upload.read(), form.encoding.data)
        result = import_statement(
            db_session(),
            g.company,
            form.journal.data,
            text,
            name=(form.name.data or "").strip() or file_name(upload.filename) or _("Statement"),
            columns=columns_of(form.columns.data or ""),
            currency=(form.currency.data or "").strip() or None,
            delimiter=DELIMITERS[form.delimiter.data],
            skip_duplicates=form.skip_duplicates.data,
        )
        statement = result.statement
        if result.skipped:
            flash(_("Statement %(name)s: %(count)s lines imported, %(skipped)s imported already and skipped.",
                    name=statement.name, count=len(statement.lines), skipped=len(result.skipped)))
        else:
            flash(
                _(
                    "Statement %(name)s: %(count)s lines imported.",
                    name=statement.name,
                    count=len(statement.lines),
                )
            )
        return redirect(statement_url(statement.id))

    return form_page(form, run, template="finance/bank_import.html", title=_("Import a bank statement"),
                     cancel=url_for("finance.bank_statements"))


def _word(state: BankLineState) -> str:
    return _(STATE_WORDS[state])


@blueprint.get("/bank/<int:statement_id>", endpoint="bank_statement")
@permission("finance.view")
def statement(statement_id: int):
    session = db_session()
    found = find_statement(session, g.company, statement_id)
    record = statement_data(session, found)
    return detail_page("finance/bank_statement.html", record, data=record, statement=found, word=_word,
                       line_url=line_url, form=ActionForm())


def _line_context(line: BankLine) -> dict:
    """The line, its record and (when open) the suggestions of what accounts for it."""
    session = db_session()
    record = line_data(session, line)
    found = suggest(session, g.company, line, SUGGESTIONS) if line.state == BankLineState.OPEN else []
    suggestions = [suggestion_data(s) for s in found]
    return dict(line=line, data=record, suggestions=suggestions, word=_word)


@blueprint.get("/bank/lines/<int:line_id>", endpoint="bank_line")
@permission("finance.view")
def bank_line(line_id: int):
    context = _line_context(find_line(db_session(), g.company, line_id))
    record = {"line": context["data"], "suggestions": context["suggestions"]}
    return detail_page("finance/bank_line.html", record, form=MatchForm(), **context)


@blueprint.post("/bank/lines/<int:line_id>/match", endpoint="bank_match")
@permission("finance.payment")
def bank_match(line_id: int):
    session = db_session()
    line = find_line(session, g.company, line_id)
    form = MatchForm()

    def matched():
        paid = match(
            session,
            g.company,
            line,
            form.numbers(),
            payment=(form.payment.data or "").strip() or None,
            party=(form.party.data or "").strip() or None,
            supplier=True if form.supplier.data else None,
        )
        flash(_("Line %(line)s is matched: payment %(payment)s.", line=line.id, payment=paid.number))
        return redirect(statement_url(line.statement_id))

    done = submitted(form, matched)
    if done is not None:
        return done
    return render_template("finance/bank_line.html", form=form, **_line_context(line)), 400


@blueprint.post("/bank/<int:statement_id>/auto-match", endpoint="bank_auto_match")
@permission("finance.payment")
def bank_auto_match(statement_id: int):
    session = db_session()
    found = find_statement(session, g.company, statement_id)
    form = ActionForm()
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))
    report = auto_match(session, g.company, found)
    lines = {line.id: line_data(session, line) for line in found.lines}
    record = {"statement": found.id, "matched": [attrs.asdict(m) for m in report.matched],
              "left": [{"line": line_id, "why": why} for line_id, why in report.left]}
    return detail_page("finance/bank_auto.html", record, statement=found, data=record, lines=lines,
                       line_url=line_url)

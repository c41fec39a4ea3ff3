"""Lists and detail pages in a few lines each, as HTML, JSON or CSV.

A list is a query plus columns::

    columns = [Column("code", _l("Code"), Party.code, searchable=True, link=party_url),
               Column("name", _l("Name"), Party.name, searchable=True)]
    return list_page(select(Party).where(Party.company_id == g.company.id), columns,
                     title=_("Parties"), default_sort="code", tiebreak=Party.id)

The same URL answers HTML (paginated, ``?sort=-name``, ``?q=text``,
``?page=2``), JSON when the client sends ``Accept: application/json``, and
CSV of the whole filtered list with ``?format=csv``. Paging reads one row
more than it shows instead of counting, so a page costs the same on the
millionth row as on the first. Bad parameters answer 400 with one message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Optional

import attrs
from flask import Response, abort, jsonify, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from sqlalchemy import Select, or_

from core.csvtext import defuse
from core.errors import Invalid
from core.values import parse_date, plain
from web.auth import wants_json
from web.context import db_session
from web.i18n import day, money, number

__all__ = [
    "Column",
    "Page",
    "list_page",
    "detail_page",
    "csv_response",
    "cells",
    "jsonable",
    "JSONProvider",
    "choice",
    "text_arg",
    "date_arg",
    "answer_format",
    "filter_links",
    "TEXT",
    "NUMBER",
    "AMOUNT",
    "DATE",
]

TEXT, NUMBER, AMOUNT, DATE = "text", "number", "amount", "date"
MAX_PAGE = 100_000
MAX_ARG = 100  # characters of a free-text query argument (a report's account, a filter's name)
MAX_SEARCH = 200
_CSV_CHUNK = 1000


@attrs.frozen
class Column:
    """One column: ``sort`` is the SQL expression it sorts (and searches) by."""

    key: str
    label: Any
    sort: Any = None
    searchable: bool = False
    kind: str = TEXT
    link: Optional[Callable[[Any], Optional[str]]] = None
    get: Optional[Callable[[Any], Any]] = None
    currency: Optional[Callable[[Any], str]] = None

    def value(self, row: Any) -> Any:
        return self.get(row) if self.get else getattr(row, self.key)

    def cell(self, row: Any, currency: str) -> tuple[str, Optional[str]]:
        """The text a page shows for ``row`` (formatted for its kind and the page's language) and its link."""
        value = self.value(row)
        if value is None:
            shown = ""
        elif self.kind == AMOUNT:
            shown = money(value, self.currency(row) if self.currency else currency)
        elif self.kind == NUMBER:
            shown = number(value)
        elif self.kind == DATE:
            shown = day(value)
        else:
            shown = str(plain(value))
        return shown, self.link(row) if self.link else None


def cells(columns: Sequence[Column], rows: Iterable, currency: str) -> list[list[tuple[str, Optional[str]]]]:
    """Every row's cells, formatted in Python: a table's inner loop is too hot for template logic."""
    return [[column.cell(row, currency) for column in columns] for row in rows]


@attrs.frozen
class Page:
    rows: list
    number: int
    per_page: int
    has_next: bool

    @property
    def first(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)


jsonable = plain  # re-exported: plugin pages build their JSON records with it


class JSONProvider(DefaultJSONProvider):
    """JSON that carries amounts exactly (Decimal as a string), dates as ISO 8601 and enums by value."""

    @staticmethod
    def default(o: Any) -> Any:
        value = jsonable(o)
        if value is o:
            return DefaultJSONProvider.default(o)
        return value


def choice(name: str, allowed: dict[str, Any]) -> Any:
    """The value of query argument ``name`` among ``allowed`` (``None`` when absent); 400 otherwise."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    if raw not in allowed:
        abort(400, _("%(name)s must be one of: %(values)s", name=name, values=", ".join(allowed)))
    return allowed[raw]


def text_arg(name: str) -> str:
    """Query argument ``name`` as stripped text (blank when absent); longer than ``MAX_ARG``: 400."""
    raw = request.args.get(name, "").strip()
    if len(raw) > MAX_ARG:
        abort(400, _("%(name)s must be at most %(max)s characters", name=name, max=MAX_ARG))
    return raw


def date_arg(name: str) -> Optional[dt.date]:
    """Query argument ``name`` as a date (``None`` when blank); anything but YYYY-MM-DD: 400."""
    raw = text_arg(name)
    if not raw:
        return None
    try:
        return parse_date(raw)
    except Invalid:
        abort(400, _("%(name)s is not a date: %(value)s (use YYYY-MM-DD)", name=name, value=raw))


def answer_format() -> Optional[str]:
    """``csv`` or ``None`` (HTML or JSON, as the client asks); anything else 400."""
    wanted = text_arg("format")
    if wanted and wanted != "csv":
        abort(400, _("format must be csv (or leave it out)"))
    return wanted or None


def filter_links(name: str, options: list[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    """(label, url, active) for each value of query argument ``name`` ("" is "all"), other arguments kept."""
    current = request.args.get(name, "")
    kept = {k: v for k, v in request.args.items() if k not in (name, "page")}
    return [
        (label, url_for(request.endpoint, **{**kept, **({name: value} if value else {})}), value == current)
        for value, label in options
    ]


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        abort(400, _("page must be a whole number from 1 to %(max)s", max=MAX_PAGE))
    return int(raw)


def _ordered(query: Select, columns: Sequence[Column], default_sort: Optional[str],
             tiebreak: Sequence[Any]) -> Select:
    wanted = request.args.get("sort") or default_sort
    if wanted is None:
        return query  # the query's own order; nothing to choose
    descending, key = wanted.startswith("-"), wanted.lstrip("-")
    sortable = {column.key: column.sort for column in columns if column.sort is not None}
    if key not in sortable:
        abort(400, _("cannot sort by '%(key)s' (one of: %(keys)s)", key=key, keys=", ".join(sortable) or "-"))
    direction = (lambda e: e.desc()) if descending else (lambda e: e.asc())
    return query.order_by(direction(sortable[key]), *(direction(e) for e in tiebreak))


def _searched(query: Select, columns: Sequence[Column]) -> Select:
    text = request.args.get("q", "").strip()
    if not text:
        return query
    if len(text) > MAX_SEARCH:
        abort(400, _("search text must be at most %(max)s characters", max=MAX_SEARCH))
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query.where(or_(*(c.sort.ilike(pattern, escape="\\") for c in columns if c.searchable)))


def _rows(session, query: Select) -> Iterable:
    entity = query.column_descriptions[0]["expr"] if len(query.column_descriptions) == 1 else None
    result = session.execute(query)
    return result.scalars() if isinstance(entity, type) else result


def list_page(query: Select, columns: Sequence[Column], *, title: Any, default_sort: Optional[str],
              tiebreak: Sequence[Any] = (), per_page: int = 50, filename: Optional[str] = None,
              decorate: Optional[Callable[[list, int], list]] = None, template: str = "shell/list.html",
              **context: Any) -> Response | str:
    """Answer a list request in the format asked for.

    :param decorate: ``(rows, offset) -> rows``, to add what SQL did not
        compute (a running balance); called once per page, or per chunk of
        the CSV export in order.
    """
    session = db_session()
    if any(c.searchable for c in columns):
        query = _searched(query, columns)
    if request.args.get("format") == "csv":
        query = _ordered(query, columns, default_sort, tiebreak)
        return csv_response(_rows(session, query.execution_options(yield_per=_CSV_CHUNK)), columns,
                            filename or "export", decorate)
    number = _page_number()
    query = _ordered(query, columns, default_sort, tiebreak)
    rows = list(_rows(session, query.limit(per_page + 1).offset((number - 1) * per_page)))
    page_rows = rows[:per_page]
    if decorate:
        page_rows = decorate(page_rows, (number - 1) * per_page)
    page = Page(page_rows, number, per_page, len(rows) > per_page)
    if wants_json():
        return jsonify(items=[_record(row, columns) for row in page.rows], page=page.number,
                       per_page=per_page, next=_page_url(page.number + 1) if page.has_next else None,
                       previous=_page_url(page.number - 1) if page.number > 1 else None)
    return render_template(template, title=title, columns=columns, page=page, page_url=_page_url,
                           sort=request.args.get("sort") or default_sort, q=request.args.get("q", ""),
                           searchable=any(c.searchable for c in columns), **context)


def _page_url(number: int, **changes: Any) -> str:
    args = {**request.args.to_dict(), **request.view_args, "page": number, **changes}
    return url_for(request.endpoint, **{k: v for k, v in args.items() if v not in (None, "")})


def _record(row: Any, columns: Sequence[Column]) -> dict:
    record = {column.key: jsonable(column.value(row)) for column in columns}
    link = next((column.link(row) for column in columns if column.link), None)
    if link:
        record["url"] = link
    return record


def _csv_text(value: Any, column: Column) -> str:
    is_text = column.kind == TEXT or (isinstance(value, str) and column.kind not in (AMOUNT, NUMBER))
    value = jsonable(value)
    text = "" if value is None else str(value)
    return defuse(text) if is_text else text  # a spreadsheet must not run text as a formula


def csv_response(rows: Iterable, columns: Sequence[Column], filename: str,
                 decorate: Optional[Callable[[list, int], list]] = None) -> Response:
    """``rows`` as a CSV download.

    Built inside the request, reading the rows in chunks: the request's
    database session (one snapshot) is gone once the response leaves.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(column.label) for column in columns])

    def write(chunk: list, offset: int) -> None:
        for row in (decorate(chunk, offset) if decorate else chunk):
            writer.writerow([_csv_text(column.value(row), column) for column in columns])

    offset, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _CSV_CHUNK:
            write(chunk, offset)
            offset, chunk = offset + len(chunk), []
    write(chunk, offset)
    headers = {"Content-Disposition": f'attachment; filename="{filename}.csv"'}
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)


def detail_page(template: str, record: dict, **context: Any) -> Response | str:
    """A detail page, or its ``record`` as JSON when the client asks for JSON."""
    if wants_json():
        return jsonify(record)
    return render_template(template, **context)

"""Cycle counts: the list of sheets, planning what is due, opening a sheet
for a scanned location, one sheet with its counting form, approving the
differences and cancelling.

Reading needs ``wms.view``; opening, counting and cancelling ``wms.count``;
approving (it posts to the ledger) ``wms.approve``.
"""

from __future__ import annotations

from typing import Optional

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.errors import Invalid
from plugins.wms.counts import (
    OPEN,
    approve,
    cancel_count,
    count_data,
    find_count,
    open_count,
    plan_counts,
    record,
)
from plugins.wms.documents import Count, CountState
from plugins.wms.models import Location
from plugins.wms.places import scan_location
from plugins.wms.routes import blueprint
from plugins.wms.routes.common import (
    ActionForm,
    checked,
    choice,
    filter_links,
    query_value,
    scanned_product,
    word,
)
from plugins.wms.routes.forms import BLANK_FOUND, CountForm, OpenCountForm
from web.access import permission
from web.context import db_session
from web.forms import form_page, submitted
from web.lists import DATE, Column, detail_page, list_page

__all__ = ["count_url"]


def count_url(sheet: Count) -> str:
    return url_for("wms.count", count_number=sheet.number)


@blueprint.get("/counts", endpoint="counts")
@permission("wms.view")
def counts():
    session, company = db_session(), g.company
    query = (select(Count).join(Location, Location.id == Count.location_id)
             .options(contains_eager(Count.location)).where(Count.company_id == company.id))
    state = choice("state", {s.value: s for s in CountState})
    if state is not None:
        query = query.where(Count.state == state)
    place = query_value("location", lambda text: scan_location(session, company, text))
    if place is not None:
        query = query.where(Count.location_id == place.id)
    columns = [
        Column("number", _l("Number"), Count.number, searchable=True, link=count_url),
        Column("location", _l("Location"), Location.code, searchable=True, get=lambda c: c.location.code),
        Column("state", _l("State"), Count.state, get=lambda c: word(c.state)),
        Column("date", _l("Opened"), Count.date, kind=DATE),
        Column("approved_by", _l("Approved by"), Count.approved_by),
    ]
    states = [("", _("Any state"))] + [(s.value, word(s).capitalize()) for s in CountState]
    may_count = "wms.count" in g.permissions
    return list_page(
        query,
        columns,
        title=_("Counts"),
        default_sort="-number",
        tiebreak=[Count.id],
        filename="counts",
        template="wms/work_list.html",
        form=ActionForm(),
        actions=[(_("Open a count"), url_for("wms.open_count"))] if may_count else [],
        posts=[(_("Plan the counts that are due"), url_for("wms.plan_counts"))] if may_count else [],
        filter_groups=[(_("State"), filter_links("state", states))],
        note=_(
            "A sheet lists what the books expect at a location; approving posts what was counted "
            "less what was expected against inventory loss."
        ),
    )


@blueprint.post("/counts/-/plan", endpoint="plan_counts")
@permission("wms.count")
def plan():
    checked(ActionForm())
    opened = plan_counts(db_session(), g.company)
    if opened:
        flash(_("Opened %(count)s count sheets: %(numbers)s.", count=len(opened),
                numbers=", ".join(sheet.number for sheet in opened)))
    else:
        flash(_("No count is due."))
    return redirect(url_for("wms.counts"))


@blueprint.route("/counts/-/open", methods=["GET", "POST"], endpoint="open_count")
@permission("wms.count")
def open_sheet():
    form = OpenCountForm()
    if request.method == "GET":
        form.location.data = request.args.get("location", "")[:64]

    def create():
        sheet = open_count(db_session(), g.company, form.location.data.strip())
        flash(_("Count %(number)s of %(code)s is open.", number=sheet.number, code=sheet.location.code))
        return redirect(count_url(sheet))

    return form_page(form, create, title=_("Open a count"), submit=_("Open"), cancel=url_for("wms.counts"))


def _sheet_form(sheet: Count) -> CountForm:
    """The counting form, filled with what was entered before."""
    return CountForm(data={
        "lines": [{"product": line["product"], "lot": line["lot"] or "",
                   "counted": "" if line["counted"] is None else f"{line['counted'].normalize():f}"}
                  for line in count_data(sheet)["lines"]],
        "found": [{} for _i in range(BLANK_FOUND)]})


def _sheet_page(sheet: Count, form: Optional[CountForm]):
    shown = {**count_data(sheet), "url": count_url(sheet)}
    counting = sheet.state in OPEN and "wms.count" in g.permissions
    if form is None and counting:
        form = _sheet_form(sheet)
    rows = list(zip(shown["lines"], form.lines)) if form is not None else [(r, None) for r in shown["lines"]]
    return detail_page("wms/count.html", shown, sheet=sheet, data=shown, word=word, form=form, rows=rows,
                       counting=counting, buttons=ActionForm())


@blueprint.get("/counts/<path:count_number>", endpoint="count")
@permission("wms.view")
def count(count_number: str):
    return _sheet_page(find_count(db_session(), g.company, count_number), None)


@blueprint.post("/counts/<path:count_number>/record", endpoint="record_count")
@permission("wms.count")
def record_count(count_number: str):
    session, company = db_session(), g.company
    sheet = find_count(session, company, count_number)
    form = CountForm()

    def save():
        counted: dict[tuple[str, Optional[str]], str] = {}
        entries = [(e.form.product.data, e.form.lot.data, e.form.counted.data) for e in form.lines] + [
            (e.form.product.data, e.form.lot.data, e.form.counted.data)
            for e in form.found
            if e.form.entered()
        ]
        for product, lot, value in entries:
            value = (value or "").strip()
            if not value:
                continue  # not counted yet: keeps what was entered before
            sku = scanned_product((product or "").strip())
            key = (sku, (lot or "").strip() or None)
            if key in counted:
                raise Invalid(_("%(what)s is counted twice.", what=sku + (f":{key[1]}" if key[1] else "")))
            counted[key] = value
        record(session, company, sheet, counted)
        flash(_("The counts of %(number)s are saved.", number=sheet.number))
        return redirect(count_url(sheet))

    done = submitted(form, save)
    if done is not None:
        return done
    return _sheet_page(sheet, form), 400  # the sheet again, with what was refused and what was typed


@blueprint.post("/counts/<path:count_number>/approve", endpoint="approve_count")
@permission("wms.approve")
def approve_count(count_number: str):
    checked(ActionForm())
    session = db_session()
    sheet = approve(
        session, g.company, find_count(session, g.company, count_number), current_user.user.username
    )
    flash(_("%(number)s is approved; the differences are posted.", number=sheet.number))
    return redirect(count_url(sheet))


@blueprint.post("/counts/<path:count_number>/cancel", endpoint="cancel_count")
@permission("wms.count")
def cancel(count_number: str):
    checked(ActionForm())
    session = db_session()
    sheet = cancel_count(session, g.company, find_count(session, g.company, count_number))
    flash(_("%(number)s is cancelled.", number=sheet.number))
    return redirect(count_url(sheet))

"""What the warehouse holds: availability by location, product and lot, and
a product's stock card (its moves with the running balance) with its
turnover and days of cover."""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from core.catalog import get_product
from core.errors import Invalid
from core.models import Product, Unit
from core.values import from_units
from plugins.wms.documents import Operation
from plugins.wms.models import Cost, Location, LocationKind, Lot, Stock
from plugins.wms.places import find_warehouse, scan_location
from plugins.wms.products import scan_product
from plugins.wms.queries import availability, stock_card, turnover, valuation_report
from plugins.wms.routes import blueprint
from plugins.wms.routes.common import query_value, word
from plugins.wms.values import currency_scale, quantity
from web.access import permission
from web.context import db_session
from web.i18n import money
from web.lists import AMOUNT, DATE, NUMBER, Column, csv_response, detail_page, jsonable, list_page

__all__ = ["card_url", "MAX_DAYS"]

MAX_DAYS = 3660  # ten years of turnover is plenty; more is a typo


def card_url(sku: str) -> str:
    return url_for("wms.card", sku=sku)


@blueprint.get("/stock", endpoint="stock")
@permission("wms.view")
def stock():
    session, company = db_session(), g.company
    query = (
        select(Stock)
        .join(Location, Location.id == Stock.location_id)
        .join(Product, Product.id == Stock.product_id)
        .join(Unit, Unit.id == Product.unit_id)
        .outerjoin(Lot, Lot.id == Stock.lot_id)
        .options(
            contains_eager(Stock.location),
            contains_eager(Stock.product).contains_eager(Product.unit),
            contains_eager(Stock.lot),
        )
        .where(
            Stock.company_id == company.id,
            Location.kind == LocationKind.INTERNAL,
            or_(Stock.on_hand != 0, Stock.reserved != 0),
        )
    )
    product = query_value("product", lambda text: scan_product(session, company, text))
    if product is not None:
        query = query.where(Stock.product_id == product.id)
    place = query_value("location", lambda text: scan_location(session, company, text))
    if place is not None:
        query = query.where(
            or_(Location.id == place.id, Location.code.startswith(place.code + "/", autoescape=True))
        )
    house = query_value("warehouse", lambda text: find_warehouse(session, company, text))
    if house is not None:
        query = query.where(Location.warehouse_id == house.id)
    columns = [
        Column(
            "location",
            _l("Location"),
            Location.code,
            searchable=True,
            get=lambda r: r.location.code,
            link=lambda r: url_for("wms.stock", location=r.location.code),
        ),
        Column(
            "product",
            _l("Product"),
            Product.sku,
            searchable=True,
            get=lambda r: r.product.sku,
            link=lambda r: card_url(r.product.sku),
        ),
        Column("name", _l("Name"), Product.name, searchable=True, get=lambda r: r.product.name),
        Column("lot", _l("Lot"), Lot.name, searchable=True, get=lambda r: r.lot.name if r.lot else None),
        Column(
            "expiry",
            _l("Expires"),
            Lot.expiry_date,
            kind=DATE,
            get=lambda r: r.lot.expiry_date if r.lot else None,
        ),
        Column(
            "on_hand", _l("On hand"), Stock.on_hand, kind=NUMBER, get=lambda r: quantity(r.product, r.on_hand)
        ),
        Column(
            "reserved",
            _l("Reserved"),
            Stock.reserved,
            kind=NUMBER,
            get=lambda r: quantity(r.product, r.reserved),
        ),
        Column(
            "available",
            _l("Available"),
            Stock.on_hand - Stock.reserved,
            kind=NUMBER,
            get=lambda r: quantity(r.product, r.on_hand - r.reserved),
        ),
        Column("unit", _l("Unit"), Unit.code, get=lambda r: r.product.unit.code),
    ]
    shown = [(_("Product"), product.sku if product else None), (_("Location"), place.code if place else None),
             (_("Warehouse"), house.code if house else None)]
    return list_page(query, columns, title=_("Stock"), default_sort="location",
                     tiebreak=[Product.sku, Lot.name, Stock.id], filename="stock", template="wms/stock.html",
                     filters=[(label, value) for label, value in shown if value],
                     values={"product": request.args.get("product", ""),
                             "location": request.args.get("location", ""),
                             "warehouse": request.args.get("warehouse", "")})


def _days() -> int:
    raw = request.args.get("days", "365")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_DAYS:
        abort(400, _("days must be a whole number from 1 to %(max)s", max=MAX_DAYS))
    return int(raw)


@blueprint.get("/stock/<path:sku>", endpoint="card")
@permission("wms.view")
def card(sku: str):
    session, company = db_session(), g.company
    product = get_product(session, company, sku)
    days = _days()
    place = query_value("location", lambda text: scan_location(session, company, text))
    balance, lines = stock_card(session, company, product.sku, location=place.code if place else None)
    operations = dict(session.execute(select(Operation.transaction_id, Operation.number).where(
        Operation.company_id == company.id,
        Operation.transaction_id.in_({line.transaction_id for line in lines}))).all()) if lines else {}
    columns = [Column("date", _l("Date"), kind=DATE), Column("transaction_id", _l("Transaction")),
               Column("memo", _l("Memo")), Column("location", _l("Location")),
               Column("quantity", _l("Quantity"), kind=NUMBER), Column("balance", _l("Balance"), kind=NUMBER)]
    if request.args.get("format") == "csv":
        return csv_response(lines, columns, f"stock-card-{product.sku}")
    rate = turnover(session, company, product.sku, days=days)
    rows = availability(session, company, product=product.sku)
    record = {"product": product.sku, "name": product.name, "unit": product.unit.code,
              "location": place.code if place else None, "balance": balance,
              "moves": [{**{c.key: jsonable(getattr(line, c.key)) for c in columns},
                         "operation": operations.get(line.transaction_id)} for line in lines],
              "turnover": {"days": rate.days, "delivered": rate.delivered, "on_hand": rate.on_hand,
                           "average_on_hand": rate.average_on_hand, "turns": rate.turns,
                           "days_of_cover": rate.days_of_cover},
              "stock": [{"location": r.location, "lot": r.lot, "expiry": r.expiry, "on_hand": r.on_hand,
                         "reserved": r.reserved, "available": r.available} for r in rows]}
    return detail_page("wms/card.html", record, product=product, balance=balance, lines=lines[::-1],
                       operations=operations, rate=rate, rows=rows, place=place, days=days)


@blueprint.get("/valuation", endpoint="valuation")
@permission("wms.view")
def valuation():
    """The inventory valuation per product; its total beside the inventory account's balance."""
    session, company = db_session(), g.company
    try:
        report = valuation_report(session, company)
    except Invalid as exc:
        abort(404, str(exc))
    mscale = currency_scale(company.currency)
    query = (select(Cost).join(Product, Product.id == Cost.product_id).join(Unit, Unit.id == Product.unit_id)
             .options(contains_eager(Cost.product).contains_eager(Product.unit))
             .where(Cost.company_id == company.id, or_(Cost.quantity != 0, Cost.value != 0)))
    columns = [
        Column(
            "product",
            _l("Product"),
            Product.sku,
            searchable=True,
            get=lambda c: c.product.sku,
            link=lambda c: card_url(c.product.sku),
        ),
        Column("name", _l("Name"), Product.name, searchable=True, get=lambda c: c.product.name),
        Column(
            "category", _l("Category"), Product.category, searchable=True, get=lambda c: c.product.category
        ),
        Column("method", _l("Cost method"), Cost.method, get=lambda c: word(c.method)),
        Column(
            "quantity",
            _l("Quantity"),
            Cost.quantity,
            kind=NUMBER,
            get=lambda c: quantity(c.product, c.quantity),
        ),
        Column("unit", _l("Unit"), Unit.code, get=lambda c: c.product.unit.code),
        Column("value", _l("Value"), Cost.value, kind=AMOUNT, get=lambda c: from_units(c.value, mscale)),
    ]
    note = _(
        "Total %(total)s; account %(account)s holds %(ledger)s.",
        total=money(report.total, company.currency),
        account=report.account,
        ledger=money(report.ledger, company.currency),
    )
    if not report.agrees:
        note += " " + _("They differ: run jangbu wms check.")
    return list_page(query, columns, title=_("Inventory valuation"), default_sort="product",
                     tiebreak=[Cost.product_id], filename="valuation", template="wms/list.html", note=note)

"""Setting the warehouse up: the company's stock settings, warehouses,
locations (a tree by code), how each product is treated, putaway rules.

Reading needs ``wms.view``; changing needs ``wms.approve``. Location
fields take a scanned barcode as well as a code.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, contains_eager

from core.catalog import get_product
from core.models import Product
from plugins.wms.documents import Putaway
from plugins.wms.models import CostMethod, Location, ProductSettings, Removal, Tracking, Warehouse
from plugins.wms.places import add_location, create_warehouse, find_warehouse
from plugins.wms.products import DEFAULT, rules_of, set_rules
from plugins.wms.putaway import add_rule, remove_rule
from plugins.wms.routes import blueprint
from plugins.wms.routes.common import (
    SETUP_TABS,
    ActionForm,
    checked,
    plain_decimal,
    query_value,
    scanned_location,
    scanned_product,
    word,
)
from plugins.wms.routes.forms import LocationForm, PutawayForm, RulesForm, SettingsForm, WarehouseForm
from plugins.wms.setup import settings_of, update_settings
from plugins.wms.values import cost
from plugins.wms.views import settings_data
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import DATE, NUMBER, Column, detail_page, list_page

__all__: list[str] = []


def _may_set_up() -> bool:
    return "wms.approve" in g.permissions


def _setup_list(query, columns, **options):
    return list_page(
        query, columns, template=options.pop("template", "wms/list.html"), tabs=SETUP_TABS, **options
    )


# -- settings ----------------------------------------------------------------------------------

@blueprint.get("/settings", endpoint="settings")
@permission("wms.view")
def settings():
    row = settings_of(db_session(), g.company)
    record = settings_data(row)
    return detail_page("wms/settings.html", record, data=record, word=word, tabs=SETUP_TABS)


@blueprint.route("/settings/edit", methods=["GET", "POST"], endpoint="edit_settings")
@permission("wms.approve")
def edit_settings():
    row = settings_of(db_session(), g.company)
    form = SettingsForm()
    form.removal.choices = [(r.value, word(r)) for r in Removal]
    form.cost_method.choices = [(c.value, word(c)) for c in CostMethod]
    if request.method == "GET":
        form.allow_negative.data, form.removal.data = row.allow_negative, row.removal.value
        form.cost_method.data = row.cost_method.value

    def save():
        update_settings(db_session(), g.company, allow_negative=form.allow_negative.data,
                        removal=form.removal.data, cost_method=form.cost_method.data)
        flash(_("The stock settings are saved."))
        return redirect(url_for("wms.settings"))

    return form_page(form, save, title=_("Change the stock settings"), cancel=url_for("wms.settings"))


# -- warehouses --------------------------------------------------------------------------------

@blueprint.get("/warehouses", endpoint="warehouses")
@permission("wms.view")
def warehouses():
    root = aliased(Location)
    query = (
        select(Warehouse)
        .join(root, root.id == Warehouse.location_id)
        .options(contains_eager(Warehouse.location.of_type(root)))
        .where(Warehouse.company_id == g.company.id)
    )
    columns = [
        Column("code", _l("Code"), Warehouse.code, searchable=True,
               link=lambda w: url_for("wms.locations", warehouse=w.code)),
        Column("name", _l("Name"), Warehouse.name, searchable=True),
        Column("location", _l("Location"), root.code, get=lambda w: w.location.code,
               link=lambda w: url_for("wms.stock", warehouse=w.code)),
    ]
    actions = [(_("New warehouse"), url_for("wms.new_warehouse"))] if _may_set_up() else []
    return _setup_list(query, columns, title=_("Warehouses"), default_sort="code", tiebreak=[Warehouse.id],
                       filename="warehouses", actions=actions)


@blueprint.route("/warehouses/-/new", methods=["GET", "POST"], endpoint="new_warehouse")
@permission("wms.approve")
def new_warehouse():
    form = WarehouseForm()

    def create():
        made = create_warehouse(db_session(), g.company, form.code.data, form.name.data)
        flash(_("Warehouse %(code)s is created.", code=made.code))
        return redirect(url_for("wms.locations", warehouse=made.code))

    return form_page(form, create, title=_("New warehouse"), cancel=url_for("wms.warehouses"))


# -- locations ---------------------------------------------------------------------------------

@blueprint.get("/locations", endpoint="locations")
@permission("wms.view")
def locations():
    query = select(Location).where(Location.company_id == g.company.id)
    house = query_value("warehouse", lambda text: find_warehouse(db_session(), g.company, text))
    if house is not None:
        query = query.where(Location.warehouse_id == house.id)
    elif request.args.get("all") != "1":
        query = query.where(Location.warehouse_id.is_not(None))
    columns = [
        Column("code", _l("Code"), Location.code, searchable=True,
               link=lambda loc: url_for("wms.stock", location=loc.code) if loc.internal else None),
        Column("name", _l("Name"), Location.name, searchable=True),
        Column("kind", _l("Kind"), Location.kind, get=lambda loc: word(loc.kind)),
        Column("level", _l("Level"), Location.level, get=lambda loc: word(loc.level)),
        Column("barcode", _l("Barcode"), Location.barcode, searchable=True),
        Column("count_every_days", _l("Count every (days)"), Location.count_every_days, kind=NUMBER),
        Column("last_counted", _l("Last counted"), Location.last_counted, kind=DATE),
    ]
    actions = [(_("New location"), url_for("wms.new_location"))] if _may_set_up() else []
    return _setup_list(query, columns, title=_("Locations"), default_sort="code", tiebreak=[Location.id],
                       filename="locations", actions=actions, template="wms/locations.html",
                       may_set_up=_may_set_up(), warehouse=house)


@blueprint.route("/locations/-/new", methods=["GET", "POST"], endpoint="new_location")
@permission("wms.approve")
def new_location():
    form = LocationForm()
    if request.method == "GET":
        form.parent.data = request.args.get("parent", "")[:64]

    def create():
        made = add_location(db_session(), g.company, scanned_location(form.parent.data), form.code.data,
                            (form.name.data or "").strip() or None, barcode=form.barcode.data or None,
                            count_every_days=form.count_every.data)
        flash(_("Location %(code)s is added.", code=made.code))
        return redirect(url_for("wms.locations", warehouse=made.code.split("/")[0]))

    return form_page(form, create, title=_("New location"), cancel=url_for("wms.locations"))


# -- product rules -----------------------------------------------------------------------------

@blueprint.get("/products", endpoint="product_rules")
@permission("wms.view")
def product_rules():
    query = (
        select(Product, ProductSettings)
        .outerjoin(ProductSettings, ProductSettings.product_id == Product.id)
        .where(Product.company_id == g.company.id)
    )
    link = (lambda r: url_for("wms.edit_rules", sku=r[0].sku)) if _may_set_up() else (
        lambda r: url_for("wms.card", sku=r[0].sku))
    columns = [
        Column("sku", _l("SKU"), Product.sku, searchable=True, get=lambda r: r[0].sku, link=link),
        Column("name", _l("Name"), Product.name, searchable=True, get=lambda r: r[0].name),
        Column("category", _l("Category"), Product.category, searchable=True, get=lambda r: r[0].category),
        Column(
            "tracking",
            _l("Tracking"),
            ProductSettings.tracking,
            get=lambda r: word(r[1].tracking if r[1] else Tracking.NONE),
        ),
        Column(
            "removal",
            _l("Removal strategy"),
            ProductSettings.removal,
            get=lambda r: word(r[1].removal) if r[1] and r[1].removal else _("company default"),
        ),
        Column(
            "cost_method",
            _l("Cost method"),
            ProductSettings.cost_method,
            get=lambda r: word(r[1].cost_method) if r[1] and r[1].cost_method else _("company default"),
        ),
        Column(
            "standard_cost",
            _l("Standard cost"),
            ProductSettings.standard_cost,
            kind=NUMBER,
            get=lambda r: (
                plain_decimal(cost(r[1].standard_cost)) if r[1] and r[1].standard_cost is not None else None
            ),
        ),
    ]
    return _setup_list(
        query,
        columns,
        title=_("Product rules"),
        default_sort="sku",
        tiebreak=[Product.id],
        filename="product-rules",
        note=_("How the warehouse treats each product; without a rule the company's settings apply."),
    )


@blueprint.route("/products/<path:sku>/rules", methods=["GET", "POST"], endpoint="edit_rules")
@permission("wms.approve")
def edit_rules(sku: str):
    session = db_session()
    product = get_product(session, g.company, sku)
    rules, company = rules_of(session, product), settings_of(session, g.company)
    form = RulesForm()
    form.tracking.choices = [(t.value, word(t)) for t in Tracking]
    form.removal.choices = [("", _("Company default (%(value)s)", value=word(company.removal)))] + [
        (r.value, word(r)) for r in Removal]
    form.cost_method.choices = [("", _("Company default (%(value)s)", value=word(company.cost_method)))] + [
        (c.value, word(c)) for c in CostMethod]
    if request.method == "GET":
        form.tracking.data = (rules.tracking if rules else Tracking.NONE).value
        form.removal.data = rules.removal.value if rules and rules.removal else ""
        form.cost_method.data = rules.cost_method.value if rules and rules.cost_method else ""
        known = rules is not None and rules.standard_cost is not None
        form.standard_cost.data = str(plain_decimal(cost(rules.standard_cost))) if known else ""

    def save():
        set_rules(session, g.company, product.sku, tracking=form.tracking.data,
                  removal=form.removal.data or DEFAULT, cost_method=form.cost_method.data or DEFAULT,
                  standard_cost=(form.standard_cost.data or "").strip() or None)
        flash(_("The rules of %(sku)s are saved.", sku=product.sku))
        return redirect(url_for("wms.product_rules"))

    return form_page(form, save, title=_("Rules of %(sku)s · %(name)s", sku=product.sku, name=product.name),
                     cancel=url_for("wms.product_rules"))


# -- putaway rules -----------------------------------------------------------------------------

@blueprint.get("/putaway", endpoint="putaway_rules")
@permission("wms.view")
def putaway_rules():
    query = (
        select(Putaway, Warehouse.code)
        .join(Warehouse, Warehouse.id == Putaway.warehouse_id)
        .join(Location, Location.id == Putaway.location_id)
        .outerjoin(Product, Product.id == Putaway.product_id)
        .where(Putaway.company_id == g.company.id)
    )
    columns = [
        Column("warehouse", _l("Warehouse"), Warehouse.code, get=lambda r: r[1]),
        Column("product", _l("Product"), Product.sku, searchable=True,
               get=lambda r: r[0].product.sku if r[0].product else None),
        Column("category", _l("Category"), Putaway.category, searchable=True, get=lambda r: r[0].category),
        Column("location", _l("Put it at"), Location.code, searchable=True, get=lambda r: r[0].location.code),
    ]
    actions = [(_("New putaway rule"), url_for("wms.new_putaway"))] if _may_set_up() else []
    return _setup_list(
        query,
        columns,
        title=_("Putaway rules"),
        default_sort="warehouse",
        tiebreak=[Putaway.id],
        filename="putaway-rules",
        actions=actions,
        template="wms/putaway.html",
        may_set_up=_may_set_up(),
        form=ActionForm(),
        note=_(
            "Where received goods go: a product's rule wins over its category's; without either "
            "they stay where the receipt brought them."
        ),
    )


@blueprint.route("/putaway/-/new", methods=["GET", "POST"], endpoint="new_putaway")
@permission("wms.approve")
def new_putaway():
    form = PutawayForm()

    def create():
        product = (form.product.data or "").strip()
        rule = add_rule(db_session(), g.company, scanned_location(form.location.data),
                        product=scanned_product(product) if product else None,
                        category=(form.category.data or "").strip() or None)
        flash(
            _(
                "Received %(what)s now goes to %(code)s.",
                what=rule.product.sku if rule.product else rule.category,
                code=rule.location.code,
            )
        )
        return redirect(url_for("wms.putaway_rules"))

    return form_page(form, create, title=_("New putaway rule"), cancel=url_for("wms.putaway_rules"))


@blueprint.post("/putaway/<int:rule_id>/remove", endpoint="remove_putaway")
@permission("wms.approve")
def remove_putaway(rule_id: int):
    checked(ActionForm())
    session = db_session()
    rule = session.scalar(select(Putaway).where(Putaway.company_id == g.company.id, Putaway.id == rule_id))
    if rule is None:
        abort(404, _("No such putaway rule."))
    house = session.get(Warehouse, rule.warehouse_id)
    remove_rule(session, g.company, house.code, product=rule.product.sku if rule.product else None,
                category=rule.category)
    flash(_("The putaway rule is removed."))
    return redirect(url_for("wms.putaway_rules"))


"""Set-up: procurement's settings (approval threshold, match tolerances,
receiving warehouse) and the supplier catalogue."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.models import Party, Product, Unit
from plugins.procurement.catalogue import remove_supplier_product, set_supplier_product
from plugins.procurement.models import SupplierProduct
from plugins.procurement.routes import blueprint
from plugins.procurement.routes.common import ActionForm, checked, choice, filter_links, has, hints, typed
from plugins.procurement.routes.forms import CatalogueForm, SettingsForm
from plugins.procurement.settings import settings_view, update_settings
from plugins.procurement.values import money, quantity
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import NUMBER, Column, detail_page, list_page

__all__: list[str] = []


@blueprint.get("/settings", endpoint="settings")
@permission("procurement.view")
def settings():
    view = settings_view(db_session(), g.company)
    record = {
        "approval_threshold": view.approval_threshold,
        "quantity_tolerance": view.quantity_tolerance,
        "price_tolerance": view.price_tolerance,
        "warehouse": view.warehouse,
        "quote_days": view.quote_days,
        "currency": view.currency,
        "wms": has("wms"),
        "finance": has("finance"),
    }
    return detail_page("procurement/settings.html", record, data=record)


@blueprint.route("/settings/edit", methods=["GET", "POST"], endpoint="edit_settings")
@permission("procurement.approve")
def edit_settings():
    if request.method == "GET":
        view = settings_view(db_session(), g.company)
        form = SettingsForm(
            data={
                "approval_threshold": typed(view.approval_threshold),
                "quantity_tolerance": typed(view.quantity_tolerance),
                "price_tolerance": typed(view.price_tolerance),
                "warehouse": view.warehouse or "",
                "quote_days": str(view.quote_days),
            }
        )
    else:
        form = SettingsForm()
    if not has("wms"):
        del form.warehouse

    def save():
        changes = {
            "approval_threshold": form.approval_threshold.data or None,
            "quantity_tolerance": form.quantity_tolerance.data,
            "price_tolerance": form.price_tolerance.data,
            "quote_days": form.quote_days.data,
        }
        if "warehouse" in form:
            changes["warehouse"] = form.warehouse.data or None
        update_settings(db_session(), g.company, **changes)
        flash(_("The purchasing settings are saved."))
        return redirect(url_for("procurement.settings"))

    return form_page(form, save, title=_("Purchasing settings"), cancel=url_for("procurement.settings"))


_ACTIVE = {"1": True, "0": False}


def _edit_link(row: SupplierProduct):
    if "procurement.buy" not in g.permissions:
        return None
    return url_for("procurement.set_catalogue", supplier=row.party.code, product=row.product.sku)


@blueprint.get("/catalogue", endpoint="catalogue")
@permission("procurement.view")
def catalogue():
    query = (select(SupplierProduct).join(Party, Party.id == SupplierProduct.party_id)
             .join(Product, Product.id == SupplierProduct.product_id).join(Unit, Unit.id == Product.unit_id)
             .options(contains_eager(SupplierProduct.party),
                      contains_eager(SupplierProduct.product).contains_eager(Product.unit))
             .where(SupplierProduct.company_id == g.company.id))
    active = choice("active", _ACTIVE)
    query = query.where(SupplierProduct.active.is_(True if active is None else active))
    columns = [
        Column(
            "product",
            _l("Product"),
            Product.sku,
            searchable=True,
            get=lambda r: r.product.sku,
            link=_edit_link,
        ),
        Column("name", _l("Name"), Product.name, searchable=True, get=lambda r: r.product.name),
        Column(
            "supplier",
            _l("Supplier"),
            Party.code,
            searchable=True,
            get=lambda r: r.party.code,
            link=lambda r: url_for("procurement.performance", supplier=r.party.code),
        ),
        Column("supplier_name", _l("Supplier name"), Party.name, searchable=True, get=lambda r: r.party.name),
        Column("supplier_sku", _l("Supplier's SKU"), SupplierProduct.supplier_sku, searchable=True),
        Column(
            "price",
            _l("Price"),
            SupplierProduct.price_units,
            kind=NUMBER,
            get=lambda r: money(r.price_units, r.currency),
        ),
        Column("currency", _l("Currency"), SupplierProduct.currency),
        Column("lead_time_days", _l("Lead time (days)"), SupplierProduct.lead_time_days, kind=NUMBER),
        Column(
            "min_quantity",
            _l("Minimum"),
            SupplierProduct.min_quantity_units,
            kind=NUMBER,
            get=lambda r: quantity(r.product, r.min_quantity_units),
        ),
        Column("unit", _l("Unit"), Unit.code, get=lambda r: r.product.unit.code),
        Column(
            "preferred",
            _l("Preferred"),
            SupplierProduct.preferred,
            get=lambda r: _("yes") if r.preferred else "",
        ),
    ]
    actions = [(_("Add or change a price"), url_for("procurement.set_catalogue"))] \
        if "procurement.buy" in g.permissions else []
    return list_page(query, columns, title=_("Supplier catalogue"), default_sort="product",
                     tiebreak=[Party.code, SupplierProduct.id], filename="catalogue",
                     template="procurement/list.html", actions=actions,
                     links=[(_("Purchasing settings"), url_for("procurement.settings")),
                            (_("Single-source products"), url_for("procurement.single_source"))],
                     filter_groups=[(_("Rows"), filter_links("active", [("", _("Active")),
                                                                         ("0", _("Removed"))]))])


@blueprint.route("/catalogue/-/set", methods=["GET", "POST"], endpoint="set_catalogue")
@permission("procurement.buy")
def set_catalogue():
    form = CatalogueForm()
    existing = None
    if request.method == "GET":
        supplier, sku = request.args.get("supplier", "")[:40], request.args.get("product", "")[:64]
        existing = _existing(supplier, sku)
        form.supplier.data, form.product.data = supplier, sku
        form.currency.data = existing.currency if existing else g.company.currency
        form.lead_time_days.data = str(existing.lead_time_days) if existing else "0"
        if existing is not None:
            form.price.data = typed(money(existing.price_units, existing.currency))
            form.min_quantity.data = typed(quantity(existing.product, existing.min_quantity_units))
            form.supplier_sku.data = existing.supplier_sku or ""
            form.preferred.data = existing.preferred

    def save():
        row = set_supplier_product(
            db_session(),
            g.company,
            form.supplier.data.strip(),
            form.product.data.strip(),
            price=form.price.data,
            currency=(form.currency.data or "").strip() or None,
            lead_time_days=form.lead_time_days.data,
            min_quantity=(form.min_quantity.data or "").strip() or "0",
            preferred=form.preferred.data,
            supplier_sku=form.supplier_sku.data,
        )
        flash(_("%(supplier)s sells %(product)s at %(price)s %(currency)s.", supplier=row.supplier,
                product=row.product, price=row.price, currency=row.currency))
        return redirect(url_for("procurement.catalogue"))

    return form_page(form, save, template="procurement/catalogue_form.html", hints=hints(), existing=existing,
                     button=ActionForm(), title=_("Supplier price"), cancel=url_for("procurement.catalogue"))


def _existing(supplier: str, sku: str):
    """The active catalogue row the form was opened for, if any."""
    if not supplier or not sku:
        return None
    return db_session().scalar(select(SupplierProduct).join(Party, Party.id == SupplierProduct.party_id)
                               .join(Product, Product.id == SupplierProduct.product_id).where(
        SupplierProduct.company_id == g.company.id, Party.code == supplier.strip(),
        Product.sku == sku.strip(), SupplierProduct.active.is_(True)))


@blueprint.post("/catalogue/<supplier>/<path:sku>/remove", endpoint="remove_catalogue")
@permission("procurement.buy")
def remove_catalogue(supplier: str, sku: str):
    checked(ActionForm())
    remove_supplier_product(db_session(), g.company, supplier, sku)
    flash(_("%(product)s is no longer in %(supplier)s's catalogue.", product=sku, supplier=supplier))
    return redirect(url_for("procurement.catalogue"))


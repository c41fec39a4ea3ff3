"""The order side's set-up pages: settings, customer terms (credit limits), price lists."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.catalog import get_party
from core.models import Party
from plugins.sales.customers import customer_data, customer_of, set_terms
from plugins.sales.documents import Customer, PriceList
from plugins.sales.pricing import create_price_list, find_price_list, price_list_data, remove_price, set_price
from plugins.sales.routes import blueprint
from plugins.sales.routes.orders_common import (
    SETUP_TABS,
    ActionForm,
    PriceForm,
    PriceListForm,
    SettingsForm,
    TermsForm,
    checked,
    text_of,
    word,
)
from plugins.sales.settings import price_list_code, settings_of, update_settings
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import AMOUNT, Column, detail_page, list_page


@blueprint.route("/settings/orders", methods=["GET", "POST"], endpoint="order_settings")
@permission("sales.view")
def order_settings():
    session = db_session()
    row = settings_of(session, g.company)
    form = SettingsForm(data={"invoice_policy": row.invoice_policy.value, "warehouse": row.warehouse or "",
                              "quotation_days": str(row.quotation_days),
                              "price_list": price_list_code(session, row) or ""})
    if request.method == "POST" and "sales.manage" not in g.permissions:
        from core.errors import PermissionDenied

        raise PermissionDenied(_("You may not change the sales settings."))

    def save():
        update_settings(session, g.company, invoice_policy=form.invoice_policy.data,
                        warehouse=text_of(form.warehouse), quotation_days=form.quotation_days.data,
                        price_list=text_of(form.price_list))
        flash(_("The settings are saved."))
        return redirect(url_for("sales.order_settings"))

    return form_page(form, save, template="sales/order_setup_form.html", title=_("Order settings"),
                     tabs=SETUP_TABS, may_edit="sales.manage" in g.permissions,
                     policy=word(row.invoice_policy))


@blueprint.get("/customers", endpoint="customers")
@permission("sales.view")
def customers():
    query = (
        select(Customer)
        .join(Party, Party.id == Customer.party_id)
        .options(contains_eager(Customer.party))
        .where(Customer.company_id == g.company.id)
    )
    known: dict[int, dict] = {}

    def terms(row: Customer) -> dict:  # one exposure query per row, however many columns show it
        if row.id not in known:
            known[row.id] = customer_data(db_session(), g.company, row)
        return known[row.id]

    columns = [
        Column(
            "party",
            _l("Code"),
            Party.code,
            searchable=True,
            link=lambda c: url_for("sales.customer_terms", party=c.party.code),
            get=lambda c: c.party.code,
        ),
        Column("name", _l("Customer"), Party.name, searchable=True, get=lambda c: c.party.name),
        Column(
            "credit_limit",
            _l("Credit limit"),
            Customer.credit_limit_units,
            kind=AMOUNT,
            get=lambda c: terms(c)["credit_limit"],
        ),
        Column("exposure", _l("Owes and will owe"), None, kind=AMOUNT, get=lambda c: terms(c)["exposure"]),
        Column("price_list", _l("Price list"), None, get=lambda c: terms(c)["price_list"]),
        Column(
            "salesperson",
            _l("Salesperson"),
            None,
            get=lambda c: c.salesperson.username if c.salesperson else None,
        ),
    ]
    actions = [(_("Set terms"), url_for("sales.customer_terms"))] if "sales.manage" in g.permissions else []
    return list_page(query, columns, title=_("Customer terms"), default_sort="party", tiebreak=[Customer.id],
                     filename="customers", template="sales/order_list.html", actions=actions, tabs=SETUP_TABS)


@blueprint.route("/customers/terms", methods=["GET", "POST"], endpoint="customer_terms")
@permission("sales.manage")
def customer_terms():
    session = db_session()
    code = request.args.get("party", "").strip()[:40]
    data = {}
    if code and request.method == "GET":
        row = customer_of(session, g.company, get_party(session, g.company, code))
        current = customer_data(session, g.company, row) if row else {}
        data = {
            "party": code,
            "credit_limit": str(current.get("credit_limit") or ""),
            "price_list": current.get("price_list") or "",
            "salesperson": current.get("salesperson") or "",
        }
    form = TermsForm(data=data)

    def save():
        set_terms(session, g.company, form.party.data.strip(), credit_limit=text_of(form.credit_limit),
                  price_list=text_of(form.price_list), salesperson=text_of(form.salesperson))
        flash(_("The terms of %(party)s are saved.", party=form.party.data.strip()))
        return redirect(url_for("sales.customers"))

    return form_page(form, save, title=_("Customer terms"), cancel=url_for("sales.customers"))


@blueprint.get("/pricelists", endpoint="pricelists")
@permission("sales.view")
def pricelists():
    query = select(PriceList).where(PriceList.company_id == g.company.id)
    columns = [
        Column("code", _l("Code"), PriceList.code, searchable=True,
               link=lambda p: url_for("sales.pricelist", code=p.code)),
        Column("name", _l("Name"), PriceList.name, searchable=True),
        Column("currency", _l("Currency"), PriceList.currency),
    ]
    actions = (
        [(_("New price list"), url_for("sales.new_pricelist"))] if "sales.manage" in g.permissions else []
    )
    return list_page(
        query,
        columns,
        title=_("Price lists"),
        default_sort="code",
        tiebreak=[PriceList.id],
        filename="pricelists",
        template="sales/order_list.html",
        actions=actions,
        tabs=SETUP_TABS,
    )


@blueprint.route("/pricelists/new", methods=["GET", "POST"], endpoint="new_pricelist")
@permission("sales.manage")
def new_pricelist():
    form = PriceListForm()

    def create():
        row = create_price_list(db_session(), g.company, form.code.data, form.name.data)
        flash(_("Price list %(code)s is created.", code=row.code))
        return redirect(url_for("sales.pricelist", code=row.code))

    return form_page(form, create, title=_("New price list"), cancel=url_for("sales.pricelists"))


@blueprint.get("/pricelists/<code>", endpoint="pricelist")
@permission("sales.view")
def pricelist(code: str):
    row = find_price_list(db_session(), g.company, code)
    data = price_list_data(g.company, row)
    return detail_page(
        "sales/pricelist.html",
        data,
        data=data,
        form=PriceForm(formdata=None),
        action=ActionForm(),
        tabs=SETUP_TABS,
    )


@blueprint.post("/pricelists/<code>/prices", endpoint="set_price")
@permission("sales.manage")
def set_pricelist_price(code: str):
    form = PriceForm()
    checked(form)
    set_price(db_session(), g.company, code, form.product.data.strip(), form.price.data.strip(),
              min_quantity=text_of(form.min_quantity) or "0", discount_percent=text_of(form.discount) or "0")
    flash(_("The price is saved."))
    return redirect(url_for("sales.pricelist", code=code))


@blueprint.post("/pricelists/<code>/prices/<sku>/remove", endpoint="remove_price")
@permission("sales.manage")
def remove_pricelist_price(code: str, sku: str):
    checked(ActionForm())
    remove_price(db_session(), g.company, code, sku, min_quantity=request.form.get("min_quantity", "0")[:30])
    flash(_("The price is removed."))
    return redirect(url_for("sales.pricelist", code=code))

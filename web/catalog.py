"""Parties and products: lists, a 360° party page, product pages, new-record forms.

The party page asks every installed plugin what it knows about the party
(``party_timeline``, ``party_roles``) and merges the answers newest first;
the product page collects ``product_facts`` the same way.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp
from wtforms.validators import Optional as Blank

from core.catalog import create_party, create_product, get_party, get_product
from core.models import Party, PartyKind, Product, Unit
from web.access import permission
from web.context import company_hooks, db_session
from web.forms import form_page
from web.lists import Column, detail_page, jsonable, list_page

__all__ = ["parties", "products"]

parties = Blueprint("parties", __name__, url_prefix="/c/<company>/parties")
products = Blueprint("products", __name__, url_prefix="/c/<company>/products")


def _flat(groups) -> list:
    return [item for group in groups for item in group or []]


def _moment(entry) -> dt.datetime:
    """When an entry happened, comparable across plugins: naive UTC; a bare date sorts at its day's end."""
    when = entry.when
    if not isinstance(when, dt.datetime):
        return dt.datetime.combine(when, dt.time.max)
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when


@parties.get("/", endpoint="index")
@permission("parties.view")
def party_list():
    columns = [
        Column(
            "code",
            _l("Code"),
            Party.code,
            searchable=True,
            link=lambda p: url_for("parties.party", code=p.code),
        ),
        Column("name", _l("Name"), Party.name, searchable=True),
        Column("kind", _l("Kind"), Party.kind, get=lambda p: _(p.kind.value)),
        Column("email", _l("E-mail"), Party.email, searchable=True),
        Column("phone", _l("Phone"), Party.phone),
    ]
    return list_page(select(Party).where(Party.company_id == g.company.id), columns, title=_("Parties"),
                     default_sort="name", tiebreak=[Party.id], filename="parties",
                     actions=[(_("New party"), url_for("parties.new_party"))])


@parties.get("/<path:code>")
@permission("parties.view")
def party(code: str):
    found = get_party(db_session(), g.company, code)
    hooks = company_hooks()
    timeline = sorted(_flat(hooks.party_timeline(session=db_session(), company=g.company, party=found)),
                      key=_moment, reverse=True)
    roles = sorted(set(_flat(hooks.party_roles(session=db_session(), company=g.company, party=found))))
    record = {
        "code": found.code,
        "name": found.name,
        "kind": found.kind,
        "email": found.email,
        "phone": found.phone,
        "tax_id": found.tax_id,
        "roles": roles,
        "contacts": [
            {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in found.contacts
        ],
        "addresses": [
            {
                "purpose": a.purpose,
                "line1": a.line1,
                "city": a.city,
                "postal_code": a.postal_code,
                "country": a.country,
            }
            for a in found.addresses
        ],
        "timeline": [
            {
                "when": jsonable(e.when),
                "plugin": e.plugin,
                "kind": e.kind,
                "title": e.title,
                "detail": e.detail,
                "url": e.url,
                "amount": jsonable(e.amount),
                "currency": e.currency,
            }
            for e in timeline
        ],
    }
    return detail_page("parties/party.html", record, party=found, roles=roles, timeline=timeline)


class PartyForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, _l(k.value)) for k in PartyKind],
                       default=PartyKind.ORGANISATION.value)
    email = EmailField(_l("E-mail"), validators=[Blank(), Length(max=200), Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address."))])
    phone = StringField(_l("Phone"), validators=[Blank(), Length(max=40)])
    tax_id = StringField(_l("Tax id"), validators=[Blank(), Length(max=40)])


@parties.route("/-/new", methods=["GET", "POST"])  # "-/": no code is taken from the records
@permission("parties.edit")
def new_party():
    form = PartyForm()

    def create():
        made = create_party(db_session(), g.company, form.code.data, form.name.data, kind=form.kind.data,
                            email=form.email.data or None, phone=form.phone.data or None,
                            tax_id=form.tax_id.data or None)
        flash(_("Party %(code)s is created.", code=made.code))
        return redirect(url_for("parties.party", code=made.code))

    return form_page(form, create, title=_("New party"), cancel=url_for("parties.index"))


@products.get("/", endpoint="index")
@permission("products.view")
def product_list():
    columns = [
        Column(
            "sku",
            _l("SKU"),
            Product.sku,
            searchable=True,
            link=lambda p: url_for("products.product", sku=p.sku),
        ),
        Column("name", _l("Name"), Product.name, searchable=True),
        Column("category", _l("Category"), Product.category, searchable=True),
        Column("unit", _l("Unit"), Unit.code, get=lambda p: p.unit.code),
        Column("barcode", _l("Barcode"), Product.barcode, searchable=True),
    ]
    query = select(Product).join(Unit, Unit.id == Product.unit_id).where(Product.company_id == g.company.id)
    return list_page(query, columns, title=_("Products"), default_sort="sku", tiebreak=[Product.id],
                     filename="products", actions=[(_("New product"), url_for("products.new_product"))])


@products.get("/<path:sku>")
@permission("products.view")
def product(sku: str):
    found = get_product(db_session(), g.company, sku)
    facts = _flat(company_hooks().product_facts(session=db_session(), company=g.company, product=found))
    record = {
        "sku": found.sku,
        "name": found.name,
        "unit": found.unit.code,
        "category": found.category,
        "barcode": found.barcode,
        "active": found.active,
        "facts": [{"plugin": f.plugin, "label": f.label, "value": f.value, "url": f.url} for f in facts],
    }
    return detail_page("products/product.html", record, product=found, facts=facts)


class ProductForm(FlaskForm):
    sku = StringField(_l("SKU"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    unit = StringField(_l("Unit"), default="pcs", validators=[DataRequired(), Length(max=20)])
    category = StringField(_l("Category"), validators=[Blank(), Length(max=100)])
    barcode = StringField(_l("Barcode"), validators=[Blank(), Length(max=64)])


@products.route("/-/new", methods=["GET", "POST"])
@permission("products.edit")
def new_product():
    form = ProductForm()

    def create():
        made = create_product(db_session(), g.company, form.sku.data, form.name.data, unit=form.unit.data,
                              category=form.category.data or None, barcode=form.barcode.data or None)
        flash(_("Product %(sku)s is created.", sku=made.sku))
        return redirect(url_for("products.product", sku=made.sku))

    return form_page(form, create, title=_("New product"), cancel=url_for("products.index"))

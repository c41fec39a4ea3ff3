"""Contracts: the list (with the bill-due button), one contract's page with its billings, a new contract."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.errors import Invalid
from core.models import Party
from plugins.sales import partners
from plugins.sales.contracts import (
    ContractLineSpec,
    bill_due,
    contract_data,
    create_contract,
    end_contract,
    find_contract,
)
from plugins.sales.documents import Contract
from plugins.sales.routes import blueprint
from plugins.sales.routes.orders_common import (
    ActionForm,
    BillDueForm,
    ContractForm,
    checked,
    partner_url,
    text_of,
    word,
)
from web.access import permission
from web.context import db_session
from web.forms import form_page
from web.lists import DATE, Column, detail_page, list_page


def contract_url(contract: Contract) -> str:
    return url_for("sales.contract", number=contract.number)


@blueprint.get("/contracts", endpoint="contracts")
@permission("sales.view")
def contracts():
    query = (
        select(Contract)
        .join(Party, Party.id == Contract.party_id)
        .options(contains_eager(Contract.party))
        .where(Contract.company_id == g.company.id)
    )
    columns = [
        Column("number", _l("Number"), Contract.number, searchable=True, link=contract_url),
        Column("state", _l("State"), Contract.state, get=lambda c: word(c.state)),
        Column("customer", _l("Customer"), Party.name, searchable=True, get=lambda c: c.party.name),
        Column("interval", _l("Every"), Contract.interval, get=lambda c: f"{c.every} {word(c.interval)}"),
        Column("start", _l("Start"), Contract.start, kind=DATE),
        Column("end", _l("End"), Contract.end, kind=DATE),
        Column("next_billing", _l("Next billing"), Contract.next_billing, kind=DATE),
    ]
    may_sell = "sales.sell" in g.permissions
    actions = [(_("New contract"), url_for("sales.new_contract"))] if may_sell else []
    return list_page(query, columns, title=_("Contracts"), default_sort="number", tiebreak=[Contract.id],
                     filename="contracts", template="sales/contract_list.html", actions=actions,
                     bill_form=BillDueForm(formdata=None) if may_sell else None)


@blueprint.get("/contracts/<number>", endpoint="contract")
@permission("sales.view")
def contract(number: str):
    session = db_session()
    row = find_contract(session, g.company, number)
    data = contract_data(session, g.company, row)
    finance = partners.installed(session, g.company, "finance")
    for b in data["billings"]:
        b["url"] = partner_url("finance.document", "finance.view", ref=b["invoice"]) if b["invoice"] else None
    return detail_page("sales/contract.html", data, contract=row, data=data, word=word, finance=finance,
                       form=ActionForm())


@blueprint.route("/contracts/new", methods=["GET", "POST"], endpoint="new_contract")
@permission("sales.sell")
def new_contract():
    form = ContractForm()

    def create():
        specs = []
        for line in (entry.form for entry in form.lines):
            if not line.entered():
                continue
            if not (text_of(line.product) and text_of(line.quantity) and text_of(line.price)):
                raise Invalid(_("Each line needs a product, a quantity and a price."))
            specs.append(ContractLineSpec(text_of(line.product), text_of(line.quantity), text_of(line.price)))
        row = create_contract(db_session(), g.company, form.party.data.strip(), specs, start=form.start.data,
                              end=text_of(form.end), interval=form.interval.data, every=form.every.data,
                              salesperson=text_of(form.salesperson))
        flash(_("Contract %(number)s is created.", number=row.number))
        return redirect(contract_url(row))

    return form_page(form, create, template="sales/order_form.html", title=_("New contract"),
                     cancel=url_for("sales.contracts"))


@blueprint.post("/contracts/bill-due", endpoint="bill_due")
@permission("sales.sell")
def bill_due_now():
    form = BillDueForm()
    checked(form)
    billed = bill_due(db_session(), g.company, text_of(form.date))
    flash(_("%(count)s period(s) billed.", count=len(billed)))
    return redirect(url_for("sales.contracts"))


@blueprint.post("/contracts/<number>/end", endpoint="end_contract")
@permission("sales.sell")
def end_this_contract(number: str):
    checked(ActionForm())
    row = end_contract(db_session(), g.company, number)
    flash(_("%(number)s ends.", number=row.number))
    return redirect(contract_url(row))

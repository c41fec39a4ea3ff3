"""The hooks finance offers: a localisation replaces the tax method for the
companies that installed it; listeners hear invoices posted and paid, and a
listener that refuses rolls the whole operation back (number included)."""

from __future__ import annotations

import types
from decimal import ROUND_DOWN, Decimal

import pytest
from sqlalchemy import select

import plugins.finance as finance
from core import PluginInfo, hookimpl
from core.errors import Conflict
from core.installation import install
from plugins.finance import api
from plugins.finance.documents import Invoice
from tests.plugins.finance.conftest import assert_books_sound, make_books


def _plugin(name, requires=(), optional=(), **hooks):
    module = types.ModuleType(name)
    module.PLUGIN = PluginInfo(name=name, version="1.0", requires=requires, optional=optional)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, function)
    return module


@hookimpl
def _truncating_vat(company, currency, lines):
    """A localisation: VAT below one won is cut off, never rounded up."""
    results = []
    for line in lines:
        net = line.amount.quantize(Decimal(1), rounding=ROUND_DOWN)
        results.append(api.LineTaxes(net, tuple((net * t.rate / 100).quantize(Decimal(1), rounding=ROUND_DOWN)
                                                for t in line.taxes)))
    return api.TaxResult(tuple(results))


def test_a_localisation_replaces_the_tax_method_for_its_companies_only(fdb):
    localisation = _plugin("krlocal", requires=("finance",), compute_taxes=_truncating_vat)
    fdb.use_plugins(finance, localisation)
    plain, local = make_books(fdb, "PLAIN"), make_books(fdb, "LOCAL")
    with fdb.session() as s:
        install(s, local, ["krlocal"])
        lines = [api.LineInput("Odd amount", "1005")]  # VAT 100.5: rounded up to 101, or cut to 100
        assert api.create_document(s, plain, "invoice", "C1", "2026-03-02", lines, post=True).tax == 101
        assert api.create_document(s, local, "invoice", "C1", "2026-03-02", lines, post=True).tax == 100
        assert_books_sound(s, plain)
        assert_books_sound(s, local)


def test_listeners_hear_invoices_posted_and_paid_with_their_origin(fdb):
    heard = []

    @hookimpl(optionalhook=True)
    def invoice_posted(session, company, event):
        heard.append(("posted", event.number, event.origin, event.total))

    @hookimpl(optionalhook=True)
    def invoice_paid(session, company, event):
        heard.append(("paid", event.number, event.origin, event.paid_on.isoformat()))

    listener = _plugin(
        "listener", optional=("finance",), invoice_posted=invoice_posted, invoice_paid=invoice_paid
    )
    fdb.use_plugins(finance, listener)
    company = make_books(fdb)
    with fdb.session() as s:
        install(s, company, ["listener"])
        doc = api.create_document(
            s,
            company,
            "invoice",
            "C1",
            "2026-03-02",
            [api.LineInput("Order", "10000")],
            origin="sales:SO-7",
            post=True,
        )
        api.register_payment(s, company, "C1", "5000", "2026-03-10")
        assert heard == [("posted", doc.number, "sales:SO-7", Decimal(11000))]
        number = api.register_payment(s, company, "C1", "6000", "2026-03-12")
        assert heard[-1] == ("paid", doc.number, "sales:SO-7", "2026-03-12")
        assert number == "BANK/2026/00002"
        assert [d.payment_state for d in api.documents_of_origin(s, company, "sales:SO-7")] == ["paid"]


def test_a_listener_that_refuses_rolls_the_post_back_and_the_number_is_reused(fdb):
    @hookimpl(optionalhook=True)
    def invoice_posted(session, company, event):
        if event.total > 1_000_000:
            raise Conflict("credit limit exceeded")

    fdb.use_plugins(finance, _plugin("guard", optional=("finance",), invoice_posted=invoice_posted))
    company = make_books(fdb)
    with fdb.session() as s:
        install(s, company, ["guard"])
    with pytest.raises(Conflict, match="credit limit"):
        with fdb.session() as s:
            api.create_document(s, company, "invoice", "C1", "2026-03-02", [api.LineInput("Big", "2000000")],
                                post=True)
    with fdb.session() as s:
        assert s.scalar(select(Invoice.id)) is None
        small = api.create_document(
            s, company, "invoice", "C1", "2026-03-02", [api.LineInput("Small", "1000")], post=True
        )
        assert small.number == "INV/2026/00001"
        assert_books_sound(s, company)


def test_finance_works_for_a_company_without_the_listener_installed(fdb):
    @hookimpl(optionalhook=True)
    def invoice_posted(session, company, event):
        raise AssertionError("must not be called for a company that did not install it")

    fdb.use_plugins(finance, _plugin("absent", optional=("finance",), invoice_posted=invoice_posted))
    company = make_books(fdb)
    with fdb.session() as s:
        assert api.create_document(s, company, "invoice", "C1", "2026-03-02", [api.LineInput("x", "1000")],
                                   post=True).state == "posted"

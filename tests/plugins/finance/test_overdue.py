"""The one overdue rule (:mod:`plugins.finance.overdue`): the row test, its SQL form (the documents'
``overdue`` filter) and the dashboard's counts agree for drafts, open, part-paid and paid documents
due before, on and after the day."""

from __future__ import annotations

import datetime as dt

from core.companies import get_company
from plugins.finance.documents import Invoice, InvoiceKind
from plugins.finance.invoice_posting import post_invoice
from plugins.finance.invoices import LineInput, create_invoice
from plugins.finance.overdue import is_overdue, overdue_condition
from plugins.finance.settlement import register_payment
from plugins.finance.widgets import open_items
from tests.same_rule import rule_rows

TODAY = dt.date(2026, 3, 15)


def test_row_rule_sql_rule_and_dashboard_agree(books):
    db, company = books
    with db.session() as s:
        company = get_company(s, "ACME")
        for due_offset in (-10, -1, 0, 5):
            due = TODAY + dt.timedelta(days=due_offset)
            create_invoice(s, company, "invoice", "C1", "2026-01-10", [LineInput("Draft", "1000")], due=due)
            for party, kind in (("C1", "invoice"), ("S1", "bill")):
                post_invoice(s, company, create_invoice(s, company, kind, party, "2026-01-10",
                                                        [LineInput("Open", "1000")], due=due))
        paid = post_invoice(
            s,
            company,
            create_invoice(
                s,
                company,
                "invoice",
                "C2",
                "2026-01-10",
                [LineInput("Paid", "1000")],
                due=TODAY - dt.timedelta(days=3),
            ),
        )
        register_payment(s, company, "C2", str(paid.total_units), "2026-01-20")
    with db.session() as s:
        company = get_company(s, "ACME")
        documents, by_row = rule_rows(
            s, Invoice, company, lambda d: is_overdue(d, TODAY), overdue_condition(TODAY)
        )
        assert len(by_row) == 4  # two invoices and two bills past their day
        items = open_items(s, company, TODAY)
        assert items["overdue_invoices"][0] == sum(1 for d in documents
                                                   if d.id in by_row and d.kind is InvoiceKind.INVOICE)
        assert items["overdue_bills"][0] == sum(
            1 for d in documents if d.id in by_row and d.kind is InvoiceKind.BILL
        )

"""A document to print: an HTML page with its own print stylesheet, and the
same page as a PDF when a PDF library (WeasyPrint) is installed.

WeasyPrint is not a dependency: without it the PDF address answers 501 and
points at the print view, which every browser prints to PDF as well.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Optional

from flask import Response, g, render_template, request

from core.models import Party
from plugins.finance.invoices import find_invoice
from plugins.finance.routes import blueprint
from plugins.finance.routes.common import document_title, document_url, status_word
from plugins.finance.routes.documents import tax_summary
from plugins.finance.views import invoice_data
from web.access import permission
from web.context import db_session

__all__ = ["pdf_library"]


def pdf_library() -> Optional[ModuleType]:
    """WeasyPrint when it can be imported (its native libraries too), else ``None``."""
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError):
        return None


def _printable(ref: str, for_pdf: bool = False) -> str:
    session = db_session()
    invoice = find_invoice(session, g.company, ref)
    party = session.get(Party, invoice.party_id)
    return render_template(
        "finance/print.html",
        doc=invoice,
        data=invoice_data(session, invoice),
        party=party,
        address=party.addresses[0] if party.addresses else None,
        taxes=tax_summary(invoice),
        heading=document_title(invoice),
        status=status_word(invoice),
        for_pdf=for_pdf,
        back=document_url(invoice),
        pdf=document_url(invoice, "finance.document_pdf"),
    )


@blueprint.get("/invoices/<path:ref>/print", endpoint="document_print")
@permission("finance.view")
def document_print(ref: str):
    return _printable(ref)


@blueprint.get("/invoices/<path:ref>/pdf", endpoint="document_pdf")
@permission("finance.view")
def document_pdf(ref: str):
    library = pdf_library()
    if library is None:
        invoice = find_invoice(db_session(), g.company, ref)  # an unknown document is still a 404
        return render_template("finance/no_pdf.html", doc=invoice,
                               print_url=document_url(invoice, "finance.document_print")), 501
    html = _printable(ref, for_pdf=True)
    invoice = find_invoice(db_session(), g.company, ref)
    pdf = library.HTML(string=html, base_url=request.url_root).write_pdf()
    name = (invoice.number or f"draft-{invoice.id}").replace("/", "-")  # ASCII: it goes into a header
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}.pdf"'}
    )

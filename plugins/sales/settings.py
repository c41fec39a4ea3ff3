"""Sales's company settings: when orders are invoiced, which warehouse
delivers them, how long quotations stay valid, the default price list and
the public enquiry form's limits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.errors import Invalid
from core.models import Company
from core.scoping import settings_row
from core.values import parse_whole
from plugins.sales import partners
from plugins.sales.documents import InvoicePolicy, PriceList, Settings

__all__ = ["set_up_settings", "settings_of", "update_settings", "UNCHANGED"]

UNCHANGED = object()


def set_up_settings(session: Session, company: Company) -> Settings:
    """The settings row of ``company`` (idempotent): invoice on delivery, quotations valid 30 days."""
    settings = session.get(Settings, company.id)
    if settings is None:
        settings = Settings(company_id=company.id, invoice_policy=InvoicePolicy.DELIVERY, quotation_days=30,
                            lead_form=True, lead_form_per_hour=5)
        session.add(settings)
        session.flush()
    return settings


def settings_of(session: Session, company: Company) -> Settings:
    return settings_row(session, Settings, company, "sales")


def _whole(value, what: str, low: int, high: int) -> int:
    return parse_whole(value, what, low, high)


def update_settings(session: Session, company: Company, *, invoice_policy=UNCHANGED, warehouse=UNCHANGED,
                    quotation_days=UNCHANGED, price_list=UNCHANGED, lead_form=UNCHANGED,
                    lead_form_per_hour=UNCHANGED) -> Settings:
    """Change what is given; ``warehouse`` must be a wms warehouse (``None``: wms's first one)."""
    settings = settings_of(session, company)
    if invoice_policy is not UNCHANGED:
        try:
            settings.invoice_policy = InvoicePolicy(str(getattr(invoice_policy, "value", invoice_policy)))
        except ValueError:
            raise Invalid(f"invoice policy must be 'order' or 'delivery', not {invoice_policy!r}") from None
    if warehouse is not UNCHANGED:
        code = (warehouse or "").strip() or None
        if code is not None:
            _check_warehouse(session, company, code)
        settings.warehouse = code
    if quotation_days is not UNCHANGED:
        settings.quotation_days = _whole(quotation_days, "quotation validity (days)", 0, 3650)
    if price_list is not UNCHANGED:
        if price_list is None or not str(price_list).strip():
            settings.default_price_list_id = None
        else:
            from plugins.sales.pricing import find_price_list

            settings.default_price_list_id = find_price_list(session, company, str(price_list).strip()).id
    if lead_form is not UNCHANGED:
        settings.lead_form = bool(lead_form)
    if lead_form_per_hour is not UNCHANGED:
        settings.lead_form_per_hour = _whole(lead_form_per_hour, "enquiries per address and hour", 1, 1000)
    session.flush()
    return settings


def _check_warehouse(session: Session, company: Company, code: str) -> None:
    """The code must name one of the company's wms warehouses."""
    from core.plugins import plugins_of

    if not plugins_of(session).is_installed(session, company, "wms"):
        raise Invalid("a warehouse is a wms setting: install wms first")
    wms_api = partners.wms_api()

    known = wms_api.warehouses(session, company)
    if code not in known:
        raise Invalid(
            f"unknown warehouse {code!r}: the company's warehouses are {', '.join(known) or 'none'}"
        )


def price_list_code(session: Session, settings: Settings):
    return (
        session.get(PriceList, settings.default_price_list_id).code
        if settings.default_price_list_id
        else None
    )

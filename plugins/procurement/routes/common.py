"""What the procurement pages share: words for states, buttons, links to
the documents (and to wms's receipts and finance's bills), partner checks.

State values become words through ``N_`` so that Babel extracts them; the
pages translate them at run time with ``_()``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from flask import abort, g, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from core.plugins import plugins_of
from plugins.procurement.models import (
    BillState,
    OrderState,
    PaymentState,
    Progress,
    QuoteState,
    RequisitionSource,
    RequisitionState,
    RfqState,
)
from web.context import db_session
from web.forms import MAX_CHOICES, party_and_product_choices
from web.lists import choice, filter_links  # the pages import them from here

__all__ = [
    "N_",
    "word",
    "state_word",
    "operation_word",
    "ActionForm",
    "checked",
    "has",
    "order_url",
    "bill_url",
    "requisition_url",
    "rfq_url",
    "receipt_url",
    "me",
    "document_url",
    "hints",
    "typed",
    "MENU_LABELS",
    "MAX_CHOICES",
    "choice",
    "filter_links",
]



def N_(text: str) -> str:
    return text


_WORDS: dict[Any, str] = {
    RequisitionState.DRAFT: N_("draft"),
    RequisitionState.OPEN: N_("open"),
    RequisitionState.ORDERED: N_("ordered"),
    RequisitionState.CANCELLED: N_("cancelled"),
    RequisitionSource.MANUAL: N_("by hand"),
    RequisitionSource.REPLENISHMENT: N_("replenishment"),
    RfqState.OPEN: N_("open"),
    RfqState.CHOSEN: N_("chosen"),
    RfqState.CANCELLED: N_("cancelled"),
    QuoteState.REQUESTED: N_("requested"),
    QuoteState.RECEIVED: N_("received"),
    QuoteState.CHOSEN: N_("chosen"),
    QuoteState.LOST: N_("lost"),
    OrderState.DRAFT: N_("draft"),
    OrderState.TO_APPROVE: N_("to approve"),
    OrderState.CONFIRMED: N_("confirmed"),
    OrderState.DONE: N_("done"),
    OrderState.CANCELLED: N_("cancelled"),
    Progress.NOTHING: N_("nothing"),
    Progress.PARTIAL: N_("partial"),
    Progress.FULL: N_("full"),
    PaymentState.NOT_PAID: N_("not paid"),
    PaymentState.PARTIAL: N_("partly paid"),
    PaymentState.PAID: N_("paid"),
    BillState.HELD: N_("held"),
    BillState.POSTED: N_("posted"),
    BillState.CANCELLED: N_("cancelled"),
}
_OPERATION_STATES = {
    "draft": N_("draft"),
    "ready": N_("ready"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
_BY_VALUE = {(type(k).__name__, k.value): v for k, v in _WORDS.items()}

# MenuItem labels of routes/__init__.py (the layout translates them).
MENU_LABELS = (N_("Purchase orders"), N_("Requisitions"), N_("Supplier bills"), N_("Supplier catalogue"),
               N_("Supplier performance"))


def word(value: Any) -> str:
    """A state in the page's language ("" for ``None``)."""
    return "" if value is None else _(_WORDS[value])


def state_word(kind: type, value: str) -> str:
    """The word of ``kind``'s state ``value`` (the comparison carries states as text)."""
    return _(_BY_VALUE[(kind.__name__, value)])


def operation_word(state: str) -> str:
    """The state of a wms operation (its api gives text) in the page's language."""
    return _(_OPERATION_STATES[state]) if state in _OPERATION_STATES else state


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


def checked(form: FlaskForm) -> None:
    """400 unless the posted form (its CSRF token and fields) is valid."""
    if not form.validate():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))


def has(name: str) -> bool:
    """Whether the page's company installed plugin ``name``."""
    session = db_session()
    return plugins_of(session).is_installed(session, g.company, name)


def order_url(number: str) -> str:
    return url_for("procurement.order", number=number)


def bill_url(number: str) -> str:
    return url_for("procurement.bill", number=number)


def requisition_url(number: str) -> str:
    return url_for("procurement.requisition", number=number)


def rfq_url(number: str) -> str:
    return url_for("procurement.rfq", number=number)


def receipt_url(number: str) -> Optional[str]:
    """wms's page of a receipt, where the user may see it."""
    return url_for("wms.operation", number=number) if "wms.view" in g.permissions else None


def document_url(ref: Any) -> Optional[str]:
    """finance's page of a bill (by number, or id while a draft), where the user may see it."""
    return url_for("finance.document", ref=str(ref)) if "finance.view" in g.permissions and ref else None


def hints() -> dict:
    """Suppliers and products offered in the forms' suggestion lists."""
    return party_and_product_choices()


def me():
    """The signed-in user (who wrote, approved or released what a request does)."""
    from flask_login import current_user

    return current_user.user if current_user.is_authenticated else None


def typed(value: Optional[Decimal]) -> str:
    """A number as a person types it: ``10``, not ``10.000`` ("" for ``None``)."""
    return "" if value is None else f"{value.normalize():f}"

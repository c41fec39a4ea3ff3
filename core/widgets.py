"""What core shows on a company's dashboard and product pages, from the ledger.

Charts are drawn by ``web.charts`` (imported when a dashboard is drawn: only
the web asks for widgets).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contributions import Widget
from core.ledger.browse import monthly_activity, totals_by_type
from core.ledger.models import Account, AccountType, Balance
from core.models import Company, Product
from core.values import from_units

__all__ = ["ledger_widgets", "stock_on_hand"]

# Balances as a reader expects them: credit-side types shown positive.
_SIGN = {AccountType.ASSET: 1, AccountType.EXPENSE: 1, AccountType.LIABILITY: -1, AccountType.EQUITY: -1,
         AccountType.INCOME: -1}


def ledger_widgets(session: Session, company: Company, today: dt.date | None = None) -> list[Widget]:
    from flask_babel import gettext as _

    from web.charts import Series, bar_chart, hbar_chart
    from web.i18n import money

    activity = monthly_activity(session, company, 12, today or dt.date.today())
    labels = [month[2:] for month, _n, _d in activity]  # YY-MM keeps twelve labels readable on a phone
    turnover = bar_chart(labels, [Series(_("Debits"), [d for _m, _n, d in activity])],
                         title=_("Debits per month (%(currency)s)", currency=company.currency),
                         format_value=lambda v: money(v, company.currency))
    count = sum(n for _m, n, _d in activity)
    totals = totals_by_type(session, company)
    kinds = [(_(t.value), totals.get(t, Decimal(0)) * sign) for t, sign in _SIGN.items()]
    position = hbar_chart(kinds, title=_("Balances by account type (%(currency)s)", currency=company.currency),
                          format_value=lambda v: money(v, company.currency))
    summary = Markup('<p class="figure">{}</p><p class="muted">{}</p>').format(
        f"{count:,}", _("transactions in the last twelve months"))
    return [
        Widget("Ledger activity", summary + turnover, "ledger.view", order=10, width=2),
        Widget("Where the money is", position, "ledger.view", order=11, width=2),
    ]


def stock_on_hand(session: Session, company: Company, product: Product) -> Decimal:
    """The product's quantity across the company's stock accounts."""
    units = session.scalar(select(func.sum(Balance.amount)).join(Account, Account.id == Balance.account_id).where(
        Balance.company_id == company.id, Balance.commodity_id == product.commodity_id,
        Account.type == AccountType.STOCK)) or 0
    return from_units(units, product.commodity.scale)

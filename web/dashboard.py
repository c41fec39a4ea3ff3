"""The shell's own dashboard widgets: the ledger's activity and where the money is.

They are the web's, not core's: core keeps the figures (``core.ledger.browse``),
the web draws them (``web.charts``). Plugins add theirs through the
``dashboard_widgets`` hook.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from core.contributions import Widget
from core.ledger.browse import monthly_activity, totals_by_type
from core.ledger.models import AccountType
from core.models import Company
from web.charts import Series, bar_chart, hbar_chart
from web.i18n import money

__all__ = ["ledger_widgets"]

# Balances as a reader expects them: credit-side types shown positive.
_SIGN = {AccountType.ASSET: 1, AccountType.EXPENSE: 1, AccountType.LIABILITY: -1, AccountType.EQUITY: -1,
         AccountType.INCOME: -1}


def ledger_widgets(session: Session, company: Company, today: dt.date | None = None) -> list[Widget]:
    activity = monthly_activity(session, company, 12, today or dt.date.today())
    labels = [month[2:] for month, _n, _d in activity]  # YY-MM keeps twelve labels readable on a phone
    turnover = bar_chart(labels, [Series(_("Debits"), [d for _m, _n, d in activity])],
                         title=_("Debits per month (%(currency)s)", currency=company.currency),
                         format_value=lambda v: money(v, company.currency))
    count = sum(n for _m, n, _d in activity)
    totals = totals_by_type(session, company)
    kinds = [(_(t.value), totals.get(t, Decimal(0)) * sign) for t, sign in _SIGN.items()]
    position = hbar_chart(
        kinds,
        title=_("Balances by account type (%(currency)s)", currency=company.currency),
        format_value=lambda v: money(v, company.currency),
    )
    summary = Markup('<p class="figure">{}</p><p class="muted">{}</p>').format(
        f"{count:,}", _("transactions in the last twelve months"))
    return [
        Widget("Ledger activity", summary + turnover, "ledger.view", order=10, width=2),
        Widget("Where the money is", position, "ledger.view", order=11, width=2),
    ]

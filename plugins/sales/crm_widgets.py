"""The CRM's dashboard tiles: the overdue activities (the user's own first)
and the open pipeline by stage (weighted by each deal's probability)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contributions import Widget
from core.models import Company, User
from plugins.sales.activities import overdue, subject_of
from plugins.sales.crm_common import amount
from plugins.sales.models import Activity, Opportunity, OpportunityState
from plugins.sales.opportunities import weighted
from plugins.sales.pipeline import stages_of

__all__ = ["crm_widgets", "pipeline_by_stage", "SHOWN"]

SHOWN = 8  # overdue activities listed on the tile


def pipeline_by_stage(session: Session, company: Company) -> list[tuple[str, int, Decimal, Decimal]]:
    """(stage, open deals, expected revenue, weighted revenue) per active stage, in pipeline order."""
    totals: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for deal in session.scalars(select(Opportunity).where(Opportunity.company_id == company.id,
                                                          Opportunity.state == OpportunityState.OPEN)):
        row = totals[deal.stage_id]
        row[0] += 1
        row[1] += amount(company, deal.expected_revenue_units)
        row[2] += weighted(company, deal)
    return [(stage.name, *totals[stage.id]) for stage in stages_of(session, company)]


def crm_widgets(session: Session, company: Company, user: Optional[User], today: Optional[dt.date] = None
                ) -> list[Widget]:
    from flask import url_for
    from flask_babel import gettext as _
    from markupsafe import Markup

    from web.charts import hbar_chart
    from web.i18n import day, money

    today = today or dt.date.today()
    everyone = session.scalar(
        overdue(company, today).with_only_columns(func.count(Activity.id)).order_by(None)
    )
    mine = session.scalars(overdue(company, today, owner=user).limit(SHOWN)).all() if user is not None else []
    shown = mine or session.scalars(overdue(company, today).limit(SHOWN)).all()
    items = Markup("").join(
        Markup('<li><a href="{}">{}</a> <span class="muted">{} · {}</span></li>').format(
            url_for("sales.activity", activity_id=a.id), a.subject, day(a.due), " ".join(subject_of(a)))
        for a in shown)
    heading = _("Yours, overdue:") if mine else _("Overdue:")
    body = (Markup('<p>{}</p><ul class="plain">{}</ul>').format(heading, items) if shown
            else Markup("<p>{}</p>").format(_("Nothing is overdue.")))
    footer = Markup('<p><a href="{}">{}</a></p>').format(url_for("sales.activities", overdue="1"),
                                                          _("%(count)s overdue in all", count=everyone))
    activities = Widget("Overdue activities", body + footer, "sales.view", order=30)

    stages = pipeline_by_stage(session, company)
    chart = hbar_chart([(name, value) for name, _count, _expected, value in stages],
                       title=_("Weighted pipeline by stage (%(currency)s)", currency=company.currency),
                       format_value=lambda v: money(v, company.currency))
    total = sum((value for *_rest, value in stages), Decimal(0))
    note = Markup('<p><a href="{}">{}</a></p>').format(
        url_for("sales.board"),
        _(
            "%(count)s open opportunities, %(amount)s weighted",
            count=sum(c for _n, c, _e, _w in stages),
            amount=money(total, company.currency),
        ),
    )
    pipeline = Widget("Pipeline", chart + note, "sales.view", order=31)
    return [activities, pipeline]

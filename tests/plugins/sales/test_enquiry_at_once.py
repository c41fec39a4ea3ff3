"""The public enquiry form's hourly limit holds when enquiries arrive at once:
32 sent together over HTTP from one address to a served app keep exactly the
company's ``lead_form_per_hour`` leads; every other one is answered 429."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from core.companies import get_company
from plugins.sales.models import Lead
from plugins.sales.settings import settings_of
from tests.plugins.sales.conftest import sdb  # noqa: F401
from tests.plugins.sales.pages_crm import S, site  # noqa: F401
from tests.web.conftest import make_app
from tests.web.served import post_at_once, served

ATTEMPTS = 32


@pytest.mark.slow
def test_enquiries_sent_at_once_keep_at_most_the_hourly_limit(site):
    with site.session() as s:
        company = get_company(s, "ACME")
        limit = settings_of(s, company).lead_form_per_hour
        before = s.scalar(select(func.count()).select_from(Lead).where(Lead.company_id == company.id))
    with served(make_app(site)) as base:  # CSRF on, nobody signed in
        answers = Counter(post_at_once(base, f"{S}/enquiry", {"contact_name": "Visitor",
                                                               "email": "visitor@example.com"}, ATTEMPTS))
    assert answers == {302: limit, 429: ATTEMPTS - limit}, answers
    with site.session() as s:
        kept = s.scalar(select(func.count()).select_from(Lead).where(Lead.company_id == company.id))
    assert kept - before == limit

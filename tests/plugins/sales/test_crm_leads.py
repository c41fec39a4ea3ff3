"""Leads: captured with duplicates flagged, imported all or nothing, the
public form's hourly limit, qualified, disqualified and converted into a
customer and an opportunity in every combination of plugins; a refused
step writes nothing and a company never reaches another's leads."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.catalog import add_contact, create_party
from core.companies import get_company
from core.errors import Conflict, Invalid, NotFound
from core.models import Party
from plugins.sales.crm_facts import crm_timeline, is_customer
from plugins.sales.documents import Customer
from plugins.sales.duplicates import name_key, phone_key
from plugins.sales.facts import roles_of
from plugins.sales.lead_import import import_leads
from plugins.sales.leads import (
    TooMany,
    capture_enquiry,
    convert,
    create_lead,
    disqualify,
    find_lead,
    qualify,
    update_lead,
)
from plugins.sales.models import Lead, LeadSource, LeadState, Opportunity
from plugins.sales.settings import settings_of
from tests.plugins.sales.conftest import assert_books_sound, combo, make_sales_company, sdb  # noqa: F401
from tests.plugins.sales.crm import count, salespeople
from tests.web.pages import snapshot


@pytest.fixture
def acme(sdb):
    make_sales_company(sdb)
    with sdb.session() as s:
        company = get_company(s, "ACME")
        party = create_party(s, company, "C9", "Mapo Stationery Co., Ltd.", email="buy@mapo.example.kr",
                             phone="02-555-1234", tax_id="123-45-67890")
        add_contact(s, party, "Jiwoo Han", email="jiwoo@mapo-branch.example.kr")
    return sdb


@pytest.mark.parametrize("fields, reason", [
    ({"tax_id": "1234567890"}, "same tax id as party C9"),
    ({"email": "BUY@mapo.example.kr"}, "same e-mail as party C9"),
    ({"email": "jiwoo@mapo-branch.example.kr"}, "same e-mail as party C9"),  # a contact's address
    ({"phone": "+82 2 555 1234"}, "same phone as party C9"),
    ({"organisation": "mapo stationery"}, "same name as party C9"),
    ({"organisation": "HANBIT RETAIL Co."}, "same name as party C1"),
    ({"organisation": "Unknown Trading", "email": "x@unknown.example"}, None),
])
def test_a_lead_that_looks_like_a_known_party_is_flagged(acme, fields, reason):
    with acme.session() as s:
        company = get_company(s, "ACME")
        lead = create_lead(s, company, "Somebody", **fields)
        assert lead.number.startswith("LD") and lead.state is LeadState.NEW
        assert lead.duplicate_reason == reason
        assert (lead.duplicate_of.code if lead.duplicate_of else None) == (
            reason.split()[-1] if reason else None
        )


def test_capture_refuses_bad_input_and_writes_nothing(acme):
    for fields in ({"email": "no-at-sign"}, {"country": "KOR"}, {"employees": "many"}, {"budget": "1.5"},
                   {"budget": "-3"}, {"organisation": "x" * 201}, {"source": "fax"}, {"owner": "nobody"}):
        before = snapshot(acme)
        with pytest.raises((Invalid, NotFound)), acme.session() as s:
            create_lead(s, get_company(s, "ACME"), "Somebody", **fields)
        assert snapshot(acme) == before, fields
    with pytest.raises(Invalid), acme.session() as s:
        create_lead(s, get_company(s, "ACME"), "  ")


def test_import_takes_every_row_or_none(acme):
    good = ("Name,Company,E-mail,Employees,Budget,Source,Industry\n"
            "Minji Park,Jeonju Paper,minji@jeonju.example,40,\"1,500,000\",referral,retail\n"
            "Ho Lee,,ho@gmail.com,,,,\n"
            "Ara Kim,Mapo Stationery,,,,event,\n")
    with acme.session() as s:
        made = import_leads(s, get_company(s, "ACME"), good.encode("utf-8-sig"))
        assert [(m.contact_name, m.source, m.employees, m.budget_units) for m in made] == [
            ("Minji Park", LeadSource.REFERRAL, 40, 1500000), ("Ho Lee", LeadSource.IMPORT, None, None),
            ("Ara Kim", LeadSource.EVENT, None, None)]
        assert made[2].duplicate_of.code == "C9"
    bad = "contact_name,email,employees\nA,a@b.example,3\nB,not-an-address,4\nC,c@d.example,lots\n"
    before = count(acme, Lead)
    with pytest.raises(Invalid, match=r"nothing imported: line 3: malformed e-mail.*line 4: employees"), \
            acme.session() as s:
        import_leads(s, get_company(s, "ACME"), bad)
    assert count(acme, Lead) == before
    for content, message in (("", "empty"), ("email\nx@y.example\n", "contact_name"),
                             ("name\n", "no rows"), (b"\xff\xfe", "UTF-8")):
        with pytest.raises(Invalid, match=message), acme.session() as s:
            import_leads(s, get_company(s, "ACME"), content)
    assert count(acme, Lead) == before


def test_the_enquiry_form_takes_so_many_an_hour_from_one_address(acme):
    now = dt.datetime(2026, 5, 1, 10, 0)
    with acme.session() as s:
        company = get_company(s, "ACME")
        limit = settings_of(s, company).lead_form_per_hour
        for i in range(limit):
            lead = capture_enquiry(
                s,
                company,
                "1.2.3.4",
                now=now + dt.timedelta(minutes=i),
                contact_name=f"V{i}",
                email="buy@mapo.example.kr",
            )
            assert lead.source is LeadSource.WEB and lead.duplicate_of is not None  # flagged, kept quiet
    with pytest.raises(TooMany), acme.session() as s:
        capture_enquiry(
            s, get_company(s, "ACME"), "1.2.3.4", now=now + dt.timedelta(minutes=30), contact_name="X"
        )
    with acme.session() as s:
        company = get_company(s, "ACME")
        capture_enquiry(
            s, company, "5.6.7.8", now=now + dt.timedelta(minutes=30), contact_name="Other address"
        )
        capture_enquiry(
            s, company, "1.2.3.4", now=now + dt.timedelta(minutes=61), contact_name="An hour later"
        )
        settings_of(s, company).lead_form = False
    with pytest.raises(NotFound), acme.session() as s:
        capture_enquiry(s, get_company(s, "ACME"), "9.9.9.9", contact_name="Closed")
    assert count(acme, Lead) == limit + 2


def test_a_lead_from_capture_to_customer_in_each_combination(combo):
    sdb, company, plugins = combo
    salespeople(sdb)
    with sdb.session() as s:
        company = get_company(s, "ACME")
        lead = create_lead(
            s,
            company,
            "Minji Park",
            organisation="Jeonju Paper",
            email="minji@jeonju.example",
            phone="010-1111-2222",
            region="Jeolla",
            country="kr",
            budget="2,000,000",
            owner="kim",
        )
        assert (lead.state, lead.country, lead.duplicate_of) == (LeadState.NEW, "KR", None)
        assert qualify(s, company, lead.number).state is LeadState.QUALIFIED
        with pytest.raises(Conflict):
            qualify(s, company, lead.number)
        customer, deal = convert(s, company, lead.number, expected_close="2026-09-30")
        assert (customer.code, customer.name, customer.email) == (
            lead.number,
            "Jeonju Paper",
            "minji@jeonju.example",
        )
        assert [c.name for c in customer.contacts] == ["Minji Park"]
        assert customer.addresses[0].region == "Jeolla"
        assert (deal.party, deal.lead, deal.owner.username, deal.expected_revenue_units) == (
            customer, lead, "kim", 2000000)
        assert (deal.stage.name, deal.expected_close) == ("New", dt.date(2026, 9, 30))
        assert (lead.state, lead.party) == (LeadState.CONVERTED, customer)
        assert is_customer(s, company, customer) and roles_of(s, company, customer) == ["customer"]
        assert {e.kind for e in crm_timeline(s, company, customer)} == {"lead", "opportunity"}
        assert not is_customer(s, company, s.query(Party).filter_by(company_id=company.id, code="S1").one())
        assert_books_sound(s, company)
        number = lead.number
    before = snapshot(sdb)
    for refused in (lambda s, c: convert(s, c, number), lambda s, c: disqualify(s, c, number, "late"),
                    lambda s, c: qualify(s, c, number), lambda s, c: update_lead(s, c, number, phone="1")):
        with pytest.raises(Conflict), sdb.session() as s:
            refused(s, get_company(s, "ACME"))
    assert snapshot(sdb) == before


def test_converting_a_flagged_lead_makes_the_known_party_a_customer(acme):
    with acme.session() as s:
        company = get_company(s, "ACME")
        flagged = create_lead(s, company, "Jiwoo Han", email="buy@mapo.example.kr")
        customer, deal = convert(s, company, flagged.number, opportunity=False)
        assert customer.code == "C9" and deal is None
        other = create_lead(s, company, "Jiwoo Han", email="buy@mapo.example.kr")
        customer, deal = convert(s, company, other.number, new_party="MAPO2", expected_revenue="500000",
                                 name="Second site", stage="Proposal")
        assert (customer.code, deal.name, deal.stage.name, deal.expected_revenue_units) == (
            "MAPO2", "Second site", "Proposal", 500000)
        third = create_lead(s, company, "Someone")
        customer, _deal = convert(s, company, third.number, party="C2")
        assert customer.code == "C2"
    assert count(acme, Customer) == 3
    with acme.session() as s:
        fourth = create_lead(s, get_company(s, "ACME"), "Fourth").number
    before = snapshot(acme)
    for options in ({"party": "NOPE"}, {"party": "C1", "new_party": "X"}, {"new_party": "C1"},
                    {"stage": "Nowhere"}, {"expected_revenue": "abc"}, {"owner": "ghost"}):
        with pytest.raises((Invalid, NotFound, Conflict)), acme.session() as s:
            convert(s, get_company(s, "ACME"), fourth, **options)
        assert snapshot(acme) == before, options


def test_disqualified_leads_keep_their_reason(acme):
    with acme.session() as s:
        company = get_company(s, "ACME")
        lead = create_lead(s, company, "Spam Bot", email="bot@gmail.com")
        with pytest.raises(Invalid):
            disqualify(s, company, lead.number, " ")
        assert disqualify(s, company, lead.number, "not a buyer").disqualified_reason == "not a buyer"
        with pytest.raises(Conflict):
            convert(s, company, lead.number)


def test_a_company_never_reaches_another_companys_leads(acme):
    make_sales_company(acme, "OTHER")
    with acme.session() as s:
        number = create_lead(s, get_company(s, "ACME"), "Mine").number
        other = get_company(s, "OTHER")
        with pytest.raises(NotFound):
            find_lead(s, other, number)
        lead = create_lead(s, other, "Theirs", organisation="Mapo Stationery")
        assert lead.number == "LD00001" and lead.duplicate_of is None  # ACME's C9 is not OTHER's
        with pytest.raises(NotFound):
            convert(s, other, lead.number, party="C9")
    assert count(acme, Opportunity) == 0


@given(st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=30),
       st.sampled_from(["", " Co.", " Co., Ltd.", " LTD", " Inc.", " (주)", " 주식회사"]))
def test_a_name_matches_whatever_its_case_spacing_and_legal_suffix(name, suffix):
    key = name_key(name)
    if key is not None:
        assert (
            name_key(name.upper() + suffix)
            == key
            == name_key("  " + name.lower().replace(" ", "  ") + suffix)
        )
        assert phone_key("+82 10-" + "1234-5678") == phone_key("010 1234 5678") == "01012345678"

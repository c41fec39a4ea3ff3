"""Working the CRM through its pages: a lead captured, flagged, scored,
converted; a deal across the board, won and lost; activities; the set-up
pages; each refusal answers 400 with its message and writes nothing; the
public enquiry form (CSRF, its hourly limit, the robot trap)."""

from __future__ import annotations

import io

from sqlalchemy import select

from core.companies import get_company
from plugins.sales.models import Lead, LeadSource, Opportunity, OpportunityState
from plugins.sales.settings import settings_of
from tests.plugins.sales.conftest import sdb  # noqa: F401
from tests.plugins.sales.crm import count
from tests.plugins.sales.pages_crm import S, ann, app, sample, site, snapshot, token  # noqa: F401
from tests.plugins.sales.test_scoring import plant_history
from tests.web.conftest import make_app
from tests.web.pages import get_json


def _refused(client, url, form, message, db):
    before = snapshot(db)
    answer = client.post(url, data=form)
    assert answer.status_code == 400 and message in answer.get_data(True), (
        url,
        answer.get_data(True)[-1500:],
    )
    assert snapshot(db) == before


def test_a_lead_from_the_form_to_a_customer(ann, site):
    created = ann.post(
        f"{S}/leads/-/new",
        data={
            "contact_name": "Minji Park",
            "organisation": "Hanbit Retail",
            "email": "minji@hanbit.example",
            "budget": "2,000,000",
            "source": "referral",
            "owner": "ann",
        },
    )
    assert created.status_code == 302
    page = ann.get(created.headers["Location"]).get_data(True)
    assert "Possible duplicate of party C1: same name as party C1." in page and "data-score>0<" in page
    _refused(ann, f"{S}/leads/-/new", {"contact_name": "X", "email": "nope", "source": "manual", "owner": ""},
             "malformed e-mail address", site)
    _refused(
        ann,
        f"{S}/leads/-/new",
        {"contact_name": "", "source": "manual", "owner": ""},
        "This field is required",
        site,
    )
    _refused(
        ann,
        f"{S}/leads/-/new",
        {"contact_name": "X", "source": "fax", "owner": ""},
        "Not a valid choice",
        site,
    )
    edit = ann.get(f"{S}/leads/LD00001/edit").get_data(True)
    assert 'value="2000000"' in edit and 'value="Hanbit Retail"' in edit
    assert (
        ann.post(
            f"{S}/leads/LD00001/edit",
            data={
                "contact_name": "Minji Park",
                "organisation": "Jeonju Paper",
                "budget": "3,000,000",
                "owner": "ann",
            },
        ).status_code
        == 302
    )
    edited = get_json(ann, f"{S}/leads/LD00001")
    assert (edited["organisation"], edited["budget"], edited["duplicate_of"], edited["source"]) == (
        "Jeonju Paper", "3000000", None, "referral")
    _refused(ann, f"{S}/leads/LD00001/edit", {"contact_name": "Minji", "employees": "-4", "owner": ""},
             "employees must be from 1", site)
    assert (
        ann.post(
            f"{S}/leads/LD00001/edit",
            data={
                "contact_name": "Minji Park",
                "organisation": "Hanbit Retail",
                "budget": "2,000,000",
                "owner": "ann",
            },
        ).status_code
        == 302
    )
    converted = ann.post(f"{S}/leads/LD00001/convert", data={
        "party": "C1", "opportunity": "y", "name": "Hanbit paper", "expected_revenue": "2000000",
        "expected_close": "2026-11-30", "stage": "Qualified", "owner": "ann"})
    assert converted.status_code == 302 and converted.headers["Location"].endswith("/opportunities/OP00001")
    deal = get_json(ann, f"{S}/opportunities/OP00001")
    assert (deal["customer"], deal["stage"], deal["weighted"], deal["lead"]) == (
        "C1",
        "Qualified",
        "500000",
        "LD00001",
    )
    _refused(ann, f"{S}/leads/LD00001/convert", {"stage": "New", "owner": ""}, "is converted", site)
    party = ann.get("/c/ACME/parties/C1").get_data(True)
    assert "Lead LD00001 converted" in party and "Opportunity OP00001 opened" in party and "customer" in party


def test_importing_leads_from_a_csv_file(ann, site):
    good = b"name,company,email,source\nHo Lee,Ulsan Ships,ho@ulsan.example,event\nAra Kim,,ara@gmail.com,\n"
    done = ann.post(f"{S}/leads/-/import", data={"file": (io.BytesIO(good), "leads.csv")})
    assert done.status_code == 302
    assert {i["contact_name"] for i in get_json(ann, f"{S}/leads")["items"]} == {"Ho Lee", "Ara Kim"}
    bad = b"name,email\nA,a@b.example\nB,broken\n"
    _refused(
        ann, f"{S}/leads/-/import", {"file": (io.BytesIO(bad), "leads.csv")}, "line 3: malformed e-mail", site
    )
    _refused(ann, f"{S}/leads/-/import", {}, "This field is required", site)
    assert count(site, Lead) == 2


def test_a_deal_across_the_board(ann, sample, site):
    deal = sample["deal"]
    board = ann.get(f"{S}/board").get_data(True)
    assert f'data-deal="{deal}"' in board and "Paper for a year" in board
    moved = ann.post(f"{S}/opportunities/{deal}/move", data={"stage": "Negotiation", "back": "board"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/board")
    assert get_json(ann, f"{S}/opportunities/{deal}")["weighted"] == "750000"
    _refused(ann, f"{S}/opportunities/{deal}/move", {"stage": "Nowhere"}, "unknown stage", site)
    _refused(ann, f"{S}/opportunities/{deal}/edit", {"name": "x", "stage": "New", "owner": "",
                                                     "expected_revenue": "-1"}, "must not be negative", site)
    _refused(
        ann,
        f"{S}/opportunities/{deal}/edit",
        {"name": "x", "stage": "New", "owner": "", "probability": "120"},
        "probability must be from 0 to 100",
        site,
    )
    _refused(ann, f"{S}/opportunities/-/new", {"name": "x", "stage": "New", "owner": "", "party": "NOPE"},
             "unknown party", site)
    assert ann.post(f"{S}/opportunities/{deal}/won", data={"back": "board"}).status_code == 302
    assert f'data-deal="{deal}"' not in ann.get(f"{S}/board").get_data(True)
    _refused(ann, f"{S}/opportunities/{deal}/lost", {"reason": "No budget"}, "is won", site)
    assert ann.post(f"{S}/opportunities/{deal}/reopen").status_code == 302
    _refused(ann, f"{S}/opportunities/{deal}/lost", {"reason": "Weather"}, "Not a valid choice", site)
    assert ann.post(f"{S}/opportunities/{deal}/lost", data={"reason": "No budget", "note": "next year"}
                    ).status_code == 302
    page = ann.get(f"{S}/opportunities/{deal}").get_data(True)
    assert "data-lost-reason>No budget · next year<" in page
    with site.session() as s:
        found = s.scalar(select(Opportunity).where(Opportunity.number == deal))
        assert found.state is OpportunityState.LOST


def test_activities_are_scheduled_and_done(ann, sample, site):
    overdue = get_json(ann, f"{S}/activities?overdue=1")["items"]
    assert [a["subject"] for a in overdue] == ["Call Minji"]
    assert (
        ann.post(
            f"{S}/activities/-/new",
            data={
                "kind": "task",
                "subject": "Send prices",
                "due": "2099-01-01",
                "owner": "ann",
                "party": "C1",
            },
        ).status_code
        == 302
    )
    _refused(ann, f"{S}/activities/-/new", {"kind": "task", "subject": "x", "due": "2099-01-01", "owner": "",
                                            "party": "C1", "lead": sample["number"]}, "exactly one", site)
    _refused(ann, f"{S}/activities/-/new", {"kind": "task", "subject": "x", "due": "soon", "owner": "",
                                            "party": "C1"}, "This field is required", site)
    mine = get_json(ann, f"{S}/activities?mine=1")["items"]
    assert [a["subject"] for a in mine] == ["Call Minji", "Send prices"]
    assert (
        ann.post(f"{S}/activities/{sample['activity_id']}/done", data={"outcome": "agreed"}).status_code
        == 302
    )
    assert ann.post(f"{S}/activities/{sample['activity_id']}/done", data={}).status_code == 400
    assert get_json(ann, f"{S}/activities?overdue=1")["items"] == []
    assert [a["subject"] for a in get_json(ann, f"{S}/activities?done=1")["items"]] == [
        "Call Minji",
        "Send prices",
    ]


def test_stages_lost_reasons_and_scoring_set_up(ann, sample, site):
    assert ann.post(f"{S}/stages/-/new", data={"name": "Verbal yes", "probability": "90"}).status_code == 302
    _refused(ann, f"{S}/stages/-/new", {"name": "verbal yes", "probability": "80"}, "exists already", site)
    _refused(ann, f"{S}/stages/-/new", {"name": "X", "probability": "200"}, "from 0 to 100", site)
    _refused(ann, f"{S}/stages/{sample['stage_id']}/edit", {"name": "New", "probability": "10"},
             "holds open opportunities", site)  # "active" unticked: retiring a stage with a deal in it
    assert ann.post(f"{S}/lost-reasons/-/new", data={"name": "Bad timing"}).status_code == 302
    assert "Bad timing" in get_json(ann, f"{S}/stages")["lost_reasons"]
    assert (
        ann.post(
            f"{S}/scoring/rules/-/new",
            data={"field": "employees", "operator": "at_least", "value": "100", "points": "15"},
        ).status_code
        == 302
    )
    _refused(ann, f"{S}/scoring/rules/-/new", {"field": "region", "operator": "at_least", "value": "1",
                                               "points": "5"}, "compares numbers", site)
    _refused(ann, f"{S}/scoring/rules/-/new", {"field": "region", "operator": "equals", "value": "Seoul",
                                               "points": "500"}, "points must be from -100 to 100", site)
    _refused(ann, f"{S}/scoring/train", {}, "too little history", site)
    plant_history(site, samples=60)
    assert ann.post(f"{S}/scoring/train").status_code == 302
    scoring = get_json(ann, f"{S}/scoring")
    assert scoring["model"]["samples"] == 60 and scoring["history"]["samples"] == 60
    assert scoring["model"]["weights"][0]["feature"] == "source:referral"
    page = ann.get(f"{S}/scoring").get_data(True)
    assert 'data-feature="source:referral"' in page and "source: referral" in page


def _enquiry(client, company="ACME", **fields):
    data = {"contact_name": "Visitor", "email": "visitor@example.com",
            "csrf_token": token(client, f"/c/{company}/sales/enquiry"), **fields}
    return client.post(f"/c/{company}/sales/enquiry", data=data)


def test_the_public_enquiry_form(site):
    app = make_app(site)  # CSRF on, nobody signed in
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    page = client.get(f"{S}/enquiry")
    assert page.status_code == 200 and "Contact ACME Co" in page.get_data(True)
    before = snapshot(site)
    forged = client.post(f"{S}/enquiry", data={"contact_name": "Visitor", "email": "v@example.com"})
    assert forged.status_code == 400 and "did not come from this site" in forged.get_data(True)
    assert _enquiry(client, email="").status_code == 400
    assert _enquiry(client, email="not-an-address").status_code == 400
    assert _enquiry(client, website="http://spam.example").status_code == 302  # the robot trap: thanked
    assert snapshot(site) == before
    known = _enquiry(client, email="minji@x.example", organisation="Hanbit Retail")  # looks like C1
    unknown = _enquiry(client, email="ara@y.example", organisation="Nobody Known")
    assert known.status_code == unknown.status_code == 302
    thanks = client.get(known.headers["Location"]).get_data(True)
    assert thanks == client.get(unknown.headers["Location"]).get_data(True)
    with site.session() as s:
        company = get_company(s, "ACME")
        leads = s.scalars(select(Lead).where(Lead.company_id == company.id).order_by(Lead.id)).all()
        assert [(lead.source, lead.source_address, lead.duplicate_of is not None) for lead in leads] == [
            (LeadSource.WEB, "203.0.113.7", True), (LeadSource.WEB, "203.0.113.7", False)]
        limit = settings_of(s, company).lead_form_per_hour
    for _i in range(limit - 2):
        assert _enquiry(client).status_code == 302
    before = snapshot(site)
    assert _enquiry(client).status_code == 429
    assert snapshot(site) == before
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.1"
    assert _enquiry(elsewhere).status_code == 302
    with site.session() as s:
        settings_of(s, get_company(s, "ACME")).lead_form = False
    assert elsewhere.get(f"{S}/enquiry").status_code == 404

"""``jangbu sales lead|scoring|opportunity|stage|activity``: the CRM from
the command line, with sales alone; refusals are one line, a non-zero
exit and nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from plugins.sales.models import Activity, Lead, Opportunity
from tests.plugins.sales.conftest import make_sales_company, sdb  # noqa: F401
from tests.plugins.sales.crm import count, salespeople
from tests.web.pages import snapshot


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def data(result):
    return json.loads(ok(result).stdout)


@pytest.fixture
def acme(sdb):
    make_sales_company(sdb)
    salespeople(sdb)
    return sdb


def test_leads_from_capture_and_import_to_conversion(acme, run, tmp_path):
    lead = data(run("--json", "sales", "lead", "add", "Minji Park", "--organisation", "Hanbit Retail Co.",
                    "--email", "minji@hanbit.example", "--employees", "120", "--budget", "3,000,000",
                    "--source", "referral", "--owner", "kim"))
    assert (lead["number"], lead["duplicate_of"], lead["owner"], lead["budget"]) == (
        "LD00001",
        "C1",
        "kim",
        "3000000",
    )
    assert "possible duplicate: same name as party C1" in ok(run("sales", "lead", "show", "LD00001")).output
    csv = tmp_path / "leads.csv"
    csv.write_text(
        "name,company,email,source\nHo Lee,Ulsan Ships,ho@ulsan.example,event\nAra,,ara@gmail.com,\n"
    )
    assert "2 leads imported, 0 flagged" in ok(run("sales", "lead", "import", str(csv))).output
    listed = data(run("--json", "sales", "lead", "list", "--source", "event"))
    assert [item["contact_name"] for item in listed] == ["Ho Lee"]
    changed = data(run("--json", "sales", "lead", "update", "LD00002", "--employees", "250", "--owner", ""))
    assert (changed["employees"], changed["owner"], changed["organisation"]) == (250, None, "Ulsan Ships")
    ok(run("sales", "lead", "qualify", "LD00002", "--owner", "lee"))
    ok(run("sales", "lead", "disqualify", "LD00003", "--reason", "student"))
    converted = data(run("--json", "sales", "lead", "convert", "LD00002", "--new-party", "ULSAN", "--revenue",
                         "5,000,000", "--close", "2026-12-31", "--stage", "qualified"))
    assert converted["customer"] == "ULSAN"
    assert (converted["opportunity"]["owner"], converted["opportunity"]["weighted"]) == ("lee", "1250000")
    assert "customer C1" in ok(run("sales", "lead", "convert", "LD00001", "--no-opportunity")).output
    assert [d["state"] for d in data(run("--json", "sales", "lead", "list"))] == ["converted"] * 2 + [
        "disqualified"
    ]


def test_the_pipeline_and_its_activities(acme, run):
    ok(run("sales", "stage", "add", "Verbal yes", "--probability", "90"))
    ok(run("sales", "stage", "set", "proposal", "--probability", "40", "--name", "Quote sent"))
    assert [s["name"] for s in data(run("--json", "sales", "stage", "list"))] == [
        "New", "Qualified", "Quote sent", "Negotiation", "Verbal yes"]
    ok(run("sales", "stage", "add-reason", "Bad timing"))
    ok(run("sales", "stage", "retire-reason", "No budget"))
    assert "Bad timing" in data(run("--json", "sales", "stage", "reasons"))
    deal = data(
        run(
            "--json",
            "sales",
            "opportunity",
            "add",
            "Paper for a year",
            "--customer",
            "C1",
            "--owner",
            "kim",
            "--revenue",
            "1,000,000",
            "--close",
            "2026-09-30",
        )
    )
    assert (deal["number"], deal["stage"], deal["weighted"]) == ("OP00001", "New", "100000")
    assert (
        data(run("--json", "sales", "opportunity", "move", "OP00001", "Verbal yes"))["weighted"] == "900000"
    )
    assert (
        data(run("--json", "sales", "opportunity", "update", "OP00001", "--probability", "50"))["weighted"]
        == "500000"
    )
    assert data(run("--json", "sales", "opportunity", "update", "OP00001", "--probability", "stage"))[
        "probability"] == 90
    pipeline = {row["stage"]: row for row in data(run("--json", "sales", "opportunity", "pipeline"))}
    assert (pipeline["Verbal yes"]["count"], pipeline["Verbal yes"]["weighted"]) == (1, "900000")
    ok(run("sales", "opportunity", "add", "Pens", "--customer", "C2"))
    assert (
        "lost: Bad timing"
        in ok(run("sales", "opportunity", "lost", "OP00002", "--reason", "bad timing")).output
    )
    assert "[won]" in ok(run("sales", "opportunity", "won", "OP00001", "--order", "SO00009")).output
    assert [d["number"] for d in data(run("--json", "sales", "opportunity", "list", "--state", "won"))] == [
        "OP00001"
    ]
    ok(run("sales", "opportunity", "reopen", "OP00002"))

    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    added = data(run("--json", "sales", "activity", "add", "call", "Call Minji", "--due", yesterday,
                     "--opportunity", "OP00002", "--owner", "kim"))
    ok(run("sales", "activity", "add", "task", "Send prices", "--due", "2099-01-01", "--customer", "C1"))
    assert [a["subject"] for a in data(run("--json", "sales", "activity", "list", "--overdue"))] == [
        "Call Minji"
    ]
    assert [a["subject"] for a in data(run("--json", "sales", "activity", "list", "--owner", "kim"))] == [
        "Call Minji"
    ]
    ok(run("sales", "activity", "reschedule", str(added["id"]), "--due", "2099-02-01"))
    ok(run("sales", "activity", "done", str(added["id"]), "--outcome", "agreed"))
    assert [a["subject"] for a in data(run("--json", "sales", "activity", "list"))] == ["Send prices"]


def test_scoring_rules_training_and_explanations(acme, run):
    ok(
        run(
            "sales",
            "scoring",
            "rule-add",
            "source",
            "equals",
            "referral",
            "--points",
            "25",
            "--label",
            "referral",
        )
    )
    ok(run("sales", "scoring", "rule-add", "employees", "at_least", "100", "--points", "10"))
    assert [r["points"] for r in data(run("--json", "sales", "scoring", "rules"))] == [25, 10]
    lead = data(run("--json", "sales", "lead", "add", "A", "--source", "referral", "--employees", "300"))
    assert lead["score"] == 35
    explained = ok(run("sales", "scoring", "explain", lead["number"])).output
    assert "+25  referral (rule)" in explained and "+10  employees at least 100 (rule)" in explained
    ok(run("sales", "scoring", "rule-remove", "1"))
    assert data(run("--json", "sales", "lead", "show", lead["number"]))["score"] == 10
    assert "no model yet" in ok(run("sales", "scoring", "model")).output
    refused = run("sales", "scoring", "train")
    assert refused.exit_code != 0 and "too little history" in refused.output
    assert "1 open leads scored" in ok(run("sales", "scoring", "rescore")).output


@pytest.mark.parametrize("args", [
    ("lead", "add", "X", "--email", "nope"), ("lead", "add", "X", "--owner", "ghost"),
    ("lead", "convert", "LD09999"), ("lead", "disqualify", "LD00001", "--reason", " "),
    ("opportunity", "add", "X", "--revenue", "-1"), ("opportunity", "add", "X", "--customer", "NOPE"),
    ("opportunity", "lost", "OP00001", "--reason", "weather"), ("opportunity", "move", "OP00001", "Nowhere"),
    ("stage", "add", "New", "--probability", "5"), ("stage", "set", "New", "--probability", "150"),
    ("activity", "add", "call", "X", "--due", "tomorrow", "--customer", "C1"),
    ("activity", "add", "call", "X", "--due", "2026-01-01"), ("activity", "done", "999"),
    ("scoring", "rule-add", "region", "at_least", "3", "--points", "1"),
])
def test_a_refusal_is_one_line_and_writes_nothing(acme, run, args):
    ok(run("sales", "lead", "add", "Somebody"))
    ok(run("sales", "opportunity", "add", "Deal"))
    before = snapshot(acme)
    result = run("sales", *args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert snapshot(acme) == before
    assert (count(acme, Lead), count(acme, Opportunity), count(acme, Activity)) == (1, 1, 0)

"""Every core command, its --json output, and bad input: one line, non-zero, nothing written."""

from __future__ import annotations

import json

import pytest

from core import ledger
from core.companies import get_company


def ok(result):
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


def as_json(result):
    return json.loads(ok(result).stdout)


def refused(result, message):
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("jangbu: error: ") and message in lines[0], lines[0]
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def acme(run):
    ok(run("db", "upgrade", company=None))
    ok(run("company", "create", "ACME", "--name", "Acme Trading", "--currency", "KRW", "--country", "KR",
           company=None))
    for args in (["1000", "Cash", "--type", "asset", "--no-negative"], ["1100", "Bank", "--type", "asset"],
                 ["4000", "Sales", "--type", "income"], ["4100", "Export sales", "--type", "income",
                                                         "--parent", "4000"]):
        ok(run("ledger", "account-create", *args))
    return run


def test_company_create_list_show(acme):
    companies = as_json(acme("--json", "company", "list", company=None))
    assert companies == [{"code": "ACME", "name": "Acme Trading", "currency": "KRW", "country": "KR",
                          "timezone": "UTC", "fiscal_year_start_month": 1, "lock_date": None, "plugins": []}]
    shown = as_json(acme("--json", "company", "show"))
    assert shown["code"] == "ACME"
    assert "currency: KRW" in ok(acme("company", "show", "acme", company=None)).stdout


def test_post_balance_trial_balance_verify(acme):
    posted = as_json(acme("--json", "ledger", "post", "--date", "2026-03-01", "--memo", "cash sale",
                          "--key", "S-1", "1000:150000", "4000:-150000"))
    assert posted["created"] and posted["legs"] == [
        {"account": "1000", "amount": "150000", "commodity": "KRW"},
        {"account": "4000", "amount": "-150000", "commodity": "KRW"}]
    again = as_json(acme("--json", "ledger", "post", "--date", "2026-03-01", "--memo", "cash sale",
                         "--key", "S-1", "1000:150000", "4000:-150000"))
    assert again["id"] == posted["id"] and not again["created"]
    assert as_json(acme("--json", "ledger", "balance", "1000"))["balance"] == "150000"
    tb = as_json(acme("--json", "ledger", "trial-balance"))
    assert tb["totals"] == {"KRW": {"debit": "150000", "credit": "150000"}}
    assert [r["account"] for r in tb["rows"]] == ["1000", "4000"]
    assert as_json(acme("--json", "ledger", "trial-balance", "--as-of", "2026-02-28"))["rows"] == []
    check = as_json(acme("--json", "ledger", "verify"))
    assert check["ok"] and check["transactions"] == 1 and check["problems"] == []
    assert "ledger is consistent" in ok(acme("ledger", "verify")).stdout
    text = ok(acme("ledger", "trial-balance")).stdout
    assert "150,000" in text and "Total" in text


def test_reverse_and_show(acme):
    posted = as_json(acme("--json", "ledger", "post", "--date", "2026-03-01", "1100:5000", "4000:-5000"))
    mirror = as_json(acme("--json", "ledger", "reverse", str(posted["id"]), "--date", "2026-03-02"))
    assert mirror["reverses_id"] == posted["id"]
    shown = as_json(acme("--json", "ledger", "show", str(posted["id"])))
    assert shown["reversed_by_id"] == mirror["id"]
    assert as_json(acme("--json", "ledger", "balance", "1100"))["balance"] == "0"
    refused(acme("ledger", "reverse", str(posted["id"]), "--date", "2026-03-03"), "already reversed")


def test_accounts_listing(acme):
    accounts = as_json(acme("--json", "ledger", "accounts"))
    assert {a["code"]: a["parent"] for a in accounts}["4100"] == "4000"
    assert [a for a in accounts if a["code"] == "1000"][0]["no_negative"] is True


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["ledger", "post", "--date", "2026-03-01", "1000:100", "4000:-99"],
            "does not balance: off by 1 KRW",
        ),
        (["ledger", "post", "--date", "2026-03-01", "1000:1o0", "4000:-100"], "malformed amount '1o0'"),
        (["ledger", "post", "--date", "2026-13-01", "1000:100", "4000:-100"], "malformed date '2026-13-01'"),
        (["ledger", "post", "--date", "2026-03-01", "9999:100", "4000:-100"], "unknown account '9999'"),
        (["ledger", "post", "--date", "2026-03-01", "1000", "4000:-100"], "malformed posting '1000'"),
        (["ledger", "post", "--date", "2026-03-01", "1000:-100", "4000:100"], "must not go negative"),
        (["ledger", "post", "--date", "2026-03-01", "1000:1.5", "4000:-1.5"], "more than 0 decimal places"),
        (
            ["ledger", "post", "--date", "2026-03-01", "1000:100:XYZ", "4000:-100:XYZ"],
            "unknown commodity 'XYZ'",
        ),
        (["ledger", "account-create", "1000", "Cash again", "--type", "asset"], "exists already"),
        (["ledger", "account-create", "1200", "Odd", "--type", "wealth"], "unknown account type 'wealth'"),
        (
            ["ledger", "account-create", "1200", "Orphan", "--type", "asset", "--parent", "777"],
            "unknown account '777'",
        ),
        (["ledger", "balance", "1000", "--as-of", "yesterday"], "malformed date"),
        (["ledger", "reverse", "424242", "--date", "2026-03-01"], "unknown transaction 424242"),
        (["plugins", "install", "nope"], "unknown plugin 'nope'"),
        (["plugins", "uninstall", "memo"], "not installed"),
        (["user", "grant", "ghost", "admin"], "unknown user 'ghost'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(acme, db, args, message):
    refused(acme(*args), message)
    with db.session() as s:
        company = get_company(s, "ACME")
        assert ledger.verify(s, company).transactions == 0
        assert len(s.scalars(ledger.Account.__table__.select()).all()) == 4


def test_company_errors(run):
    ok(run("db", "upgrade", company=None))
    refused(run("company", "show", company="NOPE"), "unknown company 'NOPE'")
    refused(run("ledger", "accounts", company=None), "no company given")
    refused(
        run("company", "create", "X1", "--name", "X", "--currency", "ZZZ", company=None), "unknown currency"
    )
    ok(run("company", "create", "X1", "--name", "X", "--currency", "usd", company=None))
    refused(
        run("company", "create", "x1", "--name", "X", "--currency", "USD", company=None), "exists already"
    )
    refused(run("company", "create", "bad code!", "--name", "X", "--currency", "USD", company=None),
            "must be 1-20 letters")


def test_database_not_set_up_is_explained(tmp_path):
    from click.testing import CliRunner

    from cli import create_cli
    from tests.conftest import make_plugins

    result = CliRunner().invoke(
        create_cli(make_plugins()), ["--database", f"sqlite:///{tmp_path / 'empty.db'}", "company", "list"]
    )
    refused(result, "jangbu db upgrade")


def test_users_and_roles(acme):
    ok(acme("user", "create", "ann", "--password-stdin", "--full-name", "Ann Lee", input="correct horse\n",
            company=None))
    ok(acme("user", "create", "bob", input="battery staple\nbattery staple\n", company=None))
    refused(acme("user", "create", "cy", "--password-stdin", input="short\n", company=None), "at least 8")
    refused(acme("user", "create", "ann", "--password-stdin", input="correct horse\n", company=None),
            "exists already")
    ok(acme("user", "grant", "ann", "admin"))
    refused(acme("user", "grant", "ann", "emperor"), "unknown role 'emperor'")
    users = as_json(acme("--json", "user", "list", company=None))
    assert users == [
        {"username": "ann", "full_name": "Ann Lee", "active": True, "roles": {"ACME": ["admin"]}},
        {"username": "bob", "full_name": None, "active": True, "roles": {}}]
    ok(acme("user", "revoke", "ann", "admin"))


def test_parties_and_products(acme):
    ok(acme("party", "create", "C1", "--name", "Hanbit Retail", "--email", "hi@hanbit.example"))
    refused(acme("party", "create", "C1", "--name", "Again"), "exists already")
    assert as_json(acme("--json", "party", "list"))[0]["name"] == "Hanbit Retail"
    ok(acme("product", "create", "RICE", "--name", "Rice", "--unit", "kg"))
    refused(acme("product", "create", "OIL", "--name", "Oil", "--unit", "barrel"), "unknown unit 'barrel'")
    assert as_json(acme("--json", "product", "list")) == [
        {"sku": "RICE", "name": "Rice", "unit": "kg", "category": None}]
    ok(acme("ledger", "account-create", "WH", "Warehouse", "--type", "stock", "--no-negative"))
    ok(acme("ledger", "account-create", "VENDOR", "Suppliers", "--type", "stock"))
    ok(acme("ledger", "post", "--date", "2026-03-01", "WH:2.5:RICE", "VENDOR:-2.5:RICE"))
    assert as_json(acme("--json", "ledger", "balance", "WH", "--commodity", "RICE"))["balance"] == "2.500"


def test_import_is_all_or_nothing_and_idempotent(acme, tmp_path, db):
    good = tmp_path / "good.csv"
    good.write_text("txn,date,account,amount,memo\n"
                    "T1,2026-03-01,1100,1000,first\nT1,2026-03-01,4000,-1000,\n"
                    "T2,2026-03-02,1100,250.00,second\nT2,2026-03-02,4000,-250,\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "T3,2026-03-03,1100,5,\nT3,2026-03-03,4000,-4,\n")
    refused(acme("ledger", "import", str(bad)), "transaction T3: transaction does not balance: off by 1 KRW")
    with db.session() as s:
        assert ledger.verify(s, get_company(s, "ACME")).transactions == 0
    assert as_json(acme("--json", "ledger", "import", str(good))) == {
        "file": str(good), "transactions": 2, "created": 2, "existing": 0}
    assert as_json(acme("--json", "ledger", "import", str(good)))["created"] == 0
    assert as_json(acme("--json", "ledger", "balance", "1100"))["balance"] == "1250"
    broken = tmp_path / "broken.csv"
    broken.write_text("txn,date,amount\nT1,2026-03-01,5\n")
    refused(acme("ledger", "import", str(broken)), "missing column(s) account")
    twodates = tmp_path / "twodates.csv"
    twodates.write_text("txn,date,account,amount\nT9,2026-03-01,1100,5\nT9,2026-03-02,4000,-5\n")
    refused(acme("ledger", "import", str(twodates)), "line 3: transaction 'T9' has two dates")


def test_plugins_list_install_uninstall(acme):
    listed = as_json(acme("--json", "plugins", "list"))
    assert listed == [{"name": "memo", "version": "1.0.0", "requires": [], "optional": [],
                       "description": "Notes on the books", "companies": []}]
    assert as_json(acme("--json", "plugins", "install", "memo")) == {"company": "ACME", "installed": ["memo"]}
    assert as_json(acme("--json", "plugins", "list"))[0]["companies"] == ["ACME"]
    ok(acme("plugins", "uninstall", "memo"))
    assert as_json(acme("--json", "plugins", "list"))[0]["companies"] == []


def test_help_works_everywhere(run):
    for args in (["--help"], ["ledger", "--help"], ["ledger", "post", "--help"], ["memo", "--help"],
                 ["memo", "add", "--help"]):
        assert "Usage:" in ok(run(*args, company=None)).stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["ledger", "show", "-1"], "No such option '-1'. (see: jangbu ledger show --help)"),
        (
            ["ledger", "show", "99999999999999999999"],
            "'99999999999999999999' is no id (an id is a whole number from 1 to",
        ),
        (["ledger", "show", "١٢٣"], "'١٢٣' is no id"),
        (["--bogus"], "No such option '--bogus'"),
        (["ledger", "post", "--date", "2026-03-01"], "Missing argument 'LEGS...'"),
        (["outbox", "dispatch", "--limit", "0"], "'0' is not a whole number of at least 1"),
        (["outbox", "dispatch", "--limit", "１２"], "'１２' is not a whole number of at least 1"),
    ],
)
def test_usage_errors_are_one_line_too(run, args, message):
    result = refused(run(*args), message)
    assert result.exit_code == 2

"""Statement sections agree with ledger types, and cash-flow activities are the account's own.

The statements place an account by its section and the year close sweeps
income and expenses by their ledger type; a section that contradicts the type
would let the close move a result the profit and loss never showed. So every
section holds one type, and every other pairing is refused, writing nothing.
"""

from __future__ import annotations

import itertools

import pytest

from core import ledger
from core.errors import Invalid
from core.ledger import AccountType, create_account, find_account
from plugins.finance.closing import close_year
from plugins.finance.company_setup import DEFAULT_ACTIVITY, SECTION_TYPE, activities, classify, sections
from plugins.finance.models import Activity, Section
from plugins.finance.reports import balance_sheet, cash_flow, profit_and_loss
from plugins.finance.reports.cash_flow import CASH_FLOW_GROUPS
from tests.plugins.finance.report_helpers import Y25, Ops, year_of_business

MONEY_TYPES = [t for t in AccountType if t != AccountType.STOCK]


def test_each_section_holds_exactly_one_ledger_type():
    assert set(SECTION_TYPE) == set(Section)
    assert set(SECTION_TYPE.values()) == set(MONEY_TYPES)


def test_every_section_and_type_pairing_is_accepted_exactly_when_they_agree(books):
    db, company = books
    with db.session() as s:
        company = s.merge(company)
        for n, type_ in enumerate(MONEY_TYPES):
            account = create_account(s, company, f"99{n}", f"test {type_.value}", type_)
            home = sections(s, company)[account.id]
            assert SECTION_TYPE[home] == type_  # where an unclassified account shows agrees too
            for section in Section:
                if SECTION_TYPE[section] == type_:
                    assert classify(s, company, account, section).section == section
                    assert sections(s, company)[account.id] == section
                    home = section
                else:
                    with pytest.raises(Invalid) as refused:
                        classify(s, company, account, section)
                    assert f"is of type {type_.value}" in str(refused.value)
                    assert f"not under {section.value}" in str(refused.value)
                    assert sections(s, company)[account.id] == home  # nothing written


def test_a_stock_location_has_no_section(books):
    db, company = books
    with db.session() as s:
        company = s.merge(company)
        stock = create_account(s, company, "WH-T", "a shelf", AccountType.STOCK)
        for section in Section:
            with pytest.raises(Invalid, match="stock location"):
                classify(s, company, stock, section)


def test_the_cli_refuses_an_expense_shown_as_an_asset_in_one_line(books, run):
    db, company = books
    result = run("finance", "classify", "819", "current_asset")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("jangbu: error: account 819 is of type expense: it can show under "
                                    "cost_of_sales, expense, other_expense, not under current_asset")
    with db.session() as s:
        assert sections(s, s.merge(company))[find_account(s, s.merge(company), "819").id] == Section.EXPENSE
    result = run("--json", "finance", "classify", "260", "current_liability", "--cash-flow", "operating")
    assert result.exit_code == 0 and '"cash_flow": "operating"' in result.output
    assert run("finance", "classify", "401", "revenue", "--cash-flow", "financing").exit_code == 1


def test_the_close_and_the_statements_agree_whatever_was_tried(books):
    """After a year close retained earnings equal the year's net income, and the closed year's
    balance sheet is what it was before the close (the issue's 1,700,000 against 1,800,000)."""
    db, company = books
    with db.session() as s:
        company = s.merge(company)
        year_of_business(s, company)
        Ops(s, company).bill("2025-06-01", 100_000, "819")  # rent: an expense
        with pytest.raises(Invalid):
            classify(s, company, find_account(s, company, "819"), Section.CURRENT_ASSET)
        net = profit_and_loss(s, company, *Y25).amount("net_income")
        before = [(line.key, line.amount) for line in balance_sheet(s, company, Y25[1]).lines]
        close_year(s, company, "2025")
        assert -ledger.balance(s, company, "375", as_of=Y25[1]) == net
        after = balance_sheet(s, company, Y25[1])
        assert after.amount("retained_earnings") == net and after.amount("current_earnings") == 0
        moved = {"retained_earnings": net, "current_earnings": 0, "account:375": net}
        assert [(key, moved.get(key, amount)) for key, amount in before] == \
            [(line.key, line.amount) for line in after.lines if line.key in dict(before)]


# -- cash-flow activities ------------------------------------------------------------

def test_every_cash_flow_group_holds_every_balance_sheet_section_once():
    """Whatever activity an account has, the cash flow counts it in exactly one line."""
    for _activity, _label, parts in CASH_FLOW_GROUPS:
        held = [section for _key, _label, wanted, _always in parts for section in wanted]
        assert sorted(held, key=lambda s: s.value) == sorted(DEFAULT_ACTIVITY, key=lambda s: s.value)
    assert [group[0] for group in CASH_FLOW_GROUPS] == list(Activity)


def test_borrowings_are_financing_by_the_chart_and_any_activity_can_be_set(books):
    db, company = books
    with db.session() as s:
        company = s.merge(company)
        flows = activities(s, company)
        code = {find_account(s, company, c).id: c for c in ("260", "293", "331", "212", "251", "108")}
        assert {code[i]: flows[i] for i in code} == {
            "260": Activity.FINANCING, "293": Activity.FINANCING, "331": Activity.FINANCING,
            "212": Activity.INVESTING, "251": Activity.OPERATING, "108": Activity.OPERATING}
        loan = find_account(s, company, "260")
        classify(s, company, loan, Section.CURRENT_LIABILITY, Activity.OPERATING)
        assert activities(s, company)[loan.id] == Activity.OPERATING
        classify(s, company, loan, Section.NON_CURRENT_LIABILITY)  # a new section keeps the chosen activity
        assert activities(s, company)[loan.id] == Activity.OPERATING
        for section, activity in itertools.product(
            [Section.CASH, Section.REVENUE, Section.EXPENSE], Activity
        ):
            account = find_account(
                s, company, {"cash": "103", "revenue": "401", "expense": "819"}[section.value]
            )
            with pytest.raises(Invalid, match="no cash-flow activity"):
                classify(s, company, account, section, activity)


def test_a_short_term_loan_is_financing_in_the_cash_flow(books):
    db, company = books
    with db.session() as s:
        company = s.merge(company)
        o = Ops(s, company)
        o.entry("2025-03-01", "103", "260", 80_000_000)
        o.entry("2025-09-01", "260", "103", 30_000_000)
        cf = cash_flow(s, company, *Y25)
        line = cf.line("account:260")
        assert line.group == "financing" and line.amount == 50_000_000
        assert cf.amount("short_term_borrowings") == 50_000_000 and cf.amount("financing") == 50_000_000
        assert cf.amount("operating") == 0 and cf.amount("net_change") == 50_000_000
        classify(s, company, find_account(s, company, "260"), Section.CURRENT_LIABILITY, Activity.OPERATING)
        cf = cash_flow(s, company, *Y25)
        assert cf.line("account:260").group == "operating" and cf.amount("financing") == 0
        assert cf.amount("net_change") == 50_000_000


# -- the migration that brought the activities -------------------------------------

def _classified_after_migrating(url):
    """A company whose books were kept before finance_0002, one expense shown as an asset: upgraded."""
    from alembic import command
    from sqlalchemy import text

    import plugins.finance as finance
    from core import make_engine, make_session_factory, transaction
    from core.companies import create_company, get_company
    from core.migrate import alembic_config, upgrade
    from tests.conftest import make_plugins

    plugins = make_plugins(finance)
    engine = make_engine(url)
    try:
        upgrade(engine, plugins)
        with transaction(make_session_factory(engine, plugins)) as s:
            create_company(s, "OLD", "Old Co", "KRW", country="KR", plugins=["finance"])
        with engine.begin() as connection:
            command.downgrade(alembic_config(plugins, connection), "finance_0001")
            connection.execute(text("UPDATE finance_account SET section = 'current_asset' WHERE account_id = "
                                    "(SELECT id FROM ledger_account WHERE code = '819')"))
        upgrade(engine, plugins)
        with transaction(make_session_factory(engine, plugins)) as s:
            company = get_company(s, "OLD")
            where, flows = sections(s, company), activities(s, company)
            return {
                code: (where[find_account(s, company, code).id], flows.get(find_account(s, company, code).id))
                for code in ("819", "260", "251")
            }
    finally:
        engine.dispose()


MIGRATED = {"819": (Section.EXPENSE, None), "260": (Section.CURRENT_LIABILITY, Activity.FINANCING),
            "251": (Section.PAYABLE, Activity.OPERATING)}


def test_the_migration_mends_a_contradiction_and_makes_borrowings_financing(tmp_path):
    assert _classified_after_migrating(f"sqlite:///{tmp_path / 'old.db'}") == MIGRATED


def test_the_migration_does_the_same_on_postgresql(fresh_postgres):
    assert _classified_after_migrating(fresh_postgres) == MIGRATED

"""Installing finance sets the books up: charts, taxes, terms, journals; and
re-installing or keeping earlier accounts adds nothing twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.companies import create_company
from core.errors import Conflict
from core.installation import install, uninstall
from core.ledger import Account, AccountType, create_account
from plugins.finance.chart_templates import IFRS, KR, ROLES
from plugins.finance.company_setup import section_of, sections, settings_of
from plugins.finance.models import AccountInfo, Journal, PaymentTerm, Section, Tax


def test_a_korean_company_gets_the_korean_chart_with_korean_names(books):
    db, company = books
    with db.session() as s:
        codes = dict(
            s.execute(select(Account.code, Account.name).where(Account.company_id == company.id)).all()
        )
        assert (
            codes["108"] == "외상매출금"
            and codes["255"] == "부가세예수금"
            and codes["375"] == "이월이익잉여금"
        )
        assert len(codes) == len(KR)
        settings = settings_of(s, company)
        assert settings.template == "kr"
        assert s.get(Account, settings.receivable_id).code == "108"
        vat = s.scalar(select(Tax).where(Tax.company_id == company.id, Tax.code == "VAT10-S"))
        assert vat.rate_units == 10 * 10**4 and s.get(Account, vat.account_id).code == "255"
        assert {j.code for j in s.scalars(select(Journal).where(Journal.company_id == company.id))} == {
            "INV", "BILL", "BANK", "CASH", "MISC"}
        parent = s.scalar(
            select(Account).where(Account.company_id == company.id, Account.code == "101")
        ).parent
        assert parent.code == "10" and parent.parent.code == "1"


def test_other_companies_get_the_ifrs_chart_and_keep_their_own_accounts(fdb):
    with fdb.session() as s:
        company = create_company(s, "GLOBEX", "Globex", "USD", country="US")
        kept = create_account(s, company, "1100", "Main bank account", "asset")
        install(s, company, ["finance"])
        assert settings_of(s, company).template == "ifrs"
        assert s.get(Account, kept.id).name == "Main bank account"  # kept, and classified
        assert section_of(s, company, "1100") == Section.CASH
        assert s.scalar(
            select(func.count()).select_from(Account).where(Account.company_id == company.id)
        ) == len(IFRS)


def test_an_account_of_the_wrong_type_under_a_template_code_refuses_the_install(fdb):
    with fdb.session() as s:
        company = create_company(s, "ODD", "Odd", "KRW", country="KR")
        create_account(s, company, "108", "Something else", "expense")
    with pytest.raises(Conflict, match="108"):
        with fdb.session() as s:
            install(s, s.merge(company), ["finance"])
    with fdb.session() as s:  # nothing of the install was kept
        assert not fdb.plugins.is_installed(s, company, "finance")
        assert s.scalar(select(Account.id).where(Account.code == "101")) is None


def test_reinstalling_finds_everything_again(books):
    db, company = books
    with db.session() as s:
        before = [s.scalar(select(func.count()).select_from(model)) for model in (Account, AccountInfo, Tax,
                                                                                  Journal, PaymentTerm)]
        uninstall(s, company, "finance")
        install(s, company, ["finance"])
        after = [s.scalar(select(func.count()).select_from(model)) for model in (Account, AccountInfo, Tax,
                                                                                 Journal, PaymentTerm)]
    assert before == after


def test_every_template_names_every_role_and_every_account_has_a_section(books):
    db, company = books
    for template in (IFRS, KR):
        assert set(ROLES) <= {a.role for a in template if a.role}
        codes = {a.code for a in template}
        assert all(a.parent is None or a.parent in codes for a in template)
    with db.session() as s:
        create_account(s, company, "WH", "Warehouse", "stock")
        create_account(s, company, "999", "Suspense", "liability")
        where = sections(s, company)
        assert s.scalar(select(Account.id).where(Account.code == "WH")) not in where  # stock is not money
        assert where[s.scalar(select(Account.id).where(Account.code == "999"))] == Section.CURRENT_LIABILITY
        assert all(s.get(Account, a).type != AccountType.STOCK for a in where)

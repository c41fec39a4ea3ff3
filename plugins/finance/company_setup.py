"""Setting a company's books up when it installs finance, and reading the setup.

Installing applies a chart template (the Korean one for a Korean company,
the IFRS-style one otherwise): accounts with their hierarchy and statement
sections, taxes, payment terms and the five journals. Accounts the company
already has under a template's code are kept and classified, so a company
that kept books before finance carries on in them. A re-install finds
everything again and adds nothing twice.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid, NotFound
from core.ledger import Account, AccountType, create_account, find_account
from core.models import Company
from core.scoping import find_one
from plugins.finance.chart_templates import (
    JOURNALS, ROLES, TAXES, TEMPLATES, TERMS, TemplateAccount, template_for_country,
)
from plugins.finance.models import AccountInfo, Journal, JournalKind, PaymentTerm, Section, Settings, Tax, TaxScope
from plugins.finance.values import percent

__all__ = ["set_up_books", "settings_of", "section_of", "sections", "classify", "journal_of_kind", "find_journal",
           "find_tax", "find_term", "DEFAULT_SECTION"]

# Accounts finance did not create (core's, another plugin's) show by their ledger type.
DEFAULT_SECTION = {
    AccountType.ASSET: Section.CURRENT_ASSET,
    AccountType.LIABILITY: Section.CURRENT_LIABILITY,
    AccountType.EQUITY: Section.EQUITY,
    AccountType.INCOME: Section.REVENUE,
    AccountType.EXPENSE: Section.EXPENSE,
}
_SETTING_OF_ROLE = {"receivable": "receivable_id", "payable": "payable_id", "income": "income_id",
                    "expense": "expense_id", "retained_earnings": "retained_earnings_id", "fx_gain": "fx_gain_id",
                    "fx_loss": "fx_loss_id", "rounding": "rounding_id"}


def set_up_books(session: Session, company: Company, template: Optional[str] = None) -> Settings:
    """Apply a chart template to ``company`` (idempotent)."""
    existing = session.get(Settings, company.id)
    if existing is not None:
        return existing
    name = template or template_for_country(company.country)
    if name not in TEMPLATES:
        raise Invalid(f"unknown chart template {name!r} (one of: {', '.join(TEMPLATES)})")
    by_role: dict[str, Account] = {}
    for entry in TEMPLATES[name]:
        account = _account(session, company, entry)
        if entry.role:
            by_role[entry.role] = account
    missing = [role for role in ROLES if role not in by_role]
    assert not missing, f"template {name} lacks roles {missing}"  # a defect in the template data
    for tax in TAXES[name]:
        if session.scalar(select(Tax.id).where(Tax.company_id == company.id, Tax.code == tax.code)) is None:
            session.add(Tax(company_id=company.id, code=tax.code, name=tax.name, scope=TaxScope(tax.scope),
                            rate_units=percent(tax.rate), included=tax.included,
                            account_id=by_role[tax.account_role].id))
    for code, term_name, days, months, eom in TERMS[name]:
        if session.scalar(select(PaymentTerm.id).where(PaymentTerm.company_id == company.id,
                                                       PaymentTerm.code == code)) is None:
            session.add(PaymentTerm(company_id=company.id, code=code, name=term_name, days=days, months=months,
                                    end_of_month=eom))
    for code, journal_name, kind, role in JOURNALS[name]:
        if session.scalar(select(Journal.id).where(Journal.company_id == company.id, Journal.code == code)) is None:
            session.add(Journal(company_id=company.id, code=code, name=journal_name, kind=JournalKind(kind),
                                account_id=by_role[role].id if role else None))
    settings = Settings(company_id=company.id, template=name,
                        **{column: by_role[role].id for role, column in _SETTING_OF_ROLE.items()})
    session.add(settings)
    session.flush()
    return settings


def _account(session: Session, company: Company, entry: TemplateAccount) -> Account:
    account = session.scalar(select(Account).where(Account.company_id == company.id, Account.code == entry.code))
    if account is None:
        account = create_account(session, company, entry.code, entry.name, entry.type, parent=entry.parent,
                                 no_negative=entry.no_negative)
    elif account.type != AccountType(entry.type):
        raise Conflict(f"account {entry.code} of {company.code} is of type {account.type.value}, "
                       f"but the chart template needs {entry.type}")
    classify(session, company, account, entry.section)
    return account


def classify(session: Session, company: Company, account: Account, section: Section) -> AccountInfo:
    """Say in which statement section ``account`` appears."""
    if account.type == AccountType.STOCK:
        raise Invalid(f"account {account.code} is a stock location; it has no place in the statements")
    info = session.scalar(select(AccountInfo).where(AccountInfo.account_id == account.id))
    if info is None:
        info = AccountInfo(company_id=company.id, account_id=account.id, section=section)
        session.add(info)
    info.section = section
    session.flush()
    return info


def settings_of(session: Session, company: Company) -> Settings:
    settings = session.get(Settings, company.id)
    if settings is None:
        raise NotFound(f"company {company.code} has not set up its books (install finance)")
    return settings


def sections(session: Session, company: Company) -> dict[int, Section]:
    """Every money account of ``company``: account id -> statement section."""
    explicit = dict(session.execute(select(AccountInfo.account_id, AccountInfo.section).where(
        AccountInfo.company_id == company.id)).all())
    result = {}
    for account_id, type_ in session.execute(select(Account.id, Account.type).where(
            Account.company_id == company.id, Account.type != AccountType.STOCK)):
        result[account_id] = explicit.get(account_id) or DEFAULT_SECTION[type_]
    return result


def section_of(session: Session, company: Company, code: str) -> Section:
    account = find_account(session, company, code)
    return sections(session, company).get(account.id) or DEFAULT_SECTION[account.type]


def journal_of_kind(session: Session, company: Company, kind: JournalKind) -> Journal:
    journal = session.scalar(select(Journal).where(Journal.company_id == company.id, Journal.kind == kind)
                             .order_by(Journal.id).limit(1))
    if journal is None:
        raise NotFound(f"company {company.code} has no {kind.value} journal")
    return journal


def find_journal(session: Session, company: Company, code: str) -> Journal:
    return find_one(session, Journal, company, "journal", code=code.strip().upper())


def find_tax(session: Session, company: Company, code: str) -> Tax:
    return find_one(session, Tax, company, "tax", code=code.strip().upper())


def find_term(session: Session, company: Company, code: str) -> PaymentTerm:
    return find_one(session, PaymentTerm, company, "payment term", code=code.strip().upper())

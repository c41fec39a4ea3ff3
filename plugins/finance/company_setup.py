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
from core.scoping import find_one, settings_row
from plugins.finance.chart_templates import (
    JOURNALS,
    ROLES,
    TAXES,
    TEMPLATES,
    TERMS,
    TemplateAccount,
    template_for_country,
)
from plugins.finance.models import (
    AccountInfo,
    Activity,
    Journal,
    JournalKind,
    PaymentTerm,
    Section,
    Settings,
    Tax,
    TaxScope,
)
from plugins.finance.values import percent

__all__ = ["set_up_books", "settings_of", "section_of", "sections", "activities", "classify", "SECTION_TYPE",
           "DEFAULT_ACTIVITY", "journal_of_kind", "ensure_journal", "find_journal",
           "find_tax", "find_term", "DEFAULT_SECTION"]

# Accounts finance did not create (core's, another plugin's) show by their ledger type.
DEFAULT_SECTION = {
    AccountType.ASSET: Section.CURRENT_ASSET,
    AccountType.LIABILITY: Section.CURRENT_LIABILITY,
    AccountType.EQUITY: Section.EQUITY,
    AccountType.INCOME: Section.REVENUE,
    AccountType.EXPENSE: Section.EXPENSE,
}
# The one ledger type each section holds. The statements place an account by its section and the
# year close sweeps income and expenses by their ledger type: the two must agree, or the close moves
# a result the profit and loss never showed (and changes the closed year's balance sheet).
SECTION_TYPE = {
    Section.CASH: AccountType.ASSET,
    Section.RECEIVABLE: AccountType.ASSET,
    Section.CURRENT_ASSET: AccountType.ASSET,
    Section.NON_CURRENT_ASSET: AccountType.ASSET,
    Section.DEPRECIATION: AccountType.ASSET,
    Section.PAYABLE: AccountType.LIABILITY,
    Section.CURRENT_LIABILITY: AccountType.LIABILITY,
    Section.NON_CURRENT_LIABILITY: AccountType.LIABILITY,
    Section.EQUITY: AccountType.EQUITY,
    Section.RETAINED_EARNINGS: AccountType.EQUITY,
    Section.REVENUE: AccountType.INCOME,
    Section.OTHER_INCOME: AccountType.INCOME,
    Section.COST_OF_SALES: AccountType.EXPENSE,
    Section.EXPENSE: AccountType.EXPENSE,
    Section.OTHER_EXPENSE: AccountType.EXPENSE,
}
# The cash-flow activity of the balance-sheet sections other than cash, where an account does not
# say its own (short-term borrowings are current liabilities whose cash is financing).
DEFAULT_ACTIVITY = {
    Section.RECEIVABLE: Activity.OPERATING, Section.CURRENT_ASSET: Activity.OPERATING,
    Section.DEPRECIATION: Activity.OPERATING, Section.PAYABLE: Activity.OPERATING,
    Section.CURRENT_LIABILITY: Activity.OPERATING, Section.NON_CURRENT_ASSET: Activity.INVESTING,
    Section.NON_CURRENT_LIABILITY: Activity.FINANCING, Section.EQUITY: Activity.FINANCING,
    Section.RETAINED_EARNINGS: Activity.FINANCING,
}
_SETTING_OF_ROLE = {
    "receivable": "receivable_id",
    "payable": "payable_id",
    "income": "income_id",
    "expense": "expense_id",
    "retained_earnings": "retained_earnings_id",
    "fx_gain": "fx_gain_id",
    "fx_loss": "fx_loss_id",
    "rounding": "rounding_id",
}


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
            session.add(
                PaymentTerm(
                    company_id=company.id,
                    code=code,
                    name=term_name,
                    days=days,
                    months=months,
                    end_of_month=eom,
                )
            )
    for code, journal_name, kind, role in JOURNALS[name]:
        if (
            session.scalar(select(Journal.id).where(Journal.company_id == company.id, Journal.code == code))
            is None
        ):
            session.add(Journal(company_id=company.id, code=code, name=journal_name, kind=JournalKind(kind),
                                account_id=by_role[role].id if role else None))
    settings = Settings(company_id=company.id, template=name,
                        **{column: by_role[role].id for role, column in _SETTING_OF_ROLE.items()})
    session.add(settings)
    session.flush()
    return settings


def _account(session: Session, company: Company, entry: TemplateAccount) -> Account:
    account = session.scalar(
        select(Account).where(Account.company_id == company.id, Account.code == entry.code)
    )
    if account is None:
        account = create_account(session, company, entry.code, entry.name, entry.type, parent=entry.parent,
                                 no_negative=entry.no_negative)
    elif account.type != AccountType(entry.type):
        raise Conflict(f"account {entry.code} of {company.code} is of type {account.type.value}, "
                       f"but the chart template needs {entry.type}")
    classify(session, company, account, entry.section, entry.cash_flow)
    return account


def classify(session: Session, company: Company, account: Account, section: Section,
             cash_flow: Optional[Activity] = None) -> AccountInfo:
    """Say in which statement section ``account`` appears and, for a balance-sheet account other
    than cash, under which cash-flow activity (``None``: the one it has, or its section's default).

    The section must hold the account's ledger type (:data:`SECTION_TYPE`).
    """
    if account.type == AccountType.STOCK:
        raise Invalid(f"account {account.code} is a stock location; it has no place in the statements")
    if SECTION_TYPE[section] != account.type:
        fitting = ", ".join(s.value for s, type_ in SECTION_TYPE.items() if type_ == account.type)
        raise Invalid(f"account {account.code} is of type {account.type.value}: it can show under {fitting}, "
                      f"not under {section.value}")
    if cash_flow is not None and section not in DEFAULT_ACTIVITY:
        raise Invalid(f"account {account.code} under {section.value} has no cash-flow activity of its own "
                      "(the cash flow explains cash, and income and expenses make up its net income)")
    info = session.scalar(select(AccountInfo).where(AccountInfo.account_id == account.id))
    if info is None:
        info = AccountInfo(company_id=company.id, account_id=account.id, section=section)
        session.add(info)
    info.section = section
    if section not in DEFAULT_ACTIVITY:
        info.cash_flow = None
    elif cash_flow is not None:
        info.cash_flow = cash_flow
    session.flush()
    return info


def settings_of(session: Session, company: Company) -> Settings:
    return settings_row(session, Settings, company, "finance")


def sections(session: Session, company: Company) -> dict[int, Section]:
    """Every money account of ``company``: account id -> statement section.

    An account finance did not classify (another plugin's) shows where its parent does when that
    section holds its type (wms's inventory differences under 45 are a cost of sales), else by its type.
    """
    explicit = dict(session.execute(select(AccountInfo.account_id, AccountInfo.section).where(
        AccountInfo.company_id == company.id)).all())
    rows = session.execute(select(Account.id, Account.type, Account.parent_id).where(
        Account.company_id == company.id, Account.type != AccountType.STOCK).order_by(Account.id)).all()
    parents = {account_id: parent_id for account_id, _type, parent_id in rows}
    result: dict[int, Section] = {}

    def section(account_id: int, type_: AccountType, seen: frozenset = frozenset()) -> Section:
        if account_id in explicit:
            return explicit[account_id]
        parent = parents.get(account_id)
        if parent in parents and parent not in seen:
            inherited = section(parent, types[parent], seen | {account_id})
            if SECTION_TYPE[inherited] == type_:
                return inherited
        return DEFAULT_SECTION[type_]

    types = {account_id: type_ for account_id, type_, _parent in rows}
    for account_id, type_, _parent in rows:
        result[account_id] = section(account_id, type_)
    return result


def activities(session: Session, company: Company, where: Optional[dict[int, Section]] = None
               ) -> dict[int, Activity]:
    """Every balance-sheet account of ``company`` other than cash: account id -> cash-flow activity."""
    where = sections(session, company) if where is None else where
    chosen = dict(session.execute(select(AccountInfo.account_id, AccountInfo.cash_flow).where(
        AccountInfo.company_id == company.id, AccountInfo.cash_flow.is_not(None))).all())
    return {account_id: chosen.get(account_id) or DEFAULT_ACTIVITY[section]
            for account_id, section in where.items() if section in DEFAULT_ACTIVITY}


def section_of(session: Session, company: Company, code: str) -> Section:
    account = find_account(session, company, code)
    return sections(session, company).get(account.id) or DEFAULT_SECTION[account.type]


def journal_of_kind(session: Session, company: Company, kind: JournalKind) -> Journal:
    journal = session.scalar(select(Journal).where(Journal.company_id == company.id, Journal.kind == kind)
                             .order_by(Journal.id).limit(1))
    if journal is None:
        raise NotFound(f"company {company.code} has no {kind.value} journal")
    return journal


def ensure_journal(session: Session, company: Company, code: str, name: str, kind: JournalKind) -> Journal:
    """The journal ``code`` (created as a ``kind`` journal if the company has none of that code):
    a sale or purchase journal of its own numbers one stream of documents apart from the others."""
    journal = session.scalar(select(Journal).where(Journal.company_id == company.id,
                                                   Journal.code == code.strip().upper()))
    if journal is None:
        journal = Journal(company_id=company.id, code=code.strip().upper(), name=name, kind=kind)
        session.add(journal)
        session.flush()
    elif journal.kind != kind:
        raise Conflict(
            f"journal {journal.code} of {company.code} is a {journal.kind.value} journal, not {kind.value}"
        )
    return journal


def find_journal(session: Session, company: Company, code: str) -> Journal:
    return find_one(session, Journal, company, "journal", code=code.strip().upper())


def find_tax(session: Session, company: Company, code: str) -> Tax:
    return find_one(session, Tax, company, "tax", code=code.strip().upper())


def find_term(session: Session, company: Company, code: str) -> PaymentTerm:
    return find_one(session, PaymentTerm, company, "payment term", code=code.strip().upper())

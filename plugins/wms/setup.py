"""A company's stock set-up: the settings row, the virtual locations and,
where the company keeps its books with finance, the valuation accounts.

Installing is idempotent: a re-install finds every row again. Valuation
starts when finance is installed (with wms, or later): stock already on
hand then enters the costing at zero value, so the inventory account and
the valuation report agree from the first day.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid
from core.ledger import Account, AccountType, create_account
from core.models import Company
from core.plugins import plugins_of
from core.scoping import settings_row
from plugins.wms.models import CostMethod, Location, LocationKind, Removal, Settings

__all__ = [
    "set_up_stock",
    "set_up_valuation",
    "settings_of",
    "valued",
    "update_settings",
    "choice",
    "VIRTUAL",
]

# The company's virtual locations: settings column -> (code, name, kind).
VIRTUAL = {
    "supplier_id": ("VIRTUAL/SUPPLIERS", "Suppliers", LocationKind.SUPPLIER),
    "customer_id": ("VIRTUAL/CUSTOMERS", "Customers", LocationKind.CUSTOMER),
    "production_id": ("VIRTUAL/PRODUCTION", "Production", LocationKind.PRODUCTION),
    "loss_id": ("VIRTUAL/INVENTORY-LOSS", "Inventory loss", LocationKind.LOSS),
    "transit_id": ("VIRTUAL/TRANSIT", "In transit", LocationKind.TRANSIT),
}

# Valuation accounts: settings column -> the account to use or create, in an IFRS-style chart and
# in the Korean one (code, name, type, parent); finance's templates hold the cost of goods sold already.
_VALUATION = {
    # Its own inventory account: only wms posts there, so it equals the valuation report to the unit.
    "inventory_account_id": (("1410", "Inventory in warehouses", AccountType.ASSET, "10"),
                             ("147", "재고자산(창고)", AccountType.ASSET, "10")),
    "cogs_account_id": (("5000", "Cost of goods sold", AccountType.EXPENSE, "5"),
                        ("451", "상품매출원가", AccountType.EXPENSE, "45")),
    "received_account_id": (("2150", "Goods received not invoiced", AccountType.LIABILITY, "20"),
                            ("254", "입고미정산", AccountType.LIABILITY, "25")),
    "difference_account_id": (("5900", "Inventory differences", AccountType.EXPENSE, "5"),
                              ("459", "재고차이", AccountType.EXPENSE, "45")),
}


def set_up_stock(session: Session, company: Company) -> Settings:
    """The settings row and the virtual locations of ``company`` (idempotent)."""
    settings = session.get(Settings, company.id)
    if settings is None:
        ids = {column: _virtual(session, company, code, name, kind).id
               for column, (code, name, kind) in VIRTUAL.items()}
        settings = Settings(company_id=company.id, allow_negative=False, removal=Removal.FIFO,
                            cost_method=CostMethod.FIFO, **ids)
        session.add(settings)
        session.flush()
    if plugins_of(session).is_installed(session, company, "finance"):
        set_up_valuation(session, company)
    return settings


def _virtual(session: Session, company: Company, code: str, name: str, kind: LocationKind) -> Location:
    found = session.scalar(select(Location).where(Location.company_id == company.id, Location.code == code))
    if found is not None:
        return found
    if session.scalar(select(Account.id).where(Account.company_id == company.id, Account.code == code)):
        raise Conflict(f"account {code} exists already in company {company.code}; wms needs that code")
    account = create_account(session, company, code, name, AccountType.STOCK)
    location = Location(company_id=company.id, account_id=account.id, code=code, name=name, kind=kind)
    session.add(location)
    session.flush()
    return location


def set_up_valuation(session: Session, company: Company) -> Settings:
    """Point the settings at the valuation accounts, creating those the chart lacks;
    stock on hand enters the costing at zero value."""
    from plugins.wms.valuation import open_costing

    settings = session.get(Settings, company.id)
    if settings is None:  # finance installed while wms is not: nothing to value
        return None
    if settings.inventory_account_id is not None:
        return settings
    korean = session.scalar(select(Account.id).where(Account.company_id == company.id, Account.code == "146"))
    for column, (ifrs, kr) in _VALUATION.items():
        setattr(settings, column, _valuation_account(session, company, *(kr if korean else ifrs)).id)
    session.flush()
    open_costing(session, company, settings)
    return settings


def _valuation_account(session, company, code, name, kind, parent) -> Account:
    """The chart's account ``code`` if it has that type, else a new one (at the next free code)."""
    codes = set(session.scalars(select(Account.code).where(Account.company_id == company.id)))
    found = session.scalar(select(Account).where(Account.company_id == company.id, Account.code == code))
    if found is not None and found.type is kind:
        return found
    while code in codes:  # a same-coded account of another type: take the next free code
        code = str(int(code) + 1)
    return create_account(session, company, code, name, kind, parent=parent if parent in codes else None)


def settings_of(session: Session, company: Company) -> Settings:
    return settings_row(session, Settings, company, "wms")


def valued(settings: Settings) -> bool:
    """Whether the company values its stock (finance is installed and the accounts set)."""
    return settings.inventory_account_id is not None


def update_settings(session: Session, company: Company, *, allow_negative: Optional[bool] = None,
                    removal: Optional[str] = None, cost_method: Optional[str] = None) -> Settings:
    """Change the company's stock rules; negative stock changes every internal location's limit."""
    settings = settings_of(session, company)
    if removal is not None:
        settings.removal = choice(Removal, removal, "removal strategy")
    if cost_method is not None:
        method = choice(CostMethod, cost_method, "cost method")
        if method is not settings.cost_method:
            from plugins.wms.valuation import refuse_if_costed

            refuse_if_costed(session, company, None)
            settings.cost_method = method
    if allow_negative is not None and allow_negative != settings.allow_negative:
        settings.allow_negative = allow_negative
        internal = select(Location.account_id).where(Location.company_id == company.id,
                                                     Location.kind == LocationKind.INTERNAL)
        for account in session.scalars(select(Account).where(Account.id.in_(internal))):
            account.no_negative = not allow_negative
    session.flush()
    return settings


def choice(enum_cls, value: str, what: str):
    try:
        return enum_cls(value.strip().lower())
    except ValueError:
        raise Invalid(f"unknown {what} {value!r} (one of: {', '.join(m.value for m in enum_cls)})") from None

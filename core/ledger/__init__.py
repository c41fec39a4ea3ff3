"""The one multi-commodity double-entry ledger for money and stock.

``post``, ``post_many``, ``reverse`` and ``import_drafts`` (a stream of any
size) write; ``balance``, ``trial_balance`` and ``verify`` read. Amounts are
``Decimal`` here and integers of the commodity's smallest unit in the database.
"""

from core.ledger import immutability  # noqa: F401  (installs the ORM guards)
from core.ledger.accounts import (
    create_account,
    create_commodity,
    ensure_currency,
    find_account,
    find_commodity,
)
from core.ledger.importing import Imported, import_drafts
from core.ledger.models import Account, AccountType, Balance, Commodity, CommodityKind, Posting, Transaction
from core.ledger.posting import Draft, Leg, load, load_many, post, post_many, reverse
from core.ledger.reports import Problem, TrialBalanceRow, VerifyReport, balance, trial_balance, verify
from core.ledger.values import Posted, PostedLeg

__all__ = [
    "Account",
    "AccountType",
    "Balance",
    "Commodity",
    "CommodityKind",
    "Draft",
    "Imported",
    "Leg",
    "Posted",
    "PostedLeg",
    "Posting",
    "Problem",
    "Transaction",
    "TrialBalanceRow",
    "VerifyReport",
    "balance",
    "create_account",
    "create_commodity",
    "ensure_currency",
    "find_account",
    "find_commodity",
    "import_drafts",
    "load",
    "load_many",
    "post",
    "post_many",
    "reverse",
    "trial_balance",
    "verify",
]

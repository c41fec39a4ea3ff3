"""Words the pages translate at run time, listed so that Babel extracts them.

The templates pass values through ``_()`` that only exist at run time: an
account's type, a party's kind, an address's purpose, the kind and roles of
a party's timeline, the label of a product fact. ``pybabel extract`` cannot
see a value, so the words core produces are written out here once, marked
with ``N_`` (a default Babel keyword that returns its argument unchanged).
Nothing imports this module; a plugin that adds such words ships its own.
"""

from __future__ import annotations


def N_(text: str) -> str:
    return text


TERMS = (
    # core.ledger.models.AccountType (accounts, account page, trial balance)
    N_("asset"), N_("liability"), N_("equity"), N_("income"), N_("expense"), N_("stock"),
    # core.models.PartyKind (party page and list, new party form)
    N_("person"), N_("organisation"),
    # core.models.PartyAddress.purpose (party page)
    N_("main"),
    # TimelineEntry.kind of core.builtin.party_timeline (party page)
    N_("created"),
    # Fact.label of core.builtin.product_facts (product page)
    N_("On hand in the ledger"),
    # party_roles the hook documents (party page badges)
    N_("customer"), N_("supplier"),
)

"""Does a new lead look like a party the company already knows?

Checked at capture, in this order: the same tax id, the same e-mail
address (the party's or one of its contacts'), the same phone number
(digits only, at least seven), the same name once case, punctuation and
legal suffixes ("Co.", "Ltd", "주식회사") are set aside. The first match
flags the lead with the party and the reason; the lead is still captured
(a person decides), and the public form never tells the visitor.
"""

from __future__ import annotations

import re
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Company, Party, PartyContact

__all__ = ["Known", "find_duplicate", "name_key", "phone_key"]

_SUFFIXES = {"co", "co.", "ltd", "ltd.", "limited", "inc", "inc.", "corp", "corp.", "corporation", "company",
             "llc", "gmbh", "plc", "주식회사", "(주)", "㈜", "유한회사"}
_PUNCT = re.compile(r"[\s\.,\-_/&'\"()]+")


def name_key(name: Optional[str]) -> Optional[str]:
    """``"Hanbit Retail Co., Ltd."`` and ``"hanbit retail"`` both give ``"hanbitretail"``."""
    if not name:
        return None
    words = [w for w in name.lower().replace(",", " ").split() if w not in _SUFFIXES]
    key = _PUNCT.sub("", " ".join(words).replace("(주)", "").replace("㈜", ""))
    return key or None


def phone_key(phone: Optional[str]) -> Optional[str]:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("82") and len(digits) > 9:  # +82 10-1234-5678 is 010-1234-5678
        digits = "0" + digits[2:]
    return digits if len(digits) >= 7 else None


def _tax_key(tax_id: Optional[str]) -> Optional[str]:
    key = re.sub(r"[^0-9A-Za-z]", "", tax_id or "").upper()
    return key or None


def _email_key(email: Optional[str]) -> Optional[str]:
    return email.strip().lower() if email and email.strip() else None


class Known:
    """The company's parties, indexed once (an import checks every row against the same index)."""

    def __init__(self, session: Session, company: Company):
        self.session = session
        self.tax: dict[str, int] = {}
        self.email: dict[str, int] = {}
        self.phone: dict[str, int] = {}
        self.name: dict[str, int] = {}
        for party_id, name, email, phone, tax_id in session.execute(
                select(Party.id, Party.name, Party.email, Party.phone, Party.tax_id)
                .where(Party.company_id == company.id).order_by(Party.id)):
            self._add(self.tax, _tax_key(tax_id), party_id)
            self._add(self.email, _email_key(email), party_id)
            self._add(self.phone, phone_key(phone), party_id)
            self._add(self.name, name_key(name), party_id)
        for party_id, name, email, phone in session.execute(
                select(PartyContact.party_id, PartyContact.name, PartyContact.email, PartyContact.phone)
                .where(PartyContact.company_id == company.id).order_by(PartyContact.id)):
            self._add(self.email, _email_key(email), party_id)
            self._add(self.phone, phone_key(phone), party_id)

    @staticmethod
    def _add(index: dict, key: Optional[str], party_id: int) -> None:
        if key is not None:
            index.setdefault(key, party_id)  # the oldest party wins

    def match(self, *, tax_id=None, email=None, phone=None, organisation=None,
              contact_name=None) -> Optional[tuple[Party, str]]:
        """``(party, reason)`` of the first check that matches, or ``None``."""
        checks = (("tax id", self.tax, _tax_key(tax_id)), ("e-mail", self.email, _email_key(email)),
                  ("phone", self.phone, phone_key(phone)),
                  ("name", self.name, name_key(organisation) or name_key(contact_name)))
        for reason, index, key in checks:
            if key is not None and key in index:
                party = self.session.get(Party, index[key])
                return party, f"same {reason} as party {party.code}"
        return None

    def remember(self, party: Party) -> None:
        """A party created since the index was built (a conversion during an import)."""
        self._add(self.tax, _tax_key(party.tax_id), party.id)
        self._add(self.email, _email_key(party.email), party.id)
        self._add(self.phone, phone_key(party.phone), party.id)
        self._add(self.name, name_key(party.name), party.id)


def find_duplicate(session: Session, company: Company, **fields) -> Optional[tuple[Party, str]]:
    return Known(session, company).match(**fields)

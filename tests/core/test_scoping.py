"""A company never reaches another company's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import ledger
from core.catalog import add_contact, create_party
from core.companies import get_company
from core.errors import CrossCompany, NotFound
from core.ledger import Account, Leg
from core.models import Party, PartyContact


def test_orm_reference_to_another_companys_row_is_refused(db):
    db.company("ACME")
    db.company("OTHER")
    with db.session() as s:
        create_party(s, get_company(s, "OTHER"), "P1", "Other's customer")
    with pytest.raises(CrossCompany, match="party refers to a Party of another company"):
        with db.session() as s:
            party = s.scalar(select(Party).where(Party.code == "P1"))
            s.add(PartyContact(company_id=get_company(s, "ACME").id, party=party, name="Spy"))
            s.flush()
    with pytest.raises(CrossCompany):
        with db.session() as s:
            party = s.scalar(select(Party).where(Party.code == "P1"))
            s.add(PartyContact(company_id=get_company(s, "ACME").id, party_id=party.id, name="Spy"))
            s.flush()
    with db.session() as s:
        party = s.scalar(select(Party).where(Party.code == "P1"))
        add_contact(s, party, "Legit")  # the party's own company: fine
        assert s.scalar(select(PartyContact.name)) == "Legit"


def test_account_parent_must_be_of_the_same_company(db):
    db.company("ACME")
    db.company("OTHER")
    with db.session() as s:
        other_cash = s.scalar(select(Account).where(Account.company_id == get_company(s, "OTHER").id,
                                                    Account.code == "1000"))
    with pytest.raises(CrossCompany):
        with db.session() as s:
            s.add(Account(company_id=get_company(s, "ACME").id, code="1001", name="Petty cash",
                          type=ledger.AccountType.ASSET, parent_id=other_cash.id))
            s.flush()


def test_database_refuses_a_posting_on_another_companys_account(db):
    acme = db.company("ACME")
    other = db.company("OTHER")
    with db.session() as s:
        posted = ledger.post(s, acme, "2026-03-01", [Leg("1100", "5"), Leg("4000", "-5")])
        other_bank = s.scalar(
            select(Account.id).where(Account.company_id == other.id, Account.code == "1100")
        )
    # The ORM and the services never build such a row; the composite foreign key stops raw SQL too.
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.execute(ledger.Posting.__table__.insert().values(
                company_id=acme.id, transaction_id=posted.id, account_id=other_bank, commodity_id=1,
                date=posted.date, amount=1))


def test_services_do_not_find_another_companys_rows(db):
    acme = db.company("ACME")
    other = db.company("OTHER")
    with db.session() as s:
        theirs = ledger.post(s, other, "2026-03-01", [Leg("1100", "5"), Leg("4000", "-5")])
    with pytest.raises(NotFound, match=f"unknown transaction {theirs.id} in company ACME"):
        with db.session() as s:
            ledger.reverse(s, acme, theirs.id, "2026-03-02")
    with db.session() as s:
        assert ledger.trial_balance(s, acme) == []
        assert ledger.verify(s, acme).transactions == 0

"""Supplier bills and the three-way match: a bill that does not match (quantity,
or price outside the tolerance) is held with its reasons and the ledger shows
nothing for it (no transaction, "goods received not invoiced" and payables
unchanged) until a permitted user releases it; then it is posted. A refused
release writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.errors import Conflict, Invalid, NotFound, PermissionDenied
from core.ledger import balance
from plugins.procurement.billing import (
    BillLineInput,
    enter_bill,
    find_bill,
    pay_bill,
    refuse_bill,
    release_bill,
)
from plugins.procurement.models import BillState, OrderState, PaymentState, Progress
from plugins.procurement.orders import OrderLineInput, approve_order, confirm_order, create_order, find_order
from plugins.procurement.receiving import receive
from plugins.procurement.returns import return_goods
from plugins.procurement.settings import update_settings
from tests.plugins.procurement.conftest import (  # noqa: F401
    assert_books_sound,
    combo,
    grni,
    ledger_transactions,
    make_buying_company,
    make_users,
    payable,
)

D = dt.date(2026, 4, 1)
BOTH = ("finance", "wms", "procurement")


def _ordered(pdb, company, received="100", qty="100", price="300"):
    with pdb.session() as s:
        create_order(s, company, "S1", [OrderLineInput("PEN", qty, price)], date=D)
        confirm_order(s, company, "PO00001", date=D)
        receive(s, company, "PO00001", {"PEN": received}, date=D + dt.timedelta(days=3))


def _books(s, company):
    return ledger_transactions(s, company), grni(s, company), payable(s, company)


def _document_state(s, company, bill):
    if bill.document_id is None:
        return None
    from plugins.finance import api

    return api.document(s, company, bill.document_id).state


def test_a_bill_for_more_than_was_received_is_held_until_a_manager_releases_it(combo):
    pdb, company, plugins = combo
    buyer, manager = make_users(pdb, company)
    _ordered(pdb, company, received="80")
    with pdb.session() as s:
        before = _books(s, company)
        bill = enter_bill(
            s,
            company,
            "PO00001",
            "S1-100",
            [BillLineInput("PEN", "100")],
            date=D + dt.timedelta(days=4),
            by=buyer,
        )
        assert (bill.state, bill.matched) == (BillState.HELD, False)
        assert bill.held_reason == "PEN: billed 100 pcs but received 80 pcs (quantity tolerance 0 %)"
        assert bill.lines[0].problem == bill.held_reason
        assert _books(s, company) == before
        assert _document_state(s, company, bill) == ("draft" if "finance" in plugins else None)
        order = find_order(s, company, "PO00001")
        assert (order.receipt_state, order.bill_state, order.lines[0].billed_units) == (Progress.PARTIAL,
                                                                                        Progress.NOTHING, 0)
        assert_books_sound(s, company)
        number = bill.number

    # A buyer may not release it; a release without a reason is refused; neither writes anything.
    with pytest.raises(PermissionDenied):
        with pdb.session() as s:
            release_bill(s, company, number, buyer, "looks fine")
    with pytest.raises(Invalid, match="the reason for releasing must not be empty"):
        with pdb.session() as s:
            release_bill(s, company, number, manager, "  ")
    with pytest.raises(Conflict, match="only a posted bill is paid"):
        with pdb.session() as s:
            pay_bill(s, company, number)
    with pdb.session() as s:
        bill = find_bill(s, company, number)
        assert (bill.state, bill.released_by, bill.release_note) == (BillState.HELD, None, None)
        assert _books(s, company) == before

    with pdb.session() as s:
        bill = release_bill(s, company, number, manager, "the other 20 come tomorrow")
        assert (bill.state, bill.released_by.username, bill.release_note) == (
            BillState.POSTED, manager, "the other 20 come tomorrow")
        transactions, grni_now, payable_now = _books(s, company)
        if "finance" in plugins:
            assert _document_state(s, company, bill) == "posted" and bill.document_number
            assert transactions == before[0] + 1
            assert payable_now - before[2] == Decimal(30000) * Decimal("1.1")
            assert grni_now == (Decimal(80 * 300 - 100 * 300) if "wms" in plugins else 0)
        else:
            assert (transactions, payable_now) == (before[0], 0)
        order = find_order(s, company, "PO00001")
        assert (order.bill_state, order.lines[0].billed_units) == (Progress.FULL, 100)
        assert_books_sound(s, company)


def test_a_refused_held_bill_never_reaches_the_books_and_a_corrected_one_matches(combo):
    pdb, company, plugins = combo
    buyer, manager = make_users(pdb, company)
    _ordered(pdb, company, received="80")
    with pdb.session() as s:
        before = _books(s, company)
        held = enter_bill(s, company, "PO00001", "S1-100", [BillLineInput("PEN", "100")], date=D, by=buyer)
        number, document_id = held.number, held.document_id
    with pytest.raises(PermissionDenied):
        with pdb.session() as s:
            refuse_bill(s, company, number, buyer, "wrong quantity")
    with pytest.raises(Invalid, match="the reason for refusing must not be empty"):
        with pdb.session() as s:
            refuse_bill(s, company, number, manager, " ")
    with pdb.session() as s:
        bill = refuse_bill(s, company, number, manager, "80 came, not 100: asked for a corrected bill")
        assert (bill.state, bill.released_by.username, bill.document_id) == (
            BillState.CANCELLED,
            manager,
            None,
        )
        assert _books(s, company) == before
        if "finance" in plugins:
            from plugins.finance import api

            with pytest.raises(NotFound):
                api.document(s, company, document_id)  # the draft is gone
    for act in (lambda s: refuse_bill(s, company, number, manager, "again"),
                lambda s: release_bill(s, company, number, manager, "after all")):
        with pytest.raises(Conflict, match="only a held bill"):
            with pdb.session() as s:
                act(s)
    # The refused bill's quantity no longer counts: the supplier's corrected bill matches.
    with pdb.session() as s:
        corrected = enter_bill(s, company, "PO00001", "S1-100-C", [BillLineInput("PEN", "80")], date=D)
        assert (corrected.state, corrected.matched) == (BillState.POSTED, True)
        order = find_order(s, company, "PO00001")
        assert order.lines[0].billed_units == 80
        assert_books_sound(s, company)


@pytest.mark.parametrize("price, held", [("305", False), ("306", False), ("306.01", None), ("307", True),
                                         ("294", False), ("293", True), ("250", True)])
def test_a_price_outside_the_tolerance_holds_the_bill(pdb, price, held):
    company = make_buying_company(pdb, plugins=BOTH)
    _, manager = make_users(pdb, company)
    _ordered(pdb, company)
    with pdb.session() as s:
        before = _books(s, company)
        assert before[1] == 30000
        if held is None:
            with pytest.raises(Invalid, match="more than 0 decimal places"):
                enter_bill(s, company, "PO00001", "S1-1", [BillLineInput("PEN", "100", price)], date=D)
            return
        bill = enter_bill(s, company, "PO00001", "S1-1", [BillLineInput("PEN", "100", price)], date=D)
        if held:
            assert bill.state is BillState.HELD
            assert bill.held_reason.startswith(f"PEN: billed at {price} KRW but ordered at 300 KRW, ")
            assert bill.held_reason.endswith("(price tolerance 2 %)")
            assert _books(s, company) == before
            bill = release_bill(s, company, bill.number, manager, "agreed")
        assert bill.state is BillState.POSTED
        # GRNI clears at the order price; the difference is on the default expense account.
        assert grni(s, company) == 0
        from core.ledger.models import Account
        from plugins.finance.company_setup import settings_of

        expense = s.scalar(select(Account.code).where(Account.id == settings_of(s, company).expense_id))
        assert balance(s, company, expense) == (Decimal(price) - 300) * 100
        assert payable(s, company) == Decimal(price) * 100 * Decimal("1.1")
        assert_books_sound(s, company)


def test_quantity_tolerance_and_earlier_bills_count(pdb):
    company = make_buying_company(pdb, plugins=BOTH)
    _, manager = make_users(pdb, company)
    with pdb.session() as s:
        update_settings(s, company, quantity_tolerance="10")
    _ordered(pdb, company, received="100", qty="120")
    with pdb.session() as s:
        first = enter_bill(s, company, "PO00001", "A", [BillLineInput("PEN", "60")], date=D)
        assert first.state is BillState.POSTED
        second = enter_bill(s, company, "PO00001", "B", [BillLineInput("PEN", "50")], date=D)
        assert second.state is BillState.POSTED  # 110 billed of 100 received: within 10 %
        third = enter_bill(s, company, "PO00001", "C", [BillLineInput("PEN", "1")], date=D)
        assert third.state is BillState.HELD
        assert third.held_reason == ("PEN: billed 111 pcs (110 billed before) but received 100 pcs "
                                     "(quantity tolerance 10 %)")
        order = find_order(s, company, "PO00001")
        assert (order.receipt_state, order.bill_state) == (Progress.PARTIAL, Progress.PARTIAL)
        with pytest.raises(Conflict, match="S1's bill A was entered already"):
            enter_bill(s, company, "PO00001", "A", [BillLineInput("PEN", "1")], date=D)
        assert_books_sound(s, company)


def test_returned_goods_are_not_billable(pdb):
    company = make_buying_company(pdb, plugins=BOTH)
    _ordered(pdb, company)
    with pdb.session() as s:
        ret = return_goods(s, company, "PO00001", "PEN", "10", "cracked", date=D + dt.timedelta(days=4))
        assert ret.number == "RET00001" and ret.order_line.returned_units == 10
        bill = enter_bill(s, company, "PO00001", "R-1", date=D + dt.timedelta(days=5))  # what is kept: 90
        assert (bill.state, [line.quantity_units for line in bill.lines]) == (BillState.POSTED, [90])
        assert find_order(s, company, "PO00001").bill_state is Progress.FULL
        held = enter_bill(s, company, "PO00001", "R-2", [BillLineInput("PEN", "10")], date=D)
        assert (
            held.state is BillState.HELD
            and "billed 100 pcs (90 billed before) but received 90" in held.held_reason
        )


def test_approval_above_the_threshold(pdb):
    company = make_buying_company(pdb, plugins=("procurement",))
    buyer, manager = make_users(pdb, company)
    with pdb.session() as s:
        update_settings(s, company, approval_threshold="30000")
        small = create_order(s, company, "S1", [OrderLineInput("PEN", "99")], date=D, by=buyer)
        big = create_order(s, company, "S1", [OrderLineInput("PEN", "100")], date=D, by=manager)
        assert (
            confirm_order(s, company, small.number, date=D).state is OrderState.CONFIRMED
        )  # 29,700 < 30,000
        assert confirm_order(s, company, big.number, date=D).state is OrderState.TO_APPROVE   # 30,000
    with pytest.raises(Conflict, match="lee wrote purchase order PO00002 and may not approve it too"):
        with pdb.session() as s:
            approve_order(s, company, "PO00002", manager)
    with pytest.raises(Invalid, match="needs the user who approves it"):
        with pdb.session() as s:
            approve_order(s, company, "PO00002", None)
    from core.users import create_user, grant

    with pdb.session() as s:
        from core.companies import get_company

        boss = create_user(s, "park", "password123")
        grant(s, boss, get_company(s, company.code), "purchasing_manager")
    with pdb.session() as s:
        order = approve_order(s, company, "PO00002", "park", date=D)
        assert (order.state, order.approved_by.username, order.confirmed_on) == (
            OrderState.CONFIRMED,
            "park",
            D,
        )
    with pytest.raises(Conflict, match="only one waiting for approval"):
        with pdb.session() as s:
            approve_order(s, company, "PO00002", "park")


def test_without_finance_a_bill_is_recorded_and_paid_here(pdb):
    company = make_buying_company(pdb, plugins=("wms", "procurement"))
    _ordered(pdb, company)
    with pdb.session() as s:
        bill = enter_bill(s, company, "PO00001", "X-1", date=D + dt.timedelta(days=5))
        assert (bill.state, bill.document_id, bill.document_number) == (BillState.POSTED, None, None)
        pay_bill(s, company, bill.number, date=D + dt.timedelta(days=30))
        order = find_order(s, company, "PO00001")
        assert (order.state, order.payment_state, order.paid_on) == (OrderState.DONE, PaymentState.PAID,
                                                                     D + dt.timedelta(days=30))
        with pytest.raises(Conflict, match="is paid already"):
            pay_bill(s, company, bill.number)
        assert_books_sound(s, company)


def test_a_held_bill_cannot_be_posted_in_finance_behind_procurements_back(pdb):
    from plugins.finance import api as finance_api

    company = make_buying_company(pdb, plugins=BOTH)
    _ordered(pdb, company, received="50")
    with pdb.session() as s:
        bill = enter_bill(s, company, "PO00001", "S1-9", [BillLineInput("PEN", "100")], date=D)
        document, before = bill.document_id, _books(s, company)
    with pytest.raises(
        Conflict, match=r"S1's bill S1-9 is held in procurement \(BILL00001\): a purchasing manager"
    ):
        with pdb.session() as s:
            finance_api.post_document(s, company, document)
    with pdb.session() as s:
        assert finance_api.document(s, company, document).state == "draft"
        assert _books(s, company) == before


def test_settings_refuse_what_cannot_be(pdb):
    alone = make_buying_company(pdb, "A")
    stocked = make_buying_company(pdb, "B", plugins=("wms", "procurement"))
    with pdb.session() as s:
        with pytest.raises(Invalid, match="a receiving warehouse needs wms"):
            update_settings(s, alone, warehouse="MAIN")
        from core.errors import NotFound

        with pytest.raises(NotFound, match="unknown warehouse 'NOPE' in company B"):
            update_settings(s, stocked, warehouse="NOPE")
        view = update_settings(
            s, stocked, warehouse="east", approval_threshold="5,000", quantity_tolerance="2.5"
        )
        assert (view.warehouse, view.approval_threshold, view.quantity_tolerance) == (
            "EAST",
            5000,
            Decimal("2.50"),
        )
        assert update_settings(s, stocked, warehouse="", approval_threshold="none").approval_threshold is None
        with pytest.raises(Invalid, match="quantity tolerance 2.555 has more than 2 decimal places"):
            update_settings(s, stocked, quantity_tolerance="2.555")

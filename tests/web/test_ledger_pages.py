"""Ledger pages through the test client: the chart, an account's postings with
their running balance on every page and in the export, the transaction list,
reversal, the journal entry form and the trial balance.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

import pytest

from core.companies import get_company
from core.ledger import Draft, Leg
from tests.web.pages import (
    all_items,
    assert_books_ok,
    count_transactions,
    get_json,
    journal,
    read_csv,
    seed,
    signed_in,
    snapshot,
)

# -- chart of accounts and an account's postings ----------------------------------

def test_chart_lists_every_account_with_its_balance(app, acme, ann):
    seed(acme, "ACME", [Draft("2024-01-05", [Leg("1000", 7000), Leg("4000", -7000)]),
                        Draft("2024-01-06", [Leg("5000", 2500), Leg("1000", -2500)])])
    chart = {a["code"]: a for a in get_json(ann, "/c/ACME/ledger/accounts")["accounts"]}
    assert set(chart) == {"1000", "1100", "4000", "5000", "WH", "OUT"}
    assert chart["1000"]["balances"] == {"KRW": "4500"}
    assert chart["4000"]["balances"] == {"KRW": "-7000"}
    assert chart["5000"]["balances"] == {"KRW": "2500"}
    assert chart["1100"]["balances"] == {}
    assert chart["1000"]["name"] == "Cash" and chart["1000"]["type"] == "asset"
    page = ann.get("/c/ACME/ledger/accounts").get_data(True)
    assert "Cash" in page and "₩4,500" in page and "-₩7,000" in page


@pytest.fixture
def bank_history(acme):
    """120 transactions on Bank, dated out of id order, some with two Bank legs.

    Returns the Bank lines newest first as (transaction id, amount, balance after it),
    computed here independently of the application.
    """
    rng = random.Random(20240101)
    plans = []
    for i in range(120):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(45))
        amount = rng.randrange(1, 60) * 1000 * (1 if rng.random() < 0.6 else -1)
        legs = [("1100", amount), ("4000", -amount)]
        if i % 13 == 0:  # two Bank lines in one transaction
            legs = [("1100", amount), ("1100", -300), ("4000", 300 - amount)]
        plans.append((day, legs, f"line {i}"))
    posted = seed(acme, "ACME", [Draft(day, [Leg(a, n) for a, n in legs], memo) for day, legs, memo in plans])
    lines = sorted((day, p.id, index, Decimal(n)) for (day, legs, _), p in zip(plans, posted)
                   for index, (account, n) in enumerate(legs) if account == "1100")
    running, out = Decimal(0), []
    for _day, txn_id, _index, amount in lines:
        running += amount
        out.append((txn_id, amount, running))
    return out[::-1]


def test_account_postings_newest_first_with_the_true_running_balance_on_every_page(app, bank_history, ann):
    assert len(bank_history) == 130  # three pages of 50, the last one short
    items = all_items(ann, "/c/ACME/ledger/accounts/1100")
    assert [(i["transaction_id"], Decimal(i["amount"]), Decimal(i["balance"])) for i in items] == bank_history
    assert all(isinstance(i["balance"], str) and isinstance(i["amount"], str) for i in items)
    assert items[0]["url"] == f"/c/ACME/ledger/transactions/{bank_history[0][0]}"
    # a later page asked for directly, not reached through the first
    third = get_json(ann, "/c/ACME/ledger/accounts/1100?page=3")
    assert [Decimal(i["balance"]) for i in third["items"]] == [b for _, _, b in bank_history[100:150]]
    assert third["next"] is None and "page=2" in third["previous"]


def test_account_page_two_in_html_shows_the_balances_of_its_rows(app, bank_history, ann):
    from web.i18n import money

    text = ann.get("/c/ACME/ledger/accounts/1100?page=2").get_data(True)
    with app.test_request_context():
        expected = [money(b, "KRW") for _, _, b in bank_history[50:100]]
    assert re.findall(r'data-label="Balance">([^<]*)</td>', text) == expected
    assert "Rows 51–100" in text and 'rel="prev"' in text and 'rel="next"' in text


@pytest.mark.parametrize("chunk", [1000, 7])
def test_account_export_has_every_posting_with_its_running_balance(
    app, bank_history, ann, monkeypatch, chunk
):
    import web.lists

    monkeypatch.setattr(web.lists, "_CSV_CHUNK", chunk)
    header, *rows = read_csv(ann.get("/c/ACME/ledger/accounts/1100?format=csv"))
    assert header == ["Date", "Transaction", "Memo", "Amount", "Balance"]
    assert [(int(r[1]), Decimal(r[3]), Decimal(r[4])) for r in rows] == bank_history


def test_an_unknown_account_or_commodity_is_404(app, acme, ann):
    assert ann.get("/c/ACME/ledger/accounts/9999").status_code == 404
    assert get_json(ann, "/c/ACME/ledger/accounts/9999", 404)["error"]
    assert ann.get("/c/ACME/ledger/accounts/1000?commodity=NOPE").status_code == 404


# -- the transaction list -----------------------------------------------------------

MEMOS = ["100% done", "100 done", "a_b", "axb", "back\\slash", "plain"]


@pytest.fixture
def memo_transactions(acme):
    days = ["2024-03-05", "2024-03-01", "2024-03-05", "2024-02-20", "2024-03-02", "2024-03-01"]
    posted = seed(acme, "ACME", [Draft(day, [Leg("1100", 1000 * (i + 1)), Leg("4000", -1000 * (i + 1))], memo)
                                 for i, (day, memo) in enumerate(zip(days, MEMOS))])
    return [(p.id, p.date, p.memo) for p in posted]


def test_transactions_sort_by_date_or_id(app, memo_transactions, ann):
    def ids(url):
        return [i["id"] for i in get_json(ann, url)["items"]]

    by_date = sorted(memo_transactions, key=lambda t: (t[1], t[0]))
    assert ids("/c/ACME/ledger/transactions?sort=date") == [t[0] for t in by_date]
    assert ids("/c/ACME/ledger/transactions") == [t[0] for t in reversed(by_date)]  # default: newest first
    assert ids("/c/ACME/ledger/transactions?sort=-id") == sorted(
        (t[0] for t in memo_transactions), reverse=True
    )
    first = get_json(ann, "/c/ACME/ledger/transactions?sort=id")["items"][0]
    assert first["total"] == "1000" and first["memo"] == "100% done" and first["date"] == "2024-03-05"


@pytest.mark.parametrize(
    "q, found",
    [
        ("100%", ["100% done"]),
        ("a_b", ["a_b"]),
        ("DONE", ["100% done", "100 done"]),
        ("k\\s", ["back\\slash"]),
        ("%", ["100% done"]),
        ("_", ["a_b"]),
    ],
)
def test_transactions_search_the_memo_taking_wildcards_literally(app, memo_transactions, ann, q, found):
    from urllib.parse import quote

    items = get_json(ann, f"/c/ACME/ledger/transactions?sort=id&q={quote(q)}")["items"]
    assert [i["memo"] for i in items] == found
    rows = read_csv(ann.get(f"/c/ACME/ledger/transactions?sort=id&format=csv&q={quote(q)}"))[1:]
    assert [r[2] for r in rows] == found


def test_transactions_paginate_with_next_and_previous_links(app, bank_history, ann):
    first = get_json(ann, "/c/ACME/ledger/transactions?sort=id")
    assert first["page"] == 1 and first["previous"] is None and len(first["items"]) == 50
    assert first["next"] == "/c/ACME/ledger/transactions?sort=id&page=2"
    second = get_json(ann, first["next"])
    assert second["previous"] == "/c/ACME/ledger/transactions?sort=id&page=1"
    third = get_json(ann, second["next"])
    assert third["next"] is None and len(third["items"]) == 20
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 120


# -- a transaction, its reversal ------------------------------------------------------

def test_reversing_through_the_web_links_both_ways_and_only_once(app, acme, ann):
    done = ann.post("/c/ACME/ledger/post", data=journal("2024-04-01", "stock sale", ("1000", "5000", ""),
                                                        ("4000", "", "5000")))
    assert done.status_code == 302
    original = int(done.headers["Location"].rsplit("/", 1)[1])
    record = get_json(ann, f"/c/ACME/ledger/transactions/{original}")
    assert record["legs"] == [{"account": "1000", "amount": "5000", "commodity": "KRW"},
                              {"account": "4000", "amount": "-5000", "commodity": "KRW"}]
    assert record["memo"] == "stock sale" and record["reversed_by_id"] is None
    assert "Reverse this transaction" in ann.get(f"/c/ACME/ledger/transactions/{original}").get_data(True)

    early = ann.post(f"/c/ACME/ledger/transactions/{original}/reverse", data={"date": "2024-03-31"})
    assert early.status_code == 400 and count_transactions(acme) == 1
    response = ann.post(f"/c/ACME/ledger/transactions/{original}/reverse", data={"date": "2024-04-02"})
    assert response.status_code == 302
    reversal = int(response.headers["Location"].rsplit("/", 1)[1])
    assert get_json(ann, f"/c/ACME/ledger/transactions/{original}")["reversed_by_id"] == reversal
    mirror = get_json(ann, f"/c/ACME/ledger/transactions/{reversal}")
    assert mirror["reverses_id"] == original and mirror["date"] == "2024-04-02"
    assert [(leg["account"], leg["amount"]) for leg in mirror["legs"]] == [
        ("1000", "-5000"),
        ("4000", "5000"),
    ]
    page = ann.get(f"/c/ACME/ledger/transactions/{original}").get_data(True)
    assert f'href="/c/ACME/ledger/transactions/{reversal}"' in page and "Reverse this transaction" not in page
    page = ann.get(f"/c/ACME/ledger/transactions/{reversal}").get_data(True)
    assert f'href="/c/ACME/ledger/transactions/{original}"' in page and "Reverse this transaction" not in page

    before = snapshot(acme)
    for target in (original, reversal):
        again = ann.post(f"/c/ACME/ledger/transactions/{target}/reverse", data={"date": "2024-04-03"})
        assert 400 <= again.status_code < 500
    assert ann.post(f"/c/ACME/ledger/transactions/{original}/reverse", data={}).status_code == 400
    assert snapshot(acme) == before and count_transactions(acme) == 2
    assert_books_ok(acme, "ACME")


# -- the journal entry form --------------------------------------------------------------

def test_the_journal_form_posts_a_balanced_entry(app, acme, ann):
    assert 'name="legs-3-account"' in ann.get("/c/ACME/ledger/post").get_data(True)
    data = journal(
        "2024-05-01", "opening", ("1100", "12,000", ""), ("1000", "3000", ""), ("4000", "", "15000")
    )
    response = ann.post("/c/ACME/ledger/post", data=data)
    assert response.status_code == 302, response.get_data(True)
    record = get_json(ann, response.headers["Location"])
    assert record["date"] == "2024-05-01" and record["memo"] == "opening"
    assert {(leg["account"], leg["amount"]) for leg in record["legs"]} == {
        ("1100", "12000"),
        ("1000", "3000"),
        ("4000", "-15000"),
    }
    assert f"Transaction #{record['id']} is posted." in ann.get(response.headers["Location"]).get_data(True)
    assert_books_ok(acme, "ACME")


@pytest.mark.parametrize("lines, error", [
    ((("1100", "5000", ""), ("4000", "", "4000")), "does not balance"),
    ((("1100", "5000", ""), ("9999", "", "5000")), "unknown account"),
    ((("1100", "12abc", ""), ("4000", "", "12")), "malformed amount"),
    ((("1100", "-5", ""), ("4000", "", "-5")), "Enter a positive amount."),
    ((("1100", "5", "5"), ("4000", "", "5")), "A line is a debit or a credit, not both."),
    ((("1100", "5000", ""),), "at least two postings"),
    ((("1100", "0.5", ""), ("4000", "", "0.5")), "more than 0 decimal places"),
    ((("1000", "", "1"), ("5000", "1", "")), "must not go negative"),
    ((("1100", "1e5", ""), ("4000", "", "100000")), "Write the amount in digits"),
    ((("1100", "5000", ""), ("4000", "", "5000"), ("", "700", ""), ("", "", "700")), "Which account?"),
])
def test_a_refused_entry_answers_400_with_the_error_and_writes_nothing(app, acme, ann, lines, error):
    before = snapshot(acme)
    response = ann.post("/c/ACME/ledger/post", data=journal("2024-05-01", "refused", *lines))
    assert response.status_code == 400
    assert error in response.get_data(True)
    assert snapshot(acme) == before
    assert_books_ok(acme, "ACME")


def _more_than_twenty_lines():
    lines = [("1100", "1", ""), ("4000", "", "1")] * 10
    return (*lines, ("5000", "700", ""), ("1100", "", "700"))  # lines 21 and 22


def test_every_line_typed_is_posted_and_too_many_are_refused_not_dropped(app, acme, ann):
    response = ann.post(
        "/c/ACME/ledger/post", data=journal("2024-05-01", "as typed", *_more_than_twenty_lines())
    )
    assert response.status_code == 302
    txn = get_json(ann, response.headers["Location"])
    assert len(txn["legs"]) == 22 and {"account": "5000", "amount": "700", "commodity": "KRW"} in txn["legs"]
    before = snapshot(acme)
    lines = [("1100", "1", ""), ("4000", "", "1")] * 101  # 202 lines, two past the limit
    refused = ann.post("/c/ACME/ledger/post", data=journal("2024-05-02", "too long", *lines))
    assert refused.status_code == 400 and "at most 200 lines" in refused.get_data(True)
    assert snapshot(acme) == before


def test_nothing_is_posted_or_reversed_on_or_before_the_lock_date(app, acme, ann):
    from core.companies import set_lock_date

    (march,) = seed(acme, "ACME", [Draft("2024-03-01", [Leg("1100", 40), Leg("4000", -40)])])
    with acme.session() as s:
        set_lock_date(s, get_company(s, "ACME"), dt.date(2024, 3, 31))
    before = snapshot(acme)
    refused = ann.post(
        "/c/ACME/ledger/post", data=journal("2024-03-31", "late", ("1100", "1", ""), ("4000", "", "1"))
    )
    assert refused.status_code == 400 and "lock date 2024-03-31" in refused.get_data(True)
    assert (
        ann.post(f"/c/ACME/ledger/transactions/{march.id}/reverse", data={"date": "2024-03-31"}).status_code
        == 400
    )
    assert snapshot(acme) == before
    assert (
        ann.post(f"/c/ACME/ledger/transactions/{march.id}/reverse", data={"date": "2024-04-01"}).status_code
        == 302
    )
    assert_books_ok(acme, "ACME")


def test_a_viewer_may_not_post_or_reverse(app, acme):
    (posted,) = seed(acme, "ACME", [Draft("2024-01-02", [Leg("1100", 10), Leg("4000", -10)])])
    viv = signed_in(app, "viv")
    assert viv.get("/c/ACME/ledger/post").status_code == 403
    assert viv.post("/c/ACME/ledger/post", data=journal("2024-01-03", "", ("1100", "1", ""),
                                                        ("4000", "", "1"))).status_code == 403
    assert (
        viv.post(f"/c/ACME/ledger/transactions/{posted.id}/reverse", data={"date": "2024-01-03"}).status_code
        == 403
    )
    assert count_transactions(acme) == 1
    assert "Reverse this transaction" not in viv.get(f"/c/ACME/ledger/transactions/{posted.id}").get_data(
        True
    )
    abe = signed_in(app, "abe")  # an accountant posts
    assert abe.post("/c/ACME/ledger/post", data=journal("2024-01-03", "", ("1100", "1", ""),
                                                        ("4000", "", "1"))).status_code == 302
    assert_books_ok(acme, "ACME")


# -- the trial balance --------------------------------------------------------------------

def test_trial_balance_now_and_as_of_an_earlier_date(app, acme, ann):
    for data in (journal("2024-01-10", "jan", ("1000", "9000", ""), ("4000", "", "9000")),
                 journal("2024-02-10", "feb", ("5000", "4000", ""), ("1000", "", "4000")),
                 journal("2024-02-11", "feb", ("1100", "700", ""), ("4000", "", "700"))):
        assert ann.post("/c/ACME/ledger/post", data=data).status_code == 302
    assert_books_ok(acme, "ACME")

    def figures(record):
        return {r["account"]: (r["debit"], r["credit"]) for r in record["rows"]}

    now = get_json(ann, "/c/ACME/ledger/trial-balance")
    assert figures(now) == {"1000": ("5000", "0"), "1100": ("700", "0"), "4000": ("0", "9700"),
                            "5000": ("4000", "0")}
    assert now["totals"] == {"KRW": {"debit": "9700", "credit": "9700"}}
    january = get_json(ann, "/c/ACME/ledger/trial-balance?as_of=2024-01-31")
    assert figures(january) == {"1000": ("9000", "0"), "4000": ("0", "9000")}
    assert january["as_of"] == "2024-01-31" and january["totals"]["KRW"] == {
        "debit": "9000",
        "credit": "9000",
    }
    assert figures(get_json(ann, "/c/ACME/ledger/trial-balance?as_of=2023-12-31")) == {}
    text = ann.get("/c/ACME/ledger/trial-balance?as_of=2024-01-31").get_data(True)
    assert 'name="as_of" value="2024-01-31"' in text and "9,000" in text and "9,700" not in text

    header, *rows = read_csv(ann.get("/c/ACME/ledger/trial-balance?as_of=2024-01-31&format=csv"))
    assert header == ["Account", "Name", "Type", "Commodity", "Debit", "Credit"]
    assert rows == [
        ["1000", "Cash", "asset", "KRW", "9000", "0"],
        ["4000", "Sales", "income", "KRW", "0", "9000"],
    ]


@pytest.mark.parametrize("as_of", ["2024-02-30", "yesterday", "20240101", "2024-1-1"])
def test_trial_balance_refuses_a_bad_date(app, acme, ann, as_of):
    body = get_json(ann, f"/c/ACME/ledger/trial-balance?as_of={as_of}", 400)
    assert "malformed date" in body["error"]
    assert ann.get(f"/c/ACME/ledger/trial-balance?as_of={as_of}").status_code == 400
    assert ann.get(f"/c/ACME/ledger/trial-balance?as_of={as_of}&format=csv").status_code == 400

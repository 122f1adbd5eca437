"""The content-actions and filings stores' contract (MB2018-10, MB2018-12, PA2020-19), run against DynamoDB
(moto) and the in-memory fakes alike: actions read by time and by account within the period, an expired
action never read; each filing record set read from its index bounded by the period, and counted as read."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.content.memory_store import MemoryContentStore
from chalicelib.content.store import ContentStore
from chalicelib.core import audit_trail, keys, stores
from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from chalicelib.core.memory_table import MemoryTable
from chalicelib.filings.memory_store import MemoryFilingStore
from chalicelib.filings.store import FilingStore
from tests.store_contract import BACKENDS, CHANGE, NOW, T, either, refused_at


def commit(table: Any, ops: list[Any]) -> int:
    """Ops in an audited transaction, as the use cases commit them."""
    if isinstance(table, MemoryTable):
        return table.commit(T, ops, CHANGE)
    return audit_trail.commit(table, T, ops, CHANGE)


@pytest.fixture(params=BACKENDS)
def content(request):
    return either(request, MemoryContentStore, lambda: ContentStore(Table(settings().records_table)))


@pytest.fixture(params=BACKENDS)
def filings(request):
    return either(request, MemoryFilingStore, lambda: FilingStore(stores.main_table(), Table(settings().records_table)))


def an_action(n: int, at: str, account: str = "acct-1", **extra: Any) -> dict[str, Any]:
    return {"action_id": f"act_{n}", "account_id": account, "content_id": f"post-{n}", "action": "DELETE", "at": at,
            **extra}


def test_actions_are_read_by_time_and_by_account_within_the_period_and_never_once_expired(content):
    actions = [an_action(1, "2026-11-10T00:00:00Z"), an_action(2, "2026-11-11T00:00:00Z", account="acct-2"),
               an_action(3, "2026-11-12T00:00:00Z"), an_action(4, "2026-11-13T00:00:00Z")]
    content.records.transact([content.action_op(T, a, NOW + 86400) for a in actions]
                             + [content.action_op(T, an_action(5, "2026-11-11T12:00:00Z"), NOW - 1)])
    page, cursor = content.actions_page(T, None, "2026-11-10T00:00:00Z", "2026-11-12T00:00:00Z", 2, None, NOW)
    rest, end = content.actions_page(T, None, "2026-11-10T00:00:00Z", "2026-11-12T00:00:00Z", 5, cursor, NOW)
    assert [a["action_id"] for a in page + rest] == ["act_1", "act_2", "act_3"] and end is None  # act_5 expired
    mine, _ = content.actions_page(T, "acct-1", "2026-11-10T00:00:00Z", "2026-11-13T23:59:59Z", 10, None, NOW)
    assert [a["action_id"] for a in mine] == ["act_1", "act_3", "act_4"]


def test_each_record_set_is_read_from_its_index_bounded_by_the_period(filings):
    start, end = "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"
    for n, created in enumerate(["2026-09-01T00:00:00Z", "2026-10-31T23:59:59Z", "2026-11-01T00:00:00Z"]):
        filings.main.put({**keys.account_item(T, f"acct-{n}"), "account_id": f"acct-{n}", "subject_id": f"sub_{n}",
                          "created_at": created, "GSI1PK": keys.public_accounts_index(T), "GSI1SK": f"acct-{n}"})
    for n, approved in enumerate(["2026-10-15T00:00:00Z", "2026-11-01T00:00:00Z"]):
        filings.main.put({"PK": keys.subject_pk(T, f"sub_{n}"), "SK": f"UPFRONT#u{n}", "category": "NEWS",
                          "GSI1PK": keys.upfront_index(T, "NEWS"), "GSI1SK": f"{approved}#sub_{n}"})
    for n, made in enumerate(["2026-09-30T23:59:59Z", "2026-10-02T00:00:00Z", "2026-11-02T00:00:00Z"]):
        filings.main.put({"PK": keys.target_pk(T, "ACCOUNT", "acct-0"), "SK": f"DISP#d{n}", "disposition_id": f"d{n}",
                          "GSI1PK": keys.reportable_index(T), "GSI1SK": f"{made}#d{n}"})
    queries = filings.source_queries(T, start, end, ("NEWS", "FINANCE"))
    read = {name: [item["SK"] for query in found for item in filings.read(query)] for name, found in queries.items()}
    assert read == {"public_accounts": ["ACCOUNT", "ACCOUNT"], "upfront_verified": ["UPFRONT#u0"],
                    "dispositions": ["DISP#d1"]}
    assert {name: sum(filings.count(q) for q in found) for name, found in queries.items()} == {
        "public_accounts": 2, "upfront_verified": 1, "dispositions": 1}
    assert filings.account_owners(T, ["acct-1", "acct-1", "acct-9"]) == {"acct-1": "sub_1"}
    assert filings.account_owners(T, []) == {}


def test_reportable_actions_and_subjects_are_read_and_filings_listed_newest_first(filings):
    # GIVEN a reportable action and another, written as the content capability writes them
    action_op = (MemoryContentStore if isinstance(filings, MemoryFilingStore) else ContentStore).action_op
    filings.records.transact([action_op(T, an_action(1, "2026-10-05T00:00:00Z", reportable=True), NOW),
                              action_op(T, an_action(2, "2026-10-06T00:00:00Z"), NOW)])
    assert [a["action_id"] for a in filings.content_actions(T, "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z")] == [
        "act_1"]
    assert filings.count_content_actions(T, "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z") == 1
    filings.main.put({**keys.subject_item(T, "sub_1"), "subject_id": "sub_1", "region_code": "110105"})
    assert [s["subject_id"] for s in filings.subjects(T, ["sub_1", "sub_2"])] == ["sub_1"]
    for period in ("2026-09", "2026-10"):
        commit(filings.main, [filings.filing_op(T, {"period": period, "status": "FILED"}, once=True)])
    assert filings.filing(T, "2026-10")["status"] == "FILED" and filings.filing(T, "2026-08") is None
    # WHEN a second unit records the period once more THEN it is refused; an operator's re-export replaces it
    assert refused_at(commit, filings.main, [filings.filing_op(T, {"period": "2026-10", "status": "AGAIN"}, once=True)]
                      ) == 0
    commit(filings.main, [filings.filing_op(T, {"period": "2026-10", "status": "REFILED"})])
    assert filings.filing(T, "2026-10")["status"] == "REFILED"
    page, cursor = filings.filings_page(T, 1, None)
    rest, end = filings.filings_page(T, 5, cursor)
    assert [f["period"] for f in page + rest] == ["2026-10", "2026-09"] and end is None

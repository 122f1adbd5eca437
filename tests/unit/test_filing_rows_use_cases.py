"""The rows a filing reads from its sources (MB2018-9, MB2018-10, MB2018-12, PA2017-7, PA2020-19), on the
in-memory stores: each record set bounded by the period, every row routed to its subject's province of
registration, public accounts grouped by subject, a disposition naming only an account filed under the
account's subject, its blacklist entries as rows of their own. No AWS, milliseconds. Staging, the per-province
units, the files and the manifest stay in tests/api/test_filings.py and tests/api/test_filing_units.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.accounts.memory_store import MemoryAccountsStore
from chalicelib.content.memory_store import MemoryContentStore
from chalicelib.core import audit_events as audit, clock, policy
from chalicelib.core.auth import Principal
from chalicelib.core.memory_table import MemoryTable
from chalicelib.dispositions import service as dispositions
from chalicelib.filings import rules, sources
from chalicelib.filings.memory_store import MemoryFilingStore
from tests import memory_stores
from tests.builders import GROUND

T = "acme"
START, END = "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"  # the period 2026-11
BEIJING, SHANGHAI = "sub_" + "b" * 40, "sub_" + "s" * 40


class Rows:
    """A sink that keeps every row by (province, record set)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def add(self, province: str, record_set: rules.RecordSet, record: dict[str, Any]) -> None:
        self.rows.setdefault((province, record_set.name), []).append(record)

    def ids(self, province: str, record_set: rules.RecordSet, field: str) -> list[Any]:
        return [r[field] for r in self.rows.get((province, record_set.name), [])]


@pytest.fixture
def filing(fakes, monkeypatch):
    """GIVEN a subject registered in Beijing and one in Shanghai, on the in-memory stores, in November."""
    clock.set_source(datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc).timestamp)
    memory = memory_stores.install(monkeypatch)
    memory.subject(T, BEIJING, region_code="110105")
    memory.subject(T, SHANGHAI, region_code="310101")
    store = MemoryFilingStore(memory.table, MemoryTable())
    monkeypatch.setattr(sources, "store", lambda: store)
    return memory, store


def account(filing: Any, n: int, subject_id: str, created_at: str = "2026-11-02T00:00:00Z",
            account_type: str = "PUBLIC_ACCOUNT", scope: str | None = None) -> str:
    accounts = MemoryAccountsStore(filing[0].table)
    record = {"account_id": f"acct-{n}", "subject_id": subject_id, "subject_type": "PERSON",
              "account_type": account_type, "name": f"账号{n}", "category": "NEWS", "status": "ACTIVE",
              "created_at": created_at, **({"business_scope": scope} if scope else {})}
    accounts.commit(T, accounts.registration_ops(T, record, 10), audit.event(T, "account.register"))
    return record["account_id"]


def read(group: Any) -> Rows:
    rows = Rows()
    group(T, START, END, rows, sources.Subjects(T), lambda name, count: None)
    return rows


def test_public_accounts_are_filed_by_their_subjects_province_and_a_subject_with_several_is_listed(filing):
    account(filing, 1, BEIJING, scope="新闻")
    account(filing, 2, BEIJING, scope="财经")
    account(filing, 3, SHANGHAI)
    account(filing, 4, SHANGHAI, account_type="USER")  # not a public account
    account(filing, 5, SHANGHAI, created_at=END)  # registered once the period ended
    rows = read(sources.public_accounts)
    assert sorted(rows.ids("11", rules.PUBLIC_ACCOUNTS, "account_id")) == ["acct-1", "acct-2"]
    assert rows.ids("31", rules.PUBLIC_ACCOUNTS, "account_id") == ["acct-3"]
    assert rows.ids("11", rules.PUBLIC_ACCOUNTS, "document_masked")[0].endswith("1234")
    (several,) = rows.rows[("11", rules.MULTI_ACCOUNT_SUBJECTS.name)]
    assert (several["subject_id"], several["public_accounts"]) == (BEIJING, 2)
    assert sorted(a["account_id"] for a in several["accounts"]) == ["acct-1", "acct-2"]
    assert set(several["business_scope"].split("；")) == {"新闻", "财经"}
    assert ("31", rules.MULTI_ACCOUNT_SUBJECTS.name) not in rows.rows


def test_a_disposition_naming_only_an_account_is_filed_under_its_owner_with_a_row_per_blacklist_entry(filing):
    account(filing, 1, SHANGHAI)
    principal = Principal(T, "key_test", True)
    body = {"ground": GROUND, "statement": "刷屏", "automated": False}
    closed = dispositions.create(principal, {**body, "target": {"type": "ACCOUNT", "id": "acct-1"},
                                             "type": "BLACKLIST", "duration_hours": 24,
                                             "blacklist": [{"type": "DEVICE", "key": "dev-1"},
                                                           {"type": "PUBLIC_ACCOUNT", "key": "acct-1"}]}, None)
    warned = dispositions.create(principal, {**body, "target": {"type": "SUBJECT", "id": BEIJING},
                                             "type": "WARNING"}, None)
    dispositions.create(principal, {**body, "target": {"type": "ACCOUNT", "id": "acct-9"}, "type": "WARNING",
                                    "reportable": False}, None)
    rows = read(sources.dispositions)
    assert rows.ids("31", rules.DISPOSITIONS, "disposition_id") == [closed["disposition_id"]]
    assert rows.ids("31", rules.DISPOSITIONS, "subject_id") == [SHANGHAI]  # found from the account's registration
    assert rows.ids("11", rules.DISPOSITIONS, "disposition_id") == [warned["disposition_id"]]
    listed = rows.rows[("31", rules.BLACKLISTINGS.name)]
    assert sorted(r["list_type"] for r in listed) == ["DEVICE", "PUBLIC_ACCOUNT"]
    assert {r["expires_at"] for r in listed} == {closed["ends_at"]} and listed[0]["article"] == GROUND["article"]
    assert sum(len(found) for found in rows.rows.values()) == 4  # the unreportable one is not filed


def test_only_reportable_actions_in_the_period_are_filed_by_the_accounts_subject(filing):
    account(filing, 1, BEIJING)
    store = filing[1]
    actions = [{"action_id": "a1", "account_id": "acct-1", "at": "2026-11-05T00:00:00Z", "reportable": True},
               {"action_id": "a2", "account_id": "acct-1", "at": "2026-11-06T00:00:00Z", "reportable": False},
               {"action_id": "a3", "account_id": "acct-x", "at": "2026-11-07T00:00:00Z", "reportable": True},
               {"action_id": "a4", "account_id": "acct-1", "at": "2026-10-31T23:59:59Z", "reportable": True}]
    store.records.transact([MemoryContentStore.action_op(T, {"content_id": "post", "action": "DELETE", **a}, 2**31)
                            for a in actions])
    rows = read(sources.content_actions)
    assert rows.ids("11", rules.CONTENT_ACTIONS, "action_id") == ["a1"]
    assert rows.ids(rules.UNKNOWN_PROVINCE[0], rules.CONTENT_ACTIONS, "action_id") == ["a3"]  # no known owner
    assert sources.expected(T, START, END) == 2 + 1  # what the plan reads: 2 actions, 1 public account


def test_an_action_recorded_through_the_use_case_is_filed_once_and_leaves_with_the_log_retention(filing, monkeypatch):
    from chalicelib.content import service as content

    memory, store = filing
    monkeypatch.setattr(sources, "store", lambda: MemoryFilingStore(memory.table, memory.content.records))
    policy.apply_patch(T, {"retention": {"log_days": 200}})
    account(filing, 1, BEIJING)
    body = {"content_id": "post-9", "content_sha256": "b" * 64, "account_id": "acct-1", "action": "DELETE",
            "category": "RUMOUR", "article": "MB2018-12", "at": "2026-11-20T08:00:00Z"}
    # WHEN the same action is recorded twice THEN it is one record (its id derives from what it is), filed once
    assert content.record_action(T, body)["action_id"] == content.record_action(T, body)["action_id"]
    assert read(sources.content_actions).ids("11", rules.CONTENT_ACTIONS, "content_id") == ["post-9"]
    listed = content.actions(T, "acct-1", "2026-11-01T00:00:00Z", "9999", 100, None)["items"]
    assert [(a["content_id"], a["reportable"]) for a in listed] == [("post-9", True)]
    # AND it is read until the log retention ends, and not from then on, though DynamoDB deletes late
    ends = clock.parse(body["at"]) + timedelta(days=200)
    clock.set_source((ends - timedelta(seconds=1)).timestamp)
    assert len(content.actions(T, None, "2026-11-01T00:00:00Z", "9999", 100, None)["items"]) == 1
    clock.set_source(ends.timestamp)
    assert content.actions(T, None, "2026-11-01T00:00:00Z", "9999", 100, None)["items"] == []

"""The dispositions store's contract (GR2017-7, GR2017-11, PA2017-13, RL2020-11), run against DynamoDB (moto)
and the in-memory fake alike: a disposition written once with its pointer and strike, each disposition's
own blacklist entry beside the others on one key, revocation marking (never deleting) only what is still
active, what restricts a target read by time."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.core import keys
from chalicelib.dispositions import store as dispositions_store
from chalicelib.dispositions.blacklist_rules import blacklist_entries, entry_in_force_longest
from chalicelib.dispositions.memory_store import MemoryDispositionsStore
from tests.store_contract import BACKENDS, CHANGE, T, either, refused_at


@pytest.fixture(params=BACKENDS)
def dispositions(request):
    return either(request, MemoryDispositionsStore, dispositions_store.store)


def a_disposition(n: int, *, target: str = "sub_a", created: str = "2026-11-18T08:00:00Z", **extra: Any) -> dict:
    return {"disposition_id": f"dsp_{n}", "type": "SUSPEND", "target_type": "SUBJECT", "target_id": target,
            "subject_id": target, "status": "ACTIVE", "starts_at": created, "created_at": created,
            "restricts": ["PUBLISH"], "reportable": True, "ground": {"article": "PA2020-19", "category": "SPAM"},
            "statement": "刷屏", **extra}


def a_strike(n: int, subject: str = "sub_a") -> dict:
    return {"subject_id": subject, "disposition_type": "SUSPEND", "category": "SPAM", "weight": 10,
            "at": f"2026-11-18T08:00:0{n}Z"}


def an_entry(n: int, key: str = "sub_a", expires: str | None = None) -> dict:
    return {"list_type": "REGISTRATION_SUBJECT", "key": key, "status": "ACTIVE", "reason": "r", "article": "GR2017-11",
            "category": "SPAM", "source_disposition": f"dsp_{n}", "created_at": f"2026-11-18T08:00:0{n}Z",
            "expires_at": expires}


def created(dispositions: Any, record: dict, strike: dict | None = None, entries: list | None = None) -> dict:
    ops = dispositions.create_ops(T, record, strike) + dispositions.blacklisting_ops(T, entries or [])
    dispositions.commit(T, ops + dispositions.summary_ops(T, [record], []), CHANGE)
    return dispositions.by_id(T, record["disposition_id"])


def test_a_disposition_is_written_once_with_its_pointer_and_strike(dispositions):
    stored = created(dispositions, a_disposition(1), a_strike(1))
    assert (stored["type"], stored["target_id"]) == ("SUSPEND", "sub_a")
    # WHEN the same disposition is written again THEN op 0 refuses it
    assert refused_at(dispositions.commit, T, dispositions.create_ops(T, a_disposition(1), None), CHANGE) == 0
    assert [s["SK"] for s in dispositions.strikes(T, "sub_a")] == ["STRIKE#dsp_1"]
    assert dispositions.by_id(T, "dsp_9") is None
    assert dispositions.case_source(T, None) == "PROACTIVE" and dispositions.case_source(T, "cas_x") == "REPORT"


def test_what_restricts_a_target_is_read_by_time_and_revocation_marks_it_once(dispositions):
    created(dispositions, a_disposition(1, ends_at="2026-11-20T00:00:00Z"), a_strike(1))
    created(dispositions, a_disposition(2, created="2026-11-19T00:00:00Z"))
    created(dispositions, a_disposition(3, restricts=[], type="WARN"))
    # THEN what restricts now is newest first, the expired and the non-restricting left out
    assert [d["disposition_id"] for d in dispositions.restricting_now(T, "SUBJECT", "sub_a", "2026-11-19T12:00:00Z")
            ] == ["dsp_2", "dsp_1"]
    assert [d["disposition_id"] for d in dispositions.restricting_now(T, "SUBJECT", "sub_a", "2026-11-20T00:00:00Z")
            ] == ["dsp_2"]  # ends_at is the first moment it no longer holds
    assert dispositions.restricting_now(T, "SUBJECT", "sub_a", "2026-11-18T07:59:59Z") == []
    assert dispositions.count_active_since(T, "SUBJECT", "sub_a", "2026-11-18T08:00:00Z") == 3
    # WHEN dsp_1 is revoked THEN it is marked, its strike goes, and a second revocation is refused (op 0)
    record = dispositions.by_id(T, "dsp_1")
    ops = dispositions.revoke_ops(T, record, "2026-11-19T13:00:00Z", "appeal overturned", "mod-1")
    dispositions.commit(T, ops + dispositions.summary_ops(T, [], [record]), CHANGE)
    assert refused_at(dispositions.commit, T, ops, CHANGE) == 0
    revoked = dispositions.by_id(T, "dsp_1")
    assert (revoked["status"], revoked["revoked_by"], revoked["revoked_reason"]) == ("REVOKED", "mod-1",
                                                                                     "appeal overturned")
    assert dispositions.strikes(T, "sub_a") == []
    assert dispositions.count_active_since(T, "SUBJECT", "sub_a", "2026-11-18T08:00:00Z") == 2
    assert [d["disposition_id"] for d in dispositions.restricting_now(T, "SUBJECT", "sub_a", "2026-11-19T12:00:00Z")
            ] == ["dsp_2"]


def test_each_disposition_keeps_its_own_entry_on_one_key_and_unlisting_marks_only_active_ones(dispositions):
    # GIVEN a permanent listing, then a short one on the same key, and a second key (two entries in one write)
    created(dispositions, a_disposition(1), entries=[an_entry(1)])
    created(dispositions, a_disposition(2), entries=[an_entry(2, expires="2026-11-25T00:00:00Z"),
                                                     an_entry(2, key="sub_b"), an_entry(2, key="sub_b")])
    record = dispositions.blacklist_record(T, "REGISTRATION_SUBJECT", "sub_a")
    assert sorted(e["source_disposition"] for e in blacklist_entries(record)) == ["dsp_1", "dsp_2"]
    assert entry_in_force_longest(record, "2026-11-30T00:00:00Z")["source_disposition"] == "dsp_1"
    found = dispositions.blacklist_records(T, [("REGISTRATION_SUBJECT", "sub_a"), ("REGISTRATION_SUBJECT", "sub_b"),
                                               ("REGISTRATION_SUBJECT", "sub_a"), ("PHONE", "bi_x")])
    assert sorted(found) == [("REGISTRATION_SUBJECT", "sub_a"), ("REGISTRATION_SUBJECT", "sub_b")]
    # WHEN dsp_1's entry is revoked THEN only it is marked, with the reason; dsp_2's stays in force
    mine = [e for e in blacklist_entries(record) if e["source_disposition"] == "dsp_1"]
    unlist = dispositions.unlisting_ops(T, mine, "REVOKED", "2026-11-19T00:00:00Z", "overturned")
    dispositions.commit(T, unlist, CHANGE)
    assert refused_at(dispositions.commit, T, unlist, CHANGE) == 0  # no longer active
    record = dispositions.blacklist_record(T, "REGISTRATION_SUBJECT", "sub_a")
    by_source = {e["source_disposition"]: e for e in blacklist_entries(record)}
    assert (by_source["dsp_1"]["status"], by_source["dsp_1"]["removed_reason"]) == ("REVOKED", "overturned")
    assert entry_in_force_longest(record, "2026-11-20T00:00:00Z")["source_disposition"] == "dsp_2"
    # AND the list is paged in listing order (the first entry's time, kept when a later one is added)
    page, cursor = dispositions.blacklist_page(T, "REGISTRATION_SUBJECT", 1, None)
    rest, end = dispositions.blacklist_page(T, "REGISTRATION_SUBJECT", 5, cursor)
    assert [r["key"] for r in page + rest] == ["sub_a", "sub_b"] and end is None


def test_a_legacy_entry_on_the_record_itself_is_unlisted_in_its_own_fields(dispositions):
    legacy = {**keys.blacklist_item(T, "PHONE", "bi_1"), "list_type": "PHONE", "key": "bi_1", "status": "ACTIVE",
              "source_disposition": "dsp_0", "reason": "r", "article": "GR2017-11",
              "created_at": "2026-01-01T00:00:00Z", "GSI1PK": keys.blacklist_index(T, "PHONE"),
              "GSI1SK": "2026-01-01T00:00:00Z#bi_1"}
    dispositions.table.put(legacy)
    (entry,) = blacklist_entries(dispositions.blacklist_record(T, "PHONE", "bi_1"))
    dispositions.commit(T, dispositions.unlisting_ops(T, [entry], "REMOVED", "2026-11-19T00:00:00Z", "lifted"), CHANGE)
    record = dispositions.blacklist_record(T, "PHONE", "bi_1")
    assert (record["status"], record["removed_reason"]) == ("REMOVED", "lifted")
    assert refused_at(dispositions.commit, T, dispositions.unlisting_ops(T, [entry], "REMOVED", "x", "y"), CHANGE) == 0


def test_a_subjects_restriction_summary_holds_one_attribute_per_restricting_disposition(dispositions):
    first, second = a_disposition(1), a_disposition(2)
    created(dispositions, first)
    created(dispositions, second)
    summary_key = keys.restriction_summary(T, "sub_a")
    assert sorted(k for k in dispositions.table.get(summary_key) if k.startswith("r_")) == ["r_dsp_1", "r_dsp_2"]
    dispositions.commit(T, dispositions.summary_ops(T, [], [first]), CHANGE)
    assert sorted(k for k in dispositions.table.get(summary_key) if k.startswith("r_")) == ["r_dsp_2"]

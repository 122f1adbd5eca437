"""The identity store's contract (MB2018-7, PA2020-9), run against DynamoDB (moto) and the in-memory fake
alike: attempts per document and day capped, a subject verified only with its record, a failed attempt
never undoing a verified subject, re-confirmation listed by date and expired once."""

from __future__ import annotations

import pytest

from chalicelib.core.errors import NotFound, TooManyRequests
from chalicelib.identity import store as identity_store
from chalicelib.identity.memory_store import MemoryIdentityStore
from tests.store_contract import BACKENDS, CHANGE, NOW, T, either


@pytest.fixture(params=BACKENDS)
def identity(request):
    return either(request, MemoryIdentityStore, identity_store.store)


def a_record(n: int, outcome: str = "MATCH") -> dict:
    return {"verification_id": f"ver_{n:03d}", "at": f"2026-11-18T08:00:0{n}Z", "outcome": outcome,
            "provider": "sandbox", "kind": "VERIFICATION"}


SUBJECT = {"subject_type": "PERSON", "document_type": "RESIDENT_ID", "document_masked": "110***********1234",
           "region_code": "110105", "pii": "sealed-1", "pii_key": "wrapped-1"}


def verified(identity, subject_id: str, until: str, n: int = 1) -> None:
    identity.record_verification(T, subject_id, SUBJECT, a_record(n), until, CHANGE)


def test_attempts_per_document_per_day_are_capped_and_a_new_day_starts_again(identity):
    assert [identity.take_attempt(T, "bi_1", "2026-11-18", 2, NOW, 60) for _ in range(2)] == [1, 2]
    with pytest.raises(TooManyRequests) as refused:
        identity.take_attempt(T, "bi_1", "2026-11-18", 2, NOW, 60)
    assert (refused.value.error_code, refused.value.headers["Retry-After"]) == ("VERIFICATION_ATTEMPTS_EXCEEDED", "60")
    assert identity.take_attempt(T, "bi_1", "2026-11-19", 2, NOW, 60) == 1


def test_a_failed_attempt_creates_a_subject_but_never_undoes_a_verified_one(identity):
    identity.record_verification(T, "sub_a", SUBJECT, a_record(1, "MISMATCH"), None, CHANGE)
    assert identity.subject(T, "sub_a")["status"] == "UNVERIFIED"
    verified(identity, "sub_a", "2027-11-18T08:00:00Z", 2)
    later = {**SUBJECT, "pii": "sealed-other"}
    identity.record_verification(T, "sub_a", later, a_record(3, "MISMATCH"), None, CHANGE)
    subject = identity.subject(T, "sub_a")
    assert (subject["status"], subject["pii"], subject["reconfirm_by"]) == ("VERIFIED", "sealed-1",
                                                                            "2027-11-18T08:00:00Z")
    assert subject["created_at"] == "2026-11-18T08:00:01Z" and subject["updated_at"] == "2026-11-18T08:00:03Z"
    # THEN the partition holds the subject and every attempt, newest first
    assert [i["SK"] for i in identity.subject_partition(T, "sub_a")] == [
        "VERIFICATION#ver_003", "VERIFICATION#ver_002", "VERIFICATION#ver_001", "SUBJECT"]


def test_reconfirmation_is_listed_by_date_and_a_lapsed_subject_expires_once(identity):
    verified(identity, "sub_a", "2026-11-20T00:00:00Z")
    verified(identity, "sub_b", "2026-11-21T00:00:00Z")
    verified(identity, "sub_c", "2026-12-01T00:00:00Z")
    page, cursor = identity.due_for_reconfirmation(T, "2026-11-21T00:00:00Z", 1, None)
    rest, end = identity.due_for_reconfirmation(T, "2026-11-21T00:00:00Z", 5, cursor)
    assert [s["subject_id"] for s in page + rest] == ["sub_a", "sub_b"] and end is None  # due on the day: listed
    # WHEN the sweep expires sub_a THEN it leaves the index, and neither a second expiry nor one early holds
    assert identity.expire(T, "sub_a", "2026-11-20T00:00:00Z") is True
    assert identity.expire(T, "sub_a", "2026-11-20T00:00:00Z") is False
    assert identity.expire(T, "sub_b", "2026-11-20T23:59:59Z") is False
    assert identity.subject(T, "sub_a")["status"] == "EXPIRED"
    assert [s["subject_id"] for s in identity.due_for_reconfirmation(T, "2026-11-21T00:00:00Z", 5, None)[0]] == [
        "sub_b"]


def test_an_unverified_subject_left_in_the_index_leaves_it_once(identity):
    verified(identity, "sub_a", "2026-11-20T00:00:00Z")
    identity.leave_reconfirm_index(T, "sub_a")  # VERIFIED: stays
    assert len(identity.due_for_reconfirmation(T, "2026-11-21", 5, None)[0]) == 1
    identity.table.put({**identity.subject(T, "sub_a"), "status": "UNVERIFIED"})
    identity.leave_reconfirm_index(T, "sub_a")
    identity.leave_reconfirm_index(T, "sub_a")
    assert identity.due_for_reconfirmation(T, "2026-11-21", 5, None)[0] == []


def test_a_record_is_added_only_to_a_subject_that_exists(identity):
    with pytest.raises(NotFound) as missing:
        identity.put_in_subject(T, "sub_x", "QUALIFICATION#q1", {"qualification_id": "q1"}, CHANGE)
    assert missing.value.error_code == "SUBJECT_NOT_FOUND" and identity.subject_partition(T, "sub_x") == []
    verified(identity, "sub_a", "2027-01-01T00:00:00Z")
    identity.put_in_subject(T, "sub_a", "QUALIFICATION#q1", {"qualification_id": "q1"}, CHANGE)
    assert [i["SK"] for i in identity.subject_partition(T, "sub_a")][0] == "VERIFICATION#ver_001"
    assert {i["SK"] for i in identity.subject_partition(T, "sub_a")} == {"SUBJECT", "VERIFICATION#ver_001",
                                                                       "QUALIFICATION#q1"}

"""Re-confirmation of verified subjects (MB2018-7, PA2020-9) on the in-memory stores: no AWS, milliseconds.
Verification itself (the provider, sealing the identity under KMS) stays in tests/api."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chalicelib.core import clock
from chalicelib.core.audit_chain import Event
from chalicelib.identity import subjects
from tests import memory_stores

T = "acme"
START = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)
SUBJECT = {"subject_type": "PERSON", "document_type": "RESIDENT_ID", "document_masked": "110***********1234"}


memory = memory_stores.fixture_at(START)


def verified(memory, n: int, days: float) -> str:
    """GIVEN a subject verified now, to be re-confirmed `days` from START."""
    subject_id = f"sub_{n:040d}"
    record = {"verification_id": f"ver_{n}", "at": clock.iso(START), "outcome": "MATCH", "provider": "sandbox"}
    memory.identity.record_verification(T, subject_id, SUBJECT, record, clock.iso(START + timedelta(days=days)),
                                        Event("identity.verification", {}, 30))
    return subject_id


def at(days: float) -> None:
    clock.set_source((START + timedelta(days=days)).timestamp)


def test_the_sweep_expires_each_lapsed_subject_once_at_its_date_and_not_before(memory):
    due, later_one = verified(memory, 1, 10), verified(memory, 2, 10 + 1 / 86400)
    at(10)  # exactly due_at: the date is the last moment it holds (reconfirm_by <= now expires)
    assert subjects.expire_lapsed(T) == (1, True)
    assert subjects.expire_lapsed(T) == (0, True)  # it left the index: read once, expired once
    assert memory.identity.subject(T, due)["status"] == "EXPIRED"
    assert memory.identity.subject(T, later_one)["status"] == "VERIFIED"
    listed = subjects.due_for_reconfirmation(T, clock.iso(START + timedelta(days=11)), 10, None)["items"]
    assert [(i["subject_id"], i["status"]) for i in listed] == [(later_one, "VERIFIED")]
    at(11)
    assert subjects.due_for_reconfirmation(T, None, 10, None)["items"][0]["status"] == "EXPIRED"  # by time, unswept
    assert subjects.expire_lapsed(T) == (1, True)


def test_a_sweep_stopped_between_pages_is_picked_up_where_it_stopped(memory, monkeypatch):
    monkeypatch.setattr(subjects, "SWEEP_PAGE", 2)
    for n in range(5):
        verified(memory, n, 1)
    at(2)
    pages = iter([False, True])  # the run's time is up after its first page
    assert subjects.expire_lapsed(T, stop=lambda: next(pages)) == (2, False)
    assert subjects.expire_lapsed(T) == (3, True)
    assert {memory.identity.subject(T, f"sub_{n:040d}")["status"] for n in range(5)} == {"EXPIRED"}


def test_a_subject_in_the_index_that_is_no_longer_verified_leaves_it_without_being_expired(memory):
    subject_id = verified(memory, 1, 1)
    memory.table.put({**memory.identity.subject(T, subject_id), "status": "UNVERIFIED"})  # stored by older code
    at(2)
    assert subjects.expire_lapsed(T) == (0, True)
    assert memory.identity.subject(T, subject_id)["status"] == "UNVERIFIED"
    assert subjects.due_for_reconfirmation(T, None, 10, None)["items"] == []

"""The chain's pure rules: where expiry ends and deletion begins, exactly at the boundary (GR2017-11, MB2018-16)."""

from __future__ import annotations

import pytest

from chalicelib.core.audit_chain import GENESIS, Anchor, Break, Walk, digest, expiry, head_message

NOW = 2_000_000_000


def chain(length: int, ttls: list[int]) -> list[dict]:
    """`length` linked events; event n expires at ttls[n-1] and records its predecessor's expiry."""
    events, prev_hash, prev_expires = [], GENESIS, 0
    for seq in range(1, length + 1):
        event = {"seq": seq, "prev_hash": prev_hash, "prev_expires": prev_expires, "at": "2026-11-25T08:00:00Z",
                 "type": "policy.change", "actor": "key_1", "data": {"n": seq}}
        event["hash"] = prev_hash = digest(event)
        prev_expires = ttls[seq - 1]
        events.append(event)
    return events


def head_of(event: dict, expires: int) -> dict:
    return {"seq": event["seq"], "hash": event["hash"], "expires": expires}


def walked(events: list[dict], head: dict, *, now: int = NOW, anchor: Anchor | None = None):
    walk = Walk(1, now, anchor)
    return walk, walk.take(events) or walk.finish(head, True, None)


def test_an_events_expiry_never_falls_before_its_predecessors():
    assert expiry(NOW + 10, NOW + 20) == NOW + 20
    assert expiry(NOW + 30, NOW + 20) == NOW + 30


@pytest.mark.parametrize(("recorded", "reason"), [(NOW - 1, None), (NOW, None), (NOW + 1, Break.DELETED)])
def test_a_gap_at_the_start_is_expiry_from_the_moment_the_recorded_expiry_is_reached(recorded, reason):
    # GIVEN a chain whose events 1-2 are gone, event 3 recording that event 2 expires at `recorded`
    events = chain(4, [recorded - 5, recorded, NOW + 100, NOW + 100])
    # WHEN it is walked at NOW (DynamoDB treats ttl <= now as expired, and so does the walk)
    walk, broken = walked(events[2:], head_of(events[-1], NOW + 100))
    # THEN a passed (or reached) expiry is expiry; a future one is a deletion of event 2
    if reason is None:
        assert broken is None
        assert (walk.expired_through, walk.first_seq, walk.checked) == (2, 3, 2)
    else:
        assert broken.as_dict() == {"seq": 2, "reason": reason.value}


def test_a_gap_after_a_live_event_is_a_deletion_whatever_the_ttls_say():
    events = chain(4, [NOW - 10] * 4)
    _, broken = walked([events[0], events[2], events[3]], head_of(events[-1], NOW - 10))
    assert broken.as_dict() == {"seq": 2, "reason": "DELETED"}


def test_the_first_event_must_start_from_genesis():
    events = chain(2, [NOW + 1, NOW + 1])
    forged = {**events[0], "prev_hash": "1" * 64}
    forged["hash"] = digest(forged)
    _, broken = walked([forged], head_of(forged, NOW + 1))
    assert broken.as_dict() == {"seq": 1, "reason": "LINK_BROKEN"}


def test_a_chain_wholly_expired_verifies_only_once_its_newest_event_is_due():
    events = chain(3, [NOW - 2, NOW - 1, NOW])
    walk, broken = walked([], head_of(events[-1], NOW))
    assert (broken, walk.expired_through) == (None, 3)
    _, broken = walked([], head_of(events[-1], NOW + 1))
    assert broken.as_dict() == {"seq": 3, "reason": "DELETED"}


def test_the_tail_missing_behind_an_intact_head_is_a_deletion():
    events = chain(5, [NOW + 1] * 5)
    _, broken = walked(events[:3], head_of(events[-1], NOW + 1))
    assert broken.as_dict() == {"seq": 4, "reason": "DELETED"}


def test_a_head_behind_its_anchor_or_beside_it_is_an_anchor_mismatch():
    events = chain(5, [NOW + 1] * 5)
    anchored = Anchor(5, events[4]["hash"], NOW + 1, "mac", "2026-11-25T08:00:00Z")
    _, broken = walked(events[:3], head_of(events[2], NOW + 1), anchor=anchored)
    assert broken.as_dict() == {"seq": 5, "reason": "ANCHOR_MISMATCH"}
    other = Anchor(3, "f" * 64, NOW + 1, "mac", "2026-11-25T08:00:00Z")
    _, broken = walked(events, head_of(events[-1], NOW + 1), anchor=other)
    assert broken.as_dict() == {"seq": 3, "reason": "ANCHOR_MISMATCH"}


def test_a_missing_head_is_a_break_once_anything_of_the_chain_is_known():
    walk = Walk(1, NOW)
    assert walk.finish(None, False, None) is None  # no chain at all
    assert walk.finish(None, False, 4).as_dict() == {"seq": 4, "reason": "HEAD_MISSING"}


def test_the_mac_message_binds_tenant_position_hash_and_expiry():
    base = head_message("acme", 3, "a" * 64, NOW)
    assert len({base, head_message("zeta", 3, "a" * 64, NOW), head_message("acme", 4, "a" * 64, NOW),
                head_message("acme", 3, "b" * 64, NOW), head_message("acme", 3, "a" * 64, NOW - 1)}) == 5


def test_a_planted_binary_value_gives_a_wrong_hash_not_an_error():
    event = chain(1, [NOW + 1])[0]
    assert digest({**event, "data": {"n": b"\x00"}}) != event["hash"]

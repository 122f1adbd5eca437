"""Dispositions, credit and blacklists (GR2017-7, GR2017-11, PA2017-13, PA2020-19, RL2020-11) on the in-memory
stores: no AWS, milliseconds. The HTTP contract, idempotency, DynamoDB's one-item-per-transaction rule and the
gates over the API stay in tests/api/test_dispositions.py and tests/api/test_blacklist_trust.py."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.core import clock
from chalicelib.core.auth import Principal
from chalicelib.core.errors import Conflict
from chalicelib.dispositions import blacklist, credit, records, revocation, service as dispositions
from chalicelib.names.index import BANNED
from tests import factories, memory_stores
from tests.builders import GROUND

T = "acme"
START = datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)
PHONE = factories.mobile(random.Random(11), prefix="139")


memory = memory_stores.fixture_at(START)
later = memory_stores.clock_from(START)


def dispose(**fields: Any) -> dict:
    body = {"ground": GROUND, "statement": "repeated spam", "automated": False, **fields}
    return dispositions.create(Principal(T, "key_test", True), body, None)


def check(*items: dict) -> list[dict]:
    return blacklist.check(T, blacklist.flatten({"items": list(items)}))["hits"]


# -- moved from tests/api (the same GIVEN / WHEN / THEN, on the fakes) --------------------------------

def test_credit_decays_weighs_rumours_more_and_recovers(memory):
    subject_id = memory.subject(T)
    dispose(target={"type": "SUBJECT", "id": subject_id}, type="LOWER_CREDIT",
            ground={"article": "MB2018-11", "category": "RUMOUR"})
    fresh = credit.of_subject(T, subject_id)
    assert fresh["score"] == 85.0 and fresh["entries"][0]["current"] == 15.0  # 10 × 1.5 for a rumour
    assert "rumour" in fresh["entries"][0]["reason"]
    assert fresh["level"] == "B"
    assert fresh["services"] == {"found_large_group": True, "publish": True, "upfront_verification": True}
    later(180 * 24)
    assert credit.of_subject(T, subject_id)["score"] == 92.5
    later(366 * 24)
    recovered = credit.of_subject(T, subject_id)
    assert (recovered["score"], recovered["level"]) == (100.0, "A")
    assert recovered["entries"][0]["reason"].startswith("recovered")


def test_phones_and_devices_are_blacklisted_by_blind_index_and_expire_by_time(memory):
    phone = factories.mobile(random.Random(3))
    dispose(target={"type": "ACCOUNT", "id": "acct-2"}, type="BLACKLIST", duration_hours=48,
            blacklist=[{"type": "PHONE", "key": phone}, {"type": "DEVICE", "key": "device-abc"}])
    page = blacklist.listing(T, "PHONE", 100, None)
    assert page["items"][0]["key"].startswith("bi_") and phone not in json.dumps(page)
    items = [{"type": "PHONE", "phone": "+86 " + phone}, {"type": "DEVICE", "key": "device-abc"},
             {"type": "PHONE", "phone": factories.mobile(random.Random(4))}]
    assert [h["index"] for h in check(*items)] == [0, 1]
    later(49)
    assert check(*items) == []


def test_a_short_listing_after_a_permanent_one_never_lifts_it(memory):
    # GIVEN a permanent blacklisting of a subject, then a one-hour one of the same subject
    subject_id = memory.subject(T)
    target = {"type": "SUBJECT", "id": subject_id}
    permanent = dispose(target=target, type="BLACKLIST")
    short = dispose(target=target, type="BLACKLIST", duration_hours=1)
    item = {"type": "REGISTRATION_SUBJECT", "key": subject_id}
    # THEN the check reports the entry in force with the latest expiry: the permanent one
    (hit,) = check(item)
    assert (hit["source_disposition"], hit["expires_at"]) == (permanent["disposition_id"], None)
    # WHEN two hours pass THEN the permanent entry is still in force
    later(2)
    (hit,) = check(item)
    assert hit["source_disposition"] == permanent["disposition_id"]
    # WHEN the short one is revoked THEN the permanent one stays
    later(0)
    revoked = revocation.revoke(T, short["disposition_id"], "entered twice")
    assert revoked["status"] == "REVOKED"
    (hit,) = check(item)
    assert hit["source_disposition"] == permanent["disposition_id"]


def test_an_operator_removal_lifts_every_entry_on_the_key_and_says_so(memory):
    subject_id = memory.subject(T)
    target = {"type": "SUBJECT", "id": subject_id}
    dispose(target=target, type="BLACKLIST")
    dispose(target=target, type="BLACKLIST", duration_hours=5)
    removed = blacklist.remove(T, "REGISTRATION_SUBJECT", subject_id, "court order")
    assert removed["status"] == "REMOVED"
    assert check({"type": "REGISTRATION_SUBJECT", "key": subject_id}) == []


# -- effects written with the disposition, reversed by revocation ------------------------------------

def test_closing_an_account_bans_its_name_and_avatar_strikes_and_revocation_reverses_each_once(memory):
    # GIVEN a verified subject whose account is closed, with its name and avatar
    subject_id = memory.subject(T)
    closed = dispose(target={"type": "ACCOUNT", "id": "acct-9", "name": "快乐小屋分享", "avatar_pdq": "F" * 64},
                     type="CLOSE_ACCOUNT", subject_id=subject_id)
    # THEN the ban, the avatar, the strike and the restrictions were written with it (one transaction)
    (ban,) = memory.names.page(T, BANNED, 10, None)[0]
    assert (ban["name"], ban["article"], ban["source"]) == ("快乐小屋分享", "PA2017-13", closed["disposition_id"])
    assert [e["entry_id"] for e in memory.avatars.page(T, "BANNED", 10, None)[0]] == [closed["effects"]["avatar_ban"]]
    assert (memory.names.version(T), memory.avatars.version(T)) == (1, 1)
    assert credit.of_subject(T, subject_id)["score"] == 80.0
    assert set(records.restrictions(T, "ACCOUNT", "acct-9")["restricted"]) == {"ACCOUNT", "PUBLISH", "UPDATE"}
    assert memory.events() == ["disposition.create"]
    # WHEN it is revoked THEN each effect is undone, the record kept REVOKED with its reason
    revocation.revoke(T, closed["disposition_id"], "appeal upheld by review board", actor="mod-1")
    assert memory.names.page(T, BANNED, 10, None)[0] == [] and memory.avatars.page(T, "BANNED", 10, None)[0] == []
    assert (memory.names.version(T), memory.avatars.version(T)) == (2, 2)
    assert credit.of_subject(T, subject_id)["score"] == 100.0
    assert records.restrictions(T, "ACCOUNT", "acct-9")["restrictions"] == []
    kept = records.get(T, closed["disposition_id"])
    assert (kept["status"], kept["revoked_reason"], kept["revoked_by"]) == ("REVOKED", "appeal upheld by review board",
                                                                           "mod-1")
    # AND a second revocation is refused, writing nothing
    with pytest.raises(Conflict) as again:
        revocation.revoke(T, closed["disposition_id"], "twice")
    assert again.value.error_code == "DISPOSITION_REVOKED" and memory.events().count("disposition.revoke") == 1


def test_a_timed_restriction_on_a_subject_holds_until_its_end_and_not_a_second_longer(memory):
    subject_id = memory.subject(T)
    suspended = dispose(target={"type": "SUBJECT", "id": subject_id}, type="SUSPEND_PUBLISHING", duration_hours=24)
    assert suspended["ends_at"] == clock.iso(START + timedelta(hours=24))
    clock.set_source((START + timedelta(hours=24, seconds=-1)).timestamp)
    assert records.restrictions(T, "SUBJECT", subject_id)["restricted"] == ["PUBLISH"]
    later(24)  # ends_at is the first moment it no longer holds
    assert records.restrictions(T, "SUBJECT", subject_id)["restricted"] == []
    # AND the subject's summary, which the gates read with the subject, names it until it is revoked
    summary = memory.table.get({"PK": f"T#{T}#TARGET#SUBJECT#{subject_id}", "SK": "SUMMARY"})
    assert f"r_{suspended['disposition_id']}" in summary
    revocation.revoke(T, suspended["disposition_id"], "entered in error")
    summary = memory.table.get({"PK": f"T#{T}#TARGET#SUBJECT#{subject_id}", "SK": "SUMMARY"})
    assert f"r_{suspended['disposition_id']}" not in summary


def test_a_phone_listed_in_one_written_form_is_found_in_another_and_never_stored_plain(memory):
    dispose(target={"type": "ACCOUNT", "id": "acct-1"}, type="BLACKLIST", blacklist=[{"type": "PHONE", "key": PHONE}])
    assert len(check({"type": "PHONE", "phone": f"+86 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"})) == 1
    assert PHONE not in json.dumps([dict(i) for i in memory.table.query(f"T#{T}#BL#PHONE", index="GSI1")])

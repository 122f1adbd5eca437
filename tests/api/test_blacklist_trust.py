"""Blacklists that cannot be bypassed, erased or skipped (GR2017-11, PA2017-13, RL2020-23), tried the way
a listed user or a careless moderator would: other written forms, overlapping listings, partial revocations."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.core import clock
from tests import factories
from tests.builders import dispose, register, subject

PHONE = factories.mobile(random.Random(11), prefix="139")
# What the registration schema admits (^(\+?86)?1[3-9]\d{9}$), and the forms people type into a check.
REGISTRATION_FORMS = [PHONE, f"+86{PHONE}", f"86{PHONE}"]
FORMS = [PHONE, f"+86{PHONE}", f"+86 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}",
         f"0086-{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}",
         f"86{PHONE}", PHONE.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}), f"({PHONE[:3]}) {PHONE[3:]}"]


def later(hours: float) -> None:
    clock.set_source((datetime.now(timezone.utc) + timedelta(hours=hours)).timestamp)


def phone_hits(api, key, written: str) -> list[dict]:
    body = {"items": [{"type": "PHONE", "phone": written}]}
    return api.call("POST", "/v1/blacklist/check", key=key, body=body).json["hits"]


@pytest.mark.parametrize("listed_as", FORMS)
def test_a_phone_listed_in_any_written_form_is_found_in_every_other(api, tenant, listed_as):
    # GIVEN a phone blacklisted as the moderator typed it
    created = dispose(api, tenant.key, target={"type": "ACCOUNT", "id": "acct-1"}, type="BLACKLIST",
                      blacklist=[{"type": "PHONE", "key": listed_as}])
    assert created.status_code == 201, created.json
    # WHEN it is checked in every other written form THEN every one is a hit on that entry
    for written in FORMS:
        hits = phone_hits(api, tenant.key, written)
        assert [h["source_disposition"] for h in hits] == [created.json["disposition_id"]], written


@pytest.mark.parametrize("written", REGISTRATION_FORMS)
def test_registration_with_a_listed_phone_is_refused_citing_the_entry(api, tenant, written):
    # GIVEN a blacklisted phone and a verified subject
    listed = dispose(api, tenant.key, target={"type": "ACCOUNT", "id": "acct-1"}, type="BLACKLIST",
                     blacklist=[{"type": "PHONE", "key": f"+86 {PHONE[:3]} {PHONE[3:]}"}]).json
    subject_id = subject(api, tenant.key)
    # WHEN it registers with that phone in another form
    refused = register(api, tenant.key, subject_id, registration_phone=written)
    # THEN 403, naming the entry and its article; and nothing was created
    assert refused.status_code == 403, refused.json
    error = refused.json["error"]
    assert error["code"] == "PHONE_BLACKLISTED" and error["details"]["article"] == "PA2020-19"
    assert error["details"]["entry"]["source_disposition"] == listed["disposition_id"]
    assert api.call("GET", f"/v1/subjects/{subject_id}/accounts", key=tenant.key).json["accounts"] == 0
    assert register(api, tenant.key, subject_id,
                    registration_phone=factories.mobile(random.Random(12))).status_code == 201


def test_registration_velocity_counts_every_written_form_of_one_phone_as_one(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key,
             body={"accounts": {"velocity": {"phone": {"limit": 2, "window_minutes": 60}}}})
    subject_id = subject(api, tenant.key)
    codes = [register(api, tenant.key, subject_id, name=f"普通用户{n}", registration_phone=form).status_code
             for n, form in zip("一二三", REGISTRATION_FORMS, strict=True)]
    assert codes == [201, 201, 429]


def test_revoking_the_permanent_listing_leaves_the_other_in_force_until_it_ends(api, tenant):
    subject_id = subject(api, tenant.key)
    target = {"type": "SUBJECT", "id": subject_id}
    permanent = dispose(api, tenant.key, target=target, type="BLACKLIST").json
    day = dispose(api, tenant.key, target=target, type="BLACKLIST", duration_hours=24).json
    assert api.call("POST", f"/v1/dispositions/{permanent['disposition_id']}/revocation", key=tenant.key,
                    body={"reason": "appeal upheld in part"}).status_code == 200
    check = {"items": [{"type": "REGISTRATION_SUBJECT", "key": subject_id}]}
    (hit,) = api.call("POST", "/v1/blacklist/check", key=tenant.key, body=check).json["hits"]
    assert hit["source_disposition"] == day["disposition_id"]
    assert register(api, tenant.key, subject_id).status_code == 403
    later(25)
    assert api.call("POST", "/v1/blacklist/check", key=tenant.key, body=check).json["hits"] == []


def test_one_disposition_naming_the_same_device_twice_is_recorded_not_a_500(api, tenant):
    created = dispose(api, tenant.key, target={"type": "ACCOUNT", "id": "acct-1"}, type="BLACKLIST",
                      blacklist=[{"type": "DEVICE", "key": "dev-1"}, {"type": "DEVICE", "key": "dev-1"},
                                 {"type": "PHONE", "key": PHONE}, {"type": "PHONE", "key": f"+86{PHONE}"}])
    assert created.status_code == 201, created.json
    body = {"items": [{"type": "DEVICE", "key": "dev-1"}, {"type": "PHONE", "phone": PHONE}]}
    assert len(api.call("POST", "/v1/blacklist/check", key=tenant.key, body=body).json["hits"]) == 2


def test_a_decision_with_two_dispositions_on_one_entry_is_recorded_not_a_500(api, tenant):
    from tests.builders import decide, report

    case_id = report(api, tenant.key, target_id="acct-9", target_type="ACCOUNT").json["case_id"]
    ground = {"article": "PA2020-19", "category": "SPAM"}
    one = {"type": "BLACKLIST", "target": {"type": "ACCOUNT", "id": "acct-9"}, "ground": ground,
           "statement": "刷屏", "automated": False, "blacklist": [{"type": "DEVICE", "key": "dev-9"}]}
    decided = decide(api, tenant.key, case_id, outcome="VIOLATION", dispositions=[one, {**one, "duration_hours": 2}])
    assert decided.status_code == 200, decided.json
    first, second = decided.json["decision"]["disposition_ids"]
    check = {"items": [{"type": "DEVICE", "key": "dev-9"}]}
    (hit,) = api.call("POST", "/v1/blacklist/check", key=tenant.key, body=check).json["hits"]
    assert hit["source_disposition"] == first  # the permanent one outlasts the two-hour one
    assert api.call("POST", f"/v1/dispositions/{first}/revocation", key=tenant.key,
                    body={"reason": "duplicate"}).status_code == 200
    (hit,) = api.call("POST", "/v1/blacklist/check", key=tenant.key, body=check).json["hits"]
    assert hit["source_disposition"] == second

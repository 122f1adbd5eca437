"""Dispositions, restrictions, credit levels and blacklists through the API (credit decay and blind-indexed
blacklists are tested on the in-memory stores in tests/unit/test_dispositions_use_cases.py)."""

from __future__ import annotations

import pytest

from chalicelib.core import aws
from chalicelib.dispositions.rules import RESTRICTS, DispositionType
from tests.builders import GROUND, dispose, move_clock, verified_subject


@pytest.mark.parametrize("kind", [k.value for k in DispositionType])
def test_every_type_is_recorded_with_what_it_restricts(api, tenant, kind):
    target = {"type": "GROUP" if "GROUP" in kind else "ACCOUNT", "id": "acct-1"}
    extra = {"functions": ["COMMENT"]} if kind == "FUNCTION_LIMIT" else {}
    created = dispose(api, tenant.key, target=target, type=kind, **extra)
    assert created.status_code == 201, created.json
    fetched = api.call("GET", f"/v1/dispositions/{created.json['disposition_id']}", key=tenant.key).json
    assert fetched == created.json and fetched["status"] == "ACTIVE" and fetched["reportable"] is True
    restrictions = api.call("GET", "/v1/accounts/acct-1/restrictions", key=tenant.key).json
    if target["type"] == "ACCOUNT" and fetched["restricts"]:
        assert [r["disposition_id"] for r in restrictions["restrictions"]] == [fetched["disposition_id"]]
        assert set(restrictions["restricted"]) == set(fetched["restricts"])
    assert fetched["restricts"] == list(RESTRICTS.get(DispositionType(kind), ()))


def test_closing_an_account_bans_its_name_lowers_credit_and_revocation_undoes_it_all(api, tenant):
    subject_id, _ = verified_subject(api, tenant.key)
    closed = dispose(api, tenant.key, target={"type": "ACCOUNT", "id": "acct-9", "name": "快乐小屋分享"},
                     type="CLOSE_ACCOUNT", subject_id=subject_id).json
    assert closed["effects"]["strike_weight"] == 20 and closed["effects"]["name_ban"]
    check = {"text": "快乐小屋分享", "field": "account_name"}
    assert api.call("POST", "/v1/names/check", key=tenant.key,
                    body=check).json["hits"][0]["code"] == "REREGISTRATION_SIMILAR"
    credit = api.call("GET", f"/v1/subjects/{subject_id}/credit", key=tenant.key).json
    assert (credit["score"], credit["level"]) == (80.0, "B")
    assert credit["entries"][0]["disposition_id"] == closed["disposition_id"]
    assert set(api.call("GET", "/v1/accounts/acct-9/restrictions", key=tenant.key).json["restricted"]) == {
        "ACCOUNT", "PUBLISH", "UPDATE"}

    revoked = api.call("POST", f"/v1/dispositions/{closed['disposition_id']}/revocation", key=tenant.key,
                       body={"reason": "appeal upheld by review board"})
    assert (revoked.status_code, revoked.json["status"]) == (200, "REVOKED")
    assert api.call("POST", "/v1/names/check", key=tenant.key, body=check).json["decision"] == "PASS"
    assert api.call("GET", f"/v1/subjects/{subject_id}/credit", key=tenant.key).json["score"] == 100.0
    assert api.call("GET", "/v1/accounts/acct-9/restrictions", key=tenant.key).json["restrictions"] == []
    kept = api.call("GET", f"/v1/dispositions/{closed['disposition_id']}", key=tenant.key).json
    assert (kept["status"], kept["revoked_reason"]) == ("REVOKED", "appeal upheld by review board")
    again = api.call("POST", f"/v1/dispositions/{closed['disposition_id']}/revocation", key=tenant.key,
                     body={"reason": "twice"})
    assert (again.status_code, again.json["error"]["code"]) == (409, "DISPOSITION_REVOKED")


def test_a_timed_suspension_stops_publishing_until_it_ends(api, tenant):
    subject_id, _ = verified_subject(api, tenant.key)
    suspended = dispose(api, tenant.key, target={"type": "SUBJECT", "id": subject_id}, type="SUSPEND_PUBLISHING",
                        duration_hours=24).json
    gate = api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish", key=tenant.key).json
    assert gate["allowed"] is False
    first = gate["reasons"][0]
    assert first["code"] == "PUBLISHING_RESTRICTED" and first["source"] == suspended["disposition_id"]
    move_clock(hours=25)
    assert api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish", key=tenant.key).json["allowed"] is True


def test_blacklisting_a_subject_is_found_by_key_and_by_document_then_removed_with_a_reason(api, tenant):
    subject_id, number = verified_subject(api, tenant.key)
    listed = dispose(api, tenant.key, target={"type": "SUBJECT", "id": subject_id}, type="BLACKLIST",
                     ground={"article": "GR2017-11", "category": "FRAUD"}).json
    checked = api.call("POST", "/v1/blacklist/check", key=tenant.key, body={"items": [
        {"type": "REGISTRATION_SUBJECT", "key": "sub_" + "0" * 40},
        {"type": "REGISTRATION_SUBJECT", "document": {"type": "RESIDENT_ID", "number": number}},
        {"type": "REGISTRATION_SUBJECT", "key": subject_id}]}).json
    assert [h["index"] for h in checked["hits"]] == [1, 2]
    assert checked["hits"][0]["source_disposition"] == listed["disposition_id"]
    assert checked["hits"][0]["article"] == "GR2017-11"
    gate = api.call("GET", f"/v1/identity/subjects/{subject_id}/can-publish", key=tenant.key).json
    assert "BLACKLISTED" in [r["code"] for r in gate["reasons"]]
    page = api.call("GET", "/v1/blacklist?type=REGISTRATION_SUBJECT", key=tenant.key).json
    assert [e["key"] for e in page["items"]] == [subject_id]
    removed = api.call("DELETE", f"/v1/blacklist/REGISTRATION_SUBJECT/{subject_id}?reason=court%20order",
                       key=tenant.key)
    assert (removed.status_code, removed.json["status"], removed.json["removed_reason"]) == (200, "REMOVED",
                                                                                             "court order")
    assert api.call("POST", "/v1/blacklist/check", key=tenant.key, body={"items": [
        {"type": "REGISTRATION_SUBJECT", "key": subject_id}]}).json["hits"] == []
    assert api.call("GET", "/v1/blacklist?type=REGISTRATION_SUBJECT", key=tenant.key).json["items"] == []


def test_a_blacklist_check_of_100_keys_is_one_round_trip(api, tenant):
    api.call("GET", "/v1/policy", key=tenant.key)
    dispose(api, tenant.key, target={"type": "ACCOUNT", "id": "acct-50"}, type="BLACKLIST")
    calls = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda **kw: calls.append(kw["event_name"]))
    items = [{"type": "PUBLIC_ACCOUNT", "key": f"acct-{n}"} for n in range(100)]
    answer = api.call("POST", "/v1/blacklist/check", key=tenant.key, body={"items": items}).json
    assert [h["index"] for h in answer["hits"]] == [50]
    assert calls == ["before-call.dynamodb.BatchGetItem"]


def test_an_idempotency_key_applies_a_disposition_once(api, tenant):
    body = {"target": {"type": "ACCOUNT", "id": "acct-7"}, "type": "SUSPEND_UPDATES", "ground": GROUND,
            "statement": "s", "automated": True}
    first = api.call("POST", "/v1/dispositions", key=tenant.key, body=body, headers={"Idempotency-Key": "d-1"}).json
    again = api.call("POST", "/v1/dispositions", key=tenant.key, body=body, headers={"Idempotency-Key": "d-1"}).json
    assert first == again
    assert len(api.call("GET", "/v1/accounts/acct-7/restrictions", key=tenant.key).json["restrictions"]) == 1


@pytest.mark.parametrize(("fields", "status", "code"), [
    ({"type": "FUNCTION_LIMIT"}, 422, "FUNCTIONS_REQUIRED"),
    ({"type": "WARNING", "starts_at": "2026-01-02T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"}, 422,
     "WINDOW_INVALID"),
    ({"type": "WARNING", "ends_at": "2099-01-01T00:00:00Z", "duration_hours": 5}, 400, "SCHEMA_VIOLATION"),
    ({"type": "EXILE"}, 400, "SCHEMA_VIOLATION"),
    ({"type": "WARNING", "subject_id": "sub_" + "1" * 40}, 404, "SUBJECT_NOT_FOUND"),
])
def test_bad_dispositions_are_refused_clearly(api, tenant, fields, status, code):
    response = dispose(api, tenant.key, target={"type": "ACCOUNT", "id": "acct-3"}, **fields)
    assert (response.status_code, response.json["error"]["code"]) == (status, code)


def test_the_compact_form_checks_keys_by_list_and_caps_the_count(api, tenant):
    dispose(api, tenant.key, target={"type": "ACCOUNT", "id": "acct-8"}, type="BLACKLIST")
    answer = api.call("POST", "/v1/blacklist/check", key=tenant.key,
                      body={"keys": {"GROUP": ["g-1"], "PUBLIC_ACCOUNT": ["acct-7", "acct-8"]}}).json
    assert [(h["index"], h["key"]) for h in answer["hits"]] == [(2, "acct-8")]
    too_many = api.call("POST", "/v1/blacklist/check", key=tenant.key,
                        body={"keys": {"GROUP": [f"g{n}" for n in range(60)], "DEVICE": [f"d{n}" for n in range(60)]}})
    assert (too_many.status_code, too_many.json["error"]["code"]) == (422, "TOO_MANY_KEYS")
    both = api.call("POST", "/v1/blacklist/check", key=tenant.key,
                    body={"keys": {"GROUP": ["g"]}, "items": [{"type": "GROUP", "key": "g"}]})
    assert both.status_code == 400
    mismatch = api.call("POST", "/v1/blacklist/check", key=tenant.key,
                        body={"items": [{"type": "DEVICE", "phone": "13800138000"}]})
    assert (mismatch.status_code, mismatch.json["error"]["code"]) == (422, "BLACKLIST_ITEM_MISMATCH")

"""Who acted: X-Actor on state-changing requests, recorded beside the key id on the audit event (PA2017-13,
GR2017-11)."""

from __future__ import annotations

import pytest

from chalicelib.core import audit_trail
from chalicelib.core.operation_spec import Call


def _events(api, key) -> list[dict]:
    return api.call("GET", "/v1/audit", key=key).json["items"]


def test_the_actor_is_recorded_with_the_key_id_and_hashed(api, tenant):
    # GIVEN a moderator's change sent with X-Actor
    response = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 200}},
                        headers={"X-Actor": "moderator:42@ops"})
    assert response.status_code == 200
    # WHEN the trail is read
    event = _events(api, tenant.key)[-1]
    # THEN the event names both the key and the person, and the chain still verifies with the actor hashed in
    assert (event["type"], event["actor"], event["x_actor"]) == ("policy.change", tenant.key_id, "moderator:42@ops")
    assert api.call("POST", "/v1/audit/verify", key=tenant.key, body={}).json["verified"] is True


def test_an_actor_does_not_leak_into_the_next_request(api, tenant):
    # GIVEN one request with an actor and the next without
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 200}}, headers={"X-Actor": "m-1"})
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 201}})
    # THEN the second event carries no actor of the first
    assert "x_actor" not in _events(api, tenant.key)[-1]


def test_a_changed_actor_breaks_the_chain(api, tenant):
    # GIVEN an event recorded with its actor
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 200}}, headers={"X-Actor": "m-1"})
    seq = _events(api, tenant.key)[-1]["seq"]
    # WHEN someone with table access rewrites who acted
    table = audit_trail.trail()
    table._client.update_item(TableName=table.name, UpdateExpression="SET x_actor = :a",
                              Key={"PK": {"S": audit_trail.audit_pk("acme")}, "SK": {"S": f"E#{seq:012d}"}},
                              ExpressionAttributeValues={":a": {"S": "someone-else"}})
    # THEN verification names that event
    verdict = api.call("POST", "/v1/audit/verify", key=tenant.key, body={}).json
    assert verdict["first_broken"] == {"seq": seq, "reason": "HASH_MISMATCH"}


@pytest.mark.parametrize("actor", ["has space", "x" * 129, "审核员", "a/b", "a\tb", ""])
def test_a_malformed_actor_is_refused_and_nothing_changes(api, tenant, actor):
    # GIVEN the trail as it is
    before = _events(api, tenant.key)
    # WHEN a change names an actor outside ^[A-Za-z0-9_.:@-]{1,128}$
    response = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 200}},
                        headers={"X-Actor": actor})
    # THEN 400 ACTOR_INVALID, and neither the policy nor the trail moved
    assert (response.status_code, response.json["error"]["code"]) == (400, "ACTOR_INVALID")
    assert _events(api, tenant.key) == before
    assert api.call("GET", "/v1/policy", key=tenant.key).json["version"] == 0


def test_use_cases_read_the_actor_from_the_call(api, tenant, monkeypatch):
    # GIVEN a handler that reads Call.actor
    seen: list[str | None] = []
    from chalicelib.tenants import policy_routes

    real = policy_routes.policy.apply_patch

    def spy(*args, **kwargs):
        seen.append(audit_trail.current_x_actor.get())
        return real(*args, **kwargs)

    monkeypatch.setattr(policy_routes.policy, "apply_patch", spy)
    # WHEN a change carries X-Actor
    api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 200}}, headers={"X-Actor": "svc.a"})
    # THEN the use case saw it, and a call without a caller has none
    assert seen == ["svc.a"]
    assert Call(None, None, {}, {}, {}, "r").actor is None


DECISIONS = {("POST", "/v1/cases/{case_id}/decision"), ("POST", "/v1/appeals/{appeal_id}/decision"),
             ("POST", "/v1/dispositions"), ("POST", "/v1/dispositions/{disposition_id}/revocation")}
DISPOSITION = {"target": {"type": "ACCOUNT", "id": "a-1"}, "type": "WARNING", "statement": "s", "automated": False,
               "ground": {"article": "GR2017-11", "category": "FRAUD"}}


def _require_actor(api, key) -> None:
    assert api.call("PUT", "/v1/policy", key=key, body={"moderation": {"require_actor": True}}).status_code == 200


def test_the_decisions_are_the_operations_policy_can_require_an_actor_on(app):
    from chalicelib.core.operation_spec import OPERATIONS

    # THEN exactly the decisions, dispositions, revocations and appeal decisions are marked
    assert {(op.method, op.path) for op in OPERATIONS.values() if op.decision} == DECISIONS


@pytest.mark.parametrize(("method", "path"), sorted(DECISIONS))
def test_with_require_actor_a_decision_without_x_actor_is_refused(api, tenant, method, path):
    # GIVEN a tenant whose policy requires an actor on decisions
    _require_actor(api, tenant.key)
    # WHEN a decision comes without X-Actor (ids and body as a careless client sends them)
    url = path.replace("{case_id}", "cas_x").replace("{appeal_id}", "apl_x").replace("{disposition_id}", "dsp_x")
    response = api.call(method, url, key=tenant.key, body={})
    # THEN 400 ACTOR_REQUIRED, before anything else is looked at
    assert (response.status_code, response.json["error"]["code"]) == (400, "ACTOR_REQUIRED")
    assert response.json["error"]["details"]["policy"] == "moderation.require_actor"


def test_with_require_actor_a_disposition_is_made_only_with_its_actor(api, tenant):
    # GIVEN the policy requires an actor
    _require_actor(api, tenant.key)
    before = _events(api, tenant.key)
    # WHEN a disposition is sent without, then with, X-Actor
    refused = api.call("POST", "/v1/dispositions", key=tenant.key, body=DISPOSITION)
    # THEN the first records nothing; the second is made and its event names the moderator
    assert refused.status_code == 400 and _events(api, tenant.key) == before
    made = api.call("POST", "/v1/dispositions", key=tenant.key, body=DISPOSITION, headers={"X-Actor": "mod-7"})
    assert made.status_code == 201
    assert _events(api, tenant.key)[-1]["x_actor"] == "mod-7"


def test_by_default_an_actor_is_optional_on_decisions(api, tenant):
    # GIVEN the default policy (moderation.require_actor false)
    # WHEN a disposition comes without X-Actor THEN it is made
    assert api.call("POST", "/v1/dispositions", key=tenant.key, body=DISPOSITION).status_code == 201

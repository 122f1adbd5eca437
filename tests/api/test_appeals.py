"""Appeals over HTTP: overturning reverses every effect of the case's dispositions, seen through the blacklist
check, credit, the name check and the audit trail. Who may appeal, the window, one pending at a time and an
upheld appeal are tested on the in-memory stores in tests/unit/test_appeals_use_cases.py."""

from __future__ import annotations

from tests.builders import decide, registered, report, verified_subject

GROUND = {"article": "PA2020-19", "category": "SPAM"}


def disposed_case(api, key, subject_id: str, account_id: str, name: str | None = None) -> dict:
    """A case on an account decided VIOLATION with a name-banning closure and a blacklisting."""
    receipt = report(api, key, account_id, target_type="ACCOUNT").json
    target = {"type": "ACCOUNT", "id": account_id, **({"name": name} if name else {})}
    common = {"ground": GROUND, "statement": "多次刷屏", "automated": False}
    dispositions = [{**common, "target": target, "type": "CLOSE_ACCOUNT"},
                    {**common, "target": {"type": "SUBJECT", "id": subject_id}, "type": "BLACKLIST"}]
    decided = decide(api, key, receipt["case_id"], outcome="VIOLATION", dispositions=dispositions)
    assert decided.status_code == 200, decided.json
    return decided.json


def appeal(api, key, case_id: str, subject_id: str):
    body = {"subject_id": subject_id, "statement": "账号被盗用，非本人所为。"}
    return api.call("POST", f"/v1/cases/{case_id}/appeals", key=key, body=body)


def new_account(api, key, subject_id: str, name: str) -> str:
    return registered(api, key, subject_id, name, account_type="USER")["account_id"]


def test_the_operator_appeals_and_an_overturning_reverses_every_effect(api, tenant):
    subject_id, _ = verified_subject(api, tenant.key)
    account_id = new_account(api, tenant.key, subject_id, "快乐小屋分享")
    case = disposed_case(api, tenant.key, subject_id, account_id, name="快乐小屋分享")
    # the effects are in force: blacklisted, credit lowered, name banned
    listed = api.call("POST", "/v1/blacklist/check", key=tenant.key,
                      body={"items": [{"type": "REGISTRATION_SUBJECT", "key": subject_id}]}).json
    assert listed["hits"]
    assert api.call("GET", f"/v1/subjects/{subject_id}/credit", key=tenant.key).json["score"] < 100
    name_check = {"text": "快乐小屋分享", "field": "account_name"}
    assert api.call("POST", "/v1/names/check", key=tenant.key, body=name_check).json["decision"] == "REJECT"
    # WHEN the operator appeals (the account's subject, found from the registration) and it is overturned
    filed = appeal(api, tenant.key, case["case_id"], subject_id)
    assert filed.status_code == 201, filed.json
    assert filed.json["status"] == "PENDING" and sorted(filed.json["disposition_ids"]) == sorted(
        case["decision"]["disposition_ids"])
    again = appeal(api, tenant.key, case["case_id"], subject_id)
    assert (again.status_code, again.json["error"]["code"]) == (409, "APPEAL_PENDING")
    pending = api.call("GET", "/v1/appeals", key=tenant.key).json["items"]
    assert [a["appeal_id"] for a in pending] == [filed.json["appeal_id"]]
    decided = api.call("POST", f"/v1/appeals/{filed.json['appeal_id']}/decision", key=tenant.key,
                       body={"outcome": "OVERTURNED", "statement": "核实为盗号，撤销处置。"})
    assert decided.status_code == 200, decided.json
    assert sorted(decided.json["reversed"]) == sorted(case["decision"]["disposition_ids"])
    assert decided.json["notice"] == {"status": "NOT_CONFIGURED"}
    # THEN every effect is reversed, and recorded
    listed = api.call("POST", "/v1/blacklist/check", key=tenant.key,
                      body={"items": [{"type": "REGISTRATION_SUBJECT", "key": subject_id}]}).json
    assert listed["hits"] == []
    assert api.call("GET", f"/v1/subjects/{subject_id}/credit", key=tenant.key).json["score"] == 100
    assert api.call("POST", "/v1/names/check", key=tenant.key, body=name_check).json["decision"] == "PASS"
    for disposition_id in case["decision"]["disposition_ids"]:
        revoked = api.call("GET", f"/v1/dispositions/{disposition_id}", key=tenant.key).json
        assert revoked["status"] == "REVOKED" and filed.json["appeal_id"] in revoked["revoked_reason"]
    events = [e["type"] for e in api.call("GET", "/v1/audit", key=tenant.key).json["items"]]
    assert events.count("disposition.revoke") == 2 and "appeal.decide" in events
    # nothing left in force: no further appeal, and the decided appeal cannot be decided again
    closed = appeal(api, tenant.key, case["case_id"], subject_id)
    assert (closed.status_code, closed.json["error"]["code"]) == (409, "APPEAL_NOT_APPEALABLE")
    twice = api.call("POST", f"/v1/appeals/{filed.json['appeal_id']}/decision", key=tenant.key,
                     body={"outcome": "UPHELD", "statement": "x"})
    assert (twice.status_code, twice.json["error"]["code"]) == (409, "APPEAL_DECIDED")

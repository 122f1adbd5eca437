"""Tenant isolation, generated from the route table: tenant B's key on tenant A's ids finds nothing.

Every route must appear below: with a way to aim it at another tenant's resource (`FOREIGN`:
404 or 403), as a lookup that answers for unknown ids with nothing (`FOREIGN_EMPTY`: 200 and
none of the owner's data), or in `NO_FOREIGN_IDS` (it takes no id: it answers about the caller). A route added
without an entry fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

import base64
import random

import pytest

from tests import factories

NO_FOREIGN_IDS = {
    ("GET", "/v1/health"), ("GET", "/v1/openapi.json"), ("GET", "/v1/tenant"), ("GET", "/v1/policy"),
    ("PUT", "/v1/policy"), ("GET", "/v1/api-keys"), ("POST", "/v1/api-keys"), ("POST", "/v1/identity/validate"),
    ("POST", "/v1/identity/verifications"), ("GET", "/v1/identity/reconfirmations"), ("POST", "/v1/names/check"),
    ("GET", "/v1/names/lexicon"), ("POST", "/v1/names/protected"), ("POST", "/v1/names/protected/bulk"),
    ("POST", "/v1/names/terms"), ("POST", "/v1/names/allow"), ("POST", "/v1/names/banned"),
    ("POST", "/v1/names/banned/bulk"),
    ("GET", "/v1/names/protected"), ("GET", "/v1/names/terms"), ("GET", "/v1/names/allow"), ("GET", "/v1/names/banned"),
    ("GET", "/v1/blacklist"), ("GET", "/v1/audit"), ("POST", "/v1/audit/verify"), ("POST", "/v1/logs"),
    ("GET", "/v1/appeals"), ("POST", "/v1/content/check"), ("POST", "/v1/content/actions"), ("POST", "/v1/rumours"),
                  ("POST", "/v1/metrics"),
    ("POST", "/v1/avatars/banks/{bank}/entries"), ("POST", "/v1/avatars/banks/{bank}/import"),
    ("POST", "/v1/cases"),  # a proactive or ordered case is always new in the caller's tenant: it joins nothing
    ("GET", "/console"), ("GET", "/console/{asset}"),  # static pages: no key, no tenant data
    ("GET", "/docs"), ("GET", "/docs/{asset}"), ("GET", "/v1/errors"),  # documentation: no key, no tenant data
}


def _disposition(api, a) -> str:
    body = {"target": {"type": "ACCOUNT", "id": "acct-1"}, "type": "BLACKLIST", "ground": {"article": "GR2017-11",
            "category": "SPAM"}, "statement": "s", "automated": False}
    return api.call("POST", "/v1/dispositions", key=a.key, body=body).json["disposition_id"]


def _subject(api, key) -> str:
    number = factories.resident_id(random.Random(1))
    body = {"subject_type": "PERSON", "real_name": "甲", "document": {"type": "RESIDENT_ID", "number": number}}
    return api.call("POST", "/v1/identity/verifications", key=key, body=body).json["subject_id"]


def _report(api, key) -> dict:
    body = {"reporter": {"account_id": "reporter-1"}, "target": {"type": "CONTENT", "id": "post-1"}, "category": "SPAM",
            "description": "d"}
    return api.call("POST", "/v1/reports", key=key, body=body).json


def _decided(api, key) -> str:
    case_id = _report(api, key)["case_id"]
    api.call("POST", f"/v1/cases/{case_id}/decision", key=key,
             body={"outcome": "NO_VIOLATION", "statement": "s", "ground": "PA2020-20"})
    return case_id


DECISION = {"outcome": "VIOLATION", "statement": "s", "ground": "PA2020-20"}


def _appeal(api, a) -> dict:
    subject_id = _subject(api, a.key)
    case_id = _report(api, a.key)["case_id"]
    api.call("POST", f"/v1/cases/{case_id}/decision", key=a.key, body={**DECISION, "dispositions": [
        {"target": {"type": "SUBJECT", "id": subject_id}, "type": "WARNING",
         "ground": {"article": "PA2020-19", "category": "SPAM"}, "statement": "s", "automated": False}]})
    return {"case_id": case_id, "subject_id": subject_id, "appeal_id": api.call(
        "POST", f"/v1/cases/{case_id}/appeals", key=a.key, body={"subject_id": subject_id, "statement": "s"}
    ).json.get("appeal_id")}


def _avatar(api, key) -> dict:
    from tests.images import encode, logo

    image = base64.b64encode(encode(logo(1, size=128))).decode()
    entry = api.call("POST", "/v1/avatars/banks/protected/entries", key=key, body={"image": image, "label": "l"}).json
    return {"image": image, "entry_id": entry["entry_id"]}


def _filed(api, a) -> None:
    from chalicelib.filings import export as filings

    filings.export(a.tenant_id, "2025-Q4")


def _account(api, key) -> str:
    return api.call("POST", "/v1/accounts", key=key, body={"subject_id": _subject(api, key), "account_type": "USER",
                                                           "name": "普通用户丙"}).json["account_id"]


def _transfer(api, a) -> str:
    account_id = _account(api, a.key)
    body = {"subject_type": "PERSON", "real_name": "乙", "document": {
        "type": "RESIDENT_ID", "number": factories.resident_id(random.Random(2))}}
    buyer = api.call("POST", "/v1/identity/verifications", key=a.key, body=body).json["subject_id"]
    return api.call("POST", f"/v1/accounts/{account_id}/transfers", key=a.key,
                    body={"transferee_subject_id": buyer, "reason": "r"}).json["transfer_id"]


RUMOUR = {"claim": "紧急通知明天起全市停水三天请大家马上囤水", "refutation": {
    "text": "谣言", "source_url": "https://example.gov.cn/1", "issuing_body": "示例部门"}}


def _rumour(api, key) -> str:
    api.call("PUT", "/v1/policy", key=key, body={"rumours": {"alert_per_hour": 1}})
    rumour_id = api.call("POST", "/v1/rumours", key=key, body=RUMOUR).json["rumour_id"]
    api.call("POST", "/v1/rumours/match", key=key, body={"text": RUMOUR["claim"], "account_id": "acct-1"})
    return rumour_id


def _flagged(api, a) -> None:
    from chalicelib.metrics import service as metrics
    from tests.api.test_metrics import readings

    api.call("PUT", "/v1/policy", key=a.key, body={"metrics": {"window_days": 3}})
    api.call("POST", "/v1/metrics", key=a.key, body={"points": readings("acct-1", 5, 24 * 4 + 2)[:120]})
    metrics.evaluate(a.tenant_id)


def _group(api, key) -> dict:
    founder = _subject(api, key)
    group = api.call("POST", "/v1/groups", key=key, body={"founder_subject_id": founder, "group_type": "PRIVATE",
                                                          "name": "读书交流群"}).json
    return {"group_id": group["group_id"], "founder": founder}


def _entry(segment: str, body: dict):
    def make(api, key) -> dict:
        answer = api.call("POST", f"/v1/names/{segment}", key=key, body=body).json
        return {"path": f"/v1/names/{segment}/{answer['items'][0]['entry_id']}"}
    return make


FOREIGN = {
    ("DELETE", "/v1/api-keys/{key_id}"): lambda api, a: {"path": f"/v1/api-keys/{a.key_id}"},
    ("GET", "/v1/identity/subjects/{subject_id}"):
        lambda api, a: {"path": f"/v1/identity/subjects/{_subject(api, a.key)}"},
    ("GET", "/v1/identity/subjects/{subject_id}/can-publish"):
        lambda api, a: {"path": f"/v1/identity/subjects/{_subject(api, a.key)}/can-publish"},
    ("POST", "/v1/identity/qualifications"): lambda api, a: {"path": "/v1/identity/qualifications", "body": {
        "subject_id": _subject(api, a.key), "domain": "ECONOMICS", "certificate_type": "证书",
        "certificate_number": "12345678", "issuer": "机构", "valid_until": "2099-01-01"}},
    ("POST", "/v1/identity/upfront-verifications"): lambda api,
           a: {"path": "/v1/identity/upfront-verifications", "body": {
        "subject_id": _subject(api, a.key), "claimed_name": "甲", "category": "PERSONAL",
        "materials": [{"type": "IDENTITY_DOCUMENT", "number": "1"}]}},
    ("DELETE", "/v1/names/protected/{entry_id}"): lambda api,
           a: _entry("protected", {"name": "甲乙丙丁", "kind": "MEDIA"})(api, a.key),
    ("DELETE", "/v1/names/terms/{entry_id}"): lambda api, a: _entry("terms", {"items": [
        {"term": "甲乙丙丁", "category": "OTHER_PROHIBITED", "action": "REVIEW"}]})(api, a.key),
    ("DELETE", "/v1/names/allow/{entry_id}"): lambda api, a: _entry("allow", {"phrases": ["甲乙丙丁"]})(api, a.key),
    ("DELETE", "/v1/names/banned/{entry_id}"): lambda api,
           a: _entry("banned", {"name": "甲乙丙丁", "reason": "r"})(api, a.key),
    ("POST", "/v1/dispositions"): lambda api, a: {"path": "/v1/dispositions", "body": {
        "target": {"type": "SUBJECT", "id": _subject(api, a.key)}, "type": "WARNING",
        "ground": {"article": "PA2020-19", "category": "SPAM"}, "statement": "s", "automated": False}},
    ("GET", "/v1/dispositions/{disposition_id}"): lambda api, a: {"path": f"/v1/dispositions/{_disposition(api, a)}"},
    ("POST", "/v1/dispositions/{disposition_id}/revocation"): lambda api, a: {
        "path": f"/v1/dispositions/{_disposition(api, a)}/revocation", "body": {"reason": "r"}},
    ("GET", "/v1/subjects/{subject_id}/restrictions"):
        lambda api, a: {"path": f"/v1/subjects/{_subject(api, a.key)}/restrictions"},
    ("GET", "/v1/subjects/{subject_id}/credit"): lambda api, a: {"path": f"/v1/subjects/{_subject(api, a.key)}/credit"},
    ("POST", "/v1/subjects/lookup"): lambda api, a: (_subject(api, a.key), {"path": "/v1/subjects/lookup", "body": {
        "document_type": "RESIDENT_ID", "document_number": factories.resident_id(random.Random(1))}})[1],
    ("GET", "/v1/subjects/{subject_id}/groups"): lambda api, a: {
        "path": f"/v1/subjects/{_group(api, a.key)['founder']}/groups"},
    ("GET", "/v1/subjects/{subject_id}/accounts"): lambda api,
           a: {"path": f"/v1/subjects/{_subject(api, a.key)}/accounts"},
    ("POST", "/v1/accounts"): lambda api, a: {"path": "/v1/accounts", "body": {
        "subject_id": _subject(api, a.key), "account_type": "USER", "name": "普通用户甲"}},
    ("GET", "/v1/accounts/{account_id}"): lambda api, a: {"path": "/v1/accounts/" + api.call(
        "POST", "/v1/accounts", key=a.key, body={"subject_id": _subject(api, a.key), "account_type": "USER",
                                                 "name": "普通用户乙"}).json["account_id"]},
    ("DELETE", "/v1/blacklist/{list_type}/{key}"): lambda api, a: (
        _disposition(api, a), {"path": "/v1/blacklist/PUBLIC_ACCOUNT/acct-1?reason=r"})[1],
    ("DELETE", "/v1/avatars/banks/{bank}/entries/{entry_id}"): lambda api, a: {
        "path": f"/v1/avatars/banks/protected/entries/{_avatar(api, a.key)['entry_id']}"},
    ("POST", "/v1/accounts/{account_id}/activity"): lambda api, a: {
        "path": f"/v1/accounts/{_account(api, a.key)}/activity", "body": {}},
    ("POST", "/v1/accounts/{account_id}/reactivation"): lambda api, a: {
        "path": f"/v1/accounts/{_account(api, a.key)}/reactivation"},
    ("POST", "/v1/accounts/{account_id}/cancellation"): lambda api, a: {
        "path": f"/v1/accounts/{_account(api, a.key)}/cancellation", "body": {"reason": "r"}},
    ("GET", "/v1/accounts/{account_id}/grade"): lambda api, a: {"path": f"/v1/accounts/{_account(api, a.key)}/grade"},
    ("POST", "/v1/accounts/{account_id}/transfers"): lambda api, a: {
        "path": f"/v1/accounts/{_account(api, a.key)}/transfers",
        "body": {"transferee_subject_id": "sub_" + "2" * 40, "reason": "r"}},
    ("GET", "/v1/transfers/{transfer_id}"): lambda api, a: {"path": f"/v1/transfers/{_transfer(api, a)}"},
    ("POST", "/v1/transfers/{transfer_id}/announcement"): lambda api, a: {
        "path": f"/v1/transfers/{_transfer(api, a)}/announcement", "body": {"text": "t"}},
    ("POST", "/v1/transfers/{transfer_id}/completion"): lambda api, a: {
        "path": f"/v1/transfers/{_transfer(api, a)}/completion"},
    ("POST", "/v1/groups"): lambda api, a: {"path": "/v1/groups", "body": {
        "founder_subject_id": _subject(api, a.key), "group_type": "PRIVATE", "name": "读书交流群"}},
    ("GET", "/v1/groups/{group_id}"): lambda api, a: {"path": f"/v1/groups/{_group(api, a.key)['group_id']}"},
    ("GET", "/v1/groups/{group_id}/members"): lambda api, a: {
        "path": f"/v1/groups/{_group(api, a.key)['group_id']}/members"},
    ("POST", "/v1/groups/{group_id}/members"): lambda api, a: {
        "path": f"/v1/groups/{_group(api, a.key)['group_id']}/members", "body": {"subject_id": "sub_" + "1" * 40}},
    ("DELETE", "/v1/groups/{group_id}/members/{subject_id}"): lambda api, a: (lambda g: {
        "path": f"/v1/groups/{g['group_id']}/members/{g['founder']}"})(_group(api, a.key)),
    ("PUT", "/v1/groups/{group_id}/members/{subject_id}/role"): lambda api, a: (lambda g: {
        "path": f"/v1/groups/{g['group_id']}/members/{g['founder']}/role", "body": {"role": "MANAGER"}})(
        _group(api, a.key)),
    ("GET", "/v1/groups/{group_id}/info"): lambda api, a: (
        api.call("PUT", "/v1/policy", key=a.key, body={"groups": {"large_group_members": 0}}),
        {"path": f"/v1/groups/{_group(api, a.key)['group_id']}/info"})[1],
    ("GET", "/v1/rumours/{rumour_id}"): lambda api, a: {"path": f"/v1/rumours/{_rumour(api, a.key)}"},
    ("GET", "/v1/rumours/{rumour_id}/spread"): lambda api, a: {"path": f"/v1/rumours/{_rumour(api, a.key)}/spread"},
    ("GET", "/v1/reports/{report_id}"): lambda api, a: {"path": _report(api, a.key)["status_url"]},
    ("GET", "/v1/cases/{case_id}"): lambda api, a: {"path": f"/v1/cases/{_report(api, a.key)['case_id']}"},
    ("GET", "/v1/cases/{case_id}/reports"): lambda api,
           a: {"path": f"/v1/cases/{_report(api, a.key)['case_id']}/reports"},
    ("POST", "/v1/cases/{case_id}/decision"): lambda api, a: {
        "path": f"/v1/cases/{_report(api, a.key)['case_id']}/decision", "body": DECISION},
    ("POST", "/v1/cases/{case_id}/appeals"): lambda api, a: {
        "path": f"/v1/cases/{_decided(api, a.key)}/appeals",
                                                             "body": {"subject_id": _subject(api, a.key),
                                                                      "statement": "s"}},
    ("GET", "/v1/appeals/{appeal_id}"): lambda api, a: {"path": f"/v1/appeals/{_appeal(api, a)['appeal_id']}"},
    ("POST", "/v1/appeals/{appeal_id}/decision"): lambda api, a: {
        "path": f"/v1/appeals/{_appeal(api, a)['appeal_id']}/decision",
                                                                  "body": {"outcome": "OVERTURNED", "statement": "s"}},
}
OWN_TERM = {"items": [{"term": "租户甲专用词", "category": "OTHER_PROHIBITED", "action": "REJECT"}]}


def _own_term(api, key):
    assert api.call("POST", "/v1/names/terms", key=key, body=OWN_TERM).status_code == 201


FOREIGN_EMPTY = {
    ("POST", "/v1/names/checks"): (
        lambda api, a: (_own_term(api, a.key), {"path": "/v1/names/checks", "body": {"items": [
            {"text": "租户甲专用词", "field": "nickname"}]}})[1],
        lambda answer: all(item["result"]["hits"] == [] for item in answer["items"])),
    ("POST", "/v1/content/checks"): (
        lambda api, a: (_own_term(api, a.key), {"path": "/v1/content/checks", "body": {"items": [
            {"text": "这里有租户甲专用词"}]}})[1],
        lambda answer: all(item["result"]["hits"] == [] for item in answer["items"])),
    ("POST", "/v1/reports"): (
        lambda api, a: (_report(api, a.key), {"path": "/v1/reports", "body": {
            "reporter": {"account_id": "reporter-2"}, "target": {"type": "CONTENT", "id": "post-1"}, "category": "SPAM",
            "description": "d"}})[1],
        lambda answer: answer["joined_open_case"] is False),
    ("POST", "/v1/avatars/check"): (
        lambda api, a: {"path": "/v1/avatars/check", "body": {"image": _avatar(api, a.key)["image"]}},
        lambda answer: answer["matches"] == []),
    ("GET", "/v1/avatars/banks/{bank}/entries"): (
        lambda api, a: (_avatar(api, a.key), {"path": "/v1/avatars/banks/protected/entries"})[1],
        lambda answer: answer["items"] == []),
    ("GET", "/v1/filings"): (lambda api, a: (_filed(api, a), {"path": "/v1/filings"})[1],
                             lambda answer: answer["items"] == []),
    ("GET", "/v1/content/actions"): (
        lambda api, a: (api.call("POST", "/v1/content/actions", key=a.key, body={
            "content_id": "p-1", "account_id": "acct-1", "action": "DELETE", "category": "SPAM",
                                                                                 "article": "MB2018-12"}),
            {"path": "/v1/content/actions?from=2020-01-01T00:00:00Z"})[1],
        lambda answer: answer["items"] == []),
    ("POST", "/v1/rumours/match"): (
        lambda api, a: (_rumour(api, a.key), {"path": "/v1/rumours/match", "body": {"text": RUMOUR["claim"]}})[1],
        lambda answer: answer["matched"] is False),
    ("GET", "/v1/rumours/alerts"): (lambda api, a: (_rumour(api, a.key), {"path": "/v1/rumours/alerts"})[1],
                                    lambda answer: answer["items"] == []),
    ("GET", "/v1/accounts/{account_id}/metric-flags"): (
        lambda api, a: (_flagged(api, a), {"path": "/v1/accounts/acct-1/metric-flags"})[1],
        lambda answer: answer["items"] == []),
    ("GET", "/v1/cases"): (lambda api, a: (_report(api, a.key), {"path": "/v1/cases"})[1],
                           lambda answer: answer["items"] == []),
    ("GET", "/v1/cases/stats"): (lambda api, a: (_decided(api, a.key), {"path": "/v1/cases/stats"})[1],
                                 lambda answer: answer["totals"]["decided"] == 0),
    ("GET", "/v1/reporters/{account_id}/feedback"): (
        lambda api, a: (_decided(api, a.key), {"path": "/v1/reporters/reporter-1/feedback"})[1],
        lambda answer: answer["items"] == [] and answer["record"]["decided"] == 0),
    ("GET", "/v1/logs"): (
        lambda api, a: (api.call("POST", "/v1/logs", key=a.key, body={"events": [
            {"account_id": "acct-1", "type": "LOGIN", "at": "2026-11-01T00:00:00Z"}]}),
            {"path": "/v1/logs?account_id=acct-1&from=2026-01-01T00:00:00Z"})[1],
        lambda answer: answer["items"] == []),
    ("GET", "/v1/accounts/{account_id}/restrictions"): (
        lambda api, a: (_disposition(api, a), {"path": "/v1/accounts/acct-1/restrictions"})[1],
        lambda answer: answer["restrictions"] == []),
    ("POST", "/v1/blacklist/check"): (
        lambda api, a: (_disposition(api, a), {"path": "/v1/blacklist/check", "body": {"items": [
            {"type": "PUBLIC_ACCOUNT", "key": "acct-1"}]}})[1],
        lambda answer: answer["hits"] == []),
}


def test_every_route_is_in_the_matrix(app):
    routed = {(method, path) for path, methods in app.routes.items() for method in methods}
    assert routed - NO_FOREIGN_IDS - set(FOREIGN) - set(FOREIGN_EMPTY) == set()
    assert (NO_FOREIGN_IDS | set(FOREIGN) | set(FOREIGN_EMPTY)) - routed == set()


@pytest.mark.parametrize("route", sorted(FOREIGN), ids=lambda r: f"{r[0]} {r[1]}")
def test_another_tenants_key_finds_nothing(api, make_tenant, route):
    owner, other = make_tenant("acme"), make_tenant("zeta")
    target = FOREIGN[route](api, owner)
    response = api.call(route[0], target["path"], key=other.key, body=target.get("body"))
    assert response.status_code in (403, 404), (route, response.status_code, response.json)
    assert owner.tenant_id not in response.body.decode()
    # and the owner still sees its resource untouched
    if route[0] == "GET":
        assert api.call("GET", target["path"], key=owner.key).status_code == 200


@pytest.mark.parametrize("route", sorted(FOREIGN_EMPTY), ids=lambda r: f"{r[0]} {r[1]}")
def test_another_tenant_sees_none_of_the_owners_data(api, make_tenant, route):
    owner, other = make_tenant("acme"), make_tenant("zeta")
    aim, is_empty = FOREIGN_EMPTY[route]
    target = aim(api, owner)
    foreign = api.call(route[0], target["path"], key=other.key, body=target.get("body"))
    assert foreign.status_code in (200, 201) and is_empty(foreign.json)
    own = api.call(route[0], target["path"], key=owner.key, body=target.get("body"))
    assert own.status_code in (200, 201) and not is_empty(own.json)

"""Subject lookup by a raw document number (MB2018-7, RL2020-24), a subject's led groups (GR2017-8), and the
bulk import of banned names (PA2020-8, PA2017-13), as a careless or hostile client would call them."""

from __future__ import annotations

import random

from chalicelib.core.scopes import Scope
from chalicelib.tenants import service as tenants
from tests import factories
from tests.builders import verified_subject

LOOKUP = "/v1/subjects/lookup"


def _lookup(api, key, number, document_type="RESIDENT_ID"):
    return api.call("POST", LOOKUP, key=key, body={"document_type": document_type, "document_number": number})


def _written_otherwise(number: str) -> list[str]:
    """The same number as people type it: spaced, hyphenated, full-width, with a lower-case check letter."""
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    return [f"{number[:6]} {number[6:14]} {number[14:]}", f"{number[:6]}-{number[6:]}", full_width,
            number[:-1] + number[-1].lower(), f"  {number}\t"]


def test_any_written_form_of_the_number_finds_the_subject_masked(api, tenant, log_lines):
    # GIVEN a verified subject (a check letter X, as one in eleven resident IDs has)
    number = next(n for n in (factories.resident_id(random.Random(s)) for s in range(200)) if n.endswith("X"))
    body = {"subject_type": "PERSON", "real_name": "甲", "document": {"type": "RESIDENT_ID", "number": number}}
    subject_id = api.call("POST", "/v1/identity/verifications", key=tenant.key, body=body).json["subject_id"]
    # WHEN it is looked up by the number as written and as people write it otherwise
    answers = [_lookup(api, tenant.key, form) for form in [number, *_written_otherwise(number)]]
    # THEN every form finds the same subject, masked, and no answer or log line holds the number
    assert {(a.status_code, a.json["items"][0]["subject_id"]) for a in answers} == {(200, subject_id)}
    assert answers[0].json["items"][0]["document"] == {"type": "RESIDENT_ID", "masked": number[:2] + "*" * 12
                                                       + number[-4:]}
    assert all(number not in str(a.json) for a in answers)
    assert number not in "".join(str(line) for line in log_lines())


def test_a_number_no_subject_has_is_404_and_an_invalid_one_422_without_the_number(api, tenant):
    # GIVEN a tenant with one subject
    verified_subject(api, tenant.key, seed=1)
    stranger = factories.resident_id(random.Random(99))
    # WHEN another valid number, a number with a wrong check digit, and a mobile number are looked up
    none = _lookup(api, tenant.key, stranger)
    broken = _lookup(api, tenant.key, stranger[:-1] + ("0" if stranger[-1] != "0" else "1"))
    phone = _lookup(api, tenant.key, factories.mobile(random.Random(1)), "MOBILE")
    # THEN 404, 422 with the reasons only, and 422 LOOKUP_DOCUMENT_TYPE
    assert (none.status_code, none.json["error"]["code"]) == (404, "SUBJECT_NOT_FOUND")
    assert (broken.status_code, broken.json["error"]["code"]) == (422, "DOCUMENT_INVALID")
    assert stranger[:-1] not in str(broken.json)
    assert (phone.status_code, phone.json["error"]["code"]) == (422, "LOOKUP_DOCUMENT_TYPE")


def test_oversize_and_malformed_bodies_are_400_and_never_echo_a_number(api, tenant):
    # GIVEN a real-looking number padded past the field's bound, and bodies of the wrong shape
    number = factories.resident_id(random.Random(3))
    oversize = _lookup(api, tenant.key, number + "0" * 60)
    wrong = [api.call("POST", LOOKUP, key=tenant.key, body=body) for body in (
        {}, {"document_type": "RESIDENT_ID"}, {"document_type": "DRIVING_LICENCE", "document_number": number},
        {"document_type": "RESIDENT_ID", "document_number": 110105}, {"phone": "13800138000"},
        {"document_type": "RESIDENT_ID", "document_number": ""})]
    # THEN each is a 400 naming what is wrong, and the oversize answer does not hold the number
    assert [r.status_code for r in [oversize, *wrong]] == [400] * 7
    assert number not in str(oversize.json)


def test_another_tenant_and_a_key_without_the_scope_find_nothing(api, tenant, make_tenant):
    # GIVEN tenant A's subject
    subject_id, number = verified_subject(api, tenant.key, seed=4)
    other = make_tenant("globex")
    # WHEN tenant B looks up A's number, and A's keys of other scopes look it up
    foreign = _lookup(api, other.key, number)
    scoped = {scope: _lookup(api, tenants.issue_key(tenants.find_tenant(tenant.tenant_id), label=scope.value,
                                                    scopes=frozenset({scope}))[0], number).status_code
              for scope in Scope}
    # THEN B finds nothing, and only identity and inspect keys may look
    assert (foreign.status_code, foreign.json["error"]["code"]) == (404, "SUBJECT_NOT_FOUND")
    assert {s for s, status in scoped.items() if status == 200} == {Scope.IDENTITY, Scope.INSPECT}
    assert {status for s, status in scoped.items() if s not in (Scope.IDENTITY, Scope.INSPECT)} == {403}


def _found(api, key, founder, name="读书交流群"):
    body = {"founder_subject_id": founder, "group_type": "PRIVATE", "name": name}
    answer = api.call("POST", "/v1/groups", key=key, body=body)
    assert answer.status_code == 201, answer.json
    return answer.json["group_id"]


def test_a_subject_lists_the_groups_it_founded_or_manages_and_not_those_it_only_joined(api, tenant):
    # GIVEN a subject that founded two groups, manages a third and only joined a fourth
    lead, other = verified_subject(api, tenant.key, seed=5)[0], verified_subject(api, tenant.key, seed=6)[0]
    founded = [_found(api, tenant.key, lead, name) for name in ("读书交流群", "跑步交流群")]
    managed, joined = _found(api, tenant.key, other, "摄影交流群"), _found(api, tenant.key, other, "美食交流群")
    for group_id in (managed, joined):
        api.call("POST", f"/v1/groups/{group_id}/members", key=tenant.key, body={"subject_id": lead})
    api.call("PUT", f"/v1/groups/{managed}/members/{lead}/role", key=tenant.key, body={"role": "MANAGER"})
    # WHEN its groups are read in pages of two
    first = api.call("GET", f"/v1/subjects/{lead}/groups?limit=2", key=tenant.key).json
    second = api.call("GET", f"/v1/subjects/{lead}/groups?limit=2&cursor={first['next_cursor']}", key=tenant.key).json
    # THEN the founded and the managed groups are listed with their labelled roles, the joined one is not
    listed = {(i["group_id"], i["role_label"]) for i in first["items"] + second["items"]}
    assert listed == {(founded[0], "群主"), (founded[1], "群主"), (managed, "群管理员")}
    assert second["next_cursor"] is None


def test_a_demoted_or_departed_manager_no_longer_lists_the_group(api, tenant):
    # GIVEN a subject made manager of two groups
    lead, other = verified_subject(api, tenant.key, seed=7)[0], verified_subject(api, tenant.key, seed=8)[0]
    demoted, left = _found(api, tenant.key, other, "读书交流群"), _found(api, tenant.key, other, "跑步交流群")
    for group_id in (demoted, left):
        api.call("POST", f"/v1/groups/{group_id}/members", key=tenant.key, body={"subject_id": lead})
        api.call("PUT", f"/v1/groups/{group_id}/members/{lead}/role", key=tenant.key, body={"role": "MANAGER"})
    # WHEN it is made a member again in one and leaves the other
    api.call("PUT", f"/v1/groups/{demoted}/members/{lead}/role", key=tenant.key, body={"role": "MEMBER"})
    api.call("DELETE", f"/v1/groups/{left}/members/{lead}", key=tenant.key)
    # THEN it leads no group
    assert api.call("GET", f"/v1/subjects/{lead}/groups", key=tenant.key).json["items"] == []


def test_led_groups_of_another_tenants_subject_and_a_crafted_cursor_are_refused(api, tenant, make_tenant):
    # GIVEN tenant A's founder
    lead = verified_subject(api, tenant.key, seed=9)[0]
    _found(api, tenant.key, lead)
    other = make_tenant("globex")
    # WHEN tenant B asks for its groups, and A pages with a cursor of another subject's listing
    foreign = api.call("GET", f"/v1/subjects/{lead}/groups", key=other.key)
    crafted = api.call("GET", f"/v1/subjects/{lead}/groups?cursor=eyJQSyI6eyJTIjoiVCNnbG9iZXgjIn19", key=tenant.key)
    # THEN 404 and 400, never the groups
    assert (foreign.status_code, foreign.json["error"]["code"]) == (404, "SUBJECT_NOT_FOUND")
    assert (crafted.status_code, crafted.json["error"]["code"]) == (400, "CURSOR_INVALID")


BANNED = "/v1/names/banned"


def test_banned_names_import_in_bulk_and_each_bans_the_name(api, tenant):
    # GIVEN three names of accounts closed for violations, one with its own duration
    items = [{"name": "假冒客服小王", "reason": "冒充客服诈骗"}, {"name": "刷单返利", "reason": "诈骗", "days": 30},
             {"name": "代开发票", "reason": "违法广告", "article": "PA2020-18"}]
    # WHEN they are imported in one call
    added = api.call("POST", BANNED + "/bulk", key=tenant.key, body={"items": items})
    # THEN all are listed and each name is refused at registration
    assert added.status_code == 201, added.json
    listed = api.call("GET", BANNED, key=tenant.key).json["items"]
    assert {i["name"] for i in listed} == {i["name"] for i in items}
    assert {i["article"] for i in listed} == {"PA2017-13", "PA2020-18"}
    checks = [api.call("POST", "/v1/names/check", key=tenant.key, body={"text": i["name"], "field": "account_name"})
              for i in items]
    assert {c.json["decision"] for c in checks} == {"REJECT"}


def test_a_bulk_ban_with_one_bad_entry_writes_nothing(api, tenant):
    # GIVEN a batch whose last name has no character left once normalized, and one over the batch bound
    bad = [{"name": "刷单返利", "reason": "诈骗"}, {"name": "!!!", "reason": "r"}]
    oversize = [{"name": f"名字{n}", "reason": "r"} for n in range(1001)]
    # WHEN each is imported
    refused = api.call("POST", BANNED + "/bulk", key=tenant.key, body={"items": bad})
    too_many = api.call("POST", BANNED + "/bulk", key=tenant.key, body={"items": oversize})
    # THEN both are refused and no name is banned
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "LEXICON_ENTRY_TOO_SHORT")
    assert too_many.status_code == 400
    assert api.call("GET", BANNED, key=tenant.key).json["items"] == []

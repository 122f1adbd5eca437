"""Groups: founding and joining under caps, labelled roles, founder qualification, information pages."""

from __future__ import annotations

from tests.builders import dispose, verified_subject


def found(api, key, founder, name="读书交流群", group_type="PRIVATE", **extra):
    body = {"founder_subject_id": founder, "group_type": group_type, "name": name, **extra}
    return api.call("POST", "/v1/groups", key=key, body=body)


def join(api, key, group_id, subject_id):
    return api.call("POST", f"/v1/groups/{group_id}/members", key=key, body={"subject_id": subject_id})


def subjects(api, key, count, start=10):
    return [verified_subject(api, key, seed=start + n)[0] for n in range(count)]


def test_founding_joining_and_roles_labelled(api, tenant):
    founder, member, other = subjects(api, tenant.key, 3)
    group = found(api, tenant.key, founder, rules="文明交流")
    assert group.status_code == 201, group.json
    group_id = group.json["group_id"]
    assert (group.json["members"], group.json["status"]) == (1, "ACTIVE")
    assert join(api, tenant.key, group_id, member).status_code == 201
    again = join(api, tenant.key, group_id, member)
    assert (again.status_code, again.json["error"]["code"]) == (409, "ALREADY_MEMBER")
    promoted = api.call("PUT", f"/v1/groups/{group_id}/members/{member}/role", key=tenant.key, body={"role": "MANAGER"})
    assert (promoted.json["role"], promoted.json["role_label"]) == ("MANAGER", "群管理员")
    listed = api.call("GET", f"/v1/groups/{group_id}/members", key=tenant.key).json["items"]
    assert {(m["subject_id"], m["role_label"]) for m in listed} == {(founder, "群主"), (member, "群管理员")}
    founder_leaves = api.call("DELETE", f"/v1/groups/{group_id}/members/{founder}", key=tenant.key)
    assert (founder_leaves.status_code, founder_leaves.json["error"]["code"]) == (409, "FOUNDER_CANNOT_LEAVE")
    assert api.call("DELETE", f"/v1/groups/{group_id}/members/{member}", key=tenant.key).status_code == 200
    group = api.call("GET", f"/v1/groups/{group_id}", key=tenant.key).json
    assert (group["members"], group["managers"]) == (1, 0)
    gone = api.call("DELETE", f"/v1/groups/{group_id}/members/{other}", key=tenant.key)
    assert (gone.status_code, gone.json["error"]["code"]) == (404, "MEMBER_NOT_FOUND")


def test_caps_per_group_and_per_subject(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"groups": {
        "max_members": {"PRIVATE": 3}, "max_founded_per_subject": 1, "max_managers": 1}})
    founder, *members = subjects(api, tenant.key, 4)
    group_id = found(api, tenant.key, founder).json["group_id"]
    assert [join(api, tenant.key, group_id, m).status_code for m in members[:2]] == [201, 201]
    full = join(api, tenant.key, group_id, members[2])
    assert (full.status_code, full.json["error"]["code"], full.json["error"]["details"]["limit"]) == (409, "GROUP_FULL",
                                                                                                      3)
    second = found(api, tenant.key, founder, name="第二个群")
    assert (second.status_code, second.json["error"]["code"]) == (409, "GROUPS_FOUNDED_LIMIT")
    assert second.json["error"]["details"]["article"] == "GR2017-8"
    role = f"/v1/groups/{group_id}/members/{{}}/role"
    assert api.call("PUT", role.format(members[0]), key=tenant.key, body={"role": "MANAGER"}).status_code == 200
    capped = api.call("PUT", role.format(members[1]), key=tenant.key, body={"role": "MANAGER"})
    assert (capped.status_code, capped.json["error"]["code"]) == (409, "GROUP_MANAGERS_LIMIT")
    unknown_type = found(api, tenant.key, members[2], group_type="SECRET")
    assert (unknown_type.status_code, unknown_type.json["error"]["code"]) == (422, "GROUP_TYPE_UNKNOWN")


def test_blacklisted_and_closed_groups_are_refused(api, tenant):
    founder, member = subjects(api, tenant.key, 2)
    group_id = found(api, tenant.key, founder).json["group_id"]
    dispose(api, tenant.key, target={"type": "SUBJECT", "id": member}, type="BLACKLIST",
            blacklist=[{"type": "GROUP_MEMBER"}])
    refused = join(api, tenant.key, group_id, member)
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "SUBJECT_BLACKLISTED")
    dispose(api, tenant.key, target={"type": "GROUP", "id": group_id}, type="CLOSE_GROUP")
    newcomer = subjects(api, tenant.key, 1, start=40)[0]
    closed = join(api, tenant.key, group_id, newcomer)
    assert (closed.status_code, closed.json["error"]["code"]) == (403, "GROUP_CLOSED")
    revoked = dispose(api, tenant.key, target={"type": "SUBJECT", "id": founder}, type="REVOKE_GROUP_FOUNDING")
    assert revoked.status_code == 201
    no_founding = found(api, tenant.key, founder, name="再建一个群")
    assert (no_founding.status_code, no_founding.json["error"]["code"]) == (403, "SUBJECT_GROUP_FOUNDING_RESTRICTED")
    unverified = found(api, tenant.key, "sub_" + "0" * 40)
    assert unverified.status_code == 404


def test_a_large_group_needs_a_qualified_founder_and_publishes_an_information_page(api, tenant):
    api.call("PUT", "/v1/policy", key=tenant.key, body={"groups": {"large_group_members": 2}})
    founder, first, second, third = subjects(api, tenant.key, 4)
    group_id = found(api, tenant.key, founder, rules="群规：文明交流").json["group_id"]
    join(api, tenant.key, group_id, first)
    hidden = api.call("GET", f"/v1/groups/{group_id}/info", key=tenant.key)
    assert (hidden.status_code, hidden.json["error"]["code"]) == (404, "GROUP_INFO_PAGE_NOT_PUBLISHED")
    assert join(api, tenant.key, group_id, second).status_code == 201  # founder at level A: qualified
    page = api.call("GET", f"/v1/groups/{group_id}/info", key=tenant.key)
    assert page.status_code == 200 and page.json["members"] == 3 and "*" in page.json["founder"]["document_masked"]
    assert page.json["rules"] == "群规：文明交流" and page.json["founder"]["role_label"] == "群主"
    dispose(api, tenant.key, target={"type": "SUBJECT", "id": founder}, type="CLOSE_ACCOUNT")  # 20 strikes: level B
    dispose(api, tenant.key, target={"type": "SUBJECT", "id": founder}, type="SUSPEND_UPDATES")  # 8 more: level C
    refused = join(api, tenant.key, group_id, third)
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "GROUP_FOUNDER_NOT_QUALIFIED")
    assert refused.json["error"]["details"]["article"] == "GR2017-7"

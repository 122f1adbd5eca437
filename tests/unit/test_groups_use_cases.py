"""Group caps and roles (GR2017-8) on the in-memory stores, with the eligibility gates and the
group's dispositions stood in (those have their own tests): no AWS, milliseconds."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.core import policy
from chalicelib.core.errors import Conflict, LimitReached, NotFound
from chalicelib.groups import founding, members
from tests.factories import NameCheckInScene

ALLOWED = {"allowed": True, "reasons": []}


@pytest.fixture
def groups(fakes, monkeypatch):
    """GIVEN verified, unrestricted subjects and a policy of 3 members a private group, 1 manager, 2 groups joined."""
    monkeypatch.setattr(founding.gates, "gate", lambda tenant, subject, action: ({}, ALLOWED))
    monkeypatch.setattr(founding.dispositions, "restrictions", lambda tenant, kind, target: {"restricted": []})
    policy.apply_patch("acme", {"groups": {"max_members": {"PRIVATE": 3}, "max_managers": 1,
                                           "max_joined_per_subject": 2}})
    return fakes


def a_group(founder: str = "sub_f") -> str:
    group, member = ({"group_id": f"grp_{founder}", "name": "读书交流群", "group_type": "PRIVATE",
                      "founder_subject_id": founder, "members": 1, "managers": 0, "status": "ACTIVE",
                      "created_at": "2026-11-18T08:00:00Z"},
                     {"subject_id": founder, "role": "FOUNDER", "joined_at": "2026-11-18T08:00:00Z"})
    store = founding.storage.store()
    store.commit("acme", store.founding_ops("acme", group, member, 5, 5), founding.audit.event("acme", "group.found"))
    return group["group_id"]


def refusal(error: type[Exception], call: Any, *args: Any) -> Any:
    with pytest.raises(error) as refused:
        call(*args)
    return refused.value.error_code, refused.value.details


def test_a_member_joins_once_a_full_group_refuses_and_so_does_a_subjects_cap(groups):
    group_id = a_group()
    assert founding.join("acme", group_id, {"subject_id": "sub_1"})["role_label"] == "群成员"
    assert refusal(Conflict, founding.join, "acme", group_id, {"subject_id": "sub_1"})[0] == "ALREADY_MEMBER"
    founding.join("acme", group_id, {"subject_id": "sub_2"})
    code, details = refusal(LimitReached, founding.join, "acme", group_id, {"subject_id": "sub_3"})
    assert (code, details["limit"], details["article"]) == ("GROUP_FULL", 3, "GR2017-8")
    for founder in ("sub_g", "sub_h"):  # sub_3 reaches its cap of 2 groups joined elsewhere
        founding.join("acme", a_group(founder), {"subject_id": "sub_3"})
    code, details = refusal(LimitReached, founding.join, "acme", a_group("sub_i"), {"subject_id": "sub_3"})
    assert (code, details["current"]) == ("GROUPS_JOINED_LIMIT", 2)
    assert founding.require("acme", "grp_sub_i")["members"] == 1
    # THEN every change that happened is in the audit trail with it, and no refused one is
    assert groups.events().count("group.join") == 4


def test_managers_are_capped_the_founder_stays_and_a_leaver_frees_the_counts(groups):
    group_id = a_group()
    for subject in ("sub_1", "sub_2"):
        founding.join("acme", group_id, {"subject_id": subject})
    assert members.set_role("acme", group_id, "sub_1", "MANAGER")["role_label"] == "群管理员"
    assert refusal(LimitReached, members.set_role, "acme", group_id, "sub_2", "MANAGER")[0] == "GROUP_MANAGERS_LIMIT"
    assert refusal(Conflict, members.set_role, "acme", group_id, "sub_f", "MEMBER")[0] == "FOUNDER_ROLE_FIXED"
    assert refusal(Conflict, members.leave, "acme", group_id, "sub_f")[0] == "FOUNDER_CANNOT_LEAVE"
    members.leave("acme", group_id, "sub_1")
    assert refusal(NotFound, members.leave, "acme", group_id, "sub_1")[0] == "MEMBER_NOT_FOUND"
    group = founding.require("acme", group_id)
    assert (group["members"], group["managers"]) == (2, 0)
    assert members.set_role("acme", group_id, "sub_2", "MANAGER")["role"] == "MANAGER"  # the freed place is taken
    listed = members.listing("acme", group_id, 1, None)
    rest = members.listing("acme", group_id, 5, listed["next_cursor"])
    assert {m["subject_id"] for m in listed["items"] + rest["items"]} == {"sub_f", "sub_2"}


def test_founding_checks_the_group_name_in_the_scene_it_names_and_the_group_records_it(groups, monkeypatch):
    # GIVEN a policy scene, and the name check stood in (tests/api check names themselves)
    from chalicelib.core.errors import Unprocessable

    policy.apply_patch("acme", {"scenes": {"comment": {"terms": {"set_action": [{"to": "REJECT"}]}}}})
    name_check = NameCheckInScene()
    monkeypatch.setattr(founding.names, "check_name", name_check)
    body = {"founder_subject_id": "sub_f", "group_type": "PRIVATE", "name": "读书交流群"}
    # WHEN founded naming a scene THEN the group name is checked there and the group keeps it
    group = founding.found("acme", {**body, "scene": "comment"})
    assert name_check.asked == [("group_name", "comment")]
    assert group["name_check"] == {"decision": "REVIEW", "hits": [], "scene": {"name": "comment"}}
    # WHEN founded naming none THEN as before: no scene asked, none kept
    assert "scene" not in founding.found("acme", {**body, "founder_subject_id": "sub_g"})["name_check"]
    # WHEN the scene is not the policy's THEN 422 SCENE_UNKNOWN before the name is checked or anything written
    code, details = refusal(Unprocessable, founding.found, "acme", {**body, "scene": "live_chat"})
    assert (code, details["known"]) == ("SCENE_UNKNOWN", ["default", "comment"])
    assert len(name_check.asked) == 2 and groups.events().count("group.found") == 2

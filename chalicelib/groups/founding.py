"""Internet groups (GR2017-6, GR2017-7, GR2017-8, GR2017-11): founding, joining, roles, caps.

Every cap is a condition in the same transaction as the change it limits, never read then
write: groups founded and joined per subject (counters on the subject), members per group by
group type (the group's own count), one membership per subject. Founders and members must be
verified subjects not stopped by a disposition or a group blacklist (GR2017-6, GR2017-11). A
group growing past `groups.large_group_members` needs a founder at or above the credit level of
`credit.services.found_large_group` (GR2017-7), and publishes an information page. The group name is checked
under the policy scene the founding names (`scene`; an unknown one is 422 SCENE_UNKNOWN), which its name_check
records.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, clock, ids, policy
from chalicelib.core.errors import Conflict, Forbidden, LimitReached, Unprocessable
from chalicelib.dispositions import credit, records as dispositions
from chalicelib.dispositions.credit_rules import allows
from chalicelib.eligibility import gates
from chalicelib.groups import store as storage
from chalicelib.names import service as names


def _refuse_gate(tenant_id: str, subject_id: str, action: str) -> None:
    _, gate = gates.gate(tenant_id, subject_id, action)
    if gate["allowed"]:
        return
    first = next((r for r in gate["reasons"] if r["code"] == "BLACKLISTED"), gate["reasons"][0])
    refusal = Forbidden if first["code"] == "BLACKLISTED" or first["code"].endswith("_RESTRICTED") else Conflict
    raise refusal(first["message"], message_zh=first["message_zh"], code=f"SUBJECT_{first['code']}",
                  article=first["article"], details={"reasons": gate["reasons"]})


def found(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    founder = body["founder_subject_id"]
    names.scene_of(tenant_id, body.get("scene"))  # an unknown scene is refused before any read (SCENE_UNKNOWN)
    _refuse_gate(tenant_id, founder, "FOUND_GROUP")
    check = names.check_name(tenant_id, body["name"], "group_name", founder, scene=body.get("scene"))
    if check["decision"] == "REJECT":
        raise Unprocessable("The group name is refused.", message_zh="群组名称未通过审核。", code="NAME_REFUSED",
                            article="PA2020-8", details={"hits": check["hits"]})
    settings = policy.current(tenant_id).effective["groups"]
    if body["group_type"] not in settings["max_members"]:
        raise Unprocessable(f"Unknown group type {body['group_type']!r} for this tenant's policy.",
                            message_zh="策略中没有该群组类型。", code="GROUP_TYPE_UNKNOWN",
                            details={"types": sorted(settings["max_members"])})
    group_id = ids.new(ids.Kind.GROUP)
    now = clock.iso()
    group = {"group_id": group_id, "name": body["name"], "group_type": body["group_type"],
             "founder_subject_id": founder,
             "founder_account_id": body.get("founder_account_id"), "rules": body.get("rules"), "members": 1,
             "managers": 0, "status": "ACTIVE" if check["decision"] == "PASS" else "UNDER_REVIEW", "created_at": now,
             "name_check": names.check_record(check)}
    founder_member = {"subject_id": founder, "role": "FOUNDER", "account_id": body.get("founder_account_id"),
                      "joined_at": now}
    ops = storage.store().founding_ops(tenant_id, group, founder_member, settings["max_founded_per_subject"],
                               settings["max_joined_per_subject"])
    try:
        storage.store().commit(tenant_id, ops, audit.event(
            tenant_id, "group.found", group_id=group_id, founder_subject_id=founder, group_type=body["group_type"]))
    except audit_trail.ConditionFailed as exc:
        raise _subject_cap(tenant_id, founder, settings) from exc
    return view(group)


def _subject_cap(tenant_id: str, subject_id: str, settings: dict[str, Any]) -> LimitReached:
    count = storage.store().counter(tenant_id, subject_id)
    founded, joined = int(count.get("founded", 0)), int(count.get("joined", 0))
    if founded >= settings["max_founded_per_subject"]:
        return LimitReached(f"The subject has founded {founded} groups (limit {settings['max_founded_per_subject']}).",
                            message_zh="该主体创建群组数量已达上限。", code="GROUPS_FOUNDED_LIMIT", article="GR2017-8",
                            details={"limit": settings["max_founded_per_subject"], "current": founded})
    return LimitReached(f"The subject is in {joined} groups (limit {settings['max_joined_per_subject']}).",
                        message_zh="该主体加入群组数量已达上限。", code="GROUPS_JOINED_LIMIT", article="GR2017-8",
                        details={"limit": settings["max_joined_per_subject"], "current": joined})


def require(tenant_id: str, group_id: str) -> dict[str, Any]:
    return ids.require(ids.Kind.GROUP, group_id, lambda i: storage.store().group(tenant_id, i))


def join(tenant_id: str, group_id: str, body: dict[str, Any]) -> dict[str, Any]:
    group = require(tenant_id, group_id)
    closed = dispositions.restrictions(tenant_id, "GROUP", group_id)
    if "GROUP" in closed["restricted"]:
        raise Forbidden("The group is closed by a disposition.", message_zh="该群组已被关闭。", code="GROUP_CLOSED",
                        article="GR2017-11", details={"restrictions": closed["restrictions"]})
    subject_id = body["subject_id"]
    _refuse_gate(tenant_id, subject_id, "JOIN_GROUP")
    settings = policy.current(tenant_id).effective["groups"]
    cap = settings["max_members"][group["group_type"]]
    if int(group["members"]) + 1 > settings["large_group_members"]:
        _require_qualified_founder(tenant_id, group, settings)
    now = clock.iso()
    member = {"subject_id": subject_id, "role": "MEMBER", "account_id": body.get("account_id"), "joined_at": now}
    ops = storage.store().join_ops(tenant_id, group_id, member, cap, settings["max_joined_per_subject"])
    try:
        storage.store().commit(tenant_id, ops, audit.event(
            tenant_id, "group.join", group_id=group_id, subject_id=subject_id))
    except audit_trail.ConditionFailed as failed:
        if failed.index == 0:
            raise Conflict("The subject is already a member.", message_zh="该主体已是群成员。",
                           code="ALREADY_MEMBER") from failed
        if failed.index == 1:
            raise LimitReached(f"The group has reached its {cap} members.", message_zh="群成员数量已达上限。",
                               code="GROUP_FULL", article="GR2017-8",
                               details={"limit": cap, "group_type": group["group_type"]}) from failed
        raise _subject_cap(tenant_id, subject_id, settings) from failed
    return {"group_id": group_id, "subject_id": subject_id, "role": "MEMBER", "role_label": "群成员", "joined_at": now}


def _require_qualified_founder(tenant_id: str, group: dict[str, Any], settings: dict[str, Any]) -> None:
    """GR2017-7: a large group needs a verified founder with enough credit."""
    required = policy.setting(tenant_id, "credit", "services")["found_large_group"]
    founder = group["founder_subject_id"]
    _, gate = gates.gate(tenant_id, founder, "FOUND_GROUP")
    level = credit.of_subject(tenant_id, founder)["level"]
    if not gate["allowed"] or not allows(level, required):
        raise Conflict(f"Past {settings['large_group_members']} members the founder must be verified and at credit "
                       f"level {required} or better.",
                       message_zh="群组规模超过限额，群主须完成实名认证且信用等级达标。",
                       code="GROUP_FOUNDER_NOT_QUALIFIED", article="GR2017-7",
                       details={"founder_level": level, "required_level": required,
                                "large_group_members": settings["large_group_members"],
                                "founder_gate": gate["reasons"]})


def view(group: dict[str, Any]) -> dict[str, Any]:
    return {k: group[k] for k in ("group_id", "name", "group_type", "founder_subject_id", "founder_account_id", "rules",
                                  "members", "managers", "status", "created_at",
                                  "name_check") if group.get(k) is not None}

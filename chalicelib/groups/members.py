"""Group members and their labelled roles (GR2017-8), leaving, and the information page of a large group."""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_events as audit, audit_trail, clock, policy
from chalicelib.core.errors import Conflict, LimitReached, NotFound
from chalicelib.core.pii import remask
from chalicelib.groups import founding as groups, store as storage
from chalicelib.identity import subjects

ROLE_LABELS = {"FOUNDER": "群主", "MANAGER": "群管理员", "MEMBER": "群成员"}


def _member(tenant_id: str, group_id: str, subject_id: str) -> dict[str, Any]:
    found = storage.store().member(tenant_id, group_id, subject_id)
    if found is None:
        raise NotFound("The subject is not a member of this group.", message_zh="该主体不是群成员。",
                       code="MEMBER_NOT_FOUND")
    return found


def _labelled(member: dict[str, Any], group_id: str) -> dict[str, Any]:
    return {"group_id": group_id, "subject_id": member["subject_id"], "account_id": member.get("account_id"),
            "role": member["role"], "role_label": ROLE_LABELS[member["role"]], "joined_at": member["joined_at"]}


def leave(tenant_id: str, group_id: str, subject_id: str) -> dict[str, Any]:
    groups.require(tenant_id, group_id)
    member = _member(tenant_id, group_id, subject_id)
    if member["role"] == "FOUNDER":
        raise Conflict("The founder cannot leave the group.", message_zh="群主不能退出群组。",
                       code="FOUNDER_CANNOT_LEAVE")
    ops = storage.store().leave_ops(tenant_id, group_id, subject_id, member["role"])
    try:
        storage.store().commit(tenant_id, ops, audit.event(
            tenant_id, "group.leave", group_id=group_id, subject_id=subject_id))
    except audit_trail.ConditionFailed as exc:
        raise Conflict("The membership changed meanwhile; retry.", message_zh="成员状态已变更，请重试。",
                       code="MEMBER_CONTENDED") from exc
    return {**_labelled(member, group_id), "left_at": clock.iso()}


def set_role(tenant_id: str, group_id: str, subject_id: str, role: str) -> dict[str, Any]:
    """MANAGER or MEMBER; managers are capped per group (policy), atomically."""
    groups.require(tenant_id, group_id)
    member = _member(tenant_id, group_id, subject_id)
    if member["role"] == "FOUNDER":
        raise Conflict("The founder's role does not change.", message_zh="群主角色不可变更。",
                       code="FOUNDER_ROLE_FIXED")
    if member["role"] == role:
        return _labelled(member, group_id)
    limit = policy.setting(tenant_id, "groups", "max_managers")
    ops = storage.store().role_ops(tenant_id, group_id, subject_id, member["role"], role, limit)
    try:
        storage.store().commit(tenant_id, ops, audit.event(
            tenant_id, "group.role", group_id=group_id, subject_id=subject_id, role=role))
    except audit_trail.ConditionFailed as failed:
        if failed.index == 1:
            raise LimitReached(f"The group already has {limit} managers.", message_zh="群管理员数量已达上限。",
                               code="GROUP_MANAGERS_LIMIT", article="GR2017-8", details={"limit": limit}) from failed
        raise Conflict("The membership changed meanwhile; retry.", message_zh="成员状态已变更，请重试。",
                       code="MEMBER_CONTENDED") from failed
    return _labelled({**member, "role": role}, group_id)


def listing(tenant_id: str, group_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    groups.require(tenant_id, group_id)
    items, next_cursor = storage.store().members_page(tenant_id, group_id, limit, cursor)
    return {"group_id": group_id, "items": [_labelled(i, group_id) for i in items], "next_cursor": next_cursor}


def info_page(tenant_id: str, group_id: str) -> dict[str, Any]:
    """GR2017-7, GR2017-8: what a group above the policy size shows its members: name, founder's
    masked identity, managers, rules, creation date."""
    group = groups.require(tenant_id, group_id)
    threshold = policy.setting(tenant_id, "groups", "large_group_members")
    if int(group["members"]) <= threshold:
        raise NotFound(f"Groups of {threshold} members or fewer publish no information page.",
                       message_zh="该群组规模未达到公示信息页的要求。", code="GROUP_INFO_PAGE_NOT_PUBLISHED",
                       details={"members": int(group["members"]), "threshold": threshold})
    founder = subjects.require(tenant_id, group["founder_subject_id"])
    managers = [_labelled(m, group_id) for m in storage.store().managers(tenant_id, group_id)]
    return {"group_id": group_id, "name": group["name"], "group_type": group["group_type"],
            "members": int(group["members"]), "rules": group.get("rules"), "created_at": group["created_at"],
            "founder": {"subject_id": group["founder_subject_id"], "subject_type": founder["subject_type"],
                        "document_masked": remask(founder["document_masked"], founder.get("document_type")),
                        "role_label": ROLE_LABELS["FOUNDER"]},
            "managers": managers, "article": "GR2017-8"}

"""Account registration (PA2017-7, PA2020-10, PA2020-18(8), MB2018-7, PA2020-8).

A platform registers an account for a verified subject. Refusals come in this order, each
with its article: subject not verified or lapsed (MB2018-7); subject, phone or device
blacklisted (GR2017-11, PA2017-13); name refused by the name check (PA2020-8); too many
registrations from one IP or device in the window (429, PA2020-10, PA2020-18(8)); the subject's
upper limit reached (409 LIMIT_REACHED, PA2017-7). The name is checked under the policy scene the registration
names (`scene`, as POST /v1/names/check takes it; an unknown one is 422 SCENE_UNKNOWN before anything is read),
and the account's name_check records it. The limit is enforced atomically: a counter
on the subject, conditional on being under the limit, is updated in the same transaction that
creates the account, so concurrent registrations can never exceed it; so are the velocity windows
(`registration_velocity`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import account_views, registration_reads, registration_velocity, store as storage
from chalicelib.core import audit_events as audit, audit_trail, clock, ids, policy
from chalicelib.core.errors import Conflict, Forbidden, LimitReached, Unprocessable
from chalicelib.dispositions import blacklist
from chalicelib.eligibility import gates
from chalicelib.identity import upfront
from chalicelib.names import service as names
from chalicelib.reports.intake import seal_contact


def register(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    subject_id = body["subject_id"]
    names.scene_of(tenant_id, body.get("scene"))  # an unknown scene is refused before any read (SCENE_UNKNOWN)
    reads = registration_reads.read(tenant_id, subject_id, body.get("device_id"),
                                    body.get("registration_phone"))  # one round trip
    subject, gate = gates.gate_from(subject_id, "REGISTER", reads.subject, reads.summary, reads.subject_listed)
    if not gate["allowed"]:
        # A blacklisting names the strongest reason; dispositions forbid (403), a lapsed identity conflicts (409).
        first = next((r for r in gate["reasons"] if r["code"] == "BLACKLISTED"), gate["reasons"][0])
        refusal = Forbidden if first["code"] in ("BLACKLISTED", "REGISTRATION_RESTRICTED") else Conflict
        raise refusal(first["message"], message_zh=first["message_zh"], code=f"SUBJECT_{first['code']}",
                      article=first["article"], details={"reasons": gate["reasons"]})
    upfront.refuse_erased(subject)
    _refuse_blacklisted(reads.device_listed, "device", "设备", "DEVICE_BLACKLISTED")
    _refuse_blacklisted(reads.phone_listed, "registration phone", "注册手机号", "PHONE_BLACKLISTED")
    check = names.check_name(tenant_id, body["name"], "account_name", subject_id, reads.lexicon_version,
                             scene=body.get("scene"))
    if check["decision"] == "REJECT":
        raise Unprocessable("The account name is refused.", message_zh="账号名称未通过审核。", code="NAME_REFUSED",
                            article="PA2020-8", details={"hits": check["hits"]})
    settings = policy.current(tenant_id).effective["accounts"]
    limit = settings["max_per_subject"][subject["subject_type"]]
    velocity = registration_velocity.velocity(tenant_id, body, settings)
    return _create(tenant_id, subject, body, check, limit, velocity, reads.audit_head)


def _refuse_blacklisted(listed: list[dict[str, Any]], what: str, what_zh: str, code: str) -> None:
    """GR2017-11, PA2017-13: a listed device or registration phone is refused, naming the entry in force."""
    now = clock.iso()
    hits = [e for record in listed if (e := blacklist.in_force(record, now)) is not None]
    if hits:
        raise Forbidden(f"The {what} is blacklisted.", message_zh=f"该{what_zh}已被列入黑名单。", code=code,
                        article=hits[0]["article"], details={"entry": blacklist.entry_view(hits[0])})


def _create(tenant_id: str, subject: dict[str, Any], body: dict[str, Any], check: dict[str, Any], limit: int,
            velocity: list[registration_velocity.Velocity], seen_head: dict[str, Any] | None) -> dict[str, Any]:
    subject_id = subject["subject_id"]
    account_id = ids.new(ids.Kind.ACCOUNT)
    now = clock.iso()
    account = {"account_id": account_id, "subject_id": subject_id, "profile": _profile(tenant_id, account_id, body),
               "subject_type": subject["subject_type"],
               "account_type": body["account_type"], "name": body["name"], "external_id": body.get("external_id"),
               "category": body.get("category"), "business_scope": body.get("business_scope"),
               "status": "ACTIVE" if check["decision"] == "PASS" else "UNDER_REVIEW",
               "name_check": names.check_record(check), "created_at": now}
    ops = [v.op for v in velocity] + storage.store().registration_ops(tenant_id, account, limit)
    event = audit.event(tenant_id, "account.register", account_id=account_id, subject_id=subject_id,
                        account_type=body["account_type"], status=account["status"])
    try:
        storage.store().commit(tenant_id, ops, event, seen_head)
    except audit_trail.ConditionFailed as failed:
        if failed.index < len(velocity):
            bursts = policy.setting(tenant_id, "accounts", "hoarding_bursts")
            raise registration_velocity.throttled(tenant_id, subject_id, velocity[failed.index], bursts) from failed
        if failed.index == len(velocity):
            count = storage.store().counter(tenant_id, subject_id, consistent=True)
            raise LimitReached(f"The subject already has {count.get('accounts', limit)} accounts (limit {limit}).",
                               message_zh="该主体注册账号数量已达上限。", article="PA2017-7",
                               details={"limit": limit, "current": int(count.get("accounts", limit)),
                                        "subject_type": subject["subject_type"]}) from failed
        raise Conflict("An account with this external_id exists.", message_zh="该外部编号的账号已存在。",
                       code="EXTERNAL_ID_TAKEN") from failed
    return account_views.view(account)


def _profile(tenant_id: str, account_id: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """MB2018-9, PA2020-7: registered basic information; a contact is personal data, sealed and masked."""
    profile = dict(body.get("profile") or {})
    if not profile:
        return None
    if profile.get("contact"):
        profile.update(seal_contact(tenant_id, account_id, profile.pop("contact")))
    return profile

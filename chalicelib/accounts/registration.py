"""Account registration (PA2017-7, PA2020-10, PA2020-18(8), MB2018-7, PA2020-8).

A platform registers an account for a verified subject. Refusals come in this order, each
with its article: subject not verified or lapsed (MB2018-7); subject, phone or device
blacklisted (GR2017-11, PA2017-13); name refused by the name check (PA2020-8); too many
registrations from one IP or device in the window (429, PA2020-10, PA2020-18(8)); the subject's
upper limit reached (409 LIMIT_REACHED, PA2017-7). The limit is enforced atomically: a counter
on the subject, conditional on being under the limit, is updated in the same transaction that
creates the account, so concurrent registrations can never exceed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.accounts import registration_reads, store as storage
from chalicelib.core import audit_events as audit, audit_trail, clock, crypto, ids, policy, stores
from chalicelib.core.errors import Conflict, Forbidden, LimitReached, TooManyRequests, Unprocessable
from chalicelib.core.pii import remask
from chalicelib.dispositions import blacklist
from chalicelib.eligibility import gates
from chalicelib.identity import subjects, upfront
from chalicelib.identity.documents import canonical_mobile
from chalicelib.names import service as names
from chalicelib.reports.intake import seal_contact


def register(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    subject_id = body["subject_id"]
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
    check = names.check_name(tenant_id, body["name"], "account_name", subject_id, reads.lexicon_version)
    if check["decision"] == "REJECT":
        raise Unprocessable("The account name is refused.", message_zh="账号名称未通过审核。", code="NAME_REFUSED",
                            article="PA2020-8", details={"hits": check["hits"]})
    settings = policy.current(tenant_id).effective["accounts"]
    limit = settings["max_per_subject"][subject["subject_type"]]
    return _create(tenant_id, subject, body, check, limit, _velocity(tenant_id, body, settings), reads.audit_head)


def _refuse_blacklisted(listed: list[dict[str, Any]], what: str, what_zh: str, code: str) -> None:
    """GR2017-11, PA2017-13: a listed device or registration phone is refused, naming the entry in force."""
    now = clock.iso()
    hits = [e for record in listed if (e := blacklist.in_force(record, now)) is not None]
    if hits:
        raise Forbidden(f"The {what} is blacklisted.", message_zh=f"该{what_zh}已被列入黑名单。", code=code,
                        article=hits[0]["article"], details={"entry": blacklist.entry_view(hits[0])})


@dataclass(frozen=True)
class Velocity:
    """PA2020-10, PA2020-18(8): one registration counted in an IP's or device's window, in the
    registration's own transaction, conditional on the window's limit."""

    kind: str
    op: dict[str, Any]
    limit: int
    window_minutes: int
    retry_after: int


def _velocity(tenant_id: str, body: dict[str, Any], settings: dict[str, Any]) -> list[Velocity]:
    now, found = clock.now_epoch(), []
    for kind, field in (("ip", "registration_ip"), ("device", "device_id"), ("phone", "registration_phone")):
        value = body.get(field)
        if not value:
            continue
        if kind == "phone":  # one canonical form, so no other written form of a number counts apart
            value = canonical_mobile(value)
        rule = settings["velocity"][kind]
        window = rule["window_minutes"] * 60
        start = int(now // window * window)
        # a keyed blind index: a plain hash of an IP or an 11-digit phone could be reversed by enumeration
        digest = crypto.blind_index(crypto.index_key(tenant_id, stores.main_table()), f"VELOCITY_{kind}", value)[:32]
        op = storage.store().velocity_op(tenant_id, kind, digest, start, rule["limit"], start + 2 * window)
        found.append(Velocity(kind, op, rule["limit"], rule["window_minutes"], max(1, int(start + window - now))))
    return found


def _throttled(tenant_id: str, subject_id: str, refused: Velocity, bursts: int) -> TooManyRequests:
    flagged = _count_burst(tenant_id, subject_id, bursts)
    return TooManyRequests(f"Too many registrations from this {refused.kind}; retry later.",
                           message_zh="同一来源注册过于频繁，请稍后再试。",
                           code=f"REGISTRATION_VELOCITY_{refused.kind.upper()}",
                           article="PA2020-18(8)", headers={"Retry-After": str(refused.retry_after)},
                           details={"limit": refused.limit, "window_minutes": refused.window_minutes,
                                    "hoarding_flagged": flagged})


def _count_burst(tenant_id: str, subject_id: str, bursts: int) -> bool:
    """Count a velocity refusal on the subject; at `bursts` it is flagged for review (PA2020-10)."""
    if storage.store().count_velocity_refusal(tenant_id, subject_id) < bursts:
        return False
    storage.store().flag_hoarding(tenant_id, subject_id)
    return True


def _create(tenant_id: str, subject: dict[str, Any], body: dict[str, Any], check: dict[str, Any], limit: int,
            velocity: list[Velocity], seen_head: dict[str, Any] | None) -> dict[str, Any]:
    subject_id = subject["subject_id"]
    account_id = ids.new(ids.Kind.ACCOUNT)
    now = clock.iso()
    account = {"account_id": account_id, "subject_id": subject_id, "profile": _profile(tenant_id, account_id, body),
               "subject_type": subject["subject_type"],
               "account_type": body["account_type"], "name": body["name"], "external_id": body.get("external_id"),
               "category": body.get("category"), "business_scope": body.get("business_scope"),
               "status": "ACTIVE" if check["decision"] == "PASS" else "UNDER_REVIEW",
               "name_check": {"decision": check["decision"], "hits": check["hits"]}, "created_at": now}
    ops = [v.op for v in velocity] + storage.store().registration_ops(tenant_id, account, limit)
    event = audit.event(tenant_id, "account.register", account_id=account_id, subject_id=subject_id,
                        account_type=body["account_type"], status=account["status"])
    try:
        storage.store().commit(tenant_id, ops, event, seen_head)
    except audit_trail.ConditionFailed as failed:
        if failed.index < len(velocity):
            bursts = policy.setting(tenant_id, "accounts", "hoarding_bursts")
            raise _throttled(tenant_id, subject_id, velocity[failed.index], bursts) from failed
        if failed.index == len(velocity):
            count = storage.store().counter(tenant_id, subject_id, consistent=True)
            raise LimitReached(f"The subject already has {count.get('accounts', limit)} accounts (limit {limit}).",
                               message_zh="该主体注册账号数量已达上限。", article="PA2017-7",
                               details={"limit": limit, "current": int(count.get("accounts", limit)),
                                        "subject_type": subject["subject_type"]}) from failed
        raise Conflict("An account with this external_id exists.", message_zh="该外部编号的账号已存在。",
                       code="EXTERNAL_ID_TAKEN") from failed
    return view(account)


def _profile(tenant_id: str, account_id: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """MB2018-9, PA2020-7: registered basic information; a contact is personal data, sealed and masked."""
    profile = dict(body.get("profile") or {})
    if not profile:
        return None
    if profile.get("contact"):
        profile.update(seal_contact(tenant_id, account_id, profile.pop("contact")))
    return profile


def require(tenant_id: str, account_id: str, *, consistent: bool = False) -> dict[str, Any]:
    """The stored account item, or NotFound."""
    return ids.require(ids.Kind.ACCOUNT, account_id,
                       lambda i: storage.store().account(tenant_id, i, consistent=consistent))


def get(tenant_id: str, account_id: str) -> dict[str, Any]:
    item = require(tenant_id, account_id)
    activity = storage.store().activity(tenant_id, account_id)
    return view({**item, "last_active_at": activity.get("last_active_at")})


def of_subject(tenant_id: str, subject_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    subjects.require(tenant_id, subject_id)
    items, next_cursor = storage.store().subject_accounts_page(tenant_id, subject_id, limit, cursor)
    counter = storage.store().counter(tenant_id, subject_id)
    return {"subject_id": subject_id, "accounts": int(counter.get("accounts", 0)),
            "public_accounts": int(counter.get("public_accounts", 0)),
            # PA2017-7, PA2020-10: a subject with more than one public account is filed.
            "multi_account_filing": int(counter.get("public_accounts", 0)) >= 2,
            "hoarding_flag": bool(counter.get("hoarding_flag")),
            "items": [{"account_id": i["account_id"], "account_type": i["account_type"], "created_at": i["created_at"]}
                      for i in items], "next_cursor": next_cursor}


_VIEW = ("account_id", "subject_id", "subject_type", "account_type", "name", "external_id", "category",
         "business_scope", "status",
         "profile",
         "name_check", "suspension", "reactivated_at", "cancelled_at", "cancellation_reason", "pending_transfer",
         "transferred_at",
         "created_at", "last_active_at")


def view(item: dict[str, Any]) -> dict[str, Any]:
    found = {k: item[k] for k in _VIEW if item.get(k) is not None}
    if "profile" in found:  # never the sealed contact, only its masked form
        found["profile"] = {k: remask(v) if k == "contact_masked" else v
                            for k, v in found["profile"].items() if k not in ("contact", "contact_key")}
    return found

"""The gates: may a subject publish, register, found or join a group now, with every reason it may not.

They stand above identity and dispositions: a subject must be verified and not lapsed (MB2018-7),
hold a qualification for a professional domain (PA2020-9), have no disposition in force that stops
the action (GR2017-11, PA2017-13, PA2020-19), and not be blacklisted (GR2017-11, PA2017-13).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock, ids
from chalicelib.dispositions import blacklist, records as dispositions
from chalicelib.dispositions.rules import in_force
from chalicelib.identity import rules as identity, subjects


def can_publish(tenant_id: str, subject_id: str, domain: str | None) -> dict[str, Any]:
    """MB2018-7: no publishing before real identity is verified; PA2020-9: qualified domains."""
    return gate(tenant_id, subject_id, "PUBLISH", domain)[1]


def gate(tenant_id: str, subject_id: str, action: str,
         domain: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the subject item, may it do `action` — PUBLISH, REGISTER — now, with every reason it may not)."""
    subject, others = subjects.partition(tenant_id, subject_id)
    now = clock.iso()
    qualified = [i["valid_until"] for i in others
                 if i["SK"].startswith("QUALIFICATION#") and i["domain"] == domain]
    reasons = _identity_reasons(subject, now, domain, qualified) + _disposition_refusals(tenant_id, subject_id, action)
    return subject, _answer(subject_id, now, domain, reasons)


def gate_from(subject_id: str, action: str, subject: dict[str, Any] | None, summary: dict[str, Any] | None,
              listed: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same answer as `gate` (no domain) from items already read in one BatchGetItem: the subject,
    its restriction summary, and its blacklist entries (GR2017-11, PA2017-13)."""
    if subject is None:
        raise ids.not_found(ids.Kind.SUBJECT, subject_id)
    now = clock.iso()
    reasons = _identity_reasons(subject, now, None, [])
    reasons += [restricted_refusal(action, entry["disposition_id"], entry["type"], entry["statement"],
                                   entry["ground"]["article"])
                for name, entry in sorted((summary or {}).items())
                if name.startswith("r_") and action in entry["restricts"]
                and in_force(entry["starts_at"], entry.get("ends_at"), False, now)]
    reasons += [_blacklisted(entry["article"], entry["source_disposition"], entry["reason"])
                for record in listed if (entry := blacklist.in_force(record, now)) is not None]
    return subject, _answer(subject_id, now, None, reasons)


def restricted_refusal(action: str, disposition_id: str, kind: str, statement: str, article: str) -> dict[str, str]:
    code, message_zh = _RESTRICTED[action]
    return {"code": code, "article": article, "source": disposition_id, "message": f"{kind} is in force: {statement}",
            "message_zh": message_zh}


def _blacklisted(article: str, source: str, reason: str) -> dict[str, str]:
    return {"code": "BLACKLISTED", "article": article, "source": source,
            "message": f"The subject is blacklisted: {reason}", "message_zh": "该主体已被列入黑名单。"}


def _identity_reasons(subject: dict[str, Any], now: str, domain: str | None,
                      qualified: list[str]) -> list[dict[str, Any]]:
    refusals = identity.publishing_refusals(subject.get("status"), subject.get("reconfirm_by"), now, domain,
                                            qualified, now[:10])
    return [{"code": r.code, "article": r.article, "message": r.message, "message_zh": r.message_zh} for r in refusals]


def _answer(subject_id: str, now: str, domain: str | None, reasons: list[dict[str, Any]]) -> dict[str, Any]:
    return {"subject_id": subject_id, "allowed": not reasons, "checked_at": now, "domain": domain, "reasons": reasons}


_RESTRICTED = {"PUBLISH": ("PUBLISHING_RESTRICTED", "处置措施生效期间不得发布信息。"),
               "REGISTER": ("REGISTRATION_RESTRICTED", "处置措施生效期间不得注册账号。"),
               "FOUND_GROUP": ("GROUP_FOUNDING_RESTRICTED", "处置措施生效期间不得创建群组。"),
               "JOIN_GROUP": ("GROUP_JOINING_RESTRICTED", "处置措施生效期间不得加入群组。")}
ACTIONS = tuple(_RESTRICTED)
# GR2017-11: the group blacklists that also bar a subject from founding or joining.
_GROUP_LISTS = {"FOUND_GROUP": "GROUP_FOUNDER", "JOIN_GROUP": "GROUP_MEMBER"}


def _disposition_refusals(tenant_id: str, subject_id: str, action: str) -> list[dict[str, str]]:
    """Dispositions in force that stop `action`, and the subject's blacklisting (GR2017-11, PA2017-13)."""
    found = [restricted_refusal(action, r["disposition_id"], r["type"], r["statement"], r["article"])
             for r in dispositions.restrictions(tenant_id, "SUBJECT", subject_id)["restrictions"]
             if action in r["restricts"]]
    lists = [{"type": "REGISTRATION_SUBJECT", "key": subject_id}]
    if action in _GROUP_LISTS:
        lists.append({"type": _GROUP_LISTS[action], "key": subject_id})
    found += [_blacklisted(hit["article"], hit["source_disposition"], hit["reason"])
              for hit in blacklist.check(tenant_id, lists)["hits"]]
    return found

"""Dispositions (GR2017-11, PA2017-13, PA2020-19). Pure rules: the types and blacklists, what a
disposition restricts, when it is in force, and what of it is summarised on its subject for the
gates. How strikes become a credit score is in `credit_rules`, a blacklist record's entries in
`blacklist_rules`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class DispositionType(str, Enum):
    WARNING = "WARNING"
    CORRECTION_REQUIRED = "CORRECTION_REQUIRED"
    FUNCTION_LIMIT = "FUNCTION_LIMIT"
    SUSPEND_UPDATES = "SUSPEND_UPDATES"
    SUSPEND_PUBLISHING = "SUSPEND_PUBLISHING"
    STOP_ADS = "STOP_ADS"
    CLOSE_GROUP = "CLOSE_GROUP"
    CLOSE_ACCOUNT = "CLOSE_ACCOUNT"
    LOWER_CREDIT = "LOWER_CREDIT"
    REVOKE_GROUP_FOUNDING = "REVOKE_GROUP_FOUNDING"
    BLACKLIST = "BLACKLIST"
    PROHIBIT_REREGISTRATION = "PROHIBIT_REREGISTRATION"


class BlacklistType(str, Enum):
    GROUP = "GROUP"
    GROUP_FOUNDER = "GROUP_FOUNDER"
    GROUP_MANAGER = "GROUP_MANAGER"
    GROUP_MEMBER = "GROUP_MEMBER"
    PUBLIC_ACCOUNT = "PUBLIC_ACCOUNT"
    REGISTRATION_SUBJECT = "REGISTRATION_SUBJECT"
    PHONE = "PHONE"
    DEVICE = "DEVICE"


# What each type stops while in force; WARNING, CORRECTION_REQUIRED and LOWER_CREDIT only record.
RESTRICTS: dict[DispositionType, tuple[str, ...]] = {
    DispositionType.FUNCTION_LIMIT: ("LIMITED_FUNCTIONS",),
    DispositionType.SUSPEND_UPDATES: ("UPDATE",),
    DispositionType.SUSPEND_PUBLISHING: ("PUBLISH",),
    DispositionType.STOP_ADS: ("ADVERTISE",),
    DispositionType.CLOSE_GROUP: ("GROUP",),
    DispositionType.CLOSE_ACCOUNT: ("ACCOUNT", "PUBLISH", "UPDATE"),
    DispositionType.REVOKE_GROUP_FOUNDING: ("FOUND_GROUP",),
    DispositionType.BLACKLIST: ("REGISTER", "PUBLISH", "FOUND_GROUP", "JOIN_GROUP"),
    DispositionType.PROHIBIT_REREGISTRATION: ("REGISTER",),
}
# Default blacklist a BLACKLIST disposition writes, by target type (GR2017-11, PA2017-13).
DEFAULT_BLACKLIST = {"SUBJECT": BlacklistType.REGISTRATION_SUBJECT, "ACCOUNT": BlacklistType.PUBLIC_ACCOUNT,
                     "GROUP": BlacklistType.GROUP}


def in_force(starts_at: str, ends_at: str | None, revoked: bool, now: str) -> bool:
    """In force by time alone, never by a sweep: expired restrictions drop out on their own."""
    return not revoked and starts_at <= now and (ends_at is None or now < ends_at)


# A subject's restriction summary holds one attribute per restricting disposition, so a gate reads what is
# in force on a subject with the same BatchGetItem as the subject itself.
SUMMARY_FIELDS = ("disposition_id", "type", "restricts", "starts_at", "ends_at", "statement", "ground")


def summarised(record: dict[str, Any]) -> bool:
    """Dispositions on a subject that restrict something are summarised on it for the gates."""
    return record["target_type"] == "SUBJECT" and bool(record.get("restricts"))


def summaries_by_subject(added: list[dict[str, Any]],
                         removed: list[dict[str, Any]]) -> dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """The dispositions added to and removed from each subject's summary (one item appears once per transaction)."""
    per_subject: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for record in added:
        per_subject.setdefault(record["target_id"], ([], []))[0].append(record)
    for record in removed:
        per_subject.setdefault(record["target_id"], ([], []))[1].append(record)
    return per_subject

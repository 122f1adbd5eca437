"""Identifiers of the things the product stores: one prefix per kind, one way to make and to look up each.

A new id is ``{prefix}_{milliseconds:012x}{8 random hex}``: sortable by creation time, unguessable
enough for a tenant-scoped key, and at most 64 characters like every id a path may carry. Subject ids
are not made here: they are ``sub_`` + the blind index of the identity document (core/crypto.py).

``require`` is the one shape of "read it or answer 404": an id of the wrong kind is never read
(a ``cas_`` id sent as an account id is simply not found), and the 404 names the kind in English
and Chinese with its stable code.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

from chalicelib.core import clock
from chalicelib.core.errors import NotFound

MAX_ID_LENGTH = 64
T = TypeVar("T")


class Kind(Enum):
    """(prefix, 404 code, English noun, the 404's Chinese message)."""

    ACCOUNT = ("acc", "ACCOUNT_NOT_FOUND", "account", "本租户没有该账号。")
    APPEAL = ("apl", "APPEAL_NOT_FOUND", "appeal", "本租户没有该申诉。")
    CASE = ("cas", "CASE_NOT_FOUND", "case", "本租户没有该案件。")
    DISPOSITION = ("dsp", "DISPOSITION_NOT_FOUND", "disposition", "本租户没有该处置记录。")
    GROUP = ("grp", "GROUP_NOT_FOUND", "group", "本租户没有该群组。")
    REPORT = ("rpt", "REPORT_NOT_FOUND", "report", "没有该举报，或查询凭证不符。")
    RUMOUR = ("rmr", "RUMOUR_NOT_FOUND", "rumour", "本租户没有该谣言记录。")
    SUBJECT = ("sub", "SUBJECT_NOT_FOUND", "subject", "本租户没有该主体。")
    TRANSFER = ("trf", "TRANSFER_NOT_FOUND", "transfer", "本租户没有该迁移申请。")
    VERIFICATION = ("ver", "VERIFICATION_NOT_FOUND", "verification", "本租户没有该核验记录。")

    def __init__(self, prefix: str, code: str, noun: str, message_zh: str) -> None:
        self.prefix, self.code, self.noun, self.message_zh = prefix, code, noun, message_zh


# Reports are also opened by their tracking token: the 404 must not say which of the two was wrong.
_SUFFIX = {Kind.REPORT: ", or the token does not match"}


def new(kind: Kind) -> str:
    return f"{kind.prefix}_{int(clock.now_epoch() * 1000):012x}{secrets.token_hex(4)}"


def is_a(kind: Kind, value: str) -> bool:
    """Could `value` be an id of this kind (prefix and length; the store decides whether it exists)?"""
    return value.startswith(f"{kind.prefix}_") and len(value) <= MAX_ID_LENGTH


def not_found(kind: Kind, value: str) -> NotFound:
    return NotFound(f"No {kind.noun} {value!r} for this tenant{_SUFFIX.get(kind, '')}.",
                    message_zh=kind.message_zh, code=kind.code)


def require(kind: Kind, value: str, read: Callable[[str], T | None]) -> T:
    """`read(value)` when `value` is of this kind and it finds something; otherwise the kind's 404."""
    found = read(value) if is_a(kind, value) else None
    if found is None:
        raise not_found(kind, value)
    return found


def lookup(kind: Kind, value: str, read: Callable[[str], T | None]) -> T | None:
    """`read(value)` for an id of this kind, None for any other string (nothing is read)."""
    return read(value) if is_a(kind, value) else None

"""Contact diversion (引流): names, descriptions and posts that move users off the platform.

Found: WeChat ids (微信, 薇信, 威信, V信, vx, wx, +V), QQ numbers (QQ, 扣扣, 企鹅) and QQ groups (Q群, 群号),
mainland mobile numbers (with or without a cue), URLs and domains (点com, dot com), e-mail addresses and
other apps' handles (抖音号, 小红书, Telegram, WhatsApp…), with their disguises: every number form of
char_fold.py (一二三, 壹贰叁, ①, ⑴, ❶, full-width), separators, emoji and zero-width characters between
the characters, look-alike letters, full-width and capital letters.

The text is folded one character to one (so a match's span is the original text's): a Latin letter or a
digit for what reads as one, "." for every full stop and dot, the simplified form of a Han character,
and "~" for anything else (spaces, punctuation, emoji, invisible characters). Patterns then run over the
folded text, each anchored so that the work is linear in the text.

A cue without a value ("加V详聊", "私聊加扣扣", "vx私我", "加企鹅") is found too, as a contact of its kind with
value None: a word that adds a channel (加, +, ➕ and 加我, 加个, 加一下…) before a WeChat or QQ spelling, or a
disguised or plain spelling followed by an invitation (私我, 详聊, 了解, 咨询, 联系…). Ordinary uses are left
alone: 参加, 更加, 增加 and 附加 add nothing; V and Q only as a word of their own (not in "vlog", "ctrl+v"), 加V
not before 认证 (a verified badge), a lone 微 only before an invitation or a break, QQ not before one of its
products (QQ音乐, QQ空间…), 聊 not in 聊天. A cue that overlaps a contact with its value gives way to it.

Ground: the platform's own rules (its user agreement forbids moving users elsewhere); where money is
asked for or offered beside the contact (付费, 有偿, 进群费, 红包…) it is paid diversion, PA2020-18(7).
Phones are masked in the value (138****5678): the answer must not carry the number (PA2017-9).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from chalicelib.names.contact_fold import fold as fold
from chalicelib.names.contact_hosts import _LATER, _domain_value, _domains
from chalicelib.names.contact_patterns import (
    _APPS,
    _CUE_KINDS,
    _DENSE_CUES,
    _DOT as _DOT,
    _HOST_BACK as _HOST_BACK,
    _HOST_REACH as _HOST_REACH,
    _LABEL_CHARS as _LABEL_CHARS,
    _PAID,
    _PAID_REACH,
    _PATTERNS as _PATTERNS,
    _SCHEME as _SCHEME,
    _SHORT as _SHORT,
    _STARTS as _STARTS,
    _TLD_AT as _TLD_AT,
    _USER_BACK as _USER_BACK,
    KINDS as KINDS,
    PAID_DIVERSION as PAID_DIVERSION,
    PLATFORM_RULES as PLATFORM_RULES,
    Found as Found,
    _compiled as _compiled,
    _mobile_prefixes,
)
from chalicelib.names.contact_starts import _matches as _matches, _starts, _starts_short as _starts_short
from chalicelib.names.evidence import Hit, Reach

_MANY_DOTS = 16  # dots past which plain hosts are read with numpy (a test sets it to 0 to compare both ways)


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str | None     # normalized: lower case, digits only, a domain's dots; phones masked; None: a cue alone
    span: tuple[int, int]
    ground: str           # PLATFORM_RULES, or PA2020-18(7) for paid diversion


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def mask_phone(digits: str) -> str:
    return digits[:3] + "****" + digits[-4:]


def _value(kind: str, match: re.Match[str]) -> tuple[str, str | None] | None:
    """(kind, normalized value) of a match, or None when it is not one after all (a number outside every
    mobile segment); a cue without a value is its channel's kind and None."""
    if kind == "CUE":
        return next(_CUE_KINDS[name] for name, found in match.groupdict().items() if found is not None), None
    if kind == "HANDLE":
        return kind, f"{_APPS[match.group('app')]}:{match.group('id').lstrip('@')}"
    found = match.group("id")
    if kind in ("QQ", "QQ_GROUP"):
        return kind, _digits(found)
    digits = _digits(found)
    if kind == "WECHAT" and not found[0].isdigit():
        return kind, found
    if digits[:4] not in _mobile_prefixes():
        return None
    return kind, mask_phone(digits)


def find(text: str) -> list[Contact]:
    """Every contact in `text`, by position; where two overlap the one found first in KINDS order stays
    (a WeChat id given as a phone number is WECHAT, not also PHONE)."""
    folded = fold(text)
    return [Contact(kind, value, span, ground(folded, span)) for kind, value, span in _found(folded)]


def found(text: str) -> tuple[str, list[Found]]:
    """`find` without the ground: the folded text and (kind, value, span) of every contact, by position. A
    post may hold thousands; the ground is read only for those its answer lists (`ground`)."""
    folded = fold(text)
    return folded, _found(folded)


def ground(folded: str, span: tuple[int, int]) -> str:
    """PA2020-18(7) where money is asked for or offered near the contact, else the platform's rules."""
    window = folded[max(0, span[0] - _PAID_REACH):span[1] + _PAID_REACH]
    return PAID_DIVERSION if _PAID.search(window) else PLATFORM_RULES


def _found(folded: str, values: bool = True) -> list[Found]:
    """Every contact of a folded text, by position; with `values` False a URL's and an address's value is
    `_LATER` (`_domains`)."""
    starts = _starts(folded) if len(folded) > _SHORT else _starts_short(folded)
    candidates: list[Found] = _domains(folded, starts["DOMAIN"], values, _MANY_DOTS) if "DOMAIN" in starts else []
    sources = int(bool(candidates))
    cues: list[Found] = []
    for kind, pattern in _compiled():
        if kind not in starts:
            continue
        if kind == "CUE":  # last in precedence, and never overlapping one another: set aside (see below)
            cues = [(_CUE_KINDS[str(match.lastgroup)], None, match.span())
                    for match in _matches(pattern, folded, starts[kind], _DENSE_CUES)]
            continue
        before = len(candidates)
        for match in _matches(pattern, folded, starts[kind]):
            read = _value(kind, match)
            if read is not None:
                candidates.append((*read, match.span()))
        sources += len(candidates) > before
    if sources > 1:
        taken = bytearray(len(folded))
        kept = []
        for kind, value, (start, end) in candidates:  # in order of precedence: domains, then KINDS' patterns
            if taken.find(1, start, end) < 0:
                taken[start:end] = b"\x01" * (end - start)
                kept.append((kind, value, (start, end)))
        candidates = sorted(kept, key=lambda contact: contact[2])
    # else the domains, or one pattern's matches: in order, none overlapping another
    if not cues or not candidates:
        return candidates or cues
    # a cue stays where it shares no character with a contact kept before it (one with its value)
    clear = _clear_of(candidates, cues, len(folded))
    return sorted(candidates + clear, key=lambda contact: contact[2]) if clear else candidates


def _clear_of(kept: list[Found], cues: list[Found], size: int) -> list[Found]:
    """The cues that share no character with any of `kept`: per cue by binary search where they are few, for
    all at once with numpy where they are many (a hostile post of cues beside their ids)."""
    if len(cues) <= _FEW_CUES:
        reach = Reach([span for _, _, span in kept])
        return [cue for cue in cues if not reach.overlaps(cue[2])]
    import numpy as np

    marks = np.zeros(size + 1, dtype=np.int64)
    spans = np.array([span for _, _, span in kept], dtype=np.int64).reshape(-1, 2)
    np.add.at(marks, spans[:, 0], 1)
    np.add.at(marks, spans[:, 1], -1)
    covered = np.concatenate([[0], np.cumsum(np.cumsum(marks)[:-1] > 0)])
    asked = np.array([span for _, _, span in cues], dtype=np.int64)
    clear = (covered[asked[:, 1]] - covered[asked[:, 0]] == 0).tolist()
    return [cue for cue, alone in zip(cues, clear, strict=True) if alone]


_FEW_CUES = 32


def hits(text: str, action: str) -> list[Hit]:
    """The contacts in `text` as evidence: code CONTACT_DIVERSION on the contact channel, the ground as
    article, the action the tenant's policy gives (REVIEW by default, REJECT where it chose so)."""
    return [_hit(found, action) for found in find(text)]


def listed(text: str, action: str, per_term: int | None, total: int | None) -> tuple[list[Hit], list[tuple[Hit, int]],
                                                                                     int, int]:
    """`evidence.listed(hits(text, action), per_term, total)`, and how many contacts and kinds there are, with
    a Hit made (and its ground read) only for what is listed: a hostile post may hold thousands of contacts,
    all of one action, found by position and never overlapping, so the listing is by position alone."""
    folded = fold(text)
    every = _found(folded, values=False)
    if not every:
        return [], [], 0, 0
    kinds = [kind for kind, _, _ in every]
    counts = Counter(kinds)
    if per_term is None:
        shown = list(range(len(every)))
    else:  # the first `per_term` of each kind: read until every kind has them, not through every contact
        shown, taken, wanted = [], dict.fromkeys(counts, 0), per_term * len(counts)
        for at, kind in enumerate(kinds):
            if len(shown) == wanted:
                break
            if taken[kind] < per_term:
                taken[kind] += 1
                shown.append(at)

    def hit(at: int) -> Hit:
        kind, value, span = every[at]
        value = _domain_value(folded, kind, span) if value is _LATER else value
        return _hit(Contact(kind, value, span, ground(folded, span)), action)

    heads = sorted((kinds.index(kind), count) for kind, count in counts.items())[:total]
    return [hit(at) for at in shown[:total]], [(hit(at), count) for at, count in heads], len(every), len(counts)


def _hit(found: Contact, action: str) -> Hit:
    return Hit("CONTACT_DIVERSION", "CONTACT_DIVERSION", found.ground, found.span, found.kind, "contact",
               f"contact:{found.kind.lower()}", action, contact=(found.kind, found.value))

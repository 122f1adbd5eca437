"""The decision on one name: hits with code, article, span, channel and entry, and PASS/REVIEW/REJECT.

Rules (PA2020-8, PA2020-18(1)(2), BJ2011-10, PA2017-13):
- A protected name or alias in an account name, nickname or group name → REJECT, unless the
  checking subject is one of its owners. In a description a mention is REVIEW, unless an
  official-sounding affix (官方, 客服, 旗舰店…) stands next to it → REJECT.
- A term → its action (REJECT or REVIEW), unless an allow-list phrase covers it.
- A banned name (an account closed for violations) equal to the text's key → REJECT; inside it
  or one edit away → REVIEW (REREGISTRATION_SIMILAR).
- Pinyin/homophone and near-copy matches → REVIEW: they are evidence, not proof.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from chalicelib.names import tables
from chalicelib.names.index import ALLOW, BANNED, PROTECTED, TERM, Entry, NameIndex
from chalicelib.names.normalize import Normalized, folded, key_of, normalize, normalize_long, skeletal

NAME_FIELDS = {"account_name", "nickname", "group_name"}
PROTECTED_CODES = {
    "STATE_ORGAN": "NAME_IMPERSONATES_ORGAN", "PARTY_ORGAN": "NAME_IMPERSONATES_ORGAN",
    "ENTERPRISE": "NAME_IMPERSONATES_ENTERPRISE", "PUBLIC_INSTITUTION": "NAME_IMPERSONATES_INSTITUTION",
    "MEDIA": "NAME_IMPERSONATES_MEDIA", "PUBLIC_FIGURE": "NAME_IMPERSONATES_PUBLIC_FIGURE",
}
TERM_ARTICLES = {
    "CONSTITUTION": "BJ2011-10(1)", "NATIONAL_SECURITY": "BJ2011-10(2)", "STATE_HONOUR": "BJ2011-10(3)",
    "ETHNIC_HATRED": "BJ2011-10(4)", "RELIGION_SUPERSTITION": "BJ2011-10(5)", "RUMOUR_DISORDER": "BJ2011-10(6)",
    "OBSCENITY_GAMBLING_VIOLENCE": "BJ2011-10(7)", "INSULT_DEFAMATION": "BJ2011-10(8)",
    "ILLEGAL_ASSEMBLY": "BJ2011-10(9)", "ILLEGAL_ORGANIZATION": "BJ2011-10(10)", "OTHER_PROHIBITED": "BJ2011-10(11)",
    "IMPERSONATION": "PA2020-18(2)", "UNLICENSED_NEWS": "PA2020-18(3)", "FALSE_TRAFFIC": "PA2020-18(4)",
    "ONLINE_VIOLENCE": "PA2020-18(5)", "FALSE_INFORMATION": "PA2020-18(6)", "EXTORTION_FRAUD": "PA2020-18(7)",
    "ACCOUNT_TRADING": "PA2020-18(8)",
}
_RANK = {"exact": 0, "normalized": 1, "skeleton": 2, "separator": 3, "pinyin": 4, "similar": 5}


@dataclass(frozen=True)
class Hit:
    code: str
    category: str
    article: str
    span: tuple[int, int]
    term: str
    channel: str
    entry_id: str
    action: str
    affix: str | None = None

    def as_dict(self) -> dict:
        found = {"code": self.code, "category": self.category, "article": self.article, "span": list(self.span),
                 "term": self.term, "channel": self.channel, "entry_id": self.entry_id, "action": self.action}
        if self.affix:
            found["affix"] = self.affix
        return found


@dataclass(frozen=True)
class NameCheck:
    decision: str
    hits: tuple[Hit, ...]
    normalized: Normalized


def _channel(original: str, entry: Entry) -> str:
    if original == entry.surface:
        return "exact"
    if folded(original) == entry.folded:
        return "normalized"
    if skeletal(original) == entry.skeletal:
        return "skeleton"
    return "separator"


@lru_cache(maxsize=1)
def _affix_keys() -> tuple[tuple[str, str], ...]:
    return tuple((affix, key_of(affix)) for affix in tables.builtin()["affixes"])


def _affix_next_to(key: str, start: int, end: int) -> str | None:
    """An official-sounding affix right before or after key[start:end], separators ignored."""
    for affix, affix_key in _affix_keys():
        if key[end:end + len(affix_key)] == affix_key or key[max(0, start - len(affix_key)):start] == affix_key:
            return affix
    return None


def check(index: NameIndex, text: str, field: str, subject_id: str | None, now_iso: str = "") -> NameCheck:
    norm = normalize(text)
    span_of = _spans(norm, text)
    found: list[tuple[Entry, tuple[int, int], str, str | None]] = []
    allowed: list[tuple[int, int]] = []
    for start, end, entry in index.exact(norm.key):
        span = span_of(start, end)
        if entry.kind == ALLOW:
            allowed.append(span)
        elif entry.kind == BANNED and (start, end) != (0, len(norm.key)):
            found.append((entry, span, "contained", None))
        else:
            found.append((entry, span, _channel(text[span[0]:span[1]], entry), _affix_next_to(norm.key, start, end)))
    for start, end, entry in index.homophones(norm.key):
        found.append((entry, span_of(start, end), "pinyin", _affix_next_to(norm.key, start, end)))
    for start, end, entry in index.near_copies(norm.key):
        if entry.kind == PROTECTED or (start, end) == (0, len(norm.key)):
            found.append((entry, span_of(start, end), "similar", _affix_next_to(norm.key, start, end)))
    hits = [_hit(entry, span, channel, affix, field) for entry, span, channel, affix in found
            if not (entry.kind in (PROTECTED, TERM) and any(a <= span[0] and span[1] <= b for a, b in allowed))
            and not (entry.kind == PROTECTED and subject_id and subject_id in entry.owners)
            and not (entry.kind == BANNED and entry.expires_at is not None and entry.expires_at <= now_iso)]
    hits = _strongest(hits)
    decision = "REJECT" if any(h.action == "REJECT" for h in hits) else "REVIEW" if hits else "PASS"
    return NameCheck(decision, tuple(hits), norm)


LONG_TEXT = 256  # characters: past this the C/numpy path of the normalizer and pinyin is faster


def check_text(index: NameIndex, text: str) -> NameCheck:
    """Prohibited terms in a post (BJ2011-10, MB2018-12), through the same normalizer, automata and
    allow-list as names. Protected and banned names are for account names, not post text."""
    long = len(text) > LONG_TEXT
    norm = normalize_long(text) if long else normalize(text)
    span_of = _spans(norm, text)
    found: list[tuple[Entry, tuple[int, int], str]] = []
    allowed: list[tuple[int, int]] = []
    for start, end, entry in (index.exact_long(norm.key) if long else index.exact(norm.key)):
        if entry.kind == ALLOW:
            allowed.append(span_of(start, end))
        elif entry.kind == TERM:
            span = span_of(start, end)
            found.append((entry, span, _channel(text[span[0]:span[1]], entry)))
    for start, end, entry in (index.term_homophones_long(norm.key) if long else
                              index.homophones(norm.key, terms=True)):
        found.append((entry, span_of(start, end), "pinyin"))
    hits = _strongest([_hit(entry, span, channel, None, "content") for entry, span, channel in found
                       if not any(a <= span[0] and span[1] <= b for a, b in allowed)])
    decision = "REJECT" if any(h.action == "REJECT" for h in hits) else "REVIEW" if hits else "PASS"
    return NameCheck(decision, tuple(hits), norm)


def _spans(norm: Normalized, text: str):  # noqa: ANN202
    def span_of(start: int, end: int) -> tuple[int, int]:
        """Key indexes [start, end) as a span of the original text."""
        return int(norm.origin[start]), int(norm.origin[end - 1]) + 1

    return span_of


def _hit(entry: Entry, span: tuple[int, int], channel: str, affix: str | None, field: str) -> Hit:
    weak = channel in ("pinyin", "similar")
    if entry.kind == PROTECTED:
        strict = field in NAME_FIELDS or affix is not None
        action = "REVIEW" if weak or not strict else "REJECT"
        return Hit(PROTECTED_CODES.get(entry.category, "NAME_IMPERSONATES_ORGAN"), entry.category, "PA2020-8", span,
                   entry.label, channel, entry.entry_id, action, affix)
    if entry.kind == BANNED:
        whole = channel not in ("contained", "similar", "pinyin")
        return Hit("REREGISTRATION_SIMILAR", "REREGISTRATION", "PA2017-13", span, entry.label,
                   "normalized" if channel == "contained" else channel, entry.entry_id,
                   "REJECT" if whole else "REVIEW")
    return Hit("PROHIBITED_TERM", entry.category, TERM_ARTICLES.get(entry.category, "BJ2011-10(11)"), span,
               entry.label, channel, entry.entry_id, "REVIEW" if weak else entry.action)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _strongest(hits: list[Hit]) -> list[Hit]:
    """Keep the best evidence: per entry, a pinyin or near-copy hit overlapping a direct hit goes,
    and so does any hit inside a stronger one of the same code. Near-linear: a long post may
    carry thousands of weak hits."""
    weak = ("pinyin", "similar")
    direct: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for hit in hits:
        if hit.channel not in weak:
            direct[hit.entry_id].append(hit.span)
    kept: dict[tuple[str, tuple[int, int]], Hit] = {}
    for hit in hits:
        if hit.channel in weak and any(_overlaps(span, hit.span) for span in direct.get(hit.entry_id, ())):
            continue
        current = kept.get((hit.entry_id, hit.span))
        if current is None or _RANK[hit.channel] < _RANK[current.channel]:
            kept[(hit.entry_id, hit.span)] = hit
    by_code: dict[str, list[Hit]] = defaultdict(list)
    for hit in kept.values():
        by_code[hit.code].append(hit)
    result: list[Hit] = []
    for group in by_code.values():
        # by start, longest first: every hit before one starts no later; the furthest end among them
        # (REJECT ones, or any for a REVIEW hit) says whether it lies inside another
        group.sort(key=lambda h: (h.span[0], -h.span[1]))
        furthest_any = furthest_reject = -1
        for _, same in itertools.groupby(group, key=lambda h: h.span):
            same = list(same)
            end = same[0].span[1]
            result.extend(h for h in same if not (end <= furthest_reject or (h.action == "REVIEW" and end <= furthest_any)))
            furthest_any = max(furthest_any, end)
            if any(h.action == "REJECT" for h in same):
                furthest_reject = max(furthest_reject, end)
    return sorted(result, key=lambda h: (h.span, _RANK[h.channel], h.entry_id))

"""The decision on one name: hits with code, article, span, channel and entry, and PASS/REVIEW/REJECT.

Rules (PA2020-8, PA2020-18(1)(2), BJ2011-10, PA2017-13):
- A protected name or alias in an account name, nickname or group name → REJECT, unless the
  checking subject is one of its owners. In a description a mention is REVIEW, unless an
  official-sounding affix (官方, 客服, 旗舰店…) stands next to it → REJECT.
- A term → its action (REJECT or REVIEW), unless an allow-list phrase covers it.
- A banned name (an account closed for violations) equal to the text's key → REJECT; inside it
  or one edit away → REVIEW (REREGISTRATION_SIMILAR).
- Pinyin/homophone and near-copy matches → REVIEW: they are evidence, not proof.

Which hits stand as evidence is names/evidence.py, shared with the post check (names/post.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from chalicelib.names import evidence, tables
from chalicelib.names.evidence import WEAK, Hit
from chalicelib.names.index import ALLOW, BANNED, PROTECTED, TERM, Entry, NameIndex
from chalicelib.names.normalize import Normalized, folded, key_of, normalize, skeletal

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


@dataclass(frozen=True)
class NameCheck:
    decision: str
    hits: tuple[Hit, ...]
    normalized: Normalized


def channel_of(original: str, entry: Entry) -> str:
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
            found.append((entry, span, channel_of(text[span[0]:span[1]], entry), _affix_next_to(norm.key, start, end)))
    for start, end, entry in index.homophones(norm.key):
        found.append((entry, span_of(start, end), "pinyin", _affix_next_to(norm.key, start, end)))
    for start, end, entry in index.near_copies(norm.key):
        if entry.kind == PROTECTED or (start, end) == (0, len(norm.key)):
            found.append((entry, span_of(start, end), "similar", _affix_next_to(norm.key, start, end)))
    held = _held(allowed, [span for _, span, _, _ in found])
    hits = [hit_for(entry, span, channel, affix, field)
            for (entry, span, channel, affix), allow in zip(found, held, strict=True)
            if not (entry.kind in (PROTECTED, TERM) and allow)
            and not (entry.kind == PROTECTED and subject_id and subject_id in entry.owners)
            and not (entry.kind == BANNED and entry.expires_at is not None and entry.expires_at <= now_iso)]
    hits = evidence.strongest(hits)
    return NameCheck(evidence.decision(hits), tuple(hits), norm)


def _held(allowed: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[bool]:
    """For each span, whether an allow-list phrase holds it whole."""
    reach = evidence.Reach(allowed)
    return [reach.covers(span) for span in spans]


def _spans(norm: Normalized, text: str):  # noqa: ANN202
    def span_of(start: int, end: int) -> tuple[int, int]:
        """Key indexes [start, end) as a span of the original text."""
        return int(norm.origin[start]), int(norm.origin[end - 1]) + 1

    return span_of


def hit_for(entry: Entry, span: tuple[int, int], channel: str, affix: str | None, field: str) -> Hit:
    weak = channel in WEAK
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

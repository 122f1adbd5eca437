"""The decision on one name: hits with code, article, span, channel and entry, and PASS/REVIEW/REJECT.

Rules (PA2020-8, PA2020-18(1)(2), BJ2011-10, PA2017-13):
- A protected name or alias in an account name, nickname or group name → REJECT, unless the
  checking subject is one of its owners. In a description a mention is REVIEW, unless an
  official-sounding affix (官方, 客服, 旗舰店…) stands next to it → REJECT.
- A term → its action (REJECT or REVIEW), unless an allow-list phrase covers it.
- A banned name (an account closed for violations) equal to the text's key → REJECT; inside it
  or one edit away → REVIEW (REREGISTRATION_SIMILAR).
- Pinyin/homophone and near-copy matches → REVIEW: they are evidence, not proof.
- A subject that owns any protected entry with a hit's key (a tenant's own, when a built-in entry
  has the same name) may use it.
- A Latin or number end of a match must not touch a letter (number) of the text: "av" is not in
  "have", "sex" not in "Middlesex", 六四 not in 一九六四; a term may ask for substring matching,
  and other CJK ends match anywhere.

Which hits stand as evidence is names/evidence.py, shared with the post check (names/post.py). A scene
(core/scenes.py) lets only its matches through before the evidence is weighed (`admits`), allow-list phrases
limited to other scenes included, and may set what a term asks for there (`term_hit`: its terms.set_action
rules) and what a protected or banned name asks for (`hit_for`: its names.set_action rules, REVIEW or REJECT; a
reading or near copy stays REVIEW; an owner's own name is no hit, so no rule meets it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from chalicelib.core.scenes import DEFAULT_SCENE, Scene
from chalicelib.names import contact, evidence, tables
from chalicelib.names.evidence import WEAK, Hit
from chalicelib.names.index import ALLOW, BANNED, PROTECTED, TERM, Entry, NameIndex
from chalicelib.names.normalize import Normalized, folded, key_of, normalize, numbers_disguised, on_word_edges, skeletal

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
    seen = normalize(original)
    return "separator" if entry.raw in (seen.raw, seen.key) or seen.key == entry.key else "numeric"


def stands_on_edges(text: str, span: tuple[int, int], entry: Entry) -> bool:
    """A hit's span keeps to word edges, unless its term asked for substring matching."""
    return entry.substring or on_word_edges(text, span[0], span[1])


@lru_cache(maxsize=1)
def _affix_keys() -> tuple[tuple[str, str], ...]:
    return tuple((affix, key_of(affix)) for affix in tables.builtin()["affixes"])


@lru_cache(maxsize=1)
def _affixes_by_length() -> tuple[tuple[int, dict[str, tuple[int, str]]], ...]:
    """The affixes' keys by length, each with its place in the list and its affix."""
    by_length: dict[int, dict[str, tuple[int, str]]] = {}
    for place, (affix, affix_key) in enumerate(_affix_keys()):
        by_length.setdefault(len(affix_key), {}).setdefault(affix_key, (place, affix))
    return tuple(sorted(by_length.items()))


def _affix_next_to(key: str, start: int, end: int) -> str | None:
    """An official-sounding affix right before or after key[start:end], separators ignored: the first in the
    list of those that stand there, found with one look-up per affix length and side."""
    best: tuple[int, str] | None = None
    for length, keys in _affixes_by_length():
        for piece in (key[end:end + length], key[start - length:start] if start >= length else None):
            found = keys.get(piece) if piece is not None else None
            if found is not None and (best is None or found < best):
                best = found
    return best[1] if best else None


def admits(scene: Scene, entry: Entry, channel: str | None = None) -> bool:
    """`entry`, found on `channel` (None: not yet told), counts in `scene`: limited to it (or to none), a term of
    a category and action in force there, a channel on there. An allow-list phrase counts where it is limited to
    (or everywhere), on every channel."""
    if entry.kind == ALLOW:
        return scene.admits(entry.scenes)
    in_force = entry.kind != TERM or scene.in_force(entry.category, entry.action)
    reported = "normalized" if channel == "contained" else channel  # a banned name inside the text
    return scene.admits(entry.scenes) and in_force and (reported is None or scene.on(reported))


def check(index: NameIndex, text: str, field: str, subject_id: str | None, now_iso: str = "",
          contact_action: str | None = None, scene: Scene = DEFAULT_SCENE) -> NameCheck:
    """The decision on `text` in `field` under `scene`; `contact_action` (REVIEW or REJECT, the tenant's policy)
    turns on the contact-diversion channel (names/contact.py)."""
    norm = normalize(text)
    found: list[tuple[Entry, tuple[int, int], str, str | None]] = []
    allowed: list[tuple[int, int]] = []
    # (matches, the key they index, its origins, whether they are the numeric channel's)
    direct = ((index.exact(norm.key), norm.key, norm.origin, False),
              (_numbered(index, norm.raw, "repeat_automaton"), norm.raw, norm.raw_origin, False),
              (_numbered(index, norm.numeric, "numeric_automaton"), norm.raw, norm.raw_origin, True))
    for matches, key, origin, numeric in direct:
        span_of = _spans(origin)
        for start, end, entry in matches:
            span = span_of(start, end)
            channel = "numeric" if numeric else None
            if entry.kind == ALLOW:
                if admits(scene, entry):
                    allowed.append(span)
            elif entry.kind == BANNED and (start, end) != (0, len(key)):
                found.append((entry, span, "contained", None))
            else:
                found.append((entry, span, channel or channel_of(text[span[0]:span[1]], entry),
                               _affix_next_to(key, start, end)))
    raw_span = _spans(norm.raw_origin)
    for start, end, entry in index.homophones(norm.raw):
        found.append((entry, raw_span(start, end), "pinyin", _affix_next_to(norm.raw, start, end)))
    key_span = _spans(norm.origin)
    for start, end, entry in index.near_copies(norm.key):
        if entry.kind == PROTECTED or (start, end) == (0, len(norm.key)):
            found.append((entry, key_span(start, end), "similar", _affix_next_to(norm.key, start, end)))
    found = [match for match in found if admits(scene, match[0], match[2])]
    held = _held(allowed, [span for _, span, _, _ in found])
    hits = [hit_for(entry, span, channel, affix, field, scene)
            for (entry, span, channel, affix), allow in zip(found, held, strict=True)
            if not (entry.kind in (PROTECTED, TERM) and allow)
            and not (entry.kind == PROTECTED and subject_id and _owns(index, subject_id, entry, text, span))
            and not (entry.kind == BANNED and entry.expires_at is not None and entry.expires_at <= now_iso)
            and (channel == "similar" or stands_on_edges(text, span, entry))
            and (channel != "numeric" or numbers_disguised(text, span[0], span[1], entry.raw))]
    hits = evidence.strongest(hits) + (contact.hits(text, contact_action) if contact_action else [])
    hits.sort(key=evidence.evidence_order)
    return NameCheck(evidence.decision(hits), tuple(hits), norm)


def _owns(index: NameIndex, subject_id: str, entry: Entry, text: str, span: tuple[int, int]) -> bool:
    """The subject owns a protected entry with the hit's key, or with the key of what it wrote there (a near
    copy or reading of a built-in name that is exactly the subject's own)."""
    written = normalize(text[span[0]:span[1]])
    return subject_id in index.owners_of(entry.raw, entry.key) | index.owners_of(written.raw, written.key)


def _numbered(index: NameIndex, key: str, automaton: str):  # noqa: ANN202
    for start, end, number in index.exact_numbers(key, automaton):
        yield start, end, index.entry(number)


def _held(allowed: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[bool]:
    """For each span, whether an allow-list phrase holds it whole."""
    reach = evidence.Reach(allowed)
    return [reach.covers(span) for span in spans]


def _spans(origin: tuple[int, ...]):  # noqa: ANN202
    def span_of(start: int, end: int) -> tuple[int, int]:
        """Key indexes [start, end) as a span of the original text."""
        return int(origin[start]), int(origin[end - 1]) + 1

    return span_of


def hit_for(entry: Entry, span: tuple[int, int], channel: str, affix: str | None, field: str,
            scene: Scene = DEFAULT_SCENE) -> Hit:
    weak = channel in WEAK
    if entry.kind == PROTECTED:
        strict = field in NAME_FIELDS or affix is not None
        action = "REVIEW" if weak or not strict else "REJECT"
        return _named(Hit(PROTECTED_CODES.get(entry.category, "NAME_IMPERSONATES_ORGAN"), entry.category,
                          "PA2020-8", span, entry.label, channel, entry.entry_id, action, affix), "protected", scene)
    if entry.kind == BANNED:
        whole = channel not in ("contained", "similar", "pinyin")
        return _named(Hit("REREGISTRATION_SIMILAR", "REREGISTRATION", "PA2017-13", span, entry.label,
                          "normalized" if channel == "contained" else channel, entry.entry_id,
                          "REJECT" if whole else "REVIEW"), "banned", scene)
    return term_hit(entry.category, entry.label, entry.entry_id, entry.action, span, channel, scene)


def _named(hit: Hit, listed: str, scene: Scene) -> Hit:
    """A protected or banned name's hit with the action a names.set_action rule of `scene` sets (the hit names
    the rule and the action the name asks for elsewhere); a weak channel's hit stays REVIEW (PA2020-8)."""
    if not scene.names_set_action or hit.channel in WEAK:
        return hit
    asked, rule = scene.name_action(listed, hit.category, hit.action)
    if rule is None or asked == hit.action:
        return hit
    return replace(hit, action=asked, scene_rule=(scene.label, rule, hit.action))


def term_hit(category: str, label: str, entry_id: str, action: str, span: tuple[int, int], channel: str,
             scene: Scene = DEFAULT_SCENE) -> Hit:
    """A prohibited term's hit: its own action, or the one a set_action rule of `scene` sets (the hit names the
    rule); REVIEW on a weak channel either way (BJ2011-10)."""
    article = TERM_ARTICLES.get(category, "BJ2011-10(11)")
    if channel in WEAK:
        return Hit("PROHIBITED_TERM", category, article, span, label, channel, entry_id, "REVIEW")
    asked, rule = scene.term_action(category, action) if scene.set_action else (action, None)
    return Hit("PROHIBITED_TERM", category, article, span, label, channel, entry_id, asked,
               scene_rule=(scene.label, rule, action) if rule is not None and asked != action else None)

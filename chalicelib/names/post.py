"""The decision on a post's text: prohibited terms (BJ2011-10, MB2018-12) through the same normalizer,
automata and allow-list as names, and the evidence an answer lists.

Near-linear in the text and its hits, however hostile the post (one term repeated, a homophone at
every character, a term at every other one): matches come from automata and array scans as arrays
of entry numbers, the allow-list and the evidence rules (names/evidence.py) are sorts and sweeps
over those arrays, and Python objects are made per distinct entry and per listed hit only. The
decision weighs every hit; the answer lists the first `max_spans_per_term` of each term and
action and `max_spans` in all, by position, and counts every occurrence (policy content.*), so
its size does not grow with the post. Protected and banned names are for account names, not
post text.

Here: the two paths (short posts through translate tables, long ones through numpy) and the answer.
Matches become spans of the text in names/post_spans.py; the hits that stand are weighed in
names/post_hits.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from chalicelib.core.scenes import DEFAULT_SCENE, Scene
from chalicelib.names import contact, evidence
from chalicelib.names.evidence import Hit, evidence_order
from chalicelib.names.index import Matches, NameIndex
from chalicelib.names.normalize import Normalized, normalize
from chalicelib.names.normalize_long import normalize_long
from chalicelib.names.post_hits import PostHits, strongest_few
from chalicelib.names.post_spans import Edges, disguised, in_text

LONG_TEXT = 256  # characters: past this the C/numpy path of the normalizer and pinyin is faster
_DIGIT = re.compile("[0-9]")
FEW_MATCHES = 64  # raw matches: up to this many, Hit objects cost less than numpy's per-call overhead


@dataclass(frozen=True)
class Occurrences:
    """How often one term was found with one action, and how many of those spans the answer lists."""

    entry_id: str
    term: str
    action: str
    count: int
    reported: int

    def as_dict(self) -> dict:
        return {"entry_id": self.entry_id, "term": self.term, "action": self.action, "occurrences": self.count,
                "reported": self.reported}


class TextCheck(NamedTuple):
    """A post's decision, taken on every hit (`counted` of them); `hits` the first of each term and action,
    `occurrences` how many each had; `truncated` when some hit or term was left out. A tuple: made for every
    post, it costs half a frozen dataclass."""

    decision: str
    hits: tuple[Hit, ...]
    normalized: Normalized
    occurrences: tuple[Occurrences, ...] = ()
    truncated: bool = False
    counted: int = 0


def check_text(index: NameIndex, text: str, max_spans_per_term: int | None = None,
               max_spans: int | None = None, contact_action: str | None = None,
               scene_kept: Callable[[Matches, str], Matches] | None = None,
               scene: Scene = DEFAULT_SCENE) -> TextCheck:
    """Prohibited terms in a post, and with `contact_action` (REVIEW or REJECT) contacts that divert users
    off the platform; the answer lists at most `max_spans_per_term` hits of each term and action and
    `max_spans` in all (None: no bound); `scene_kept` keeps a scene's matches (names/scene_hits.py), and
    `scene`'s set_action rules set what its terms ask for."""
    found = _term_check(index, text, max_spans_per_term, max_spans, scene_kept, scene)
    if not contact_action:
        return found
    shown, heads, counted, groups = contact.listed(text, contact_action, max_spans_per_term, max_spans)
    if not counted:
        return found
    extra = _answer("REJECT" if contact_action == "REJECT" else "REVIEW", shown, heads, found.normalized, counted,
                    groups)
    decisions = {found.decision, extra.decision}
    decision = "REJECT" if "REJECT" in decisions else "REVIEW"
    return TextCheck(decision, tuple(sorted(found.hits + extra.hits, key=evidence_order)), found.normalized,
                     found.occurrences + extra.occurrences, found.truncated or extra.truncated,
                     found.counted + extra.counted)


def _term_check(index: NameIndex, text: str, max_spans_per_term: int | None, max_spans: int | None,
                scene_kept: Callable[[Matches, str], Matches] | None = None,
                scene: Scene = DEFAULT_SCENE) -> TextCheck:
    long = len(text) > LONG_TEXT
    norm = normalize_long(text) if long else normalize(text)
    if long:
        # A key that repeats a character meets only a raw key with a repeat (which the collapse then
        # removed), a numeric key only a text with a digit in some form: otherwise those tables are not read.
        none = Matches.of(())
        raws = (index.exact_matches(norm.key),
                index.exact_matches(norm.raw, "repeat_automaton") if norm.raw != norm.key else none,
                index.exact_matches(norm.numeric, "numeric_automaton") if _DIGIT.search(norm.numeric) else none,
                index.term_homophone_matches(norm.raw))
    else:
        each = index.short_post_numbers(norm.key, norm.raw, norm.numeric)
        if not any(each):  # no entry's key or reading in the text (most posts): nothing to weigh
            return TextCheck("PASS", (), norm)
        raws = (Matches.of(each[0]), Matches.of(each[1]), Matches.of(each[2]), Matches.of(each[3]))
    # as spans of the text, each kept to word edges (a Latin term not inside a longer word)
    keyed, repeated, numbered, reading = raws
    edges = Edges(index, text)
    direct = edges.kept(Matches.join([in_text(keyed, norm.origin), in_text(repeated, norm.raw_origin)]))
    numeric = disguised(index, text, edges.kept(in_text(numbered, norm.raw_origin)))
    weak = edges.kept(in_text(reading, norm.raw_origin))
    if scene_kept is not None:  # a scene's matches only (names/scene_hits.py), before the evidence is weighed
        direct, numeric, weak = (scene_kept(direct, "direct"), scene_kept(numeric, "numeric"),
                                 scene_kept(weak, "pinyin"))
    if len(direct.numbers) + len(numeric.numbers) + len(weak.numbers) <= FEW_MATCHES:
        hits = strongest_few(index, text, direct, numeric, weak, scene)
        shown, heads = evidence.listed(hits, max_spans_per_term, max_spans)
        groups = len({(h.entry_id, h.action) for h in hits})
        return _answer(evidence.decision(hits), shown, heads, norm, len(hits), groups)
    found = PostHits(index, text, Matches.join([direct, numeric]), len(direct.numbers), weak, scene)
    kept = evidence.strongest_columns(found.ids, found.codes, found.starts, found.ends, found.weak, found.reject,
                                      found.rank)
    rows, firsts, counts, groups = evidence.listed_columns(found.ids[kept], found.starts[kept], found.ends[kept],
                                                           found.reject[kept], max_spans_per_term, max_spans)
    shown = sorted((found.hit(i) for i in kept[rows].tolist()), key=evidence_order)
    heads = [(found.hit(i), n) for i, n in zip(kept[firsts].tolist(), counts.tolist(), strict=True)]
    decision = "REJECT" if found.reject[kept].any() else "REVIEW" if len(kept) else "PASS"
    return _answer(decision, shown, heads, norm, len(kept), groups)


def _answer(decision: str, shown: list[Hit], heads: list[tuple[Hit, int]], norm: Normalized, counted: int,
            groups: int) -> TextCheck:
    """`counted` hits stood, in `groups` (term, action) groups; `shown` and `heads` are what is listed."""
    listed = Counter((hit.entry_id, hit.action) for hit in shown)
    occurrences = tuple(Occurrences(first.entry_id, first.term, first.action, count,
                                    listed[(first.entry_id, first.action)]) for first, count in heads)
    truncated = len(shown) < counted or len(heads) < groups
    return TextCheck(decision, tuple(shown), norm, occurrences, truncated, counted)

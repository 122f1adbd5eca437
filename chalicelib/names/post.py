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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from chalicelib.core.scenes import DEFAULT_SCENE, Scene
from chalicelib.names import contact, evidence
from chalicelib.names.check import channel_of, hit_for, term_hit
from chalicelib.names.evidence import RANK, Hit, evidence_order
from chalicelib.names.index import ALLOW, ENTRY_FIELDS, TERM, Entry, Matches, NameIndex
from chalicelib.names.normalize import Normalized, normalize, normalize_long, numbers_disguised, word_classes

LONG_TEXT = 256  # characters: past this the C/numpy path of the normalizer and pinyin is faster
_DIGIT = re.compile("[0-9]")
_CATEGORY, _LABEL, _ENTRY_ID, _ACTION = (ENTRY_FIELDS.index(f) for f in ("category", "label", "entry_id", "action"))
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
    edges = _Edges(index, text)
    direct = edges.kept(Matches.join([in_text(keyed, norm.origin), in_text(repeated, norm.raw_origin)]))
    numeric = _disguised(index, text, edges.kept(in_text(numbered, norm.raw_origin)))
    weak = edges.kept(in_text(reading, norm.raw_origin))
    if scene_kept is not None:  # a scene's matches only (names/scene_hits.py), before the evidence is weighed
        direct, numeric, weak = (scene_kept(direct, "direct"), scene_kept(numeric, "numeric"),
                                 scene_kept(weak, "pinyin"))
    if len(direct.numbers) + len(numeric.numbers) + len(weak.numbers) <= FEW_MATCHES:
        hits = _strongest_few(index, text, direct, numeric, weak, scene)
        shown, heads = evidence.listed(hits, max_spans_per_term, max_spans)
        groups = len({(h.entry_id, h.action) for h in hits})
        return _answer(evidence.decision(hits), shown, heads, norm, len(hits), groups)
    found = _PostHits(index, text, Matches.join([direct, numeric]), len(direct.numbers), weak, scene)
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


def in_text(found: Matches, origin: Any) -> Matches:
    """Matches in a key as spans [start, end) of the text, through the key's origins."""
    import numpy as np

    if not len(found.numbers):
        return found
    origin = np.asarray(origin, dtype=np.int64)
    return Matches(origin[found.starts], origin[found.ends - 1] + 1, found.numbers)


class _Edges:
    """The matches whose Latin (digit) ends do not touch a letter (digit) of the text, or whose term asked
    for substring matching (normalize.on_word_edges, all at once); the text's word classes read once."""

    def __init__(self, index: NameIndex, text: str) -> None:
        self.index, self.text = index, text
        self.classes: Any = None

    def kept(self, found: Matches) -> Matches:
        import numpy as np

        if not len(found.numbers):
            return found
        if self.classes is None:  # one past the end: no class
            self.classes = np.append(word_classes(self.text), 0).astype(np.int64)
        return _on_edges(self.index, found, self.classes)


def _on_edges(index: NameIndex, found: Matches, classes: Any) -> Matches:
    import numpy as np

    starts, ends = found.starts, found.ends
    first, last = classes[starts], classes[ends - 1]
    before = np.where(starts > 0, classes[starts - 1], 0)
    inside = ((first > 0) & (before == first)) | ((last > 0) & (classes[ends] == last))
    if not inside.any():
        return found
    numbers, local = np.unique(found.numbers, return_inverse=True)
    substring = np.array(index.field("substring", numbers.tolist()), dtype=bool)[local]
    keep = ~inside | substring
    return Matches(starts[keep], ends[keep], found.numbers[keep])


def _disguised(index: NameIndex, text: str, found: Matches) -> Matches:
    """The numeric matches that are numbers written in another form (normalize.numbers_disguised)."""
    import numpy as np

    if not len(found.numbers):
        return found
    raws = index.field("raw", found.numbers.tolist())
    keep = np.array([numbers_disguised(text, s, e, raw) for s, e, raw in zip(found.starts.tolist(), found.ends.tolist(),
                                                                             raws, strict=True)], dtype=bool)
    return Matches(found.starts[keep], found.ends[keep], found.numbers[keep])


def _strongest_few(index: NameIndex, text: str, direct: Matches, numeric: Matches, weak: Matches,
                   scene: Scene = DEFAULT_SCENE) -> list[Hit]:
    """The hits that stand, as Hit objects throughout: for a post's few matches, cheaper than arrays."""
    allowed: list[tuple[int, int]] = []
    found: list[tuple[Entry, tuple[int, int], str]] = []
    for matches, channel in ((direct, ""), (numeric, "numeric"), (weak, "pinyin")):
        for start, end, number in zip(*(column.tolist() for column in matches), strict=True):
            entry, span = index.entry(number), (start, end)
            if channel != "pinyin" and entry.kind == ALLOW:
                allowed.append(span)
            elif channel == "pinyin" or entry.kind == TERM:
                found.append((entry, span, channel or channel_of(text[span[0]:span[1]], entry)))
    allow = evidence.Reach(allowed)
    return evidence.strongest([hit_for(entry, span, channel, None, "content", scene) for entry, span, channel in found
                               if not allow.covers(span)])


class _PostHits:
    """A post's term hits as columns (see names/evidence.py), spans in the original text, allow-listed
    ones left out. One code (PROHIBITED_TERM); a pinyin hit is weak and REVIEW, a direct one has its
    term's action. Entries, channels and Hit objects are made only for the hits listed, and a direct
    hit's channel also where it decides which of two hits of one entry id on one span stays (entries
    sharing an id). A scene's set_action rules set a direct hit's action (core/scenes.py)."""

    def __init__(self, index: NameIndex, text: str, direct: Matches, plain: int, weak: Matches,
                 scene: Scene = DEFAULT_SCENE) -> None:
        import numpy as np

        numbers, local = np.unique(np.concatenate([direct.numbers, weak.numbers]), return_inverse=True)
        self.index, self.numbers = index, numbers.tolist()
        self.made: dict[int, Hit] = {}
        self.listing: tuple[list[int], list[int], list[int]] | None = None
        self.flags: tuple[list[bool], list[bool]] | None = None
        columns = index.columns()  # the entries' kinds, actions and id ranks as arrays, made once per index
        kind = columns["kind"][numbers]
        starts = np.concatenate([direct.starts, weak.starts]).astype(np.int64)
        ends = np.concatenate([direct.ends, weak.ends]).astype(np.int64)
        is_weak = np.arange(len(local)) >= len(direct.numbers)
        is_numeric = (np.arange(len(local)) >= plain) & ~is_weak
        allow = ~is_weak & (kind[local] == columns["kinds"].index(ALLOW))
        keep = np.flatnonzero(is_weak | (kind[local] == columns["kinds"].index(TERM)))
        keep = keep[~evidence.covered_columns(starts[allow], ends[allow], starts[keep], ends[keep])]
        self.local, self.starts, self.ends, self.weak = local[keep], starts[keep], ends[keep], is_weak[keep]
        self.numeric = is_numeric[keep]
        self.ids = columns["id_rank"][numbers][self.local]  # a number per entry id, in entry id order
        self.codes = np.zeros(len(keep), dtype=np.int64)
        self.scene = scene
        self.reject = ~self.weak & self._rejects(columns, numbers)[self.local]
        self.text = text
        self.channels: dict[tuple, str] = {}
        self.rank = np.where(self.weak, RANK["pinyin"], 0)
        direct_hits = np.flatnonzero(~self.weak)
        for i in direct_hits[_shared(self.ids[direct_hits], self.starts[direct_hits], self.ends[direct_hits])]:
            self.rank[i] = RANK[self.channel(int(i))]

    def channel(self, i: int) -> str:
        if self.flags is None:
            self.flags = (self.weak.tolist(), self.numeric.tolist())
        if self.flags[0][i]:
            return "pinyin"
        if self.flags[1][i]:
            return "numeric"
        span, entry = (int(self.starts[i]), int(self.ends[i])), self._entry(i)
        # once per span and spelling: many entries may share a key, a span may cross a long run of separators
        memo = (span, entry.surface, entry.folded, entry.skeletal)
        if memo not in self.channels:
            self.channels[memo] = channel_of(self.text[span[0]:span[1]], entry)
        return self.channels[memo]

    def hit(self, i: int) -> Hit:
        found = self.made.get(i)
        if found is None:  # a term's hit (hit_for), read off its row: no Entry made where the channel is known
            if self.listing is None:  # Python ints, once: reading numpy scalars one by one costs more
                self.listing = (self.local.tolist(), self.starts.tolist(), self.ends.tolist())
            local, starts, ends = self.listing
            row = self.index.rows[self.numbers[local[i]]]
            found = self.made[i] = term_hit(row[_CATEGORY], row[_LABEL], row[_ENTRY_ID], row[_ACTION],
                                            (starts[i], ends[i]), self.channel(i), self.scene)
        return found

    def _rejects(self, columns: dict[str, Any], numbers: Any) -> Any:
        """Per distinct entry matched, whether it asks for REJECT: its own action, or the scene's rule."""
        import numpy as np

        if not self.scene.set_action:
            return columns["reject"][numbers]
        rows = [self.index.rows[number] for number in self.numbers]
        return np.array([self.scene.term_action(row[_CATEGORY], row[_ACTION])[0] == "REJECT" for row in rows],
                        dtype=bool)

    def _entry(self, i: int) -> Entry:
        return self.index.entry(self.numbers[self.local[i]])


def _shared(ids: Any, starts: Any, ends: Any) -> Any:
    """Which rows share (id, start, end) with another row."""
    import numpy as np

    order = np.lexsort((ends, starts, ids))
    first = evidence.firsts(ids[order], starts[order], ends[order])
    alone = first & np.append(first[1:], True)  # a group of one: the next row starts another
    shared = np.zeros(len(ids), dtype=bool)
    shared[order[~alone]] = True
    return shared

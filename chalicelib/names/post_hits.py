"""The hits that stand among a post's matches (names/post.py): for a few, as Hit objects throughout; for many
(a hostile post), as columns of arrays the evidence rules sweep (names/evidence.py), with Entry and Hit objects
made only for the hits an answer lists."""

from __future__ import annotations

from typing import Any

from chalicelib.core.scenes import DEFAULT_SCENE, Scene
from chalicelib.names import evidence
from chalicelib.names.check import channel_of, hit_for, term_hit
from chalicelib.names.evidence import RANK, Hit
from chalicelib.names.index import ALLOW, ENTRY_FIELDS, TERM, Entry, Matches, NameIndex

_CATEGORY, _LABEL, _ENTRY_ID, _ACTION = (ENTRY_FIELDS.index(f) for f in ("category", "label", "entry_id", "action"))


def strongest_few(index: NameIndex, text: str, direct: Matches, numeric: Matches, weak: Matches,
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


class PostHits:
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

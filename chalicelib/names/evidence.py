"""Which hits stand as evidence, and how many a post's answer lists.

The rules, as the name and post checks apply them:

- an allow-list phrase that holds a hit whole suppresses it;
- per entry, a weak hit (pinyin, near copy) that overlaps a direct hit goes;
- per entry and span, the strongest channel stays (the first found among equals);
- per code, a hit inside a REJECT hit goes, and a REVIEW hit inside any hit goes;
- the answer is ordered by span, channel and entry.

Each is a sort and a sweep (a running furthest end, looked up by binary search), never a
comparison of every hit with every other: a post built of one term repeated carries tens of
thousands of hits, and the check must still answer in time (MB2018-12: stop transmission).
Two forms of the same rules: on Hit objects, for a name's few hits, and on columns of numpy
arrays (`*_columns`), for a post's many, where a row is entry (a number per entry_id, in
entry_id order), code, span [start, end) in the original text, weak, reject and rank. A
property test holds the two equal to a pairwise reference.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

RANK = {"exact": 0, "normalized": 1, "skeleton": 2, "separator": 3, "numeric": 4, "pinyin": 5, "similar": 6,
        "contact": 7}
WEAK = ("pinyin", "similar")


@dataclass(frozen=True)
class Hit:
    """One piece of evidence: what was found (code, category, article, term, entry), where (span in the
    original text), how (channel) and what it asks for (action)."""

    code: str
    category: str
    article: str
    span: tuple[int, int]
    term: str
    channel: str
    entry_id: str
    action: str
    affix: str | None = None
    contact: tuple[str, str | None] | None = None  # contact diversion: (kind, value or None), names/contact.py
    scene_rule: tuple[str, str, str] | None = None  # (scene, rule field, the term's own action): a scene set `action`

    def as_dict(self) -> dict:
        found: dict = {"code": self.code, "category": self.category, "article": self.article,
                       "span": list(self.span), "term": self.term, "channel": self.channel, "entry_id": self.entry_id,
                       "action": self.action}
        if self.affix:
            found["affix"] = self.affix
        if self.contact:
            found["contact"] = {"kind": self.contact[0], "value": self.contact[1],
                                "ground": "PAID_DIVERSION" if self.article != "PLATFORM_RULES" else "PLATFORM_RULES"}
        if self.scene_rule:
            found["scene_rule"] = dict(zip(("scene", "rule", "original_action"), self.scene_rule, strict=True))
        return found


def evidence_order(hit: Hit) -> tuple:
    return hit.span, RANK[hit.channel], hit.entry_id


class Reach:
    """Spans sorted by start, with the furthest end reached so far: whether any span starting before a
    point ends past another is one binary search."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.furthest = list(itertools.accumulate((end for _, end in spans), max))

    def _furthest(self, count: int) -> int:
        return self.furthest[count - 1] if count else -1

    def covers(self, span: tuple[int, int]) -> bool:
        """Some span holds `span` whole: it starts no later and ends no earlier."""
        return self._furthest(bisect_right(self.starts, span[0])) >= span[1]

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Some span shares a character with `span`: it starts before its end and ends after its start."""
        return self._furthest(bisect_left(self.starts, span[1])) > span[0]


def strongest(hits: list[Hit]) -> list[Hit]:
    """The hits that stand, in evidence order."""
    direct: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for hit in hits:
        if hit.channel not in WEAK:
            direct[hit.entry_id].append(hit.span)
    reach = {entry_id: Reach(spans) for entry_id, spans in direct.items()}
    kept: dict[tuple[str, tuple[int, int]], Hit] = {}
    for hit in hits:
        if hit.channel in WEAK and hit.entry_id in reach and reach[hit.entry_id].overlaps(hit.span):
            continue
        current = kept.get((hit.entry_id, hit.span))
        if current is None or RANK[hit.channel] < RANK[current.channel]:
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
        for _, run in itertools.groupby(group, key=lambda h: h.span):
            same = list(run)
            end = same[0].span[1]
            result.extend(h for h in same
                          if not (end <= furthest_reject or (h.action == "REVIEW" and end <= furthest_any)))
            furthest_any = max(furthest_any, end)
            if any(h.action == "REJECT" for h in same):
                furthest_reject = max(furthest_reject, end)
    return sorted(result, key=evidence_order)


def listed(hits: list[Hit], per_term: int | None, total: int | None) -> tuple[list[Hit], list[tuple[Hit, int]]]:
    """Of the hits that stand (in evidence order), what an answer lists: the first `per_term` of each
    entry and action, at most `total` in all; and per entry and action its first hit and how many
    there are, at most `total` of them. Past `total`, REJECT ones go first, then by place (span,
    entry id): per action and REJECT first, so that what decided is always among what is listed."""
    groups: dict[tuple[str, str], list] = {}
    shown: list[Hit] = []
    for hit in hits:
        group = groups.setdefault((hit.entry_id, hit.action), [hit, 0])
        group[1] += 1
        if per_term is None or group[1] <= per_term:
            shown.append(hit)
    shown = sorted(shown, key=_listing_order)[:total]
    heads = sorted(((first, count) for first, count in groups.values()), key=lambda group: _listing_order(group[0]))
    return sorted(shown, key=evidence_order), heads[:total]


def _listing_order(hit: Hit) -> tuple:
    return hit.action != "REJECT", hit.span, hit.entry_id


def decision(hits: list[Hit]) -> str:
    return "REJECT" if any(h.action == "REJECT" for h in hits) else "REVIEW" if hits else "PASS"


def covered_columns(allow_starts: Any, allow_ends: Any, starts: Any, ends: Any) -> Any:
    """For each span, whether some allowed span starts no later and ends no earlier."""
    import numpy as np

    if not len(allow_starts) or not len(starts):
        return np.zeros(len(starts), dtype=bool)
    order = np.argsort(allow_starts, kind="stable")
    furthest = np.maximum.accumulate(allow_ends[order])
    before = np.searchsorted(allow_starts[order], starts, side="right")
    return (before > 0) & (furthest[np.maximum(before - 1, 0)] >= ends)


def strongest_columns(entries: Any, codes: Any, starts: Any, ends: Any, weak: Any, reject: Any, rank: Any) -> Any:
    """`strongest` on columns: the indexes of the hits that stand, in no particular order."""
    import numpy as np

    alive = np.flatnonzero(~_weak_under_direct(entries, starts, ends, weak))
    # one per entry and span: lowest rank, then the first found
    order = alive[np.lexsort((alive, rank[alive], ends[alive], starts[alive], entries[alive]))]
    kept = order[firsts(entries[order], starts[order], ends[order])]
    # per code, by start, longest first: every hit before a span's group starts no later and is no
    # shorter, and the furthest end among them (REJECT ones, or any for a REVIEW hit) says whether
    # the span lies inside another. Offsetting ends by code keeps one running maximum per code.
    order = kept[np.lexsort((-ends[kept], starts[kept], codes[kept]))]
    offset = codes[order] * (int(ends.max(initial=0)) + 1)
    end = ends[order] + offset
    group = np.maximum.accumulate(np.where(firsts(codes[order], starts[order], ends[order]),
                                           np.arange(len(order)), 0))
    furthest_any = np.maximum.accumulate(end)
    furthest_reject = np.maximum.accumulate(np.where(reject[order], end, -1))
    earlier = np.maximum(group - 1, 0)
    has_earlier = group > 0
    inside_reject = has_earlier & (end <= furthest_reject[earlier])
    inside_any = has_earlier & (end <= furthest_any[earlier])
    return order[~(inside_reject | (~reject[order] & inside_any))]


def _weak_under_direct(entries: Any, starts: Any, ends: Any, weak: Any) -> Any:
    """Weak hits that share a character with a direct hit of their entry. Direct hits sorted by
    (entry, start), with the furthest end so far: the last one starting before a weak hit's end
    tells whether any reaches past its start. Offsetting by entry keeps one maximum per entry."""
    import numpy as np

    gone = np.zeros(len(entries), dtype=bool)
    direct, loose = np.flatnonzero(~weak), np.flatnonzero(weak)
    if not len(direct) or not len(loose):
        return gone
    size = int(ends.max()) + 1
    direct = direct[np.lexsort((starts[direct], entries[direct]))]
    begins = entries[direct] * size + starts[direct]
    furthest = np.maximum.accumulate(entries[direct] * size + ends[direct])
    base = entries[loose] * size
    before = np.searchsorted(begins, base + ends[loose], side="left")
    gone[loose] = (before > 0) & (furthest[np.maximum(before - 1, 0)] > base + starts[loose])
    return gone


def firsts(*columns: Any) -> Any:
    """Rows (sorted) that differ from the row before in some column."""
    import numpy as np

    first = np.ones(len(columns[0]), dtype=bool)
    first[1:] = False
    for column in columns:
        first[1:] |= column[1:] != column[:-1]
    return first


def listed_columns(entries: Any, starts: Any, ends: Any, reject: Any, per_term: int | None,
                   total: int | None) -> tuple[Any, Any, Any, int]:
    """`listed` on the columns of the hits that stand: the rows listed, the first row of each (entry,
    reject) group listed and its size, and how many groups there are."""
    import numpy as np

    order = np.lexsort((ends, starts, reject, entries))
    heads = np.flatnonzero(firsts(entries[order], reject[order]))
    counts = np.diff(np.append(heads, len(order)))
    position = np.arange(len(order)) - np.repeat(heads, counts)
    shown = order if per_term is None else order[position < per_term]
    shown = shown[np.lexsort((entries[shown], ends[shown], starts[shown], ~reject[shown]))][:total]
    first = order[heads]
    by_place = np.lexsort((entries[first], ends[first], starts[first], ~reject[first]))[:total]
    return shown, first[by_place], counts[by_place], len(heads)

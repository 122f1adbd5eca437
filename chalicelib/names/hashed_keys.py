"""Keys looked up by polynomial hash for long texts, all positions at once (numpy).

Keys are grouped by a prefix code; a position whose code is some key's prefix is hashed once per distinct
key length among that prefix's keys, and the (prefix, length, hash) triples that exist are confirmed
point by point, so a collision costs a comparison, never a wrong match. A cheap filter (a bit per hashed
prefix code) leaves out, before any binary search, the positions whose code is no key's prefix: most of
an ordinary post.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chalicelib.names.matches import Matches, ranges

PAIRS_AT_ONCE = 1 << 20  # (position, key) pairs confirmed in one slice of a long text
_FILTER_MULTIPLIER = 0xD6E8FEB86659FD93  # odd: spreads prefix codes over the filter's slots
HASH_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64: numpy's uint64 arithmetic wraps there

class HashedKeys:
    """Keys grouped by a prefix code, looked up by hash: a candidate position (its prefix code is some
    key's) is hashed once per distinct length among that prefix's keys, whatever their number, and
    the (prefix, length, hash) triples that exist are confirmed point by point (so a collision costs
    a comparison, never a wrong match). Key k is spelled points[at[k]:at[k + 1]] and found as entries
    numbers[owned[k]:owned[k + 1]]; matching is array work, never a loop over positions or keys."""

    def __init__(self, grouped: dict[int, list[tuple[tuple[int, ...], list[int]]]]) -> None:
        import numpy as np

        self.codes = np.array(sorted(grouped), dtype=np.int64)
        keys = [key for code in self.codes.tolist() for key in grouped[code]]
        self.lengths = np.array([len(points) for points, _ in keys], dtype=np.int64)
        self.at = np.cumsum(np.concatenate([[0], self.lengths])).astype(np.int64)
        self.points = np.array([p for points, _ in keys for p in points], dtype=np.int64)
        self.owned = np.cumsum([0] + [len(numbers) for _, numbers in keys]).astype(np.int64)
        self.numbers = np.array([n for _, numbers in keys for n in numbers], dtype=np.int64)
        # a slot per (prefix, key length); slots of prefix i are slot_first[i]:slot_first[i + 1]
        slots = [sorted({len(points) for points, _ in grouped[code]}) for code in self.codes.tolist()]
        self.slot_first = np.cumsum([0] + [len(lengths) for lengths in slots]).astype(np.int64)
        self.slot_length = np.array([m for lengths in slots for m in lengths], dtype=np.int64)
        slot_of = {(i, m): n for n, (i, m) in enumerate((i, m) for i, lengths in enumerate(slots) for m in lengths)}
        prefix_of = np.repeat(np.arange(len(slots)), [len(grouped[code]) for code in self.codes.tolist()])
        key_slot = np.array([slot_of[(i, m)] for i, m in zip(prefix_of.tolist(), self.lengths.tolist(), strict=True)],
                            dtype=np.uint64)
        values = _slotted(self._hashes(), key_slot)
        order = np.argsort(values, kind="stable")  # keys of one value stay in key order
        self.values, first = np.unique(values[order], return_index=True)
        self.value_first = np.append(first, len(order)).astype(np.int64)
        self.value_keys = order.astype(np.int64)
        # a bit per hashed prefix code, about 16 slots per code: most positions of a post leave here
        bits = max(10, (16 * len(self.codes)).bit_length())
        self.filter_shift = np.uint64(64 - bits)
        self.present = np.zeros(1 << bits, dtype=bool)
        self.present[self._filtered(self.codes)] = True

    def _filtered(self, codes: Any) -> Any:
        import numpy as np

        return ((codes.astype(np.uint64) * np.uint64(_FILTER_MULTIPLIER)) >> self.filter_shift).astype(np.intp)

    def _hashes(self) -> Any:
        import numpy as np

        hashes = np.zeros(len(self.lengths), dtype=np.uint64)
        for length in np.unique(self.lengths).tolist():
            keys = np.flatnonzero(self.lengths == length)
            rows = self.points[self.at[keys][:, None] + np.arange(length)[None, :]].astype(np.uint64)
            hashes[keys] = horner(rows)
        return hashes

    def matches(self, points: Any, codes: Any, confirmed: int) -> Matches:
        """Every key at every position whose code is a key's prefix code; the first `confirmed` points
        are known to agree (the code says so). Positions go in slices of about PAIRS_AT_ONCE (position,
        length) pairs, so memory stays bounded."""
        import numpy as np

        # the filter first, then (codes are sorted and unique) one binary search per position left says
        # whether and which
        maybe = np.flatnonzero(self.present[self._filtered(codes)])
        at = np.minimum(_search(self.codes, codes[maybe]), len(self.codes) - 1)
        agree = self.codes[at] == codes[maybe]
        candidates, prefix = maybe[agree], at[agree]
        counts = self.slot_first[prefix + 1] - self.slot_first[prefix]
        up, down = _rolling_powers(len(points) + 1)
        spelled = points.astype(np.uint64)
        rolling = np.zeros(len(points) + 1, dtype=np.uint64)  # rolling[i] = sum points[k] * B**(i-1-k)
        rolling[1:] = up[:len(points)] * np.cumsum(spelled * down[:len(points)])
        cuts = np.searchsorted(np.cumsum(counts), np.arange(PAIRS_AT_ONCE, int(counts.sum()), PAIRS_AT_ONCE))
        parts = [self._found(points, rolling, up, candidates[a:b], prefix[a:b], counts[a:b], confirmed)
                 for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), len(candidates)], strict=True)]
        return parts[0] if len(parts) == 1 else Matches.join(parts)

    def _found(self, points: Any, rolling: Any, up: Any, candidates: Any, prefix: Any, counts: Any,
               confirmed: int) -> Matches:
        import numpy as np

        starts, slots = np.repeat(candidates, counts), ranges(self.slot_first[prefix], counts)
        length = self.slot_length[slots]
        fits = starts + length <= len(points)
        starts, slots, length = starts[fits], slots[fits], length[fits]
        values = _slotted(rolling[starts + length] - rolling[starts] * up[length], slots.astype(np.uint64))
        at = np.minimum(_search(self.values, values), max(len(self.values) - 1, 0))
        known = np.flatnonzero(self.values[at] == values) if len(self.values) else np.zeros(0, dtype=np.int64)
        counts = self.value_first[at[known] + 1] - self.value_first[at[known]]
        starts = np.repeat(starts[known], counts)
        keys = self.value_keys[ranges(self.value_first[at[known]], counts)]
        keys, starts = self._confirmed(points, starts, keys, confirmed)
        order = np.lexsort((keys, starts))  # by start, then in key order: as the automaton lists them
        starts, keys = starts[order], keys[order]
        counts = self.owned[keys + 1] - self.owned[keys]
        starts = np.repeat(starts, counts)
        return Matches(starts, starts + np.repeat(self.lengths[keys], counts),
                       self.numbers[ranges(self.owned[keys], counts)])

    def _confirmed(self, points: Any, starts: Any, keys: Any, column: int) -> tuple[Any, Any]:
        """The (key, start) pairs whose points all agree, compared one column at a time."""
        import numpy as np

        done_keys, done_starts = [], []
        while len(keys):
            longer = self.lengths[keys] > column
            done_keys.append(keys[~longer])
            done_starts.append(starts[~longer])
            keys, starts = keys[longer], starts[longer]
            same = points[starts + column] == self.points[self.at[keys] + column]
            keys, starts, column = keys[same], starts[same], column + 1
        return (np.concatenate(done_keys) if done_keys else keys), (np.concatenate(done_starts) if done_starts
                                                                     else starts)


def _search(haystack: Any, needles: Any) -> Any:
    """`np.searchsorted(haystack, needles)`, the needles taken in order where they are many: binary searches
    in random order miss the cache at every step, in order they walk the same paths (at 5,000 hashes into
    14,000 keys, the sort and the searches take half the time of the searches alone)."""
    import numpy as np

    if len(needles) < _SEARCH_SORTED:
        return np.searchsorted(haystack, needles)
    order = np.argsort(needles)
    found = np.empty(len(needles), dtype=np.intp)
    found[order] = np.searchsorted(haystack, needles[order])
    return found


_SEARCH_SORTED = 512  # needles from which sorting them first pays


def _slotted(hashes: Any, slots: Any) -> Any:
    """A key's or window's hash mixed with its slot, so one sorted array answers every slot."""
    import numpy as np

    return hashes ^ (slots * np.uint64(0xC2B2AE3D27D4EB4F))


@lru_cache(maxsize=4)
def _rolling_powers_of(count: int) -> tuple[Any, Any]:
    """B**k and B**-k modulo 2**64 for k < count, by cumulative products (numpy's uint64 wraps)."""
    import numpy as np

    up = np.ones(count, dtype=np.uint64)
    down = np.ones(count, dtype=np.uint64)
    up[1:] = np.cumprod(np.full(count - 1, HASH_BASE, dtype=np.uint64))
    down[1:] = np.cumprod(np.full(count - 1, pow(HASH_BASE, -1, 1 << 64), dtype=np.uint64))
    return up, down


def _rolling_powers(length: int) -> tuple[Any, Any]:
    return _rolling_powers_of(max(64, 1 << length.bit_length()))



def horner(codes: Any) -> Any:
    """Row hashes of a 2-D array of code points: sum of c[i] * B**(width-1-i), modulo 2**64."""
    import numpy as np

    hashes = np.zeros(len(codes), dtype=np.uint64)
    for column in codes.T:
        hashes = hashes * np.uint64(HASH_BASE) + column
    return hashes

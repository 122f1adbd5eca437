"""Exact keys of the name index as one dictionary: key → entry number (or numbers).

For the normalized keys and the readings of protected and banned names (names/spelling.py), nearly all of an
index's keys. A name is short: every window as long as some key is looked up, and a reading matches whole
syllables only, so for readings the pieces from one syllable boundary to another. The dictionary is made in
C from the artifact's key list and number arrays, with no per-key Python tuple, where compiling an automaton
of these keys was most of what loading a 100k-name index cost; it holds no containers for the cyclic
collector to walk either."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any


class KeyTable:
    def __init__(self, keys: list[str], counts: Any, numbers: Any) -> None:
        """`numbers` (a vector) holds each key's entry numbers in turn, `counts[k]` of them for key k. A key of
        one entry maps to its number, a key of several to -1 - k (its numbers are read on a hit): every value
        an int made in C."""
        import numpy as np

        self.counts, self.numbers = counts, numbers
        self.starts = np.cumsum(counts) - counts
        values = np.where(counts == 1, numbers[self.starts] if len(keys) else counts, -1 - np.arange(len(keys)))
        self.values: dict[str, int] = dict(zip(keys, values.tolist(), strict=True))
        if len(self.values) != len(keys):
            raise ValueError("a key stored twice")
        lengths = np.unique(np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))).tolist() if keys else []
        self.lengths: tuple[int, ...] = tuple(sorted(lengths, reverse=True))

    def _numbers(self, found: int) -> tuple[int, ...]:
        if found >= 0:
            return (found,)
        start = int(self.starts[-1 - found])
        return tuple(self.numbers[start:start + int(self.counts[-1 - found])].tolist())

    @classmethod
    def of(cls, keyed: dict[str, list[int]]) -> KeyTable | None:
        import numpy as np

        if not keyed:
            return None
        keys = list(keyed)
        counts = np.array([len(keyed[key]) for key in keys], dtype=np.int32)
        return cls(keys, counts, np.array([n for key in keys for n in keyed[key]], dtype=np.int32))

    def __len__(self) -> int:
        return len(self.values)

    def get(self, key: str) -> tuple[int, ...]:
        found = self.values.get(key)
        return () if found is None else self._numbers(found)

    def items(self) -> Iterator[tuple[str, tuple[int, tuple[int, ...]]]]:
        """(key, (its length, entry numbers)), in the order the keys were given: an automaton's items."""
        for key, found in self.values.items():
            yield key, (len(key), self._numbers(found))

    def stored(self) -> tuple[list[str], Any, Any]:
        """(keys, counts, numbers) as `__init__` takes them back."""
        import numpy as np

        return list(self.values), np.asarray(self.counts, dtype=np.int32), np.asarray(self.numbers, dtype=np.int32)

    def matches(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, entry number) of every key inside `text`, by end, the longest first (as an
        Aho-Corasick automaton lists them): every window as long as some key is looked up."""
        get = self.values.get
        for end in range(1, len(text) + 1):
            for length in self.lengths:
                if length > end:
                    continue
                found = get(text[end - length:end])
                if found is not None:
                    for number in self._numbers(found):
                        yield end - length, end, number

    def whole(self, spelled: str, bounds: list[int]) -> Iterator[tuple[int, int, int]]:
        """(bound index of the start, of the end, entry number) of every key that is spelled[bounds[i]:
        bounds[j]] for i < j: keys made of whole pieces (a reading's syllables), by end, longest first."""
        get, lengths = self.values.get, frozenset(self.lengths)
        longest = self.lengths[0] if self.lengths else 0
        for j in range(1, len(bounds)):
            end = bounds[j]
            for i in range(bisect_left(bounds, end - longest, 0, j), j):
                size = end - bounds[i]
                found = get(spelled[bounds[i]:end]) if size in lengths else None
                if found is None:
                    continue
                for number in self._numbers(found):
                    yield i, j, number

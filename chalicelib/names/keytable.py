"""Exact keys of the name index as one dictionary: key → entry number (or numbers).

For the normalized keys and the readings of protected and banned names (names/spelling.py), nearly all of an
index's keys. A name is short: every window as long as some key is looked up, and a reading matches whole
syllables only, so for readings the pieces from one syllable boundary to another. The dictionary is made in
C from the artifact's key list and number arrays, with no per-key Python tuple, where compiling an automaton
of these keys was most of what loading a 100k-name index cost; it holds no containers for the cyclic
collector to walk either."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any

PREFIX, LONGEST_PREFIX = 3, 5  # characters of a key's beginning that say whether a window may be one


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
        # Keys of `prefix` characters or more by their first `prefix` (PREFIX, or up to LONGEST_PREFIX where
        # every key is that long: readings): a window is looked up only where some key begins so (a text's
        # positions rarely do), the shorter keys at every position.
        self.prefix = max(PREFIX, min(LONGEST_PREFIX, lengths[0])) if lengths else PREFIX
        self.prefixes = frozenset(key[:self.prefix] for key in keys if len(key) >= self.prefix)
        self.short = tuple(m for m in self.lengths if m < self.prefix)
        self.long = tuple(sorted((m for m in self.lengths if m >= self.prefix), reverse=True))

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
        Aho-Corasick automaton lists them)."""
        firsts = self.__dict__.get("_firsts")
        if firsts is None:  # the characters some key begins with, on first use (not at load)
            found = frozenset(key[0] for key in self.values)
            # one character class of them: the scan for where a window may begin runs in C
            firsts = self.__dict__["_firsts"] = (found, re.compile(f"[{re.escape(''.join(sorted(found)))}]"))
        if firsts[0].isdisjoint(text):  # most texts hold none of a small lexicon's first characters
            return
        starts = [found.start() for found in firsts[1].finditer(text)]  # no window begins anywhere else
        yield from sorted(self._windows(text, starts), key=lambda found: (found[1], found[0]))

    def whole(self, spelled: str, bounds: list[int]) -> Iterator[tuple[int, int, int]]:
        """(bound index of the start, of the end, entry number) of every key that is spelled[bounds[i]:
        bounds[j]] for i < j: keys made of whole pieces (a reading's syllables), by end, longest first. Only
        starts where some key begins so are tried, up to the longest key back from each end."""
        get, lengths, prefixes, prefix = self.values.get, frozenset(self.lengths), self.prefixes, self.prefix
        longest = self.lengths[0] if self.lengths else 0
        begins = [i for i, bound in enumerate(bounds[:-1]) if spelled[bound:bound + prefix] in prefixes or self.short]
        for j in range(1, len(bounds)):
            end = bounds[j]
            for i in begins[bisect_left(begins, bisect_left(bounds, end - longest, 0, j)):bisect_left(begins, j)]:
                found = get(spelled[bounds[i]:end]) if end - bounds[i] in lengths else None
                if found is not None:
                    for number in self._numbers(found):
                        yield i, j, number

    def _windows(self, text: str, starts: Iterable[int]) -> Iterator[tuple[int, int, int]]:
        """(start, end, entry number) of the keys beginning at `starts`, in no particular order."""
        get, prefixes, size = self.values.get, self.prefixes, len(text)
        for start in starts:
            lengths = self.long + self.short if text[start:start + self.prefix] in prefixes else self.short
            for length in lengths:
                if start + length > size:
                    continue
                found = get(text[start:start + length])
                if found is not None:
                    for number in self._numbers(found):
                        yield start, start + length, number

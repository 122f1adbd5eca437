"""Long texts (posts): every key of a table found by its first characters, checked at every position at
once with numpy (pyahocorasick walks a node's children one by one, which is slow for Chinese, where the
root alone has thousands), then confirmed by hash and point by point (names/hashed_keys.py); terms by
reading, syllable by syllable, the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from chalicelib.names import tables
from chalicelib.names.codepoints import CodeTable, points_of
from chalicelib.names.hashed_keys import HashedKeys
from chalicelib.names.index_entry import MIN_PINYIN_LETTERS, MIN_TERM_SYLLABLES
from chalicelib.names.matches import Matches, ranges


class PrefixTable:
    """Long texts: every key of an automaton found by its first `width` characters, checked for all
    positions at once with numpy (pyahocorasick walks a node's children one by one, which is slow
    for Chinese, where the root alone has thousands), then confirmed character by character, also
    for all candidates at once."""

    def __init__(self, width: int, base: int, by_prefix: dict[str, list[tuple[str, Any]]]) -> None:
        import numpy as np

        self.width, self.base = width, base
        grouped: dict[int, list[tuple[tuple[int, ...], list[int]]]] = {}
        singles: dict[int, list[int]] = {}
        for prefix, keys in by_prefix.items():
            if len(prefix) == width:
                grouped[self._code(prefix)] = [(tuple(map(ord, key)), list(numbers)) for key, numbers in keys]
            else:  # a shorter key never fills a window: single characters are looked up by code point
                for key, numbers in keys:
                    singles.setdefault(ord(key), []).extend(numbers)
        self.keys = HashedKeys(grouped)
        self.single_codes = np.array(sorted(singles), dtype=np.int64)
        self.single_owned = np.cumsum([0] + [len(singles[c]) for c in sorted(singles)]).astype(np.int64)
        self.single_numbers = np.array([n for c in sorted(singles) for n in singles[c]], dtype=np.int64)

    @classmethod
    def of(cls, table: Any, width: int, base: int) -> PrefixTable:
        """The prefix table of a key table's keys (names/keytable.py)."""
        by_prefix: dict[str, list[tuple[str, Any]]] = {}
        for key, (_, numbers) in (table.items() if table is not None else ()):
            by_prefix.setdefault(key[:width], []).append((key, numbers))
        return cls(width, base, by_prefix)

    def _code(self, prefix: str) -> int:
        value = 0
        for char in prefix:
            value = value * self.base + ord(char)
        return value

    def matches(self, text: str) -> Matches:
        """Every key inside `text`, by start: (start, end, entry number) rows."""
        import numpy as np

        points = points_of(text).astype(np.int64)
        found = [self._singles(points)] if len(self.single_codes) and len(points) else []
        if len(text) >= self.width and len(self.keys.codes):
            count = len(points) - self.width + 1
            codes = points[:count].copy()
            for k in range(1, self.width):
                codes = codes * self.base + points[k:k + count]
            found.append(self.keys.matches(points, codes, self.width))
        if not found:
            return Matches.of(())
        if len(found) == 1:
            return found[0]
        joined = Matches.join(found)
        order = np.argsort(joined.starts, kind="stable")
        return Matches(joined.starts[order], joined.ends[order], joined.numbers[order])

    def _singles(self, points: Any) -> Matches:
        import numpy as np

        at = np.minimum(np.searchsorted(self.single_codes, points), len(self.single_codes) - 1)
        starts = np.flatnonzero(self.single_codes[at] == points)
        first = self.single_owned[at[starts]]
        counts = self.single_owned[at[starts] + 1] - first
        starts = np.repeat(starts, counts)
        return Matches(starts, starts + 1, self.single_numbers[ranges(first, counts)])


_LETTER_RUN = re.compile(f"[a-z]{{{MIN_PINYIN_LETTERS},}}")
_NOT_LETTERS = ord("|")  # in no pinyin key: the automaton never matches across it


def letter_run_in(key: str) -> bool:
    return _LETTER_RUN.search(key) is not None


def letter_runs(key: str) -> str:
    """`key` with every character outside a run of MIN_PINYIN_LETTERS letters or more made a `|`, so one
    automaton pass finds what a pass over each run finds, at the same indexes."""
    import numpy as np

    points = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32)
    letter = (points >= ord("a")) & (points <= ord("z"))
    edges = np.flatnonzero(np.diff(np.concatenate([[False], letter, [False]]).astype(np.int8)))
    keep = np.zeros(len(points) + 1, dtype=np.int8)
    for_runs = edges.reshape(-1, 2)
    long_runs = for_runs[for_runs[:, 1] - for_runs[:, 0] >= MIN_PINYIN_LETTERS]
    np.add.at(keep, long_runs[:, 0], 1)
    np.add.at(keep, long_runs[:, 1], -1)
    masked = np.where(np.cumsum(keep[:-1]) > 0, points, _NOT_LETTERS).astype(np.uint32)
    return masked.tobytes().decode("utf-32-le")


@lru_cache(maxsize=1)
def _syllable_numbers() -> dict[str, int]:
    """Every toneless reading of the reading table, numbered from 1 (under 4096: three fit a code)."""
    return {reading: n for n, reading in enumerate(sorted(set(tables.pinyin().values())), start=1)}


# codepoint → its reading's number, 0 for a character without a reading: one gather per post
_syllables = CodeTable(lambda char: _syllable_numbers().get(tables.pinyin().get(char, ""), 0))


class ReadingTable:
    """Terms of three syllables or more, found in a long text by the readings of its characters:
    each character becomes its syllable's number, every window of three is checked at once with
    numpy, and the candidates are confirmed syllable by syllable, also all at once. Same readings,
    whole characters."""

    def __init__(self, terms: list[tuple[str, int]]) -> None:
        readings, numbers_of = tables.pinyin(), _syllable_numbers()
        grouped: dict[tuple[int, ...], list[int]] = {}
        for key, number in terms:
            if len(key) < MIN_TERM_SYLLABLES or any(c not in readings for c in key):
                continue
            ids = tuple(numbers_of[readings[c]] for c in key)
            grouped.setdefault(ids, []).append(number)
        by_prefix: dict[int, list[tuple[tuple[int, ...], list[int]]]] = {}
        for ids, numbers in grouped.items():
            by_prefix.setdefault(self._code(ids), []).append((ids, numbers))
        self.keys = HashedKeys(by_prefix)

    @staticmethod
    def _code(ids: tuple[int, ...]) -> int:
        return (ids[0] << 24) | (ids[1] << 12) | ids[2]

    def matches(self, key: str) -> Matches:
        import numpy as np

        if len(key) < 3 or not len(self.keys.codes):
            return Matches.of(())
        ids = _syllables.gather(key).astype(np.int64)
        codes = (ids[:-2] << 24) | (ids[1:-1] << 12) | ids[2:]
        return self.keys.matches(ids, codes, 3)


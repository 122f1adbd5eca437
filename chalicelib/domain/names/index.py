"""The compiled name index: every entry's key in Aho-Corasick automata, plus a near-copy index.

- One automaton over normalized keys finds protected names, aliases, terms, allow-list
  phrases and banned names in a single pass over the text, whatever their number.
- One automaton over pinyin finds homophones and names typed in pinyin (protected names and
  banned names of two or more Han characters).
- Near copies (one character changed, inserted or dropped) use a symmetric-deletion index
  (SymSpell's idea): every key and its one-character deletions map back to the entry, and a
  text substring is looked up with its own deletions, so the cost depends on the text, not on
  how many names there are. Keys of three characters only match an insertion; substitution
  on so short a key would flag too many ordinary names.

The index is built once per lexicon version and pickled as an artifact (see services/names.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.names import tables
from chalicelib.domain.names.normalize import folded, key_of, skeletal, translate_collapsed

PROTECTED, TERM, ALLOW, BANNED = "PROTECTED", "TERM", "ALLOW", "BANNED"
MIN_KEY_LENGTH = 2
MIN_TERM_SYLLABLES = 3
MIN_PINYIN_LETTERS = 5
SUBSTITUTION_MIN_LENGTH = 4


@dataclass(frozen=True)
class Entry:
    entry_id: str
    kind: str
    surface: str          # as written: the name, alias, term or phrase
    label: str            # what a hit reports: the protected name, the term
    category: str         # protected kind (STATE_ORGAN…) or term category
    action: str           # REJECT or REVIEW
    owners: tuple[str, ...] = ()
    key: str = ""
    folded: str = ""
    skeletal: str = ""
    expires_at: str | None = None   # banned names: the ban ends then (PA2017-13 leaves the period open)


def make_entry(entry_id: str, kind: str, surface: str, label: str, category: str, action: str,
               owners: tuple[str, ...] = (), expires_at: str | None = None) -> Entry:
    return Entry(entry_id, kind, surface, label, category, action, owners, key_of(surface), folded(surface),
                 skeletal(surface), expires_at)


@dataclass(frozen=True)
class Found:
    """One raw match: which entry, where in the key, and how."""

    entry: Entry
    start: int            # key index, inclusive
    end: int              # key index, exclusive
    channel: str


def pinyin_of(key: str) -> tuple[str, tuple[int, ...]]:
    """The key spelled in toneless pinyin, and for each letter the key index it came from."""
    readings = tables.pinyin()
    letters: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(key):
        for letter in readings.get(char, char if char.isascii() and char.isalpha() else ""):
            # Repeats collapse as in the normalizer, so typed "zhonggong" (key "zhongong") meets 中共.
            if letters and letters[-1] == letter:
                continue
            letters.append(letter)
            origin.append(index)
    return "".join(letters), tuple(origin)


class _Spelling(dict):  # type: ignore[type-arg]
    """codepoint → toneless pinyin ("" for what has no reading), filled as str.translate meets characters."""

    def __init__(self, lengths: bool) -> None:
        super().__init__()
        self.lengths = lengths

    def __missing__(self, code: int) -> str:
        char = chr(code)
        spelled = tables.pinyin().get(char, char if char.isascii() and char.isalpha() else "")
        self[code] = chr(len(spelled)) if self.lengths else spelled
        return self[code]


_spelled, _spelled_lengths = _Spelling(lengths=False), _Spelling(lengths=True)


def pinyin_long(key: str) -> tuple[str, Any]:
    """`pinyin_of` for long keys, through str.translate and numpy: the same letters; origins as an array."""
    letters, origin, _ = translate_collapsed(key, _spelled, _spelled_lengths)
    return letters, origin


class PrefixTable:
    """Long texts: every key of an automaton found by its first `width` characters, checked for all
    positions at once with numpy (pyahocorasick walks a node's children one by one, which is slow
    for Chinese, where the root alone has thousands), then confirmed with `startswith`."""

    def __init__(self, width: int, base: int, by_prefix: dict[str, list[tuple[str, Any]]]) -> None:
        import numpy as np

        self.width, self.base, self.by_prefix = width, base, by_prefix
        self.codes = np.unique(np.array([self._code(p) for p in by_prefix], dtype=np.int64))

    @classmethod
    def of(cls, automaton: Any, width: int, base: int) -> PrefixTable:
        by_prefix: dict[str, list[tuple[str, Any]]] = {}
        for key, (_, numbers) in (automaton.items() if automaton is not None else ()):
            by_prefix.setdefault(key[:width], []).append((key, numbers))
        return cls(width, base, by_prefix)

    def _code(self, prefix: str) -> int:
        value = 0
        for char in prefix:
            value = value * self.base + ord(char)
        return value

    def matches(self, text: str) -> Iterator[tuple[int, int, Any]]:
        """(start, end, the automaton's value) of every key inside `text`, by start."""
        import numpy as np

        if len(text) < self.width or not len(self.codes):
            return
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        count = len(points) - self.width + 1
        codes = points[:count].copy()
        for k in range(1, self.width):
            codes = codes * self.base + points[k:k + count]
        for start in np.flatnonzero(np.isin(codes, self.codes, assume_unique=False)).tolist():
            for key, numbers in self.by_prefix[text[start:start + self.width]]:
                if text.startswith(key, start):
                    yield start, start + len(key), numbers


_LETTER_RUN = re.compile(f"[a-z]{{{MIN_PINYIN_LETTERS},}}")


class _SyllableIds(dict):  # type: ignore[type-arg]
    """codepoint → chr(syllable number), 0 for a character without a reading; for str.translate."""

    def __init__(self, numbers: dict[str, int]) -> None:
        super().__init__()
        self.numbers = numbers

    def __missing__(self, code: int) -> str:
        reading = tables.pinyin().get(chr(code))
        self[code] = chr(self.numbers.get(reading, 0) if reading else 0)
        return self[code]


class ReadingTable:
    """Terms of three syllables or more, found in a long text by the readings of its characters:
    each character becomes its syllable's number, every window of three is checked at once with
    numpy, and a candidate is confirmed syllable by syllable. Same readings, whole characters."""

    def __init__(self, terms: list[tuple[str, int]]) -> None:
        import numpy as np

        readings = tables.pinyin()
        self.numbers: dict[str, int] = {}
        self.by_prefix: dict[tuple[int, ...], list[tuple[tuple[int, ...], list[int]]]] = {}
        grouped: dict[tuple[int, ...], list[int]] = {}
        for key, number in terms:
            if len(key) < MIN_TERM_SYLLABLES or any(c not in readings for c in key):
                continue
            ids = tuple(self.numbers.setdefault(readings[c], len(self.numbers) + 1) for c in key)
            grouped.setdefault(ids, []).append(number)
        for ids, numbers in grouped.items():
            self.by_prefix.setdefault(ids[:3], []).append((ids, numbers))
        self.codes = np.unique(np.array([self._code(p) for p in self.by_prefix], dtype=np.int64))
        self.translation = _SyllableIds(self.numbers)

    @staticmethod
    def _code(ids: tuple[int, ...]) -> int:
        return (ids[0] << 24) | (ids[1] << 12) | ids[2]

    def matches(self, key: str) -> Iterator[tuple[int, int, list[int]]]:
        import numpy as np

        if len(key) < 3 or not len(self.codes):
            return
        ids = np.frombuffer(key.translate(self.translation).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        codes = (ids[:-2] << 24) | (ids[1:-1] << 12) | ids[2:]
        for start in np.flatnonzero(np.isin(codes, self.codes)).tolist():
            for term_ids, numbers in self.by_prefix[tuple(ids[start:start + 3].tolist())]:
                if tuple(ids[start:start + len(term_ids)].tolist()) == term_ids:
                    yield start, start + len(term_ids), numbers


def deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


def within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


_ENTRY_FIELDS = tuple(Entry.__dataclass_fields__)


@dataclass
class NameIndex:
    """Entries are kept as plain tuples: they unpickle several times faster than dataclass
    instances, and unpickling is what loading an artifact costs."""

    rows: list[tuple]
    version: str
    automaton: object = None
    pinyin_automaton: object = None
    term_pinyin_automaton: object = None  # prohibited terms by reading: posts only (names keep terms exact)
    near: dict[str, int | tuple[int, ...]] = field(default_factory=dict)
    near_lengths: tuple[int, ...] = ()

    def entry(self, number: int) -> Entry:
        return Entry(*self.rows[number])

    @classmethod
    def build(cls, entries: list[Entry], version: str) -> NameIndex:
        import ahocorasick

        kept = [e for e in entries if len(e.key) >= MIN_KEY_LENGTH]
        index = cls([tuple(getattr(e, f) for f in _ENTRY_FIELDS) for e in kept], version)
        by_key: dict[str, list[int]] = {}
        by_pinyin: dict[str, list[int]] = {}
        terms_by_pinyin: dict[str, list[int]] = {}
        near: dict[str, set[int]] = {}
        readings = tables.pinyin()
        for number, entry in enumerate(kept):
            by_key.setdefault(entry.key, []).append(number)
            spelled, _ = pinyin_of(entry.key)
            readable = len(spelled) >= MIN_PINYIN_LETTERS and sum(c in readings for c in entry.key) >= 2
            # By reading, only terms of three syllables or more: two-syllable readings are shared by too
            # many ordinary words for a post of thousands of characters.
            if entry.kind == TERM and readable and sum(c in readings for c in entry.key) >= MIN_TERM_SYLLABLES:
                terms_by_pinyin.setdefault(spelled, []).append(number)
            if entry.kind not in (PROTECTED, BANNED):
                continue
            if readable:
                by_pinyin.setdefault(spelled, []).append(number)
            if len(entry.key) >= 3:
                variants = {entry.key} | (deletions(entry.key) if len(entry.key) >= SUBSTITUTION_MIN_LENGTH else set())
                for variant in variants:
                    near.setdefault(variant, set()).add(number)
        index.automaton = _automaton(ahocorasick, by_key)
        index.pinyin_automaton = _automaton(ahocorasick, by_pinyin)
        index.term_pinyin_automaton = _automaton(ahocorasick, terms_by_pinyin)
        # Most variants belong to one entry: a bare int instead of a 1-tuple halves the objects to load.
        index.near = {variant: min(numbers) if len(numbers) == 1 else tuple(sorted(numbers))
                      for variant, numbers in near.items()}
        lengths = {len(kept[n].key) for numbers in near.values() for n in numbers}
        index.near_lengths = tuple(sorted({n + d for n in lengths for d in (-1, 0, 1) if n + d >= 3}))
        return index

    def exact_long(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """`exact` for long texts (posts), through a prefix table built on first use."""
        table = self.__dict__.get("_exact_table") or self.__dict__.setdefault(
            "_exact_table", PrefixTable.of(self.automaton, MIN_KEY_LENGTH, 0x110000))
        for start, end, numbers in table.matches(key):
            for number in numbers:
                yield start, end, self.entry(number)

    def term_homophones_long(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """Terms by reading in a long text (`homophones(terms=True)`): Han characters compared syllable by
        syllable through a reading table built on first use; runs of typed pinyin letters through the
        reading automaton, run by run."""
        table = self.__dict__.get("_reading_table") or self.__dict__.setdefault("_reading_table", ReadingTable(
            [(e.key, n) for n, e in enumerate(map(self.entry, range(len(self.rows)))) if e.kind == TERM]))
        for start, end, numbers in table.matches(key):
            for number in numbers:
                yield start, end, self.entry(number)
        for run in _LETTER_RUN.finditer(key):
            for start, end, entry in self.homophones(run.group(), terms=True):
                yield run.start() + start, run.start() + end, entry

    def exact(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """(start, end, entry) of every entry key inside `key`."""
        if self.automaton is None or not key:
            return
        for end, (length, numbers) in self.automaton.iter(key):
            for number in numbers:
                yield end - length + 1, end + 1, self.entry(number)

    def homophones(self, key: str, *, long: bool = False, terms: bool = False) -> Iterator[tuple[int, int, Entry]]:
        """Entries whose reading is spelled inside `key`'s: protected and banned names, or (`terms`) terms."""
        automaton = self.term_pinyin_automaton if terms else self.pinyin_automaton
        if automaton is None:
            return
        spelled, origin = pinyin_long(key) if long else pinyin_of(key)
        if not spelled:
            return
        for end, (length, numbers) in automaton.iter(spelled):
            start = end - length + 1
            first, last = int(origin[start]), int(origin[end])
            # Only whole characters: a match must start and end on a syllable boundary.
            if (start > 0 and int(origin[start - 1]) == first) or (end + 1 < len(origin) and int(origin[end + 1]) == last):
                continue
            for number in numbers:
                yield first, last + 1, self.entry(number)

    def near_copies(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """Substrings of `key` one edit away from an entry's key (but not equal to it)."""
        lookup = self.near.get
        size = len(key)
        for length in self.near_lengths:
            for start in range(size - length + 1):
                piece = key[start:start + length]
                found = [lookup(piece)] + [lookup(piece[:cut] + piece[cut + 1:]) for cut in range(length)]
                candidates = {number for numbers in found if numbers is not None
                              for number in (numbers if isinstance(numbers, tuple) else (numbers,))}
                for number in candidates:
                    entry_key = self.rows[number][_KEY]
                    if piece == entry_key or not within_one_edit(piece, entry_key):
                        continue
                    if len(entry_key) < SUBSTITUTION_MIN_LENGTH and length != len(entry_key) + 1:
                        continue
                    yield start, start + length, self.entry(number)


_KEY = _ENTRY_FIELDS.index("key")


def _automaton(ahocorasick: object, keyed: dict[str, list[int]]) -> object:
    if not keyed:
        return None
    automaton = ahocorasick.Automaton()  # type: ignore[attr-defined]
    for key, numbers in keyed.items():
        automaton.add_word(key, (len(key), tuple(numbers)))
    automaton.make_automaton()
    return automaton

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

from collections.abc import Iterator
from dataclasses import dataclass, field

from chalicelib.domain.names import tables
from chalicelib.domain.names.normalize import folded, key_of, skeletal

PROTECTED, TERM, ALLOW, BANNED = "PROTECTED", "TERM", "ALLOW", "BANNED"
MIN_KEY_LENGTH = 2
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
        near: dict[str, set[int]] = {}
        readings = tables.pinyin()
        for number, entry in enumerate(kept):
            by_key.setdefault(entry.key, []).append(number)
            if entry.kind not in (PROTECTED, BANNED):
                continue
            spelled, _ = pinyin_of(entry.key)
            if len(spelled) >= MIN_PINYIN_LETTERS and sum(c in readings for c in entry.key) >= 2:
                by_pinyin.setdefault(spelled, []).append(number)
            if len(entry.key) >= 3:
                variants = {entry.key} | (deletions(entry.key) if len(entry.key) >= SUBSTITUTION_MIN_LENGTH else set())
                for variant in variants:
                    near.setdefault(variant, set()).add(number)
        index.automaton = _automaton(ahocorasick, by_key)
        index.pinyin_automaton = _automaton(ahocorasick, by_pinyin)
        # Most variants belong to one entry: a bare int instead of a 1-tuple halves the objects to load.
        index.near = {variant: min(numbers) if len(numbers) == 1 else tuple(sorted(numbers))
                      for variant, numbers in near.items()}
        lengths = {len(kept[n].key) for numbers in near.values() for n in numbers}
        index.near_lengths = tuple(sorted({n + d for n in lengths for d in (-1, 0, 1) if n + d >= 3}))
        return index

    def exact(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """(start, end, entry) of every entry key inside `key`."""
        if self.automaton is None or not key:
            return
        for end, (length, numbers) in self.automaton.iter(key):
            for number in numbers:
                yield end - length + 1, end + 1, self.entry(number)

    def homophones(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        if self.pinyin_automaton is None:
            return
        spelled, origin = pinyin_of(key)
        if not spelled:
            return
        for end, (length, numbers) in self.pinyin_automaton.iter(spelled):
            start = end - length + 1
            first, last = origin[start], origin[end]
            # Only whole characters: a match must start and end on a syllable boundary.
            if (start > 0 and origin[start - 1] == first) or (end + 1 < len(origin) and origin[end + 1] == last):
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

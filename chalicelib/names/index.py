"""The compiled name index: every entry's key in key tables, plus a near-copy index.

- A key table (names/keytable.py) finds protected names, aliases, terms, allow-list phrases and banned names
  on the normalized key; Aho-Corasick automata the entries that repeat a character on the raw key and those
  written with numbers on the numeric key (names/index_build.py says which entry goes where); posts go
  through prefix tables built from them on first use (names/prefix_table.py), all positions at once.
- Readings find homophones and names typed in pinyin (names/spelling.py): the raw key spelled in toneless
  pinyin, matched on whole characters only, through a key table (names/keytable.py).
- Near copies (one character changed, inserted or dropped) through hashed deletions (names/near_copies.py).

The index is built once per lexicon and stored as an artifact of numpy arrays and JSON
(names/index_artifact.py, core/artifacts.py): no pickle is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from chalicelib.names.index_artifact import artifact_of, fields_of
from chalicelib.names.index_build import compiled
from chalicelib.names.index_entry import (  # noqa: F401 - the index's vocabulary, imported from here
    ALLOW,
    BANNED,
    ENTRY_FIELDS,
    MIN_KEY_LENGTH,
    MIN_PINYIN_LETTERS,
    MIN_TERM_SYLLABLES,
    PROTECTED,
    SUBSTITUTION_MIN_LENGTH,
    TERM,
    Entry,
    Found,
    make_entry,
)
from chalicelib.names.keytable import KeyTable
from chalicelib.names.matches import Matches
from chalicelib.names.near_copies import near_matches, within_one_edit  # noqa: F401
from chalicelib.names.prefix_table import PrefixTable, ReadingTable, letter_run_in, letter_runs
from chalicelib.names.spelling import numeric_of, pinyin_letters, pinyin_long, pinyin_of  # noqa: F401

# what every key of an automaton holds: a character repeated (raw keys), a digit (numeric keys); a text
# without it is not read (names/index_build.py)
_NEEDS = {"repeat_automaton": re.compile(r"(.)\1"), "numeric_automaton": re.compile("[0-9]")}
_KEY, _RAW, _OWNERS, _KIND, _ENTRY_ID, _ACTION = (ENTRY_FIELDS.index(name) for name in (
    "key", "raw", "owners", "kind", "entry_id", "action"))


@dataclass
class NameIndex:
    """Entries are kept as plain tuples: cheaper to hold and to restore from an artifact than
    dataclass instances."""

    rows: list[tuple]
    version: str
    automaton: Any = None            # entries on the normalized key: a key table (names/keytable.py)
    repeat_automaton: Any = None     # pyahocorasick (no type stubs): entries repeating a character, on the raw key
    numeric_automaton: Any = None    # entries written with numbers, on the numeric key
    pinyin_automaton: Any = None     # protected and banned names by reading: a key table (names/keytable.py)
    term_pinyin_automaton: Any = None  # prohibited terms by reading (Aho-Corasick): posts only
    near_hashes: Any = None          # near copies: hashes of keys and their deletions, sorted (numpy uint64)
    near_entries: Any = None         # the entry number of each hash
    near_buckets: Any = None         # hashes whose top `near_bits` bits are b: near_buckets[b]:near_buckets[b + 1]
    near_bits: int = 0
    near_lengths: tuple[int, ...] = ()  # window lengths worth hashing

    def entry(self, number: int) -> Entry:
        return Entry(*self.rows[number])

    def field(self, name: str, numbers: list[int]) -> list[Any]:
        """One field of several entries, read off the rows without making an Entry of each."""
        at = ENTRY_FIELDS.index(name)
        return [self.rows[n][at] for n in numbers]

    def columns(self) -> dict[str, Any]:
        """Per entry as numpy arrays, made on first use (a post's hits are weighed on them): `kind` (an index
        into `kinds`), `reject` (its action is REJECT) and `id_rank` (its entry id's rank among the ids)."""
        found = self.__dict__.get("_columns")
        if found is None:
            import numpy as np

            kinds = (PROTECTED, TERM, ALLOW, BANNED)
            ids = sorted({row[_ENTRY_ID] for row in self.rows})
            rank = {entry_id: n for n, entry_id in enumerate(ids)}
            found = self.__dict__.setdefault("_columns", {
                "kinds": kinds, "kind": np.array([kinds.index(row[_KIND]) for row in self.rows], dtype=np.int8),
                "reject": np.array([row[_ACTION] == "REJECT" for row in self.rows], dtype=bool),
                "id_rank": np.array([rank[row[_ENTRY_ID]] for row in self.rows], dtype=np.int64)})
        return found

    @classmethod
    def build(cls, entries: list[Entry], version: str) -> NameIndex:
        rows, parts = compiled(entries)
        return cls(rows, version, **parts)

    def to_artifact(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The index as an artifact (names/index_artifact.py)."""
        return artifact_of(self, set(NameIndex.__dataclass_fields__))

    @classmethod
    def from_artifact(cls, doc: dict[str, Any], arrays: dict[str, Any], version: str) -> NameIndex:
        """The index `to_artifact` stored, at `version`; ValueError (or another error) when it is not one."""
        rows, parts = fields_of(doc, arrays)
        return cls(rows, version, **parts)

    def exact_long(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """`exact` for long texts (posts), through a prefix table built on first use."""
        yield from self._entries(self.exact_matches(key))

    def exact_matches(self, key: str, automaton: str = "automaton") -> Matches:
        """`exact_long` (long texts) as arrays of entry numbers; `automaton` names which keys (the
        repeat or numeric table's, on the raw or numeric key)."""
        name = f"_{automaton}_table"
        table = self.__dict__.get(name) or self.__dict__.setdefault(
            name, PrefixTable.of(getattr(self, automaton), 2, 0x110000))
        return table.matches(key)

    def owners_of(self, raw: str, key: str) -> set[str]:
        """Owners of every protected entry with this key (raw form and collapsed): owning a tenant's entry
        exempts from a built-in one of the same name, which has no owners (PA2020-8)."""
        if raw == key:
            numbers = self.automaton.get(raw) if self.automaton is not None else ()
        else:
            found = self.repeat_automaton.get(raw, None) if self.repeat_automaton is not None else None
            numbers = found[1] if found else ()
        return {owner for n in numbers for owner in self.rows[n][_OWNERS] if self.rows[n][_KIND] == PROTECTED}

    def term_homophones_long(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """Terms by reading in a long text (`homophones(terms=True)`): Han characters compared syllable by
        syllable through a reading table built on first use; runs of typed pinyin letters through the
        reading automaton, all runs in one pass."""
        yield from self._entries(self.term_homophone_matches(key))

    def term_homophone_matches(self, key: str) -> Matches:
        """`term_homophones_long` as arrays of entry numbers; `key` is the raw key."""
        table = self.__dict__.get("_reading_table") or self.__dict__.setdefault("_reading_table", ReadingTable(
            [(row[_RAW], n) for n, row in enumerate(self.rows) if row[_KIND] == TERM]))
        found = table.matches(key)
        if self.term_pinyin_automaton is None or not letter_run_in(key):
            return found
        # a key's letters are their own reading
        typed = Matches.of((end - length + 1, end + 1, number)
                           for end, (length, numbers) in self.term_pinyin_automaton.iter(letter_runs(key))
                           for number in numbers)
        return Matches.join([found, typed])

    def _entries(self, found: Matches) -> Iterator[tuple[int, int, Entry]]:
        for start, end, number in zip(*(column.tolist() for column in found), strict=True):
            yield start, end, self.entry(number)

    def exact(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """(start, end, entry) of every entry key inside `key`."""
        for start, end, number in self.exact_numbers(key):
            yield start, end, self.entry(number)

    def exact_numbers(self, key: str, automaton: str = "automaton") -> Iterator[tuple[int, int, int]]:
        """(start, end, entry number) of every entry key inside `key` (of the repeat automaton's keys in a
        raw key, of the numeric automaton's in a numeric key)."""
        if key and automaton in _NEEDS and not _NEEDS[automaton].search(key):
            return iter(())
        return iter(_listed(getattr(self, automaton), key))

    def short_post_numbers(self, key: str, raw: str, numeric: str) -> tuple[list[tuple[int, int, int]], ...]:
        """A short post's `exact_numbers` in its key, raw key (repeat automaton: only when the raw key repeats
        a character, that is differs from the key) and numeric key, and the terms' `homophone_numbers` in
        its raw key, as lists, in one call."""
        return (_listed(self.automaton, key), _listed(self.repeat_automaton, raw) if raw != key else [],
                _listed(self.numeric_automaton, numeric) if _NEEDS["numeric_automaton"].search(numeric) else [],
                list(self.homophone_numbers(raw, terms=True)))

    def homophones(self, key: str, *, long: bool = False, terms: bool = False) -> Iterator[tuple[int, int, Entry]]:
        """Entries whose reading is spelled inside the raw key's: protected and banned names, or (`terms`)
        terms."""
        for start, end, number in self.homophone_numbers(key, long=long, terms=terms):
            yield start, end, self.entry(number)

    def homophone_numbers(self, key: str, *, long: bool = False, terms: bool = False) -> Iterator[tuple[int, int, int]]:
        """`homophones`, as (start, end, entry number): only whole characters, a match starts and ends on a
        syllable boundary."""
        table = self.term_pinyin_automaton if terms else self.pinyin_automaton
        if table is None:
            return
        found: Iterable[tuple[int, tuple[int, tuple[int, ...]]]] = ()
        if terms and not long:  # a short text's letters first: their origins only where some term's reading is
            spelled = pinyin_letters(key)  # spelled (few posts)
            found = list(table.iter(spelled)) if spelled else []
            if not found:
                return
            origin = list(pinyin_of(key)[1])
        else:
            spelled, origins = pinyin_long(key) if long else pinyin_of(key)
            if not spelled:
                return
            origin = list(map(int, origins))
            found = table.iter(spelled) if terms else ()
        if not terms:  # a key table: only windows from boundary to boundary are looked up
            bounds = [0, *(i for i in range(1, len(origin)) if origin[i] != origin[i - 1]), len(origin)]
            for i, j, number in table.whole(spelled, bounds):
                yield origin[bounds[i]], origin[bounds[j] - 1] + 1, number
            return
        for end, (length, numbers) in found:
            start = end - length + 1
            first, last = origin[start], origin[end]
            if (start > 0 and origin[start - 1] == first) or (end + 1 < len(origin) and origin[end + 1] == last):
                continue
            yield from ((first, last + 1, number) for number in numbers)

    def near_copies(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """Substrings of `key` one edit away from an entry's key, but not equal to it (names/near_copies.py)."""
        for start, end, number in near_matches(self, key, lambda n: self.rows[n][_KEY]):
            yield start, end, self.entry(number)


def _listed(found: Any, key: str) -> list[tuple[int, int, int]]:
    """(start, end, entry number) of every key of one table (a KeyTable or an automaton) inside `key`, as a list:
    `NameIndex.exact_numbers` and a short post's lookups in one call both read through it."""
    if found is None or not key:
        return []
    if isinstance(found, KeyTable):
        return list(found.matches(key))
    return [(end - length + 1, end + 1, number) for end, (length, numbers) in found.iter(key) for number in numbers]

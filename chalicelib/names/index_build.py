"""Compiling a lexicon into the name index's parts (names/index.py): which key table each entry meets on
which key, its readings and its near-copy hashes.

- Normalized keys in one key table (names/keytable.py, a dictionary: it loads in C, where an automaton
  of 150k keys took a second to compile): protected names, aliases, terms, allow-list phrases, banned
  names.
- An entry whose own key repeats a character (哈哈, 8899) on the text's raw key, which keeps repeats, so
  no normalization step erases or merges the entry it should find; one written with numbers (六四, 8964,
  3p) also on its numeric key, so a term written in one number form finds the others (normalize.py).
- Readings (names/spelling.py) of protected and banned names of two or more Han characters, every way
  they read and a person's surname reading, in a key table (names/keytable.py: a dictionary, looked up
  from syllable boundary to syllable boundary; it holds most of an index's keys, and a dictionary loads
  in C where an automaton of them took seconds to compile); of terms of three syllables or more for posts (an
  Aho-Corasick automaton over letter runs, compiled on first use: a container answering name checks
  never builds it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chalicelib.names import tables
from chalicelib.names.index_entry import (
    BANNED,
    ENTRY_FIELDS,
    MIN_KEY_LENGTH,
    MIN_PINYIN_LETTERS,
    MIN_TERM_SYLLABLES,
    PROTECTED,
    TERM,
    Entry,
)
from chalicelib.names.keytable import KeyTable
from chalicelib.names.near_copies import near_table
from chalicelib.names.spelling import numeric_of, pinyin_of, spellings, surname_spelling


def compiled(entries: list[Entry]) -> tuple[list[tuple], dict[str, Any]]:
    """The index's rows (entries as tuples of ENTRY_FIELDS) and its other fields by name."""
    kept = [e for e in entries if len(e.raw) >= MIN_KEY_LENGTH]
    rows = [tuple(getattr(e, f) for f in ENTRY_FIELDS) for e in kept]
    by_key: dict[str, list[int]] = {}
    by_raw: dict[str, list[int]] = {}
    by_numeric: dict[str, list[int]] = {}
    by_pinyin: dict[str, list[int]] = {}
    terms_by_pinyin: dict[str, list[int]] = {}
    near: list[int] = []
    readings = tables.pinyin()
    for number, entry in enumerate(kept):
        # never let the collapse erase what an entry is: one that repeats a character meets the raw key
        (by_key if entry.raw == entry.key else by_raw).setdefault(entry.raw, []).append(number)
        numeric = numeric_of(entry.raw)
        if any("0" <= c <= "9" for c in numeric):
            by_numeric.setdefault(numeric, []).append(number)
        spelled, _ = pinyin_of(entry.raw)
        syllables = sum(c in readings for c in entry.raw)
        readable = len(spelled) >= MIN_PINYIN_LETTERS and syllables >= 2
        # By reading, only terms of three syllables or more: two-syllable readings are shared by too
        # many ordinary words for a post of thousands of characters.
        if entry.kind == TERM and readable and syllables >= MIN_TERM_SYLLABLES:
            terms_by_pinyin.setdefault(spelled, []).append(number)
        if entry.kind not in (PROTECTED, BANNED):
            continue
        if readable:
            surname = surname_spelling(entry.raw) if entry.category == "PUBLIC_FIGURE" else None
            for spelling in dict.fromkeys([spelled, *spellings(entry.raw), *([surname] if surname else [])]):
                by_pinyin.setdefault(spelling, []).append(number)
        if len(entry.key) >= 3:
            near.append(number)
    return rows, {"automaton": KeyTable.of(by_key), "repeat_automaton": automaton_of(by_raw),
                  "numeric_automaton": automaton_of(by_numeric), "pinyin_automaton": KeyTable.of(by_pinyin),
                  "term_pinyin_automaton": automaton_of(terms_by_pinyin),
                  **near_table([kept[n].key for n in near], near)}


def automaton_of(keyed: Mapping[str, Sequence[int]]) -> Any:
    """An Aho-Corasick automaton of `keyed`, each value (key length, entry numbers)."""
    if not keyed:
        return None
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for key, numbers in keyed.items():
        automaton.add_word(key, (len(key), tuple(numbers)))
    automaton.make_automaton()
    return automaton

"""Entries by reading: a raw key spelled in toneless pinyin, with each letter's origin, and a protected
name's readings (every reading of its polyphonic characters, its surname's reading for a person).

Letters stay intact (zhongguo keeps its two g), tone marks are folded by the normalizer, ü and v are one
letter.
"""

from __future__ import annotations

import itertools
from itertools import chain, repeat
from typing import Any

from chalicelib.names import tables
from chalicelib.names.char_fold import numeral
from chalicelib.names.normalize_long import translated


def _spelling(char: str) -> str:
    """A raw-key character in toneless pinyin: its reading, a Latin letter itself (tone marks were folded
    by the normalizer), ü typed as v or u alike; "" for anything else."""
    reading = tables.pinyin().get(char, char if char.isascii() and char.isalpha() else "")
    return reading.replace("v", "u")


def pinyin_of(raw: str) -> tuple[str, tuple[int, ...]]:
    """The raw key spelled in toneless pinyin, and for each letter the raw index it came from. Nothing is
    collapsed: a doubled letter at a syllable boundary (zhongguo) is two letters on both sides. Through
    str.translate tables (each character's spelling and its length worked out once) and itertools, in C."""
    counts = raw.translate(_spelled_lengths).encode("latin-1")  # chr(n): a reading is a few letters
    return raw.translate(_spelled), tuple(chain.from_iterable(map(repeat, range(len(raw)), counts)))


def pinyin_letters(raw: str) -> str:
    """`pinyin_of`'s letters alone."""
    return raw.translate(_spelled)


MAX_SPELLINGS = 16  # readings per protected name: a name of many polyphonic characters keeps its first ones


def spellings(raw: str) -> list[str]:
    """A protected name typed in pinyin, every way its characters read (西藏 xizang as well as xicang, 银行
    yinhang): the common reading first, at most MAX_SPELLINGS."""
    several = tables.readings()
    options = [[r.replace("v", "u") for r in several[c]] if c in several else [_spelling(c)] for c in raw]
    return ["".join(combination) for combination in itertools.islice(itertools.product(*options), MAX_SPELLINGS)]


def surname_spelling(raw: str) -> str | None:
    """A person's name spelled with its surname's reading where that differs from the common one."""
    readings = tables.surnames()
    for length in (2, 1):
        if len(raw) > length and raw[:length] in readings:
            return readings[raw[:length]].replace("v", "u") + pinyin_of(raw[length:])[0]
    return None


def numeric_of(raw: str) -> str:
    return "".join(map(numeral, raw))


class _Spelling(dict[int, str]):
    """codepoint → toneless pinyin ("" for what has no reading), filled as str.translate meets characters, at
    most _KEPT of them (past that a character's spelling is worked out again each time, the same answer)."""

    def __init__(self, lengths: bool) -> None:
        super().__init__()
        self.lengths = lengths

    def __missing__(self, code: int) -> str:
        spelled = _spelling(chr(code))
        found = chr(len(spelled)) if self.lengths else spelled
        if len(self) < _KEPT:
            self[code] = found
        return found


_KEPT = 65536  # characters per table: every Han character and Latin letter a text is likely to hold


_spelled, _spelled_lengths = _Spelling(lengths=False), _Spelling(lengths=True)


def pinyin_long(raw: str) -> tuple[str, Any]:
    """`pinyin_of` for long keys, through str.translate and numpy: the same letters; origins as an array."""
    return translated(raw, _spelled, _spelled_lengths)

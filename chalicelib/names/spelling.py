"""Entries by reading: a raw key spelled in toneless pinyin, with each letter's origin, and a protected
name's readings (every reading of its polyphonic characters, its surname's reading for a person).

Letters stay intact (zhongguo keeps its two g), tone marks are folded by the normalizer, ü and v are one
letter.
"""

from __future__ import annotations

import itertools
from typing import Any

from chalicelib.names import tables
from chalicelib.names.normalize import numeral, translated


def _spelling(char: str) -> str:
    """A raw-key character in toneless pinyin: its reading, a Latin letter itself (tone marks were folded
    by the normalizer), ü typed as v or u alike; "" for anything else."""
    reading = tables.pinyin().get(char, char if char.isascii() and char.isalpha() else "")
    return reading.replace("v", "u")


def pinyin_of(raw: str) -> tuple[str, tuple[int, ...]]:
    """The raw key spelled in toneless pinyin, and for each letter the raw index it came from. Nothing is
    collapsed: a doubled letter at a syllable boundary (zhongguo) is two letters on both sides."""
    letters: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(raw):
        spelled = _spelling(char)
        letters.append(spelled)
        origin.extend([index] * len(spelled))
    return "".join(letters), tuple(origin)


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
    """codepoint → toneless pinyin ("" for what has no reading), filled as str.translate meets characters."""

    def __init__(self, lengths: bool) -> None:
        super().__init__()
        self.lengths = lengths

    def __missing__(self, code: int) -> str:
        spelled = _spelling(chr(code))
        self[code] = chr(len(spelled)) if self.lengths else spelled
        return self[code]


_spelled, _spelled_lengths = _Spelling(lengths=False), _Spelling(lengths=True)


def pinyin_long(raw: str) -> tuple[str, Any]:
    """`pinyin_of` for long keys, through str.translate and numpy: the same letters; origins as an array."""
    return translated(raw, _spelled, _spelled_lengths)

"""Traditional phrases whose simplified form is not their characters' own (OpenCC's phrase table: 反覆 →
反复, 乾燥 → 干燥), replaced before the characters are folded one by one (names/normalize.py), equal
length for equal length so every index still points at its original character.
"""

from __future__ import annotations

import functools
import re

from chalicelib.names import tables
from chalicelib.names.codepoints import CodeTable


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str] | None:
    phrases = tables.t2s_phrases()
    if not phrases:
        return None
    # grouped by first character (年(?:…)|名(?:…)…), longest first within each: at a position the same phrase
    # as one alternative per phrase matches, tried against one group instead of every phrase (half the search)
    groups: dict[str, list[str]] = {}
    for phrase in sorted(phrases, key=lambda p: (-len(p), p)):
        groups.setdefault(phrase[0], []).append(re.escape(phrase[1:]))
    return re.compile("|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in sorted(groups.items())))


@functools.lru_cache(maxsize=1)
def screen() -> re.Pattern[str] | None:
    """Where some phrase's first character stands before some phrase's second one: a phrase can begin only
    there (one character class scanned in C, where the phrase pattern tries its groups at each first
    character). Every phrase is two characters or more."""
    phrases = tables.t2s_phrases()
    if not phrases:
        return None
    firsts, seconds = ("".join(sorted({phrase[at] for phrase in phrases})) for at in (0, 1))
    return re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")


@functools.lru_cache(maxsize=1)
def firsts() -> frozenset[str]:
    """The characters some phrase begins with."""
    return frozenset(phrase[0] for phrase in tables.t2s_phrases())


def phrased(text: str) -> tuple[str, bool]:
    """`text` with its traditional phrases replaced, and whether any was."""
    pattern, where = _pattern(), screen()
    if pattern is None or where is None:
        return text, False
    first = where.search(text)
    if first is None or not pattern.search(text, first.start()):
        return text, False
    phrases = tables.t2s_phrases()
    return pattern.sub(lambda m: phrases[m.group(0)], text), True


_starts = CodeTable(lambda char: int(char in firsts()), "uint8")


def phrased_long(text: str) -> tuple[str, bool]:
    """`phrased` for long texts: the phrase pattern is tried only where a phrase's first character stands
    (found by one gather), left to right and never inside a phrase already replaced, as `re.sub` would."""
    import numpy as np

    pattern = _pattern()
    if pattern is None:
        return text, False
    phrases = tables.t2s_phrases()
    pieces: list[str] = []
    done = 0
    for at in np.flatnonzero(_starts.gather(text)).tolist():
        found = pattern.match(text, at) if at >= done else None
        if found is not None:
            pieces += [text[done:at], phrases[found.group(0)]]
            done = found.end()
    return ("".join(pieces) + text[done:], True) if pieces else (text, False)

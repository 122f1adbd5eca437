"""The versioned normalization pipeline names are matched through, keeping every character's origin.

Steps, in order, each reported (in `steps`) when it changed something:

=============  ==========================================================================
format         drop format and zero-width characters, variation selectors (U+200B, U+FEFF…)
width          NFKC: full-width forms, compatibility characters, Kangxi radicals, ①, ㊣…
case           case folding
traditional    traditional → simplified, one character to one (OpenCC's table)
confusable     UTS #39 look-alike letters (Cyrillic а, Greek ο…) and Han look-alikes
separator      everything that is not a letter or digit: spaces, punctuation, emoji, symbols
repeat         a run of one character collapsed to one
=============  ==========================================================================

Lexicon entries go through the same pipeline, so a term and its evasions meet in one key.
`origin[i]` is the index in the original text of key character `i`, so spans are exact.
"""

from __future__ import annotations

import functools
import operator
import unicodedata
from dataclasses import dataclass
from typing import Any

from chalicelib.names import tables

VERSION = "norm-1"
STEPS = ("format", "width", "case", "traditional", "confusable", "separator", "repeat")
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}
_CACHE_LIMIT = 65536
# char → (characters it becomes before separator removal, bit set of the steps that changed it)
_char_cache: dict[str, tuple[str, int]] = {}


@dataclass(frozen=True)
class Normalized:
    key: str
    origin: tuple[int, ...]
    steps: tuple[str, ...]


def _is_invisible(char: str) -> bool:
    code = ord(char)
    return (unicodedata.category(char) in _INVISIBLE_CATEGORIES or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF or code == 0x034F)


def _fold_char(char: str) -> tuple[str, int]:
    found = _char_cache.get(char)
    if found is not None:
        return found
    if _is_invisible(char):
        result = ("", 1)
    else:
        flags = 0
        wide = unicodedata.normalize("NFKC", char)
        flags |= 2 if wide != char else 0
        folded = wide.casefold()
        flags |= 4 if folded != wide else 0
        t2s, skeleton = tables.traditional_to_simplified(), tables.skeleton()
        simplified = "".join(t2s.get(c, c) for c in folded)
        flags |= 8 if simplified != folded else 0
        shaped = "".join(skeleton.get(c, c) for c in simplified)
        flags |= 16 if shaped != simplified else 0
        result = (shaped, flags)
    if len(_char_cache) < _CACHE_LIMIT:
        _char_cache[char] = result
    return result


def normalize(text: str) -> Normalized:
    key: list[str] = []
    origin: list[int] = []
    flags = 0
    for index, char in enumerate(text):
        shaped, changed = _fold_char(char)
        flags |= changed
        for out in shaped:
            if not out.isalnum():
                flags |= 32
                continue
            if key and key[-1] == out:
                flags |= 64
                continue
            key.append(out)
            origin.append(index)
    steps = tuple(step for bit, step in enumerate(STEPS) if flags & (1 << bit))
    return Normalized("".join(key), tuple(origin), steps)


def folded(text: str) -> str:
    """Width, case and traditional forms only: what the `normalized` channel compares."""
    t2s = tables.traditional_to_simplified()
    return "".join(t2s.get(c, c) for c in unicodedata.normalize("NFKC", text).casefold())


def skeletal(text: str) -> str:
    """`folded` plus look-alikes: what the `skeleton` channel compares."""
    skeleton = tables.skeleton()
    return "".join(skeleton.get(c, c) for c in folded(text))


def key_of(text: str) -> str:
    return normalize(text).key


# Long texts (posts of thousands of characters) take the same pipeline through str.translate and
# numpy: per distinct character the work is the same as above; per character it runs in C.
_mapped: dict[int, str] = {}   # codepoint → its letters and digits after folding ("" for a separator)
_lengths: dict[int, str] = {}  # codepoint → chr(len(mapped))
_flags: dict[str, int] = {}    # character → steps it triggers (separator included)


def _learn(chars: set[str]) -> int:
    """The steps these characters trigger; characters not seen before are folded first."""
    for char in chars.difference(_flags):
        if len(_flags) >= _CACHE_LIMIT:
            return -1  # a text of unusually many distinct characters: the caller falls back
        shaped, changed = _fold_char(char)
        kept = "".join(c for c in shaped if c.isalnum())
        _mapped[ord(char)], _lengths[ord(char)] = kept, chr(len(kept))
        _flags[char] = changed | (32 if kept != shaped else 0)
    return functools.reduce(operator.or_, map(_flags.__getitem__, chars), 0)


def translate_collapsed(text: str, mapping: dict, lengths: dict) -> tuple[str, Any, bool]:
    """`text` through str.translate with `mapping`, runs of one character collapsed to one, and for each
    character left the index in `text` it came from (`lengths` maps a codepoint to chr(len(mapping's
    string))); and whether anything collapsed. The C/numpy form of the per-character loops."""
    import numpy as np

    mapped = text.translate(mapping)
    if not mapped:
        return "", (), False
    counts = np.frombuffer(text.translate(lengths).encode("utf-32-le"), dtype=np.uint32)
    origin = np.repeat(np.arange(len(text), dtype=np.int64), counts)
    points = np.frombuffer(mapped.encode("utf-32-le"), dtype=np.uint32)
    keep = np.empty(len(points), dtype=bool)
    keep[0] = True
    np.not_equal(points[1:], points[:-1], out=keep[1:])
    if keep.all():
        return mapped, origin, False
    return points[keep].tobytes().decode("utf-32-le"), origin[keep], True


def normalize_long(text: str) -> Normalized:
    """`normalize`, the same key, origins (as an array) and steps, in C and numpy for long texts."""
    flags = _learn(set(text))
    if flags < 0:
        return normalize(text)
    key, origin, collapsed = translate_collapsed(text, _mapped, _lengths)
    flags |= 64 if collapsed else 0
    steps = tuple(step for bit, step in enumerate(STEPS) if flags & (1 << bit))
    return Normalized(key, origin, steps)  # origin: an array, read at hits only

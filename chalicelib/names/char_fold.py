"""One character through the normalization pipeline (names/normalize.py), worked out once per character
and cached: what it becomes, which steps changed it, what of it is kept, how the numeric channel reads
it, and its word class.

A step's bit in a character's set is `1 << STEPS.index(step)`; the collapse of runs (64) belongs to a
text, never to one character.
"""

from __future__ import annotations

import unicodedata

from chalicelib.names import tables

STEPS = ("format", "width", "case", "traditional", "confusable", "separator", "repeat", "accent")
CACHE_LIMIT = 65536  # characters kept per table; past that a character is worked out again, the same answer
LETTER, DIGIT = 1, 2  # word classes: what a Latin term's ends must not touch (see `word_class`)
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}
_EXTRA_NUMERALS = {"两": "2", "俩": "2"}  # no numeric value in Unicode, read as two
# char → (characters it becomes before separator removal, bit set of the steps that changed it)
_char_cache: dict[str, tuple[str, int]] = {}


def _is_invisible(char: str) -> bool:
    code = ord(char)
    return (unicodedata.category(char) in _INVISIBLE_CATEGORIES or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF or code == 0x034F)


def unaccented(text: str) -> str:
    """Latin letters without their combining marks (tone-marked pinyin, accented Latin)."""
    if text.isascii():
        return text
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)
        out.append(base[0] if len(base) > 1 and base[0].isascii() and base[0].isalpha()
                   and all(unicodedata.category(c) == "Mn" for c in base[1:]) else char)
    return "".join(out)


def fold_char(char: str) -> tuple[str, int]:
    """What `char` becomes through every step but separator removal, and the bits of the steps that changed
    it."""
    found = _char_cache.get(char)
    if found is not None:
        return found
    if _is_invisible(char):
        result = ("", 1)
    else:
        flags = 0
        wide = unicodedata.normalize("NFKC", char)
        flags |= 2 if wide != char else 0
        folded_ = wide.casefold()
        flags |= 4 if folded_ != wide else 0
        plain = unaccented(folded_)
        flags |= 128 if plain != folded_ else 0
        t2s, skeleton = tables.traditional_to_simplified(), tables.skeleton()
        simplified = "".join(t2s.get(c, c) for c in plain)
        flags |= 8 if simplified != plain else 0
        shaped = "".join(skeleton.get(c, c) for c in simplified)
        flags |= 16 if shaped != simplified else 0
        result = (shaped, flags)
    if len(_char_cache) < CACHE_LIMIT:
        _char_cache[char] = result
    return result


def kept_of(char: str) -> str:
    """What the keys keep of one character: its letters and digits after folding ("" for a separator)."""
    return "".join(c for c in fold_char(char)[0] if c.isalnum())


def steps_of(char: str) -> int:
    """The steps one character triggers, the separator step included."""
    shaped, changed = fold_char(char)
    return changed | (32 if kept_of(char) != shaped else 0)


def numeral(char: str) -> str:
    """A key character as the numeric channel reads it: a digit for every number form of 0–9."""
    if "0" <= char <= "9":
        return char
    if char in _EXTRA_NUMERALS:
        return _EXTRA_NUMERALS[char]
    value = unicodedata.numeric(char, None)
    return str(int(value)) if value is not None and value == int(value) and 0 <= value <= 9 else char


def word_class(char: str) -> int:
    """LETTER for a character that folds to a Latin letter, DIGIT for any number form of 0–9 (Chinese
    numerals included), 0 otherwise: a Latin or number term matches only where the characters beside it
    are of another class, so "av" is not found in "have", nor 64 or 六四 in 1964 or 一九六四."""
    shaped = fold_char(char)[0]
    kept = next((c for c in shaped if c.isalnum()), "")
    if not kept:
        return 0
    if "a" <= kept <= "z":
        return LETTER
    if kept.isdigit() or numeral(kept) != kept:
        return DIGIT
    return 0

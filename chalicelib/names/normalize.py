"""The versioned normalization pipeline names are matched through, keeping every character's origin.

Steps, in order, each reported (in `steps`) when it changed something:

=============  ==========================================================================
format         drop format and zero-width characters, variation selectors (U+200B, U+FEFF…)
width          NFKC: full-width forms, compatibility characters, Kangxi radicals, ①, ㊣…
case           case folding
traditional    traditional → simplified: phrases first where one character maps to several
               (反覆 → 反复, OpenCC's phrase table, equal lengths), then one character to one
confusable     UTS #39 look-alike letters (Cyrillic а, Greek ο…) and Han look-alikes
separator      everything that is not a letter or digit: spaces, punctuation, emoji, symbols
repeat         a run of one character collapsed to one (in `key` only)
accent         Latin letters' diacritics and pinyin tone marks dropped (ǒ → o, é → e)
=============  ==========================================================================

Three keys come out, one character each per kept character of the text:

- `key`: every step, repeats collapsed; what most entries are matched on (a stutter 法法轮功 still
  meets 法轮功).
- `raw`: every step but the collapse. An entry whose own key repeats a character (哈哈, 8899, and
  every pinyin spelling with a doubled letter at a syllable boundary, zhongguo) is matched here, so
  no normalization step erases or merges the entry it should find. Typed pinyin is read here.
- `numeric`: `raw` with every number form a digit: Chinese numerals (一, 壹, 〇, 零, 两, 幺),
  circled, parenthesized, dingbat and super/subscript digits; the numeric channel.

Lexicon entries go through the same pipeline, so a term and its evasions meet in one key.
`origin[i]` (`raw_origin[i]`) is the index in the original text of key (raw) character `i`, so spans
are exact.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from itertools import chain, compress, repeat
from typing import Any

from chalicelib.names import tables
from chalicelib.names.codepoints import CodeTable, Expansion, points_of, text_of

VERSION = "norm-2"
STEPS = ("format", "width", "case", "traditional", "confusable", "separator", "repeat", "accent")
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}
_CACHE_LIMIT = 65536
_EXTRA_NUMERALS = {"两": "2", "俩": "2"}  # no numeric value in Unicode, read as two
# char → (characters it becomes before separator removal, bit set of the steps that changed it)
_char_cache: dict[str, tuple[str, int]] = {}
LETTER, DIGIT = 1, 2  # word classes: what a Latin term's ends must not touch (see `word_class`)


class Normalized:
    """The keys of a text and their origins (tuples of ints, or arrays on the long path). `origins`, when
    given, works out (origin, raw_origin) on first reading: a post that meets no entry never reads them."""

    __slots__ = ("key", "steps", "raw", "numeric", "_origin", "_raw_origin", "_origins")

    def __init__(self, key: str, origin: Any, steps: tuple[str, ...], raw: str = "", raw_origin: Any = (),
                 numeric: str = "", origins: Callable[[], tuple[Any, Any]] | None = None) -> None:
        self.key, self.steps, self.raw, self.numeric = key, steps, raw, numeric
        self._origin, self._raw_origin, self._origins = origin, raw_origin, origins

    def _worked_out(self) -> None:
        if self._origins is not None:
            self._origin, self._raw_origin = self._origins()
            self._origins = None

    @property
    def origin(self) -> Any:
        self._worked_out()
        return self._origin

    @property
    def raw_origin(self) -> Any:
        self._worked_out()
        return self._raw_origin

    def _fields(self) -> tuple[Any, ...]:
        return self.key, self.origin, self.steps, self.raw, self.raw_origin, self.numeric

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Normalized) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((self.key, self.steps, self.raw, self.numeric))

    def __repr__(self) -> str:
        return "Normalized(key={!r}, origin={!r}, steps={!r}, raw={!r}, raw_origin={!r}, numeric={!r})".format(
            *self._fields())


def _is_invisible(char: str) -> bool:
    code = ord(char)
    return (unicodedata.category(char) in _INVISIBLE_CATEGORIES or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF or code == 0x034F)


def _unaccented(text: str) -> str:
    """Latin letters without their combining marks (tone-marked pinyin, accented Latin)."""
    if text.isascii():
        return text
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)
        out.append(base[0] if len(base) > 1 and base[0].isascii() and base[0].isalpha()
                   and all(unicodedata.category(c) == "Mn" for c in base[1:]) else char)
    return "".join(out)


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
        folded_ = wide.casefold()
        flags |= 4 if folded_ != wide else 0
        plain = _unaccented(folded_)
        flags |= 128 if plain != folded_ else 0
        t2s, skeleton = tables.traditional_to_simplified(), tables.skeleton()
        simplified = "".join(t2s.get(c, c) for c in plain)
        flags |= 8 if simplified != plain else 0
        shaped = "".join(skeleton.get(c, c) for c in simplified)
        flags |= 16 if shaped != simplified else 0
        result = (shaped, flags)
    if len(_char_cache) < _CACHE_LIMIT:
        _char_cache[char] = result
    return result


@functools.lru_cache(maxsize=1)
def _phrase_pattern() -> re.Pattern[str] | None:
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
def _phrase_screen() -> re.Pattern[str] | None:
    """Where some phrase's first character stands before some phrase's second one: a phrase can begin only
    there (one character class scanned in C, where the phrase pattern tries its groups at each first
    character)."""
    phrases = tables.t2s_phrases()
    if not phrases:
        return None
    firsts, seconds = ("".join(sorted({phrase[at] for phrase in phrases})) for at in (0, 1))
    return re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")


def phrased(text: str) -> tuple[str, bool]:
    """`text` with OpenCC's traditional phrases whose simplified form is not the characters' own (反覆 →
    反复, 乾燥 → 干燥) replaced, equal length for equal length so every index still points at its
    original character; and whether any was."""
    pattern, screen = _phrase_pattern(), _phrase_screen()
    if pattern is None or screen is None:
        return text, False
    first = screen.search(text)
    if first is None or not pattern.search(text, first.start()):
        return text, False
    phrases = tables.t2s_phrases()
    return pattern.sub(lambda m: phrases[m.group(0)], text), True


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
    shaped = _fold_char(char)[0]
    kept = next((c for c in shaped if c.isalnum()), "")
    if not kept:
        return 0
    if "a" <= kept <= "z":
        return LETTER
    if kept.isdigit() or numeral(kept) != kept:
        return DIGIT
    return 0


def numbers_disguised(text: str, start: int, end: int, entry_raw: str) -> bool:
    """Whether a numeric-channel match is one: the entry is written with ASCII digits (8964 meets 八九六四),
    holds more than numbers (9评 meets 九评), or the text writes some digit in another form (6四, ⑥④ meet
    六四). Plain digits alone do not meet a term made only of Chinese numerals: 六四 is not in 人均64元."""
    return any("0" <= c <= "9" for c in entry_raw) or any(word_class(c) != DIGIT for c in entry_raw) or any(
        word_class(c) == DIGIT and not "0" <= c <= "9" for c in text[start:end])


def on_word_edges(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] neither begins inside a Latin word or number nor ends inside one."""
    first, last = word_class(text[start]), word_class(text[end - 1])
    return not ((first and start > 0 and word_class(text[start - 1]) == first)
                or (last and end < len(text) and word_class(text[end]) == last))


class _CodeMap(dict[int, str]):
    """codepoint → a string (`of(char)`), for str.translate: filled as texts meet characters, at most
    _CACHE_LIMIT of them kept (past that a character is worked out again each time, the same answer)."""

    def __init__(self, of: Callable[[str], str]) -> None:
        super().__init__()
        self.of = of

    def __missing__(self, code: int) -> str:
        found = self.of(chr(code))
        if len(self) < _CACHE_LIMIT:
            self[code] = found
        return found


def normalize(text: str) -> Normalized:
    """The keys of a short text (a name, a post): per character through str.translate tables, each
    character's kept letters and steps worked out once (`_fold_char`), runs collapsed by one split, and the
    origins made in C (itertools) when first read; the same keys, origins and steps as a loop over the
    characters would give."""
    flags = _marked(text)
    phrase = False
    if flags & _PHRASE_START:  # only a phrase's first character can begin a traditional phrase
        text, phrase = phrased(text)
        if phrase:
            flags = _marked(text) | 8
    spelled = text.translate(_short_kept)
    numeric = spelled.translate(_short_numerals) if flags & _NUMERAL else spelled
    # split on the runs: the text between them and each run's character, alternately
    pieces = _RUN.split(spelled)
    ran = len(pieces) > 1
    if ran:
        flags |= 64
    return Normalized("".join(pieces) if ran else spelled, None, _STEPS_OF[flags & 255], spelled, None, numeric,
                      functools.partial(_short_origins, text, spelled, ran))


def _marked(text: str) -> int:
    """The steps `text`'s characters trigger, with _NUMERAL when some character keeps a number form other
    than its digit and _PHRASE_START when one begins a traditional phrase: one character per marked
    character of the text (unmarked ones deleted), so the set is read over a few."""
    flags = 0
    for mark in set(text.translate(_short_marks)):
        flags |= ord(mark)
    return flags


def _short_origins(text: str, spelled: str, ran: bool) -> tuple[Any, Any]:
    """`normalize`'s (origin, raw_origin), made in C (itertools) when first read: each kept character's
    index in the text (from how many characters each character of the text keeps), the key's with each
    run's first character only (`ran`: some character of `spelled` runs)."""
    places = range(len(text))
    counts = text.translate(_short_counts).encode("latin-1")  # a character keeps at most 18 (ﷺ)
    if len(spelled) == len(counts) - counts.count(0):  # each character kept as one or none
        raw_origin = tuple(compress(places, counts))
    else:
        raw_origin = tuple(chain.from_iterable(map(repeat, places, counts)))
    if not ran:
        return raw_origin, raw_origin
    origins, done = [], 0  # the text between runs sliced whole
    for run in _RUN.finditer(spelled):
        origins.append(raw_origin[done:run.start() + 1])
        done = run.end()
    return tuple(chain.from_iterable(origins)) + raw_origin[done:], raw_origin


def folded(text: str) -> str:
    """Width, case, accents and traditional forms only: what the `normalized` channel compares."""
    t2s = tables.traditional_to_simplified()
    return "".join(t2s.get(c, c) for c in _unaccented(unicodedata.normalize("NFKC", phrased(text)[0]).casefold()))


def skeletal(text: str) -> str:
    """`folded` plus look-alikes: what the `skeleton` channel compares."""
    skeleton = tables.skeleton()
    return "".join(skeleton.get(c, c) for c in folded(text))


def key_of(text: str) -> str:
    return normalize(text).key


def raw_of(text: str) -> str:
    return normalize(text).raw


# Long texts (posts of thousands of characters) take the same pipeline as numpy gathers over per-codepoint
# tables (names/codepoints.py): per distinct character the work is the same as above; per character it
# runs in C.
def _kept_of(char: str) -> str:
    """What `normalize` keeps of one character: its letters and digits after folding ("" for a separator)."""
    return "".join(c for c in _fold_char(char)[0] if c.isalnum())


def _steps_of(char: str) -> int:
    """The steps one character triggers, the separator step included."""
    shaped, changed = _fold_char(char)
    return changed | (32 if _kept_of(char) != shaped else 0)


_kept = Expansion(_kept_of, _steps_of)
_short_kept = _CodeMap(_kept_of)
_short_counts = _CodeMap(lambda char: chr(len(_kept_of(char))))
_NUMERAL, _PHRASE_START = 256, 512  # marks beside the steps' bits (0–255)


def _mark_of(char: str) -> str:
    """`char`'s steps, _NUMERAL and _PHRASE_START as one character ("" when it has none of them)."""
    mark = _steps_of(char) | (_NUMERAL if any(numeral(c) != c for c in _kept_of(char)) else 0) | (
        _PHRASE_START if char in _phrase_firsts() else 0)
    return chr(mark) if mark else ""


_short_marks = _CodeMap(_mark_of)
_STEPS_OF = [tuple(step for bit, step in enumerate(STEPS) if flags & (1 << bit)) for flags in range(256)]
_short_numerals = _CodeMap(numeral)
_RUN = re.compile(r"(.)\1+", re.S)
_numerals = CodeTable(lambda char: ord(numeral(char)))
_classes = CodeTable(word_class)


@functools.lru_cache(maxsize=1)
def _phrase_firsts() -> frozenset[str]:
    return frozenset(phrase[0] for phrase in tables.t2s_phrases())


_phrase_starts = CodeTable(lambda char: int(char in _phrase_firsts()), "uint8")


def word_classes(text: str) -> Any:
    """`word_class` of every character of `text`, as a numpy array (long texts)."""
    return _classes.gather(text)


def _phrased_long(text: str) -> tuple[str, bool]:
    """`phrased` for long texts: the phrase pattern is tried only where a phrase's first character stands
    (found by one gather), left to right and never inside a phrase already replaced, as `re.sub` would."""
    import numpy as np

    pattern = _phrase_pattern()
    if pattern is None:
        return text, False
    phrases = tables.t2s_phrases()
    pieces: list[str] = []
    done = 0
    for at in np.flatnonzero(_phrase_starts.gather(text)).tolist():
        found = pattern.match(text, at) if at >= done else None
        if found is not None:
            pieces += [text[done:at], phrases[found.group(0)]]
            done = found.end()
    return ("".join(pieces) + text[done:], True) if pieces else (text, False)


def translated(text: str, mapping: dict, lengths: dict) -> tuple[str, Any]:
    """`text` through str.translate with `mapping`, and for each character out the index in `text` it
    came from (`lengths` maps a codepoint to chr(len(mapping's string)))."""
    import numpy as np

    mapped = text.translate(mapping)
    if not mapped:
        return "", np.zeros(0, dtype=np.int64)
    counts = np.frombuffer(text.translate(lengths).encode("utf-32-le"), dtype=np.uint32)
    return mapped, np.repeat(np.arange(len(text), dtype=np.int64), counts)


def _collapsed_points(points: Any, origin: Any) -> tuple[Any, Any, bool]:
    import numpy as np

    if not len(points):
        return points, origin, False
    keep = np.empty(len(points), dtype=bool)
    keep[0] = True
    np.not_equal(points[1:], points[:-1], out=keep[1:])
    if keep.all():
        return points, origin, False
    return points[keep], origin[keep], True


def collapsed(mapped: str, origin: Any) -> tuple[str, Any, bool]:
    """`mapped` with runs of one character collapsed to one, the origins kept, and whether any ran."""
    if not mapped:
        return "", origin, False
    points, origin, ran = _collapsed_points(points_of(mapped), origin)
    return (text_of(points) if ran else mapped), origin, ran


def translate_collapsed(text: str, mapping: dict, lengths: dict) -> tuple[str, Any, bool]:
    """`translated`, then `collapsed`."""
    return collapsed(*translated(text, mapping, lengths))


def normalize_long(text: str) -> Normalized:
    """`normalize`, the same keys, origins (as arrays) and steps, in C and numpy for long texts."""
    text, phrase = _phrased_long(text)
    points = points_of(text)
    flags = _kept.flags_over(points)
    raw_points, raw_origin = _kept.expand(points)
    key_points, origin, ran = _collapsed_points(raw_points, raw_origin)
    flags |= (64 if ran else 0) | (8 if phrase else 0)
    steps = tuple(step for bit, step in enumerate(STEPS) if flags & (1 << bit))
    return Normalized(text_of(key_points), origin, steps, text_of(raw_points), raw_origin,
                      text_of(_numerals.gather_points(raw_points)))

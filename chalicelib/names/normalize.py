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

Here: the keys of a short text (a name, a post) through str.translate tables (names/short_tables.py) and
the rules read off word classes. One character's folding is names/char_fold.py, traditional phrases
names/phrases.py, long texts names/normalize_long.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from itertools import chain, compress, repeat
from typing import Any

from chalicelib.names import tables
from chalicelib.names.char_fold import DIGIT, unaccented, word_class
from chalicelib.names.phrases import phrased
from chalicelib.names.short_tables import COUNTS, KEPT, MARKS, NUMERAL, NUMERALS, PHRASE_START, STEPS_OF

VERSION = "norm-2"
_RUN = re.compile(r"(.)\1+", re.S)


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


def normalize(text: str) -> Normalized:
    """The keys of a short text (a name, a post): per character through str.translate tables, each
    character's kept letters and steps worked out once (names/char_fold.py), runs collapsed by one split,
    and the origins made in C (itertools) when first read; the same keys, origins and steps as a loop over
    the characters would give."""
    flags = _marked(text)
    phrase = False
    if flags & PHRASE_START:  # only a phrase's first character can begin a traditional phrase
        text, phrase = phrased(text)
        if phrase:
            flags = _marked(text) | 8
    spelled = text.translate(KEPT)
    numeric = spelled.translate(NUMERALS) if flags & NUMERAL else spelled
    # split on the runs: the text between them and each run's character, alternately
    pieces = _RUN.split(spelled)
    ran = len(pieces) > 1
    if ran:
        flags |= 64
    return Normalized("".join(pieces) if ran else spelled, None, STEPS_OF[flags & 255], spelled, None, numeric,
                      functools.partial(_short_origins, text, spelled, ran))


def _marked(text: str) -> int:
    """The steps `text`'s characters trigger, with NUMERAL when some character keeps a number form other
    than its digit and PHRASE_START when one begins a traditional phrase: one character per marked
    character of the text (unmarked ones deleted), so the set is read over a few."""
    flags = 0
    for mark in set(text.translate(MARKS)):
        flags |= ord(mark)
    return flags


def _short_origins(text: str, spelled: str, ran: bool) -> tuple[Any, Any]:
    """`normalize`'s (origin, raw_origin), made in C (itertools) when first read: each kept character's
    index in the text (from how many characters each character of the text keeps), the key's with each
    run's first character only (`ran`: some character of `spelled` runs)."""
    places = range(len(text))
    counts = text.translate(COUNTS).encode("latin-1")  # a character keeps at most 18
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
    return "".join(t2s.get(c, c) for c in unaccented(unicodedata.normalize("NFKC", phrased(text)[0]).casefold()))


def skeletal(text: str) -> str:
    """`folded` plus look-alikes: what the `skeleton` channel compares."""
    skeleton = tables.skeleton()
    return "".join(skeleton.get(c, c) for c in folded(text))


def key_of(text: str) -> str:
    return normalize(text).key


def raw_of(text: str) -> str:
    return normalize(text).raw


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

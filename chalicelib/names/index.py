"""The compiled name index: every entry's key in Aho-Corasick automata, plus a near-copy index.

- One automaton over normalized keys finds protected names, aliases, terms, allow-list
  phrases and banned names in a single pass over the text, whatever their number.
- Entries whose own key repeats a character (哈哈, 8899) are matched on the text's raw key, which
  keeps repeats, in a second automaton; entries written with numbers (六四, 8964, 3p) also on its
  numeric key, in a third (normalize.py), so a term written in one number form finds the others.
- One automaton over pinyin finds homophones and names typed in pinyin (protected names and
  banned names of two or more Han characters), spelled from the raw key: letters stay intact
  (zhongguo keeps its two g), tone marks are folded, ü and v are one letter, and a person's name
  is also spelled with its surname's reading (单 shan, 曾 zeng).
- Near copies (one character changed, inserted or dropped) use a symmetric-deletion index
  (SymSpell's idea) kept as hashes: every key and its one-character deletions are hashed
  into a hash table of numpy arrays; a text's windows and their deletions are hashed all at
  once (polynomial hashes from prefix sums) and looked up together, and the few that hit
  are confirmed on the strings. The cost depends on the text, not on how many names there
  are, and the arrays load in milliseconds. Keys of three characters only match an
  insertion; substitution on so short a key would flag too many ordinary names.

The index is built once per lexicon and stored as an artifact of numpy arrays and JSON (see
core/artifacts.py): its automata are rebuilt from their stored keys on load, so no pickle is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from chalicelib.names import tables
from chalicelib.names.normalize import folded, normalize, numeral, skeletal, translated

PROTECTED, TERM, ALLOW, BANNED = "PROTECTED", "TERM", "ALLOW", "BANNED"
MIN_KEY_LENGTH = 1  # platforms' lexicons hold single characters; Latin ones match as whole words only
MIN_TERM_SYLLABLES = 3
MIN_PINYIN_LETTERS = 5
SUBSTITUTION_MIN_LENGTH = 4
PAIRS_AT_ONCE = 1 << 20  # (position, key) pairs confirmed in one slice of a long text


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
    raw: str = ""                   # the key with repeats kept (normalize.py)
    substring: bool = False         # a Latin or digit term found inside longer words too (the tenant asked)
    scenes: tuple[str, ...] = ()    # the scenes it is limited to, none: every scene (core/scenes.py; read on hits)


def make_entry(entry_id: str, kind: str, surface: str, label: str, category: str, action: str,
               owners: tuple[str, ...] = (), expires_at: str | None = None, substring: bool = False,
               scenes: tuple[str, ...] = ()) -> Entry:
    norm = normalize(surface)
    return Entry(entry_id, kind, surface, label, category, action, owners, norm.key, folded(surface),
                 skeletal(surface), expires_at, norm.raw, substring, scenes)


@dataclass(frozen=True)
class Found:
    """One raw match: which entry, where in the key, and how."""

    entry: Entry
    start: int            # key index, inclusive
    end: int              # key index, exclusive
    channel: str


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
    import itertools

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


class Matches(NamedTuple):
    """Raw matches of a long text as arrays, one row per (start, end, entry number), by start: a post
    may hold tens of thousands, and arrays keep the work per match in C."""

    starts: Any
    ends: Any
    numbers: Any

    @classmethod
    def of(cls, found: Iterable[tuple[int, int, int]]) -> Matches:
        import numpy as np

        table = np.array(list(found), dtype=np.int64).reshape(-1, 3)
        return cls(table[:, 0], table[:, 1], table[:, 2])

    @classmethod
    def join(cls, parts: list[Matches]) -> Matches:
        import numpy as np

        return cls(*(np.concatenate([part[column] for part in parts]) for column in range(3)))


def _ranges(first: Any, counts: Any) -> Any:
    """The concatenation of range(f, f + c) for each pair: how candidates expand into their keys."""
    import numpy as np

    return np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))


class _Keys:
    """Keys grouped by a prefix code, looked up by hash: a candidate position (its prefix code is some
    key's) is hashed once per distinct length among that prefix's keys, whatever their number, and
    the (prefix, length, hash) triples that exist are confirmed point by point (so a collision costs
    a comparison, never a wrong match). Key k is spelled points[at[k]:at[k + 1]] and found as entries
    numbers[owned[k]:owned[k + 1]]; matching is array work, never a loop over positions or keys."""

    def __init__(self, grouped: dict[int, list[tuple[tuple[int, ...], list[int]]]]) -> None:
        import numpy as np

        self.codes = np.array(sorted(grouped), dtype=np.int64)
        keys = [key for code in self.codes.tolist() for key in grouped[code]]
        self.lengths = np.array([len(points) for points, _ in keys], dtype=np.int64)
        self.at = np.cumsum(np.concatenate([[0], self.lengths])).astype(np.int64)
        self.points = np.array([p for points, _ in keys for p in points], dtype=np.int64)
        self.owned = np.cumsum([0] + [len(numbers) for _, numbers in keys]).astype(np.int64)
        self.numbers = np.array([n for _, numbers in keys for n in numbers], dtype=np.int64)
        # a slot per (prefix, key length); slots of prefix i are slot_first[i]:slot_first[i + 1]
        slots = [sorted({len(points) for points, _ in grouped[code]}) for code in self.codes.tolist()]
        self.slot_first = np.cumsum([0] + [len(lengths) for lengths in slots]).astype(np.int64)
        self.slot_length = np.array([m for lengths in slots for m in lengths], dtype=np.int64)
        slot_of = {(i, m): n for n, (i, m) in enumerate((i, m) for i, lengths in enumerate(slots) for m in lengths)}
        prefix_of = np.repeat(np.arange(len(slots)), [len(grouped[code]) for code in self.codes.tolist()])
        key_slot = np.array([slot_of[(i, m)] for i, m in zip(prefix_of.tolist(), self.lengths.tolist(), strict=True)],
                            dtype=np.uint64)
        values = _slotted(self._hashes(), key_slot)
        order = np.argsort(values, kind="stable")  # keys of one value stay in key order
        self.values, first = np.unique(values[order], return_index=True)
        self.value_first = np.append(first, len(order)).astype(np.int64)
        self.value_keys = order.astype(np.int64)

    def _hashes(self) -> Any:
        import numpy as np

        hashes = np.zeros(len(self.lengths), dtype=np.uint64)
        for length in np.unique(self.lengths).tolist():
            keys = np.flatnonzero(self.lengths == length)
            rows = self.points[self.at[keys][:, None] + np.arange(length)[None, :]].astype(np.uint64)
            hashes[keys] = _horner(rows)
        return hashes

    def matches(self, points: Any, codes: Any, confirmed: int) -> Matches:
        """Every key at every position whose code is a key's prefix code; the first `confirmed` points
        are known to agree (the code says so). Positions go in slices of about PAIRS_AT_ONCE (position,
        length) pairs, so memory stays bounded."""
        import numpy as np

        # codes are sorted and unique: one binary search per position says whether and which
        at = np.minimum(np.searchsorted(self.codes, codes), len(self.codes) - 1)
        candidates = np.flatnonzero(self.codes[at] == codes)
        prefix = at[candidates]
        counts = self.slot_first[prefix + 1] - self.slot_first[prefix]
        up, down = _rolling_powers(len(points) + 1)
        spelled = points.astype(np.uint64)
        rolling = np.zeros(len(points) + 1, dtype=np.uint64)  # rolling[i] = sum points[k] * B**(i-1-k)
        rolling[1:] = up[:len(points)] * np.cumsum(spelled * down[:len(points)])
        cuts = np.searchsorted(np.cumsum(counts), np.arange(PAIRS_AT_ONCE, int(counts.sum()), PAIRS_AT_ONCE))
        parts = [self._found(points, rolling, up, candidates[a:b], prefix[a:b], counts[a:b], confirmed)
                 for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), len(candidates)], strict=True)]
        return parts[0] if len(parts) == 1 else Matches.join(parts)

    def _found(self, points: Any, rolling: Any, up: Any, candidates: Any, prefix: Any, counts: Any,
               confirmed: int) -> Matches:
        import numpy as np

        starts, slots = np.repeat(candidates, counts), _ranges(self.slot_first[prefix], counts)
        length = self.slot_length[slots]
        fits = starts + length <= len(points)
        starts, slots, length = starts[fits], slots[fits], length[fits]
        values = _slotted(rolling[starts + length] - rolling[starts] * up[length], slots.astype(np.uint64))
        at = np.minimum(np.searchsorted(self.values, values), max(len(self.values) - 1, 0))
        known = np.flatnonzero(self.values[at] == values) if len(self.values) else np.zeros(0, dtype=np.int64)
        counts = self.value_first[at[known] + 1] - self.value_first[at[known]]
        starts = np.repeat(starts[known], counts)
        keys = self.value_keys[_ranges(self.value_first[at[known]], counts)]
        keys, starts = self._confirmed(points, starts, keys, confirmed)
        order = np.lexsort((keys, starts))  # by start, then in key order: as the automaton lists them
        starts, keys = starts[order], keys[order]
        counts = self.owned[keys + 1] - self.owned[keys]
        starts = np.repeat(starts, counts)
        return Matches(starts, starts + np.repeat(self.lengths[keys], counts),
                       self.numbers[_ranges(self.owned[keys], counts)])

    def _confirmed(self, points: Any, starts: Any, keys: Any, column: int) -> tuple[Any, Any]:
        """The (key, start) pairs whose points all agree, compared one column at a time."""
        import numpy as np

        done_keys, done_starts = [], []
        while len(keys):
            longer = self.lengths[keys] > column
            done_keys.append(keys[~longer])
            done_starts.append(starts[~longer])
            keys, starts = keys[longer], starts[longer]
            same = points[starts + column] == self.points[self.at[keys] + column]
            keys, starts, column = keys[same], starts[same], column + 1
        return (np.concatenate(done_keys) if done_keys else keys), (np.concatenate(done_starts) if done_starts
                                                                     else starts)


def _slotted(hashes: Any, slots: Any) -> Any:
    """A key's or window's hash mixed with its slot, so one sorted array answers every slot."""
    import numpy as np

    return hashes ^ (slots * np.uint64(0xC2B2AE3D27D4EB4F))


@lru_cache(maxsize=4)
def _rolling_powers_of(count: int) -> tuple[Any, Any]:
    """B**k and B**-k modulo 2**64 for k < count, by cumulative products (numpy's uint64 wraps)."""
    import numpy as np

    up = np.ones(count, dtype=np.uint64)
    down = np.ones(count, dtype=np.uint64)
    up[1:] = np.cumprod(np.full(count - 1, _HASH_BASE, dtype=np.uint64))
    down[1:] = np.cumprod(np.full(count - 1, pow(_HASH_BASE, -1, 1 << 64), dtype=np.uint64))
    return up, down


def _rolling_powers(length: int) -> tuple[Any, Any]:
    return _rolling_powers_of(max(64, 1 << length.bit_length()))


class PrefixTable:
    """Long texts: every key of an automaton found by its first `width` characters, checked for all
    positions at once with numpy (pyahocorasick walks a node's children one by one, which is slow
    for Chinese, where the root alone has thousands), then confirmed character by character, also
    for all candidates at once."""

    def __init__(self, width: int, base: int, by_prefix: dict[str, list[tuple[str, Any]]]) -> None:
        import numpy as np

        self.width, self.base = width, base
        grouped: dict[int, list[tuple[tuple[int, ...], list[int]]]] = {}
        singles: dict[int, list[int]] = {}
        for prefix, keys in by_prefix.items():
            if len(prefix) == width:
                grouped[self._code(prefix)] = [(tuple(map(ord, key)), list(numbers)) for key, numbers in keys]
            else:  # a shorter key never fills a window: single characters are looked up by code point
                for key, numbers in keys:
                    singles.setdefault(ord(key), []).extend(numbers)
        self.keys = _Keys(grouped)
        self.single_codes = np.array(sorted(singles), dtype=np.int64)
        self.single_owned = np.cumsum([0] + [len(singles[c]) for c in sorted(singles)]).astype(np.int64)
        self.single_numbers = np.array([n for c in sorted(singles) for n in singles[c]], dtype=np.int64)

    @classmethod
    def of(cls, automaton: Any, width: int, base: int) -> PrefixTable:
        by_prefix: dict[str, list[tuple[str, Any]]] = {}
        for key, (_, numbers) in (automaton.items() if automaton is not None else ()):
            by_prefix.setdefault(key[:width], []).append((key, numbers))
        return cls(width, base, by_prefix)

    def _code(self, prefix: str) -> int:
        value = 0
        for char in prefix:
            value = value * self.base + ord(char)
        return value

    def matches(self, text: str) -> Matches:
        """Every key inside `text`, by start: (start, end, entry number) rows."""
        import numpy as np

        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        found = [self._singles(points)] if len(self.single_codes) and len(points) else []
        if len(text) >= self.width and len(self.keys.codes):
            count = len(points) - self.width + 1
            codes = points[:count].copy()
            for k in range(1, self.width):
                codes = codes * self.base + points[k:k + count]
            found.append(self.keys.matches(points, codes, self.width))
        if not found:
            return Matches.of(())
        if len(found) == 1:
            return found[0]
        joined = Matches.join(found)
        order = np.argsort(joined.starts, kind="stable")
        return Matches(joined.starts[order], joined.ends[order], joined.numbers[order])

    def _singles(self, points: Any) -> Matches:
        import numpy as np

        at = np.minimum(np.searchsorted(self.single_codes, points), len(self.single_codes) - 1)
        starts = np.flatnonzero(self.single_codes[at] == points)
        first = self.single_owned[at[starts]]
        counts = self.single_owned[at[starts] + 1] - first
        starts = np.repeat(starts, counts)
        return Matches(starts, starts + 1, self.single_numbers[_ranges(first, counts)])


_LETTER_RUN = re.compile(f"[a-z]{{{MIN_PINYIN_LETTERS},}}")
_NOT_LETTERS = ord("|")  # in no pinyin key: the automaton never matches across it


def _letter_runs(key: str) -> str:
    """`key` with every character outside a run of MIN_PINYIN_LETTERS letters or more made a `|`, so one
    automaton pass finds what a pass over each run finds, at the same indexes."""
    import numpy as np

    points = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32)
    letter = (points >= ord("a")) & (points <= ord("z"))
    edges = np.flatnonzero(np.diff(np.concatenate([[False], letter, [False]]).astype(np.int8)))
    keep = np.zeros(len(points) + 1, dtype=np.int8)
    for_runs = edges.reshape(-1, 2)
    long_runs = for_runs[for_runs[:, 1] - for_runs[:, 0] >= MIN_PINYIN_LETTERS]
    np.add.at(keep, long_runs[:, 0], 1)
    np.add.at(keep, long_runs[:, 1], -1)
    masked = np.where(np.cumsum(keep[:-1]) > 0, points, _NOT_LETTERS).astype(np.uint32)
    return masked.tobytes().decode("utf-32-le")


class _SyllableIds(dict[int, str]):
    """codepoint → chr(syllable number), 0 for a character without a reading; for str.translate."""

    def __init__(self, numbers: dict[str, int]) -> None:
        super().__init__()
        self.numbers = numbers

    def __missing__(self, code: int) -> str:
        reading = tables.pinyin().get(chr(code))
        self[code] = chr(self.numbers.get(reading, 0) if reading else 0)
        return self[code]


class ReadingTable:
    """Terms of three syllables or more, found in a long text by the readings of its characters:
    each character becomes its syllable's number, every window of three is checked at once with
    numpy, and the candidates are confirmed syllable by syllable, also all at once. Same readings,
    whole characters."""

    def __init__(self, terms: list[tuple[str, int]]) -> None:
        readings = tables.pinyin()
        self.numbers: dict[str, int] = {}
        grouped: dict[tuple[int, ...], list[int]] = {}
        for key, number in terms:
            if len(key) < MIN_TERM_SYLLABLES or any(c not in readings for c in key):
                continue
            ids = tuple(self.numbers.setdefault(readings[c], len(self.numbers) + 1) for c in key)
            grouped.setdefault(ids, []).append(number)
        by_prefix: dict[int, list[tuple[tuple[int, ...], list[int]]]] = {}
        for ids, numbers in grouped.items():
            by_prefix.setdefault(self._code(ids), []).append((ids, numbers))
        self.keys = _Keys(by_prefix)
        self.translation = _SyllableIds(self.numbers)

    @staticmethod
    def _code(ids: tuple[int, ...]) -> int:
        return (ids[0] << 24) | (ids[1] << 12) | ids[2]

    def matches(self, key: str) -> Matches:
        import numpy as np

        if len(key) < 3 or not len(self.keys.codes):
            return Matches.of(())
        ids = np.frombuffer(key.translate(self.translation).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        codes = (ids[:-2] << 24) | (ids[1:-1] << 12) | ids[2:]
        return self.keys.matches(ids, codes, 3)


_HASH_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64: numpy's uint64 arithmetic wraps there
_MASK = (1 << 64) - 1


@lru_cache(maxsize=8)
def _powers(count: int) -> tuple[Any, Any]:
    """B**k and B**-k modulo 2**64 for k < count."""
    import numpy as np

    inverse = pow(_HASH_BASE, -1, 1 << 64)
    up, down = [1], [1]
    for _ in range(count - 1):
        up.append(up[-1] * _HASH_BASE & _MASK)
        down.append(down[-1] * inverse & _MASK)
    return np.array(up, dtype=np.uint64), np.array(down, dtype=np.uint64)


def _powers_for(length: int) -> tuple[Any, Any]:
    return _powers(max(64, 1 << length.bit_length()))


def _horner(codes: Any) -> Any:
    """Row hashes of a 2-D array of code points: sum of c[i] * B**(width-1-i), modulo 2**64."""
    import numpy as np

    hashes = np.zeros(len(codes), dtype=np.uint64)
    for column in codes.T:
        hashes = hashes * np.uint64(_HASH_BASE) + column
    return hashes


def _variant_hashes(keys: list[str]) -> tuple[Any, Any]:
    """(hash, key number) of every key and, for keys of four characters or more, each of its
    one-character deletions; computed per key length, a column at a time."""
    import numpy as np

    by_length: dict[int, list[int]] = {}
    for number, key in enumerate(keys):
        by_length.setdefault(len(key), []).append(number)
    hashes, owners = [], []
    for length, numbers in by_length.items():
        codes = np.frombuffer("".join(keys[n] for n in numbers).encode("utf-32-le"), dtype=np.uint32)
        codes = codes.reshape(len(numbers), length).astype(np.uint64)
        owner = np.array(numbers, dtype=np.int64)
        hashes.append(_horner(codes))
        owners.append(owner)
        for cut in range(length if length >= SUBSTITUTION_MIN_LENGTH else 0):
            hashes.append(_horner(np.delete(codes, cut, axis=1)))
            owners.append(owner)
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(hashes), np.concatenate(owners)


def _window_plan(size: int, lengths: tuple[int, ...]) -> tuple[Any, ...]:
    """For a text of `size` characters: every window of the given lengths, whole and with each one
    character deleted, as index arrays into the prefix hashes P, so that one expression hashes all:
    (P[i1] - P[i0]*B**pj) * B**e + P[i2] - P[i3]*B**e  (a whole window: pj = m, e = 0, i2 = i3).
    Returns (start, length, i0, i1, pj, e, i2, i3); name-sized plans are cached."""
    return (_cached_plan if size <= 64 else _plan)(size, lengths)


def _plan(size: int, lengths: tuple[int, ...]) -> tuple[Any, ...]:
    import numpy as np

    parts = []
    for m in lengths:
        a = np.arange(size - m + 1)[:, None]
        j = np.arange(m + 1)[None, :]  # j == m: the whole window
        whole = j == m
        a, j = np.broadcast_arrays(a, j)
        parts.append(np.stack([a, np.full_like(a, m), a, a + j, j, np.where(whole, 0, m - 1 - j),
                               a + m, np.where(whole, a + m, a + j + 1)]).reshape(8, -1))
    table = np.concatenate(parts, axis=1)
    return tuple(table[column].copy() for column in range(8))


_cached_plan = lru_cache(maxsize=64)(_plan)


def within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


_ENTRY_FIELDS = tuple(Entry.__dataclass_fields__)


@dataclass
class NameIndex:
    """Entries are kept as plain tuples: cheaper to hold and to restore from an artifact than
    dataclass instances."""

    rows: list[tuple]
    version: str
    automaton: Any = None  # pyahocorasick automata (the package has no type stubs)
    repeat_automaton: Any = None     # entries whose key repeats a character, on the raw key
    numeric_automaton: Any = None    # entries written with numbers, on the numeric key
    pinyin_automaton: Any = None
    term_pinyin_automaton: Any = None  # prohibited terms by reading: posts only (names keep terms exact)
    near_hashes: Any = None          # near copies: hashes of keys and their deletions, sorted (numpy uint64)
    near_entries: Any = None         # the entry number of each hash
    near_buckets: Any = None         # hashes whose top `near_bits` bits are b: near_buckets[b]:near_buckets[b + 1]
    near_bits: int = 0
    near_lengths: tuple[int, ...] = ()  # window lengths worth hashing

    def entry(self, number: int) -> Entry:
        return Entry(*self.rows[number])

    def field(self, name: str, numbers: list[int]) -> list[Any]:
        """One field of several entries, read off the rows without making an Entry of each."""
        at = _ENTRY_FIELDS.index(name)
        return [self.rows[n][at] for n in numbers]

    @classmethod
    def build(cls, entries: list[Entry], version: str) -> NameIndex:
        import ahocorasick

        kept = [e for e in entries if len(e.raw) >= MIN_KEY_LENGTH]
        index = cls([tuple(getattr(e, f) for f in _ENTRY_FIELDS) for e in kept], version)
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
        index.automaton = _automaton(ahocorasick, by_key)
        index.repeat_automaton = _automaton(ahocorasick, by_raw)
        index.numeric_automaton = _automaton(ahocorasick, by_numeric)
        index.pinyin_automaton = _automaton(ahocorasick, by_pinyin)
        index.term_pinyin_automaton = _automaton(ahocorasick, terms_by_pinyin)
        index._index_near(near)
        return index

    def _index_near(self, numbers: list[int]) -> None:
        """A hash table in three arrays: hashes sorted, bucketed by their top bits (at least as many
        buckets as hashes, so a lookup reads about one), each with its entry number."""
        import numpy as np

        hashes, owners = _variant_hashes([self.rows[n][_KEY] for n in numbers])
        if not len(hashes):
            return
        order = np.lexsort((owners, hashes))
        hashes, owners = hashes[order], np.array(numbers, dtype=np.int64)[owners[order]]
        keep = np.ones(len(hashes), dtype=bool)  # a key's deletions repeat where it repeats a character
        keep[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
        self.near_hashes, self.near_entries = hashes[keep], owners[keep].astype(np.int32)
        self.near_bits = max(1, (len(self.near_hashes) - 1).bit_length())
        bounds = np.arange(1 << self.near_bits, dtype=np.uint64) << np.uint64(64 - self.near_bits)
        self.near_buckets = np.append(np.searchsorted(self.near_hashes, bounds), len(self.near_hashes)).astype(np.int32)
        lengths = {len(self.rows[n][_KEY]) for n in numbers}
        self.near_lengths = tuple(sorted({m for n in lengths for m in (
            (n + 1,) if n < SUBSTITUTION_MIN_LENGTH else (n - 1, n, n + 1))}))

    def to_artifact(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The index as an artifact (core/artifacts.py): entries by column (string columns and automaton
        keys as string lists, the rest as JSON) and numpy arrays. An automaton is kept as its keys and
        values and rebuilt on load: pyahocorasick restores one only through pickle or a C reader that
        trusts its raw nodes."""
        return _artifact_of(self)

    @classmethod
    def from_artifact(cls, doc: dict[str, Any], arrays: dict[str, Any], version: str) -> NameIndex:
        """The index `to_artifact` stored, at `version`; ValueError (or another error) when it is not one."""
        return _index_of(cls, doc, arrays, version)

    def exact_long(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """`exact` for long texts (posts), through a prefix table built on first use."""
        yield from self._entries(self.exact_matches(key))

    def exact_matches(self, key: str, automaton: str = "automaton") -> Matches:
        """`exact_long` (long texts) as arrays of entry numbers; `automaton` names which keys (the
        repeat or numeric automaton's, on the raw or numeric key)."""
        name = f"_{automaton}_table"
        table = self.__dict__.get(name) or self.__dict__.setdefault(
            name, PrefixTable.of(getattr(self, automaton), 2, 0x110000))
        return table.matches(key)

    def owners_of(self, raw: str, key: str) -> set[str]:
        """Owners of every protected entry with this key (raw form and collapsed): owning a tenant's entry
        exempts from a built-in one of the same name, which has no owners (PA2020-8)."""
        automaton = self.automaton if raw == key else self.repeat_automaton
        found = automaton.get(raw, None) if automaton is not None else None
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
            [(e.raw, n) for n, e in enumerate(map(self.entry, range(len(self.rows)))) if e.kind == TERM]))
        found = table.matches(key)
        if self.term_pinyin_automaton is None or not _LETTER_RUN.search(key):
            return found
        # a key's letters are their own reading
        typed = Matches.of((end - length + 1, end + 1, number)
                           for end, (length, numbers) in self.term_pinyin_automaton.iter(_letter_runs(key))
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
        found = getattr(self, automaton)
        if found is None or not key:
            return
        for end, (length, numbers) in found.iter(key):
            for number in numbers:
                yield end - length + 1, end + 1, number

    def homophones(self, key: str, *, long: bool = False, terms: bool = False) -> Iterator[tuple[int, int, Entry]]:
        """Entries whose reading is spelled inside the raw key's: protected and banned names, or (`terms`)
        terms."""
        for start, end, number in self.homophone_numbers(key, long=long, terms=terms):
            yield start, end, self.entry(number)

    def homophone_numbers(self, key: str, *, long: bool = False, terms: bool = False) -> Iterator[tuple[int, int, int]]:
        """`homophones`, as (start, end, entry number)."""
        automaton = self.term_pinyin_automaton if terms else self.pinyin_automaton
        if automaton is None:
            return
        spelled, origin = pinyin_long(key) if long else pinyin_of(key)
        if not spelled:
            return
        for end, (length, numbers) in automaton.iter(spelled):
            start = end - length + 1
            first, last = int(origin[start]), int(origin[end])
            # Only whole characters: a match must start and end on a syllable boundary.
            if (start > 0 and int(origin[start - 1]) == first) or (
                    end + 1 < len(origin) and int(origin[end + 1]) == last):
                continue
            yield from ((first, last + 1, number) for number in numbers)

    def near_copies(self, key: str) -> Iterator[tuple[int, int, Entry]]:
        """Substrings of `key` one edit away from an entry's key (but not equal to it). A window one
        character shorter is a key's deletion; an equal one shares a deletion with the key; a longer
        one has the key among its deletions: all are found among the hashed deletions, then
        confirmed on the strings (a hash collision costs one comparison, never a wrong hit)."""
        import numpy as np

        lengths = tuple(m for m in self.near_lengths if m <= len(key))
        if self.near_hashes is None or not lengths:
            return
        start, size, i0, i1, pj, e, i2, i3 = _window_plan(len(key), lengths)
        up, down = _powers_for(len(key) + 1)
        codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        prefix = np.zeros(len(key) + 1, dtype=np.uint64)
        prefix[1:] = up[:len(key)] * np.cumsum(codes * down[:len(key)])  # P[i] = sum c[k] * B**(i-1-k)
        hashes = (prefix[i1] - prefix[i0] * up[pj]) * up[e] + prefix[i2] - prefix[i3] * up[e]
        # every (query, stored hash in its bucket) pair at once, then the equal ones
        bucket = (hashes >> np.uint64(64 - self.near_bits)).astype(np.intp)
        first, counts = self.near_buckets[bucket], self.near_buckets[bucket + 1] - self.near_buckets[bucket]
        query = np.repeat(np.arange(len(hashes)), counts)
        stored = np.arange(len(query)) + np.repeat(first - (np.cumsum(counts) - counts), counts)
        equal = np.flatnonzero(self.near_hashes[stored] == hashes[query])
        seen: set[tuple[int, int, int]] = set()
        for at, m, number in zip(start[query[equal]].tolist(), size[query[equal]].tolist(),
                                 self.near_entries[stored[equal]].tolist(), strict=True):
            piece, entry_key = key[at:at + m], self.rows[number][_KEY]
            if (at, m, number) in seen or piece == entry_key or not within_one_edit(piece, entry_key):
                continue
            if len(entry_key) < SUBSTITUTION_MIN_LENGTH and m != len(entry_key) + 1:
                continue
            seen.add((at, m, number))
            yield at, at + m, self.entry(number)


_KEY = _ENTRY_FIELDS.index("key")


def _automaton(ahocorasick: object, keyed: dict[str, list[int]]) -> object:
    if not keyed:
        return None
    automaton = ahocorasick.Automaton()  # type: ignore[attr-defined]
    for key, numbers in keyed.items():
        automaton.add_word(key, (len(key), tuple(numbers)))
    automaton.make_automaton()
    return automaton


# --- artifact form (see NameIndex.to_artifact) -----------------------------------------------------

_AUTOMATA = ("automaton", "repeat_automaton", "numeric_automaton", "pinyin_automaton", "term_pinyin_automaton")
_DEFERRED = ("term_pinyin_automaton",)  # posts only: a container answering name checks never builds it
_NEAR_ARRAYS = {"near_hashes": "uint64", "near_entries": "int32", "near_buckets": "int32"}
_OWNERS = _ENTRY_FIELDS.index("owners")
_KIND = _ENTRY_FIELDS.index("kind")
_SCENES = _ENTRY_FIELDS.index("scenes")


def _artifact_of(index: NameIndex) -> tuple[dict[str, Any], dict[str, Any]]:
    import numpy as np

    unknown = set(NameIndex.__dataclass_fields__) - {"rows", "version", "near_bits", "near_lengths", *_AUTOMATA,
                                                     *_NEAR_ARRAYS}
    if unknown:  # a new structure must say how it is stored, or loaded indexes would lack it
        raise TypeError(f"NameIndex fields without an artifact form: {sorted(unknown)}")
    columns = [list(column) for column in zip(*index.rows, strict=True)] or [[] for _ in _ENTRY_FIELDS]
    doc: dict[str, Any] = {"fields": list(_ENTRY_FIELDS), "count": len(index.rows), "columns": {},
                           "near_bits": index.near_bits, "near_lengths": list(index.near_lengths), "automata": {}}
    arrays = {name: getattr(index, name) for name in _NEAR_ARRAYS if getattr(index, name) is not None}
    for number, column in enumerate(columns):  # columns of strings split in one call; the others as JSON
        if all(isinstance(value, str) for value in column):
            arrays[f"column.{number}"] = column
        else:
            doc["columns"][str(number)] = column
    for name in _AUTOMATA:
        automaton = getattr(index, name)
        items = list(automaton.items()) if automaton is not None else None
        doc["automata"][name] = None if items is None else len(items)
        if items is not None:
            arrays[f"{name}.keys"] = [key for key, _ in items]
            arrays[f"{name}.lengths"] = np.array([length for _, (length, _) in items], dtype=np.int32)
            arrays[f"{name}.counts"] = np.array([len(numbers) for _, (_, numbers) in items], dtype=np.int32)
            arrays[f"{name}.numbers"] = np.array([n for _, (_, numbers) in items for n in numbers], dtype=np.int32)
    return doc, arrays


def _index_of(cls: type[NameIndex], doc: dict[str, Any], arrays: dict[str, Any], version: str) -> NameIndex:
    if doc["fields"] != list(_ENTRY_FIELDS):
        raise ValueError("the entries have other fields")
    size = int(doc["count"])
    columns = [doc["columns"][str(n)] if str(n) in doc["columns"] else arrays[f"column.{n}"]
               for n in range(len(_ENTRY_FIELDS))]
    if any(len(column) != size for column in columns):
        raise ValueError("entry columns of other lengths")
    columns[_OWNERS] = list(map(tuple, columns[_OWNERS]))
    columns[_SCENES] = list(map(tuple, columns[_SCENES]))
    index = cls(list(zip(*columns, strict=True)) if size else [], version, near_bits=int(doc["near_bits"]),
                near_lengths=tuple(int(m) for m in doc["near_lengths"]))
    for name in _AUTOMATA:
        if doc["automata"][name] is None:
            setattr(index, name, None)
            continue
        keys, values = _checked_values(arrays, name, size)
        setattr(index, name, _Deferred(keys, values) if name in _DEFERRED else _filled(keys, values))
    for name, dtype in _NEAR_ARRAYS.items():
        value = arrays.get(name)
        if value is not None and (value.dtype != dtype or value.ndim != 1):
            raise ValueError(f"{name} is not a vector of {dtype}")
        setattr(index, name, value)
    _check_near(index, size)
    return index


def _checked_values(arrays: dict[str, Any], name: str, size: int) -> tuple[list[str], Any]:
    """An automaton's stored keys and (length, entry numbers) values, every number inside the index."""
    import numpy as np

    keys, lengths, counts, numbers = (arrays[f"{name}.{part}"] for part in ("keys", "lengths", "counts", "numbers"))
    if not len(keys) == len(lengths) == len(counts) or (len(keys) and counts.min() < 1) \
            or int(counts.sum()) != len(numbers) or (len(numbers) and not 0 <= numbers.min() <= numbers.max() < size):
        raise ValueError(f"{name}: values do not fit its keys and entries")
    flat = numbers.tolist()
    if len(flat) == len(keys):  # one entry per key, the usual case: every tuple made in C
        entry_numbers: Any = zip(flat)
    else:
        bounds = np.cumsum(counts).tolist()
        entry_numbers = (tuple(flat[end - count:end]) for end, count in zip(bounds, counts.tolist(), strict=True))
    return keys, zip(lengths.tolist(), entry_numbers, strict=True)


def _filled(keys: list[str], values: Any) -> object:
    """The automaton of `keys` and `values`, filled in C (one map over the keys) and compiled."""
    from collections import deque

    import ahocorasick

    automaton = ahocorasick.Automaton()
    deque(map(automaton.add_word, keys, values), maxlen=0)
    automaton.make_automaton()
    return automaton


class _Deferred:
    """An automaton compiled from its checked keys and values on first use, with the two calls the
    lookups make. Compiling is most of what loading an index costs."""

    def __init__(self, keys: list[str], values: Any) -> None:
        import threading

        self._parts: tuple[list[str], Any] | None = (keys, values)
        self._automaton: Any = None
        self._lock = threading.Lock()  # the values are an iterator: consumed once, by one thread

    def _compiled(self) -> Any:
        with self._lock:
            if self._parts is not None:
                keys, values = self._parts
                self._automaton, self._parts = _filled(keys, values), None
        return self._automaton

    def iter(self, text: str, *args: Any) -> Any:
        return self._compiled().iter(text, *args)

    def items(self) -> Any:
        return self._compiled().items()


def _check_near(index: NameIndex, size: int) -> None:
    """The near-copy table's arrays agree with each other and with the entries, or ValueError."""
    import numpy as np

    hashes, owners, buckets = index.near_hashes, index.near_entries, index.near_buckets
    if hashes is None and owners is None and buckets is None:
        return
    if hashes is None or owners is None or buckets is None or len(owners) != len(hashes) \
            or not 1 <= index.near_bits <= 40 or len(buckets) != (1 << index.near_bits) + 1:
        raise ValueError("the near-copy table is incomplete")
    if (len(owners) and not 0 <= owners.min() <= owners.max() < size) or buckets[0] < 0 \
            or buckets[-1] != len(hashes) or np.any(np.diff(buckets) < 0):
        raise ValueError("the near-copy table points outside itself")

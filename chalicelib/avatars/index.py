"""Matching PDQ hashes against a bank: multi-index hashing, sublinear in the bank's size.

A 256-bit hash is cut into 16 chunks of 16 bits. Two hashes within distance 31 differ in at
most 31 bits, so (pigeonhole) at least one of their 16 chunks differs in at most one bit. For
each chunk the bank is sorted by that chunk's value, with the offset where each value starts;
a query probes, per chunk, its own value and the 16 values one bit away, gathers those rows as
candidates, and computes exact distances on the candidates only. Recall at ≤ 31 is the brute
force's by construction; small banks are simply compared in full.

Entries added by image also carry the hash of their centre (crops.py); those sit in a second table
(`crops`, `crop_rows` naming each one's entry row), searched with the checked image's 62 regions, and a
match through it is reported as the entry's, transform ``centre_crop``.

The regions are not searched exhaustively. A region matches a centre when it is within the distance
*and* agrees exactly on at least one 16-bit chunk, so each region probes only its 16 chunk values, not
their 16 one-bit neighbours too (16 probes instead of 272, about 250 candidates per region in a 1M table
instead of about 4,150). Within distance 15 that loses nothing (pigeonhole again: 15 differing bits
leave some chunk untouched); beyond it a pair is missed only when every chunk differs. A check sends 62
overlapping regions of one image and a true crop is found by any one of them, so little is lost:
measured on the bench's generated copies (bank of 200), one copy in 400 cut on one side more missed
(98.5 → 98.25 %), evenly cut, mirrored and four-side copies unchanged, still no false match among
1,000 unrelated photographs. Against a 1M table with every centre the regions cost about 0.55 ms
instead of about 8 ms. The same rule applies to small tables compared in full, so a table's size never changes
what a region finds. The eight variants against the entries' own hashes stay exact (brute force's
matches).

The grid regions (names starting GRID_PREFIX, 1,225 a check, for copies cut on four sides each on its own:
crops.py) are too many for that: probing their 16 chunk values would cost about 10 ms at 1M. A grid region
matches a centre within the distance that also agrees with it exactly on a 24-bit key: for c in PAIRED
(rows of the lowest vertical frequencies), chunk c and the low byte of chunk c + 1 (its lowest horizontal
frequencies), what a region slightly off moves least. A random row holds a given key about once in 1.7 × 10⁷,
so a probe has almost no candidates and costs only finding out: in an indexed table a filter of one bit per
key turns away the absent keys (at 1M rows 1 in 16 passes), and the rest are looked up in chunk c's run of
rows, the low byte of each row's chunk c + 1 kept beside the order (`pair_keys`, made from the words and
order when the table is built or loaded: at 1M, 6 MB of bytes and 12 MB of filter, about 0.4 s). 7,350
probes a check cost about 0.4 ms against a 1M table with every centre (bench: 2.04 ms with the grid, 1.62
without, load 0.2–0.9; before the variants' runs were XORed in place). A table compared in full sorts its
(key, row) values once and finds the same rows by binary search. Against one exact chunk the key loses some
true copies (grid alone, two seeds: 96.8 / 95.2 % with one chunk, 96.0 / 91.6 % with the six keys, 90.4 /
85.6 % with eight pairs of whole chunks) and keeps the false ones out: every grid region within 31 of a
centre, no key asked, matched 2 of 1,000 unrelated photographs; with the key, none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chalicelib.avatars import pdq

CHUNKS = 16
VALUES = 1 << 16
BRUTE_FORCE_BELOW = 4096  # rows: under this a full comparison is faster than probing
FORMAT = "bank-2"  # bumped when the index or its artifact form changes, so stored artifacts are rebuilt
CROP_TRANSFORM = "centre_crop"  # crops.TRANSFORM, without importing the hashing side here
GRID_PREFIX = "grid "  # crops.GRID_PREFIX: regions matched through two adjacent exact chunks
# Grid regions match through a 24-bit key: for c in PAIRED, chunk c and the low byte of chunk c + 1 (its eight
# lowest horizontal frequencies), of the rows of the seven lowest vertical frequencies (chunk 15 is the DCT
# block's row 0): what a region a little off moves least.
PAIRED = tuple(range(9, 15))
KEY_BITS, LOW = 24, 0xFF
PRESENCE_BITS = 24  # at most 2^24 bits (2 MB) per chunk pair in an indexed table's filter of the pair keys
BLOCK = 12  # query hashes probed together (their candidates fit in cache)
_FLIPS = np.concatenate([[0], 1 << np.arange(16)]).astype(np.int64)  # the value itself and its 16 neighbours
_CHUNK_AT = np.arange(CHUNKS, dtype=np.int64)[:, np.newaxis] * (VALUES + 1)  # chunk c's offsets in `starts`, flat


@dataclass
class BankIndex:
    version: str
    ids: list[str]
    words: np.ndarray  # (n, 4) uint64
    order: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int32))  # (16, n) rows sorted by chunk
    starts: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))  # (16, 65537) offsets
    entries: dict[str, dict] = field(default_factory=dict)  # id → the bank entry it stands for
    crops: BankIndex | None = None  # centre hashes, row k standing for row crop_rows[k] of this table
    crop_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    pairs: _Pairs | None = field(default=None, repr=False, compare=False)  # made from the rest on first use

    @classmethod
    def build(cls, version: str, ids: list[str], hashes: list[bytes],
              crops: list[tuple[int, bytes]] | None = None) -> BankIndex:
        """The index of `hashes` (row i is ids[i]), with `crops` as (row, centre hash) when given."""
        words = pdq.as_words(hashes) if hashes else np.zeros((0, 4), dtype=np.uint64)
        index = cls(version, ids, words)
        if crops:
            index.crop_rows = np.array([row for row, _ in crops], dtype=np.int32)
            index.crops = cls.build(version, [ids[row] for row, _ in crops], [bits for _, bits in crops])
            index.crops.pair_keys()
        if len(ids) >= BRUTE_FORCE_BELOW:
            chunks = _chunks(words)  # (n, 16)
            index.order = np.ascontiguousarray(np.argsort(chunks, axis=0, kind="stable").T, dtype=np.int32)
            counts = np.stack([np.bincount(chunks[:, c], minlength=VALUES) for c in range(CHUNKS)])
            index.starts = np.concatenate([np.zeros((CHUNKS, 1), dtype=np.int64), np.cumsum(counts, axis=1)], axis=1)
        return index

    def __len__(self) -> int:
        return len(self.ids)

    def to_artifact(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """JSON for the entries, numpy arrays for the rest (core/artifacts.py)."""
        entries = [self.entries[i] for i in self.ids] if self.entries else None
        arrays = {"ids": self.ids, "words": self.words, "order": self.order, "starts": self.starts}
        if self.crops is not None:
            arrays.update({"crop_rows": self.crop_rows, "crops.words": self.crops.words,
                           "crops.order": self.crops.order, "crops.starts": self.crops.starts})
        return ({"count": len(self.ids), "entries": entries,
                 "crops": None if self.crops is None else len(self.crop_rows)}, arrays)

    @classmethod
    def from_artifact(cls, doc: dict[str, Any], arrays: dict[str, Any], version: str) -> BankIndex:
        """The index `to_artifact` stored, at `version`; ValueError when its parts do not fit together."""
        ids = arrays["ids"]
        if not isinstance(ids, list) or len(ids) != doc["count"]:
            raise ValueError("the ids are not the stored list")
        index = cls(version, ids, arrays["words"], arrays["order"], arrays["starts"])
        if doc["entries"] is not None:
            if len(doc["entries"]) != len(ids) or not all(isinstance(e, dict) for e in doc["entries"]):
                raise ValueError("the entries do not fit the ids")
            index.entries = dict(zip(ids, doc["entries"], strict=True))
        index._check()
        if doc.get("crops") is not None:
            rows = arrays["crop_rows"]
            if rows.dtype != np.int32 or rows.shape != (doc["crops"],) or (len(rows) and not (
                    0 <= rows.min() and rows.max() < len(ids))):
                raise ValueError("the crop rows do not index the entries")
            index.crop_rows = rows
            index.crops = cls(version, [ids[row] for row in rows.tolist()], arrays["crops.words"],
                              arrays["crops.order"], arrays["crops.starts"])
            index.crops._check()
            index.crops.pair_keys()
        return index

    def _check(self) -> None:
        """Shapes and ranges a search relies on, so a malformed artifact is refused, not searched."""
        n = len(self.ids)
        if self.words.dtype != np.uint64 or self.words.shape != (n, 4):
            raise ValueError("words are not (rows, 4) uint64")
        if self.order.size == 0 and self.starts.size == 0:
            return
        if self.order.dtype != np.int32 or self.order.shape != (CHUNKS, n) or (n and not (
                0 <= self.order.min() and self.order.max() < n)):
            raise ValueError("the chunk order does not index the rows")
        if self.starts.dtype != np.int64 or self.starts.shape != (CHUNKS, VALUES + 1) or np.any(
                self.starts[:, 0] != 0) or np.any(self.starts[:, -1] != n) or np.any(np.diff(self.starts, axis=1) < 0):
            raise ValueError("the chunk offsets do not cover the rows")

    def match(self, queries: dict[str, bytes], threshold: int,
              insets: dict[str, bytes] | None = None) -> list[tuple[int, int, str]]:
        """(row, distance, variant) of every bank row within `threshold` of any query variant, or
        whose centre is within it of any of `insets` (variant ``centre_crop``), each row once with its
        nearest, nearest first. Insets named GRID_PREFIX… match a centre through an exact 24-bit key (a chunk
        and the low byte of the next), the others through an exact chunk (module docstring)."""
        found = self._match(queries, threshold)
        if self.crops is None or not insets:
            return found
        best = {row: (distance, variant) for row, distance, variant in found}
        plain, grid, grid_words = _split(insets)
        for crop_row, distance, _ in [*self.crops._match(plain, threshold, shared_chunk=True),
                                      *self.crops._match_pairs(grid, grid_words, threshold)]:
            row = int(self.crop_rows[crop_row])
            if row not in best or distance < best[row][0]:
                best[row] = (distance, CROP_TRANSFORM)
        return sorted(((row, d, v) for row, (d, v) in best.items()), key=lambda hit: (hit[1], hit[0]))

    def pair_keys(self) -> _Pairs:
        """The table's keys (for each c of PAIRED, chunk c above the low byte of chunk c + 1, 24 bits), made
        once: in a table compared in full, every (pair, key) sorted with its row; in an indexed one, the low byte
        of chunk c + 1 of each row of the chunk-c order beside it, and a filter of the keys present (one bit a
        key at 1M rows and more, a key's top bits in smaller tables)."""
        if self.pairs is not None:
            return self.pairs
        keys = _pair_keys(self.words)  # (n, pairs)
        if not len(self.order):
            tagged = (np.arange(len(PAIRED), dtype=np.int64) << 32) + keys  # pair p above its key
            at = np.argsort(tagged.T, axis=None, kind="stable")
            self.pairs = _Pairs(tagged.T.ravel()[at], (at % max(len(self), 1)).astype(np.int32))
            return self.pairs
        chunks = self.words.astype(">u8").view(">u2").reshape(len(self), CHUNKS)  # 2 bytes a value
        bits = min(PRESENCE_BITS, max(16, int(len(self) * 16 - 1).bit_length()))
        following, present = np.empty((len(PAIRED), len(self)), dtype=np.uint8), []
        for p, c in enumerate(PAIRED):
            following[p] = chunks[self.order[c], c + 1] & LOW
            seen = np.zeros(1 << bits, dtype=bool)
            seen[keys[:, p] >> (KEY_BITS - bits)] = True
            present.append(np.packbits(seen, bitorder="little"))
        self.pairs = _Pairs(following.ravel(), np.zeros(0, dtype=np.int32), np.concatenate(present),
                            KEY_BITS - bits)
        return self.pairs

    def _match_pairs(self, names: list[str], query_words: np.ndarray, threshold: int) -> list[tuple[int, int, str]]:
        """Rows within `threshold` of a query hash (names[k] the name of query_words[k]) that agree with it exactly
        on one key of PAIRED (chunk c and the low byte of chunk c + 1): the grid regions' rule, the same whether
        the table is compared in full or indexed."""
        if not len(self) or not names:
            return []
        keys: np.ndarray = _pair_keys(query_words).T.ravel()  # pair 0's keys of every query, then pair 1's, ...
        pairs = self.pair_keys()
        pair: np.ndarray = np.repeat(np.arange(len(PAIRED)), len(names))
        if len(self.order):
            # the filter first (one bit a key: at 1M rows, 1 absent key in 16 passes), then the run of rows holding
            # the key's chunk c in chunk c's order, the low byte of whose chunk c + 1 sits beside them in pairs.keys
            bit = keys >> pairs.shift
            kept = np.flatnonzero((np.take(pairs.present, pair * (1 << (KEY_BITS - pairs.shift - 3)) + (bit >> 3))
                                   >> (bit & 7)) & 1)
            variant: np.ndarray = kept % len(names)
            keys, pair = keys[kept], pair[kept]
            at = (np.asarray(PAIRED)[pair] * (VALUES + 1)) + (keys >> 8)
            begin = np.take(self.starts, at)
            lengths = np.take(self.starts, at + 1) - begin
            begin += pair * len(self) - np.cumsum(lengths) + lengths  # into pairs.keys, less the run's start
            position = np.repeat(begin, lengths) + np.arange(int(lengths.sum()))
            same = np.flatnonzero(np.take(pairs.keys, position) == np.repeat(keys & LOW, lengths))
            found = position[same]
            rows = np.take(self.order, found % len(self) + np.asarray(PAIRED)[found // len(self)] * len(self))
            variant = np.repeat(variant, lengths)[same]
        else:
            tagged = (pair.astype(np.int64) << 32) + keys
            begin = np.searchsorted(pairs.keys, tagged, side="left")
            lengths = np.searchsorted(pairs.keys, tagged, side="right") - begin
            rows = pairs.rows[np.repeat(begin - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))]
            variant = np.repeat(np.arange(len(keys)) % len(names), lengths)
        distances = _distances(np.take(self.words, rows, axis=0), np.take(query_words, variant, axis=0))
        best: dict[int, tuple[int, str]] = {}
        for k in np.argsort(distances, kind="stable"):
            if distances[k] > threshold:
                break
            best.setdefault(int(rows[k]), (int(distances[k]), names[int(variant[k])]))
        return sorted(((row, d, v) for row, (d, v) in best.items()), key=lambda hit: (hit[1], hit[0]))

    def _match(self, queries: dict[str, bytes], threshold: int,
               shared_chunk: bool = False) -> list[tuple[int, int, str]]:
        """Rows within `threshold` of a query hash; with `shared_chunk`, only those also agreeing exactly with it
        on at least one 16-bit chunk (the crop regions' rule, above)."""
        if not len(self) or not queries:
            return []
        names = list(queries)
        query_words = pdq.as_words([queries[n] for n in names])  # (v, 4)
        if len(self.order) and (shared_chunk or threshold // CHUNKS <= 1):
            # a few query hashes at a time, so each block's candidates stay in cache while they are checked; exact
            # chunks give about 1/17 of the candidates, so all of a check's regions fit in one block
            block = len(names) if shared_chunk else BLOCK
            parts = [self._near(query_words[first:first + block], first, threshold, shared_chunk)
                     for first in range(0, len(names), block)]
            rows, variants, distances = (np.concatenate(column) for column in zip(*parts, strict=True))
        else:  # a small bank, or a radius too wide to probe: compare everything
            rows = np.repeat(np.arange(len(self)), len(names))
            variants = np.tile(np.arange(len(names)), len(self))
            differing = np.take(self.words, rows, axis=0)
            distances = _distances(differing, np.take(query_words, variants, axis=0))  # leaves the XOR in `differing`
            within = distances <= threshold
            if shared_chunk:
                within[within] = np.any(_chunks(differing[within]) == 0, axis=1)
            near = np.flatnonzero(within)
            rows, variants, distances = rows[near], variants[near], distances[near]
        best: dict[int, tuple[int, str]] = {}
        for k in np.argsort(distances, kind="stable"):
            best.setdefault(int(rows[k]), (int(distances[k]), names[int(variants[k])]))
        return sorted(((row, d, v) for row, (d, v) in best.items()), key=lambda hit: (hit[1], hit[0]))

    def _near(self, query_words: np.ndarray, first: int, threshold: int,
              shared_chunk: bool = False) -> tuple[np.ndarray, ...]:
        """(bank row, query variant + first, distance) of the pairs within `threshold`, from the rows sharing a
        chunk within the pigeonhole radius with a variant: a row within `threshold` of a variant is always
        among that variant's candidates, so nothing within reach is missed. With `shared_chunk` the radius is 0:
        the rows agreeing exactly on some chunk."""
        flips = _FLIPS if threshold // CHUNKS == 1 and not shared_chunk else _FLIPS[:1]
        values = _chunks(query_words)[:, :, np.newaxis] ^ flips  # (v, 16, f)
        at = (_CHUNK_AT + values).ravel()
        begin = np.take(self.starts, at)
        lengths = np.take(self.starts, at + 1) - begin
        ends = np.cumsum(lengths)
        total = int(ends[-1])
        # every position begin[i] .. begin[i] + lengths[i] - 1 of chunk i's order, without a Python loop
        begin += np.tile(np.repeat(np.arange(CHUNKS) * len(self), len(flips)), len(query_words)) - (ends - lengths)
        rows = np.take(self.order, np.repeat(begin, lengths) + np.arange(total))
        # each query hash's candidates are one run: repeat the hash over its run, name the variant of the few near
        runs = ends[len(flips) * CHUNKS - 1::len(flips) * CHUNKS]
        candidates = np.take(self.words, rows, axis=0)
        if len(query_words) <= BLOCK:  # each hash XORed over its own run in place: no repeated copy of it
            for hash_words, start, end in zip(query_words, np.concatenate([[0], runs[:-1]]).tolist(), runs.tolist(),
                                              strict=True):
                candidates[start:end] ^= hash_words
            distances = _distances(candidates, None)
        else:
            distances = _distances(candidates, np.repeat(query_words, np.diff(runs, prepend=0), axis=0))
        near = np.flatnonzero(distances <= threshold)
        return rows[near], np.searchsorted(runs, near, side="right") + first, distances[near]


@dataclass
class _Pairs:
    """BankIndex.pair_keys: made from a table's words (and chunk order), never stored."""
    keys: np.ndarray  # compared in full: (pairs · n,) int64 sorted, pair << 32 | key; indexed: (pairs · n,) uint8,
    # the low byte of chunk c + 1 of the rows in chunk c's order, pair after pair
    rows: np.ndarray  # compared in full: the row of each sorted key
    present: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))  # indexed: the filter, pair
    # after pair, 2^(KEY_BITS - shift) bits each
    shift: int = 0  # indexed: a key's bit in `present` is key >> shift


def _distances(left: np.ndarray, right: np.ndarray | None) -> np.ndarray:
    """Hamming distances of (n, 4) uint64 rows pair by pair (`right` None: `left` already XORed); `left` is
    overwritten."""
    if right is not None:
        np.bitwise_xor(left, right, out=left)
    counts = np.bitwise_count(left)
    found: np.ndarray = (counts[:, 0] + counts[:, 1]).astype(np.int16) + (counts[:, 2] + counts[:, 3])
    return found


def _split(insets: dict[str, bytes]) -> tuple[dict[str, bytes], list[str], np.ndarray]:
    """(the insets not of the grid, the grid's names, their hashes as (n, 4) words): from a crops.Insets' own
    parts when it is one (the grid after the other regions, in its order), else by name."""
    plain, words = getattr(insets, "plain", None), getattr(insets, "grid_words", None)
    if isinstance(plain, dict) and isinstance(words, np.ndarray) and len(plain) + len(words) == len(insets):
        return plain, list(insets)[len(plain):], words
    names = list(insets)
    grid = [name for name in names if name.startswith(GRID_PREFIX)]
    if not grid:
        return insets, [], np.zeros((0, 4), dtype=np.uint64)
    plain = {name: insets[name] for name in names if not name.startswith(GRID_PREFIX)}
    return plain, grid, pdq.as_words([insets[name] for name in grid])


def _pair_keys(words: np.ndarray) -> np.ndarray:
    """(n, 4) uint64 → (n, len(PAIRED)) keys: for each c of PAIRED, chunk c's value above chunk c + 1's low byte."""
    chunks = _chunks(words)
    first = np.asarray(PAIRED)
    keys: np.ndarray = (chunks[:, first] << 8) | (chunks[:, first + 1] & LOW)
    return keys


def _chunks(words: np.ndarray) -> np.ndarray:
    """(n, 4) uint64 → (n, 16) chunk values, chunk c = bits 16c..16c+15 counted from the hex string's start."""
    # each word's bytes most significant first, read two at a time: one view, no shifts (a query's 16 values cost
    # a few microseconds instead of 16 slices and shifts)
    return words.astype(">u8").view(">u2").reshape(len(words), CHUNKS).astype(np.int64)


def distance_matrix(bank: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Hamming distances, (n, 4) × (v, 4) → (n, v)."""
    return np.bitwise_count(bank[:, np.newaxis, :] ^ queries[np.newaxis, :, :]).sum(axis=2, dtype=np.int32)

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

    @classmethod
    def build(cls, version: str, ids: list[str], hashes: list[bytes],
              crops: list[tuple[int, bytes]] | None = None) -> BankIndex:
        """The index of `hashes` (row i is ids[i]), with `crops` as (row, centre hash) when given."""
        words = pdq.as_words(hashes) if hashes else np.zeros((0, 4), dtype=np.uint64)
        index = cls(version, ids, words)
        if crops:
            index.crop_rows = np.array([row for row, _ in crops], dtype=np.int32)
            index.crops = cls.build(version, [ids[row] for row, _ in crops], [bits for _, bits in crops])
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
        nearest, nearest first."""
        found = self._match(queries, threshold)
        if self.crops is None or not insets:
            return found
        best = {row: (distance, variant) for row, distance, variant in found}
        for crop_row, distance, _ in self.crops._match(insets, threshold, shared_chunk=True):
            row = int(self.crop_rows[crop_row])
            if row not in best or distance < best[row][0]:
                best[row] = (distance, CROP_TRANSFORM)
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
        distances = _distances(np.take(self.words, rows, axis=0),
                               np.repeat(query_words, np.diff(runs, prepend=0), axis=0))
        near = np.flatnonzero(distances <= threshold)
        return rows[near], np.searchsorted(runs, near, side="right") + first, distances[near]


def _distances(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Hamming distances of (n, 4) uint64 rows pair by pair; `left` is overwritten."""
    np.bitwise_xor(left, right, out=left)
    counts = np.bitwise_count(left)
    found: np.ndarray = (counts[:, 0] + counts[:, 1]).astype(np.int16) + (counts[:, 2] + counts[:, 3])
    return found


def _chunks(words: np.ndarray) -> np.ndarray:
    """(n, 4) uint64 → (n, 16) chunk values, chunk c = bits 16c..16c+15 counted from the hex string's start."""
    # each word's bytes most significant first, read two at a time: one view, no shifts (a query's 16 values cost
    # a few microseconds instead of 16 slices and shifts)
    return words.astype(">u8").view(">u2").reshape(len(words), CHUNKS).astype(np.int64)


def distance_matrix(bank: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Hamming distances, (n, 4) × (v, 4) → (n, v)."""
    return np.bitwise_count(bank[:, np.newaxis, :] ^ queries[np.newaxis, :, :]).sum(axis=2, dtype=np.int32)

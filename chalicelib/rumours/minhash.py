"""Near-duplicate text matching for rumour dispelling (MB2018-11, PA2020-13): MinHash LSH over
character shingles of the normalized text, in windows.

Texts go through the names normalizer first (punctuation, spacing, emoji, traditional forms,
look-alikes and zero-width characters fall away), so light edits leave few differences. A rumour
may sit inside a long post, and Jaccard similarity of a short claim with a whole post is small, so
both sides are cut into windows of the same length: every window of a rumour's texts is indexed;
a post's windows, overlapping, are looked up. Each window's MinHash signature (64 hashes of its
character bigrams) is cut into 16 bands of 4; windows sharing a band are candidates, confirmed
when their signatures agree on at least `threshold` of the 64 hashes (an estimate of Jaccard).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chalicelib.names.normalize import VERSION as NORMALIZER
from chalicelib.names.normalize_long import normalize_long

HASHES = 64
BANDS = 16
ROWS = HASHES // BANDS
WINDOW = 24          # characters of normalized text per window
INDEX_STRIDE = 12    # how far apart a rumour's windows start
QUERY_STRIDE = 4     # how far apart a post's windows start (finer: they must line up with an indexed one)
# Names stored artifacts (with the images' bank format): a change to any of these rebuilds them.
FORMAT = f"minhash-1.{HASHES}.{BANDS}.{WINDOW}.{INDEX_STRIDE}.{NORMALIZER}"
_rng = np.random.default_rng(20260418)
_A = _rng.integers(1, 2**63, size=HASHES, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=HASHES, dtype=np.uint64)
_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)


def key(text: str) -> str:
    return normalize_long(text).key


def _shingles(text_key: str) -> np.ndarray:
    points = np.frombuffer(text_key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(points) < 2:
        return points
    return (points[:-1] << np.uint64(21)) | points[1:]


def signatures(text_key: str, stride: int) -> np.ndarray:
    """(windows, 64) uint32 MinHash signatures of the key's windows (one window for a short key)."""
    shingles = _shingles(text_key)
    if not len(shingles):
        return np.zeros((0, HASHES), dtype=np.uint32)
    hashed = ((shingles[np.newaxis, :] * _A[:, np.newaxis] + _B[:, np.newaxis]) >> np.uint64(32)).astype(np.uint32)
    width = WINDOW - 1
    if hashed.shape[1] <= width:
        return hashed.min(axis=1)[np.newaxis, :]
    windows = np.lib.stride_tricks.sliding_window_view(hashed, width, axis=1)[:, ::stride, :]
    found = windows.min(axis=2).T  # (windows, 64)
    last = hashed[:, -width:].min(axis=1)  # the tail always has a window
    return np.vstack([found, last[np.newaxis, :]]) if (hashed.shape[1] - width) % stride else found


_BAND_SALT = _rng.integers(0, 2**63, size=BANDS, dtype=np.uint64)


def band_keys(signatures_: np.ndarray) -> np.ndarray:
    """(windows, 16) uint64: each band of 4 hashes mixed into one number, salted by band, so all
    bands share one sorted array and one search."""
    bands = signatures_.reshape(len(signatures_), BANDS, ROWS).astype(np.uint64)
    return (bands * _BAND_MIX[np.newaxis, np.newaxis, :]).sum(axis=2, dtype=np.uint64) ^ _BAND_SALT[np.newaxis, :]


@dataclass
class RumourIndex:
    version: str
    ids: list[str] = field(default_factory=list)          # rumour id per indexed window
    signatures: np.ndarray = field(default_factory=lambda: np.zeros((0, HASHES), dtype=np.uint32))
    band_order: np.ndarray = field(default_factory=lambda: np.zeros((BANDS, 0), dtype=np.int64))  # windows by key
    band_sorted: np.ndarray = field(default_factory=lambda: np.zeros((BANDS, 0), dtype=np.uint64))  # keys, sorted
    rumours: dict[str, dict[str, Any]] = field(default_factory=dict)
    images: Any = None  # a BankIndex of the rumours' images

    @classmethod
    def build(cls, version: str, texts: list[tuple[str, str]]) -> RumourIndex:
        """`texts`: (rumour id, text) for every claim and sample."""
        ids: list[str] = []
        parts = []
        for rumour_id, text in texts:
            found = signatures(key(text), INDEX_STRIDE)
            ids.extend([rumour_id] * len(found))
            parts.append(found)
        index = cls(version, ids)
        if parts:
            index.signatures = np.vstack(parts)
            keys = band_keys(index.signatures).T  # (16, windows): one sorted array per band, small enough for cache
            index.band_order = np.ascontiguousarray(np.argsort(keys, axis=1, kind="stable"))
            index.band_sorted = np.ascontiguousarray(np.take_along_axis(keys, index.band_order, axis=1))
        return index

    def to_artifact(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """JSON for the rumours, numpy arrays for the signatures, bands and the images' bank."""
        images_doc, images_arrays = self.images.to_artifact() if self.images is not None else (None, {})
        return ({"count": len(self.ids), "rumours": self.rumours, "images": images_doc},
                {"ids": self.ids, "signatures": self.signatures, "band_order": self.band_order,
                 "band_sorted": self.band_sorted, **{f"images.{k}": v for k, v in images_arrays.items()}})

    @classmethod
    def from_artifact(cls, doc: dict[str, Any], arrays: dict[str, Any], version: str) -> RumourIndex:
        """The index `to_artifact` stored, at `version`; ValueError when its parts do not fit together."""
        from chalicelib.avatars.index import BankIndex

        if not isinstance(arrays["ids"], list) or len(arrays["ids"]) != doc["count"]:
            raise ValueError("the ids are not the stored list")
        index = cls(version, arrays["ids"], arrays["signatures"], arrays["band_order"], arrays["band_sorted"],
                    doc["rumours"])
        if doc["images"] is not None:
            index.images = BankIndex.from_artifact(
                doc["images"], {k[len("images."):]: v for k, v in arrays.items() if k.startswith("images.")}, version)
        index._check()
        return index

    def _check(self) -> None:
        """Shapes and references a match relies on, so a malformed artifact is refused, not searched."""
        n = len(self.ids)
        if self.signatures.dtype != np.uint32 or self.signatures.shape != (n, HASHES):
            raise ValueError("signatures are not (windows, 64) uint32")
        if self.band_order.dtype != np.int64 or self.band_order.shape != (BANDS, n) or (n and not (
                0 <= self.band_order.min() and self.band_order.max() < n)):
            raise ValueError("the band order does not index the windows")
        if self.band_sorted.dtype != np.uint64 or self.band_sorted.shape != (BANDS, n) or np.any(
                self.band_sorted[:, 1:] < self.band_sorted[:, :-1]):
            raise ValueError("band keys are not sorted")
        named = set(self.ids) | set(self.images.ids if self.images is not None else ())
        if not isinstance(self.rumours, dict) or not named <= set(self.rumours):
            raise ValueError("a window or image stands for no rumour")

    def match(self, text: str, threshold: float) -> dict[str, float]:
        """rumour id → the best estimated similarity of any window of `text` to any of its windows."""
        if not self.ids:
            return {}
        query = signatures(key(text), QUERY_STRIDE)
        if not len(query):
            return {}
        wanted = band_keys(query).T  # (16, query windows)
        indexed_parts, queried_parts = [], []
        for band in range(BANDS):
            order = np.argsort(wanted[band])
            needles = wanted[band][order]  # sorted needles: searchsorted walks forward from the last hit
            left = np.searchsorted(self.band_sorted[band], needles, side="left")
            right = np.searchsorted(self.band_sorted[band], needles, side="right")
            found = np.flatnonzero(right > left)
            if not len(found):
                continue
            lengths = (right - left)[found]
            offsets = np.repeat(left[found] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
            indexed_parts.append(np.take(self.band_order[band], np.arange(int(lengths.sum())) + offsets))
            queried_parts.append(np.repeat(order[found], lengths))
        if not indexed_parts:
            return {}
        indexed, queried = np.concatenate(indexed_parts), np.concatenate(queried_parts)
        pairs = np.unique(np.stack([indexed, queried]), axis=1)
        agreement = (np.take(self.signatures, pairs[0], axis=0) == np.take(query, pairs[1], axis=0)).mean(axis=1)
        best: dict[str, float] = {}
        for row, score in zip(pairs[0].tolist(), agreement.tolist(), strict=True):
            if score >= threshold and score > best.get(self.ids[row], 0.0):
                best[self.ids[row]] = round(score, 3)
        return best

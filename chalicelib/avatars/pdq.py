"""PDQ perceptual hashing (PA2020-8, PA2020-18(1): emblems, logos, portraits; PA2017-13 closed accounts).

Meta's reference hasher (ThreatExchange ``pdq``, pdqio.cpp and downscaling.cpp), step by step, so
hashes are exchangeable with hash-sharing programmes: an image over 512 pixels a side is sampled to
512×512 by nearest neighbour (CImg's resize, output pixel x from input floor(x·W/512)); luminance is
0.299 R + 0.587 G + 0.114 B from the RGB pixels, in single precision; two passes of the Jarosz box
filter (window ≈ size / 128, shrinking at the edges) along rows and columns; decimation to 64×64 at
the pixel centres; the 16×16 low-frequency block of a DCT-II (the DC term left out); one bit per
coefficient above the block's median. Quality is the reference's gradient measure (0–100; below 50
the hash says little).

The filter and decimation are linear, so both passes and the decimation along one axis are one
(64 × n) matrix, made once per size: the 64×64 buffer is two matrix products, not four passes over
the image, and a region of the image (a crop, see crops.py) is hashed by the same two products.

The eight dihedral variants (rotations, mirrors) come from the DCT block itself: mirroring
flips the sign of odd-frequency coefficients, a transpose transposes the block, so checking
a rotated or mirrored copy costs no second pass over the image.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

SIZE = 64
BITS = 256
PASSES = 2
MIN_SIDE = 5  # the reference gives smaller images the zero hash at quality 0 (pdqhashing.cpp MIN_HASHABLE_DIM)
REFERENCE_SIDE = 512  # the reference resamples anything larger to 512×512 (pdqio.cpp DOWNSAMPLE_DIMS)
# The reference's luminance weights, as the single-precision constants it multiplies by (downscaling.cpp).
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
_DCT = (np.sqrt(2.0 / SIZE) * np.cos(np.pi / 2 / SIZE * np.outer(np.arange(1, 17), 2 * np.arange(SIZE) + 1))
        ).astype(np.float64)
_ODD_FREQUENCY = np.where(np.arange(16) % 2 == 0, -1.0, 1.0)  # row/column 0 holds frequency 1
# Name → how a variant's block is made from the original's (transpose first, then sign flips).
VARIANTS: dict[str, tuple[bool, bool, bool]] = {
    "original": (False, False, False), "mirror_x": (False, True, False), "mirror_y": (False, False, True),
    "rotate_180": (False, True, True), "transpose": (True, False, False), "rotate_90": (True, True, False),
    "rotate_270": (True, False, True), "transverse": (True, True, True),
}


@dataclass(frozen=True)
class PdqHash:
    bits: bytes  # 32 bytes, the reference's word order (see `to_hex`)
    quality: int

    def to_hex(self) -> str:
        return self.bits.hex()


def _window(old: int, new: int) -> int:
    return (old + 2 * new - 1) // (2 * new)


def reference_pixels(pixels: np.ndarray, full_rows: int | None = None, full_cols: int | None = None) -> np.ndarray:
    """The pixels the reference hashes: over 512 a side, the nearest-neighbour 512×512 sample of the image.
    `full_rows`/`full_cols` give the image's own size when `pixels` were decoded smaller (a JPEG's DCT
    scaling), so the same points of the picture are taken."""
    rows, cols = pixels.shape[:2]
    full_rows, full_cols = full_rows or rows, full_cols or cols
    if full_rows <= REFERENCE_SIDE and full_cols <= REFERENCE_SIDE:
        return pixels
    steps = np.arange(REFERENCE_SIDE, dtype=np.int64)
    pick_rows = (steps * full_rows // REFERENCE_SIDE) * rows // full_rows
    pick_cols = (steps * full_cols // REFERENCE_SIDE) * cols // full_cols
    return np.take(np.take(pixels, pick_rows, axis=0), pick_cols, axis=1)  # np.take: gathers fastest


def luminance(pixels: np.ndarray) -> np.ndarray:
    """Single-precision luminance of RGB (rows × columns × 3) or grey (rows × columns) 0–255 pixels."""
    if pixels.ndim == 2:
        return pixels.astype(np.float32)
    red, green, blue = (pixels[:, :, c].astype(np.float32) for c in range(3))
    return red * LUMA[0] + green * LUMA[1] + blue * LUMA[2]


@lru_cache(maxsize=128)
def _filter(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The reference's box1DFloat applied PASSES times along an axis of length n, then its decimation to 64
    samples: one banded (64 × n) matrix, kept as each row's input positions and weights, (64, K) each (K,
    the band, is 2·window − 1 = 7 at 512 pixels). Applying it is a gather and a sum: no matrix library,
    whose threads cost far more than these few products."""
    window = _window(n, SIZE)
    half = (window + 2) // 2
    k = np.arange(n)
    lo, hi = np.maximum(0, k - window + half), np.minimum(n, k + half)  # output k averages inputs lo..hi-1
    rows = np.arange(SIZE)[:, np.newaxis]
    weights: np.ndarray = np.zeros((SIZE, n))
    weights[np.arange(SIZE), ((np.arange(SIZE) + 0.5) * n / SIZE).astype(int)] = 1.0  # the decimation
    for _ in range(PASSES):  # weights · box: each output's weight spread evenly over its window
        share = weights / (hi - lo)
        steps = np.zeros((SIZE, n + 1))
        np.add.at(steps, (rows, lo[np.newaxis, :]), share)
        np.add.at(steps, (rows, hi[np.newaxis, :]), -share)
        weights = np.cumsum(steps, axis=1)[:, :n]
    weights[np.abs(weights) < 1e-12] = 0.0
    band = int((weights > 0).sum(axis=1).max())
    first = np.argmax(weights > 0, axis=1)
    positions = np.minimum(first[:, np.newaxis] + np.arange(band), n - 1)
    taken = np.take_along_axis(weights, positions, axis=1)
    taken[first[:, np.newaxis] + np.arange(band) >= n] = 0.0  # a band cut short by the edge
    weight = taken.astype(np.float32)
    positions.flags.writeable = weight.flags.writeable = False
    return positions, weight


def downsample(luma: np.ndarray) -> np.ndarray:
    """Jarosz-filter and decimate a luminance image (rows × columns, 0–255) to 64×64."""
    rows, cols = luma.shape
    row_at, row_weight = _filter(rows)
    col_at, col_weight = _filter(cols)
    across = (luma[:, col_at] * col_weight).sum(axis=2, dtype=np.float64)  # (rows, 64)
    return (across[row_at] * row_weight[:, :, np.newaxis]).sum(axis=1)  # (64, 64)


def quality(buffer: np.ndarray) -> int:
    """The reference's image-domain quality: summed gradients, truncated as its integer code does."""
    down = np.trunc((buffer[:-1, :] - buffer[1:, :]) * 100 / 255)
    across = np.trunc((buffer[:, :-1] - buffer[:, 1:]) * 100 / 255)
    return int(min(100, int(np.abs(down).sum() + np.abs(across).sum()) // 90))


def dct_block(buffer: np.ndarray) -> np.ndarray:
    return _DCT @ buffer @ _DCT.T


def _bits(block: np.ndarray) -> bytes:
    """Bit i*16+j is set when block[i, j] exceeds the median; words printed from row 15 to row 0."""
    above = (block > np.median(block)).astype(np.uint16)
    words = (above << np.arange(16, dtype=np.uint16)).sum(axis=1).astype(">u2")  # row i → 16-bit word i
    return words[::-1].tobytes()


def variant_block(block: np.ndarray, name: str) -> np.ndarray:
    transpose, flip_x, flip_y = VARIANTS[name]
    found = block.T if transpose else block
    if flip_x:
        found = found * _ODD_FREQUENCY[np.newaxis, :]
    if flip_y:
        found = found * _ODD_FREQUENCY[:, np.newaxis]
    return found


def hash_luma(luma: np.ndarray, *, variants: bool = False) -> tuple[PdqHash, dict[str, bytes]]:
    """The hash of a luminance image, and (when asked) the hash of each dihedral variant."""
    if min(luma.shape) < MIN_SIDE:
        nothing = PdqHash(bytes(BITS // 8), 0)
        return nothing, {name: nothing.bits for name in (VARIANTS if variants else ("original",))}
    return hash_buffer(downsample(luma), variants=variants)


def hash_buffer(buffer: np.ndarray, *, variants: bool = False) -> tuple[PdqHash, dict[str, bytes]]:
    """The hash of a 64×64 downsampled buffer, and (when asked) of each dihedral variant."""
    block = dct_block(buffer)
    found = PdqHash(_bits(block), quality(buffer))
    others = {name: _bits(variant_block(block, name)) for name in VARIANTS} if variants else {"original": found.bits}
    return found, others


def from_hex(text: str) -> bytes:
    value = bytes.fromhex(text)
    if len(value) != BITS // 8:
        raise ValueError("a PDQ hash is 64 hexadecimal digits")
    return value


def distance(a: bytes, b: bytes) -> int:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).bit_count()


def as_words(hashes: list[bytes] | Any) -> np.ndarray:
    """Hashes as an (n, 4) array of big-endian uint64 words, for vectorized distances."""
    return np.frombuffer(b"".join(hashes), dtype=">u8").reshape(-1, 4).astype(np.uint64)

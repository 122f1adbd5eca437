"""PDQ perceptual hashing (PA2020-8, PA2020-18(1): emblems, logos, portraits; PA2017-13 closed accounts).

The algorithm of Meta's reference implementation (ThreatExchange ``pdq``), in numpy, so hashes
are exchangeable with hash-sharing programmes: luminance → two passes of the Jarosz box filter
(window ≈ size / 128) along rows and columns → decimation to 64×64 → the 16×16 low-frequency
block of a DCT-II (the DC term left out) → one bit per coefficient above the block's median.
Quality is the reference's gradient measure (0–100; below 50 the hash says little).

The eight dihedral variants (rotations, mirrors) come from the DCT block itself: mirroring
flips the sign of odd-frequency coefficients, a transpose transposes the block, so checking
a rotated or mirrored copy costs no second pass over the image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SIZE = 64
BITS = 256
PASSES = 2
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


def _box(values: np.ndarray, window: int, axis: int) -> np.ndarray:
    """The reference's box1DFloat along `axis`: a centred mean whose window shrinks at the edges."""
    n = values.shape[axis]
    half = (window + 2) // 2
    k = np.arange(n)
    lo = np.maximum(0, k - window + half)
    hi = np.minimum(n, k + half)
    cumulative = np.concatenate([np.zeros_like(np.take(values, [0], axis=axis)), np.cumsum(values, axis=axis)],
                                axis=axis)
    sums = np.take(cumulative, hi, axis=axis) - np.take(cumulative, lo, axis=axis)
    shape = [1] * values.ndim
    shape[axis] = n
    return sums / (hi - lo).reshape(shape)


def downsample(luma: np.ndarray) -> np.ndarray:
    """Jarosz-filter and decimate a luminance image (rows × columns, 0–255) to 64×64."""
    rows, cols = luma.shape
    along_rows, along_cols = _window(cols, SIZE), _window(rows, SIZE)
    buffer = luma.astype(np.float64)
    for _ in range(PASSES):
        buffer = _box(buffer, along_rows, axis=1)
        buffer = _box(buffer, along_cols, axis=0)
    pick_rows = ((np.arange(SIZE) + 0.5) * rows / SIZE).astype(int)
    pick_cols = ((np.arange(SIZE) + 0.5) * cols / SIZE).astype(int)
    return buffer[np.ix_(pick_rows, pick_cols)]


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
    buffer = downsample(luma)
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

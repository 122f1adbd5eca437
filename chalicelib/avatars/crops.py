"""Cropped copies (PA2020-8: an emblem or portrait cut down to pass; PA2017-13: a closed account's avatar
trimmed and uploaded again).

PDQ is not crop-tolerant: on real photographs (the reference's test images) and generated ones alike,
cutting 1 % off every side moves a hash 14–30 bits, 2 % 26–50, 5 % 60–110, against a match distance of
31. So the two sides meet in the middle:

- a bank entry added by image also keeps the hash of its centre, CUT (10 %) taken off every side;
- a checked image is hashed at INSETS, 0 to 10 % off every side in steps of 1 %: a copy cropped c per side
  (c ≤ 10 %) holds that centre at inset (0.10 − c) / (1 − 2c) of its own size, within half a step of one
  of them;
- and at one-side REGIONS: a copy cut by c on one side only holds the centre at (0.10 − c) / (1 − c) on that
  side and 0.10 / (1 − c) on the opposite one (c = 1..10 %, four sides: 40 regions).

All regions are decimated from one Jarosz-filtered buffer of the checked image (the box filter runs once,
with the window the centre's size calls for), each sample read between the four pixels around its point
(a copy cut and shrunk seldom keeps the centre's pixel grid), and hashed in one batched DCT; each even
inset is also taken mirrored (left to right) from the same DCT block, for copies mirrored and cropped.

Cuts on two or more sides of different sizes are matched only while they differ by about a step (four sides
cut independently by 0-10 %: about 10 %). Measured on generated copies against a 60-entry bank, adding
regions for a grid of the four cuts (each side 0, s, 2s, ... 10 %, every combination) finds them at: s = 5 %
(81 more regions) 26.5 %, 3.3 % (256) 72 %, 2.5 % (625) 94.5 %, 2 % (1,296) 95.5 %. Each region costs about
90 µs to hash and, against a 1M-entry bank with every centre, about 9 µs to look up (its 16 exact chunk
values, about 250 candidates: index.py), and each adds chances of a false match: a generated portrait matched another
portrait's centre through one shifted region (1 of 1,000 unrelated photographs with the 625, at 26 bits).
"""

from __future__ import annotations

import numpy as np

from chalicelib.avatars import pdq

CUT = 0.10
INSETS = tuple(step / 100 for step in range(0, 11))
MIRRORED = "mirror_x"


def centre(luma: np.ndarray) -> pdq.PdqHash:
    """The hash of the image's centre, CUT off each side, as the reference hashes that cropped image."""
    rows, cols = luma.shape
    top, left = round(CUT * rows), round(CUT * cols)
    return pdq.hash_luma(luma[top:rows - top, left:cols - left])[0]


def _one_side(cut: float) -> tuple[float, float]:
    """(inset of the cut side, inset of the side opposite) at which a copy cut by `cut` on one side only holds
    the centre: (CUT − cut) / (1 − cut) and CUT / (1 − cut)."""
    return (CUT - cut) / (1 - cut), CUT / (1 - cut)


# Regions (left, right, top, bottom insets) by name: the same inset on every side, and for copies cut on one
# side only, that side's inset with the opposite side's for cuts 1..10 %.
REGIONS: dict[str, tuple[float, float, float, float]] = {f"inset {round(i * 100)}%": (i, i, i, i) for i in INSETS}
for _step in range(1, 11):
    _cut_side, _opposite = _one_side(_step / 100)
    REGIONS.update({f"{side} cut {_step}%": region for side, region in (
        ("left", (_cut_side, _opposite, CUT, CUT)), ("right", (_opposite, _cut_side, CUT, CUT)),
        ("top", (CUT, CUT, _cut_side, _opposite)), ("bottom", (CUT, CUT, _opposite, _cut_side)))})


def insets(luma: np.ndarray) -> dict[str, bytes]:
    """The hash of the image at every region of REGIONS, and of its mirror image at the even insets, named by
    it ("inset 4%", "inset 4% mirror_x", "left cut 3%")."""
    rows, cols = luma.shape
    if min(rows, cols) * (1 - 2 * CUT) < pdq.MIN_SIDE:
        return {}
    filtered = luma.astype(np.float32)
    along_rows = pdq._window(round(cols * (1 - 2 * CUT)), pdq.SIZE)
    along_cols = pdq._window(round(rows * (1 - 2 * CUT)), pdq.SIZE)
    for _ in range(pdq.PASSES):
        filtered = _box(_box(filtered, along_rows, axis=1), along_cols, axis=0)
    blocks = _blocks(filtered, list(REGIONS.values()))
    # a mirrored copy's inset is the mirror image of the same inset of the original: its block with the odd
    # column frequencies negated (pdq.VARIANTS), so mirrored and cropped copies cost no second pass
    even = [n for n, (left, right, top, bottom) in enumerate(REGIONS.values()) if left == right == top == bottom]
    mirrored = np.stack([pdq.variant_block(blocks[n], MIRRORED) for n in even])
    names = [*REGIONS, *(f"{list(REGIONS)[n]} {MIRRORED}" for n in even)]
    return dict(zip(names, _bits(np.concatenate([blocks, mirrored])), strict=True))


def _blocks(filtered: np.ndarray, regions: list[tuple[float, float, float, float]]) -> np.ndarray:
    """The 16 × 16 DCT blocks of the regions, (len(regions), 16, 16): each region's 64 × 64 decimation taken at
    once from the filtered image, then one batched product each side. A sample is read where the pixel centre
    of the region's decimation falls, interpolated between the four pixels around it: a copy cropped and
    shrunk rarely puts the centre's pixel grid on its own, and reading the nearest pixel instead moved a hash
    about 2 bits more (median on generated copies at the exact region; 95.5 % → 97.5 % within 31)."""
    rows, cols = filtered.shape
    centres = (np.arange(pdq.SIZE) + 0.5) / pdq.SIZE
    bounds = np.asarray(regions, dtype=np.float64).reshape(-1, 4)  # left, right, top, bottom

    def axis(start: np.ndarray, end: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(first pixel, weight of the next one) of each region's 64 sample points along an axis of n pixels."""
        at = (start[:, np.newaxis] + centres * (1 - start - end)[:, np.newaxis]) * n - 0.5
        first = np.clip(np.floor(at).astype(np.intp), 0, max(n - 2, 0))
        return first, np.clip(at - first, 0.0, 1.0 if n > 1 else 0.0).astype(np.float32)

    top_row, down = axis(bounds[:, 2], bounds[:, 3], rows)
    left_col, across = axis(bounds[:, 0], bounds[:, 1], cols)
    flat = filtered.ravel()
    at = top_row[:, :, np.newaxis] * cols + left_col[:, np.newaxis, :]
    step_col, step_row = int(cols > 1), cols * int(rows > 1)
    upper, upper_next = np.take(flat, at), np.take(flat, at + step_col)
    lower, lower_next = np.take(flat, at + step_row), np.take(flat, at + step_row + step_col)
    across = across[:, np.newaxis, :]
    upper += (upper_next - upper) * across
    lower += (lower_next - lower) * across
    samples = (upper + (lower - upper) * down[:, :, np.newaxis]).astype(np.float64)
    found: np.ndarray = pdq._DCT @ samples @ pdq._DCT.T
    return found


def _bits(blocks: np.ndarray) -> list[bytes]:
    """pdq._bits of each block at once: bit i*16+j set when block[i, j] is above the block's median, the words
    from row 15 to row 0."""
    flat = blocks.reshape(len(blocks), -1)
    above = (flat > np.median(flat, axis=1, keepdims=True)).reshape(-1, 16, 16).astype(np.uint16)
    words = np.ascontiguousarray((above << np.arange(16, dtype=np.uint16)).sum(axis=2).astype(">u2")[:, ::-1])
    data = words.tobytes()
    return [data[n * 32:(n + 1) * 32] for n in range(len(blocks))]


def _box(values: np.ndarray, window: int, axis: int) -> np.ndarray:
    """The reference's box1DFloat along `axis` 0 or 1 (a centred mean whose window shrinks at the edges),
    by a single-precision running sum: these insets are ours, a hundredth of a grey level does not matter."""
    n = values.shape[axis]
    half = (window + 2) // 2
    k = np.arange(n)
    lo, hi = np.maximum(0, k - window + half), np.minimum(n, k + half)
    scale = (1.0 / (hi - lo)).astype(np.float32)
    if axis == 1:
        running = np.pad(np.cumsum(values, axis=1, dtype=np.float32), ((0, 0), (1, 0)))
        result: np.ndarray = (running[:, hi] - running[:, lo]) * scale
        return result
    running = np.pad(np.cumsum(values, axis=0, dtype=np.float32), ((1, 0), (0, 0)))
    result = (running[hi] - running[lo]) * scale[:, np.newaxis]
    return result

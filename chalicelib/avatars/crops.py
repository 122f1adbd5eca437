"""Cropped copies (PA2020-8: an emblem or portrait cut down to pass; PA2017-13: a closed account's avatar
trimmed and uploaded again).

PDQ is not crop-tolerant: on real photographs (the reference's test images) and generated ones alike,
cutting 1 % off every side moves a hash 14–30 bits, 2 % 26–50, 5 % 60–110, against a match distance of
31. So the two sides meet in the middle:

- a bank entry added by image also keeps the hash of its centre, CUT (10 %) taken off every side;
- a checked image is hashed at INSETS, 0 to 10 % off every side in steps of 1 %: a copy cropped c per side
  (c ≤ 10 %) holds that centre at inset (0.10 − c) / (1 − 2c) of its own size, within half a step of one
  of them.

The insets are decimated from one Jarosz-filtered buffer of the checked image (the box filter runs once,
with the window the centre's size calls for), so each costs a 64×64 gather and a DCT; each inset is also
taken mirrored (left to right) from the same DCT block, for copies mirrored and cropped.

A crop that takes unequal amounts off opposite sides is matched only while the two differ by about a step:
the centre is found within the match distance only while each side is within about 1 % of the inset
(measured: one side 1 % off, median 16 bits and 13 % of pictures over 31; a 1 % shift, median 30), so four
sides cut independently would need some 10,000 insets. See the README for what was measured.
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


def insets(luma: np.ndarray) -> dict[str, bytes]:
    """The hash of the image at every inset and of its mirror image there, named by it ("inset 4%",
    "inset 4% mirror_x")."""
    rows, cols = luma.shape
    if min(rows, cols) * (1 - 2 * CUT) < pdq.MIN_SIDE:
        return {}
    filtered = luma.astype(np.float32)
    along_rows = pdq._window(round(cols * (1 - 2 * CUT)), pdq.SIZE)
    along_cols = pdq._window(round(rows * (1 - 2 * CUT)), pdq.SIZE)
    for _ in range(pdq.PASSES):
        filtered = _box(_box(filtered, along_rows, axis=1), along_cols, axis=0)
    centres = (np.arange(pdq.SIZE) + 0.5) / pdq.SIZE
    found = {}
    for inset in INSETS:
        top, left = round(inset * rows), round(inset * cols)
        pick_rows = top + (centres * (rows - 2 * top)).astype(int)
        pick_cols = left + (centres * (cols - 2 * left)).astype(int)
        block = pdq.dct_block(np.take(np.take(filtered, pick_rows, axis=0), pick_cols, axis=1))
        found[f"inset {round(inset * 100)}%"] = pdq._bits(block)
        # a mirrored copy's inset is the mirror image of the same inset of the original: its block with the odd
        # column frequencies negated (pdq.VARIANTS), so mirrored and cropped copies cost no second pass
        found[f"inset {round(inset * 100)}% {MIRRORED}"] = pdq._bits(pdq.variant_block(block, MIRRORED))
    return found


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

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

Copies cut on all four sides, each by 0–10 % on its own, need a region whose horizontal and vertical inset
pairs are each (CUT − a, CUT − b) / (1 − a − b) for that axis's cuts a, b: the GRID, every pair of PAIRS with
every pair of PAIRS. PDQ moves about 30 bits for a 1 % shift of a region and about 20 for a 1 % change of its
scale (median, generated copies), so PAIRS is a staggered lattice 1 % apart in shift, 2 % in scale over the
pairs 0–10 % cuts call for: 35 pairs an axis, 1,225 regions. Sampling between pixels and the DCT are both
separable, so the grid's blocks are A · F · B for all of them at once (A and B the pairs' sampling and DCT
along each axis, made once per image size), two batched products over the filtered image taken every other
pixel when the filter's window is 4 pixels or more (a 512 px side: 1–2 bits from every pixel, median 2, only
the check side approximates; the bank's centre stays the reference's hash). The 62 regions above stay as
they were, bit for bit.

A grid region matches a centre within the distance that also agrees with it exactly on a 24-bit key: for c
of six low-frequency chunks, chunk c and the low byte of chunk c + 1 (index.py). 7,350 probes a check cost
about 0.4 ms on a 1M table that way, where one exact chunk each (the 62's rule) would be about 10 ms (at the
62's cost per region); with every grid region within 31 of a centre and no key asked, 2 in 1,000 unrelated
photographs matched; with the key, none (nearest 32 bits). Measured on the bench's seeded copies (bank of
200, 400 each, bench/bench_avatars.py): four sides cut independently 10.25 → 95.5 %, evenly cut 97.5 →
98.0 %, mirrored 97.0 %, one side cut 98.25 → 99.0 %, 0 false matches among 1,000 unrelated photographs;
hashing a 1024 px JPEG with everything 20.5 ms (load 0.2–0.9). Recall of the grid alone on 250 + 250 such
copies (two seeds) by key: two whole adjacent chunks, eight pairs 90.4 / 85.6 %; a chunk and the next one's
low byte, six keys 96.0 / 91.6 %, seven 96.8 / 92.0 %, five 94.4 / 90.8 %; one exact chunk 96.8 / 95.2 %.
By lattice (two whole chunks, 200 copies): 21 pairs an axis (441 regions) 69 %, 29 (841) 86.5 %, 35
(1,225) 90 %, 45 (2,025) 92 %. Even at the exact region a copy is 10 bits from the centre (median; p90 22,
96 % within 31).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from chalicelib.avatars import pdq

CUT = 0.10
INSETS = tuple(step / 100 for step in range(0, 11))
MIRRORED = "mirror_x"
_CENTRES = (np.arange(pdq.SIZE) + 0.5) / pdq.SIZE


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


# PDQ moves about 30 bits for a 1 % shift of a region and 20 for a 1 % change of scale (median, generated
# copies), so the lattice is twice as fine in shift as in scale.
SHIFT_STEP, SCALE_STEP, SLACK = 0.01, 0.02, 0.05


def _lattice() -> list[tuple[float, float]]:
    """The (start, end) inset pairs of one axis for copies cut on both of its sides on their own: a staggered
    lattice in shift u = (start − end) / 2 (steps of SHIFT_STEP) and scale z = (start + end) / 2 (steps of
    SCALE_STEP), kept where the pair is one a copy cut by 0–10 % a side needs (start, end ≥ 0, 9·start + end
    ≤ 1 and start + 9·end ≤ 1: the pair (CUT − a, CUT − b) / (1 − a − b) of cuts a, b), with SLACK."""
    pairs = []
    for k in range(round(CUT / SCALE_STEP) + 1):
        z, offset = k * SCALE_STEP, SHIFT_STEP / 2 * (k % 2)
        lowest, highest = np.ceil((-z - offset) / SHIFT_STEP - 1e-9), np.floor((z - offset) / SHIFT_STEP + 1e-9)
        for j in range(int(lowest), int(highest) + 1):
            start, end = z + j * SHIFT_STEP + offset, z - j * SHIFT_STEP - offset
            if min(start, end) >= -1e-9 and max(9 * start + end, start + 9 * end) <= 1 + SLACK:
                pairs.append((round(max(start, 0.0), 6), round(max(end, 0.0), 6)))
    return pairs


PAIRS: tuple[tuple[float, float], ...] = tuple(_lattice())
GRID_PREFIX = "grid "  # index.GRID_PREFIX: these regions match through two adjacent exact chunks (index.py)
# Grid regions (left, right, top, bottom) by name, every horizontal pair of PAIRS with every vertical one.
GRID: dict[str, tuple[float, float, float, float]] = {
    f"{GRID_PREFIX}{left:.3f} {right:.3f} {top:.3f} {bottom:.3f}": (left, right, top, bottom)
    for top, bottom in PAIRS for left, right in PAIRS}
_EVEN = [n for n, (left, right, top, bottom) in enumerate(REGIONS.values()) if left == right == top == bottom]
_NAMES = [*REGIONS, *(f"{list(REGIONS)[n]} {MIRRORED}" for n in _EVEN), *GRID]


class Insets(dict[str, bytes]):
    """What `insets` gives: every region's hash by name, and besides, the 62 regions' part on its own (`plain`)
    and the grid's hashes as one (n, 4) word array in GRID's order (`grid_words`), so that a match reads them
    without going through 1,225 names (index.py; a dict built otherwise is read by name). Not to be changed."""

    plain: dict[str, bytes]
    grid_words: np.ndarray

    @classmethod
    def of(cls, plain: dict[str, bytes], grid: list[bytes]) -> Insets:
        """The regions `plain` by name, then GRID's in its order with the hashes `grid` (none, or all of them)."""
        found = cls({**plain, **dict(zip(GRID, grid, strict=True))} if grid else plain)
        found.plain = dict(plain)
        found.grid_words = pdq.as_words(grid) if grid else np.zeros((0, 4), dtype=np.uint64)
        return found


def insets(luma: np.ndarray) -> Insets:
    """The hash of the image at every region of REGIONS, of its mirror image at the even insets, and at every
    region of GRID, named by it ("inset 4%", "inset 4% mirror_x", "left cut 3%", "grid 0.035 0.085 0.000 0.040")."""
    rows, cols = luma.shape
    if min(rows, cols) * (1 - 2 * CUT) < pdq.MIN_SIDE:
        return Insets.of({}, [])
    filtered = luma.astype(np.float32)
    along_rows = pdq._window(round(cols * (1 - 2 * CUT)), pdq.SIZE)
    along_cols = pdq._window(round(rows * (1 - 2 * CUT)), pdq.SIZE)
    for _ in range(pdq.PASSES):
        filtered = _box(_box(filtered, along_rows, axis=1), along_cols, axis=0)
    blocks = _blocks(filtered, list(REGIONS.values()))
    # a mirrored copy's inset is the mirror image of the same inset of the original: its block with the odd
    # column frequencies negated (pdq.VARIANTS), so mirrored and cropped copies cost no second pass
    mirrored = np.stack([pdq.variant_block(blocks[n], MIRRORED) for n in _EVEN])
    # the grid's many regions from every (window // 2)-th filtered sample: every other one at the reference's 512
    # px side (window 4), where the filtered image is smooth enough that read between those samples the regions'
    # hashes are 2 bits from the full-size ones (median, max 6; only the check side approximates, the bank's
    # centre stays the reference's hash); every sample below about 480 px (window 3 or less)
    step = max(1, min(along_rows, along_cols) // 2)
    plain = _bits(np.concatenate([blocks, mirrored]))
    return Insets.of(dict(zip(_NAMES, plain, strict=False)), _bits(_grid(filtered, step)))


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



# A product this size or smaller runs on one thread in OpenBLAS (SMP_THRESHOLD_MIN · GEMM_MULTITHREAD_THRESHOLD
# multiply-adds): the grid's two products are cut into such pieces, batched in one matmul each, since a
# threaded product on a busy machine took several times as long as on one thread.
_ONE_THREAD = 65536 * 4


@lru_cache(maxsize=64)
def _sampling(n: int, step: int) -> np.ndarray:
    """(len(PAIRS), kept, 16), kept = the axis's n pixels taken every `step`: for each pair of PAIRS, each
    kept pixel's weight in each of the 16 DCT frequencies of the pair's 64 samples (each sample read between
    the two kept pixels around its point), i.e. S_pairᵀ · Dᵀ: one product gives every pair's coefficients."""
    kept = (n + step - 1) // step
    first, weight = _points(list(PAIRS), n, step)  # (pairs, 64)
    pair = np.arange(len(PAIRS))[:, np.newaxis, np.newaxis] * kept * 16 + np.arange(16)  # (pairs, 1, 16)
    dct = pdq._DCT.T[np.newaxis, :, :]  # (1, 64, 16): sample i's weight in frequency k
    size = len(PAIRS) * kept * 16
    values = np.bincount((first[:, :, np.newaxis] * 16 + pair).ravel(),
                         (dct * (1 - weight[:, :, np.newaxis])).ravel(), size)
    values += np.bincount((np.minimum(first + 1, kept - 1)[:, :, np.newaxis] * 16 + pair).ravel(),
                          (dct * weight[:, :, np.newaxis]).ravel(), size)
    matrix = values.reshape(len(PAIRS), kept, 16).astype(np.float32)
    matrix.flags.writeable = False
    return matrix


@lru_cache(maxsize=64)
def _sampling_rows(n: int, step: int, group: int, rows: int) -> np.ndarray:
    """_sampling of a column axis transposed, `group` pairs stacked per piece and the kept pixels padded with
    zeros to `rows`: (pieces, group · 16, rows)."""
    matrix = _sampling(n, step)
    pieces = -(-len(PAIRS) // group)
    stacked = np.zeros((pieces * group, 16, rows), dtype=np.float32)
    stacked[:len(PAIRS), :, :matrix.shape[1]] = matrix.transpose(0, 2, 1)
    stacked = stacked.reshape(pieces, group * 16, rows)
    stacked.flags.writeable = False
    return stacked


def _points(pairs: list[tuple[float, float]], n: int, step: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(first kept pixel, weight of the next one) of the 64 sample points of each (start, end) inset pair along
    an axis of n pixels of which every `step`-th is kept, (len(pairs), 64) each."""
    kept = (n + step - 1) // step
    bounds = np.asarray(pairs, dtype=np.float64).reshape(-1, 2)
    at = ((bounds[:, :1] + _CENTRES * (1 - bounds[:, :1] - bounds[:, 1:])) * n - 0.5) / step
    first = np.clip(np.floor(at).astype(np.intp), 0, max(kept - 2, 0))
    return first, np.clip(at - first, 0.0, 1.0 if kept > 1 else 0.0)


def _grid(filtered: np.ndarray, step: int) -> np.ndarray:
    """The blocks of GRID, (len(GRID), 16, 16), the vertical pair outer: A · F · B, F the filtered image kept
    every `step` pixels, B = _sampling of its columns, A that of its rows transposed."""
    rows, cols = filtered.shape
    kept = filtered[::step, ::step]
    count, kept_cols = len(PAIRS), kept.shape[1]
    piece = max(1, min(kept.shape[0], _ONE_THREAD // (kept_cols * 16)))  # rows of F a product
    padded = -(-kept.shape[0] // piece) * piece
    image = np.zeros((padded, kept_cols), dtype=np.float32)
    image[:kept.shape[0]] = kept
    across = image.reshape(-1, 1, piece, kept_cols) @ _sampling(cols, step)  # (pieces, pairs, piece, 16)
    across = np.ascontiguousarray(across.transpose(1, 0, 2, 3)).reshape(count, padded, 16)
    group = max(1, _ONE_THREAD // (padded * 16 * 16))  # pairs of A a product
    found = _sampling_rows(rows, step, group, padded)[:, np.newaxis] @ across  # (pieces, horizontal, group·16, 16)
    found = found.reshape(-1, count, group, 16, 16).transpose(0, 2, 1, 3, 4).reshape(-1, count, 16, 16)
    blocks: np.ndarray = found[:count].reshape(-1, 16, 16)
    return blocks


def _bits(blocks: np.ndarray) -> list[bytes]:
    """pdq._bits of each block at once: bit i*16+j set when block[i, j] is above the block's median, the words
    from row 15 to row 0 (the median from one partition: its upper middle value and the largest below it)."""
    flat = blocks.reshape(len(blocks), -1)
    part = np.partition(flat, 128, axis=1)
    median = (part[:, :128].max(axis=1, keepdims=True) + part[:, 128:129]) / 2
    data = np.packbits((flat > median).reshape(-1, 16, 16)[:, ::-1, ::-1], axis=2).tobytes()
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

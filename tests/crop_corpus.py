"""Cropped copies of bank pictures, deterministic from a seed, for crop recall (tests and bench/bench_avatars.py).

A copy is a bank picture cut on each side (evenly, or each side on its own), for half of them shrunk to
two thirds, for `mirrored` of them mirrored left to right, and saved again as JPEG at quality 70–95: what an
impersonator or a banned user does to a picture before uploading it again (PA2020-8, PA2017-13).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from tests.images import encode
from tests.photos import crop

MOST = 0.10  # the most cut off a side


@dataclass(frozen=True)
class Copy:
    row: int  # the bank picture it was made from
    cuts: tuple[float, float, float, float]  # left, top, right, bottom
    mirrored: bool
    jpeg: bytes


def copies(originals: list[Image.Image], count: int, seed: int, *, even: bool, mirrored: float = 0.0,
           sides: int = 4) -> list[Copy]:
    """`count` copies of `originals` in turn; unless `even`, only `sides` sides (chosen at random) are cut."""
    rng = np.random.default_rng([seed, 26])
    made = []
    for n in range(count):
        row = n % len(originals)
        chosen = set(rng.permutation(4)[:sides].tolist())
        cuts = (float(rng.uniform(0, MOST)),) * 4 if even else tuple(
            float(c) * (side in chosen) for side, c in enumerate(rng.uniform(0, MOST, 4)))
        picture = crop(originals[row], *cuts)
        if rng.random() < 0.5:
            picture = picture.resize((picture.width * 2 // 3, picture.height * 2 // 3))
        flip = bool(rng.random() < mirrored)
        if flip:
            picture = ImageOps.mirror(picture)
        made.append(Copy(row, cuts, flip, encode(picture, "JPEG", quality=int(rng.integers(70, 96)))))  # type: ignore[arg-type]
    return made

"""Recall on a seeded corpus of cropped copies, evenly cut and mirrored, cut on one side only, or cut on all four
sides each on its own (PA2020-8, PA2017-13), and no match for unrelated photographs: the bench's figures
(bench/bench_avatars.py) on a sample small enough for the suite."""

from __future__ import annotations

import pytest

from chalicelib.avatars import crops, images, pdq
from chalicelib.avatars.index import BankIndex
from tests.crop_corpus import copies
from tests.images import encode
from tests.photos import photo

THRESHOLD = 31
BANK, COPIES, UNRELATED = 16, 32, 24


def decoded(data: bytes):
    return images.decode(data, max_bytes=10**8, max_pixels=10**8).luma


@pytest.fixture(scope="module")
def bank():
    originals = [photo(seed, (384, 384)) for seed in range(300, 300 + BANK)]
    lumas = [decoded(encode(picture, "JPEG", quality=92)) for picture in originals]
    index = BankIndex.build("1", [str(n) for n in range(BANK)], [pdq.hash_luma(luma)[0].bits for luma in lumas],
                            [(n, crops.centre(luma).bits) for n, luma in enumerate(lumas)])
    return index, originals


def found(index: BankIndex, data: bytes, grid: bool = True) -> set[int]:
    luma = decoded(data)
    _, variants = pdq.hash_luma(luma, variants=True)
    insets = {name: bits for name, bits in crops.insets(luma).items() if grid or name not in crops.GRID}
    return {row for row, _, _ in index.match(variants, THRESHOLD, insets)}


def test_copies_cut_evenly_and_half_of_them_mirrored_are_found_at_95_percent(bank):
    index, originals = bank
    # GIVEN copies cut evenly by 0-10 % a side, half shrunk, half mirrored left to right, saved at JPEG 70-95
    corpus = copies(originals, COPIES, seed=5, even=True, mirrored=0.5)
    assert sum(c.mirrored for c in corpus) >= COPIES // 3
    # WHEN each is checked THEN at least 95 % find the picture they were made from, mirrored ones included
    missed = [(c.cuts[0], c.mirrored) for c in corpus if c.row not in found(index, c.jpeg)]
    assert len(missed) <= COPIES * 0.05, missed
    assert sum(mirrored for _, mirrored in missed) <= 1  # mirrored copies are found as well as the others


def test_copies_cut_on_one_side_only_are_found_at_95_percent(bank):
    index, originals = bank
    # GIVEN copies with one side (any of the four) cut by 0-10 %, the others untouched, half shrunk
    corpus = copies(originals, COPIES, seed=6, even=False, sides=1)
    assert all(sum(cut > 0 for cut in c.cuts) == 1 for c in corpus)
    # WHEN each is checked THEN at least 95 % find the picture they were made from
    missed = [c.cuts for c in corpus if c.row not in found(index, c.jpeg)]
    assert len(missed) <= COPIES * 0.05, missed


def test_copies_cut_on_four_sides_each_on_its_own_are_found_at_80_percent(bank):
    index, originals = bank
    # GIVEN copies with each side cut by 0-10 % on its own, half shrunk (the bench finds 95.5 % of its 400)
    corpus = copies(originals, COPIES, seed=7, even=False)
    assert sum(max(c.cuts) - min(c.cuts) >= 0.03 for c in corpus) >= COPIES * 3 // 4
    # WHEN each is checked THEN at least 80 % find the picture they were made from (the 62 insets alone: about 10 %)
    missed = [c.cuts for c in corpus if c.row not in found(index, c.jpeg)]
    assert len(missed) <= COPIES * 0.2, missed
    # and through the grid: without its regions, most are missed
    without = [c for c in corpus if c.row not in found(index, c.jpeg, grid=False)]
    assert len(without) >= COPIES // 2


def test_unrelated_photographs_match_nothing_through_their_insets_mirrored_insets_or_grid(bank):
    index, _ = bank
    unrelated = [encode(photo(seed, (384, 384)), "JPEG", quality=85) for seed in range(20_000, 20_000 + UNRELATED)]
    assert [n for n, data in enumerate(unrelated) if found(index, data)] == []

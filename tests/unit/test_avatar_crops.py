"""Cropped copies of bank images match through the entries' centres and the checked image's insets
(PA2020-8, PA2017-13); unrelated pictures do not; the crop table survives the artifact round trip."""

from __future__ import annotations

import pytest

from chalicelib.avatars import crops, images, pdq
from chalicelib.avatars.index import CROP_TRANSFORM, BankIndex
from tests.images import encode
from tests.photos import crop, photo

THRESHOLD = 31
SEEDS = range(900, 906)


def decoded(picture) -> object:
    return images.decode(encode(picture, "JPEG", quality=85), max_bytes=10**8, max_pixels=10**8).luma


@pytest.fixture(scope="module")
def bank() -> tuple[BankIndex, dict[int, object]]:
    originals = {seed: photo(seed, (448, 448)) for seed in SEEDS}
    hashes, centres = [], []
    for row, picture in enumerate(originals.values()):
        luma = decoded(picture)
        hashes.append(pdq.hash_luma(luma)[0].bits)
        centres.append((row, crops.centre(luma).bits))
    return BankIndex.build("1", [f"e{seed}" for seed in SEEDS], hashes, centres), originals


def matched(index: BankIndex, picture) -> list[tuple[str, str]]:
    luma = decoded(picture)
    _, variants = pdq.hash_luma(luma, variants=True)
    return [(index.ids[row], transform) for row, _, transform in index.match(variants, THRESHOLD, crops.insets(luma))]


@pytest.mark.parametrize("cut", [0.03, 0.06, 0.10])
def test_a_copy_cropped_up_to_ten_percent_per_side_matches_its_entry(bank, cut):
    index, originals = bank
    for seed, picture in originals.items():
        # GIVEN a bank image, cut down by `cut` on every side and saved again (and for half, shrunk)
        copy = crop(picture, cut, cut, cut, cut)
        copy = copy.resize((copy.width * 3 // 4, copy.height * 3 // 4)) if seed % 2 else copy
        # WHEN it is checked, THEN it is found as its own entry, through the centre table
        assert matched(index, copy)[:1] == [(f"e{seed}", CROP_TRANSFORM)], (seed, cut)


def test_unrelated_photographs_match_nothing(bank):
    index, _ = bank
    assert [seed for seed in range(2000, 2008) if matched(index, photo(seed, (384, 384)))] == []


def test_an_uncropped_copy_still_matches_as_itself_and_the_crop_table_survives_the_artifact(bank):
    index, originals = bank
    doc, arrays = index.to_artifact()
    restored = BankIndex.from_artifact(doc, arrays, "1")
    seed = SEEDS[0]
    assert matched(restored, originals[seed])[0] == (f"e{seed}", "original")
    assert matched(restored, crop(originals[seed], 0.08, 0.08, 0.08, 0.08))[0] == (f"e{seed}", CROP_TRANSFORM)


def test_a_crop_table_pointing_past_the_entries_is_refused(bank):
    index, _ = bank
    doc, arrays = index.to_artifact()
    arrays = {**arrays, "crop_rows": arrays["crop_rows"] + len(index.ids)}
    with pytest.raises(ValueError, match="crop rows"):
        BankIndex.from_artifact(doc, arrays, "1")


@pytest.mark.parametrize("size", [(1, 1), (6, 6), (7, 7), (9, 500), (700, 5), (13, 2)])
def test_tiny_and_thin_images_have_a_centre_and_insets_without_an_error(size):
    from PIL import Image

    # GIVEN an image barely large enough to hash, or not at all
    luma = images.decode(encode(Image.new("RGB", size, (30, 90, 200))), max_bytes=10**6, max_pixels=10**6).luma
    # WHEN its centre and insets are taken THEN each is a hash (the zero hash under 5 px), never an exception
    assert len(crops.centre(luma).bits) == 32
    assert all(len(bits) == 32 for bits in crops.insets(luma).values())


@pytest.mark.parametrize("cut", [0.04, 0.09])
def test_a_mirrored_and_cropped_copy_matches_its_entry_through_the_centre(bank, cut):
    from PIL import ImageOps

    index, originals = bank
    for seed, picture in originals.items():
        # GIVEN a bank image cut by `cut` on every side and mirrored left to right
        copy = ImageOps.mirror(crop(picture, cut, cut, cut, cut))
        # WHEN it is checked THEN it is found as its own entry, through the centre table
        assert matched(index, copy)[:1] == [(f"e{seed}", CROP_TRANSFORM)], (seed, cut)


def test_every_inset_is_also_taken_mirrored():
    luma = decoded(photo(901, (384, 384)))
    found = crops.insets(luma)
    assert len(found) == len(crops.REGIONS) + len(crops.INSETS) + len(crops.GRID)
    # the mirrored inset of an image is the plain inset of its mirror image
    mirrored = crops.insets(luma[:, ::-1].copy())
    assert pdq.distance(found["inset 5% mirror_x"], mirrored["inset 5%"]) <= 4


@pytest.mark.parametrize("side", range(4))
def test_a_copy_cut_on_one_side_only_matches_its_entry_through_the_centre(bank, side):
    index, originals = bank
    for n, (seed, picture) in enumerate(originals.items()):
        # GIVEN a bank image cut by 2-10 % on one side only (the other three untouched)
        cuts = [0.0] * 4
        cuts[side] = (0.02, 0.05, 0.07, 0.10, 0.035, 0.085)[n]
        # WHEN it is checked THEN it is found as its own entry, through the centre table
        assert matched(index, crop(picture, *cuts))[:1] == [(f"e{seed}", CROP_TRANSFORM)], (seed, cuts)


def test_the_regions_are_hashed_as_pdq_hashes_their_decimation():
    import numpy as np

    luma = decoded(photo(902, (300, 420)))
    rows, cols = luma.shape
    # GIVEN the image filtered once for the centre's size, as the insets are
    filtered = luma.astype(np.float32)
    for _ in range(pdq.PASSES):
        filtered = crops._box(crops._box(filtered, pdq._window(round(cols * 0.8), 64), axis=1),
                              pdq._window(round(rows * 0.8), 64), axis=0)
    found = crops.insets(luma)
    centres = (np.arange(64) + 0.5) / 64

    def between(at: float, n: int) -> tuple[int, float]:
        first = min(max(int(np.floor(at)), 0), n - 2)
        return first, min(max(at - first, 0.0), 1.0)

    for name in ("inset 0%", "inset 7%", "left cut 4%", "bottom cut 10%"):
        left, right, top, bottom = crops.REGIONS[name]
        # WHEN the region is decimated on its own, each sample read between the four pixels around its point
        alone = np.zeros((64, 64))
        for i, y in enumerate((top + centres * (1 - top - bottom)) * rows - 0.5):
            row, down = between(y, rows)
            for j, x in enumerate((left + centres * (1 - left - right)) * cols - 0.5):
                col, across = between(x, cols)
                upper = filtered[row, col] * (1 - across) + filtered[row, col + 1] * across
                lower = filtered[row + 1, col] * (1 - across) + filtered[row + 1, col + 1] * across
                alone[i, j] = upper * (1 - down) + lower * down
        hashes = pdq.hash_buffer(alone, variants=True)[1]
        # THEN the batched hashes are its bits, and its mirror image's for the even insets
        assert pdq.distance(found[name], hashes["original"]) <= 2, name
        if name.startswith("inset"):
            assert pdq.distance(found[f"{name} mirror_x"], hashes["mirror_x"]) <= 2, name


def test_a_region_is_read_between_pixels_not_at_the_nearest_one():
    import numpy as np

    # GIVEN an image whose brightness is the product of its pixel's coordinates (what reading between pixels
    # reproduces exactly), and a region whose sample points fall between pixels, as a crop or a shrink has them
    rows, cols = 97, 203
    picture = np.outer(np.arange(rows, dtype=np.float32), np.arange(cols, dtype=np.float32)) / 100
    region = (0.037, 0.041, 0.013, 0.052)
    # WHEN its decimation is taken THEN its DCT block is that of the picture's values at the sample points
    # themselves, to within rounding: reading the nearest pixel instead is up to a pixel off on each axis
    centres = (np.arange(64) + 0.5) / 64
    down = (region[2] + centres * (1 - region[2] - region[3])) * rows - 0.5
    across = (region[0] + centres * (1 - region[0] - region[1])) * cols - 0.5
    exact = pdq._DCT @ (np.outer(down, across) / 100) @ pdq._DCT.T
    assert np.abs(crops._blocks(picture, [region])[0] - exact).max() < 0.01


def _flipped(bits: bytes, positions) -> bytes:
    """`bits` with each bit position (counted from the hash's first hex digit) inverted."""
    value = int.from_bytes(bits, "big")
    for position in positions:
        value ^= 1 << (255 - position)
    return value.to_bytes(32, "big")


def test_a_grid_region_matches_a_centre_only_through_a_low_frequency_chunk_and_the_next_ones_low_byte():
    import numpy as np

    from chalicelib.avatars.index import GRID_PREFIX, PAIRED

    rng = np.random.default_rng(11)
    centre = bytes(rng.integers(0, 256, 32, dtype=np.uint8))
    index = BankIndex.build("1", ["e"], [bytes(rng.integers(0, 256, 32, dtype=np.uint8))], [(0, centre)])
    c = PAIRED[2]

    def region(exact: set[int], high: set[int] = frozenset()) -> bytes:
        """One bit off in every chunk but `exact`: in its high byte for the chunks of `high`, else its low byte."""
        return _flipped(centre, [16 * k + (5 if k in high else 13) for k in range(16) if k not in exact])

    # GIVEN regions 14-16 bits from the entry's centre: exact on chunks c and c + 1 (c in PAIRED); on chunk c and
    # the low byte of c + 1; on chunk c alone; on chunks 0 and 1 (high vertical frequencies); on c and c + 2
    # (not adjacent); on no chunk
    assert 0 not in PAIRED
    cases = {"key": (region({c, c + 1}), True), "low byte": (region({c}, {c + 1}), True),
             "chunk alone": (region({c}), False), "high rows": (region({0, 1}), False),
             "apart": (region({c, c + 2}), False), "none": (region(set()), False)}
    for name, (bits, expected) in cases.items():
        assert 14 <= pdq.distance(bits, centre) <= 16
        # WHEN it is matched as a grid region and as one of the 62
        as_grid = index.match({}, THRESHOLD, {f"{GRID_PREFIX}{name}": bits})
        as_inset = index.match({}, THRESHOLD, {"inset 3%": bits})
        # THEN the grid region matches only through chunk c with the next chunk's low byte, the inset through any
        # exact chunk
        assert bool(as_grid) == expected, name
        assert bool(as_inset) == (name != "none"), name


def test_a_table_compared_in_full_and_an_indexed_one_find_the_same_through_the_grid():
    import numpy as np

    from chalicelib.avatars.index import BRUTE_FORCE_BELOW, GRID_PREFIX

    rng = np.random.default_rng(12)
    centres = [bytes(rng.integers(0, 256, 32, dtype=np.uint8)) for _ in range(40)]
    others = [bytes(rng.integers(0, 256, 32, dtype=np.uint8)) for _ in range(BRUTE_FORCE_BELOW + 500)]
    small = BankIndex.build("1", [f"e{n}" for n in range(40)], centres, list(enumerate(centres)))
    large = BankIndex.build("1", [f"e{n}" for n in range(len(centres + others))], centres + others,
                            list(enumerate(centres + others)))
    assert large.crops is not None and len(large.crops.order) and small.crops is not None and not len(small.crops.order)
    # GIVEN a grid region 0-50 bits off each centre (each bit at random), and unrelated ones
    insets = {}
    for n in range(40):
        flips = rng.choice(256, int(rng.integers(0, 51)), replace=False)
        insets[f"{GRID_PREFIX}{n}"] = _flipped(centres[n % 40], flips.tolist())
    insets.update({f"{GRID_PREFIX}r{n}": bytes(rng.integers(0, 256, 32, dtype=np.uint8)) for n in range(200)})
    # WHEN both tables are searched THEN they find the same entries at the same distances (the large one's extra
    # rows being unrelated), and the nearer regions' centres are found, not the farther ones'
    found_small, found_large = small.match({}, THRESHOLD, insets), large.match({}, THRESHOLD, insets)
    assert found_small == found_large
    assert 5 <= len(found_small) < 40

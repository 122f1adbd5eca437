"""PDQ hashing and matching: the reference's hashes, variants, hex layout, multi-index recall equal to brute
force for a check's variants, and for its crop regions brute force's matches that share an exact 16-bit chunk."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from chalicelib.avatars import images, pdq
from chalicelib.avatars.index import BRUTE_FORCE_BELOW, BankIndex, distance_matrix
from tests.images import encode, logo
from tests.pdq_reference import reference_hash
from tests.photos import photo


def hashed(image) -> tuple[pdq.PdqHash, dict[str, bytes]]:
    decoded = images.decode(encode(image), max_bytes=10**8, max_pixels=10**8)
    return pdq.hash_luma(decoded.luma, variants=True)


def test_a_transposed_image_matches_the_transpose_variant_exactly():
    from PIL import Image

    original, variants = hashed(logo(1))
    turned, _ = hashed(logo(1).transpose(Image.Transpose.TRANSPOSE))
    assert pdq.distance(turned.bits, variants["transpose"]) == 0 and variants["original"] == original.bits
    assert len(original.to_hex()) == 64 and pdq.from_hex(original.to_hex()) == original.bits


# Sizes as uploads come: small, at the reference's 512, over it (resampled), portrait and landscape.
REFERENCE_CASES = [((256, 256), "JPEG"), ((512, 384), "JPEG"), ((700, 525), "JPEG"), ((1024, 1024), "JPEG"),
                   ((1600, 1004), "JPEG"), ((600, 900), "PNG"), ((530, 530), "WEBP"), ((320, 480), "GREY")]


def _encoded(seed: int, size: tuple[int, int], kind: str) -> bytes:
    from PIL import Image

    picture = photo(seed, (min(size[0], 320), min(size[1], 320))).resize(size, Image.Resampling.BICUBIC)
    if kind == "GREY":
        return encode(picture.convert("L"), "JPEG", quality=90)
    return encode(picture, kind, quality=90) if kind != "PNG" else encode(picture, "PNG")


def test_hashes_are_the_reference_hashers_so_they_can_be_exchanged():
    # GIVEN photographs of the sizes and formats uploads come in, and the reference's own hash of each
    cases = [(_encoded(seed, size, kind), f"{seed} {size} {kind}")
             for seed, (size, kind) in enumerate(REFERENCE_CASES)]
    # WHEN the product hashes the same bytes
    distances = [pdq.distance(hashed_bytes(data).bits, reference_hash(data).to_bytes(32, "big")) for data, _ in cases]
    # THEN the hashes are the reference's: median 0 bits apart, never more than 4 (a shared hash matches as
    # it would at the programme that shared it)
    assert float(np.median(distances)) == 0 and max(distances) <= 4, list(zip(distances, [n for _, n in cases],
                                                                               strict=True))


def test_images_under_five_pixels_a_side_get_the_zero_hash_as_in_the_reference():
    from PIL import Image

    found = hashed_bytes(encode(Image.new("RGB", (4, 300), (10, 200, 30))))
    assert (found.bits, found.quality) == (bytes(32), 0)


def hashed_bytes(data: bytes) -> pdq.PdqHash:
    return pdq.hash_luma(images.decode(data, max_bytes=10**8, max_pixels=10**8).luma)[0]


def test_bits_follow_the_reference_word_order():
    block = np.full((16, 16), -1.0)
    block[0, 0] = block[15, 15] = 10.0  # bit 0 (last hex word) and bit 255 (first hex word)
    assert pdq._bits(block).hex() == "8000" + "0000" * 14 + "0001"


def test_a_flat_image_has_no_quality():
    from PIL import Image

    found, _ = hashed(Image.new("L", (100, 100), 128))
    assert found.quality == 0


def near(rng: np.random.Generator, bits: bytes, flips: int) -> bytes:
    value = int.from_bytes(bits, "big")
    for bit in rng.choice(256, flips, replace=False):
        value ^= 1 << int(bit)
    return value.to_bytes(32, "big")


@pytest.mark.parametrize(("size", "variants"), [(100, 8), (BRUTE_FORCE_BELOW * 5, 8), (BRUTE_FORCE_BELOW * 5, 62)])
def test_multi_index_recall_equals_brute_force(size, variants):
    rng = np.random.default_rng(size)
    hashes = [bytes(row) for row in rng.integers(0, 256, size=(size, 32), dtype=np.uint8)]
    index = BankIndex.build("1", [str(n) for n in range(size)], hashes)
    for trial in range(30):
        # as many query hashes as a check's variants, or as its crop regions (probed a block at a time)
        queries = {f"v{n}": bytes(rng.integers(0, 256, 32, dtype=np.uint8)) for n in range(variants - 1)}
        queries["original"] = near(rng, hashes[int(rng.integers(size))], int(rng.integers(0, 40)))
        found = {(row, d) for row, d, _ in index.match(queries, 31)}
        brute = distance_matrix(index.words, pdq.as_words(list(queries.values()))).min(axis=1)
        assert found == {(int(r), int(brute[r])) for r in np.flatnonzero(brute <= 31)}, trial


def shared_chunk(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """(n, 4) × (v, 4) → (n, v): whether the two hashes agree exactly on some 16-bit chunk."""
    differing = (left[:, np.newaxis, :, np.newaxis] ^ right[np.newaxis, :, :, np.newaxis]) >> np.arange(0, 64, 16,
                                                                                                          dtype=np.uint64)
    return np.any((differing & np.uint64(0xFFFF)) == 0, axis=(2, 3))


@pytest.mark.parametrize("size", [100, BRUTE_FORCE_BELOW * 5])
def test_crop_regions_find_brute_forces_matches_that_share_an_exact_chunk(size):
    # GIVEN a bank whose entries all have a centre (compared in full, or indexed), and a check's 62 regions, a few
    # of them 16-40 bits off some entry's centre (where a pair within 31 may share no chunk)
    rng = np.random.default_rng(size + 1)
    hashes = [bytes(row) for row in rng.integers(0, 256, size=(size, 32), dtype=np.uint8)]
    centres = [(n, bytes(row)) for n, row in enumerate(rng.integers(0, 256, size=(size, 32), dtype=np.uint8))]
    index = BankIndex.build("1", [str(n) for n in range(size)], hashes, centres)
    cut_off = 0  # matches within the distance that share no exact chunk, which the regions leave out
    for trial in range(30):
        regions = {f"r{n}": bytes(rng.integers(0, 256, 32, dtype=np.uint8)) for n in range(62)}
        for n in range(6):
            regions[f"r{n}"] = near(rng, centres[int(rng.integers(size))][1], int(rng.integers(16, 41)))
        # WHEN only the regions are matched
        found = {(row, d) for row, d, transform in index.match({}, 31, regions) if transform == "centre_crop"}
        # THEN the matches are exactly brute force's among the pairs agreeing on at least one chunk
        words = pdq.as_words(list(regions.values()))
        distances = distance_matrix(index.crops.words, words)
        allowed = np.where(shared_chunk(index.crops.words, words), distances, 256).min(axis=1)
        assert found == {(int(index.crop_rows[r]), int(allowed[r])) for r in np.flatnonzero(allowed <= 31)}, trial
        cut_off += int(np.sum((distances.min(axis=1) <= 31) & (allowed > 31)))
    assert cut_off > 0  # the rule was put to the test: some pairs within 31 bits shared no chunk


@pytest.mark.parametrize("size", [100, BRUTE_FORCE_BELOW * 5])
def test_a_region_within_the_distance_is_found_only_through_an_exact_chunk(size):
    rng = np.random.default_rng(size + 2)
    hashes = [bytes(row) for row in rng.integers(0, 256, size=(size, 32), dtype=np.uint8)]
    centre = int.from_bytes(bytes(rng.integers(0, 256, 32, dtype=np.uint8)), "big")
    index = BankIndex.build("1", [str(n) for n in range(size)], hashes, [(7, centre.to_bytes(32, "big"))])
    # one bit off in every chunk: 16 bits away, no chunk shared
    every_chunk = centre ^ sum(1 << (16 * chunk + 3) for chunk in range(16))
    # two bits off in fifteen chunks, the sixteenth untouched: 30 bits away, one chunk shared
    fifteen = centre ^ sum(3 << (16 * chunk + 5) for chunk in range(15))
    # the eight variants of a check stay exact: the first hash is found through the entry's own hash
    assert index.match({"original": (int.from_bytes(hashes[7], "big") ^ every_chunk ^ centre).to_bytes(32, "big")},
                       31) == [(7, 16, "original")]
    assert index.match({}, 31, {"r": every_chunk.to_bytes(32, "big")}) == []
    assert index.match({}, 31, {"r": fifteen.to_bytes(32, "big")}) == [(7, 30, "centre_crop")]


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=2048))
def test_decoding_arbitrary_bytes_never_raises_anything_but_a_refusal(data):
    try:
        images.decode(data, max_bytes=4096, max_pixels=10**6)
    except images.ImageRefused as refused:
        assert refused.code in ("IMAGE_INVALID", "IMAGE_TOO_LARGE")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["PNG", "JPEG", "GIF", "WEBP"]), st.integers(0, 10**6), st.integers(1, 255))
def test_corrupting_a_valid_image_never_raises_anything_but_a_refusal(fmt, position, value):
    data = bytearray(encode(logo(3, size=64).convert("RGB"), fmt))
    data[position % len(data)] ^= value
    try:
        found = images.decode(bytes(data), max_bytes=10**6, max_pixels=10**6)
        pdq.hash_luma(found.luma)
    except images.ImageRefused as refused:
        assert refused.code in ("IMAGE_INVALID", "IMAGE_TOO_LARGE")

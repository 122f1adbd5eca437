"""Avatar checks (PA2020-8, PA2017-13).

- Hashing a 1024×1024 JPEG including decode, the eight variants, the 62 crop insets and the 1,225 grid
  regions (≤ 30 ms), against the literal reference hasher of the tests (tests/pdq_reference.py).
- Exchangeable hashes: bits apart from that reference on generated photographs (median 0, max ≤ 4); with
  PDQ_REFERENCE_HASHES naming a file of the reference pdq-photo-hasher's output lines (hash,quality,path,
  paths relative to the file), on those images too.
- Cropped copies (tests/crop_corpus.py, seeded): recall on generated photographs cut evenly by up to 10 % per
  side, the same mirrored, cut on all four sides each on its own and cut on one side only (≥ 95 %), false
  matches of 1,000 unrelated ones (0), all through the full check path (variants, centres, insets, grid, index).
- Matching 8 variants, 62 crop regions and 1,225 grid regions against a 1M-entry bank, every entry with its
  centre and one in ten with one (≤ 2 ms, against the same query without the grid in the same run; ≥ 15×
  faster than numpy brute force), matches equal to brute force on the same queries: the variants' within the
  distance, the regions' within it sharing an exact 16-bit chunk, the grid's within it sharing an exact 24-bit
  key, a chunk and the next one's low byte (chalicelib/avatars/index.py).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import numpy as np

from bench.harness import Row, per_call

BANK = 1_000_000
QUERIES = 200
CROP_BANK, CROP_COPIES, UNRELATED = 200, 400, 1000
THRESHOLD = 31
BRUTE = 3  # queries checked against brute force (about 20 s each with the grid's 1,225 regions)


def _decode(data: bytes) -> np.ndarray:
    from chalicelib.avatars import images

    return images.decode(data, max_bytes=10**8, max_pixels=10**8).luma


def _hash_rows() -> list[Row]:
    from chalicelib.avatars import crops, pdq
    from tests.images import encode
    from tests.pdq_reference import reference_hash
    from tests.photos import photo

    data = encode(photo(1, (512, 512), jpeg=False).resize((1024, 1024)), "JPEG", quality=90)

    def ours() -> None:
        luma = _decode(data)
        pdq.hash_luma(luma, variants=True)
        crops.insets(luma)

    mine, baseline = per_call(ours, repeat=20) * 1000, per_call(lambda: reference_hash(data), repeat=3) * 1000
    regions = f"{len(crops.REGIONS) + len(crops.INSETS)} crop insets, {len(crops.GRID)} grid regions"
    return [Row(f"hash a 1024×1024 JPEG incl. decode, 8 variants, {regions} vs the literal reference", mine,
                baseline, "ms", "≤ 30 ms", mine <= 30,
                "full decode; filter and decimation as banded gathers; the grid as two batched products")]


def _agreement_rows() -> list[Row]:
    from chalicelib.avatars import pdq
    from tests.images import encode
    from tests.pdq_reference import reference_hash
    from tests.photos import photo

    distances = []
    for seed in range(40):
        size = [(256, 256), (512, 384), (800, 600), (1024, 1024), (1600, 1004)][seed % 5]
        data = encode(photo(seed, (min(size[0], 400), min(size[1], 400)), jpeg=False).resize(size), "JPEG",
                      quality=90)
        ours = pdq.hash_luma(_decode(data))[0].bits
        distances.append(pdq.distance(ours, reference_hash(data).to_bytes(32, "big")))
    rows = [_agreement("generated photographs (40, 256–1600 px)", distances)]
    listed = os.environ.get("PDQ_REFERENCE_HASHES")
    if listed:
        base = Path(listed).parent
        published = [line.split(",") for line in Path(listed).read_text().splitlines() if line.count(",") >= 2]
        found = [pdq.distance(pdq.hash_luma(_decode((base / path).read_bytes()))[0].bits, pdq.from_hex(value))
                 for value, _, path in published]
        rows.append(_agreement(f"the reference's own test images ({len(found)})", found))
    return rows


def _agreement(what: str, distances: list[int]) -> Row:
    median, worst = float(np.median(distances)), max(distances)
    return Row(f"bits apart from the reference hasher, {what}: median", median, None, "bits",
               "median 0, max ≤ 4", median == 0 and worst <= 4, f"max {worst}")


def _crop_rows() -> list[Row]:
    from chalicelib.avatars import crops, pdq
    from chalicelib.avatars.index import BankIndex
    from tests.crop_corpus import Copy, copies
    from tests.images import encode, logo
    from tests.photos import photo

    originals = [photo(seed, (448, 448)) for seed in range(CROP_BANK - 8)] + [logo(s, 448) for s in range(8)]
    lumas = [_decode(encode(p, "JPEG", quality=92)) for p in originals]
    index = BankIndex.build("bench", [str(n) for n in range(len(originals))],
                            [pdq.hash_luma(luma)[0].bits for luma in lumas],
                            [(n, crops.centre(luma).bits) for n, luma in enumerate(lumas)])

    def found(data: bytes) -> set[int]:
        luma = _decode(data)
        _, variants = pdq.hash_luma(luma, variants=True)
        return {row for row, _, _ in index.match(variants, THRESHOLD, crops.insets(luma))}

    def recall(corpus: list[Copy]) -> float:
        return 100 * float(np.mean([c.row in found(c.jpeg) for c in corpus]))

    even, mirrored = recall(copies(originals, CROP_COPIES, 11, even=True)), recall(
        copies(originals, CROP_COPIES, 12, even=True, mirrored=1.0))
    uneven, one_side = recall(copies(originals, CROP_COPIES, 13, even=False)), recall(
        copies(originals, CROP_COPIES, 14, even=False, sides=1))
    false = sum(len(found(encode(photo(seed, (448, 448)), "JPEG", quality=85)))
                for seed in range(10_000, 10_000 + UNRELATED))
    return [
        Row(f"recall, copies cropped 0–10 % per side ({CROP_COPIES}, JPEG 70–95, half shrunk)", even, None, "%",
            "≥ 95 %", even >= 95, f"bank of {len(originals)} entries with their centres"),
        Row("recall, the same mirrored left to right", mirrored, None, "%", "≥ 95 %", mirrored >= 95,
            "the insets taken mirrored from the same DCT blocks"),
        Row("recall, copies cut on four sides independently (each side 0–10 % on its own)", uneven, None, "%",
            "≥ 95 %", uneven >= 95, f"{len(crops.GRID)} grid regions: {len(crops.PAIRS)} inset pairs an axis "
            "(1 % apart in shift, 2 % in scale), every one with every one"),
        Row("recall, copies cut on one side only (0–10 %)", one_side, None, "%", "≥ 95 %", one_side >= 95,
            "40 one-side regions: that side's inset with the opposite side's, cuts 1–10 %"),
        Row(f"false matches, {UNRELATED} unrelated photographs", float(false), None, "", "0", false == 0,
            f"8 variants, {len(crops.REGIONS) + len(crops.INSETS)} insets and {len(crops.GRID)} grid regions "
            "each, distance ≤ 31"),
    ]


def _match_rows() -> list[Row]:
    from chalicelib.avatars import crops, pdq
    from chalicelib.avatars.index import CHUNKS, GRID_PREFIX, PAIRED, BankIndex

    rng = np.random.default_rng(7)
    hashes = [bytes(row) for row in rng.integers(0, 256, size=(BANK, 32), dtype=np.uint8)]
    centres = [(n, bytes(row)) for n, row in enumerate(rng.integers(0, 256, size=(BANK, 32), dtype=np.uint8))]
    started = time.perf_counter()
    index = BankIndex.build("bench", [str(n) for n in range(BANK)], hashes, centres)
    build = time.perf_counter() - started
    tenth = BankIndex("bench", index.ids, index.words, index.order, index.starts,  # the same, 1 in 10 with a centre
                      crops=BankIndex.build("bench", [str(n) for n, _ in centres[::10]], [c for _, c in centres[::10]]),
                      crop_rows=np.arange(0, BANK, 10, dtype=np.int32))
    queries: list[tuple[dict[str, bytes], dict[str, bytes]]] = []
    shape = len(crops.REGIONS) + len(crops.INSETS)  # the regions a check hashes (crops.insets), then the grid's
    grid = list(crops.GRID)
    for _ in range(QUERIES):  # a near copy (0-40 bits off) of an entry, 7 unrelated variants, unrelated regions
        value = int.from_bytes(hashes[int(rng.integers(BANK))], "big")
        for bit in rng.choice(256, int(rng.integers(0, 41)), replace=False):
            value ^= 1 << int(bit)
        variants = {f"v{n}": bytes(rng.integers(0, 256, 32, dtype=np.uint8)) for n in range(7)}
        plain = {f"i{n}": bytes(rng.integers(0, 256, 32, dtype=np.uint8)) for n in range(shape)}
        regions = [bytes(row) for row in rng.integers(0, 256, size=(len(grid), 32), dtype=np.uint8)]
        if len(queries) < BRUTE:  # those checked against brute force: a region and a grid region 0-12 bits off
            for at, row, flips in ((None, len(queries) * 10, 4 * len(queries)),
                                   (len(queries) * 97, len(queries) * 10 + 5, 5 * len(queries) + 2)):
                near = int.from_bytes(centres[row][1], "big")
                for bit in rng.choice(256, flips, replace=False):
                    near ^= 1 << int(bit)
                if at is None:
                    plain["i0"] = near.to_bytes(32, "big")
                else:
                    regions[at] = near.to_bytes(32, "big")
        # as a check passes them (crops.Insets: the grid's hashes also as one array)
        queries.append(({"original": value.to_bytes(32, "big"), **variants}, crops.Insets.of(plain, regions)))

    def before(table: BankIndex, variants: dict[str, bytes], insets: dict[str, bytes]) -> set[int]:
        """The previous check: the same variants and 62 regions (the query's own part without the grid)."""
        return {row for row, _, _ in table.match(variants, THRESHOLD, insets.plain)}  # type: ignore[attr-defined]

    def brute(query: tuple[dict[str, bytes], dict[str, bytes]]) -> tuple[set[int], set[int]]:
        """Rows within the distance of a variant, and rows whose centre is within it of a region while sharing an
        exact chunk with it (a grid region: a key of PAIRED), by XOR and popcount over both tables."""
        found: tuple[set[int], set[int]] = (set(), set())
        for table, asked, into in ((index.words, query[0], found[0]), (index.crops.words, query[1], found[1])):  # type: ignore[union-attr]
            for name, words in zip(asked, pdq.as_words(list(asked.values())), strict=True):
                differing = table ^ words
                counts = np.bitwise_count(differing)
                distances = counts[:, 0].astype(np.int32) + counts[:, 1] + counts[:, 2] + counts[:, 3]
                near = np.flatnonzero(distances <= THRESHOLD)
                if into is found[1]:
                    chunks = (differing[near, :, np.newaxis] >> np.arange(48, -1, -16, dtype=np.uint64)) & 0xFFFF
                    same = chunks.reshape(len(near), CHUNKS) == 0
                    if name.startswith(GRID_PREFIX):  # chunk c and the low byte of chunk c + 1 (c in PAIRED)
                        low = (chunks.reshape(len(near), CHUNKS) & 0xFF) == 0
                        same = same[:, list(PAIRED)] & low[:, [c + 1 for c in PAIRED]]
                    near = near[np.any(same, axis=1)]
                into.update(near.tolist())
        return found

    timings: dict[str, list[float]] = {"all": [], "all before": [], "tenth": [], "tenth before": []}
    got = []
    for variants, insets in queries[:5]:
        index.match(variants, THRESHOLD, insets), tenth.match(variants, THRESHOLD, insets)
        before(index, variants, insets)
    for variants, insets in queries:  # ours and the previous check alternately, so both see the same load
        for name, table in (("all", index), ("tenth", tenth)):
            started = time.perf_counter()
            found = {row for row, _, _ in table.match(variants, THRESHOLD, insets)}
            timings[name].append(time.perf_counter() - started)
            if name == "all":
                got.append(found)
            started = time.perf_counter()
            before(table, variants, insets)
            timings[f"{name} before"].append(time.perf_counter() - started)
    baseline, expected = [], []
    for query in queries[:BRUTE]:
        started = time.perf_counter()
        expected.append(brute(query))
        baseline.append(time.perf_counter() - started)
    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    mine, theirs = medians["all"], statistics.median(baseline) * 1000
    equal = all(found == rows[0] | rows[1] for found, rows in zip(got[:BRUTE], expected, strict=False))
    near_centre = sum(len(rows[1]) for rows in expected)
    label = f"{shape} regions + {len(grid)} grid regions"
    return [
        Row(f"match 8 variants + {label} against a 1M-hash bank, every entry with its centre (median)", mine,
            medians["all before"], "ms", "≤ 2 ms", mine <= 2,
            f"baseline: the same without the grid; index of 2M hashes built in {build:.1f} s"),
        Row(f"match 8 variants + {label} against a 1M-hash bank, 1 entry in 10 with its centre (median)",
            medians["tenth"], medians["tenth before"], "ms", "≤ 2 ms", medians["tenth"] <= 2,
            "baseline: the same without the grid"),
        Row("same (every centre) vs numpy brute force (XOR + popcount over both tables)", mine, theirs, "ms",
            "≥ 15× faster", theirs / mine >= 15, f"{theirs / mine:.0f}× faster"),
        Row("matches equal to brute force: variants within 31, regions within 31 sharing an exact chunk, grid "
            f"regions an exact 24-bit key ({BRUTE} queries)", float(equal), 1.0, "", "equal", equal,
            f"{sum(len(rows[0]) for rows in expected)} by variants, {near_centre} by regions"),
    ]


def measure() -> list[Row]:
    return _hash_rows() + _agreement_rows() + _crop_rows() + _match_rows()

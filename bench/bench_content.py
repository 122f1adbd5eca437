"""Content check throughput: a 20,000-character post against 20,000 prohibited terms, in process
including normalization and pinyin (target ≥ 5 MB/s), against a naive per-term substring loop over
the same lexicon in the same run (target ≥ 20×)."""

from __future__ import annotations

import random

from bench.harness import Row, per_call

TERMS = 20_000
CHARACTERS = 20_000


def measure() -> list[Row]:
    from chalicelib.names import entries
    from chalicelib.names.check import check_text
    from chalicelib.names.index import TERM, NameIndex, make_entry

    rng = random.Random(5)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 6000)]
    terms = {"".join(rng.choice(han) for _ in range(rng.randint(2, 5))) for _ in range(TERMS)}
    lexicon = entries.builtin() + [make_entry(f"t{n}", TERM, term, term, "OTHER_PROHIBITED", "REVIEW")
                                   for n, term in enumerate(sorted(terms))]
    index = NameIndex.build(lexicon, "bench")
    common = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)] + list("，。！？“”、 ")
    text = "".join(rng.choice(common) for _ in range(CHARACTERS))
    size_mb = len(text.encode()) / 1e6
    surfaces = [e.surface for e in lexicon]

    def naive() -> list[str]:
        return [term for term in surfaces if term in text]

    ours = per_call(lambda: check_text(index, text), repeat=5)
    baseline = per_call(naive, repeat=2, rounds=3)
    throughput = size_mb / ours
    return [
        Row("content check throughput, 20k-character post, 20k terms (normalize + terms + pinyin)", throughput,
            None, "MB/s", "≥ 5 MB/s", throughput >= 5, f"{ours * 1000:.1f} ms per post of {size_mb:.2f} MB"),
        Row("same vs a naive per-term substring loop (no normalization)", ours * 1000, baseline * 1000, "ms",
            "≥ 20× faster", baseline / ours >= 20, f"{baseline / ours:.0f}× faster"),
    ]

"""Content check: throughput, and hostile posts against an ordinary one of the same length.

- Throughput: a 20,000-character post against 20,000 prohibited terms, in process including
  normalization and pinyin (target ≥ 5 MB/s), against a naive per-term substring loop over the same
  lexicon in the same run (target ≥ 20×).
- Hostile posts, built to make a check do the most work per character, at 20,000 and 200,000
  characters (the most a tenant's policy may allow), each against an ordinary post of the same
  length in the same run (target ≤ 3×): one term repeated; every character a homophone of some
  term; a term at every other character; a term spread over separators; an allow-listed phrase
  around a term, repeated; a term typed in pinyin, repeated; a common word repeated that 200 terms
  of the lexicon begin with. The evidence listed is the policy default (content.max_spans_per_term,
  content.max_spans).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable

from bench.harness import Row, per_call, ratio_row

TERMS = 20_000
CHARACTERS = 20_000
HOSTILE_SIZES = (20_000, 200_000)
HOSTILE_LIMIT = 3.0
CROWDED = 200  # terms of the lexicon that begin with 中国, as a real lexicon's political terms do


def _lexicon(rng: random.Random) -> list:
    from chalicelib.names import entries
    from chalicelib.names.index import ALLOW, TERM, make_entry

    han = [chr(c) for c in range(0x4E00, 0x4E00 + 6000)]
    terms = {"".join(rng.choice(han) for _ in range(rng.randint(2, 5))) for _ in range(TERMS - CROWDED)}
    terms |= {"中国" + "".join(rng.choice(han) for _ in range(rng.randint(1, 3))) for _ in range(CROWDED)}
    return (entries.builtin() + [make_entry(f"t{n}", TERM, term, term, "OTHER_PROHIBITED", "REVIEW")
                                 for n, term in enumerate(sorted(terms))]
            + [make_entry("a-bench", ALLOW, "打击网络赌场专项行动", "打击网络赌场专项行动", "ALLOW", "PASS")])


def _ordinary(rng: random.Random, size: int) -> str:
    common = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)] + list("，。！？“”、 ")
    return "".join(rng.choice(common) for _ in range(size))


def _homophones(rng: random.Random, lexicon: list, size: int) -> str:
    """Terms read alike, each character swapped for another of the same reading: every character of
    the post lies in a pinyin hit."""
    from chalicelib.names import tables

    readings = tables.pinyin()
    sounds: dict[str, list[str]] = {}
    for char, reading in readings.items():
        sounds.setdefault(reading, []).append(char)
    terms = [e.key for e in lexicon if e.kind == "TERM" and len(e.key) >= 3 and all(c in readings for c in e.key)]
    chosen = rng.sample(terms, min(2000, len(terms)))
    words = ["".join(rng.choice(sounds[readings[c]]) for c in term) for term in chosen]
    text = ""
    while len(text) < size:
        text += "".join(rng.choice(words) for _ in range(1000))
    return text[:size]


def _hostile(rng: random.Random, lexicon: list, size: int) -> dict[str, str]:
    two = next(e.surface for e in lexicon if e.entry_id.startswith("t") and len(e.surface) == 2)

    def repeat(piece: str) -> str:
        return (piece * (size // len(piece) + 1))[:size]

    return {"one term repeated": repeat("网络赌场"),
            "every character a homophone of some term": _homophones(rng, lexicon, size),
            "a term at every other character": repeat(two),
            "a term spread over separators": repeat("网·络·赌·场·"),
            "an allow-listed phrase around a term, repeated": repeat("打击网络赌场专项行动，"),
            "a term typed in pinyin, repeated": repeat("wang luo du chang "),
            "a phone number repeated, in circled digits": repeat("①③⑧①②③④⑤⑥⑦⑧ "),
            "a WeChat cue and id repeated": repeat("加薇信 abc_12345 "),
            "a domain written with 点, repeated": repeat("abc点com "),
            f"a common word repeated, the first two characters of {CROWDED} terms": repeat("中国"),
            }


def _throughput(index: object, rng: random.Random, surfaces: list[str]) -> list[Row]:
    from chalicelib.names import contact
    from chalicelib.names.post import check_text

    text = _ordinary(rng, CHARACTERS)
    size_mb = len(text.encode()) / 1e6

    def naive() -> list[str]:
        return [term for term in surfaces if term in text]

    ours = per_call(lambda: check_text(index, text, contact_action="REVIEW"), repeat=5)
    contacts = per_call(lambda: contact.find(text), repeat=5)
    baseline = per_call(naive, repeat=2, rounds=3)
    throughput = size_mb / ours
    return [
        Row("content check throughput, 20k-character post, 20k terms (normalize + terms + pinyin + numeric + "
            "contact)", throughput,
            None, "MB/s", "≥ 5 MB/s", throughput >= 5, f"{ours * 1000:.1f} ms per post of {size_mb:.2f} MB; "
            f"contact detection alone {contacts * 1000:.1f} ms; load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores"),
        Row("same vs a naive per-term substring loop (no normalization)", ours * 1000, baseline * 1000, "ms",
            "≥ 20× faster", baseline / ours >= 20, f"{baseline / ours:.0f}× faster"),
    ]


def _paired(ours: Callable[[], object], baseline: Callable[[], object], repeat: int, rounds: int = 5,
            clock: Callable[[], float] = time.process_time) -> tuple:
    """Median seconds per call of each, measured in alternating rounds (after a warm-up of both), so a
    change in the machine's load weighs on both sides of the ratio alike. By default in the process's CPU
    time: on a shared machine the wall clock also counts the waits for a core, which make the ratio of two
    rounds a few milliseconds long swing from 0.5× to 5×."""
    ours(), baseline()
    samples: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(rounds):
        for side, fn in enumerate((ours, baseline)):
            started = clock()
            for _ in range(repeat):
                fn()
            samples[side].append((clock() - started) / repeat)
    return statistics.median(samples[0]), statistics.median(samples[1])


def _hostile_rows(index: object, rng: random.Random, lexicon: list) -> list[Row]:
    from chalicelib.core.policy_rules import DEFAULTS
    from chalicelib.names.post import check_text

    limit, total = DEFAULTS["content"]["max_spans_per_term"], DEFAULTS["content"]["max_spans"]
    rows = []
    for size in HOSTILE_SIZES:
        ordinary = _ordinary(rng, size)
        repeat = 5 if size <= 20_000 else 2
        for name, text in _hostile(rng, lexicon, size).items():
            ours, baseline = _paired(lambda text=text: check_text(index, text, limit, total, "REVIEW"),
                                     lambda plain=ordinary: check_text(index, plain, limit, total, "REVIEW"), repeat)
            found = check_text(index, text, limit, total, "REVIEW")
            rows.append(ratio_row(f"hostile post, {size // 1000}k characters: {name}", ours * 1000, baseline * 1000,
                                  "ms", HOSTILE_LIMIT,
                                  f"{found.decision}; {found.counted:,} hits counted, {len(found.hits)} listed "
                                  f"(≤ {limit} per term and action, ≤ {total} in all); "
                                  "baseline an ordinary post of the same length, timed in alternate rounds, "
                                  f"CPU time; load average {os.getloadavg()[0]:.1f}"))
    return rows


def measure() -> list[Row]:
    from chalicelib.names.index import NameIndex

    rng = random.Random(5)
    lexicon = _lexicon(rng)
    index = NameIndex.build(lexicon, "bench")
    return _throughput(index, rng, [e.surface for e in lexicon]) + _hostile_rows(index, rng, lexicon)

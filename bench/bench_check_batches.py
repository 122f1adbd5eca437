"""Batches: per-item cost of POST /v1/names/checks (100 names) and POST /v1/content/checks (20 posts) over
HTTP, against the same items sent one by one to the single-check routes, in the same run.

Both go through `chalice.test.Client` on moto's in-process backend, prod stage: authentication, the
lexicon version read (one GetItem per request), body parsing and validation are paid once per batch
instead of once per item, which is what a platform checking a page of names or a feed saves.
"""

from __future__ import annotations

import json
import random
import time

from bench.harness import Row, moto_api


def _names(rng: random.Random, count: int) -> list[dict]:
    from tests.corpora import ordinary_names

    return [{"text": name, "field": "nickname"} for name in rng.sample(ordinary_names(), count)]


def _posts(rng: random.Random, count: int) -> list[dict]:
    from tests.corpora import ordinary_posts

    return [{"text": post} for post in rng.sample(ordinary_posts(), count)]


ROUNDS = 9


def _paired(ours, baseline, rounds: int = ROUNDS) -> tuple[float, float]:  # noqa: ANN001
    """Best seconds of `ours` and of `baseline` over `rounds` rounds, one of each per round (after one of each
    to warm up): a load that comes and goes on a shared machine falls on both alike."""
    ours(), baseline()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for call, times in ((ours, samples[0]), (baseline, samples[1])):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
    return min(samples[0]), min(samples[1])


def measure() -> list[Row]:
    from chalice.test import Client

    rng = random.Random(5)
    rows = []
    with moto_api("bench") as (application, key, _), Client(application, stage_name="prod") as client:
        headers = {"X-Api-Key": key, "Content-Type": "application/json"}
        for single, batch, items, label in (("/v1/names/check", "/v1/names/checks", _names(rng, 100), "names"),
                                            ("/v1/content/check", "/v1/content/checks", _posts(rng, 20), "posts")):
            bodies = [json.dumps(item).encode() for item in items]
            whole = json.dumps({"items": items}).encode()
            assert client.http.post(batch, headers=headers, body=whole).status_code == 200

            def one_by_one(bodies: list[bytes] = bodies, single: str = single) -> None:
                for body in bodies:
                    client.http.post(single, headers=headers, body=body)

            def at_once(whole: bytes = whole, batch: str = batch) -> None:
                client.http.post(batch, headers=headers, body=whole)

            batched, singles = (seconds / len(items) for seconds in _paired(at_once, one_by_one))
            rows.append(Row(f"{batch}: per-item cost of {len(items)} {label} in one call vs single calls",
                            batched * 1e3, singles * 1e3, "ms", "≤ 0.1× baseline (≥ 10× lower)",
                            batched <= singles / 10,
                            f"same items, same client, prod stage, best of {ROUNDS} rounds, one of each per round"))
    return rows

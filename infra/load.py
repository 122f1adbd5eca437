"""A bounded load run against the `make run` stack on 127.0.0.1, on mixed traffic.

    python infra/load.py [--seconds 120] [--workers 4]      (part of `make check-hardening`)

Workers send, for the run's length, a mix of what platforms call most: name checks, post checks,
blacklist checks, log batches, reports and policy reads. Prints throughput, p50/p99 latency and
errors (anything but the expected status). The local server answers one request at a time, like
one Lambda container; the figures are a floor, not a capacity.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEY = "ck_load_" + "l" * 32
COMMON = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def requests(rng: random.Random, n: int) -> tuple[str, str, dict | None, int]:
    """(method, path, body, expected status) for the n-th request of a worker."""
    roll = rng.random()
    if roll < 0.3:
        return "POST", "/v1/names/check", {"text": "".join(rng.choice(COMMON) for _ in range(8)),
                                           "field": "account_name"}, 200
    if roll < 0.45:
        return "POST", "/v1/content/check", {"text": "".join(rng.choice(COMMON) for _ in range(800))}, 200
    if roll < 0.6:
        keys = [{"type": "PUBLIC_ACCOUNT", "key": f"acct-{rng.randrange(10**6)}"} for _ in range(50)]
        return "POST", "/v1/blacklist/check", {"items": keys}, 200
    if roll < 0.75:
        return "POST", "/v1/logs", {"events": [{"account_id": f"acct-{rng.randrange(1000)}", "type": "PUBLISH",
                                                "at": "2026-11-20T08:00:00Z", "event_id": f"e{n}-{k}-{rng.random()}"}
                                               for k in range(25)]}, 200
    if roll < 0.85:
        return "POST", "/v1/reports", {"reporter": {"anonymous": True},
                                       "target": {"type": "CONTENT", "id": f"post-{rng.randrange(500)}"},
                                       "category": "SPAM", "description": "刷屏"}, 201
    return "GET", "/v1/policy", None, 200


def worker(base: str, seconds: float, seed: int, results: list) -> None:
    rng = random.Random(seed)
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        method, path, body, expected = requests(rng, n)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, method=method,
                                         headers={"X-Api-Key": KEY, "Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (local)
                status = answer.status
                answer.read()
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        results.append((path, status == expected, time.perf_counter() - started))
        n += 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    from infra.stack import running

    with running(KEY) as base:
        results: list = []
        threads = [threading.Thread(target=worker, args=(base, args.seconds, n, results)) for n in range(args.workers)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    latencies = sorted(seconds for _, _, seconds in results)
    errors = sum(1 for _, ok, _ in results if not ok)
    print(f"requests {len(results)} in {elapsed:.0f} s: {len(results) / elapsed:.1f} per second")
    print(f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms")
    print(f"errors {errors}")
    for path in sorted({p for p, _, _ in results}):
        mine = sorted(s for p, _, s in results if p == path)
        print(f"  {path}: {len(mine)} requests, p50 {statistics.median(mine) * 1000:.1f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
